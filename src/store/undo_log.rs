//! The undo log: each change a front end made, with its reverse as JSON.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// One change as `tend undo --list` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Logged {
    pub id: i64,
    pub made_at: String,
    pub made_by: String,
    pub what: String,
    pub undone_at: Option<String>,
}

pub fn push(conn: &Connection, made_by: &str, what: &str, undo: &str, now: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO undo_log (made_at, made_by, what, undo) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![now, made_by, what, undo])?;
    Ok(conn.last_insert_rowid())
}

/// A change not undone yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Open {
    pub id: i64,
    pub made_by: String,
    pub what: String,
    /// Its reverse, as JSON.
    pub undo: String,
}

/// The newest change not undone yet.
pub fn latest(conn: &Connection) -> Result<Option<Open>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, made_by, what, undo FROM undo_log INDEXED BY undo_log_open
              WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok(Open {
                id: r.get(0)?,
                made_by: r.get(1)?,
                what: r.get(2)?,
                undo: r.get(3)?,
            })
        })
        .optional()?)
}

pub fn mark_undone(conn: &Connection, id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE undo_log SET undone_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Mark every change not undone yet as no longer undoable.
pub fn supersede_all(conn: &Connection, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE undo_log SET undone_at = ?1 WHERE undone_at IS NULL",
        [format!("superseded {now}")],
    )?;
    Ok(())
}

/// The newest `limit` changes, newest first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Logged>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, made_at, made_by, what, undone_at FROM undo_log ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(Logged {
            id: r.get(0)?,
            made_at: r.get(1)?,
            made_by: r.get(2)?,
            what: r.get(3)?,
            undone_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
