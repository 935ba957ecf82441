//! Deals and their stage history.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::contacts::parse_col;
use super::new_uid;
use crate::error::Result;
use crate::model::deal::{Deal, Stage};

#[derive(Debug, Clone)]
pub struct NewDeal {
    pub contact_id: i64,
    pub title: String,
    pub value_minor: i64,
    pub stage: Stage,
    pub probability: Option<u8>,
    pub expected_close: Option<NaiveDate>,
}

/// Insert a deal and the first entry of its stage history.
pub fn insert(conn: &Connection, d: &NewDeal, now: &str) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO deals (id, uid, contact_id, title, value_minor, stage, probability, expected_close,
                            closed_at, created_at, updated_at)
         VALUES ({}, ?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?5 IN ('won', 'lost') THEN ?8 END, ?8, ?8)",
        super::next_id("deals")
    ))?
    .execute(params![
        new_uid(),
        d.contact_id,
        d.title.trim(),
        d.value_minor,
        d.stage.as_str(),
        d.probability,
        d.expected_close,
        now,
    ])?;
    let id = conn.last_insert_rowid();
    record_stage(conn, id, d.stage, now)?;
    Ok(id)
}

pub fn record_stage(conn: &Connection, deal_id: i64, stage: Stage, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO deal_stage_history (deal_id, stage, entered_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![deal_id, stage.as_str(), at])?;
    Ok(())
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM deals", [], |r| r.get(0))?)
}

const COLUMNS: &str =
    "d.id, d.uid, d.contact_id, c.name, d.title, d.value_minor, d.stage, d.probability,
     d.expected_close, d.closed_at, d.lost_reason";

fn from_row(r: &Row) -> rusqlite::Result<Deal> {
    Ok(Deal {
        id: r.get(0)?,
        uid: r.get(1)?,
        contact_id: r.get(2)?,
        contact: r.get(3)?,
        title: r.get(4)?,
        value_minor: r.get(5)?,
        stage: parse_col(r, 6)?,
        probability: r.get(7)?,
        expected_close: r.get(8)?,
        closed_at: r.get(9)?,
        lost_reason: r.get(10)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.id = ?1"
    );
    Ok(conn.query_row(&sql, [id], from_row).optional()?)
}

/// Open deals, and deals closed since `closed_since` (a timestamp), biggest first in each stage.
pub fn pipeline(conn: &Connection, closed_since: &str) -> Result<Vec<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals d JOIN contacts c ON c.id = d.contact_id
          WHERE d.stage NOT IN ('won', 'lost') OR d.closed_at >= ?1
          ORDER BY d.value_minor DESC, d.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([closed_since], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every deal, or those in one stage: open ones first, biggest first, then closed, newest first.
pub fn list(conn: &Connection, stage: Option<Stage>) -> Result<Vec<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals d JOIN contacts c ON c.id = d.contact_id
          WHERE ?1 IS NULL OR d.stage = ?1
          ORDER BY d.closed_at IS NOT NULL, d.closed_at DESC, d.value_minor DESC, d.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([stage.map(Stage::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Set what an edit can change: title, value, expected close, probability (None: the stage's).
pub fn update(conn: &Connection, d: &Deal, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE deals SET title = ?2, value_minor = ?3, expected_close = ?4, probability = ?5,
                updated_at = ?6 WHERE id = ?1",
        params![
            d.id,
            d.title.trim(),
            d.value_minor,
            d.expected_close,
            d.probability,
            now
        ],
    )?;
    Ok(())
}

pub fn for_contact(conn: &Connection, contact_id: i64) -> Result<Vec<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals d JOIN contacts c ON c.id = d.contact_id
          WHERE d.contact_id = ?1 ORDER BY d.closed_at IS NOT NULL, d.created_at DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([contact_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Move a deal to `stage`, record it in the history, and return the history row's id.
pub fn set_stage(
    conn: &Connection,
    id: i64,
    stage: Stage,
    closed_at: Option<&str>,
    lost_reason: Option<&str>,
    now: &str,
) -> Result<i64> {
    conn.execute(
        "UPDATE deals SET stage = ?2, closed_at = ?3, lost_reason = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, stage.as_str(), closed_at, lost_reason, now],
    )?;
    record_stage(conn, id, stage, now)?;
    Ok(conn.last_insert_rowid())
}

/// Put a deal back as it was before a move (undo), dropping the move's history row.
pub fn restore(
    conn: &Connection,
    id: i64,
    stage: Stage,
    closed_at: Option<&str>,
    lost_reason: Option<&str>,
    history_id: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE deals SET stage = ?2, closed_at = ?3, lost_reason = ?4 WHERE id = ?1",
        params![id, stage.as_str(), closed_at, lost_reason],
    )?;
    conn.execute("DELETE FROM deal_stage_history WHERE id = ?1", [history_id])?;
    Ok(())
}

/// Set (or clear) when a deal is expected to close.
pub fn set_expected_close(
    conn: &Connection,
    id: i64,
    date: Option<NaiveDate>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE deals SET expected_close = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, date, now],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM deals WHERE id = ?1", [id])?;
    Ok(())
}
