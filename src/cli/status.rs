//! `tend status`: one short line for a shell prompt or a tmux status bar ("3 overdue · 5
//! today"). It opens the database read-only and writes nothing (no migration, no daily copy),
//! so a prompt that runs it a thousand times a day leaves the file as it was, and costs about
//! what a bare `sqlite3 DB 'select 1'` does (BENCHMARKS.md).

use std::process::ExitCode;

use clap::Args;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::{Store, followups};

/// `tend status` parsed on its own: a prompt runs it on every line, and building the parser
/// of every other command costs it a fifth of its time. `tend --db X status` and anything
/// unusual go through the full parser, which answers the same.
#[derive(Debug, clap::Parser)]
#[command(
    name = "tend status",
    about = "One line for a shell prompt or status bar"
)]
pub struct Alone {
    /// The database file [default: tend.db in your platform's data folder]
    #[arg(long, env = crate::config::DB_VAR, value_name = "PATH")]
    pub db: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub args: StatusArgs,
}

/// When the command line is `tend status ...`, its answer.
pub fn fast_path() -> Option<ExitCode> {
    let mut args = std::env::args_os();
    let exe = args.next()?;
    let first = args.next()?;
    if first != "status" {
        return None;
    }
    let rest: Vec<std::ffi::OsString> = std::iter::once(exe).chain(args).collect();
    let alone = <Alone as clap::Parser>::try_parse_from(rest).ok()?;
    Some(main(alone.db, alone.args))
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// What to print, with {overdue}, {today}, {due} (the two together) and {touch} (due to
    /// get in touch; reads config.toml and costs a little more), e.g. "✉ {due}"
    #[arg(long)]
    pub format: Option<String>,
    /// Print the counts as JSON
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// The counts a status line can show.
#[derive(Debug, Clone, Copy, serde::Serialize)]
struct Counts {
    overdue: i64,
    today: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    touch: Option<i64>,
}

const PLACEHOLDERS: [&str; 4] = ["overdue", "today", "due", "touch"];

/// Every `{name}` in `format`, or the first one tend does not know.
fn placeholders(format: &str) -> std::result::Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if !PLACEHOLDERS.contains(&name) {
            return Err(name.to_string());
        }
        out.push(name);
        rest = &rest[start + len + 1..];
    }
    Ok(out)
}

fn line(counts: Counts, format: Option<&str>) -> String {
    match format {
        Some(f) => {
            let due = counts.overdue + counts.today;
            f.replace("{overdue}", &counts.overdue.to_string())
                .replace("{today}", &counts.today.to_string())
                .replace("{due}", &due.to_string())
                .replace("{touch}", &counts.touch.unwrap_or(0).to_string())
        }
        None => {
            let mut parts = Vec::new();
            if counts.overdue > 0 {
                parts.push(format!("{} overdue", counts.overdue));
            }
            if counts.today > 0 {
                parts.push(format!("{} today", counts.today));
            }
            parts.join(" · ")
        }
    }
}

fn counts(db: Option<std::path::PathBuf>, a: &StatusArgs) -> Result<Counts> {
    let clock = Clock::from_env().map_err(Error::invalid)?;
    let path = crate::config::db_path(db)?;
    let conn = Store::open_read_only(&path)?;
    let wants_touch = match &a.format {
        Some(f) => placeholders(f)
            .map_err(|name| {
                Error::invalid_with_hint(
                    format!("tend status knows no {{{name}}}"),
                    "use {overdue}, {today}, {due} or {touch}, e.g. --format \"{due} due\"",
                )
            })?
            .contains(&"touch"),
        None => false,
    };
    let (overdue, today) = followups::due_counts(&conn, clock.today())?;
    let touch = if wants_touch || a.json {
        let settings = crate::config::Settings::load()?;
        Some(crate::commands::agenda::due_to_touch(&conn, &clock, &settings.cadence)?.len() as i64)
    } else {
        None
    };
    Ok(Counts {
        overdue,
        today,
        touch,
    })
}

/// Exit 0 when nothing is due (so `tend status || …` and prompts can tell), 1 when something
/// is, 2 when it cannot say.
pub fn main(db: Option<std::path::PathBuf>, a: StatusArgs) -> ExitCode {
    match counts(db, &a) {
        Ok(c) => {
            let text = if a.json {
                serde_json::to_string(&c).unwrap_or_default()
            } else {
                line(c, a.format.as_deref())
            };
            let due = c.overdue + c.today + c.touch.unwrap_or(0);
            // Nothing due, nothing said (whatever the format), so a prompt or a status bar
            // stays clean; --json always answers.
            if !text.is_empty() && (due > 0 || a.json) {
                println!("{text}");
            }
            if due == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            super::report(&e);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_leaves_out_what_is_zero_and_a_format_says_everything() {
        let c = Counts {
            overdue: 3,
            today: 0,
            touch: Some(2),
        };
        assert_eq!(line(c, None), "3 overdue");
        assert_eq!(
            line(c, Some("{overdue}/{today} ({due}) +{touch}")),
            "3/0 (3) +2"
        );
        let none = Counts {
            overdue: 0,
            today: 0,
            touch: None,
        };
        assert_eq!(line(none, None), "");
        assert_eq!(placeholders("{due} {toady}"), Err("toady".to_string()));
        assert_eq!(placeholders("✉ {due}"), Ok(vec!["due"]));
    }
}
