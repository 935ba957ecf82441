//! Logging an interaction, with an optional next step in the same transaction.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::undo::Undo;
use super::{NextStep, followups::insert_next, required_text};
use crate::clock::{self, Clock};
use crate::error::Result;
use crate::model::followup::FollowUp;
use crate::model::note::{Note, NoteKind};
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

/// A note as a correction or a delete left it, and how to put it back.
#[derive(Debug, Clone)]
pub struct Changed {
    pub note: Note,
    pub undo: Undo,
}

fn existing(conn: &rusqlite::Connection, id: i64) -> Result<Note> {
    crate::store::notes::get(conn, id)?.ok_or_else(|| {
        crate::error::Error::invalid_with_hint(
            format!("note n#{id} does not exist"),
            "tend show NAME lists a contact's notes with their ids",
        )
    })
}

/// Correct a note's text.
/// What to correct in a note; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct NotePatch {
    pub body: Option<String>,
    pub kind: Option<NoteKind>,
    pub at: Option<DateTime<FixedOffset>>,
    /// Written for the wrong person: move it to this contact.
    pub contact_id: Option<i64>,
}

/// Correct a note's text, kind, time or contact; the undo puts it back as it was.
pub fn edit(store: &mut Store, id: i64, patch: &NotePatch) -> Result<Changed> {
    let body = match &patch.body {
        Some(b) => Some(required_text(b, "the note", "give the corrected text")?),
        None => None,
    };
    if body.is_none() && patch.kind.is_none() && patch.at.is_none() && patch.contact_id.is_none() {
        return Err(crate::error::Error::invalid_with_hint(
            "nothing to change",
            format!(
                "give the corrected text, or --kind, --at or --to WHO: tend note edit n#{id} \"called, wants two quotes\""
            ),
        ));
    }
    let undo = store.write(|tx| {
        let before = existing(tx, id)?;
        let mut after = before.clone();
        if let Some(b) = &body {
            after.body = b.clone();
        }
        if let Some(k) = patch.kind {
            after.kind = k;
        }
        if let Some(at) = patch.at {
            after.at = clock::stamp(at);
        }
        if let Some(c) = patch.contact_id {
            after.contact_id = c;
        }
        crate::store::notes::update(tx, &after)?;
        Ok(Undo::RestoreNote {
            before: Box::new(before),
        })
    })?;
    Ok(Changed {
        note: existing(store.conn(), id)?,
        undo,
    })
}

/// Delete a note; its undo puts it back as it was.
pub fn delete(store: &mut Store, id: i64) -> Result<Changed> {
    store.write(|tx| {
        let note = existing(tx, id)?;
        let row = crate::store::rows::snapshot(tx, "notes", id)?.unwrap_or_default();
        crate::store::notes::delete(tx, id)?;
        Ok(Changed {
            note,
            undo: Undo::Reinsert {
                table: "notes".into(),
                row,
                steps: Vec::new(),
            },
        })
    })
}
