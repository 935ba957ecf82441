-- Money and time summed per contact per month and per year, and for everyone, kept by
-- triggers in the same transaction as every write to the entries — a capture, an edit, an
-- undo, a merge, an import or a sync all go through them — so the profit report, Insights
-- and the Profit tab read a few thousand sums instead of every entry. `tend doctor` checks
-- the sums against the entries and `tend doctor --rebuild` makes them again. A derived table:
-- not exported, not synced (each machine keeps its own).
CREATE TABLE money_rollup (
    -- 'm' a contact's month, 'y' a contact's year; 'M' and 'Y' the same for everyone (contact 0)
    span       TEXT NOT NULL CHECK (span IN ('m', 'y', 'M', 'Y')),
    -- '2026-11' for a month, '2026' for a year
    period     TEXT NOT NULL,
    contact_id INTEGER NOT NULL,
    revenue    INTEGER NOT NULL,
    paid       INTEGER NOT NULL,
    expenses   INTEGER NOT NULL,
    minutes    INTEGER NOT NULL,
    -- how many entries the row sums; a row that sums none is removed
    entries    INTEGER NOT NULL,
    PRIMARY KEY (span, period, contact_id)
) WITHOUT ROWID;

CREATE TRIGGER money_rollup_ai AFTER INSERT ON money_entries BEGIN
    INSERT INTO money_rollup (span, period, contact_id, revenue, paid, expenses, minutes, entries)
    VALUES
        ('m', substr(new.on_date, 1, 7), new.contact_id,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1),
        ('M', substr(new.on_date, 1, 7), 0,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1),
        ('y', substr(new.on_date, 1, 4), new.contact_id,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1),
        ('Y', substr(new.on_date, 1, 4), 0,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1)
    ON CONFLICT (span, period, contact_id) DO UPDATE SET
        revenue = revenue + excluded.revenue, paid = paid + excluded.paid,
        expenses = expenses + excluded.expenses, minutes = minutes + excluded.minutes,
        entries = entries + excluded.entries;
END;

CREATE TRIGGER money_rollup_ad AFTER DELETE ON money_entries BEGIN
    UPDATE money_rollup SET
        revenue = revenue - CASE WHEN old.kind = 'income' THEN old.amount_minor ELSE 0 END,
        paid = paid - CASE WHEN old.kind = 'income' AND old.status = 'paid' THEN old.amount_minor ELSE 0 END,
        expenses = expenses - CASE WHEN old.kind = 'expense' THEN old.amount_minor ELSE 0 END,
                entries = entries - 1
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)));
    DELETE FROM money_rollup
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)))
       AND entries = 0;
END;

CREATE TRIGGER money_rollup_au AFTER UPDATE OF contact_id, kind, amount_minor, status, on_date ON money_entries BEGIN
    UPDATE money_rollup SET
        revenue = revenue - CASE WHEN old.kind = 'income' THEN old.amount_minor ELSE 0 END,
        paid = paid - CASE WHEN old.kind = 'income' AND old.status = 'paid' THEN old.amount_minor ELSE 0 END,
        expenses = expenses - CASE WHEN old.kind = 'expense' THEN old.amount_minor ELSE 0 END,
                entries = entries - 1
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)));
    DELETE FROM money_rollup
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)))
       AND entries = 0;
    INSERT INTO money_rollup (span, period, contact_id, revenue, paid, expenses, minutes, entries)
    VALUES
        ('m', substr(new.on_date, 1, 7), new.contact_id,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1),
        ('M', substr(new.on_date, 1, 7), 0,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1),
        ('y', substr(new.on_date, 1, 4), new.contact_id,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1),
        ('Y', substr(new.on_date, 1, 4), 0,
         CASE WHEN new.kind = 'income' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'income' AND new.status = 'paid' THEN new.amount_minor ELSE 0 END,
         CASE WHEN new.kind = 'expense' THEN new.amount_minor ELSE 0 END, 0, 1)
    ON CONFLICT (span, period, contact_id) DO UPDATE SET
        revenue = revenue + excluded.revenue, paid = paid + excluded.paid,
        expenses = expenses + excluded.expenses, minutes = minutes + excluded.minutes,
        entries = entries + excluded.entries;
END;

CREATE TRIGGER time_rollup_ai AFTER INSERT ON time_entries BEGIN
    INSERT INTO money_rollup (span, period, contact_id, revenue, paid, expenses, minutes, entries)
    VALUES
        ('m', substr(new.on_date, 1, 7), new.contact_id,
         0,
         0,
         0, new.minutes, 1),
        ('M', substr(new.on_date, 1, 7), 0,
         0,
         0,
         0, new.minutes, 1),
        ('y', substr(new.on_date, 1, 4), new.contact_id,
         0,
         0,
         0, new.minutes, 1),
        ('Y', substr(new.on_date, 1, 4), 0,
         0,
         0,
         0, new.minutes, 1)
    ON CONFLICT (span, period, contact_id) DO UPDATE SET
        revenue = revenue + excluded.revenue, paid = paid + excluded.paid,
        expenses = expenses + excluded.expenses, minutes = minutes + excluded.minutes,
        entries = entries + excluded.entries;
END;

CREATE TRIGGER time_rollup_ad AFTER DELETE ON time_entries BEGIN
    UPDATE money_rollup SET
        revenue = revenue - 0,
        paid = paid - 0,
        expenses = expenses - 0,
        minutes = minutes - old.minutes,
        entries = entries - 1
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)));
    DELETE FROM money_rollup
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)))
       AND entries = 0;
END;

CREATE TRIGGER time_rollup_au AFTER UPDATE OF contact_id, minutes, on_date ON time_entries BEGIN
    UPDATE money_rollup SET
        revenue = revenue - 0,
        paid = paid - 0,
        expenses = expenses - 0,
        minutes = minutes - old.minutes,
        entries = entries - 1
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)));
    DELETE FROM money_rollup
     WHERE contact_id IN (old.contact_id, 0)
       AND ((span IN ('m', 'M') AND period = substr(old.on_date, 1, 7))
         OR (span IN ('y', 'Y') AND period = substr(old.on_date, 1, 4)))
       AND entries = 0;
    INSERT INTO money_rollup (span, period, contact_id, revenue, paid, expenses, minutes, entries)
    VALUES
        ('m', substr(new.on_date, 1, 7), new.contact_id,
         0,
         0,
         0, new.minutes, 1),
        ('M', substr(new.on_date, 1, 7), 0,
         0,
         0,
         0, new.minutes, 1),
        ('y', substr(new.on_date, 1, 4), new.contact_id,
         0,
         0,
         0, new.minutes, 1),
        ('Y', substr(new.on_date, 1, 4), 0,
         0,
         0,
         0, new.minutes, 1)
    ON CONFLICT (span, period, contact_id) DO UPDATE SET
        revenue = revenue + excluded.revenue, paid = paid + excluded.paid,
        expenses = expenses + excluded.expenses, minutes = minutes + excluded.minutes,
        entries = entries + excluded.entries;
END;

-- Fill it from what is there.
INSERT INTO money_rollup (span, period, contact_id, revenue, paid, expenses, minutes, entries)
SELECT s.span,
       CASE WHEN s.span IN ('m', 'M') THEN substr(e.on_date, 1, 7) ELSE substr(e.on_date, 1, 4) END,
       e.contact_id * s.one,
       sum(e.revenue), sum(e.paid), sum(e.expenses), sum(e.minutes), count(*)
  FROM (SELECT contact_id, on_date,
               CASE WHEN kind = 'income' THEN amount_minor ELSE 0 END AS revenue,
               CASE WHEN kind = 'income' AND status = 'paid' THEN amount_minor ELSE 0 END AS paid,
               CASE WHEN kind = 'expense' THEN amount_minor ELSE 0 END AS expenses,
               0 AS minutes
          FROM money_entries
        UNION ALL
        SELECT contact_id, on_date, 0, 0, 0, minutes FROM time_entries) AS e,
       (SELECT 'm' AS span, 1 AS one UNION ALL SELECT 'y', 1
        UNION ALL SELECT 'M', 0 UNION ALL SELECT 'Y', 0) AS s
 GROUP BY 1, 2, 3;

-- Won deals by the day they closed, for the deals-won column.
CREATE INDEX deals_won_closed ON deals(closed_at) WHERE stage = 'won';
