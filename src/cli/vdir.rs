//! `tend vdir sync`: keep a folder of vCards (a vdir, for vdirsyncer and khard) in step.

use clap::{Args, Subcommand};

use super::{Ctx, json};
use crate::commands::undo::Undo;
use crate::commands::vdir::{self, Selection, SyncReport};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::interop::ics;
use crate::model::text::one_line;

#[derive(Debug, Args)]
pub struct VdirArgs {
    #[command(subcommand)]
    pub command: VdirCommand,
}

#[derive(Debug, Subcommand)]
pub enum VdirCommand {
    /// Bring the contacts and calendar folders and tend in step, both ways: what changed on
    /// either side since the last sync goes to the other ([vdir] contacts = "PATH" and
    /// calendar = "PATH" in config.toml)
    Sync {
        /// Say what would change on each side, and change nothing
        #[arg(long, short = 'n')]
        dry_run: bool,
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
        /// Go on when most of a folder's files are gone (tend archives those contacts and
        /// finishes those follow-ups; it never deletes them)
        #[arg(long)]
        accept_deletions: bool,
        /// Started by `[vdir] auto` after a change: when another such sync is already waiting
        /// its turn, that one will carry this change too, so this one ends at once
        #[arg(long, hide = true)]
        background: bool,
    },
}

fn lock_path(db: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    db.with_file_name(name)
}

/// `[vdir] auto = true`: after a command changed something, `tend vdir sync` in a process of
/// its own, so the command returns at once; what it says goes to `tend.db.vdir-sync.log`
/// beside the database. Costs reading config.toml on the runs that changed something.
pub fn start_auto_sync(db: &std::path::Path) {
    let Ok(settings) = Settings::load() else {
        return;
    };
    if !settings.vdir_auto || (settings.vdir_contacts.is_none() && settings.vdir_calendar.is_none())
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".vdir-sync.log");
    let log_path = db.with_file_name(name);
    // The last background sync's refusal, said where the user is looking.
    if let Ok(last) = std::fs::read_to_string(&log_path)
        && let Some(err) = last.lines().find(|l| l.starts_with("error:"))
    {
        eprintln!(
            "warning: the last background vdir sync failed ({}): {err}",
            log_path.display()
        );
    }
    let Ok(log) = std::fs::File::create(&log_path) else {
        return;
    };
    let Ok(err) = log.try_clone() else {
        return;
    };
    super::files::start_in_background(
        std::process::Command::new(exe)
            .arg("--db")
            .arg(db)
            .args(["vdir", "sync", "--background"])
            .stdin(std::process::Stdio::null())
            .stdout(log)
            .stderr(err),
    );
}

/// Both folders' reports, for --json.
#[derive(serde::Serialize)]
struct Reports<'a> {
    contacts: Option<&'a SyncReport>,
    calendar: Option<&'a SyncReport>,
}

pub fn run(a: VdirArgs, ctx: &mut Ctx) -> Result<String> {
    let VdirCommand::Sync {
        dry_run,
        json: as_json,
        accept_deletions,
        background,
    } = a.command;
    let how = vdir::How {
        dry_run,
        accept_deletions,
    };
    let settings = Settings::load()?;
    if settings.vdir_contacts.is_none() && settings.vdir_calendar.is_none() {
        return Err(Error::invalid_with_hint(
            "no folder to sync with",
            format!(
                "say which in {}: [vdir] then contacts = \"~/.local/share/tend/vdir/contacts/tend-contacts\" and calendar = \"~/.local/share/tend/vdir/calendar/tend-follow-ups\" (the folders vdirsyncer keeps for your address book and calendar; README: On your phone)",
                settings
                    .path
                    .as_ref()
                    .map_or("config.toml".to_string(), |p| p.display().to_string())
            ),
        ));
    }
    // One sync at a time (a background one after a change, cron's, yours): two reading the
    // same new file would both make its contact.
    let open = |suffix: &str| {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(ctx.store.path(), suffix))
    };
    // A burst of captures starts a burst of background syncs: one runs, one waits (it will
    // see every change made before it starts), the rest have nothing left to do.
    let waiting = if background {
        let w = open(".vdir-wait")?;
        if w.try_lock().is_err() {
            return Ok(String::new());
        }
        Some(w)
    } else {
        None
    };
    let lock = open(".vdir-lock")?;
    lock.lock()?;
    drop(waiting);
    let (contacts, calendar) = sync(ctx, &settings, how)?;
    drop(lock);
    if as_json {
        return json(&Reports {
            contacts: contacts.as_ref(),
            calendar: calendar.as_ref(),
        });
    }
    let mut out = String::new();
    if let (Some(r), Some(dir)) = (&contacts, &settings.vdir_contacts) {
        out.push_str(&describe(r, dir, "contacts"));
    }
    if let (Some(r), Some(dir)) = (&calendar, &settings.vdir_calendar) {
        out.push_str(&describe(r, dir, "follow-ups"));
    }
    let changed: usize = [&contacts, &calendar]
        .iter()
        .filter_map(|r| r.as_ref())
        .map(SyncReport::changed_in_tend)
        .sum();
    if dry_run {
        out.push_str("Nothing was changed.\n");
    } else if changed > 0 {
        out.push_str("tend undo takes back what the sync changed in tend.\n");
    }
    Ok(out)
}

/// Each configured folder synced, contacts first (a new task on the phone may name a contact
/// the phone just added); what they changed in tend is one undo.
pub fn sync(
    ctx: &mut Ctx,
    settings: &Settings,
    how: vdir::How,
) -> Result<(Option<SyncReport>, Option<SyncReport>)> {
    let contacts = match &settings.vdir_contacts {
        Some(dir) => {
            let selection = Selection {
                tags: settings.vdir_tags.clone(),
                statuses: settings.vdir_statuses.clone(),
            };
            Some(vdir::sync_contacts(
                &mut ctx.store,
                &ctx.clock,
                dir,
                &selection,
                how,
            )?)
        }
        None => None,
    };
    let calendar = |ctx: &mut Ctx| -> Result<Option<SyncReport>> {
        let Some(dir) = &settings.vdir_calendar else {
            return Ok(None);
        };
        {
            let opts = ics::Options {
                shape: if settings.vdir_events {
                    ics::Shape::Event
                } else {
                    ics::Shape::Todo
                },
                alarm_minutes: settings.calendar_alarm_minutes,
                all_day_alarm: settings.calendar_all_day_alarm,
            };
            Ok(Some(vdir::sync_calendar(
                &mut ctx.store,
                &ctx.clock,
                dir,
                &opts,
                how,
            )?))
        }
    };
    // What the contacts' sync changed is remembered even when the calendar's then fails.
    let (calendar, failed) = match calendar(ctx) {
        Ok(c) => (c, None),
        Err(e) => (None, Some(e)),
    };
    let mut undo = Vec::new();
    let mut what = Vec::new();
    for r in [&contacts, &calendar].into_iter().flatten() {
        undo.extend(r.undo.iter().cloned());
    }
    if let Some(r) = &contacts {
        what.push(format!(
            "{} contacts created, {} updated, {} archived",
            r.created.len(),
            r.updated.len(),
            r.archived.len()
        ));
    }
    if let Some(r) = &calendar {
        what.push(format!(
            "{} follow-ups created, {} changed, {} done",
            r.created.len(),
            r.updated.len(),
            r.completed.len()
        ));
    }
    let clashes: usize = [&contacts, &calendar]
        .into_iter()
        .flatten()
        .map(|r| r.conflicts.len())
        .sum();
    if clashes > 0 {
        what.push(format!("{clashes} clashes kept in notes"));
    }
    if !undo.is_empty() {
        let what = format!("vdir sync from the folders: {}", what.join("; "));
        ctx.remember(&what, &Undo::Together(undo))?;
    }
    match failed {
        Some(e) => Err(e),
        None => Ok((contacts, calendar)),
    }
}

fn describe(r: &SyncReport, dir: &std::path::Path, what: &str) -> String {
    let mut out = String::new();
    let head = if r.dry_run {
        "Dry run of the sync with"
    } else {
        "Synced with"
    };
    out.push_str(&format!(
        "{head} {} ({what}): into tend {} created, {} updated, {}; into the folder {} written, {} removed{}.\n",
        dir.display(),
        r.created.len(),
        r.updated.len(),
        if what == "contacts" {
            format!("{} archived", r.archived.len())
        } else {
            format!("{} done", r.completed.len())
        },
        r.written.len(),
        r.removed.len(),
        if r.changed_nothing() { " (nothing to do)" } else { "" },
    ));
    if let Some(old) = &r.new_folder {
        out.push_str(&format!(
            "  a new folder: the last sync was with {old}; everything goes here afresh, and nothing in tend changes for it\n"
        ));
    }
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
    list(&mut out, verb("done", "would mark done"), &r.completed);
    list(&mut out, verb("wrote", "would write"), &r.written);
    list(&mut out, verb("removed", "would remove"), &r.removed);
    for c in &r.conflicts {
        out.push_str(&format!(
            "  both changed {}: tend's kept, the folder's written in a note\n",
            one_line(c)
        ));
    }
    for (path, why) in &r.unreadable {
        out.push_str(&format!("  left alone {path}: {}\n", one_line(why)));
    }
    out
}
