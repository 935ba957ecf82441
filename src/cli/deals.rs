//! `tend deal add|list|show|move|won|lost|edit|delete`: the pipeline from the shell, with the
//! ids (`d#12`) that `tend show`, the app and `tend income --deal` use.

use clap::{Args, Subcommand};

use super::{Ctx, Style, json};
use crate::commands::deals::{self as cmd, DealEdit};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::model::money::Currency;
use crate::model::text::one_line;
use crate::model::{Deal, Stage};
use crate::store::deals::{self, NewDeal};
use crate::when::{self, Direction};

#[derive(Debug, Args)]
pub struct DealArgs {
    #[command(subcommand)]
    pub command: DealCommand,
}

#[derive(Debug, Subcommand)]
pub enum DealCommand {
    /// Add a deal: tend deal add alice "kitchen refit" 4,500 --close eom
    Add {
        /// Who it is with
        who: String,
        /// What it is
        title: String,
        /// What it is worth: 4,500 or 1,250.50
        value: Option<String>,
        /// new, qualified, proposal, negotiation, won or lost
        #[arg(long, default_value = "new")]
        stage: Stage,
        /// When it should close: eom, fri, 15 jan
        #[arg(long, value_name = "WHEN")]
        close: Option<String>,
        /// Chance of winning in percent, instead of the stage's
        #[arg(long)]
        probability: Option<u8>,
        #[arg(long)]
        json: bool,
    },
    /// List deals (open first), or those in one stage
    List {
        #[arg(long)]
        stage: Option<Stage>,
        #[arg(long)]
        json: bool,
    },
    /// Show one deal
    Show {
        /// The deal's id: 12, #12 or d#12
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a deal to a stage
    Move { id: String, stage: Stage },
    /// Mark a deal won (a lead or prospect becomes a client)
    Won { id: String },
    /// Mark a deal lost, and why
    Lost {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Correct a deal: its title, value, expected close or probability
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        value: Option<String>,
        /// A date, or "none" to clear it
        #[arg(long, value_name = "WHEN")]
        close: Option<String>,
        /// Percent, or "stage" for the stage's default
        #[arg(long)]
        probability: Option<String>,
    },
    /// Delete a deal (income and time recorded against it are kept)
    Delete {
        id: String,
        /// Do it without asking
        #[arg(long)]
        yes: bool,
    },
}

/// For clap: `--deal d#12`.
pub fn parse_deal_id(typed: &str) -> std::result::Result<i64, String> {
    deal_id(typed).map_err(|e| e.to_string())
}

/// "12", "#12", "d#12", "D12".
fn deal_id(typed: &str) -> Result<i64> {
    super::output::parse_id(
        typed,
        'd',
        "a deal id",
        "deal ids look like d#12: tend deal list shows them",
    )
}

fn close_date(typed: &str, ctx: &Ctx) -> Result<Option<chrono::NaiveDate>> {
    match typed.trim() {
        "none" | "-" | "" => Ok(None),
        t => Ok(Some(
            when::parse(t, ctx.clock.today(), Direction::Future)
                .map_err(Error::invalid)?
                .date,
        )),
    }
}

pub fn run(a: DealArgs, ctx: &mut Ctx) -> Result<String> {
    // Settings first: nothing is written before everything needed has been read.
    let settings = Settings::load()?;
    let cur = &settings.currency;
    match a.command {
        DealCommand::Add {
            who,
            title,
            value,
            stage,
            close,
            probability,
            json: as_json,
        } => {
            let value_minor = match &value {
                Some(v) => cur.amount(v).map_err(Error::invalid)?,
                None => 0,
            };
            let expected_close = match &close {
                Some(c) => close_date(c, ctx)?,
                None => None,
            };
            let contact_id = ctx.contact(&who)?;
            let made = cmd::create(
                &mut ctx.store,
                &ctx.clock,
                NewDeal {
                    contact_id,
                    title,
                    value_minor,
                    stage,
                    probability,
                    expected_close,
                },
            )?;
            ctx.remember(&format!("deal d#{} added", made.deal.id), &made.undo)?;
            let d = made.deal;
            if as_json {
                return json(&d);
            }
            Ok(format!("Added {}\n", line(&d, cur, ctx)))
        }
        DealCommand::List {
            stage,
            json: as_json,
        } => {
            let all = deals::list(ctx.store.conn(), stage)?;
            if as_json {
                return json(&all);
            }
            if all.is_empty() {
                return Ok("No deals yet: tend deal add WHO TITLE VALUE\n".into());
            }
            Ok(all.iter().map(|d| line(d, cur, ctx) + "\n").collect())
        }
        DealCommand::Show { id, json: as_json } => {
            let d = cmd::get(ctx.store.conn(), deal_id(&id)?)?;
            if as_json {
                return json(&d);
            }
            Ok(format!("{}\n", line(&d, cur, ctx)))
        }
        DealCommand::Move { id, stage } => moved(ctx, &id, stage, None, cur),
        DealCommand::Won { id } => moved(ctx, &id, Stage::Won, None, cur),
        DealCommand::Lost { id, reason } => moved(ctx, &id, Stage::Lost, Some(&reason), cur),
        DealCommand::Edit {
            id,
            title,
            value,
            close,
            probability,
        } => {
            let id = deal_id(&id)?;
            let e = DealEdit {
                title,
                value_minor: match &value {
                    Some(v) => Some(cur.amount(v).map_err(Error::invalid)?),
                    None => None,
                },
                expected_close: match &close {
                    Some(c) => Some(close_date(c, ctx)?),
                    None => None,
                },
                probability: match probability.as_deref().map(str::trim) {
                    Some("stage" | "default") => Some(None),
                    Some(p) => Some(Some(p.trim_end_matches('%').parse().map_err(|_| {
                        Error::invalid_with_hint(
                            format!("'{p}' is not a probability"),
                            "give a percent from 0 to 100, or \"stage\" for the stage's default",
                        )
                    })?)),
                    None => None,
                },
            };
            let edited = cmd::edit(&mut ctx.store, &ctx.clock, id, e)?;
            ctx.remember(&format!("deal d#{id} edited"), &edited.undo)?;
            let d = edited.deal;
            Ok(format!("Updated {}\n", line(&d, cur, ctx)))
        }
        DealCommand::Delete { id, yes } => {
            let id = deal_id(&id)?;
            let d = cmd::get(ctx.store.conn(), id)?;
            if !yes {
                return Err(Error::invalid_with_hint(
                    format!(
                        "deleting d#{id} '{}' removes it and its stage history (income, time and follow-ups recorded against it are kept, no longer tied to it)",
                        one_line(&d.title)
                    ),
                    format!(
                        "to go ahead: tend deal delete {id} --yes (or mark it lost: tend deal lost {id} --reason ...)"
                    ),
                ));
            }
            let (d, undo) = cmd::delete(&mut ctx.store, id)?;
            ctx.remember(&format!("deal d#{id} '{}' deleted", d.title), &undo)?;
            Ok(format!(
                "Deleted d#{} '{}' for {}. tend undo brings it back.\n",
                d.id,
                one_line(&d.title),
                one_line(&d.contact)
            ))
        }
    }
}

fn moved(
    ctx: &mut Ctx,
    id: &str,
    to: Stage,
    reason: Option<&str>,
    cur: &Currency,
) -> Result<String> {
    let id = deal_id(id)?;
    let before = cmd::get(ctx.store.conn(), id)?;
    let status_before = crate::store::contacts::get(ctx.store.conn(), before.contact_id)?.status;
    let m = cmd::move_to(&mut ctx.store, &ctx.clock, id, to, reason)?;
    ctx.remember(&format!("deal d#{id} moved to {}", to.title()), &m.undo)?;
    let d = m.deal;
    let mut out = format!("Moved {}\n", line(&d, cur, ctx));
    let status = crate::store::contacts::get(ctx.store.conn(), d.contact_id)?.status;
    if status != status_before {
        out.push_str(&format!("{} is now a {status}.\n", one_line(&d.contact)));
    }
    Ok(out)
}

/// "d#12 kitchen refit · Alice Smith · £4,500 · proposal (50%) · close Fri 31 Dec".
pub fn line(d: &Deal, cur: &Currency, ctx: &Ctx) -> String {
    deal_line(d, cur, ctx.clock.today(), ctx.style)
}

pub fn deal_line(d: &Deal, cur: &Currency, today: chrono::NaiveDate, s: Style) -> String {
    let mut out = format!(
        "{} {} · {} · {} · {} ({}%)",
        s.dim(&format!("d#{}", d.id)),
        one_line(&d.title),
        one_line(&d.contact),
        cur.format(d.value_minor),
        d.stage.title(),
        d.probability()
    );
    if let Some(c) = d.expected_close.filter(|_| !d.stage.is_closed()) {
        out.push_str(&format!(" · close {}", when::describe(c, today)));
        if c < today {
            out.push_str(&s.warn(" (past: move it on, or the date)"));
        }
    }
    if let Some(r) = &d.lost_reason {
        out.push_str(&format!(" · lost: {}", one_line(r)));
    }
    out
}
