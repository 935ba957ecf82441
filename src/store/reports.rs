//! The sums behind the reports: money, time and deals per client, per month, per source and per
//! referrer; deal stage history; hygiene checks. Figures are worked out in `model`.

use chrono::NaiveDate;
use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::Serialize;

use super::contacts::parse_col;
use crate::error::Result;
use crate::model::deal::{Deal, Stage};
use crate::model::insights::DealHistory;
use crate::model::profit::Totals;

/// All of time, for queries that take a date range.
pub fn bounds(range: Option<(NaiveDate, NaiveDate)>) -> (String, String) {
    match range {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => ("0000-01-01".into(), "9999-12-31".into()),
    }
}

/// Money, time and won deals per contact over a range: three sequential passes (the tables
/// are read in storage order, NOT INDEXED, which beats a date-index lookup per entry when a
/// period covers half the rows).
pub fn client_totals(
    conn: &Connection,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Result<HashMap<i64, Totals>> {
    let (from, to) = bounds(range);
    let mut totals: HashMap<i64, Totals> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id,
                sum(CASE WHEN kind = 'income' THEN amount_minor ELSE 0 END),
                sum(CASE WHEN kind = 'income' AND status = 'paid' THEN amount_minor ELSE 0 END),
                sum(CASE WHEN kind = 'expense' THEN amount_minor ELSE 0 END)
           FROM money_entries NOT INDEXED WHERE on_date BETWEEN ?1 AND ?2 GROUP BY contact_id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let t = totals.entry(r.get(0)?).or_default();
        t.revenue = r.get(1)?;
        t.paid = r.get(2)?;
        t.expenses = r.get(3)?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, sum(minutes) FROM time_entries NOT INDEXED
          WHERE on_date BETWEEN ?1 AND ?2 GROUP BY contact_id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        totals.entry(r.get(0)?).or_default().minutes = r.get(1)?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, count(*) FROM deals
          WHERE stage = 'won' AND substr(closed_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY contact_id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        totals.entry(r.get(0)?).or_default().deals_won = r.get(1)?;
    }
    Ok(totals)
}

/// What the reports need to know of every contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub id: i64,
    pub name: String,
    pub is_person: bool,
    pub became_client: bool,
    pub source: Option<String>,
    pub referred_by_id: Option<i64>,
    pub last_note_at: Option<String>,
}

pub fn contact_meta(conn: &Connection) -> Result<HashMap<i64, Meta>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind = 'person', status IN ('client', 'former'), source, referred_by_id, last_note_at
           FROM contacts",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Meta {
            id: r.get(0)?,
            name: r.get(1)?,
            is_person: r.get(2)?,
            became_client: r.get(3)?,
            source: r.get(4)?,
            referred_by_id: r.get(5)?,
            last_note_at: r.get(6)?,
        })
    })?;
    rows.map(|m| m.map(|m| (m.id, m)))
        .collect::<rusqlite::Result<_>>()
        .map_err(Into::into)
}

/// Income billed per month ("2026-11"), for months from `from` (a first of the month) on.
pub fn revenue_by_month(conn: &Connection, from: NaiveDate) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT substr(on_date, 1, 7) AS month, sum(amount_minor) FROM money_entries
          WHERE kind = 'income' AND on_date >= ?1 GROUP BY month ORDER BY month",
    )?;
    let rows = stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every deal with its stage history, for conversion and timing figures.
pub fn deal_histories(conn: &Connection) -> Result<Vec<DealHistory>> {
    let mut deals: std::collections::HashMap<i64, DealHistory> = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, stage, created_at, closed_at FROM deals")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        deals.insert(
            r.get(0)?,
            DealHistory {
                stage: parse_col(r, 1)?,
                created_at: r.get(2)?,
                closed_at: r.get(3)?,
                moves: Vec::new(),
            },
        );
    }
    let mut stmt = conn.prepare_cached("SELECT deal_id, stage, entered_at FROM deal_stage_history ORDER BY deal_id, entered_at, id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let stage: Stage = parse_col(r, 1)?;
        if let Some(d) = deals.get_mut(&id) {
            d.moves.push((stage, r.get(2)?));
        }
    }
    Ok(deals.into_values().collect())
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
    let mut stmt = conn.prepare_cached(
        "SELECT status, count(*) FROM contacts WHERE archived_at IS NULL GROUP BY status",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Of the contacts that were ever leads: how many, and how many went on to be prospects
/// and clients (a former client was a client).
pub fn lead_conversion(conn: &Connection) -> Result<(i64, i64, i64)> {
    Ok(conn.query_row(
        "SELECT count(*), coalesce(sum(p), 0), coalesce(sum(c), 0) FROM (
             SELECT contact_id,
                    max(status IN ('prospect', 'client', 'former')) AS p,
                    max(status IN ('client', 'former')) AS c
               FROM contact_status_history GROUP BY contact_id
             HAVING max(status = 'lead') = 1)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
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

/// Leads (unarchived) with no interaction since `before` (a timestamp), oldest first.
pub fn stale_leads(conn: &Connection, before: &str) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, last_note_at FROM contacts
          WHERE status = 'lead' AND archived_at IS NULL AND coalesce(last_note_at, created_at) < ?1
          ORDER BY coalesce(last_note_at, created_at)",
    )?;
    let rows = stmt.query_map([before], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
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

/// Every unarchived contact's id, name, email and phone.
pub fn identities(conn: &Connection) -> Result<Vec<Identity>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, email, phone FROM contacts WHERE archived_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Identity {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            phone: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// The full-text indexes (of notes, of contact names) and what each indexes.
const SEARCH_INDEXES: [(&str, &str); 2] =
    [("notes_fts", "notes"), ("contact_names", "contact names")];

/// Full-text indexes that no longer match what they index (search would miss or mis-find):
/// FTS5's own check, which `quick_check` does not do. Empty when all are in step.
pub fn search_index_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (table, what) in SEARCH_INDEXES {
        let check = format!("INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = conn.execute(&check, []) {
            problems.push(format!("the search index of {what} is out of step ({e})"));
        }
    }
    Ok(problems)
}

/// Build every full-text index again from what it indexes.
pub fn rebuild_search_indexes(conn: &Connection) -> Result<()> {
    for (table, _) in SEARCH_INDEXES {
        conn.execute(
            &format!("INSERT INTO {table}({table}) VALUES ('rebuild')"),
            [],
        )?;
    }
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
        "SELECT count(*) FROM contacts INDEXED BY contacts_quiet_leads
          WHERE status = 'lead' AND archived_at IS NULL AND coalesce(last_note_at, created_at) < ?1",
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
