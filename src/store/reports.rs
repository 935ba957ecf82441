//! The sums behind the reports: money, time and deals per client, per month, per source and per
//! referrer; deal stage history; hygiene checks. Figures are worked out in `model`.

use chrono::NaiveDate;
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::contacts::{self, parse_col};
use crate::error::Result;
use crate::model::deal::{Deal, Stage};
use crate::model::insights::DealHistory;
use crate::model::profit::{self, Cover, Totals};

/// All of time, for queries that take a date range.
pub fn bounds(range: Option<(NaiveDate, NaiveDate)>) -> (String, String) {
    match range {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => ("0000-01-01".into(), "9999-12-31".into()),
    }
}

/// Money, time and won deals per contact over a range, read from the monthly and yearly sums
/// (`money_rollup`, kept by triggers) for the whole months and years in it, and from the
/// entries themselves only for the days at either end that make up no whole month.
pub fn client_totals(
    conn: &Connection,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Result<HashMap<i64, Totals>> {
    let cover = match range {
        Some((from, to)) => profit::cover(from, to),
        None => Cover {
            years: Some(("0000".into(), "9999".into())),
            ..Cover::default()
        },
    };
    // Each contact's sums, and how many entries they hold: one whose entries in the range
    // are all taken away again (`cover.less`) had none in it, and is left out.
    let mut sums: HashMap<i64, (Totals, i64)> = HashMap::new();
    let mut add = |r: &rusqlite::Row, sign: i64| -> rusqlite::Result<()> {
        let (t, n) = sums.entry(r.get(0)?).or_default();
        t.revenue += sign * r.get::<_, i64>(1)?;
        t.paid += sign * r.get::<_, i64>(2)?;
        t.expenses += sign * r.get::<_, i64>(3)?;
        t.minutes += sign * r.get::<_, i64>(4)?;
        *n += sign * r.get::<_, i64>(5)?;
        Ok(())
    };
    let mut rolled = conn.prepare_cached(
        // (No GROUP BY: the map adds the months up, without a sort.)
        "SELECT contact_id, revenue, paid, expenses, minutes, entries FROM money_rollup
          WHERE span = ?1 AND period BETWEEN ?2 AND ?3",
    )?;
    let spans = cover
        .years
        .iter()
        .map(|y| ("y", y))
        .chain(cover.months.iter().map(|m| ("m", m)));
    for (span, (from, to)) in spans {
        let mut rows = rolled.query(params![span, from, to])?;
        while let Some(r) = rows.next()? {
            add(r, 1)?;
        }
    }
    let mut money = conn.prepare_cached(
        "SELECT contact_id,
                sum(CASE WHEN kind = 'income' THEN amount_minor ELSE 0 END),
                sum(CASE WHEN kind = 'income' AND status = 'paid' THEN amount_minor ELSE 0 END),
                sum(CASE WHEN kind = 'expense' THEN amount_minor ELSE 0 END),
                0, count(*)
           FROM money_entries WHERE on_date BETWEEN ?1 AND ?2 GROUP BY contact_id",
    )?;
    let mut time = conn.prepare_cached(
        "SELECT contact_id, 0, 0, 0, sum(minutes), count(*) FROM time_entries
          WHERE on_date BETWEEN ?1 AND ?2 GROUP BY contact_id",
    )?;
    let days = cover.days.iter().map(|d| (d, 1));
    for ((from, to), sign) in days.chain(cover.less.iter().map(|d| (d, -1))) {
        for stmt in [&mut money, &mut time] {
            let mut rows = stmt.query(params![from, to])?;
            while let Some(r) = rows.next()? {
                add(r, sign)?;
            }
        }
    }
    let mut totals: HashMap<i64, Totals> = sums
        .into_iter()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(id, (t, _))| (id, t))
        .collect();
    let (from, to) = bounds(range);
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, count(*) FROM deals INDEXED BY deals_won_closed
          WHERE stage = 'won' AND closed_at >= ?1 AND closed_at < ?2 || 'T99' GROUP BY contact_id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        totals.entry(r.get(0)?).or_default().deals_won = r.get(1)?;
    }
    Ok(totals)
}

/// The names and last interactions of `ids`, looked up one by one (a report shows a few
/// thousand of a book that may hold a hundred thousand).
pub fn names_of(
    conn: &Connection,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, (String, Option<String>)>> {
    let mut stmt = conn.prepare_cached("SELECT name, last_note_at FROM contacts WHERE id = ?1")?;
    let mut out = HashMap::new();
    for id in ids {
        if let Some(found) = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            out.insert(id, found);
        }
    }
    Ok(out)
}

/// The sums behind `tend doctor`'s check of `money_rollup`: each row as kept, and as the
/// entries make it, wherever the two differ. Empty when they agree.
pub fn rollup_differences(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "WITH made AS ({ROLLUP_SUMS}),
              kept AS (SELECT span, period, contact_id, revenue, paid, expenses, minutes, entries
                         FROM money_rollup)
         SELECT span, period, contact_id FROM (SELECT * FROM made EXCEPT SELECT * FROM kept)
         UNION
         SELECT span, period, contact_id FROM (SELECT * FROM kept EXCEPT SELECT * FROM made)
         ORDER BY 1, 2, 3 LIMIT 20"
    ))?;
    let rows = stmt.query_map([], |r| {
        let (span, period, who): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let whose = if who == 0 {
            "everyone".to_string()
        } else {
            format!("contact #{who}")
        };
        let what = if span.eq_ignore_ascii_case("m") {
            "month"
        } else {
            "year"
        };
        Ok(format!("the {what} {period} of {whose}"))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Make `money_rollup` again from the entries.
pub fn rebuild_rollup(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM money_rollup", [])?;
    conn.execute(
        &format!(
            "INSERT INTO money_rollup (span, period, contact_id, revenue, paid, expenses, minutes, entries)
             {ROLLUP_SUMS}"
        ),
        [],
    )?;
    Ok(())
}

/// `money_rollup` as the entries make it (the same as migration 18's first fill).
const ROLLUP_SUMS: &str = "
    SELECT s.span AS span,
           CASE WHEN s.span IN ('m', 'M') THEN substr(e.on_date, 1, 7) ELSE substr(e.on_date, 1, 4) END
               AS period,
           e.contact_id * s.one AS contact_id,
           sum(e.revenue) AS revenue, sum(e.paid) AS paid, sum(e.expenses) AS expenses,
           sum(e.minutes) AS minutes, count(*) AS entries
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
     GROUP BY 1, 2, 3";

/// What the reports need to know of every contact.
/// A person (not a company) as the sources and referrals reports count them.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    /// Only of those who were referred: they are listed under their referrer.
    pub name: Option<String>,
    pub became_client: bool,
    pub source: Option<String>,
    pub referred_by_id: Option<i64>,
}

/// Every person, by id, one at a time.
pub fn each_person(conn: &Connection, mut f: impl FnMut(&Person)) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, CASE WHEN referred_by_id IS NOT NULL THEN name END,
                status IN ('client', 'former'), source, referred_by_id
           FROM contacts WHERE kind = 'person' ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(&Person {
            id: r.get(0)?,
            name: r.get(1)?,
            became_client: r.get(2)?,
            source: r.get(3)?,
            referred_by_id: r.get(4)?,
        });
    }
    Ok(())
}

/// Income billed per month ("2026-11"), for months from `from` (a first of the month) on, from
/// everyone's monthly sums.
pub fn revenue_by_month(conn: &Connection, from: NaiveDate) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT period, revenue FROM money_rollup
          WHERE span = 'M' AND period >= substr(?1, 1, 7) AND revenue <> 0 ORDER BY period",
    )?;
    let rows = stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every deal with its stage history, for conversion and timing figures.
pub fn each_deal_history(conn: &Connection, mut f: impl FnMut(&DealHistory)) -> Result<()> {
    // One deal at a time, its moves oldest first: the deals are read through, never held.
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.stage, d.created_at, d.closed_at, h.stage, h.entered_at
           FROM deals d LEFT JOIN deal_stage_history h ON h.deal_id = d.id
          ORDER BY d.id, h.entered_at, h.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<(i64, DealHistory)> = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if current.as_ref().is_none_or(|(at, _)| *at != id) {
            if let Some((_, d)) = current.take() {
                f(&d);
            }
            current = Some((
                id,
                DealHistory {
                    stage: parse_col(r, 1)?,
                    created_at: r.get(2)?,
                    closed_at: r.get(3)?,
                    moves: Vec::new(),
                },
            ));
        }
        let moved = r.get_ref(4)? != rusqlite::types::ValueRef::Null;
        if let (Some((_, d)), true) = (&mut current, moved) {
            d.moves.push((parse_col::<Stage>(r, 4)?, r.get(5)?));
        }
    }
    if let Some((_, d)) = current {
        f(&d);
    }
    Ok(())
}

/// People who became clients on or after `since` (a timestamp) for the first time (a company
/// comes with its people, so it is not counted again).
pub fn new_clients_since(conn: &Connection, since: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT h.contact_id) FROM contact_status_history h
          JOIN contacts c ON c.id = h.contact_id AND c.kind = 'person'
          WHERE h.status = 'client' AND h.entered_at >= ?1
            AND NOT EXISTS (SELECT 1 FROM contact_status_history e
                             WHERE e.contact_id = h.contact_id AND e.status = 'client' AND e.entered_at < ?1)",
        [since],
        |r| r.get(0),
    )?)
}

/// Contacts by their status now (people and companies, unarchived).
pub fn status_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    // Every contact by status from the status index, less the companies counted through their
    // people (found from the people's index): not a read of every row, which at 100,000
    // contacts was ten times slower.
    let mut stmt = conn.prepare_cached(
        "SELECT status, count(*) FROM contacts WHERE archived_at IS NULL GROUP BY status",
    )?;
    let mut counts: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.status, count(*) FROM contacts c
          WHERE c.id IN (SELECT company_id FROM contacts INDEXED BY contacts_company
                          WHERE company_id IS NOT NULL)
            AND c.kind = 'company' AND c.archived_at IS NULL
          GROUP BY c.status",
    )?;
    let with_people = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in with_people {
        let (status, n) = row?;
        if let Some(c) = counts.iter_mut().find(|(s, _)| *s == status) {
            c.1 -= n;
        }
    }
    counts.retain(|(_, n)| *n > 0);
    Ok(counts)
}

/// Of the contacts that were ever leads: how many, and how many went on to be prospects
/// and clients (a former client was a client).
pub fn lead_conversion(conn: &Connection) -> Result<(i64, i64, i64)> {
    // Everyone's history in one pass, less that of the companies counted through their
    // people (a few, read by index): a test of each contact's kind would cost a lookup each.
    const OF: &str = "SELECT count(*), coalesce(sum(p), 0), coalesce(sum(cl), 0) FROM (
             SELECT contact_id,
                    max(status IN ('prospect', 'client', 'former')) AS p,
                    max(status IN ('client', 'former')) AS cl
               FROM contact_status_history WHERE_COMPANIES GROUP BY contact_id
             HAVING max(status = 'lead') = 1)";
    let three = |r: &rusqlite::Row| -> rusqlite::Result<(i64, i64, i64)> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    };
    let all = conn.query_row(&OF.replace("WHERE_COMPANIES", ""), [], three)?;
    let companies = conn.query_row(
        &OF.replace(
            "WHERE_COMPANIES",
            "WHERE contact_id IN (SELECT c.id FROM contacts c
                     WHERE c.id IN (SELECT company_id FROM contacts INDEXED BY contacts_company
                                     WHERE company_id IS NOT NULL)
                       AND c.kind = 'company')",
        ),
        [],
        three,
    )?;
    Ok((
        all.0 - companies.0,
        all.1 - companies.1,
        all.2 - companies.2,
    ))
}

/// A group of contacts (by source or by referrer) and what they brought.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: Option<i64>,
    pub name: String,
    /// For a referrer: the people they referred.
    pub referred: Option<String>,
    pub contacts: i64,
    pub clients: i64,
    pub revenue: i64,
    pub expenses: i64,
    pub minutes: i64,
}

/// Open deals (not won or lost).
pub fn open_deals(conn: &Connection) -> Result<Vec<Deal>> {
    Ok(super::deals::pipeline(conn, "9999")?
        .into_iter()
        .filter(|d| !d.stage.is_closed())
        .collect())
}

/// Leads (unarchived) with no interaction since `before` (a timestamp), oldest first, at most
/// `limit` of them.
pub fn stale_leads(
    conn: &Connection,
    before: &str,
    limit: Option<usize>,
) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, last_note_at FROM contacts c INDEXED BY contacts_quiet_leads
          WHERE status = 'lead' AND archived_at IS NULL AND coalesce(last_note_at, created_at) < ?1
            AND NOT {}
          ORDER BY coalesce(last_note_at, created_at) LIMIT ?2",
        contacts::WITH_PEOPLE
    ))?;
    let limit = limit.map_or(-1, |l| l as i64);
    let rows = stmt.query_map(params![before, limit], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What tells contacts apart, for duplicate checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Every unarchived contact's id, name, email and phone, one at a time (a checkup of a large
/// book holds none of them).
pub fn each_identity(conn: &Connection, mut f: impl FnMut(Identity)) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, email, phone FROM contacts WHERE archived_at IS NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(Identity {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            phone: r.get(3)?,
        });
    }
    Ok(())
}

/// One contact's identity, archived or not.
pub fn identity(conn: &Connection, id: i64) -> Result<Option<Identity>> {
    Ok(conn
        .prepare_cached("SELECT id, name, email, phone FROM contacts WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Identity {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                phone: r.get(3)?,
            })
        })
        .optional()?)
}

/// The cheap check of `money_rollup`: everyone's month sums against the entries (one pass
/// over each table, summed here), and the contacts' month and year sums against everyone's.
/// Names what differs; empty when all agree. (It cannot see an amount moved from one contact's
/// row to another's: the full check, `rollup_differences`, can.)
pub fn rollup_total_problems(conn: &Connection) -> Result<Vec<String>> {
    use std::collections::BTreeMap;
    type Sums = [i64; 5];
    // By month first (a borrowed key per row, no allocation), then months into years.
    let mut months: HashMap<String, Sums> = HashMap::new();
    let mut add = |month: &str, v: Sums| match months.get_mut(month) {
        Some(t) => t.iter_mut().zip(v).for_each(|(a, b)| *a += b),
        None => {
            months.insert(month.to_owned(), v);
        }
    };
    let mut stmt = conn.prepare(
        "SELECT substr(on_date, 1, 7), kind = 'income', status = 'paid', amount_minor
           FROM money_entries NOT INDEXED",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (income, paid, amount): (bool, Option<bool>, i64) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let v = if income {
            [amount, if paid == Some(true) { amount } else { 0 }, 0, 0, 1]
        } else {
            [0, 0, amount, 0, 1]
        };
        add(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?, v);
    }
    let mut stmt =
        conn.prepare("SELECT substr(on_date, 1, 7), minutes FROM time_entries NOT INDEXED")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        add(
            r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?,
            [0, 0, 0, r.get(1)?, 1],
        );
    }
    let mut made: BTreeMap<(char, String), Sums> = BTreeMap::new();
    for (month, v) in months {
        let year = made
            .entry(('Y', month.chars().take(4).collect()))
            .or_default();
        year.iter_mut().zip(v).for_each(|(a, b)| *a += b);
        made.insert(('M', month), v);
    }
    let read = |sql: &str| -> Result<BTreeMap<(char, String), Sums>> {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let span: String = r.get(0)?;
            let key = (
                span.chars().next().unwrap_or('?').to_ascii_uppercase(),
                r.get(1)?,
            );
            out.insert(key, [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?]);
        }
        Ok(out)
    };
    let everyone = read(
        "SELECT span, period, revenue, paid, expenses, minutes, entries FROM money_rollup
          WHERE span IN ('M', 'Y')",
    )?;
    let by_contact = read(
        "SELECT span, period, sum(revenue), sum(paid), sum(expenses), sum(minutes), sum(entries)
           FROM money_rollup WHERE span IN ('m', 'y') GROUP BY span, period",
    )?;
    let mut problems = Vec::new();
    let name = |(span, period): &(char, String)| {
        format!("{} {period}", if *span == 'M' { "month" } else { "year" })
    };
    let keys: std::collections::BTreeSet<&(char, String)> = made
        .keys()
        .chain(everyone.keys())
        .chain(by_contact.keys())
        .collect();
    for key in keys {
        let [a, b, c] = [&made, &everyone, &by_contact].map(|m| m.get(key).copied());
        if a != b {
            problems.push(format!(
                "the {} sums for everyone differ from the entries",
                name(key)
            ));
        } else if a != c {
            problems.push(format!(
                "the {} sums per contact differ from everyone's",
                name(key)
            ));
        }
    }
    Ok(problems)
}

/// `PRAGMA quick_check` and `foreign_key_check`: problems found, empty when sound.
pub fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let s: String = r.get(0)?;
        if s != "ok" {
            problems.push(s);
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let table: String = r.get(0)?;
        let parent: String = r.get(2)?;
        problems.push(format!("a row of {table} points to a missing {parent}"));
    }
    Ok(problems)
}

/// The full-text indexes that read what they index from its own table (notes, contact names,
/// follow-ups' text), and what each indexes.
const SEARCH_INDEXES: [(&str, &str); 3] = [
    ("notes_fts", "notes"),
    ("contact_names", "contact names"),
    ("follow_ups_text", "follow-ups"),
];

/// The trigram index of contacts' details keeps its own copy of their text (see migration 20).
/// How many rows of it differ from the contacts' details now (either way round).
const DETAILS_OUT_OF_STEP: &str = "SELECT
    (SELECT count(*) FROM (SELECT rowid, vals FROM contact_details
                           EXCEPT SELECT id, vals FROM contact_detail_text WHERE vals IS NOT NULL))
  + (SELECT count(*) FROM (SELECT id, vals FROM contact_detail_text WHERE vals IS NOT NULL
                           EXCEPT SELECT rowid, vals FROM contact_details))";

/// The names packed for the fuzzy match (migration 22): how many packs differ from what the
/// contacts' names make now (either way round).
const NAME_PACKS_OUT_OF_STEP: &str = "SELECT
    (SELECT count(*) FROM (SELECT pack, names FROM contact_name_packs
                           EXCEPT SELECT pack, names FROM contact_name_pack_text))
  + (SELECT count(*) FROM (SELECT pack, names FROM contact_name_pack_text
                           EXCEPT SELECT pack, names FROM contact_name_packs))";

/// Full-text indexes that no longer match what they index (search would miss or mis-find):
/// FTS5's own check, which `quick_check` does not do, and the details' copy and the packed
/// names against the contacts. Empty when all are in step.
pub fn search_index_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (table, what) in SEARCH_INDEXES
        .iter()
        .chain([&("contact_details", "contact details")])
    {
        let check = format!("INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = conn.execute(&check, []) {
            problems.push(format!("the search index of {what} is out of step ({e})"));
        }
    }
    let stale: i64 = conn.query_row(DETAILS_OUT_OF_STEP, [], |r| r.get(0))?;
    if stale > 0 {
        problems.push(format!(
            "the search index of contact details is out of step ({stale} rows differ)"
        ));
    }
    let stale: i64 = conn.query_row(NAME_PACKS_OUT_OF_STEP, [], |r| r.get(0))?;
    if stale > 0 {
        problems.push(format!(
            "the packed names for fuzzy search are out of step ({stale} packs differ)"
        ));
    }
    Ok(problems)
}

/// Build every full-text index, and the packed names, again from what they index.
pub fn rebuild_search_indexes(conn: &Connection) -> Result<()> {
    for (table, _) in SEARCH_INDEXES {
        conn.execute(
            &format!("INSERT INTO {table}({table}) VALUES ('rebuild')"),
            [],
        )?;
    }
    conn.execute("DELETE FROM contact_details", [])?;
    conn.execute(
        "INSERT INTO contact_details(rowid, vals)
         SELECT id, vals FROM contact_detail_text WHERE vals IS NOT NULL",
        [],
    )?;
    conn.execute("DELETE FROM contact_name_packs", [])?;
    conn.execute(
        "INSERT INTO contact_name_packs(pack, names) SELECT pack, names FROM contact_name_pack_text",
        [],
    )?;
    Ok(())
}

/// Cheap counts for Today's hygiene line: quiet leads and open deals past their expected
/// close, each read from a partial index made for it. (Duplicates take a pass over every
/// email: `tend doctor` has them.)
pub fn hygiene_counts(
    conn: &Connection,
    stale_before: &str,
    today: NaiveDate,
) -> Result<(i64, i64)> {
    let stale: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM contacts c INDEXED BY contacts_quiet_leads
              WHERE status = 'lead' AND archived_at IS NULL
                AND coalesce(last_note_at, created_at) < ?1
                AND (kind = 'person' OR NOT {})",
            contacts::WITH_PEOPLE
        ),
        [stale_before],
        |r| r.get(0),
    )?;
    let overdue: i64 = conn.query_row(
        "SELECT count(*) FROM deals INDEXED BY deals_open_expected
          WHERE stage NOT IN ('won', 'lost') AND expected_close < ?1",
        [today],
        |r| r.get(0),
    )?;
    Ok((stale, overdue))
}
