-- When nothing else matches, `tend search` and `tend show` try every contact's name fuzzily
-- (a typo still finds them). Stepping through 100,000 entries of the names index cost 10-15
-- ms; the same names packed 128 to a row are 800 rows of a few kilobytes, read in about 2.
-- A pack is its contacts' ids and names, in id order: "id US name RS id US name ...", with
-- the two separator characters (31 and 30) kept out of the names.
-- A derived copy, like the search indexes: `tend doctor --full` compares it with the
-- contacts, and `tend doctor --rebuild` makes it again. Sync and export ignore it.
CREATE TABLE contact_name_packs (
    pack  INTEGER PRIMARY KEY,  -- contact id >> 7
    names TEXT NOT NULL
);

-- Each contact's line in its pack. Triggers ask for one pack by its range of ids, which reads
-- at most 128 rows of contacts by their primary key.
CREATE VIEW contact_name_lines(id, line) AS
SELECT id, id || char(31) || replace(replace(name, char(30), ' '), char(31), ' ') FROM contacts;

-- What each pack should hold (the first fill, and doctor's comparison).
CREATE VIEW contact_name_pack_text(pack, names) AS
SELECT id >> 7, group_concat(line, char(30))
  FROM (SELECT id, line FROM contact_name_lines ORDER BY id)
 GROUP BY id >> 7;

INSERT INTO contact_name_packs(pack, names) SELECT pack, names FROM contact_name_pack_text;

CREATE TRIGGER contact_name_packs_ai AFTER INSERT ON contacts BEGIN
    DELETE FROM contact_name_packs WHERE pack = new.id >> 7;
    INSERT INTO contact_name_packs(pack, names)
    SELECT new.id >> 7, group_concat(line, char(30))
      FROM (SELECT line FROM contact_name_lines
             WHERE id BETWEEN (new.id >> 7) << 7 AND ((new.id >> 7) << 7) + 127 ORDER BY id)
    HAVING count(*) > 0;
END;
CREATE TRIGGER contact_name_packs_au AFTER UPDATE OF id, name ON contacts BEGIN
    DELETE FROM contact_name_packs WHERE pack IN (old.id >> 7, new.id >> 7);
    INSERT INTO contact_name_packs(pack, names)
    SELECT id >> 7, group_concat(line, char(30))
      FROM (SELECT id, line FROM contact_name_lines
             WHERE id BETWEEN (old.id >> 7) << 7 AND ((old.id >> 7) << 7) + 127
                OR id BETWEEN (new.id >> 7) << 7 AND ((new.id >> 7) << 7) + 127
             ORDER BY id)
     GROUP BY id >> 7;
END;
CREATE TRIGGER contact_name_packs_ad AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_name_packs WHERE pack = old.id >> 7;
    INSERT INTO contact_name_packs(pack, names)
    SELECT old.id >> 7, group_concat(line, char(30))
      FROM (SELECT line FROM contact_name_lines
             WHERE id BETWEEN (old.id >> 7) << 7 AND ((old.id >> 7) << 7) + 127 ORDER BY id)
    HAVING count(*) > 0;
END;
