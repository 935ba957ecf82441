//! Recipes: documented processes of ordered steps, and the pure rules for following them:
//! when each step falls due, and whether a step may be ticked yet.

use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Call,
    Email,
    Meeting,
    Task,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Call => "call",
            StepKind::Email => "email",
            StepKind::Meeting => "meeting",
            StepKind::Task => "task",
        }
    }

    /// The kind of note a ticked step logs.
    pub fn note_kind(self) -> crate::model::NoteKind {
        match self {
            StepKind::Call => crate::model::NoteKind::Call,
            StepKind::Email => crate::model::NoteKind::Email,
            StepKind::Meeting => crate::model::NoteKind::Meeting,
            StepKind::Task => crate::model::NoteKind::Note,
        }
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for StepKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "call" => Ok(StepKind::Call),
            "email" => Ok(StepKind::Email),
            "meeting" => Ok(StepKind::Meeting),
            "task" => Ok(StepKind::Task),
            other => Err(format!(
                "unknown kind '{other}': use call, email, meeting or task"
            )),
        }
    }
}

/// When a step falls due: some days after the start, or some days after the step before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Offset {
    FromStart(u32),
    AfterPrevious(u32),
}

impl Offset {
    pub fn from_code(from: &str, days: u32) -> Option<Offset> {
        match from {
            "start" => Some(Offset::FromStart(days)),
            "previous" => Some(Offset::AfterPrevious(days)),
            _ => None,
        }
    }

    pub fn code(self) -> (&'static str, u32) {
        match self {
            Offset::FromStart(d) => ("start", d),
            Offset::AfterPrevious(d) => ("previous", d),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecipeStep {
    pub text: String,
    pub kind: Option<StepKind>,
    pub offset: Option<Offset>,
    /// Logged as a note when the step is ticked.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recipe {
    /// The file's name without `.toml`: what `tend recipe apply WHO NAME` takes.
    pub name: String,
    pub title: String,
    pub description: String,
    pub steps: Vec<RecipeStep>,
}

/// The due date of each step started on `start`. A step "after the previous one" counts from
/// the previous step's date, or from the start when no earlier step has a date.
pub fn schedule(steps: &[RecipeStep], start: NaiveDate) -> Vec<Option<NaiveDate>> {
    let mut last = start;
    steps
        .iter()
        .map(|s| {
            let due = match s.offset? {
                Offset::FromStart(d) => start.checked_add_days(Days::new(d.into())),
                Offset::AfterPrevious(d) => last.checked_add_days(Days::new(d.into())),
            }?;
            last = due;
            Some(due)
        })
        .collect()
}

/// Steps are ticked in order: ticking step `target` (0-based) is allowed only when every
/// earlier one is done. Otherwise, the first earlier step still open.
pub fn first_open_before(done: &[bool], target: usize) -> Option<usize> {
    done.iter().take(target).position(|d| !d)
}

/// "Welcome email sent to {name}" with the contact's name filled in.
pub fn fill_note(template: &str, name: &str) -> String {
    template.replace("{name}", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(offset: Option<Offset>) -> RecipeStep {
        RecipeStep {
            text: "x".into(),
            kind: None,
            offset,
            note: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn offsets_count_from_the_start_or_the_previous_dated_step() {
        let steps = [
            step(Some(Offset::FromStart(0))),
            step(Some(Offset::FromStart(3))),
            step(None),
            step(Some(Offset::AfterPrevious(4))),
            step(Some(Offset::AfterPrevious(7))),
        ];
        let due = schedule(&steps, d("2026-11-23"));
        assert_eq!(
            due,
            vec![
                Some(d("2026-11-23")),
                Some(d("2026-11-26")),
                None,
                Some(d("2026-11-30")),
                Some(d("2026-12-07"))
            ]
        );
    }

    #[test]
    fn after_previous_with_nothing_dated_before_counts_from_the_start() {
        let due = schedule(
            &[step(None), step(Some(Offset::AfterPrevious(2)))],
            d("2026-11-23"),
        );
        assert_eq!(due, vec![None, Some(d("2026-11-25"))]);
    }

    #[test]
    fn steps_are_ticked_in_order() {
        assert_eq!(first_open_before(&[true, true, false, false], 2), None);
        assert_eq!(first_open_before(&[true, false, false, false], 3), Some(1));
        assert_eq!(first_open_before(&[false], 0), None);
    }

    #[test]
    fn kinds_and_notes() {
        assert_eq!("Email".parse::<StepKind>(), Ok(StepKind::Email));
        assert!(
            "fax"
                .parse::<StepKind>()
                .unwrap_err()
                .contains("call, email")
        );
        assert_eq!(fill_note("Welcomed {name}", "Alice"), "Welcomed Alice");
        assert_eq!(
            Offset::from_code("previous", 2),
            Some(Offset::AfterPrevious(2))
        );
    }
}
