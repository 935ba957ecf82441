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
    conn.prepare_cached(
        "INSERT INTO money_entries (uid, contact_id, deal_id, kind, amount_minor, status, on_date,
                                    paid_on, memo, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
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
    conn.prepare_cached(
        "INSERT INTO time_entries (uid, contact_id, deal_id, minutes, on_date, memo, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
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

/// An entry's amount (money, minor units) or minutes (time), and set it.
pub fn value(conn: &Connection, money: bool, id: i64) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    let sql = if money {
        "SELECT amount_minor FROM money_entries WHERE id = ?1"
    } else {
        "SELECT minutes FROM time_entries WHERE id = ?1"
    };
    Ok(conn.query_row(sql, [id], |r| r.get(0)).optional()?)
}

pub fn set_value(conn: &Connection, money: bool, id: i64, value: i64) -> Result<()> {
    let sql = if money {
        "UPDATE money_entries SET amount_minor = ?2 WHERE id = ?1"
    } else {
        "UPDATE time_entries SET minutes = ?2 WHERE id = ?1"
    };
    conn.execute(sql, rusqlite::params![id, value])?;
    Ok(())
}
