-- `tend status` runs in a shell prompt, so its counts must cost almost nothing: open follow-ups
-- due by today come from this index alone, and those of archived contacts (left out, as in
-- Today) are found from the few archived contacts rather than by looking at every contact.
CREATE INDEX follow_ups_open_due_contact ON follow_ups(due_date, contact_id) WHERE done_at IS NULL;
CREATE INDEX contacts_archived ON contacts(id) WHERE archived_at IS NOT NULL;
-- Today's "chase payment": income invoiced and not paid, oldest first, from this alone.
CREATE INDEX money_entries_unpaid ON money_entries(on_date)
    WHERE kind = 'income' AND status = 'invoiced';
