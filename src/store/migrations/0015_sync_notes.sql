-- Notes of kind 'sync': what tend writes itself when a sync could not merge a value (the
-- phone's number kept beside tend's). They are kept like any note, but they are not an
-- interaction: they do not move a contact's last contact (and so do not reset a cadence or
-- a quiet lead). SQLite cannot change a CHECK in place, so the table is made anew with the
-- same rows, ids and uids; the full-text index keeps its rowids and stays as it is.
CREATE TABLE notes_new (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL DEFAULT 'note'
               CHECK (kind IN ('note', 'call', 'email', 'meeting', 'sync')),
    body       TEXT NOT NULL,
    at         TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO notes_new (id, uid, contact_id, kind, body, at, created_at)
    SELECT id, uid, contact_id, kind, body, at, created_at FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
CREATE INDEX notes_contact_at ON notes(contact_id, at);
CREATE INDEX notes_at ON notes(at);

CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
    UPDATE contacts SET last_note_at = new.at
     WHERE id = new.contact_id AND new.kind <> 'sync'
       AND (last_note_at IS NULL OR last_note_at < new.at);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
    UPDATE contacts SET last_note_at = (SELECT max(at) FROM notes
                                         WHERE contact_id = old.contact_id AND kind <> 'sync')
     WHERE id = old.contact_id;
END;
CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
    UPDATE contacts SET last_note_at = (SELECT max(at) FROM notes
                                         WHERE contact_id = contacts.id AND kind <> 'sync')
     WHERE id IN (old.contact_id, new.contact_id);
END;
