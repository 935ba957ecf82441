//! Deals and their stage history.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::new_uid;
use crate::error::Result;
use crate::model::deal::Stage;

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
    conn.prepare_cached(
        "INSERT INTO deals (uid, contact_id, title, value_minor, stage, probability, expected_close,
                            closed_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?5 IN ('won', 'lost') THEN ?8 END, ?8, ?8)",
    )?
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
