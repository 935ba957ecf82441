//! Checklists: a recipe applied to one contact, a copy of its steps ticked in order.

use chrono::NaiveDate;
use serde::Serialize;

use super::recipe::StepKind;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistStep {
    pub id: i64,
    /// 1-based, the order the steps are followed in.
    pub position: i64,
    pub text: String,
    pub kind: Option<StepKind>,
    pub note_template: Option<String>,
    pub follow_up_id: Option<i64>,
    /// The due date of the step's follow-up, if it has one.
    pub due: Option<NaiveDate>,
    pub done_at: Option<String>,
}

impl ChecklistStep {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    pub id: i64,
    pub uid: String,
    pub contact_id: i64,
    pub recipe: String,
    pub title: String,
    pub started_on: NaiveDate,
    pub completed_at: Option<String>,
    pub steps: Vec<ChecklistStep>,
}

impl Checklist {
    pub fn done_count(&self) -> usize {
        self.steps.iter().filter(|s| s.is_done()).count()
    }

    pub fn next_step(&self) -> Option<&ChecklistStep> {
        self.steps.iter().find(|s| !s.is_done())
    }

    pub fn done_flags(&self) -> Vec<bool> {
        self.steps.iter().map(ChecklistStep::is_done).collect()
    }
}
