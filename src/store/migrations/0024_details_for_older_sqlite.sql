-- The book stays writable by the sqlite3 most machines have. Migration 20's view joined a
-- contact's details with concat_ws(), which SQLite gained in 3.44 (2023); the triggers that keep
-- the search index read the view, so with Debian 12's sqlite3 (3.40) every insert or change of a
-- contact, tag or field failed with "no such function: concat_ws". The same text, built from
-- operators every SQLite has: each detail that is not NULL after a line break, less the first.
-- (concat_ws skips NULLs, keeps empty strings and gives '' when all are NULL; so does this.)
DROP VIEW contact_detail_text;
CREATE VIEW contact_detail_text(id, vals) AS
SELECT c.id,
       substr(
           coalesce(char(10) || c.email, '') ||
           coalesce(char(10) || c.phone, '') ||
           coalesce(char(10) || co.name, '') ||
           coalesce(char(10) ||
               (SELECT group_concat(t.tag, char(10)) FROM contact_tags t WHERE t.contact_id = c.id), '') ||
           coalesce(char(10) ||
               (SELECT group_concat(f.value, char(10)) FROM contact_fields f WHERE f.contact_id = c.id), '') ||
           coalesce(char(10) || c.source, ''),
           2)
  FROM contacts c LEFT JOIN contacts co ON co.id = c.company_id AND co.kind = 'company';
