-- A company whose people are in the book is looked after through them: it is not a lead gone
-- quiet of its own, nor counted again in the funnel (an imported sheet's organisation column
-- made every employer a "lead", and Today said "9 leads gone quiet" for 6 people). With the
-- kind in the quiet leads' index, counting them skips people without reading their rows and
-- looks up only the companies' people.
DROP INDEX contacts_quiet_leads;
CREATE INDEX contacts_quiet_leads ON contacts(coalesce(last_note_at, created_at), kind)
    WHERE status = 'lead' AND archived_at IS NULL;
