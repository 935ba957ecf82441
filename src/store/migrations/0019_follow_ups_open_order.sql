-- Today's sections in the order they are shown (by day, timed ones first, then by time), so
-- the first page of a section is read from the index without sorting every follow-up due in
-- its days.
CREATE INDEX follow_ups_open_order ON follow_ups(due_date, due_time IS NULL, due_time, id)
    WHERE done_at IS NULL;
