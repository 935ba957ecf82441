//! Undo: every write command returns the operation that reverses it, so the app (and later
//! the CLI) never builds one itself. `apply` runs that operation in one transaction.

use chrono::{NaiveDate, NaiveTime};

use crate::clock::Clock;
use crate::error::Result;
use crate::model::{Stage, Status};
use crate::store::contacts::{self, ContactPatch};
use crate::store::{Store, checklists, deals, entries, followups, notes, rows, undo_log};

/// A contact as it was, whole: its rows and the contacts that named it as company or referrer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Whole {
    pub rows: Vec<(String, serde_json::Map<String, serde_json::Value>)>,
    pub members: Vec<i64>,
    pub referred: Vec<i64>,
}

/// The operation that reverses one change. Kept in the database (as JSON) by whichever front
/// end made the change, so `tend undo` and the app's `u` undo the same list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Undo {
    DeleteNote {
        note_id: i64,
        follow_up_id: Option<i64>,
    },
    Reopen {
        follow_up_id: i64,
        spawned_id: Option<i64>,
    },
    Unsnooze {
        follow_up_id: i64,
        date: NaiveDate,
        time: Option<NaiveTime>,
    },
    DeleteFollowUp {
        follow_up_id: i64,
    },
    RestoreDeal {
        deal_id: i64,
        stage: Stage,
        closed_at: Option<String>,
        lost_reason: Option<String>,
        history_id: i64,
    },
    DeleteDeal {
        deal_id: i64,
    },
    RestoreStatus {
        contact_id: i64,
        status: Status,
    },
    DeleteContact {
        contact_id: i64,
    },
    Untick {
        step_id: i64,
        checklist_id: i64,
        follow_up_id: Option<i64>,
        note_id: Option<i64>,
    },
    DeleteChecklist {
        checklist_id: i64,
    },
    /// Undo of an edit: the contact as it was, and its status history up to `mark`.
    RestoreContact {
        before: Box<crate::model::Contact>,
        mark: i64,
    },
    /// Undo of a replaced next step: its old text and date.
    Rewrite {
        follow_up_id: i64,
        text: String,
        date: NaiveDate,
        time: Option<NaiveTime>,
    },
    RestoreClose {
        deal_id: i64,
        expected_close: Option<NaiveDate>,
    },
    /// Undo of a deal edit: title, value, expected close and probability as they were.
    RestoreDealFields {
        before: Box<crate::model::Deal>,
    },
    /// Undo of recording income, an expense (`money`) or time.
    DeleteEntry {
        money: bool,
        entry_id: i64,
    },
    /// Undo of a delete: the row as it was, and the checklist steps that pointed at it
    /// (a follow-up's), pointed at it again.
    Reinsert {
        table: String,
        row: serde_json::Map<String, serde_json::Value>,
        steps: Vec<i64>,
    },
    /// Undo of deleting a contact: every row that went with it, and the contacts that named it
    /// as their company or their referrer.
    RestoreContactWhole {
        rows: Vec<(String, serde_json::Map<String, serde_json::Value>)>,
        members: Vec<i64>,
        referred: Vec<i64>,
    },
    /// Undo of removing a checklist: it, its steps and their open follow-ups.
    ReinsertAll {
        rows: Vec<(String, serde_json::Map<String, serde_json::Value>)>,
    },
    /// Undo of a note's correction: the note as it was (contact, kind, text, time).
    RestoreNote {
        before: Box<crate::model::note::Note>,
    },
    /// Undo of a note's text correction, as older logs hold it.
    RestoreNoteBody {
        note_id: i64,
        body: String,
    },
    /// Undo of ending a repeat.
    RestoreRepeat {
        follow_up_id: i64,
        recurrence: Option<String>,
        anchor: Option<NaiveDate>,
    },
    /// Undo of an amount's or a time's correction.
    RestoreAmount {
        money: bool,
        entry_id: i64,
        value: i64,
    },
    /// Undo of an entry's correction (or of marking it paid): the entry as it was.
    RestoreEntry {
        before: Box<entries::EntryRow>,
    },
    /// Undo of deleting a deal: it and its stage history, and the rows that named it.
    RestoreDealWhole {
        rows: Vec<(String, serde_json::Map<String, serde_json::Value>)>,
        deal_id: i64,
        linked: Vec<(String, i64)>,
    },
    /// Undo of a merge: the merged contact goes, both as they were come back.
    Unmerge {
        into: i64,
        whole: Vec<Whole>,
    },
    /// Undo of an import's refresh of a contact's kept card lines.
    RestoreExtras {
        contact_id: i64,
        lines: Vec<String>,
    },
    /// Undo of tagging: the tags as they were.
    RestoreTags {
        contact_id: i64,
        tags: Vec<String>,
    },
    /// Undo of `tend cadence`: the contact's own cadence as it was (None: the defaults).
    RestoreCadence {
        contact_id: i64,
        cadence: Option<String>,
    },
    /// Undo of archiving or bringing back.
    RestoreArchived {
        contact_id: i64,
        archived_at: Option<String>,
    },
    /// Several changes made as one (winning a deal that made its lead a client), undone last
    /// first.
    Together(Vec<Undo>),
}

impl Undo {
    /// What undoing does, for the status line: "Undid: note added".
    pub fn describe(&self) -> &'static str {
        match self {
            Undo::DeleteNote { .. } => "note added",
            Undo::Reopen { .. } => "follow-up completed",
            Undo::Unsnooze { .. } => "follow-up snoozed",
            Undo::DeleteFollowUp { .. } => "next step set",
            Undo::RestoreDeal { .. } => "deal moved",
            Undo::DeleteDeal { .. } => "deal added",
            Undo::RestoreStatus { .. } => "status changed",
            Undo::DeleteContact { .. } => "contact added",
            Undo::Untick { .. } => "step ticked",
            Undo::DeleteChecklist { .. } => "recipe applied",
            Undo::RestoreContact { .. } => "contact edited",
            Undo::Rewrite { .. } => "next step replaced",
            Undo::RestoreClose { .. } => "expected close set",
            Undo::RestoreDealFields { .. } => "deal edited",
            Undo::DeleteEntry { money: true, .. } => "money entry recorded",
            Undo::DeleteEntry { money: false, .. } => "time recorded",
            Undo::Reinsert { table, .. } => match table.as_str() {
                "notes" => "note deleted",
                "follow_ups" => "follow-up cancelled",
                _ => "entry deleted",
            },
            Undo::RestoreNoteBody { .. } | Undo::RestoreNote { .. } => "note corrected",
            Undo::RestoreContactWhole { .. } => "contact deleted",
            Undo::ReinsertAll { .. } => "checklist removed",
            Undo::RestoreRepeat { .. } => "repeat ended",
            Undo::RestoreAmount { .. } | Undo::RestoreEntry { .. } => "entry corrected",
            Undo::RestoreDealWhole { .. } => "deal deleted",
            Undo::Unmerge { .. } => "contacts merged",
            Undo::RestoreTags { .. } => "tags changed",
            Undo::RestoreExtras { .. } => "card details refreshed",
            Undo::RestoreArchived { .. } => "archived or brought back",
            Undo::RestoreCadence { .. } => "cadence set",
            Undo::Together(all) => all.first().map_or("nothing", Undo::describe),
        }
    }
}

/// Keep a change's reverse in the undo log; `made_by` is "cli", "app" or "mcp".
pub fn record(
    store: &mut Store,
    clock: &Clock,
    made_by: &str,
    what: &str,
    undo: &Undo,
) -> Result<i64> {
    let json =
        serde_json::to_string(undo).map_err(|e| crate::error::Error::invalid(e.to_string()))?;
    let now = clock.stamp();
    store.write_relaxed(|tx| undo_log::push(tx, made_by, what, &json, &now))
}

/// Undo the newest change not undone yet: its log id and what it was. Whoever made it, or,
/// with `only_by`, only if that front end made it ("mcp": an assistant takes back its own
/// change, never the user's newer one).
pub fn undo_last(
    store: &mut Store,
    clock: &Clock,
    only_by: Option<&str>,
) -> Result<Option<(i64, String)>> {
    let now = clock.stamp();
    store.write(|tx| {
        let Some(undo_log::Open {
            id,
            made_by,
            what,
            undo: json,
        }) = undo_log::latest(tx)?
        else {
            return Ok(None);
        };
        if let Some(by) = only_by
            && by != made_by
        {
            return Err(crate::error::Error::invalid_with_hint(
                format!(
                    "the newest change was not made by {by} but by {made_by}: {what}; nothing was undone"
                ),
                "only the newest change can be undone, and this one is someone else's: ask the user (tend undo --list shows the changes)",
            ));
        }
        let undo: Undo = serde_json::from_str(&json).map_err(|e| {
            crate::error::Error::invalid_with_hint(
                format!("undo record #{id} cannot be read: {e}"),
                "tend undo --drop forgets it, so the changes before it can be undone",
            )
        })?;
        reverse(tx, &undo, &now).map_err(|e| {
            let hint = e.hint();
            crate::error::Error::invalid_with_hint(
                format!("cannot undo #{id} ({what}): {e}"),
                format!(
                    "{}tend undo --drop forgets it, so the changes before it can be undone",
                    hint.map_or(String::new(), |h| format!("{h}; or "))
                ),
            )
        })?;
        undo_log::mark_undone(tx, id, &now)?;
        Ok(Some((id, what)))
    })
}

/// A change that cannot be undone (a merge, an import, a tag or archive, a deleted deal) was
/// just made: every older change stops being undoable, since undoing one now could overwrite
/// or delete what that change did. Undo then says there is nothing to undo, rather than doing
/// damage.
pub fn barrier(store: &mut Store, clock: &Clock) -> Result<()> {
    let now = clock.stamp();
    store.write_relaxed(|tx| undo_log::supersede_all(tx, &now))
}

/// Forget the newest change's undo without applying it (one that cannot be undone any more,
/// say), so the ones before it can be.
pub fn drop_last(store: &mut Store, clock: &Clock) -> Result<Option<(i64, String)>> {
    let now = clock.stamp();
    store.write(|tx| {
        let Some(open) = undo_log::latest(tx)? else {
            return Ok(None);
        };
        undo_log::mark_undone(tx, open.id, &format!("dropped {now}"))?;
        Ok(Some((open.id, open.what)))
    })
}

/// What `tend undo` would take back next, if anything.
pub fn next_undoable(store: &Store) -> Result<Option<String>> {
    Ok(undo_log::latest(store.conn())?.map(|open| open.what))
}

/// The newest changes, for `tend undo --list`.
pub fn history(store: &Store, limit: usize) -> Result<Vec<undo_log::Logged>> {
    undo_log::recent(store.conn(), limit)
}

/// Put a deleted contact back with every row that went with it, and point the contacts that
/// named it at it again.
fn restore_whole(
    tx: &rusqlite::Connection,
    rows: &[(String, serde_json::Map<String, serde_json::Value>)],
    members: &[i64],
    referred: &[i64],
) -> Result<()> {
    let mut id = 0;
    for (table, row) in rows {
        if table == "contacts" {
            id = row
                .get("id")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0);
            rows::reinsert(tx, table, row)?;
            // The insert trigger wrote a fresh status; the snapshot has the history.
            contacts::clear_status_history(tx, id)?;
        } else {
            rows::reinsert(tx, table, row)?;
        }
    }
    contacts::relink(tx, id, members, referred)
}

pub fn apply(store: &mut Store, clock: &Clock, undo: &Undo) -> Result<()> {
    let now = clock.stamp();
    store.write(|tx| reverse(tx, undo, &now))
}

fn reverse(tx: &rusqlite::Connection, undo: &Undo, now: &str) -> Result<()> {
    match undo {
        Undo::DeleteNote {
            note_id,
            follow_up_id,
        } => {
            notes::delete(tx, *note_id)?;
            if let Some(f) = follow_up_id {
                followups::delete(tx, *f)?;
            }
        }
        Undo::Reopen {
            follow_up_id,
            spawned_id,
        } => {
            followups::reopen(tx, *follow_up_id)?;
            if let Some(s) = spawned_id {
                followups::delete(tx, *s)?;
            }
        }
        Undo::Unsnooze {
            follow_up_id,
            date,
            time,
        } => followups::unsnooze(tx, *follow_up_id, *date, *time)?,
        Undo::DeleteFollowUp { follow_up_id } => followups::delete(tx, *follow_up_id)?,
        Undo::RestoreDeal {
            deal_id,
            stage,
            closed_at,
            lost_reason,
            history_id,
        } => deals::restore(
            tx,
            *deal_id,
            *stage,
            closed_at.as_deref(),
            lost_reason.as_deref(),
            *history_id,
        )?,
        Undo::DeleteDeal { deal_id } => deals::delete(tx, *deal_id)?,
        Undo::RestoreStatus { contact_id, status } => contacts::update(
            tx,
            *contact_id,
            &ContactPatch {
                status: Some(*status),
                ..ContactPatch::default()
            },
            now,
        )?,
        Undo::DeleteContact { contact_id } => {
            // Undoing the add must not take what was recorded for them since with it.
            if contacts::has_history(tx, *contact_id)? {
                return Err(crate::error::Error::invalid_with_hint(
                    "that contact has notes, follow-ups, deals or entries now, so undoing its adding would delete them too",
                    "it is left as it is; archive it if it should go: tend archive",
                ));
            }
            contacts::delete(tx, *contact_id)?
        }
        Undo::Untick {
            step_id,
            checklist_id,
            follow_up_id,
            note_id,
        } => {
            checklists::set_step_done(tx, *step_id, None)?;
            checklists::set_completed(tx, *checklist_id, None)?;
            if let Some(f) = follow_up_id {
                followups::reopen(tx, *f)?;
            }
            if let Some(n) = note_id {
                notes::delete(tx, *n)?;
            }
        }
        Undo::DeleteChecklist { checklist_id } => checklists::delete(tx, *checklist_id)?,
        Undo::RestoreContact { before, mark } => contacts::restore(tx, before, *mark, now)?,
        Undo::Rewrite {
            follow_up_id,
            text,
            date,
            time,
        } => {
            followups::rewrite(tx, *follow_up_id, text, *date, *time)?;
        }
        Undo::RestoreClose {
            deal_id,
            expected_close,
        } => deals::set_expected_close(tx, *deal_id, *expected_close, now)?,
        Undo::RestoreDealFields { before } => deals::update(tx, before, now)?,
        Undo::DeleteEntry { money, entry_id } => entries::delete(tx, *money, *entry_id)?,
        Undo::Reinsert { table, row, steps } => {
            rows::reinsert(tx, table, row)?;
            let id = row
                .get("id")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0);
            for step in steps {
                checklists::link_follow_up(tx, *step, id)?;
            }
        }
        Undo::RestoreNoteBody { note_id, body } => notes::set_body(tx, *note_id, body)?,
        Undo::RestoreNote { before } => {
            if notes::get(tx, before.id)?.is_none() {
                return Err(crate::error::Error::invalid(
                    "that note has been deleted since",
                ));
            }
            notes::update(tx, before)?
        }
        Undo::ReinsertAll { rows } => {
            for (table, row) in rows {
                rows::reinsert(tx, table, row)?;
            }
        }
        Undo::RestoreContactWhole {
            rows,
            members,
            referred,
        } => restore_whole(tx, rows, members, referred)?,
        Undo::Unmerge { into, whole } => {
            // Each may name the other (as referrer): checked when all of it is back.
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            contacts::delete(tx, *into)?;
            for w in whole {
                restore_whole(tx, &w.rows, &w.members, &w.referred)?;
            }
        }
        Undo::RestoreRepeat {
            follow_up_id,
            recurrence,
            anchor,
        } => followups::set_repeat(tx, *follow_up_id, recurrence.as_deref(), *anchor)?,
        Undo::RestoreAmount {
            money,
            entry_id,
            value,
        } => entries::set_value(tx, *money, *entry_id, *value)?,
        Undo::RestoreEntry { before } => {
            if entries::get(tx, before.kind.is_money(), before.id)?.is_none() {
                return Err(crate::error::Error::invalid(
                    "that entry has been deleted since",
                ));
            }
            entries::update(tx, before)?
        }
        Undo::RestoreDealWhole {
            rows,
            deal_id,
            linked,
        } => {
            for (table, row) in rows {
                rows::reinsert(tx, table, row)?;
            }
            for (table, id) in linked {
                rows::relink_deal(tx, table, *id, *deal_id)?;
            }
        }
        Undo::RestoreTags { contact_id, tags } => contacts::set_tags(tx, *contact_id, tags, now)?,
        Undo::RestoreExtras { contact_id, lines } => contacts::set_extras(tx, *contact_id, lines)?,
        Undo::RestoreArchived {
            contact_id,
            archived_at,
        } => contacts::set_archived(tx, *contact_id, archived_at.as_deref(), now)?,
        Undo::RestoreCadence {
            contact_id,
            cadence,
        } => contacts::set_cadence(tx, *contact_id, cadence.as_deref(), now)?,
        Undo::Together(all) => {
            for u in all.iter().rev() {
                reverse(tx, u, now)?;
            }
        }
    }
    Ok(())
}
