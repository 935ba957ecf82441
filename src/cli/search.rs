//! `tend search QUERY`

use clap::Args;

use super::output::local_date;
use super::{Ctx, json};
use crate::commands::search;
use crate::error::{Error, Result};
use crate::model::text::{one_line, truncate};
use crate::when;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for in names, details and notes
    #[arg(required = true)]
    pub query: Vec<String>,
    /// At most this many contacts and this many notes
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print the results as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SearchArgs, ctx: &mut Ctx) -> Result<String> {
    let q = a.query.join(" ");
    if q.trim().is_empty() {
        return Err(Error::invalid_with_hint(
            "nothing to search for",
            "e.g. tend search quote",
        ));
    }
    let found = search::search(ctx.store.conn(), &q, a.limit)?;
    if a.json {
        return json(&found);
    }
    let s = ctx.style;
    let today = ctx.clock.today();
    if found.contacts.is_empty() && found.notes.is_empty() && found.follow_ups.is_empty() {
        return Ok(format!("Nothing matches '{}'.\n", one_line(&q)));
    }
    let mut out = String::new();
    if !found.contacts.is_empty() {
        out.push_str(&format!(
            "{}\n",
            s.heading(&format!("Contacts ({})", found.contacts.len()))
        ));
        for hit in &found.contacts {
            let c = &hit.contact;
            // A name match explains itself; any other says where the text was.
            let why = if hit.matched == "name" {
                String::new()
            } else {
                format!("  (matched {})", truncate(&one_line(&hit.matched), 60))
            };
            out.push_str(&format!(
                "  {} {}  {}{}\n",
                s.dim(&format!("#{:<5}", c.id)),
                one_line(&c.name),
                s.dim(&one_line(c.detail.as_deref().unwrap_or(""))),
                s.dim(&why)
            ));
        }
    }
    if !found.notes.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}\n",
            s.heading(&format!("Notes ({})", found.notes.len()))
        ));
        for n in &found.notes {
            let date = local_date(&n.at, ctx.clock.offset())
                .map(|d| when::describe(d, today))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {:<14} {:<20} {}\n",
                s.dim(&date),
                truncate(&one_line(&n.contact), 20),
                truncate(&one_line(&n.body), 80)
            ));
        }
    }
    if !found.follow_ups.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}\n",
            s.heading(&format!("Follow-ups ({})", found.follow_ups.len()))
        ));
        for f in &found.follow_ups {
            let state = if f.done_at.is_some() { "  (done)" } else { "" };
            out.push_str(&format!(
                "  {}{}\n",
                super::output::follow_up_line(f, today, s, true),
                s.dim(state)
            ));
        }
    }
    Ok(out)
}
