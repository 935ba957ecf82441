-- A merge keeps the duplicate's name and email as "other name" / "other email" fields, and an
-- import keeps further emails as "email (work)", "email 2": `tend note alex@home.example`
-- finds the contact by them, through this index rather than a scan of every field.
CREATE INDEX contact_fields_other_values ON contact_fields(value COLLATE NOCASE)
    WHERE key GLOB 'other *' OR key GLOB 'email*';
