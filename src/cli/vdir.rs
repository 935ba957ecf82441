//! `tend vdir sync`: keep a folder of vCards (a vdir, for vdirsyncer and khard) in step.

use clap::{Args, Subcommand};

use super::{Ctx, json};
use crate::commands::undo::Undo;
use crate::commands::vdir::{self, Selection, SyncReport};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::model::text::one_line;

#[derive(Debug, Args)]
pub struct VdirArgs {
    #[command(subcommand)]
    pub command: VdirCommand,
}

#[derive(Debug, Subcommand)]
pub enum VdirCommand {
    /// Bring the contacts folder and tend in step, both ways: what changed on either side since
    /// the last sync goes to the other ([vdir] contacts = "PATH" in config.toml)
    Sync {
        /// Say what would change on each side, and change nothing
        #[arg(long, short = 'n')]
        dry_run: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
}

pub fn run(a: VdirArgs, ctx: &mut Ctx) -> Result<String> {
    let VdirCommand::Sync {
        dry_run,
        json: as_json,
    } = a.command;
    let settings = Settings::load()?;
    let Some(dir) = settings.vdir_contacts.clone() else {
        return Err(Error::invalid_with_hint(
            "no contacts folder to sync with",
            format!(
                "say which in {}: [vdir] then contacts = \"~/.local/share/tend/contacts\" (the folder vdirsyncer keeps for your address book)",
                settings
                    .path
                    .as_ref()
                    .map_or("config.toml".to_string(), |p| p.display().to_string())
            ),
        ));
    };
    let selection = Selection {
        tags: settings.vdir_tags.clone(),
        statuses: settings.vdir_statuses.clone(),
    };
    let mut report = vdir::sync_contacts(&mut ctx.store, &ctx.clock, &dir, &selection, dry_run)?;
    let undo = std::mem::take(&mut report.undo);
    if !undo.is_empty() {
        let what = format!(
            "vdir sync: {} created, {} updated, {} archived from the folder",
            report.created.len(),
            report.updated.len(),
            report.archived.len()
        );
        ctx.remember(&what, &Undo::Together(undo))?;
    }
    if as_json {
        return json(&report);
    }
    Ok(describe(&report, &dir))
}

fn describe(r: &SyncReport, dir: &std::path::Path) -> String {
    let mut out = String::new();
    let head = if r.dry_run {
        "Dry run of the sync with"
    } else {
        "Synced with"
    };
    out.push_str(&format!(
        "{head} {}: into tend {} created, {} updated, {} archived; into the folder {} written, {} removed{}.\n",
        dir.display(),
        r.created.len(),
        r.updated.len(),
        r.archived.len(),
        r.written.len(),
        r.removed.len(),
        if r.changed_nothing() { " (nothing to do)" } else { "" },
    ));
    let list = |out: &mut String, what: &str, items: &[String]| {
        for i in items.iter().take(20) {
            out.push_str(&format!("  {what} {}\n", one_line(i)));
        }
        if items.len() > 20 {
            out.push_str(&format!("  … and {} more\n", items.len() - 20));
        }
    };
    let verb = |done: &'static str, would: &'static str| if r.dry_run { would } else { done };
    list(&mut out, verb("created", "would create"), &r.created);
    list(&mut out, verb("updated", "would update"), &r.updated);
    list(&mut out, verb("archived", "would archive"), &r.archived);
    list(&mut out, verb("wrote", "would write"), &r.written);
    list(&mut out, verb("removed", "would remove"), &r.removed);
    for c in &r.conflicts {
        out.push_str(&format!(
            "  both changed {}: tend's kept, the folder's written in a note\n",
            one_line(c)
        ));
    }
    for (path, why) in &r.unreadable {
        out.push_str(&format!(
            "  could not read {path}: {}; left as it is\n",
            one_line(why)
        ));
    }
    if r.dry_run {
        out.push_str("Nothing was changed.\n");
    } else if !r.created.is_empty() || !r.updated.is_empty() || !r.archived.is_empty() {
        out.push_str("tend undo takes back what the sync changed in tend.\n");
    }
    out
}
