-- Finding a contact by the start of any word of its name ("ann", "o'bri", "zoe" for Zoë)
-- read every contact with LIKE '% ann%'. A full-text index of names, with prefix indexes for
-- the first three letters, answers it from an index, folding case and accents as it goes.
CREATE VIRTUAL TABLE contact_names USING fts5(
    name,
    content = 'contacts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO contact_names(contact_names) VALUES ('rebuild');
CREATE TRIGGER contacts_names_ai AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_names(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER contacts_names_ad AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_names(contact_names, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER contacts_names_au AFTER UPDATE OF name ON contacts BEGIN
    INSERT INTO contact_names(contact_names, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO contact_names(rowid, name) VALUES (new.id, new.name);
END;
