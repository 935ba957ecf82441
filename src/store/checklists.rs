//! Checklists (recipes applied to a contact) and their steps: progress for the profile and the
//! next open step for Today and the review card.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::contacts::parse_col;
use super::new_uid;
use crate::error::Result;
use crate::model::checklist::{Checklist, ChecklistStep};
use crate::model::recipe::RecipeStep;

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

pub fn insert(
    conn: &Connection,
    contact_id: i64,
    recipe: &str,
    title: &str,
    started_on: NaiveDate,
    now: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO checklists (uid, contact_id, recipe, title, started_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new_uid(), contact_id, recipe, title, started_on, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_step(
    conn: &Connection,
    checklist_id: i64,
    position: i64,
    step: &RecipeStep,
    follow_up_id: Option<i64>,
) -> Result<i64> {
    let (from, days) = match step.offset.map(|o| o.code()) {
        Some((f, d)) => (Some(f), Some(d)),
        None => (None, None),
    };
    conn.prepare_cached(
        "INSERT INTO checklist_steps (uid, checklist_id, position, text, kind, offset_days, offset_from,
                                      note_template, follow_up_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        new_uid(),
        checklist_id,
        position,
        step.text,
        step.kind.map(|k| k.as_str()),
        days,
        from,
        step.note,
        follow_up_id,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A contact's checklists with their steps: unfinished first, oldest first.
pub fn for_contact(conn: &Connection, contact_id: i64) -> Result<Vec<Checklist>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, contact_id, recipe, title, started_on, completed_at FROM checklists
          WHERE contact_id = ?1 ORDER BY completed_at IS NOT NULL, started_on, id",
    )?;
    let lists = stmt.query_map([contact_id], |r| {
        Ok(Checklist {
            id: r.get(0)?,
            uid: r.get(1)?,
            contact_id: r.get(2)?,
            recipe: r.get(3)?,
            title: r.get(4)?,
            started_on: r.get(5)?,
            completed_at: r.get(6)?,
            steps: Vec::new(),
        })
    })?;
    let mut lists: Vec<Checklist> = lists.collect::<rusqlite::Result<_>>()?;
    for l in &mut lists {
        l.steps = steps(conn, l.id)?;
    }
    Ok(lists)
}

pub fn steps(conn: &Connection, checklist_id: i64) -> Result<Vec<ChecklistStep>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.position, s.text, s.kind, s.note_template, s.follow_up_id, f.due_date, s.done_at
           FROM checklist_steps s LEFT JOIN follow_ups f ON f.id = s.follow_up_id
          WHERE s.checklist_id = ?1 ORDER BY s.position",
    )?;
    let rows = stmt.query_map([checklist_id], |r| {
        let kind: Option<String> = r.get(3)?;
        Ok(ChecklistStep {
            id: r.get(0)?,
            position: r.get(1)?,
            text: r.get(2)?,
            kind: match kind {
                Some(_) => Some(parse_col(r, 3)?),
                None => None,
            },
            note_template: r.get(4)?,
            follow_up_id: r.get(5)?,
            due: r.get(6)?,
            done_at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_step_done(conn: &Connection, step_id: i64, done_at: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE checklist_steps SET done_at = ?2 WHERE id = ?1",
        params![step_id, done_at],
    )?;
    Ok(())
}

pub fn set_completed(
    conn: &Connection,
    checklist_id: i64,
    completed_at: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE checklists SET completed_at = ?2 WHERE id = ?1",
        params![checklist_id, completed_at],
    )?;
    Ok(())
}

/// Remove a checklist and its steps, keeping its follow-ups (done ones are history; the
/// caller deals with open ones).
pub fn delete_keeping_follow_ups(conn: &Connection, checklist_id: i64) -> Result<()> {
    conn.execute("DELETE FROM checklists WHERE id = ?1", [checklist_id])?;
    Ok(())
}

/// Remove a checklist with every follow-up its steps made (undo of applying a recipe).
pub fn delete(conn: &Connection, checklist_id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM follow_ups WHERE id IN (SELECT follow_up_id FROM checklist_steps WHERE checklist_id = ?1)",
        [checklist_id],
    )?;
    conn.execute("DELETE FROM checklists WHERE id = ?1", [checklist_id])?;
    Ok(())
}

/// Point a step at a follow-up again (undo of the follow-up's cancelling).
pub fn link_follow_up(conn: &Connection, step_id: i64, follow_up_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE checklist_steps SET follow_up_id = ?2 WHERE id = ?1",
        rusqlite::params![step_id, follow_up_id],
    )?;
    Ok(())
}

/// The steps that point at a follow-up.
pub fn steps_of_follow_up(conn: &Connection, follow_up_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM checklist_steps WHERE follow_up_id = ?1")?;
    let rows = stmt.query_map([follow_up_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
