-- Indexes for Today's hygiene line, so counting quiet leads and overdue deals reads a short
-- index range instead of every contact and deal.
CREATE INDEX contacts_quiet_leads ON contacts(coalesce(last_note_at, created_at))
    WHERE status = 'lead' AND archived_at IS NULL;
CREATE INDEX deals_open_expected ON deals(expected_close)
    WHERE stage NOT IN ('won', 'lost');
