-- Finding a contact by the start of any word of its name ("ann", "o'bri", "zoe" for Zoë)
-- read every contact with LIKE '% ann%'. A full-text index of names answers it from an index
-- (a prefix query reads the range of words that start so), folding case and accents.
CREATE VIRTUAL TABLE contact_names USING fts5(
    name,
    content = 'contacts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
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
