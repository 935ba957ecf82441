//! Checklists (recipes applied to a contact) and their steps: progress for the profile and the
//! next open step for Today and the review card.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub id: i64,
    pub title: String,
    pub done: i64,
    pub total: i64,
    pub next_step: Option<String>,
}

/// Every checklist of a contact with how far along it is, unfinished first.
pub fn progress_for(conn: &Connection, contact_id: i64) -> Result<Vec<Progress>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.title,
                (SELECT count(*) FROM checklist_steps s WHERE s.checklist_id = k.id AND s.done_at IS NOT NULL),
                (SELECT count(*) FROM checklist_steps s WHERE s.checklist_id = k.id),
                (SELECT s.text FROM checklist_steps s WHERE s.checklist_id = k.id AND s.done_at IS NULL
                  ORDER BY s.position LIMIT 1)
           FROM checklists k WHERE k.contact_id = ?1
          ORDER BY k.completed_at IS NOT NULL, k.started_on DESC",
    )?;
    let rows = stmt.query_map([contact_id], |r| {
        Ok(Progress {
            id: r.get(0)?,
            title: r.get(1)?,
            done: r.get(2)?,
            total: r.get(3)?,
            next_step: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first open step of the contact's oldest unfinished checklist: "Onboarding: send welcome pack".
pub fn next_step_for(conn: &Connection, contact_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT k.title || ': ' || s.text FROM checklists k
               JOIN checklist_steps s ON s.checklist_id = k.id AND s.done_at IS NULL
              WHERE k.contact_id = ?1 AND k.completed_at IS NULL
              ORDER BY k.started_on, s.position LIMIT 1",
        )?
        .query_row([contact_id], |r| r.get(0))
        .optional()?)
}
