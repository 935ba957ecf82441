//! Every change the app makes, run through the command layer (the same code as the CLI). Each
//! returns the command's own undo, a line for the status bar, and what happened, so the review
//! can count it and the app can ask for a next step when none is left.

use crate::commands::checklists as checklist_cmds;
use crate::commands::contacts::{self as contact_cmds, AddContact, EditContact};
use crate::commands::undo::Undo;
use crate::commands::{
    NextStep, deals as deal_cmds, followups as followup_cmds, money as money_cmds,
    notes as note_cmds,
};
use crate::error::{Error, Result};
use crate::find;
use crate::model::contact::parse_field;
use crate::model::duration::{format_minutes, parse_minutes};
use crate::model::money::Currency;
use crate::model::{NoteKind, Stage};
use crate::recipes::Book;
use crate::store::followups;
use crate::when::{self, Direction, When};

use super::context::Env;
use super::effect::{Ask, Write};

/// What a change did.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Noted {
        contact_id: i64,
    },
    Completed {
        contact_id: i64,
        /// Something is still open for that contact after it.
        left_open: bool,
    },
    Snoozed,
    NextStepSet {
        contact_id: i64,
    },
    ContactAdded {
        contact_id: i64,
    },
    DealAdded {
        deal_id: i64,
    },
    Other,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub undo: Undo,
    pub message: String,
    pub event: Event,
}

fn outcome(undo: Undo, message: String, event: Event) -> Result<Outcome> {
    Ok(Outcome {
        undo,
        message,
        event,
    })
}

pub fn run(env: &mut Env, write: &Write) -> Result<Outcome> {
    let today = env.today();
    match write {
        Write::Done { follow_up_id } => done(env, *follow_up_id),
        Write::Paid { entry_id } => {
            let (e, undo) = crate::commands::money::mark_paid(&mut env.store, *entry_id, today)?;
            let msg = format!(
                "Paid: {} from {} (u undoes it)",
                env.settings.currency.format(e.amount_minor.unwrap_or(0)),
                e.contact
            );
            outcome(undo, msg, Event::Other)
        }
        Write::Snooze {
            follow_up_id,
            until,
        } => snooze(env, *follow_up_id, *until),
        Write::MoveDeal {
            deal_id,
            to,
            reason,
        } => {
            let moved =
                deal_cmds::move_to(&mut env.store, &env.clock, *deal_id, *to, reason.as_deref())?;
            let msg = match to {
                Stage::Lost => format!("'{}' marked lost", moved.deal.title),
                _ => format!("'{}' moved to {}", moved.deal.title, to.title()),
            };
            outcome(moved.undo, msg, Event::Other)
        }
        Write::SetStatus { contact_id, status } => {
            let e = contact_cmds::edit(
                &mut env.store,
                &env.clock,
                *contact_id,
                EditContact {
                    status: Some(*status),
                    ..EditContact::default()
                },
            )?;
            let msg = format!("{} is now a {}", e.contact.name, status);
            outcome(e.undo, msg, Event::Other)
        }
        Write::ApplyRecipe { contact_id, recipe } => {
            let book = Book::load(env.recipes_dir.as_deref());
            let recipe = book.get(recipe)?.recipe.clone();
            let a = checklist_cmds::apply(&mut env.store, &env.clock, *contact_id, &recipe, today)?;
            let msg = format!(
                "Started '{}' ({} steps)",
                a.checklist.title,
                a.checklist.steps.len()
            );
            outcome(a.undo, msg, Event::Other)
        }
        Write::Tick { contact_id } => tick(env, *contact_id),
    }
}

fn done(env: &mut Env, follow_up_id: i64) -> Result<Outcome> {
    let today = env.today();
    // A follow-up a checklist step made: done ticks the step, as `t` would.
    if let Some(t) = checklist_cmds::done_step(&mut env.store, &env.clock, follow_up_id)? {
        let contact_id = t.checklist.contact_id;
        let left_open = !followups::open_for(env.store.conn(), contact_id)?.is_empty();
        let msg = format!("Done and ticked: {}", t.step.text);
        return outcome(
            t.undo,
            msg,
            Event::Completed {
                contact_id,
                left_open,
            },
        );
    }
    let c = followup_cmds::done(&mut env.store, &env.clock, follow_up_id)?;
    let contact_id = c.done.contact_id;
    let msg = match &c.next {
        Some(n) => format!(
            "Done: {}. Next time: {}",
            c.done.text,
            when::describe(n.due_date, today)
        ),
        None => format!("Done: {}", c.done.text),
    };
    let left_open = !followups::open_for(env.store.conn(), contact_id)?.is_empty();
    outcome(
        c.undo(),
        msg,
        Event::Completed {
            contact_id,
            left_open,
        },
    )
}

fn tick(env: &mut Env, contact_id: i64) -> Result<Outcome> {
    let t = checklist_cmds::tick(
        &mut env.store,
        &env.clock,
        checklist_cmds::Tick {
            contact_id,
            which: checklist_cmds::Which::Next,
            checklist: None,
            force: false,
            note: None,
        },
    )?;
    let msg = match t.checklist.next_step() {
        Some(n) => format!("Ticked: {}. Next: {}", t.step.text, n.text),
        None => format!(
            "Ticked: {}. '{}' is complete",
            t.step.text, t.checklist.title
        ),
    };
    outcome(t.undo, msg, Event::Other)
}

fn snooze(env: &mut Env, follow_up_id: i64, until: When) -> Result<Outcome> {
    let now = env.clock.now().naive_local();
    let s = followup_cmds::snooze(&mut env.store, follow_up_id, until, now)?;
    let msg = format!(
        "Snoozed to {}: {}",
        when::describe(until.date, env.today()),
        s.follow_up.text
    );
    outcome(s.undo, msg, Event::Snoozed)
}

/// Act on a prompt's answer.
pub fn answer(env: &mut Env, ask: &Ask, text: &str) -> Result<Outcome> {
    match ask {
        Ask::Note { contact_id } => note(env, *contact_id, text),
        Ask::NextStep {
            contact_id,
            replaces,
        } => next_step(env, *contact_id, *replaces, text),
        Ask::AddContact => add_contact(env, text),
        Ask::AddDeal { contact } => add_deal(env, contact.as_ref().map(|c| c.0), text),
        Ask::LostReason { deal_id } => run(
            env,
            &Write::MoveDeal {
                deal_id: *deal_id,
                to: Stage::Lost,
                reason: Some(text.to_string()),
            },
        ),
        Ask::CloseDate { deal_id } => close_date(env, *deal_id, text),
        Ask::EditField { contact_id } => edit_field(env, *contact_id, text),
        Ask::SnoozeDate { follow_up_id } => {
            let until =
                when::parse(text, env.today(), Direction::Future).map_err(Error::invalid)?;
            snooze(env, *follow_up_id, until)
        }
        Ask::Record { contact_id } => record(env, *contact_id, text),
    }
}

/// `income 120 deposit`, `paid 450`, `expense 35.50 flour`, `time 1h30 site visit`: what
/// `tend income`, `tend expense` and `tend time` record, dated today, through the same
/// command layer and parsers.
fn record(env: &mut Env, contact_id: i64, text: &str) -> Result<Outcome> {
    let usage = || {
        Error::invalid_with_hint(
            format!(
                "cannot read '{}' as income, an expense or time",
                text.trim()
            ),
            "start with income, paid, expense or time, then the amount: expense 35.50 flour",
        )
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let kind = words.first().ok_or_else(usage)?.to_lowercase();
    // A duration may take words of its own ("1h 30m"): the longest run that reads as one.
    let is_time = matches!(kind.as_str(), "time" | "hours");
    let took = if is_time {
        (1..=words.len().saturating_sub(1).min(3))
            .rev()
            .find(|&n| parse_minutes(&words[1..=n].join(" ")).is_ok())
            .unwrap_or(1)
    } else {
        1
    };
    let amount = words.get(1..=took).ok_or_else(usage)?.join(" ");
    let amount = amount.as_str();
    let memo = words.get(took + 1..).unwrap_or_default().join(" ");
    let e = money_cmds::NewEntry {
        contact_id,
        deal_id: None,
        on_date: env.today(),
        memo: (!memo.is_empty()).then_some(memo),
    };
    let currency = env.settings.currency.clone();
    let money = |a: &str| currency.amount(a).map_err(Error::invalid);
    let saved = match kind.as_str() {
        "income" | "invoice" | "invoiced" => {
            money_cmds::income(&mut env.store, &env.clock, e, money(amount)?, None)?
        }
        "paid" => {
            let today = env.today();
            money_cmds::income(&mut env.store, &env.clock, e, money(amount)?, Some(today))?
        }
        "expense" | "spent" => money_cmds::expense(&mut env.store, &env.clock, e, money(amount)?)?,
        "time" | "hours" => {
            let minutes = parse_minutes(amount).map_err(Error::invalid)?;
            money_cmds::time(&mut env.store, &env.clock, e, minutes)?
        }
        _ => return Err(usage()),
    };
    let how_much = match (saved.amount_minor, saved.minutes) {
        (Some(a), _) => currency.format(a),
        (None, Some(m)) => format_minutes(m),
        (None, None) => String::new(),
    };
    let msg = format!(
        "Recorded {} {how_much} for {}{}",
        saved.kind,
        saved.contact,
        if saved.paid { " (paid)" } else { "" }
    );
    outcome(saved.undo(), msg, Event::Other)
}

fn note(env: &mut Env, contact_id: i64, text: &str) -> Result<Outcome> {
    let (kind, body) = split_kind(text);
    let added = note_cmds::add(
        &mut env.store,
        &env.clock,
        note_cmds::AddNote {
            contact_id,
            kind,
            body: body.to_string(),
            at: None,
            next: None,
        },
    )?;
    let msg = format!("Noted for {}", added.contact);
    outcome(added.undo(), msg, Event::Noted { contact_id })
}

fn next_step(env: &mut Env, contact_id: i64, replaces: Option<i64>, text: &str) -> Result<Outcome> {
    let today = env.today();
    let (when, what) = when::parse_next(text, today).map_err(Error::invalid)?;
    let set = match replaces {
        Some(id) => followup_cmds::replace(&mut env.store, id, when, &what)?,
        None => followup_cmds::set_next(
            &mut env.store,
            &env.clock,
            contact_id,
            NextStep {
                when,
                text: what,
                every: None,
            },
        )?,
    };
    let f = &set.follow_up;
    let msg = format!(
        "Next step for {}: {} ({})",
        f.contact,
        f.text,
        when::describe(f.due_date, today)
    );
    outcome(set.undo, msg, Event::NextStepSet { contact_id })
}

fn add_contact(env: &mut Env, text: &str) -> Result<Outcome> {
    let (name, email) = match text.split_once('<') {
        Some((n, rest)) => (
            n.trim(),
            Some(rest.trim_end_matches('>').trim().to_string()),
        ),
        None => (text.trim(), None),
    };
    let added = contact_cmds::add(
        &mut env.store,
        &env.clock,
        AddContact {
            name: name.to_string(),
            email,
            ..AddContact::default()
        },
    )?;
    let contact_id = added.contact.id;
    let msg = format!("Added {}", added.contact.name);
    outcome(added.undo(), msg, Event::ContactAdded { contact_id })
}

/// `WHO: TITLE VALUE`, or `TITLE VALUE` for `contact`.
fn add_deal(env: &mut Env, contact: Option<i64>, text: &str) -> Result<Outcome> {
    let (contact_id, rest) = match text.split_once(':') {
        Some((who, rest)) => (find::resolve(env.store.conn(), who)?.id, rest),
        None => match contact {
            Some(id) => (id, text),
            None => {
                return Err(Error::invalid(
                    "write it as WHO: TITLE VALUE, e.g. alice: kitchen cakes 1,200",
                ));
            }
        },
    };
    let (title, value) = title_and_value(rest.trim(), &env.settings.currency)?;
    let added = deal_cmds::add(
        &mut env.store,
        &env.clock,
        contact_id,
        title,
        value,
        Stage::New,
    )?;
    let msg = format!(
        "Added deal '{}' for {} (c sets when it should close)",
        added.deal.title, added.deal.contact
    );
    let deal_id = added.deal.id;
    outcome(added.undo, msg, Event::DealAdded { deal_id })
}

fn close_date(env: &mut Env, deal_id: i64, text: &str) -> Result<Outcome> {
    let today = env.today();
    let date = match text.trim() {
        "" | "-" | "none" => None,
        t => Some(
            when::parse(t, today, Direction::Future)
                .map_err(Error::invalid)?
                .date,
        ),
    };
    let moved = deal_cmds::set_expected_close(&mut env.store, &env.clock, deal_id, date)?;
    let msg = match date {
        Some(d) => format!(
            "'{}' should close {}",
            moved.deal.title,
            when::describe(d, today)
        ),
        None => format!("'{}' has no expected close date", moved.deal.title),
    };
    outcome(moved.undo, msg, Event::Other)
}

fn edit_field(env: &mut Env, contact_id: i64, text: &str) -> Result<Outcome> {
    let (key, value) = parse_field(text).map_err(Error::invalid)?;
    let mut edit = EditContact::default();
    match key.as_str() {
        "name" => edit.name = Some(value),
        "email" => edit.email = Some(value),
        "phone" => edit.phone = Some(value),
        "address" => edit.address = Some(value),
        "source" => edit.source = Some(value),
        "company" => edit.company = Some(value),
        _ if value.is_empty() => edit.unset_fields.push(key.clone()),
        _ => edit.set_fields.push((key.clone(), value)),
    }
    let e = contact_cmds::edit(&mut env.store, &env.clock, contact_id, edit)?;
    let msg = format!("Updated {} of {}", key, e.contact.name);
    outcome(e.undo, msg, Event::Other)
}

/// "salon site 2,400" → ("salon site", 240000); a title without an amount is worth nothing yet.
/// A last word that is an amount but a wrong one (`12,50`, `$400`, eleven million) is refused
/// rather than kept as part of the title.
fn title_and_value<'a>(rest: &'a str, currency: &Currency) -> Result<(&'a str, i64)> {
    let Some((title, last)) = rest.rsplit_once(' ') else {
        return Ok((rest, 0));
    };
    let looks_like_money = last.starts_with(|c: char| c.is_ascii_digit() || "£$€¥₹".contains(c))
        && last.chars().any(|c| c.is_ascii_digit());
    match currency.amount(last) {
        Ok(value) => Ok((title.trim(), value)),
        Err(e) if looks_like_money => Err(Error::invalid(e)),
        Err(_) => Ok((rest, 0)),
    }
}

/// "call: rang back" is a call; plain text is a note.
fn split_kind(text: &str) -> (NoteKind, &str) {
    if let Some((head, rest)) = text.split_once(':')
        && let Ok(kind) = head.parse::<NoteKind>()
    {
        return (kind, rest.trim());
    }
    (NoteKind::Note, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_kinds_can_lead_the_text() {
        assert_eq!(split_kind("call: rang back"), (NoteKind::Call, "rang back"));
        assert_eq!(
            split_kind("time: 14:00 works"),
            (NoteKind::Note, "time: 14:00 works")
        );
        assert_eq!(split_kind("plain"), (NoteKind::Note, "plain"));
    }

    #[test]
    fn a_deal_ends_with_its_value() {
        let gbp = Currency::default();
        let read = |s| title_and_value(s, &gbp).map_err(|e| e.to_string());
        assert_eq!(read("salon site 2,400"), Ok(("salon site", 240_000)));
        assert_eq!(read("salon site"), Ok(("salon site", 0)));
        assert_eq!(read("cakes"), Ok(("cakes", 0)));
        assert_eq!(read("room 101 refit"), Ok(("room 101 refit", 0)));
        assert!(read("tiers 12,50").is_err());
        assert!(read("tiers $400").is_err());
    }
}
