//! `tend undo`: take back the newest change, made here or in the app; `--list` shows them.

use clap::Args;

use super::{Ctx, json};
use crate::commands::undo;
use crate::error::Result;
use crate::model::text::one_line;

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Show the recent changes (newest first) instead of undoing one
    #[arg(long)]
    pub list: bool,
    /// Forget the newest change's undo without applying it (when it cannot be undone)
    #[arg(long, conflicts_with = "list")]
    pub drop: bool,
    /// With --list: how many changes to show
    #[arg(long, default_value_t = 20, requires = "list")]
    pub limit: usize,
    /// Undo the newest change only if this front end made it (cli, app or mcp); otherwise
    /// refuse and change nothing
    #[arg(long, value_name = "WHO", conflicts_with_all = ["list", "drop"])]
    pub if_made_by: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: UndoArgs, ctx: &mut Ctx) -> Result<String> {
    if a.list {
        let recent = undo::history(&ctx.store, a.limit)?;
        if a.json {
            return json(&recent);
        }
        if recent.is_empty() {
            return Ok("No changes recorded yet.\n".into());
        }
        let s = ctx.style;
        let mut out = String::new();
        for l in &recent {
            let when = crate::clock::local(&l.made_at, ctx.clock.offset())
                .map(|t| t.format("%-d %b %H:%M").to_string())
                .unwrap_or_default();
            let state = match l.undone_at.as_deref() {
                None => "",
                Some(u) if u.starts_with("superseded") => "  (no longer undoable)",
                Some(u) if u.starts_with("dropped") => "  (undo dropped)",
                Some(_) => "  (undone)",
            };
            out.push_str(&format!(
                "{} {:<13} {:<4} {}{}\n",
                s.dim(&format!("{:<5}", l.id)),
                when,
                l.made_by,
                one_line(&l.what),
                s.dim(state)
            ));
        }
        return Ok(out);
    }
    if a.drop {
        return Ok(match undo::drop_last(&mut ctx.store, &ctx.clock)? {
            Some((id, what)) => {
                format!("Forgot the undo of change {id}: {what} (the change stays).\n")
            }
            None => "Nothing to undo.\n".into(),
        });
    }
    match undo::undo_last(&mut ctx.store, &ctx.clock, a.if_made_by.as_deref())? {
        Some((id, what)) => {
            let next = match undo::next_undoable(&ctx.store)? {
                Some(before) => format!(
                    "tend undo again takes back the one before: {}.",
                    one_line(&before)
                ),
                None => "That was the oldest change that can be undone.".into(),
            };
            Ok(format!("Undid change {id}: {what}.\n{next}\n"))
        }
        None => Ok("Nothing to undo.\n".into()),
    }
}
