-- Every change a front end made, newest last, with the operation that reverses it (JSON), so
-- `tend undo` in the shell and `u` in the app undo the same changes, whoever made them.
CREATE TABLE undo_log (
    id        INTEGER PRIMARY KEY,
    made_at   TEXT NOT NULL,
    made_by   TEXT NOT NULL,
    what      TEXT NOT NULL,
    undo      TEXT NOT NULL,
    undone_at TEXT
);
CREATE INDEX undo_log_open ON undo_log(id) WHERE undone_at IS NULL;
