//! Deals: adding one, moving it along the pipeline, winning or losing it.

use rusqlite::Connection;
use serde::Serialize;

use super::undo::Undo;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::Status;
use crate::model::deal::{Deal, Stage};
use crate::store::contacts::ContactPatch;
use crate::store::deals::{self, NewDeal};
use crate::store::{Store, contacts};

pub fn add(
    store: &mut Store,
    clock: &Clock,
    contact_id: i64,
    title: &str,
    value_minor: i64,
    stage: Stage,
) -> Result<Moved> {
    create(
        store,
        clock,
        NewDeal {
            contact_id,
            title: title.to_string(),
            value_minor,
            stage,
            probability: None,
            expected_close: None,
        },
    )
}

/// A new deal with everything it can be given at once.
pub fn create(store: &mut Store, clock: &Clock, d: NewDeal) -> Result<Moved> {
    let title = super::required_text(&d.title, "the deal's title", "e.g. kitchen refit 4,500")?;
    check_probability(d.probability)?;
    let now = clock.stamp();
    let id = store.write(|tx| {
        contacts::get(tx, d.contact_id)?;
        deals::insert(tx, &NewDeal { title, ..d }, &now)
    })?;
    Ok(Moved {
        deal: get(store.conn(), id)?,
        undo: Undo::DeleteDeal { deal_id: id },
    })
}

/// Set or clear when a deal is expected to close.
pub fn set_expected_close(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    date: Option<chrono::NaiveDate>,
) -> Result<Moved> {
    let now = clock.stamp();
    let undo = store.write(|tx| {
        let before = deals::get(tx, id)?
            .ok_or_else(|| Error::invalid(format!("there is no deal d#{id}")))?;
        deals::set_expected_close(tx, id, date, &now)?;
        Ok(Undo::RestoreClose {
            deal_id: id,
            expected_close: before.expected_close,
        })
    })?;
    Ok(Moved {
        deal: get(store.conn(), id)?,
        undo,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Deal> {
    deals::get(conn, id)?.ok_or_else(|| Error::invalid(format!("there is no deal d#{id}")))
}

/// A deal as a change left it, and how to put it back.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub deal: Deal,
    #[serde(skip)]
    pub undo: Undo,
}

fn check_probability(p: Option<u8>) -> Result<()> {
    match p {
        Some(p) if p > 100 => Err(Error::invalid_with_hint(
            format!("{p}% is not a probability"),
            "give a number from 0 to 100, e.g. --probability 60",
        )),
        _ => Ok(()),
    }
}

/// A change to a deal's details; `Some(None)` clears the expected close or the probability
/// (back to the stage's default).
#[derive(Debug, Clone, Default)]
pub struct DealEdit {
    pub title: Option<String>,
    pub value_minor: Option<i64>,
    pub expected_close: Option<Option<chrono::NaiveDate>>,
    pub probability: Option<Option<u8>>,
}

pub fn edit(store: &mut Store, clock: &Clock, id: i64, e: DealEdit) -> Result<Moved> {
    if let Some(t) = &e.title {
        super::required_text(t, "the deal's title", "e.g. --title \"kitchen refit\"")?;
    }
    check_probability(e.probability.flatten())?;
    let nothing = e.title.is_none()
        && e.value_minor.is_none()
        && e.expected_close.is_none()
        && e.probability.is_none();
    if nothing {
        return Err(Error::invalid_with_hint(
            "nothing to change",
            "say what, e.g. tend deal edit 12 --value 2,400 --close eom",
        ));
    }
    let now = clock.stamp();
    let undo = store.write(|tx| {
        let before = deals::get(tx, id)?
            .ok_or_else(|| Error::invalid(format!("there is no deal d#{id}")))?;
        let after = Deal {
            title: e.title.clone().unwrap_or_else(|| before.title.clone()),
            value_minor: e.value_minor.unwrap_or(before.value_minor),
            expected_close: e.expected_close.unwrap_or(before.expected_close),
            probability: e.probability.unwrap_or(before.probability),
            ..before.clone()
        };
        deals::update(tx, &after, &now)?;
        Ok(Undo::RestoreDealFields {
            before: Box::new(before),
        })
    })?;
    Ok(Moved {
        deal: get(store.conn(), id)?,
        undo,
    })
}

/// Delete a deal and its stage history; income and time recorded against it stay, no longer
/// tied to a deal.
/// Delete a deal; its undo puts it back with its stage history, and ties the follow-ups and
/// entries that named it to it again.
pub fn delete(store: &mut Store, id: i64) -> Result<(Deal, Undo)> {
    let deal = get(store.conn(), id)?;
    let undo = store.write(|tx| {
        let (rows, linked) = crate::store::rows::deal_and_history(tx, id)?;
        deals::delete(tx, id)?;
        Ok(Undo::RestoreDealWhole {
            rows,
            deal_id: id,
            linked,
        })
    })?;
    Ok((deal, undo))
}

/// Move a deal to `to`. Losing needs a reason; closing stamps the close time, reopening clears it.
pub fn move_to(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    to: Stage,
    lost_reason: Option<&str>,
) -> Result<Moved> {
    let now = clock.stamp();
    let reason = lost_reason.map(str::trim).filter(|r| !r.is_empty());
    if to == Stage::Lost && reason.is_none() {
        return Err(Error::invalid_with_hint(
            "a lost deal needs a reason",
            "say why, e.g. \"went with a cheaper quote\"",
        ));
    }
    let undo = store.write(|tx| {
        let before = deals::get(tx, id)?
            .ok_or_else(|| Error::invalid(format!("there is no deal d#{id}")))?;
        if before.stage == to {
            return Err(Error::invalid(format!(
                "'{}' is already in {}",
                before.title,
                to.title()
            )));
        }
        let closed_at = to.is_closed().then_some(now.as_str());
        let history_id = deals::set_stage(
            tx,
            id,
            to,
            closed_at,
            reason.filter(|_| to == Stage::Lost),
            &now,
        )?;
        let moved = Undo::RestoreDeal {
            deal_id: id,
            stage: before.stage,
            closed_at: before.closed_at,
            lost_reason: before.lost_reason,
            history_id,
        };
        // A won deal makes a lead or prospect a client, in the status history too, so the
        // funnel counts the conversion.
        let contact = contacts::get(tx, before.contact_id)?;
        if to == Stage::Won && matches!(contact.status, Status::Lead | Status::Prospect) {
            let mark = contacts::status_mark(tx, contact.id)?;
            let patch = ContactPatch {
                status: Some(Status::Client),
                ..ContactPatch::default()
            };
            contacts::update(tx, contact.id, &patch, &now)?;
            let made_client = Undo::RestoreContact {
                before: Box::new(contact),
                mark,
            };
            return Ok(Undo::Together(vec![moved, made_client]));
        }
        Ok(moved)
    })?;
    Ok(Moved {
        deal: get(store.conn(), id)?,
        undo,
    })
}
