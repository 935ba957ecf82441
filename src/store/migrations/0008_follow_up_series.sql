-- A repeating follow-up is one row per occurrence; `series` names the first occurrence's uid
-- on every later one, so a calendar sees one task that moves on (one UID, an RRULE) rather
-- than a new task each time. NULL: the follow-up is the first of its series, or does not
-- repeat.
ALTER TABLE follow_ups ADD COLUMN series TEXT;

-- Occurrences made before this column existed: the same contact, text, repeat and anchor.
UPDATE follow_ups SET series = (
    SELECT f2.uid FROM follow_ups f2
     WHERE f2.contact_id = follow_ups.contact_id AND f2.text = follow_ups.text
       AND f2.recurrence = follow_ups.recurrence AND f2.recur_anchor = follow_ups.recur_anchor
     ORDER BY f2.id LIMIT 1)
 WHERE recurrence IS NOT NULL AND recur_anchor IS NOT NULL;
UPDATE follow_ups SET series = NULL WHERE series = uid;

CREATE INDEX follow_ups_series ON follow_ups(series) WHERE series IS NOT NULL;
