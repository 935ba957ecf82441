-- Evidence for deletes (`tend sync`): for each row, the last batch of each replica that made
-- or changed it, and for a contact (and a deal, and a checklist) the last that made or changed
-- anything it has. A delete goes ahead only when its author had seen every one of them; the
-- field clocks in sync_clock keep only the change that won each field, which is not enough
-- to tell (a change that lost a field to a later one still counts as an edit the deleter had
-- not seen).
CREATE TABLE sync_written (
    tbl     TEXT NOT NULL,
    key     TEXT NOT NULL,
    replica TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (tbl, key, replica)
) WITHOUT ROWID;

-- What the field clocks already know (a replica made at version 16).
INSERT INTO sync_written (tbl, key, replica, seq)
    SELECT tbl, key, replica, max(seq) FROM sync_clock WHERE seq > 0 GROUP BY tbl, key, replica;

-- A field set when its row was made, and not since, needs no clock of its own: its row's
-- ('') stands for it. (Most of a replica's clocks: one per row instead of one per field.)
DELETE FROM sync_clock AS c
 WHERE c.col <> ''
   AND EXISTS (SELECT 1 FROM sync_clock r
                WHERE r.tbl = c.tbl AND r.key = c.key AND r.col = ''
                  AND r.hlc = c.hlc AND r.replica = c.replica AND r.seq = c.seq);
