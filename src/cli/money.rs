//! `tend income`, `tend expense`, `tend time`, `tend paid`.

use clap::Args;

use super::{Ctx, json};
use crate::commands::money::{self as cmd, EntryKind, EntryRef, EntryRow, NewEntry};
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

/// "today", "yesterday", or "on Mon 2 Nov": a day to follow a verb.
fn on_day(date: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let d = when::describe(date, today);
    if date >= today - chrono::Days::new(1) {
        d
    } else {
        format!("on {d}")
    }
}

/// A day up to today as typed (`--on yesterday`), today when not given. Entries record what
/// has happened: a date ahead would count money not yet earned in this month's figures.
fn past_date(typed: Option<&str>, ctx: &Ctx) -> Result<chrono::NaiveDate> {
    let today = ctx.clock.today();
    let Some(s) = typed else {
        return Ok(today);
    };
    let date = when::parse(s, today, Direction::Past)
        .map_err(Error::invalid)?
        .date;
    if date > today {
        return Err(Error::invalid_with_hint(
            format!("'{s}' is {}, after today", date.format("%a %-d %b %Y")),
            "money and time are recorded for days that have passed (or today); for one still to come, set a next step: tend next WHO WHEN WHAT",
        ));
    }
    super::followups::warn_far(ctx, date);
    Ok(date)
}

fn entry(a: &EntryArgs, ctx: &Ctx) -> Result<NewEntry> {
    let on = past_date(a.on.as_deref(), ctx)?;
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
        (Some(s), _) => Some(past_date(Some(s), ctx)?),
        (None, true) => Some(today),
        (None, false) => None,
    };
    let e = entry(&a, ctx)?;
    let on = e.on_date;
    let saved = cmd::income(&mut ctx.store, &ctx.clock, e, amount, paid_on)?;
    let label = EntryRef::label(EntryKind::Income, saved.id);
    let what = format!("income {label} {}", settings.currency.format(amount));
    ctx.remember(&what, &saved.undo())?;
    if a.json {
        return json(&saved);
    }
    let state = match paid_on {
        Some(day) if saved.paid => format!("paid {}", on_day(day, today)),
        _ if saved.paid => "paid".to_string(),
        _ => "invoiced, not paid yet".to_string(),
    };
    // Entered afterwards with --paid: "today" is when it was typed, which may not be when the
    // money came.
    if a.paid && a.paid_on.is_none() && on < today {
        ctx.warn(
            "note:",
            &format!(
                "marked paid today; if it was paid earlier: tend paid {label} --on \"{}\"",
                on.format("%-d %b %Y")
            ),
        );
    }
    let mut out = format!(
        "Income {label}: {} from {} {} ({state}).\n",
        settings.currency.format(amount),
        one_line(&saved.contact),
        on_day(on, today)
    );
    if !saved.paid {
        out.push_str(&format!("When it is paid: tend paid {label}\n"));
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
    let label = EntryRef::label(EntryKind::Expense, saved.id);
    let what = format!("expense {label} {}", settings.currency.format(amount));
    ctx.remember(&what, &saved.undo())?;
    if a.json {
        return json(&saved);
    }
    Ok(format!(
        "Expense {label}: {} for {}.\n",
        settings.currency.format(amount),
        one_line(&saved.contact)
    ))
}

pub fn time(a: EntryArgs, ctx: &mut Ctx) -> Result<String> {
    let minutes = parse_minutes(&a.amount).map_err(Error::invalid)?;
    let e = entry(&a, ctx)?;
    let saved = cmd::time(&mut ctx.store, &ctx.clock, e, minutes)?;
    let label = EntryRef::label(EntryKind::Time, saved.id);
    let what = format!("time {label} {}", format_minutes(minutes));
    ctx.remember(&what, &saved.undo())?;
    if a.json {
        return json(&saved);
    }
    Ok(format!(
        "Time {label}: {} for {}.\n",
        format_minutes(minutes),
        one_line(&saved.contact)
    ))
}

#[derive(Debug, Args)]
pub struct PaidArgs {
    /// The income entry's id, i#7 (printed when it was recorded; tend entry list WHO)
    pub id: String,
    /// The day it was paid (default today)
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
}

/// `i#7`, or a bare 7 (the only kind that can be paid).
fn income_ref(typed: &str) -> Result<EntryRef> {
    let t = typed.trim();
    let r = if t.starts_with(|c: char| c.is_ascii_digit() || c == '#') {
        EntryRef::parse(&format!("i{t}"))?
    } else {
        EntryRef::parse(t)?
    };
    if r.kind != EntryKind::Income {
        return Err(Error::invalid_with_hint(
            format!("{} is not income: only income is paid", typed.trim()),
            "income ids look like i#7",
        ));
    }
    Ok(r)
}

pub fn paid(a: PaidArgs, ctx: &mut Ctx) -> Result<String> {
    let today = ctx.clock.today();
    let on = past_date(a.on.as_deref(), ctx)?;
    let r = income_ref(&a.id)?;
    let label = EntryRef::label(r.kind, r.id);
    let before = cmd::entry(ctx.store.conn(), r)?;
    if before.paid_on == Some(on) {
        // Said twice (a script run again, a second window): nothing to change or to undo.
        return Ok(format!(
            "Income {label} from {} was already marked paid {}; nothing changed.\n",
            one_line(&before.contact),
            on_day(on, today)
        ));
    }
    if let Some(was) = before.paid_on {
        ctx.warn(
            "note:",
            &format!(
                "{label} was marked paid {}; now {} (tend undo puts the first day back)",
                on_day(was, today),
                on_day(on, today)
            ),
        );
    }
    let (after, undo) = cmd::mark_paid(&mut ctx.store, r.id, on)?;
    ctx.remember(&format!("income {label} marked paid"), &undo)?;
    Ok(format!(
        "Income {label} from {} marked paid {}.\n",
        one_line(&after.contact),
        on_day(on, today)
    ))
}

#[derive(Debug, Args)]
pub struct EntryFixArgs {
    #[command(subcommand)]
    pub command: EntryFix,
}

/// Which entries `entry list` shows.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum EntryOf {
    Income,
    Expense,
    Time,
}

#[derive(Debug, clap::Subcommand)]
pub enum EntryFix {
    /// List entries, newest first, with their ids (i#7 income, e#7 expense, t#3 time)
    List {
        /// Whose entries [default: everyone's]
        who: Option<String>,
        /// Only this kind (income, expense or time); give it more than once for several
        #[arg(long, value_enum)]
        kind: Vec<EntryOf>,
        /// At most this many
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Correct an entry: tend entry edit i#7 1,200 (also --on, --memo, --deal, --unpaid)
    Edit(EntryEditArgs),
    /// Delete an entry (tend undo brings it back)
    Delete {
        /// i#7, e#7 or t#3
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct EntryEditArgs {
    /// i#7 (income), e#7 (expense) or t#3 (time): tend entry list WHO shows them
    pub id: String,
    /// The right amount (1,200) or time (1h30)
    #[arg(allow_hyphen_values = true)]
    pub value: Option<String>,
    /// The right date: yesterday, 2026-11-20
    #[arg(long, value_name = "WHEN")]
    pub on: Option<String>,
    /// What it was for (--memo "" clears it)
    #[arg(long)]
    pub memo: Option<String>,
    /// The deal it belongs to, d#12, or none
    #[arg(long, value_name = "DEAL")]
    pub deal: Option<String>,
    /// Income: paid on this day
    #[arg(long, value_name = "WHEN", conflicts_with = "unpaid")]
    pub paid_on: Option<String>,
    /// Income: not paid after all (back to invoiced)
    #[arg(long)]
    pub unpaid: bool,
    /// It was for someone else: move it to this contact
    #[arg(long, value_name = "WHO")]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// "£1,200", "2h30": an entry's amount or time as the user reads it.
fn value_of(e: &EntryRow, settings: &Settings) -> String {
    match (e.amount_minor, e.minutes) {
        (Some(a), _) => settings.currency.format(a),
        (None, Some(m)) => format_minutes(m),
        (None, None) => String::new(),
    }
}

/// What changed between two versions of an entry: "£12,000 → £1,200, date 2 Dec → 1 Dec".
fn changes(
    before: &EntryRow,
    after: &EntryRow,
    settings: &Settings,
    today: chrono::NaiveDate,
) -> String {
    let mut parts = Vec::new();
    let (b, a) = (value_of(before, settings), value_of(after, settings));
    if b != a {
        parts.push(format!("{b} → {a}"));
    }
    if before.on_date != after.on_date {
        parts.push(format!(
            "date {} → {}",
            when::describe(before.on_date, today),
            when::describe(after.on_date, today)
        ));
    }
    if before.memo != after.memo {
        parts.push(match &after.memo {
            Some(m) => format!("memo \"{}\"", one_line(m)),
            None => "memo cleared".into(),
        });
    }
    if before.deal_id != after.deal_id {
        parts.push(match after.deal_id {
            Some(d) => format!("deal d#{d}"),
            None => "no deal".into(),
        });
    }
    if before.contact_id != after.contact_id {
        parts.push(format!(
            "moved from {} to {}",
            one_line(&before.contact),
            one_line(&after.contact)
        ));
    }
    if before.paid_on != after.paid_on {
        parts.push(match after.paid_on {
            Some(d) => format!("paid {}", when::describe(d, today)),
            None => "not paid yet".into(),
        });
    }
    if parts.is_empty() {
        "nothing changed".into()
    } else {
        parts.join(", ")
    }
}

fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Income => "Income",
        EntryKind::Expense => "Expense",
        EntryKind::Time => "Time",
    }
}

pub fn entry_fix(a: EntryFixArgs, ctx: &mut Ctx) -> Result<String> {
    let settings = Settings::load()?;
    let today = ctx.clock.today();
    match a.command {
        EntryFix::List {
            who,
            kind,
            limit,
            json: as_json,
        } => {
            let contact = who.as_deref().map(|w| ctx.contact(w)).transpose()?;
            let kinds: Vec<EntryKind> = if kind.is_empty() {
                vec![EntryKind::Income, EntryKind::Expense, EntryKind::Time]
            } else {
                kind.iter()
                    .map(|k| match k {
                        EntryOf::Income => EntryKind::Income,
                        EntryOf::Expense => EntryKind::Expense,
                        EntryOf::Time => EntryKind::Time,
                    })
                    .collect()
            };
            let found = cmd::list(&ctx.store, contact, &kinds, limit)?;
            if as_json {
                return json(&serde_json::json!({
                    "currency": settings.currency.code,
                    "amounts_in": "minor units",
                    "entries": found,
                }));
            }
            if found.is_empty() {
                return Ok("No entries yet: tend income WHO AMOUNT, tend time WHO 1h30.\n".into());
            }
            Ok(entry_lines(&found, &settings, today, contact.is_none()))
        }
        EntryFix::Edit(e) => {
            let r = EntryRef::parse(&e.id)?;
            let mut patch = patch(&e, r, &settings, ctx)?;
            patch.contact_id = e.to.as_deref().map(|w| ctx.contact(w)).transpose()?;
            if patch.is_empty() {
                return Err(Error::invalid_with_hint(
                    "nothing to change",
                    format!(
                        "give the right value, or --on, --memo, --deal, --to{}: tend entry edit {} 1,200",
                        if r.kind == EntryKind::Income {
                            ", --paid-on, --unpaid"
                        } else {
                            ""
                        },
                        EntryRef::label(r.kind, r.id)
                    ),
                ));
            }
            let (before, after, undo) = cmd::edit_entry(&mut ctx.store, r, &patch)?;
            let label = EntryRef::label(r.kind, r.id);
            let what = changes(&before, &after, &settings, today);
            ctx.remember(
                &format!("{} {label} corrected: {what}", kind_name(r.kind)),
                &undo,
            )?;
            if e.json {
                return json(&after);
            }
            Ok(format!(
                "{} {label} for {}: {what}. tend undo takes it back.\n",
                kind_name(r.kind),
                one_line(&after.contact)
            ))
        }
        EntryFix::Delete { id } => {
            let r = EntryRef::parse(&id)?;
            let (before, undo) = cmd::delete_entry(&mut ctx.store, r)?;
            let label = EntryRef::label(r.kind, r.id);
            let what = format!(
                "{} {label} ({} for {}) deleted",
                kind_name(r.kind),
                value_of(&before, &settings),
                one_line(&before.contact)
            );
            ctx.remember(&what, &undo)?;
            Ok(format!("{what}. tend undo brings it back.\n"))
        }
    }
}

/// Read `entry edit`'s arguments into a patch, all of them before anything is written.
fn patch(
    e: &EntryEditArgs,
    r: EntryRef,
    settings: &Settings,
    ctx: &Ctx,
) -> Result<cmd::EntryPatch> {
    let value = match &e.value {
        None => None,
        Some(v) if r.kind == EntryKind::Time => Some(parse_minutes(v).map_err(Error::invalid)?),
        Some(v) => Some(settings.currency.amount(v).map_err(Error::invalid)?),
    };
    let deal_id = match e.deal.as_deref().map(str::trim) {
        None => None,
        Some(d) if d.eq_ignore_ascii_case("none") || d.is_empty() => Some(None),
        Some(d) => Some(Some(
            super::deals::parse_deal_id(d).map_err(Error::invalid)?,
        )),
    };
    let paid_on = match (&e.paid_on, e.unpaid) {
        (Some(w), _) => Some(Some(past_date(Some(w), ctx)?)),
        (None, true) => Some(None),
        (None, false) => None,
    };
    Ok(cmd::EntryPatch {
        value,
        on_date: e
            .on
            .as_deref()
            .map(|w| past_date(Some(w), ctx))
            .transpose()?,
        memo: e
            .memo
            .as_ref()
            .map(|m| Some(m.trim().to_string()).filter(|m| !m.is_empty())),
        deal_id,
        paid_on,
        contact_id: None,
    })
}

/// Entries as lines: id, date, amount or time, (whose), state, memo.
pub fn entry_lines(
    found: &[EntryRow],
    settings: &Settings,
    today: chrono::NaiveDate,
    with_names: bool,
) -> String {
    let mut out = String::new();
    for e in found {
        let state = match (e.kind, e.paid_on) {
            (EntryKind::Income, Some(_)) => "paid",
            (EntryKind::Income, None) => "invoiced",
            (EntryKind::Expense, _) => "expense",
            (EntryKind::Time, _) => "time",
        };
        let who = if with_names {
            format!(
                "  {}",
                crate::model::text::truncate(&one_line(&e.contact), 24)
            )
        } else {
            String::new()
        };
        let memo = e
            .memo
            .as_deref()
            .map(|m| format!("  {}", crate::model::text::truncate(&one_line(m), 40)))
            .unwrap_or_default();
        let deal = e.deal_id.map(|d| format!("  d#{d}")).unwrap_or_default();
        out.push_str(&format!(
            "  {:<7} {:<12} {:>12}  {:<8}{who}{deal}{memo}\n",
            EntryRef::label(e.kind, e.id),
            when::short(e.on_date, today),
            value_of(e, settings),
            state,
        ));
    }
    out
}
