//! Recipes applied to contacts: making the checklist (and the follow-ups of dated steps),
//! ticking steps in order, and showing progress.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::undo::Undo;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::NoteKind;
use crate::model::checklist::{Checklist, ChecklistStep};
use crate::model::recipe::{Recipe, fill_note, first_open_before, schedule};
use crate::store::followups::{self, NewFollowUp};
use crate::store::{Store, checklists, contacts, notes};

/// Copy `recipe`'s steps into a new checklist for the contact, started on `start`; steps with
/// an offset get a follow-up on their date. Later edits to the recipe leave it as it is.
pub fn apply(
    store: &mut Store,
    clock: &Clock,
    contact_id: i64,
    recipe: &Recipe,
    start: NaiveDate,
) -> Result<Applied> {
    let now = clock.stamp();
    let dates = schedule(&recipe.steps, start);
    let id = store.write(|tx| {
        contacts::get(tx, contact_id)?;
        let id = checklists::insert(tx, contact_id, &recipe.name, &recipe.title, start, &now)?;
        for (i, (step, due)) in recipe.steps.iter().zip(&dates).enumerate() {
            let follow_up = match due {
                Some(date) => Some(followups::insert(
                    tx,
                    &NewFollowUp {
                        contact_id,
                        deal_id: None,
                        text: step.text.clone(),
                        due_date: *date,
                        due_time: None,
                        recurrence: None,
                        recur_anchor: None,
                        series: None,
                    },
                    &now,
                )?),
                None => None,
            };
            checklists::insert_step(tx, id, i as i64 + 1, step, follow_up)?;
        }
        Ok(id)
    })?;
    Ok(Applied {
        checklist: get(store.conn(), contact_id, id)?,
        undo: Undo::DeleteChecklist { checklist_id: id },
    })
}

/// A checklist just started from a recipe, and how to take it back.
#[derive(Debug, Clone)]
pub struct Applied {
    pub checklist: Checklist,
    pub undo: Undo,
}

fn get(conn: &Connection, contact_id: i64, id: i64) -> Result<Checklist> {
    checklists::for_contact(conn, contact_id)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::invalid(format!("checklist #{id} does not exist")))
}

pub fn for_contact(conn: &Connection, contact_id: i64) -> Result<Vec<Checklist>> {
    checklists::for_contact(conn, contact_id)
}

/// Which step to tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    /// The first open step.
    Next,
    /// By number, as `tend checklist` shows it.
    Number(i64),
    /// The first step whose text contains this.
    Text(String),
}

impl Which {
    pub fn parse(arg: Option<&str>) -> Which {
        match arg.map(str::trim).filter(|a| !a.is_empty()) {
            None => Which::Next,
            Some(a) => match a.trim_start_matches('#').parse::<i64>() {
                Ok(n) => Which::Number(n),
                Err(_) => Which::Text(a.to_string()),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Ticked {
    pub checklist: Checklist,
    pub step: ChecklistStep,
    pub note_id: Option<i64>,
    pub completed: bool,
    #[serde(skip)]
    pub undo: Undo,
}

pub struct Tick<'a> {
    pub contact_id: i64,
    pub which: Which,
    /// A recipe name or part of a checklist title, when the contact has several going.
    pub checklist: Option<&'a str>,
    pub force: bool,
    /// Logged as a note instead of the step's own note text.
    pub note: Option<String>,
}

pub fn tick(store: &mut Store, clock: &Clock, t: Tick) -> Result<Ticked> {
    let lists = checklists::for_contact(store.conn(), t.contact_id)?;
    let contact = contacts::get(store.conn(), t.contact_id)?;
    let list = pick_checklist(&lists, &t, &contact.name)?;
    let index = pick_step(list, &t.which)?;
    let step = &list.steps[index];
    if step.is_done() {
        return Err(Error::invalid(format!(
            "step {} '{}' is already ticked",
            step.position, step.text
        )));
    }
    if let Some(open) = first_open_before(&list.done_flags(), index)
        && !t.force
    {
        let o = &list.steps[open];
        return Err(Error::invalid_with_hint(
            format!(
                "step {} '{}' comes first and is still open",
                o.position, o.text
            ),
            format!(
                "tick it first (tend tick \"{}\"), or tick out of order with --force",
                contact.name
            ),
        ));
    }
    let (list, note) = (list.clone(), t.note.clone());
    tick_step(store, clock, &contact, &list, index, note)
}

/// `tend done` on a follow-up that a checklist step made: the step is ticked with it (its
/// note logged, the checklist completed when it was the last), as `tend tick` would. None when
/// no open step made that follow-up.
pub fn done_step(store: &mut Store, clock: &Clock, follow_up_id: i64) -> Result<Option<Ticked>> {
    let Some(f) = followups::get(store.conn(), follow_up_id)? else {
        return Ok(None);
    };
    let lists = checklists::for_contact(store.conn(), f.contact_id)?;
    let found = lists.iter().find_map(|l| {
        l.steps
            .iter()
            .position(|s| s.follow_up_id == Some(follow_up_id) && !s.is_done())
            .map(|i| (l.clone(), i))
    });
    let Some((list, index)) = found else {
        return Ok(None);
    };
    let contact = contacts::get(store.conn(), f.contact_id)?;
    tick_step(store, clock, &contact, &list, index, None).map(Some)
}

fn tick_step(
    store: &mut Store,
    clock: &Clock,
    contact: &crate::model::Contact,
    list: &Checklist,
    index: usize,
    note: Option<String>,
) -> Result<Ticked> {
    let now = clock.stamp();
    let step = &list.steps[index];
    let note_text = note.or_else(|| {
        step.note_template
            .as_deref()
            .map(|n| fill_note(n, &contact.name))
    });
    let all_done = list
        .steps
        .iter()
        .enumerate()
        .all(|(i, s)| i == index || s.is_done());
    let (list_id, step_id) = (list.id, step.id);
    let kind = step.kind.map_or(NoteKind::Note, |k| k.note_kind());
    let (note_id, follow_up_closed) = store.write(|tx| {
        checklists::set_step_done(tx, step_id, Some(&now))?;
        let closed = match step.follow_up_id {
            Some(f) => followups::complete(tx, f, &now)?.then_some(f),
            None => None,
        };
        let note_id = match &note_text {
            Some(text) => Some(notes::insert(tx, contact.id, kind, text, &now, &now)?),
            None => None,
        };
        if all_done {
            checklists::set_completed(tx, list_id, Some(&now))?;
        }
        Ok((note_id, closed))
    })?;
    let checklist = get(store.conn(), contact.id, list_id)?;
    let step = checklist.steps[index].clone();
    Ok(Ticked {
        completed: all_done,
        undo: Undo::Untick {
            step_id,
            checklist_id: list_id,
            follow_up_id: follow_up_closed,
            note_id,
        },
        checklist,
        step,
        note_id,
    })
}

fn pick_checklist<'a>(lists: &'a [Checklist], t: &Tick, name: &str) -> Result<&'a Checklist> {
    let open: Vec<&Checklist> = lists.iter().filter(|c| c.completed_at.is_none()).collect();
    if let Some(q) = t.checklist {
        let q = q.trim().to_lowercase();
        let hits: Vec<&&Checklist> = open
            .iter()
            .filter(|c| c.recipe == q || c.title.to_lowercase().contains(&q))
            .collect();
        return match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::invalid(format!(
                "{name} has no unfinished checklist matching '{q}'"
            ))),
            _ => Err(Error::invalid(format!(
                "several of {name}'s checklists match '{q}': use the recipe name"
            ))),
        };
    }
    match (open.as_slice(), &t.which) {
        ([], _) => Err(Error::invalid_with_hint(
            format!("{name} has no unfinished checklist"),
            format!(
                "start one: tend recipe apply \"{name}\" onboarding (tend recipe list shows them all)"
            ),
        )),
        ([one], _) => Ok(one),
        (many, Which::Next) => Ok(many[0]),
        (many, _) => Err(Error::invalid_with_hint(
            format!("{name} has {} checklists going", many.len()),
            format!(
                "say which with --checklist: {}",
                many.iter()
                    .map(|c| c.recipe.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn pick_step(list: &Checklist, which: &Which) -> Result<usize> {
    let found = match which {
        Which::Next => list.steps.iter().position(|s| !s.is_done()),
        Which::Number(n) => list.steps.iter().position(|s| s.position == *n),
        Which::Text(q) => {
            let q = q.to_lowercase();
            list.steps
                .iter()
                .position(|s| s.text.to_lowercase().contains(&q))
        }
    };
    found.ok_or_else(|| {
        Error::invalid_with_hint(
            match which {
                Which::Next => format!("every step of '{}' is ticked", list.title),
                Which::Number(n) => format!(
                    "'{}' has no step {n} (it has {})",
                    list.title,
                    list.steps.len()
                ),
                Which::Text(q) => format!("no step of '{}' mentions '{q}'", list.title),
            },
            "`tend checklist WHO` lists the steps with their numbers",
        )
    })
}

/// Remove a contact's checklist made from `recipe` (the unfinished one first), with the
/// follow-ups its steps made that are still open. Its undo puts all of it back.
/// Remove a contact's checklist: the one from `recipe` (its name or part of its title), or,
/// without one, their only checklist.
pub fn remove(
    store: &mut Store,
    contact_id: i64,
    recipe: Option<&str>,
) -> Result<(Checklist, Undo)> {
    let lists = for_contact(store.conn(), contact_id)?;
    let list = match recipe {
        Some(recipe) => {
            let key = recipe.trim().to_lowercase();
            lists
                .iter()
                .filter(|l| l.recipe == key || l.title.to_lowercase().contains(&key))
                .min_by_key(|l| l.completed_at.is_some())
                .cloned()
                .ok_or_else(|| {
                    Error::invalid_with_hint(
                        format!("no checklist from '{recipe}' for that contact"),
                        "tend checklist WHO lists theirs",
                    )
                })?
        }
        None => match lists.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(Error::invalid_with_hint(
                    "that contact has no checklist; nothing was removed",
                    "tend recipe apply WHO RECIPE starts one",
                ));
            }
            many => {
                return Err(Error::invalid_with_hint(
                    format!(
                        "that contact has {} checklists ({}); nothing was removed",
                        many.len(),
                        many.iter()
                            .map(|l| l.recipe.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "name the one to remove: tend checklist remove WHO RECIPE",
                ));
            }
        },
    };
    let undo = store.write(|tx| {
        let rows = crate::store::rows::checklist_and_steps(tx, list.id)?;
        for (table, row) in &rows {
            if table == "follow_ups"
                && let Some(id) = row.get("id").and_then(serde_json::Value::as_i64)
            {
                followups::delete(tx, id)?;
            }
        }
        // Done follow-ups stay: they are what happened.
        checklists::delete_keeping_follow_ups(tx, list.id)?;
        Ok(Undo::ReinsertAll { rows })
    })?;
    Ok((list, undo))
}
