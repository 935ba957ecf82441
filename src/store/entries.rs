//! Money (income and expenses) and time entries.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::new_uid;
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyKind {
    Income,
    Expense,
}

#[derive(Debug, Clone)]
pub struct NewMoney {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub kind: MoneyKind,
    pub amount_minor: i64,
    pub on_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub memo: Option<String>,
}

pub fn insert_money(conn: &Connection, m: &NewMoney, now: &str) -> Result<i64> {
    let (kind, status) = match (m.kind, m.paid_on) {
        (MoneyKind::Income, Some(_)) => ("income", Some("paid")),
        (MoneyKind::Income, None) => ("income", Some("invoiced")),
        (MoneyKind::Expense, _) => ("expense", None),
    };
    conn.prepare_cached(&format!(
        "INSERT INTO money_entries (id, uid, contact_id, deal_id, kind, amount_minor, status, on_date,
                                    paid_on, memo, created_at)
         VALUES ({}, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        super::next_id("money_entries")
    ))?
    .execute(params![
        new_uid(),
        m.contact_id,
        m.deal_id,
        kind,
        m.amount_minor,
        status,
        m.on_date,
        m.paid_on,
        m.memo,
        now,
    ])?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, Clone)]
pub struct NewTime {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub minutes: i64,
    pub on_date: NaiveDate,
    pub memo: Option<String>,
}

pub fn insert_time(conn: &Connection, t: &NewTime, now: &str) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO time_entries (id, uid, contact_id, deal_id, minutes, on_date, memo, created_at)
         VALUES ({}, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        super::next_id("time_entries")
    ))?
    .execute(params![
        new_uid(),
        t.contact_id,
        t.deal_id,
        t.minutes,
        t.on_date,
        t.memo,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Money and time for one contact, all time.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MoneySummary {
    pub invoiced_minor: i64,
    pub paid_minor: i64,
    pub expense_minor: i64,
    pub minutes: i64,
}

pub fn summary_for(conn: &Connection, contact_id: i64) -> Result<MoneySummary> {
    let (invoiced_minor, paid_minor, expense_minor) = conn.query_row(
        "SELECT coalesce(sum(CASE WHEN kind = 'income' THEN amount_minor END), 0),
                coalesce(sum(CASE WHEN kind = 'income' AND status = 'paid' THEN amount_minor END), 0),
                coalesce(sum(CASE WHEN kind = 'expense' THEN amount_minor END), 0)
           FROM money_entries WHERE contact_id = ?1",
        [contact_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let minutes = conn.query_row(
        "SELECT coalesce(sum(minutes), 0) FROM time_entries WHERE contact_id = ?1",
        [contact_id],
        |r| r.get(0),
    )?;
    Ok(MoneySummary {
        invoiced_minor,
        paid_minor,
        expense_minor,
        minutes,
    })
}

/// Mark an income entry paid on `on`; false when there is no such income entry.
pub fn mark_paid(conn: &Connection, id: i64, on: NaiveDate) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE money_entries SET status = 'paid', paid_on = ?2 WHERE id = ?1 AND kind = 'income'",
        params![id, on],
    )? > 0)
}

/// Remove one money (`money`) or time entry.
pub fn delete(conn: &Connection, money: bool, id: i64) -> Result<()> {
    let table = if money {
        "money_entries"
    } else {
        "time_entries"
    };
    conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
    Ok(())
}

/// Which of the three an entry is. Income and expenses share one table and one run of ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Income,
    Expense,
    Time,
}

impl EntryKind {
    pub fn is_money(self) -> bool {
        self != EntryKind::Time
    }

    pub fn table(self) -> &'static str {
        if self.is_money() {
            "money_entries"
        } else {
            "time_entries"
        }
    }
}

/// One entry as recorded, whichever kind.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub kind: EntryKind,
    pub contact_id: i64,
    pub contact: String,
    pub deal_id: Option<i64>,
    /// Income and expenses: the amount in minor units (pence, cents).
    pub amount_minor: Option<i64>,
    /// Time: minutes.
    pub minutes: Option<i64>,
    pub on_date: NaiveDate,
    /// Income: the day it was paid; None while invoiced.
    pub paid_on: Option<NaiveDate>,
    pub memo: Option<String>,
}

const ENTRY_COLUMNS: &str =
    "SELECT m.id, m.kind, m.contact_id, c.name, m.deal_id, m.amount_minor, NULL,
        m.on_date, CASE WHEN m.status = 'paid' THEN coalesce(m.paid_on, m.on_date) END, m.memo
   FROM money_entries m JOIN contacts c ON c.id = m.contact_id";
const TIME_COLUMNS: &str = "SELECT t.id, 'time', t.contact_id, c.name, t.deal_id, NULL, t.minutes,
        t.on_date, NULL, t.memo
   FROM time_entries t JOIN contacts c ON c.id = t.contact_id";

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<EntryRow> {
    let kind = match r.get::<_, String>(1)?.as_str() {
        "income" => EntryKind::Income,
        "expense" => EntryKind::Expense,
        _ => EntryKind::Time,
    };
    Ok(EntryRow {
        id: r.get(0)?,
        kind,
        contact_id: r.get(2)?,
        contact: r.get(3)?,
        deal_id: r.get(4)?,
        amount_minor: r.get(5)?,
        minutes: r.get(6)?,
        on_date: r.get(7)?,
        paid_on: r.get(8)?,
        memo: r.get(9)?,
    })
}

/// The money entry (`money`) or time entry `id`.
pub fn get(conn: &Connection, money: bool, id: i64) -> Result<Option<EntryRow>> {
    use rusqlite::OptionalExtension;
    let (select, alias) = if money {
        (ENTRY_COLUMNS, "m")
    } else {
        (TIME_COLUMNS, "t")
    };
    let sql = format!("{select} WHERE {alias}.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], entry_from_row)
        .optional()?)
}

/// Entries newest first (by date, then by when they were recorded), for one contact or all,
/// of the kinds asked for; at most `limit`.
pub fn list(
    conn: &Connection,
    contact_id: Option<i64>,
    kinds: &[EntryKind],
    limit: usize,
) -> Result<Vec<EntryRow>> {
    let mut out = Vec::new();
    // Two statements of each, so the one for a contact uses its index.
    let who = |alias: &str| {
        if contact_id.is_some() {
            format!("{alias}.contact_id = ?1")
        } else {
            "?1 IS NULL".to_string()
        }
    };
    let money: Vec<&str> = kinds
        .iter()
        .filter(|k| k.is_money())
        .map(|k| {
            if *k == EntryKind::Income {
                "'income'"
            } else {
                "'expense'"
            }
        })
        .collect();
    if !money.is_empty() {
        let sql = format!(
            "{ENTRY_COLUMNS} WHERE {} AND m.kind IN ({}) ORDER BY m.on_date DESC, m.id DESC LIMIT ?2",
            who("m"),
            money.join(", ")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![contact_id, limit as i64], entry_from_row)?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    if kinds.contains(&EntryKind::Time) {
        let sql = format!(
            "{TIME_COLUMNS} WHERE {} ORDER BY t.on_date DESC, t.id DESC LIMIT ?2",
            who("t")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![contact_id, limit as i64], entry_from_row)?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    out.sort_by(|a, b| {
        (b.on_date, b.kind.is_money(), b.id).cmp(&(a.on_date, a.kind.is_money(), a.id))
    });
    out.truncate(limit);
    Ok(out)
}

/// Write an entry's amount or minutes, date, deal, memo and (income) paid state as given.
pub fn update(conn: &Connection, e: &EntryRow) -> Result<()> {
    if e.kind.is_money() {
        let status = match (e.kind, e.paid_on) {
            (EntryKind::Income, Some(_)) => Some("paid"),
            (EntryKind::Income, None) => Some("invoiced"),
            _ => None,
        };
        conn.prepare_cached(
            "UPDATE money_entries SET amount_minor = ?2, on_date = ?3, deal_id = ?4, memo = ?5,
                    status = ?6, paid_on = ?7, contact_id = ?8 WHERE id = ?1",
        )?
        .execute(params![
            e.id,
            e.amount_minor,
            e.on_date,
            e.deal_id,
            e.memo,
            status,
            e.paid_on,
            e.contact_id
        ])?;
    } else {
        conn.prepare_cached(
            "UPDATE time_entries SET minutes = ?2, on_date = ?3, deal_id = ?4, memo = ?5,
                    contact_id = ?6 WHERE id = ?1",
        )?
        .execute(params![
            e.id,
            e.minutes,
            e.on_date,
            e.deal_id,
            e.memo,
            e.contact_id
        ])?;
    }
    Ok(())
}

/// Set an entry's amount (money, minor units) or minutes (time): the undo of a correction
/// recorded before entries were corrected whole (`Undo::RestoreAmount`).
pub fn set_value(conn: &Connection, money: bool, id: i64, value: i64) -> Result<()> {
    let sql = if money {
        "UPDATE money_entries SET amount_minor = ?2 WHERE id = ?1"
    } else {
        "UPDATE time_entries SET minutes = ?2 WHERE id = ?1"
    };
    conn.execute(sql, rusqlite::params![id, value])?;
    Ok(())
}

/// How many invoices dated on or before `cutoff` are not paid, counting no further than `cap`.
pub fn count_unpaid_by(conn: &Connection, cutoff: NaiveDate, cap: Option<usize>) -> Result<usize> {
    // From the index alone, less archived contacts' (as `followups::count_open_due_in`).
    let archived: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM contacts c INDEXED BY contacts_archived
               CROSS JOIN money_entries e INDEXED BY money_entries_contact
                 ON e.contact_id = c.id AND e.on_date <= ?1
              WHERE c.archived_at IS NOT NULL AND e.kind = 'income' AND e.status = 'invoiced'",
        )?
        .query_row(params![cutoff], |r| r.get(0))?;
    let all: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM money_entries INDEXED BY money_entries_unpaid
              WHERE kind = 'income' AND status = 'invoiced' AND on_date <= ?1 LIMIT ?2)",
        )?
        .query_row(
            params![cutoff, cap.map_or(-1, |c| c as i64 + archived)],
            |r| r.get(0),
        )?;
    Ok(super::within(all - archived, cap))
}

/// Income invoiced on or before `cutoff` and not paid, of unarchived contacts, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unpaid {
    pub id: i64,
    pub contact_id: i64,
    pub contact: String,
    pub amount_minor: i64,
    pub on_date: NaiveDate,
    pub memo: Option<String>,
}

/// Income invoiced on or before `cutoff` and not paid, oldest first, at most `limit`.
pub fn unpaid_by(
    conn: &Connection,
    cutoff: NaiveDate,
    limit: Option<usize>,
) -> Result<Vec<Unpaid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.contact_id, c.name, e.amount_minor, e.on_date, e.memo
           FROM money_entries e INDEXED BY money_entries_unpaid
           JOIN contacts c ON c.id = e.contact_id
          WHERE e.kind = 'income' AND e.status = 'invoiced' AND e.on_date <= ?1
            AND c.archived_at IS NULL
          ORDER BY e.on_date, e.id LIMIT ?2",
    )?;
    let limit = limit.map_or(-1, |l| l as i64);
    let rows = stmt.query_map(params![cutoff, limit], |r| {
        Ok(Unpaid {
            id: r.get(0)?,
            contact_id: r.get(1)?,
            contact: r.get(2)?,
            amount_minor: r.get(3)?,
            on_date: r.get(4)?,
            memo: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
