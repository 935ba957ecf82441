//! Today: overdue, due today, the coming week, and active contacts with no next step.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::model::followup::{FollowUp, Urgency, urgency};
use crate::store::contacts::{self, Neglected};
use crate::store::followups;

/// How far ahead "coming up" looks.
pub const DAYS_AHEAD: u64 = 7;

#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub today: NaiveDate,
    pub overdue: Vec<FollowUp>,
    pub due_today: Vec<FollowUp>,
    pub upcoming: Vec<FollowUp>,
    pub no_next_step: Vec<Neglected>,
    /// All of them, when `no_next_step` was cut short.
    pub no_next_step_total: usize,
}

impl Agenda {
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.due_today.is_empty()
            && self.upcoming.is_empty()
            && self.no_next_step.is_empty()
    }
}

/// `neglected_limit` cuts the "no next step" list (the total is still counted).
pub fn agenda(
    conn: &Connection,
    today: NaiveDate,
    neglected_limit: Option<usize>,
) -> Result<Agenda> {
    let until = today
        .checked_add_days(Days::new(DAYS_AHEAD))
        .unwrap_or(today);
    let mut overdue = Vec::new();
    let mut due_today = Vec::new();
    let mut upcoming = Vec::new();
    for f in followups::open_due_by(conn, until)? {
        match urgency(f.due_date, today) {
            Urgency::Overdue => overdue.push(f),
            Urgency::Today => due_today.push(f),
            Urgency::Upcoming => upcoming.push(f),
        }
    }
    let no_next_step = contacts::without_next_step(conn, neglected_limit)?;
    let total = match neglected_limit {
        Some(limit) if no_next_step.len() >= limit => contacts::count_without_next_step(conn)?,
        _ => no_next_step.len(),
    };
    Ok(Agenda {
        today,
        overdue,
        due_today,
        upcoming,
        no_next_step,
        no_next_step_total: total,
    })
}
