//! `tend backup`, `tend completions`, `tend man`.

use std::path::PathBuf;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Ctx, json};
use crate::error::{Error, Result};
use crate::store::backup;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: backups/tend-DATE.db beside the database]
    pub path: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn backup_run(a: BackupArgs, ctx: &mut Ctx) -> Result<String> {
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

pub fn man() -> Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    String::from_utf8(out).map_err(|e| Error::invalid(e.to_string()))
}
