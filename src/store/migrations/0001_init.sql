-- tend schema, version 1: every entity DESIGN.md names, so later features add behaviour,
-- not schema surgery. Dates are 'YYYY-MM-DD'; timestamps are UTC RFC 3339 ('...Z');
-- money is integer minor units; every row has a stable uid that survives export and import.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    company_id     INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    email          TEXT,
    phone          TEXT,
    address        TEXT,
    status         TEXT NOT NULL DEFAULT 'lead'
                   CHECK (status IN ('lead', 'prospect', 'client', 'former', 'lost')),
    source         TEXT,
    referred_by_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    last_note_at   TEXT,         -- kept by the notes triggers below
    next_due       TEXT,         -- earliest open follow-up, kept by the follow_ups triggers
    archived_at    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE INDEX contacts_phone ON contacts(phone) WHERE phone IS NOT NULL;
CREATE INDEX contacts_active ON contacts(status) WHERE archived_at IS NULL;
CREATE INDEX contacts_company ON contacts(company_id) WHERE company_id IS NOT NULL;
CREATE INDEX contacts_referred_by ON contacts(referred_by_id) WHERE referred_by_id IS NOT NULL;
-- Today's "no next step": active contacts without an open follow-up, never contacted first,
-- then longest since the last contact.
CREATE INDEX contacts_no_next_step
    ON contacts(last_note_at IS NOT NULL, coalesce(last_note_at, created_at), name, kind)
    WHERE next_due IS NULL AND archived_at IS NULL AND status IN ('lead', 'prospect', 'client');

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag, contact_id);

-- Free profile fields: likes, allergies, birthday, preferred channel, anything.
CREATE TABLE contact_fields (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (contact_id, key)
) WITHOUT ROWID;

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'call', 'email', 'meeting')),
    body       TEXT NOT NULL,
    at         TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_contact_at ON notes(contact_id, at);
CREATE INDEX notes_at ON notes(at);

CREATE VIRTUAL TABLE notes_fts USING fts5(
    body,
    content = 'notes',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
    UPDATE contacts SET last_note_at = new.at
     WHERE id = new.contact_id AND (last_note_at IS NULL OR last_note_at < new.at);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
    UPDATE contacts SET last_note_at = (SELECT max(at) FROM notes WHERE contact_id = old.contact_id)
     WHERE id = old.contact_id;
END;
CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
    UPDATE contacts SET last_note_at = (SELECT max(at) FROM notes WHERE contact_id = contacts.id)
     WHERE id IN (old.contact_id, new.contact_id);
END;

CREATE TABLE deals (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    value_minor    INTEGER NOT NULL DEFAULT 0,
    stage          TEXT NOT NULL DEFAULT 'new',
    probability    INTEGER CHECK (probability BETWEEN 0 AND 100), -- NULL: the stage's default
    expected_close TEXT,
    closed_at      TEXT,
    lost_reason    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX deals_contact ON deals(contact_id);
CREATE INDEX deals_stage ON deals(stage);

CREATE TABLE deal_stage_history (
    id         INTEGER PRIMARY KEY,
    deal_id    INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id, entered_at);

CREATE TABLE follow_ups (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    deal_id      INTEGER REFERENCES deals(id) ON DELETE SET NULL,
    text         TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    due_time     TEXT,
    recurrence   TEXT,           -- '2w', '1m', '3m': see model::followup::Recurrence
    recur_anchor TEXT,           -- the first due date of the series
    snoozes      INTEGER NOT NULL DEFAULT 0,
    done_at      TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX follow_ups_open_due ON follow_ups(due_date, due_time) WHERE done_at IS NULL;
CREATE INDEX follow_ups_open_contact ON follow_ups(contact_id, due_date) WHERE done_at IS NULL;
CREATE INDEX follow_ups_contact ON follow_ups(contact_id);
CREATE INDEX follow_ups_deal ON follow_ups(deal_id) WHERE deal_id IS NOT NULL;
CREATE TRIGGER follow_ups_ai AFTER INSERT ON follow_ups WHEN new.done_at IS NULL BEGIN
    UPDATE contacts SET next_due = new.due_date
     WHERE id = new.contact_id AND (next_due IS NULL OR next_due > new.due_date);
END;
CREATE TRIGGER follow_ups_au AFTER UPDATE OF contact_id, due_date, done_at ON follow_ups BEGIN
    UPDATE contacts SET next_due = (SELECT min(due_date) FROM follow_ups f
                                     WHERE f.contact_id = contacts.id AND f.done_at IS NULL)
     WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER follow_ups_ad AFTER DELETE ON follow_ups WHEN old.done_at IS NULL BEGIN
    UPDATE contacts SET next_due = (SELECT min(due_date) FROM follow_ups f
                                     WHERE f.contact_id = contacts.id AND f.done_at IS NULL)
     WHERE id = old.contact_id;
END;

-- Income (invoiced, then paid) and expenses, per contact and optionally per deal.
CREATE TABLE money_entries (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    deal_id      INTEGER REFERENCES deals(id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('income', 'expense')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    status       TEXT CHECK (status IN ('invoiced', 'paid')),
    on_date      TEXT NOT NULL,
    paid_on      TEXT,
    memo         TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX money_entries_contact ON money_entries(contact_id, on_date);
CREATE INDEX money_entries_date ON money_entries(on_date);
CREATE INDEX money_entries_deal ON money_entries(deal_id) WHERE deal_id IS NOT NULL;

CREATE TABLE time_entries (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    deal_id    INTEGER REFERENCES deals(id) ON DELETE SET NULL,
    minutes    INTEGER NOT NULL CHECK (minutes > 0),
    on_date    TEXT NOT NULL,
    memo       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX time_entries_contact ON time_entries(contact_id, on_date);
CREATE INDEX time_entries_date ON time_entries(on_date);

-- A recipe applied to a contact: a copy of its steps, ticked in order.
CREATE TABLE checklists (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    recipe       TEXT NOT NULL,
    title        TEXT NOT NULL,
    started_on   TEXT NOT NULL,
    completed_at TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX checklists_contact ON checklists(contact_id);

CREATE TABLE checklist_steps (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,
    checklist_id  INTEGER NOT NULL REFERENCES checklists(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    kind          TEXT CHECK (kind IN ('call', 'email', 'meeting', 'task')),
    offset_days   INTEGER,
    offset_from   TEXT CHECK (offset_from IN ('start', 'previous')),
    note_template TEXT,
    follow_up_id  INTEGER REFERENCES follow_ups(id) ON DELETE SET NULL,
    done_at       TEXT,
    UNIQUE (checklist_id, position)
);
CREATE INDEX checklist_steps_follow_up ON checklist_steps(follow_up_id) WHERE follow_up_id IS NOT NULL;
