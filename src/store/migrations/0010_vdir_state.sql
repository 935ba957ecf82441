-- `tend vdir sync`: what each file in the vdir held when tend and the folder last agreed, so
-- the next sync tells which side changed. `text` is that content (the base of a field-by-field
-- merge when both sides did); `mtime` and `size` let an unchanged file go unread; `stamp` is the
-- contact's updated_at then, so an unchanged contact goes unrendered.
CREATE TABLE vdir_state (
    kind  TEXT NOT NULL CHECK (kind IN ('contact', 'follow_up')),
    uid   TEXT NOT NULL,
    file  TEXT NOT NULL,
    text  TEXT NOT NULL,
    mtime INTEGER NOT NULL,
    size  INTEGER NOT NULL,
    stamp TEXT NOT NULL,
    PRIMARY KEY (kind, uid)
) WITHOUT ROWID;
