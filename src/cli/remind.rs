//! `tend remind`: a desktop notification for each follow-up that falls due, once, with what to
//! know (last note, phone); `tend remind install` runs it every few minutes (a systemd user
//! timer on Linux, a launchd agent on macOS, or a cron line where neither is there).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::clock::Clock;
use crate::commands::remind::{self, Reminder};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::model::text::one_line;
use crate::store::Store;
use crate::when;

#[derive(Debug, Args)]
pub struct RemindArgs {
    #[command(subcommand)]
    pub command: Option<RemindCommand>,
    /// Print the reminders instead of showing desktop notifications
    #[arg(long)]
    pub print: bool,
}

#[derive(Debug, Subcommand)]
pub enum RemindCommand {
    /// Run `tend remind` every few minutes: a systemd user timer (Linux), a launchd agent
    /// (macOS), or the cron line to add where neither runs
    Install {
        /// How often, in minutes
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=60))]
        every: u32,
    },
    /// Stop and remove what `tend remind install` set up
    Uninstall,
}

/// The words of one reminder: a title and a body.
fn words(r: &Reminder, today: chrono::NaiveDate) -> (String, String) {
    let f = &r.follow_up;
    let title = format!("{}: {}", one_line(&f.contact), one_line(&f.text));
    let mut body = match f.due_time {
        Some(t) if f.due_date == today => format!("Due at {}", t.format("%H:%M")),
        _ if f.due_date == today => "Due today".to_string(),
        _ => format!("Overdue: {}", when::relative_phrase(f.due_date, today)),
    };
    if let Some((day, line)) = &r.context.last_note {
        body.push_str(&format!(
            "\nLast note {}: {}",
            when::describe(*day, today),
            one_line(line)
        ));
    }
    if let Some(p) = &r.context.phone {
        body.push_str(&format!("\n{}", one_line(p)));
    }
    body.push_str(&format!("\ntend done f#{}", f.id));
    (title, body)
}

/// Shown on the desktop, or printed where no notification service answers.
fn give(title: &str, body: &str, print: bool, out: &mut String) {
    if !print
        && notify_rust::Notification::new()
            .appname("tend")
            .summary(title)
            .body(body)
            .show()
            .is_ok()
    {
        return;
    }
    out.push_str(&format!("{title}\n"));
    for line in body.lines() {
        out.push_str(&format!("  {line}\n"));
    }
}

fn run(db: Option<PathBuf>, print: bool) -> Result<String> {
    let clock = Clock::from_env().map_err(Error::invalid)?;
    let path = crate::config::db_path(db)?;
    let conn = Store::open_read_only(&path)?;
    let settings = Settings::load()?;
    let due = remind::due(&conn, &clock, &path, settings.calendar_all_day_alarm)?;
    let today = clock.today();
    let mut out = String::new();
    for r in due.new.iter().take(remind::SHOWN) {
        let (title, body) = words(r, today);
        give(&title, &body, print, &mut out);
    }
    if due.new.len() > remind::SHOWN {
        let more = due.new.len() - remind::SHOWN;
        give(
            &format!("tend: {more} more follow-ups due"),
            "tend today lists them all",
            print,
            &mut out,
        );
    }
    due.remember(&clock)?;
    Ok(out)
}

pub fn main(db: Option<PathBuf>, a: RemindArgs) -> ExitCode {
    let result = match a.command {
        None => run(db, a.print),
        Some(RemindCommand::Install { every }) => install(db, every),
        Some(RemindCommand::Uninstall) => uninstall(),
    };
    match result {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::report(&e);
            ExitCode::FAILURE
        }
    }
}

const UNIT: &str = "tend-remind";

fn systemd_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| b.config_dir().join("systemd").join("user"))
}

/// The command a timer runs: this tend, on this database, by full paths (a timer has no PATH).
fn command_line(db: &Path) -> Result<String> {
    let exe = std::env::current_exe()?;
    let db = std::path::absolute(db)?;
    Ok(format!(
        "\"{}\" --db \"{}\" remind",
        exe.display(),
        db.display()
    ))
}

fn systemctl(args: &[&str]) -> bool {
    std::process::Command::new("systemctl")
        .arg("--user")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn install(db: Option<PathBuf>, every: u32) -> Result<String> {
    let db = crate::config::db_path(db)?;
    let line = command_line(&db)?;
    // cron has no desktop session: the session bus, so the notifications still show (where
    // they cannot, tend prints them and cron mails that, once for each reminder).
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_else(|_| {
        format!(
            "unix:path=/run/user/{}/bus",
            rustix::process::getuid().as_raw()
        )
    });
    let cron = format!("*/{every} * * * * DBUS_SESSION_BUS_ADDRESS={bus} {line}");
    if cfg!(target_os = "macos") {
        return install_launchd(&line, every);
    }
    let Some(dir) = systemd_dir() else {
        return Ok(format!(
            "No home folder to put a timer in. Add this line with crontab -e:\n  {cron}\n"
        ));
    };
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join(format!("{UNIT}.service")),
        format!(
            "[Unit]\nDescription=tend: reminders of follow-ups that fall due\n\n[Service]\nType=oneshot\nExecStart={line}\n"
        ),
    )?;
    std::fs::write(
        dir.join(format!("{UNIT}.timer")),
        format!(
            "[Unit]\nDescription=tend remind every {every} minutes\n\n[Timer]\nOnCalendar=*:0/{every}\nPersistent=false\n\n[Install]\nWantedBy=timers.target\n"
        ),
    )?;
    let files = format!(
        "Wrote {0}/{UNIT}.service and {0}/{UNIT}.timer.\n",
        dir.display()
    );
    if systemctl(&["daemon-reload"]) && systemctl(&["enable", "--now", &format!("{UNIT}.timer")]) {
        return Ok(format!(
            "{files}The timer runs tend remind every {every} minutes (systemctl --user list-timers shows it). tend remind uninstall stops it.\n"
        ));
    }
    Ok(format!(
        "{files}systemd's user instance does not answer here, so the timer is not running. Start it with\n  systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer\nor, without systemd, add this line with crontab -e:\n  {cron}\n"
    ))
}

fn launchd_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| {
        b.home_dir()
            .join("Library/LaunchAgents")
            .join("org.tend.remind.plist")
    })
}

fn install_launchd(line: &str, every: u32) -> Result<String> {
    let Some(path) = launchd_path() else {
        return Err(Error::invalid("no home folder for a launchd agent"));
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let args: String = shell_words(line)
        .iter()
        .map(|a| format!("    <string>{a}</string>\n"))
        .collect();
    std::fs::write(
        &path,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n  <key>Label</key><string>org.tend.remind</string>\n  <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n  <key>StartInterval</key><integer>{}</integer>\n</dict>\n</plist>\n",
            every * 60
        ),
    )?;
    let loaded = std::process::Command::new("launchctl")
        .args(["load", "-w"])
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success());
    Ok(format!(
        "Wrote {}{}\n",
        path.display(),
        if loaded {
            "; launchd runs tend remind every few minutes."
        } else {
            "; load it with launchctl load -w on that file."
        }
    ))
}

/// The quoted words of `command_line`.
fn shell_words(line: &str) -> Vec<String> {
    line.split('"')
        .enumerate()
        .flat_map(|(i, part)| {
            if i % 2 == 1 {
                vec![part.to_string()]
            } else {
                part.split_whitespace().map(str::to_string).collect()
            }
        })
        .collect()
}

fn uninstall() -> Result<String> {
    if cfg!(target_os = "macos") {
        if let Some(path) = launchd_path().filter(|p| p.exists()) {
            let _ = std::process::Command::new("launchctl")
                .args(["unload", "-w"])
                .arg(&path)
                .status();
            std::fs::remove_file(&path)?;
            return Ok(format!("Removed {}.\n", path.display()));
        }
        return Ok("No launchd agent for tend remind was installed.\n".into());
    }
    let Some(dir) = systemd_dir() else {
        return Ok("Nothing installed; a cron line, if you added one, is in crontab -e.\n".into());
    };
    let files = [
        dir.join(format!("{UNIT}.timer")),
        dir.join(format!("{UNIT}.service")),
    ];
    if !files.iter().any(|f| f.exists()) {
        return Ok("No timer for tend remind was installed (a cron line, if you added one, is in crontab -e).\n".into());
    }
    let stopped = systemctl(&["disable", "--now", &format!("{UNIT}.timer")]);
    for f in &files {
        if f.exists() {
            std::fs::remove_file(f)?;
        }
    }
    systemctl(&["daemon-reload"]);
    Ok(format!(
        "{} {UNIT}.timer and {UNIT}.service from {}. A cron line for tend remind, if you added one, is in crontab -e.\n",
        if stopped {
            "Stopped and removed"
        } else {
            "Removed"
        },
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_command_splits_into_its_words() {
        assert_eq!(
            shell_words("\"/a b/tend\" --db \"/x/tend.db\" remind"),
            ["/a b/tend", "--db", "/x/tend.db", "remind"]
        );
    }
}
