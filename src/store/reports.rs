//! The sums behind the reports: money, time and deals per client, per month, per source and per
//! referrer; deal stage history; hygiene checks. Figures are worked out in `model`.

use chrono::NaiveDate;
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

/// One contact's sums over a range.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientTotals {
    pub id: i64,
    pub name: String,
    pub totals: Totals,
    pub last_note_at: Option<String>,
}

/// Per contact with any money, time or won deal in the range: name, sums, last interaction.
pub fn client_totals(
    conn: &Connection,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<ClientTotals>> {
    let (from, to) = bounds(range);
    let mut stmt = conn.prepare_cached(
        "WITH m AS (SELECT contact_id,
                           sum(CASE WHEN kind = 'income' THEN amount_minor ELSE 0 END) AS rev,
                           sum(CASE WHEN kind = 'income' AND status = 'paid' THEN amount_minor ELSE 0 END) AS paid,
                           sum(CASE WHEN kind = 'expense' THEN amount_minor ELSE 0 END) AS exp
                      FROM money_entries WHERE on_date BETWEEN ?1 AND ?2 GROUP BY contact_id),
              t AS (SELECT contact_id, sum(minutes) AS mins FROM time_entries
                     WHERE on_date BETWEEN ?1 AND ?2 GROUP BY contact_id),
              w AS (SELECT contact_id, count(*) AS won FROM deals
                     WHERE stage = 'won' AND substr(closed_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY contact_id),
              ids AS (SELECT contact_id FROM m UNION SELECT contact_id FROM t UNION SELECT contact_id FROM w)
         SELECT c.id, c.name, coalesce(m.rev, 0), coalesce(m.paid, 0), coalesce(m.exp, 0),
                coalesce(t.mins, 0), coalesce(w.won, 0), c.last_note_at
           FROM ids JOIN contacts c ON c.id = ids.contact_id
           LEFT JOIN m ON m.contact_id = c.id LEFT JOIN t ON t.contact_id = c.id
           LEFT JOIN w ON w.contact_id = c.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(ClientTotals {
            id: r.get(0)?,
            name: r.get(1)?,
            totals: Totals {
                revenue: r.get(2)?,
                paid: r.get(3)?,
                expenses: r.get(4)?,
                minutes: r.get(5)?,
                deals_won: r.get(6)?,
            },
            last_note_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    pub contacts: i64,
    pub clients: i64,
    pub revenue: i64,
    pub expenses: i64,
    pub minutes: i64,
}

const GROUP_SUMS: &str = "count(*), sum(c.status IN ('client', 'former')),
     coalesce(sum((SELECT sum(amount_minor) FROM money_entries m WHERE m.contact_id = c.id AND m.kind = 'income' AND m.on_date BETWEEN ?1 AND ?2)), 0),
     coalesce(sum((SELECT sum(amount_minor) FROM money_entries m WHERE m.contact_id = c.id AND m.kind = 'expense' AND m.on_date BETWEEN ?1 AND ?2)), 0),
     coalesce(sum((SELECT sum(minutes) FROM time_entries t WHERE t.contact_id = c.id AND t.on_date BETWEEN ?1 AND ?2)), 0)";

/// Lead sources with the contacts, clients, money and time they brought.
pub fn by_source(conn: &Connection, range: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Group>> {
    let (from, to) = bounds(range);
    let sql = format!(
        "SELECT coalesce(nullif(lower(trim(c.source)), ''), '(not recorded)'), {GROUP_SUMS}
           FROM contacts c WHERE c.kind = 'person' GROUP BY 1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(Group {
            id: None,
            name: r.get(0)?,
            contacts: r.get(1)?,
            clients: r.get(2)?,
            revenue: r.get(3)?,
            expenses: r.get(4)?,
            minutes: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Referrers with the people they referred and what those people brought.
pub fn by_referrer(conn: &Connection, range: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Group>> {
    let (from, to) = bounds(range);
    let sql = format!(
        "SELECT r.id, r.name, {GROUP_SUMS}
           FROM contacts c JOIN contacts r ON r.id = c.referred_by_id GROUP BY r.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(Group {
            id: r.get(0)?,
            name: r.get(1)?,
            contacts: r.get(2)?,
            clients: r.get(3)?,
            revenue: r.get(4)?,
            expenses: r.get(5)?,
            minutes: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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

/// Cheap counts for Today's hygiene line: quiet leads, contacts sharing an email, open deals
/// past their expected close.
pub fn hygiene_counts(
    conn: &Connection,
    stale_before: &str,
    today: NaiveDate,
) -> Result<(i64, i64, i64)> {
    let stale: i64 = conn.query_row(
        "SELECT count(*) FROM contacts
          WHERE status = 'lead' AND archived_at IS NULL AND coalesce(last_note_at, created_at) < ?1",
        [stale_before],
        |r| r.get(0),
    )?;
    let dupes: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM contacts WHERE email IS NOT NULL AND archived_at IS NULL
                                GROUP BY email COLLATE NOCASE HAVING count(*) > 1)",
        [],
        |r| r.get(0),
    )?;
    let overdue: i64 = conn.query_row(
        "SELECT count(*) FROM deals WHERE stage NOT IN ('won', 'lost') AND expected_close < ?1",
        [today],
        |r| r.get(0),
    )?;
    Ok((stale, dupes, overdue))
}
