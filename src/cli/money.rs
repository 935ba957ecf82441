//! `tend income`, `tend expense`, `tend time`, `tend paid`.

use clap::Args;

use super::{Ctx, json};
use crate::commands::money::{self as cmd, NewEntry};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::model::duration::{format_minutes, parse_minutes};
use crate::model::text::one_line;
use crate::when::{self, Direction};

#[derive(Debug, Args)]
pub struct EntryArgs {
    /// Who it is for
    pub who: String,
    /// How much: 1250, 1,250.50 (for time: 45m, 1h30, 2.5h)
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// The deal it belongs to: its id, d#12 (tend deal list)
    #[arg(long, value_parser = super::deals::parse_deal_id)]
    pub deal: Option<i64>,
    /// When (default today): yesterday, mon, 2026-11-20
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
    /// What it was for
    #[arg(long)]
    pub memo: Option<String>,
    /// Income only: it has been paid (today, or --paid-on)
    #[arg(long)]
    pub paid: bool,
    /// Income only: the day it was paid
    #[arg(long, value_name = "WHEN")]
    pub paid_on: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// A day in the past as typed (`--on yesterday`), today when not given.
fn past_date(typed: Option<&str>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    match typed {
        Some(s) => Ok(when::parse(s, today, Direction::Past)
            .map_err(Error::invalid)?
            .date),
        None => Ok(today),
    }
}

fn entry(a: &EntryArgs, ctx: &Ctx) -> Result<NewEntry> {
    let today = ctx.clock.today();
    let on = past_date(a.on.as_deref(), today)?;
    Ok(NewEntry {
        contact_id: ctx.contact(&a.who)?,
        deal_id: a.deal,
        on_date: on,
        memo: a.memo.clone(),
    })
}

pub fn income(a: EntryArgs, ctx: &mut Ctx) -> Result<String> {
    // Everything is read before anything is written: a broken config.toml must not leave an
    // entry saved behind an error (and the user entering it twice).
    let settings = Settings::load()?;
    let amount = settings
        .currency
        .amount(&a.amount)
        .map_err(Error::invalid)?;
    let today = ctx.clock.today();
    let paid_on = match (&a.paid_on, a.paid) {
        (Some(s), _) => Some(past_date(Some(s), today)?),
        (None, true) => Some(today),
        (None, false) => None,
    };
    let e = entry(&a, ctx)?;
    let on = e.on_date;
    let saved = cmd::income(&mut ctx.store, &ctx.clock, e, amount, paid_on)?;
    let what = format!("income #{} {}", saved.id, settings.currency.format(amount));
    ctx.remember(&what, &saved.undo())?;
    if a.json {
        return json(&saved);
    }
    let state = if saved.paid {
        "paid"
    } else {
        "invoiced, not paid yet"
    };
    let mut out = format!(
        "Income #{}: {} from {} on {} ({state}).\n",
        saved.id,
        settings.currency.format(amount),
        one_line(&saved.contact),
        when::describe(on, today)
    );
    if !saved.paid {
        out.push_str(&format!("When it is paid: tend paid {}\n", saved.id));
    }
    Ok(out)
}

pub fn expense(a: EntryArgs, ctx: &mut Ctx) -> Result<String> {
    let settings = Settings::load()?;
    let amount = settings
        .currency
        .amount(&a.amount)
        .map_err(Error::invalid)?;
    let e = entry(&a, ctx)?;
    let saved = cmd::expense(&mut ctx.store, &ctx.clock, e, amount)?;
    let what = format!("expense #{} {}", saved.id, settings.currency.format(amount));
    ctx.remember(&what, &saved.undo())?;
    if a.json {
        return json(&saved);
    }
    Ok(format!(
        "Expense #{}: {} for {}.\n",
        saved.id,
        settings.currency.format(amount),
        one_line(&saved.contact)
    ))
}

pub fn time(a: EntryArgs, ctx: &mut Ctx) -> Result<String> {
    let minutes = parse_minutes(&a.amount).map_err(Error::invalid)?;
    let e = entry(&a, ctx)?;
    let saved = cmd::time(&mut ctx.store, &ctx.clock, e, minutes)?;
    let what = format!("time #{} {}", saved.id, format_minutes(minutes));
    ctx.remember(&what, &saved.undo())?;
    if a.json {
        return json(&saved);
    }
    Ok(format!(
        "Time #{}: {} for {}.\n",
        saved.id,
        format_minutes(minutes),
        one_line(&saved.contact)
    ))
}

#[derive(Debug, Args)]
pub struct PaidArgs {
    /// The income entry's id (printed when it was recorded)
    pub id: i64,
    /// The day it was paid (default today)
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
}

pub fn paid(a: PaidArgs, ctx: &mut Ctx) -> Result<String> {
    let today = ctx.clock.today();
    let on = past_date(a.on.as_deref(), today)?;
    cmd::mark_paid(&mut ctx.store, a.id, on)?;
    Ok(format!(
        "Income #{} marked paid on {}.\n",
        a.id,
        when::describe(on, today)
    ))
}

#[derive(Debug, Args)]
pub struct EntryFixArgs {
    #[command(subcommand)]
    pub command: EntryFix,
}

/// Which entries: income and expenses share their ids; time has its own.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum EntryOf {
    Income,
    Expense,
    Time,
}

#[derive(Debug, clap::Subcommand)]
pub enum EntryFix {
    /// Correct an entry's amount or time: tend entry edit income 7 1,200
    Edit {
        kind: EntryOf,
        /// The id printed when it was recorded (Income #7)
        id: String,
        /// The right amount (1,200) or time (1h30)
        value: String,
    },
    /// Delete an entry (tend undo brings it back)
    Delete { kind: EntryOf, id: String },
}

fn entry_id(typed: &str) -> Result<i64> {
    super::output::parse_id(
        typed,
        '#',
        "an entry id",
        "it is the number printed when it was recorded: Income #7, Time #3",
    )
}

pub fn entry_fix(a: EntryFixArgs, ctx: &mut Ctx) -> Result<String> {
    let settings = Settings::load()?;
    let (kind, id, undo, verb) = match a.command {
        EntryFix::Edit { kind, id, value } => {
            let id = entry_id(&id)?;
            let (table, v) = match kind {
                EntryOf::Time => (
                    cmd::EntryKind::Time,
                    parse_minutes(&value).map_err(Error::invalid)?,
                ),
                _ => (
                    cmd::EntryKind::Money,
                    settings.currency.amount(&value).map_err(Error::invalid)?,
                ),
            };
            let undo = cmd::correct_entry(&mut ctx.store, table, id, v)?;
            (kind, id, undo, format!("corrected to {value}"))
        }
        EntryFix::Delete { kind, id } => {
            let id = entry_id(&id)?;
            let table = match kind {
                EntryOf::Time => cmd::EntryKind::Time,
                _ => cmd::EntryKind::Money,
            };
            let undo = cmd::delete_entry(&mut ctx.store, table, id)?;
            (kind, id, undo, "deleted".to_string())
        }
    };
    let name = format!("{kind:?} #{id}");
    ctx.remember(&format!("{name} {verb}"), &undo)?;
    Ok(format!("{name} {verb}. tend undo takes it back.\n"))
}
