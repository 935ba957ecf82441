//! Logging an interaction, with an optional next step in the same transaction.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::undo::Undo;
use super::{NextStep, followups::insert_next, required_text};
use crate::clock::{self, Clock};
use crate::error::Result;
use crate::model::followup::FollowUp;
use crate::model::note::NoteKind;
use crate::store::{Store, contacts, notes};

#[derive(Debug, Clone)]
pub struct AddNote {
    pub contact_id: i64,
    pub kind: NoteKind,
    pub body: String,
    /// When it happened; now when `None`.
    pub at: Option<DateTime<FixedOffset>>,
    pub next: Option<NextStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteAdded {
    pub note_id: i64,
    pub contact_id: i64,
    pub contact: String,
    pub kind: NoteKind,
    pub at: String,
    pub next: Option<FollowUp>,
}

impl NoteAdded {
    pub fn undo(&self) -> Undo {
        Undo::DeleteNote {
            note_id: self.note_id,
            follow_up_id: self.next.as_ref().map(|f| f.id),
        }
    }
}

pub fn add(store: &mut Store, clock: &Clock, input: AddNote) -> Result<NoteAdded> {
    let body = required_text(
        &input.body,
        "the note",
        "write it after the name, pipe it in, or run without text to open $EDITOR",
    )?;
    let next_text = match &input.next {
        Some(n) => Some(required_text(
            &n.text,
            "the next step",
            "e.g. --next \"fri: send quote\"",
        )?),
        None => None,
    };
    let at = clock::stamp(input.at.unwrap_or_else(|| clock.now()));
    let now = clock.stamp();
    let (note_id, follow_up_id, contact) = store.write(|tx| {
        let contact = contacts::get(tx, input.contact_id)?;
        let note_id = notes::insert(tx, input.contact_id, input.kind, &body, &at, &now)?;
        let follow_up_id = match (&input.next, next_text) {
            (Some(n), Some(text)) => Some(insert_next(tx, input.contact_id, n, &text, &now)?),
            _ => None,
        };
        Ok((note_id, follow_up_id, contact.name))
    })?;
    let next = match follow_up_id {
        Some(id) => crate::store::followups::get(store.conn(), id)?,
        None => None,
    };
    Ok(NoteAdded {
        note_id,
        contact_id: input.contact_id,
        contact,
        kind: input.kind,
        at,
        next,
    })
}
