-- `tend search` finds text inside contacts' details (email, phone, company, tags, fields,
-- source) and inside follow-ups. A LIKE '%text%' over every row read the whole of both
-- tables; at 100,000 contacts and 200,000 follow-ups that was most of a search. Trigram
-- indexes answer LIKE '%abc%' (three characters or more) from the index; the exact LIKE then
-- runs only on the rows they name.

-- Each contact's searchable details as one text, one value a line, in the order search tells
-- them (email, phone, company, tags, fields, source). A value may match across a line break
-- here; search checks each detail on its own afterwards, so that only narrows less.
CREATE VIEW contact_detail_text(id, vals) AS
SELECT c.id,
       concat_ws(char(10), c.email, c.phone, co.name,
           (SELECT group_concat(t.tag, char(10)) FROM contact_tags t WHERE t.contact_id = c.id),
           (SELECT group_concat(f.value, char(10)) FROM contact_fields f WHERE f.contact_id = c.id),
           c.source)
  FROM contacts c LEFT JOIN contacts co ON co.id = c.company_id AND co.kind = 'company';

-- Holds its own copy of the text (a view's old text is gone by the time a trigger runs, and an
-- external-content index needs it to delete), keyed by contact id.
CREATE VIRTUAL TABLE contact_details USING fts5(vals, tokenize = 'trigram');
INSERT INTO contact_details(rowid, vals)
    SELECT id, vals FROM contact_detail_text WHERE vals IS NOT NULL;

CREATE TRIGGER contact_details_ai AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text WHERE id = new.id AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_au AFTER UPDATE OF email, phone, source, company_id ON contacts BEGIN
    DELETE FROM contact_details WHERE rowid = new.id;
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text WHERE id = new.id AND vals IS NOT NULL;
END;
-- A company's name is a detail of the people who work there.
CREATE TRIGGER contact_details_company_au AFTER UPDATE OF name, kind ON contacts
WHEN old.kind = 'company' OR new.kind = 'company' BEGIN
    DELETE FROM contact_details WHERE rowid IN (SELECT id FROM contacts WHERE company_id = new.id);
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text
         WHERE id IN (SELECT id FROM contacts WHERE company_id = new.id) AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_ad AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_details WHERE rowid = old.id;
END;
CREATE TRIGGER contact_details_tag_ai AFTER INSERT ON contact_tags BEGIN
    DELETE FROM contact_details WHERE rowid = new.contact_id;
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text WHERE id = new.contact_id AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_tag_ad AFTER DELETE ON contact_tags BEGIN
    DELETE FROM contact_details WHERE rowid = old.contact_id;
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text WHERE id = old.contact_id AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_tag_au AFTER UPDATE ON contact_tags BEGIN
    DELETE FROM contact_details WHERE rowid IN (old.contact_id, new.contact_id);
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text
         WHERE id IN (old.contact_id, new.contact_id) AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_field_ai AFTER INSERT ON contact_fields BEGIN
    DELETE FROM contact_details WHERE rowid = new.contact_id;
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text WHERE id = new.contact_id AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_field_ad AFTER DELETE ON contact_fields BEGIN
    DELETE FROM contact_details WHERE rowid = old.contact_id;
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text WHERE id = old.contact_id AND vals IS NOT NULL;
END;
CREATE TRIGGER contact_details_field_au AFTER UPDATE ON contact_fields BEGIN
    DELETE FROM contact_details WHERE rowid IN (old.contact_id, new.contact_id);
    INSERT INTO contact_details(rowid, vals)
        SELECT id, vals FROM contact_detail_text
         WHERE id IN (old.contact_id, new.contact_id) AND vals IS NOT NULL;
END;

-- Follow-ups' text, indexed from the table itself.
CREATE VIRTUAL TABLE follow_ups_text USING fts5(
    text,
    content = 'follow_ups',
    content_rowid = 'id',
    tokenize = 'trigram'
);
INSERT INTO follow_ups_text(follow_ups_text) VALUES ('rebuild');
CREATE TRIGGER follow_ups_text_ai AFTER INSERT ON follow_ups BEGIN
    INSERT INTO follow_ups_text(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER follow_ups_text_ad AFTER DELETE ON follow_ups BEGIN
    INSERT INTO follow_ups_text(follow_ups_text, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER follow_ups_text_au AFTER UPDATE OF text ON follow_ups BEGIN
    INSERT INTO follow_ups_text(follow_ups_text, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO follow_ups_text(rowid, text) VALUES (new.id, new.text);
END;

-- Search lists follow-ups open first, then the latest due; reading them in that order finds a
-- common word among the first few thousand. With the text in the index, those are read from
-- the index alone (in this order each would be on a page of its own in the table).
CREATE INDEX follow_ups_search_order
    ON follow_ups(done_at IS NOT NULL, due_date DESC, id DESC, text);

-- The unarchived contacts by name, as lists show them: search checks the first few hundred's
-- details one by one, and reads them here without a visit to each row.
CREATE INDEX contacts_listed ON contacts(name COLLATE NOCASE) WHERE archived_at IS NULL;
