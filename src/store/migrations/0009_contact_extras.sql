-- What an imported card carries that tend has no column or field for, kept so that an export
-- gives it back: the structured name (N: prefix, given, additional, family, suffix), the
-- structured addresses (ADR), and properties tend does not read (IMPP, RELATED, ANNIVERSARY,
-- X-... of other programs). Each is one vCard content line, as calcard writes it in 4.0.
-- Not shown in the profile; exported with the contact, deleted with it.
CREATE TABLE contact_extras (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    line       TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
