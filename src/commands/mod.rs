//! The command layer: every change and every view a person can ask for, shared by the CLI and
//! the TUI. Commands take typed input (already parsed), run in one transaction, and return
//! typed results; printing is the caller's business.

pub mod agenda;
pub mod checklists;
pub mod contacts;
pub mod deals;
pub mod digest;
pub mod doctor;
pub mod followups;
pub mod import;
pub mod money;
pub mod notes;
pub mod remind;
pub mod reports;
pub mod seal;
pub mod search;
pub mod sync;
pub mod undo;
pub mod vdir;

use chrono::{DateTime, FixedOffset, NaiveTime};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::when::When;

/// A next step as typed: when, what, and how often it repeats.
#[derive(Debug, Clone)]
pub struct NextStep {
    pub when: When,
    pub text: String,
    pub every: Option<crate::model::Recurrence>,
}

/// The moment a past interaction happened: its date at its time, or now when it is today and
/// no time was given, or midday on another day.
pub fn moment(when: When, clock: &Clock) -> Result<DateTime<FixedOffset>> {
    let time = match when.time {
        Some(t) => t,
        None if when.date == clock.today() => return Ok(clock.now()),
        None => NaiveTime::from_hms_opt(12, 0, 0).expect("midday exists"),
    };
    when.date
        .and_time(time)
        .and_local_timezone(clock.offset())
        .single()
        .ok_or_else(|| Error::invalid("that time does not exist in your time zone"))
}

/// Text a person must give: trimmed, and not empty.
pub fn required_text(text: &str, what: &str, hint: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid_with_hint(
            format!("{what} is empty; nothing was saved"),
            hint,
        ));
    }
    Ok(t.to_string())
}
