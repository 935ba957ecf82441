//! Deals: adding one, moving it along the pipeline, winning or losing it.

use rusqlite::Connection;
use serde::Serialize;

use super::undo::Undo;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::deal::{Deal, Stage};
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
    let title = super::required_text(title, "the deal's title", "e.g. kitchen refit 4,500")?;
    let now = clock.stamp();
    let id = store.write(|tx| {
        contacts::get(tx, contact_id)?;
        deals::insert(
            tx,
            &NewDeal {
                contact_id,
                title: title.clone(),
                value_minor,
                stage,
                probability: None,
                expected_close: None,
            },
            &now,
        )
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
            .ok_or_else(|| Error::invalid(format!("deal #{id} does not exist")))?;
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
    deals::get(conn, id)?.ok_or_else(|| Error::invalid(format!("deal #{id} does not exist")))
}

/// A deal as a change left it, and how to put it back.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub deal: Deal,
    #[serde(skip)]
    pub undo: Undo,
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
            .ok_or_else(|| Error::invalid(format!("deal #{id} does not exist")))?;
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
        Ok(Undo::RestoreDeal {
            deal_id: id,
            stage: before.stage,
            closed_at: before.closed_at,
            lost_reason: before.lost_reason,
            history_id,
        })
    })?;
    Ok(Moved {
        deal: get(store.conn(), id)?,
        undo,
    })
}
