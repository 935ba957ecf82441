-- An id once shown (f#40 in a terminal's scrollback, in a reminder, in an assistant's memory)
-- never names another row later. SQLite gives a new row one more than the largest id in its
-- table, so when the newest row was deleted (an undo, a delete) the next row took its id, and
-- `tend done f#40` would complete somebody else's step. Deleting a table's highest row records
-- its id here; new rows are numbered above it (store::next_id).
CREATE TABLE id_floor (
    tbl  TEXT PRIMARY KEY,
    last INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER contacts_id_floor AFTER DELETE ON contacts
WHEN old.id > coalesce((SELECT max(id) FROM contacts), 0) BEGIN
    INSERT INTO id_floor (tbl, last) VALUES ('contacts', old.id)
        ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER notes_id_floor AFTER DELETE ON notes
WHEN old.id > coalesce((SELECT max(id) FROM notes), 0) BEGIN
    INSERT INTO id_floor (tbl, last) VALUES ('notes', old.id)
        ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER follow_ups_id_floor AFTER DELETE ON follow_ups
WHEN old.id > coalesce((SELECT max(id) FROM follow_ups), 0) BEGIN
    INSERT INTO id_floor (tbl, last) VALUES ('follow_ups', old.id)
        ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER deals_id_floor AFTER DELETE ON deals
WHEN old.id > coalesce((SELECT max(id) FROM deals), 0) BEGIN
    INSERT INTO id_floor (tbl, last) VALUES ('deals', old.id)
        ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER money_entries_id_floor AFTER DELETE ON money_entries
WHEN old.id > coalesce((SELECT max(id) FROM money_entries), 0) BEGIN
    INSERT INTO id_floor (tbl, last) VALUES ('money_entries', old.id)
        ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
CREATE TRIGGER time_entries_id_floor AFTER DELETE ON time_entries
WHEN old.id > coalesce((SELECT max(id) FROM time_entries), 0) BEGIN
    INSERT INTO id_floor (tbl, last) VALUES ('time_entries', old.id)
        ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
END;
