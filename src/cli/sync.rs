//! `tend sync`: this book on several machines, through a folder your file syncer keeps.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Ctx, json};
use crate::commands::sync::{self, Status, SyncReport};
use std::io::IsTerminal;

use crate::error::{Error, Result};
use crate::model::text::one_line;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
    /// Also drop this machine's change files that every other machine has taken in, now
    /// (a snapshot keeps what they did); a sync does it by itself once they are many and a
    /// week old
    #[arg(long)]
    pub compact: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Sync this database through FOLDER (once per machine): a folder Syncthing, Dropbox,
    /// iCloud Drive or a USB stick keeps the same on every machine. The second machine joins
    /// the same folder and catches up from it
    Init {
        folder: PathBuf,
        /// Encrypt the change files with a passphrase (asked for, or TEND_SYNC_PASSPHRASE),
        /// for a folder on someone else's cloud. Chosen by the first machine; the others are
        /// asked for the same passphrase when they join
        #[arg(long)]
        encrypt: bool,
        #[arg(long)]
        json: bool,
    },
    /// This machine's replica id, its last sync, changes not sent yet, the other machines
    Status {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(a: SyncArgs, ctx: &mut Ctx) -> Result<String> {
    match a.command {
        None => report(&sync::run(&mut ctx.store, a.compact)?, a.json),
        Some(SyncCommand::Init {
            folder,
            encrypt,
            json,
        }) => {
            let r = sync::init_sealed(&mut ctx.store, &folder, encrypt, &passphrase)?;
            let mut out = report(&r, json)?;
            if !json {
                out = format!(
                    "This database now syncs through {} as {}.\nRun tend sync on each machine to send and take in changes (or let cron or a timer run it).\n{out}",
                    r.folder.display(),
                    r.replica
                );
            }
            Ok(out)
        }
        Some(SyncCommand::Status { json: as_json }) => {
            let s = sync::status(&ctx.store)?;
            if as_json || a.json {
                return json(&s);
            }
            Ok(status_text(&s))
        }
    }
}

/// The sync folder's passphrase: from TEND_SYNC_PASSPHRASE, or asked for on the terminal
/// (twice for a new one), never echoed.
fn passphrase(new: bool) -> Result<String> {
    if let Ok(p) = std::env::var("TEND_SYNC_PASSPHRASE") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid_with_hint(
            "the sync folder's passphrase is needed, and there is no terminal to ask it on",
            "give it in TEND_SYNC_PASSPHRASE, or run tend sync init in a terminal",
        ));
    }
    let asked = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| Error::invalid(format!("{e}")))
    };
    let first = asked(if new {
        "A passphrase for the sync folder (every machine joining it will need it): "
    } else {
        "The sync folder's passphrase: "
    })?;
    if new && asked("The same again: ")? != first {
        return Err(Error::invalid_with_hint(
            "the two passphrases differ; nothing was changed",
            "run tend sync init --encrypt again",
        ));
    }
    Ok(first)
}

fn report(r: &SyncReport, as_json: bool) -> Result<String> {
    if as_json {
        return json(r);
    }
    let mut out = String::new();
    let received: usize = r.received.values().sum();
    if r.sent == 0 && received == 0 && r.from_snapshot.is_none() {
        out.push_str("In step: nothing to send, nothing new from the other machines.\n");
    } else {
        if r.sent > 0 {
            out.push_str(&format!(
                "Sent {} change{} from this machine.\n",
                r.sent,
                if r.sent == 1 { "" } else { "s" }
            ));
        }
        for (who, n) in &r.received {
            out.push_str(&format!(
                "Took in {n} change{} from {who}.\n",
                if *n == 1 { "" } else { "s" }
            ));
        }
    }
    if let Some(who) = &r.from_snapshot {
        out.insert_str(0, &format!("Started from {who}'s snapshot.\n"));
    }
    if r.compacted > 0 {
        out.push_str(&format!(
            "Dropped {} old change file{} every machine has taken in (a snapshot keeps what they did).\n",
            r.compacted,
            if r.compacted == 1 { "" } else { "s" }
        ));
    }
    let currency = crate::config::Settings::load()
        .map(|s| s.currency)
        .unwrap_or_default();
    for c in &r.conflicts {
        // When a row was last written is bookkeeping, not something anyone typed.
        if matches!(c.field.as_str(), "updated_at" | "created_at" | "rev") {
            continue;
        }
        let money = |v: &serde_json::Value| match v.as_i64() {
            Some(minor) if c.field.ends_with("_minor") => currency.format(minor),
            _ => value(v),
        };
        let field = c.field.trim_end_matches("_minor").replace('_', " ");
        let what = match (&c.row, c.table.as_str()) {
            (Some(key), "contact_fields") => format!("{key:?}"),
            (Some(row), _) => format!("{row} {field}"),
            (None, _) => field,
        };
        out.push_str(&format!(
            "Both machines changed {}'s {what}: kept {}, the other was {}.\n",
            c.contact,
            money(&c.kept),
            money(&c.discarded)
        ));
    }
    for who in &r.kept_from_delete {
        out.push_str(&format!(
            "{who} was deleted on one machine and changed on another: kept, archived, with that change (tend archive {who:?} --undo brings them back). What the delete took with them (earlier notes, deals, money) stays deleted; the daily backups beside the database still have it.\n"
        ));
    }
    for p in &r.incomplete {
        out.push_str(&format!(
            "{} is still being copied; the next sync takes it in.\n",
            p.display()
        ));
    }
    if r.waiting > 0 {
        out.push_str(&format!(
            "{} change{} wait for others not in the folder yet; the next sync takes them in.\n",
            r.waiting,
            if r.waiting == 1 { "" } else { "s" }
        ));
    }
    Ok(out)
}

fn value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(empty)".into(),
        serde_json::Value::String(s) => format!("{:?}", one_line(s)),
        other => other.to_string(),
    }
}

fn status_text(s: &Status) -> String {
    let mut out = format!(
        "This machine: {}\nFolder: {}{}\nLast sync: {}\nNot sent yet: {} change{}\n",
        s.replica,
        s.folder.display(),
        if s.encrypted { " (encrypted)" } else { "" },
        s.last_sync.as_deref().unwrap_or("never"),
        s.pending,
        if s.pending == 1 { "" } else { "s" }
    );
    if s.peers.is_empty() {
        out.push_str("No other machine has synced through this folder yet.\n");
    }
    for p in &s.peers {
        out.push_str(&format!(
            "Other: {}{} · {} change{} taken in{} · last synced {}\n",
            p.name
                .as_deref()
                .map(|n| format!("{n} "))
                .unwrap_or_default(),
            format_args!("({})", p.replica),
            p.taken_in,
            if p.taken_in == 1 { "" } else { "s" },
            p.taken_in_at
                .as_deref()
                .map(|a| format!(" (last {a})"))
                .unwrap_or_default(),
            p.last_seen.as_deref().unwrap_or("not yet seen")
        ));
    }
    out
}
