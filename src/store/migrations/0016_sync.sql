-- Two machines, one book (`tend sync`): what this replica must know to send its changes and
-- take in another's. See src/store/sync/mod.rs for the design; nothing here is exported.

-- This replica: its id, the folder it syncs through, its hybrid logical clock, its last batch.
CREATE TABLE sync_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The changes made here, one row per write transaction, uid-keyed (JSON), until they are in
-- the folder.
CREATE TABLE sync_outbox (
    seq  INTEGER PRIMARY KEY,
    hlc  TEXT NOT NULL,
    deps TEXT NOT NULL,
    ops  TEXT NOT NULL
);

-- For every replica (this one included): the last of its batches applied here.
CREATE TABLE sync_applied (
    replica TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL
) WITHOUT ROWID;

-- The change that last set each field of each row ('' for the row's creation): its clock,
-- and the replica and batch it came in, so that a later delete can tell whether its author
-- had seen it.
CREATE TABLE sync_clock (
    tbl     TEXT NOT NULL,
    key     TEXT NOT NULL,
    col     TEXT NOT NULL,
    hlc     TEXT NOT NULL,
    replica TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (tbl, key, col)
) WITHOUT ROWID;

-- Rows deleted (here or elsewhere): the row as it was, and what its deleter had seen, so an
-- edit it had not seen brings the row back instead of being lost.
CREATE TABLE sync_tomb (
    tbl  TEXT NOT NULL,
    key  TEXT NOT NULL,
    hlc  TEXT NOT NULL,
    seen TEXT NOT NULL,
    row  TEXT NOT NULL,
    PRIMARY KEY (tbl, key)
) WITHOUT ROWID;

-- Holds one row only inside a transaction that applies another replica's changes: the status
-- history then comes from that replica, not from these triggers.
CREATE TABLE sync_applying (x INTEGER);

DROP TRIGGER contacts_status_ai;
DROP TRIGGER contacts_status_au;

-- History rows get stable ids too, so that a merge moving one, and two rows alike in every
-- column, travel as what they are. Same rows and ids as before.
CREATE TABLE contact_status_history_new (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
INSERT INTO contact_status_history_new (id, contact_id, status, entered_at)
    SELECT id, contact_id, status, entered_at FROM contact_status_history;
DROP TABLE contact_status_history;
ALTER TABLE contact_status_history_new RENAME TO contact_status_history;
CREATE INDEX contact_status_history_contact ON contact_status_history(contact_id, entered_at);

CREATE TABLE deal_stage_history_new (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    deal_id    INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    entered_at TEXT NOT NULL
);
INSERT INTO deal_stage_history_new (id, deal_id, stage, entered_at)
    SELECT id, deal_id, stage, entered_at FROM deal_stage_history;
DROP TABLE deal_stage_history;
ALTER TABLE deal_stage_history_new RENAME TO deal_stage_history;
CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id, entered_at);
CREATE TRIGGER contacts_status_ai AFTER INSERT ON contacts
WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO contact_status_history (contact_id, status, entered_at)
    VALUES (new.id, new.status, new.created_at);
END;
CREATE TRIGGER contacts_status_au AFTER UPDATE OF status ON contacts
WHEN new.status <> old.status AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN
    INSERT INTO contact_status_history (contact_id, status, entered_at)
    VALUES (new.id, new.status, new.updated_at);
END;
