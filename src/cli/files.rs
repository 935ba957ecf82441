//! `tend backup`, `tend completions`, `tend man`.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Ctx, json};
use crate::clock::Clock;
use crate::config::{self, Settings};
use crate::error::{Error, Result};
use crate::store::backup;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: backups/tend-DATE.db beside the database]
    pub path: Option<PathBuf>,
    /// Make today's automatic copy (backups/daily/tend-DATE.db) if it is not there yet, and
    /// keep only the newest (7, or backup.keep in config.toml). tend runs this by itself once
    /// a day; it is here for cron and for when backup.daily = false.
    #[arg(long, conflicts_with = "path")]
    pub daily: bool,
    #[arg(long)]
    pub json: bool,
}

/// `tend init`: the store is already open (which created the file and its folder); say where
/// it is, and when it was there already, that nothing changed.
pub fn init(path: &Path, existed: bool, ctx: &mut Ctx) -> Result<String> {
    if existed {
        let contacts = crate::store::contacts::count(ctx.store.conn())?;
        return Ok(format!(
            "A tend database is already at {} ({contacts} contact{}); nothing changed.\n",
            path.display(),
            if contacts == 1 { "" } else { "s" }
        ));
    }
    // The folder for config.toml, so that writing one is all it takes.
    let settings = crate::config::config_dir()
        .filter(|d| std::fs::create_dir_all(d).is_ok())
        .map(|d| {
            format!(
                "Settings (optional) go in {}.\n",
                d.join("config.toml").display()
            )
        })
        .unwrap_or_default();
    Ok(format!(
        "Created a new tend database at {}.\n{settings}Next: tend add \"Name\", or tend import vcard FILE.\n",
        path.display()
    ))
}

/// After a command that went well, once a day: start `tend backup --daily` as a process of its
/// own, so the copy never holds up the command that triggered it (`tend note` stays instant).
/// Costs one file-exists check on the other runs of the day.
pub fn start_daily_backup(db: &Path, clock: &Clock) {
    if std::env::var(config::DAILY_BACKUP_VAR)
        .is_ok_and(|v| matches!(v.as_str(), "off" | "0" | "false"))
    {
        return;
    }
    if backup::daily_path(db, clock.today()).exists() || !db.exists() {
        return;
    }
    // A config.toml that does not read is reported by the commands that need it.
    if !Settings::load().is_ok_and(|s| s.daily_backup) {
        return;
    }
    // One start a day: while the copy is being made, the commands that follow must not start
    // another (a busy morning of `tend note` would otherwise start dozens).
    if !backup::claim_daily(db, clock.today()) {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    start_in_background(
        std::process::Command::new(exe)
            .arg("--db")
            .arg(db)
            .args(["backup", "--daily"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
}

/// Start a tend of its own for work nobody waits for (the daily backup, a vdir sync). A
/// thread waits for it, so a process that lives on (the app, `tend mcp`) leaves no zombie;
/// one that exits first leaves it to the system, which reaps it.
pub(crate) fn start_in_background(command: &mut std::process::Command) {
    if let Ok(mut child) = command.spawn() {
        std::thread::spawn(move || child.wait());
    }
}

pub fn backup_run(a: BackupArgs, ctx: &mut Ctx) -> Result<String> {
    if a.daily {
        return daily(a.json, ctx);
    }
    let target = match a.path {
        Some(p) => p,
        None => {
            let dir = ctx
                .store
                .path()
                .parent()
                .map(|d| d.join("backups"))
                .unwrap_or_else(|| PathBuf::from("backups"));
            dir.join(format!(
                "tend-{}.db",
                ctx.clock.now().format("%Y-%m-%d-%H%M%S")
            ))
        }
    };
    let b = backup::backup(&ctx.store, &target)?;
    if a.json {
        return json(&b);
    }
    Ok(format!(
        "Backed up to {} ({} KB, checked).\nTo restore, copy it over the database while tend is closed.\n",
        b.path.display(),
        b.bytes.div_ceil(1024)
    ))
}

/// `tend backup --daily`: today's copy if it is missing, then the oldest beyond `keep` go.
fn daily(as_json: bool, ctx: &mut Ctx) -> Result<String> {
    let settings = Settings::load()?;
    let target = backup::daily_path(ctx.store.path(), ctx.clock.today());
    let made = if target.exists() {
        None
    } else {
        Some(backup::backup(&ctx.store, &target)?)
    };
    let removed = backup::rotate(ctx.store.path(), settings.backups_kept)?;
    if as_json {
        return json(&serde_json::json!({
            "path": target,
            "made": made.is_some(),
            "removed": removed,
        }));
    }
    let mut out = match made {
        Some(b) => format!(
            "Today's copy: {} ({} KB, checked).\n",
            b.path.display(),
            b.bytes.div_ceil(1024)
        ),
        None => format!("Today's copy is already there: {}\n", target.display()),
    };
    for r in removed {
        out.push_str(&format!("Removed an old copy: {}\n", r.display()));
    }
    Ok(out)
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: Shell,
}

/// Completions and the man page need no database; they are answered before one is opened.
pub fn completions(a: &CompletionsArgs) -> Result<String> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "tend", &mut out);
    String::from_utf8(out).map_err(|e| Error::invalid(e.to_string()))
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every command's page (tend.1, tend-note.1, …) into this folder instead, so the
    /// pages the main one names are there too: tend man --dir ~/.local/share/man/man1
    #[arg(long, value_name = "FOLDER")]
    pub dir: Option<std::path::PathBuf>,
}

pub fn man(a: &ManArgs) -> Result<String> {
    let Some(dir) = &a.dir else {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command()).render(&mut out)?;
        return String::from_utf8(out).map_err(|e| Error::invalid(e.to_string()));
    };
    if !dir.is_dir() {
        return Err(Error::invalid_with_hint(
            format!("{} is not a folder; nothing was written", dir.display()),
            "make it first: mkdir -p ~/.local/share/man/man1",
        ));
    }
    clap_mangen::generate_to(Cli::command(), dir)?;
    // One page a command, as generate_to walks them (hidden ones have none).
    fn pages_of(cmd: &clap::Command) -> usize {
        1 + cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
            .map(pages_of)
            .sum::<usize>()
    }
    let pages = pages_of(&Cli::command());
    Ok(format!(
        "Wrote {pages} man pages into {}: man tend (with {} on your MANPATH).\n",
        dir.display(),
        dir.parent().unwrap_or(dir).display()
    ))
}
