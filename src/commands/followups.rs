//! Next steps: setting one, completing one (a recurring one schedules its next occurrence),
//! snoozing one.

use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::Serialize;

use super::undo::Undo;
use super::{NextStep, required_text};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::followup::FollowUp;
use crate::store::followups::{self, NewFollowUp};
use crate::store::{Store, contacts};
use crate::when::When;

pub(crate) fn insert_next(
    conn: &Connection,
    contact_id: i64,
    n: &NextStep,
    text: &str,
    now: &str,
) -> Result<i64> {
    followups::insert(
        conn,
        &NewFollowUp {
            contact_id,
            deal_id: None,
            text: text.to_string(),
            due_date: n.when.date,
            due_time: n.when.time,
            recurrence: n.every.map(|r| r.code()),
            recur_anchor: n.every.map(|_| n.when.date),
            series: None,
        },
        now,
    )
}

/// A next step just set, and how to take it back.
#[derive(Debug, Clone)]
pub struct NextSet {
    pub follow_up: FollowUp,
    pub undo: Undo,
}

pub fn set_next(
    store: &mut Store,
    clock: &Clock,
    contact_id: i64,
    next: NextStep,
) -> Result<NextSet> {
    let text = required_text(
        &next.text,
        "the next step",
        "say what to do, e.g. tend next alice fri send quote",
    )?;
    let now = clock.stamp();
    let id = store.write(|tx| {
        contacts::get(tx, contact_id)?;
        insert_next(tx, contact_id, &next, &text, &now)
    })?;
    Ok(NextSet {
        follow_up: open(store.conn(), id)?,
        undo: Undo::DeleteFollowUp { follow_up_id: id },
    })
}

/// Replace an open follow-up's text and date (an overdue step that is now something else);
/// its undo puts the old ones back.
pub fn replace(store: &mut Store, id: i64, when: When, text: &str) -> Result<NextSet> {
    let text = required_text(
        text,
        "the next step",
        "say what to do, e.g. fri: send quote",
    )?;
    let undo = store.write(|tx| {
        let before = followups::get(tx, id)?
            .filter(|f| f.done_at.is_none())
            .ok_or(Error::NoSuchFollowUp(id))?;
        followups::rewrite(tx, id, &text, when.date, when.time)?;
        Ok(Undo::Rewrite {
            follow_up_id: id,
            text: before.text,
            date: before.due_date,
            time: before.due_time,
        })
    })?;
    Ok(NextSet {
        follow_up: open(store.conn(), id)?,
        undo,
    })
}

fn open(conn: &Connection, id: i64) -> Result<FollowUp> {
    followups::get(conn, id)?.ok_or(Error::NoSuchFollowUp(id))
}

/// The open follow-up `id`, or an error that says it is done or missing.
pub fn get_open(conn: &Connection, id: i64) -> Result<FollowUp> {
    match followups::get(conn, id)? {
        Some(f) if f.done_at.is_none() => Ok(f),
        Some(f) => Err(Error::invalid_with_hint(
            format!("follow-up f#{id} ({}) is already done", f.text),
            "`tend today` lists the open ones",
        )),
        None => Err(Error::NoSuchFollowUp(id)),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Completed {
    pub done: FollowUp,
    /// The next occurrence of a recurring follow-up.
    pub next: Option<FollowUp>,
}

impl Completed {
    pub fn undo(&self) -> Undo {
        Undo::Reopen {
            follow_up_id: self.done.id,
            spawned_id: self.next.as_ref().map(|f| f.id),
        }
    }
}

pub fn done(store: &mut Store, clock: &Clock, id: i64) -> Result<Completed> {
    let now = clock.stamp();
    let today = clock.today();
    let next_id = store.write(|tx| {
        let f = get_open(tx, id)?;
        followups::complete(tx, id, &now)?;
        let Some(rule) = f.recurrence() else {
            return Ok(None);
        };
        let anchor = f.recur_anchor.unwrap_or(f.due_date);
        let Some(date) = rule.next_due(anchor, f.due_date, today) else {
            return Ok(None);
        };
        let next = followups::insert(
            tx,
            &NewFollowUp {
                contact_id: f.contact_id,
                deal_id: f.deal_id,
                text: f.text.clone(),
                due_date: date,
                due_time: f.due_time,
                recurrence: f.recurrence.clone(),
                recur_anchor: Some(anchor),
                series: Some(f.series_uid().to_string()),
            },
            &now,
        )?;
        Ok(Some(next))
    })?;
    let done = followups::get(store.conn(), id)?.ok_or(Error::NoSuchFollowUp(id))?;
    let next = match next_id {
        Some(n) => Some(open(store.conn(), n)?),
        None => None,
    };
    Ok(Completed { done, next })
}

#[derive(Debug, Clone, Serialize)]
pub struct Snoozed {
    pub follow_up: FollowUp,
    #[serde(skip)]
    pub undo: Undo,
}

/// Move an open follow-up to `until` (keeping its time unless a new one is given).
/// Move an open follow-up to a later day. Snoozing to today or earlier is refused: that is not
/// snoozing, and a date typed in the past is a slip.
pub fn snooze(store: &mut Store, id: i64, until: When, now: NaiveDateTime) -> Result<Snoozed> {
    let today = now.date();
    // Later today is a snooze too, when it says the time ("today 3pm", "15:30").
    let later_today = until.date == today && until.time.is_some_and(|t| t > now.time());
    if until.date <= today && !later_today {
        return Err(Error::invalid_with_hint(
            format!(
                "snoozing moves a follow-up later, and {} is not after today",
                until.date.format("%a %-d %b %Y")
            ),
            "pick a later day or a later time today, e.g. tomorrow, mon, in 1w, today 3pm",
        ));
    }
    let undo = store.write(|tx| {
        let f = get_open(tx, id)?;
        // Snoozing puts a step off: to a day (or time) no later than it is due already, it
        // would bring it forward or change nothing, and count a snooze all the same.
        let time = until.time.or(f.due_time);
        let later =
            (until.date, time.is_some(), time) > (f.due_date, f.due_time.is_some(), f.due_time);
        if !later {
            return Err(Error::invalid_with_hint(
                format!(
                    "f#{id} is due {} already, and snoozing only puts it off; nothing was changed",
                    f.due_date.format("%a %-d %b %Y")
                ),
                format!(
                    "to bring it forward: tend followup edit f#{id} --due \"{}{}\"",
                    until.date.format("%-d %b %Y"),
                    until
                        .time
                        .map(|t| t.format(" %H:%M").to_string())
                        .unwrap_or_default()
                ),
            ));
        }
        followups::reschedule(tx, id, until.date, time, true)?;
        Ok(Undo::Unsnooze {
            follow_up_id: id,
            date: f.due_date,
            time: f.due_time,
        })
    })?;
    Ok(Snoozed {
        follow_up: open(store.conn(), id)?,
        undo,
    })
}

/// Cancel an open follow-up (it is not done; it is no longer wanted). A repeating one stops
/// with it. Its undo puts it back, linked to its checklist step again.
pub fn cancel(store: &mut Store, id: i64) -> Result<NextSet> {
    store.write(|tx| {
        let f = get_open(tx, id)?;
        let row = crate::store::rows::snapshot(tx, "follow_ups", id)?.unwrap_or_default();
        let steps = crate::store::checklists::steps_of_follow_up(tx, id)?;
        followups::delete(tx, id)?;
        Ok(NextSet {
            follow_up: f,
            undo: Undo::Reinsert {
                table: "follow_ups".into(),
                row,
                steps,
            },
        })
    })
}

/// Stop a follow-up repeating; this occurrence stays open.
pub fn stop_repeat(store: &mut Store, id: i64) -> Result<NextSet> {
    let undo = store.write(|tx| {
        let f = get_open(tx, id)?;
        if f.recurrence.is_none() {
            return Err(Error::invalid(format!(
                "f#{id} '{}' does not repeat; to drop it: tend followup cancel {id}",
                f.text
            )));
        }
        followups::set_repeat(tx, id, None, None)?;
        Ok(Undo::RestoreRepeat {
            follow_up_id: id,
            recurrence: f.recurrence,
            anchor: f.recur_anchor,
        })
    })?;
    Ok(NextSet {
        follow_up: open(store.conn(), id)?,
        undo,
    })
}
