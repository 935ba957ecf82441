-- The uids of contacts merged into another: importing the duplicate's card again (it carries
-- its old uid) updates the contact it was merged into instead of making it anew.
CREATE TABLE contact_aliases (
    alias      TEXT NOT NULL PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE
);
CREATE INDEX contact_aliases_contact ON contact_aliases(contact_id);
