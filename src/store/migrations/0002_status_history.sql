-- Contact status history, for conversion figures (lead → prospect → client). Kept by
-- triggers, so every path that adds a contact or changes a status records it.

CREATE TABLE contact_status_history (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX contact_status_history_contact ON contact_status_history(contact_id, entered_at);

-- What is known of contacts made before this version: their status now, since they were added.
INSERT INTO contact_status_history (contact_id, status, entered_at)
SELECT id, status, created_at FROM contacts;

CREATE TRIGGER contacts_status_ai AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_status_history (contact_id, status, entered_at)
    VALUES (new.id, new.status, new.created_at);
END;
CREATE TRIGGER contacts_status_au AFTER UPDATE OF status ON contacts WHEN new.status <> old.status BEGIN
    INSERT INTO contact_status_history (contact_id, status, entered_at)
    VALUES (new.id, new.status, new.updated_at);
END;
