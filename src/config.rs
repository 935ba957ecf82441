//! Paths: where the database lives (platform data dir, `TEND_DB`, or `--db`).

use std::path::PathBuf;

use directories::ProjectDirs;

use crate::error::{Error, Result};

pub const DB_VAR: &str = "TEND_DB";
pub const DB_FILE: &str = "tend.db";

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "tend")
}

/// The database tend opens when neither `--db` nor `TEND_DB` says otherwise.
pub fn default_db_path() -> Result<PathBuf> {
    dirs().map(|d| d.data_dir().join(DB_FILE)).ok_or_else(|| {
        Error::invalid_with_hint(
            "cannot find your home folder to keep the database in",
            "set HOME, or say where the database is with --db PATH or TEND_DB",
        )
    })
}

/// `--db` (which clap also fills from `TEND_DB`), else the platform default.
pub fn db_path(flag: Option<PathBuf>) -> Result<PathBuf> {
    match flag {
        Some(p) if !p.as_os_str().is_empty() => Ok(p),
        _ => default_db_path(),
    }
}

/// A database named with `--db` or `TEND_DB` in a folder that does not exist is most likely
/// a typo or an unmounted disk: say so rather than start an empty database there.
/// (The default place is created on first use; `tend init` creates any other.)
pub fn refuse_missing_folder(path: &std::path::Path) -> Result<()> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if dir.exists() {
        return Ok(());
    }
    Err(Error::invalid_with_hint(
        format!(
            "the folder {} for the database {} does not exist",
            dir.display(),
            path.display()
        ),
        format!(
            "check the path (a typo, or a disk that is not mounted?); to start a new database there, run `tend --db \"{}\" init`",
            path.display()
        ),
    ))
}

/// Preferences from `config.toml` in the config folder (`TEND_CONFIG_DIR` moves it).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub currency: crate::model::money::Currency,
    /// What an hour of your own time costs, in minor units.
    pub hourly_cost: i64,
    /// True when `hourly_cost` is tend's default, not yours.
    pub hourly_cost_is_default: bool,
    pub monthly_revenue_goal: Option<i64>,
    pub new_clients_per_quarter: Option<u32>,
    /// A lead with no interaction for this long is stale.
    pub stale_lead_days: u32,
    /// Income invoiced this long ago and not paid shows in Today as "chase payment".
    pub chase_payment_days: u32,
    /// Make a copy of the database once a day, in `backups/daily` beside it.
    pub daily_backup: bool,
    /// How many daily copies to keep; older ones are removed.
    pub backups_kept: usize,
    /// The reminder a calendar export puts on each follow-up: this many minutes before one with
    /// a time; None for no reminders.
    pub calendar_alarm_minutes: Option<u32>,
    /// The time of day an all-day follow-up's reminder goes off.
    pub calendar_all_day_alarm: chrono::NaiveTime,
    /// `[vdir] contacts`: the folder of one .vcf per contact `tend vdir sync` keeps in step.
    pub vdir_contacts: Option<PathBuf>,
    /// `[vdir] tags`, `statuses`: which contacts go there (none said: all active ones).
    pub vdir_tags: Vec<String>,
    pub vdir_statuses: Vec<crate::model::contact::Status>,
    /// `[vdir] calendar`: the folder of one .ics per follow-up.
    pub vdir_calendar: Option<PathBuf>,
    /// `[vdir] follow_ups = "events"`: follow-ups go as calendar events, not tasks.
    pub vdir_events: bool,
    /// `[vdir] auto = true`: a sync in the background after each change made from the shell.
    pub vdir_auto: bool,
    /// `[mcp] write = true`: `tend mcp` offers the tools that change things, not only those
    /// that read.
    pub mcp_write: bool,
    /// `[cadence] statuses = { client = "6w" }`, `tags = { vip = "2w" }`: how often to be in
    /// touch with whom, unless a contact has a cadence of their own.
    pub cadence: crate::model::cadence::Defaults,
    pub path: Option<PathBuf>,
}

/// A week of daily copies until you say otherwise.
pub const DEFAULT_BACKUPS_KEPT: usize = 7;

/// `TEND_DAILY_BACKUP=off` turns the daily copy off for one run (scripts, tests), whatever
/// config.toml says.
pub const DAILY_BACKUP_VAR: &str = "TEND_DAILY_BACKUP";

/// £30 an hour until you say otherwise.
pub const DEFAULT_HOURLY_COST: i64 = 3_000;
pub const DEFAULT_STALE_LEAD_DAYS: u32 = 30;
/// An invoice unpaid after a month is one to chase.
pub const DEFAULT_CHASE_PAYMENT_DAYS: u32 = 30;

/// A calendar reminder a quarter of an hour before a follow-up with a time.
pub const DEFAULT_ALARM_MINUTES: u32 = 15;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            currency: Default::default(),
            hourly_cost: DEFAULT_HOURLY_COST,
            hourly_cost_is_default: true,
            monthly_revenue_goal: None,
            new_clients_per_quarter: None,
            stale_lead_days: DEFAULT_STALE_LEAD_DAYS,
            chase_payment_days: DEFAULT_CHASE_PAYMENT_DAYS,
            daily_backup: true,
            backups_kept: DEFAULT_BACKUPS_KEPT,
            calendar_alarm_minutes: Some(DEFAULT_ALARM_MINUTES),
            calendar_all_day_alarm: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("09:00"),
            vdir_contacts: None,
            vdir_tags: Vec::new(),
            vdir_statuses: Vec::new(),
            vdir_calendar: None,
            vdir_events: false,
            vdir_auto: false,
            mcp_write: false,
            cadence: Default::default(),
            path: None,
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    currency: Option<String>,
    hourly_cost: Option<Amount>,
    stale_lead_days: Option<u32>,
    chase_payment_days: Option<u32>,
    #[serde(default)]
    goals: Goals,
    #[serde(default)]
    backup: BackupSection,
    #[serde(default)]
    calendar: CalendarSection,
    #[serde(default)]
    vdir: VdirSection,
    #[serde(default)]
    cadence: CadenceSection,
    #[serde(default)]
    mcp: McpSection,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct McpSection {
    #[serde(default)]
    write: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CadenceSection {
    #[serde(default)]
    statuses: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    tags: std::collections::BTreeMap<String, String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct VdirSection {
    contacts: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    statuses: Vec<String>,
    calendar: Option<String>,
    /// "tasks" (the default) or "events".
    follow_ups: Option<String>,
    #[serde(default)]
    auto: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CalendarSection {
    /// Minutes before a timed follow-up; 0 or false for none.
    alarm_minutes: Option<toml::Value>,
    /// "09:00": when an all-day follow-up's reminder goes off.
    all_day_alarm: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BackupSection {
    daily: Option<bool>,
    keep: Option<usize>,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Goals {
    monthly_revenue: Option<Amount>,
    new_clients_per_quarter: Option<u32>,
}

/// `30`, `30.5` or `"1,250.50"`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Amount {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Amount {
    /// Minor units, no more than one entry may carry (`MAX_AMOUNT`).
    fn minor(&self) -> std::result::Result<i64, String> {
        use crate::model::money::{MAX_AMOUNT, format_amount};
        let too_big = || format!("at most {}", format_amount(MAX_AMOUNT));
        match self {
            Amount::Int(i) if *i >= 0 => i
                .checked_mul(100)
                .filter(|m| *m <= MAX_AMOUNT)
                .ok_or_else(too_big),
            Amount::Float(f) if *f >= 0.0 && f.is_finite() => {
                let m = (f * 100.0).round();
                if m <= MAX_AMOUNT as f64 {
                    Ok(m as i64)
                } else {
                    Err(too_big())
                }
            }
            Amount::Text(t) => crate::model::money::parse_amount(t),
            _ => Err("amounts cannot be negative".into()),
        }
    }
}

pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(crate::recipes::CONFIG_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs().map(|d| d.config_dir().to_path_buf())
}

impl Settings {
    /// Read `config.toml`; no file means the defaults. A file that does not read is an error
    /// that names the line.
    pub fn load() -> Result<Settings> {
        let Some(path) = config_dir().map(|d| d.join("config.toml")) else {
            return Ok(Settings::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Settings::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings {
                path: Some(path),
                ..Settings::default()
            }),
            Err(e) => Err(Error::invalid(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    pub fn parse(text: &str, path: &std::path::Path) -> Result<Settings> {
        let bad = |line: Option<usize>, msg: String| {
            let at = line.map_or(String::new(), |l| format!(":{l}"));
            Error::invalid_with_hint(
                format!("{}{at}: {msg}", path.display()),
                "fix the file; see the README for the settings",
            )
        };
        let f: File = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            bad(line, e.message().trim().to_string())
        })?;
        let mut s = Settings {
            path: Some(path.to_path_buf()),
            ..Settings::default()
        };
        if let Some(c) = &f.currency {
            s.currency = crate::model::money::Currency::parse(c).map_err(|m| bad(None, m))?;
        }
        if let Some(h) = &f.hourly_cost {
            s.hourly_cost = h
                .minor()
                .map_err(|m| bad(None, format!("hourly_cost: {m}")))?;
            s.hourly_cost_is_default = false;
        }
        if let Some(g) = &f.goals.monthly_revenue {
            s.monthly_revenue_goal = Some(
                g.minor()
                    .map_err(|m| bad(None, format!("goals.monthly_revenue: {m}")))?,
            );
        }
        s.new_clients_per_quarter = f.goals.new_clients_per_quarter;
        if let Some(d) = f.chase_payment_days {
            s.chase_payment_days = d;
        }
        if let Some(d) = f.stale_lead_days {
            s.stale_lead_days = d;
        }
        if let Some(d) = f.backup.daily {
            s.daily_backup = d;
        }
        match f.backup.keep {
            Some(0) => {
                return Err(bad(
                    None,
                    "backup.keep must be 1 or more; to stop daily copies, set backup.daily = false"
                        .into(),
                ));
            }
            Some(k) => s.backups_kept = k,
            None => {}
        }
        match &f.calendar.alarm_minutes {
            None => {}
            Some(toml::Value::Boolean(false)) | Some(toml::Value::Integer(0)) => {
                s.calendar_alarm_minutes = None;
            }
            Some(toml::Value::Integer(m)) if (1..=10_080).contains(m) => {
                s.calendar_alarm_minutes = Some(*m as u32);
            }
            Some(other) => {
                return Err(bad(
                    None,
                    format!(
                        "calendar.alarm_minutes is {other:?}: give minutes before (1 to 10080), or 0 for no reminders"
                    ),
                ));
            }
        }
        s.vdir_contacts = folder(f.vdir.contacts.as_deref());
        s.vdir_calendar = folder(f.vdir.calendar.as_deref());
        s.vdir_events = match f.vdir.follow_ups.as_deref().map(str::trim) {
            None | Some("tasks") => false,
            Some("events") => true,
            Some(other) => {
                return Err(bad(
                    None,
                    format!(
                        "vdir.follow_ups is \"{other}\": write \"tasks\" (to-dos with a due date) or \"events\" (calendar entries with a reminder)"
                    ),
                ));
            }
        };
        s.vdir_auto = f.vdir.auto;
        s.mcp_write = f.mcp.write;
        for (status, every) in &f.cadence.statuses {
            let st: crate::model::contact::Status = status
                .parse()
                .map_err(|e: String| bad(None, format!("cadence.statuses: {e}")))?;
            let r = crate::model::Recurrence::parse(every)
                .map_err(|e| bad(None, format!("cadence.statuses.{status}: {e}")))?;
            s.cadence.statuses.push((st.as_str().to_string(), r));
        }
        for (tag, every) in &f.cadence.tags {
            let r = crate::model::Recurrence::parse(every)
                .map_err(|e| bad(None, format!("cadence.tags.{tag}: {e}")))?;
            for t in crate::model::contact::tags_in(tag) {
                s.cadence.tags.push((t, r));
            }
        }
        s.vdir_tags = f
            .vdir
            .tags
            .iter()
            .flat_map(|t| crate::model::contact::tags_in(t))
            .collect();
        for st in &f.vdir.statuses {
            s.vdir_statuses.push(
                st.parse()
                    .map_err(|e: String| bad(None, format!("vdir.statuses: {e}")))?,
            );
        }
        if let Some(t) = &f.calendar.all_day_alarm {
            s.calendar_all_day_alarm = chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| {
                    bad(
                        None,
                        format!("calendar.all_day_alarm is '{t}': write a time like \"09:00\""),
                    )
                })?;
        }
        Ok(s)
    }
}

/// A folder as written in config.toml: "~/contacts" as people write it; none when empty.
fn folder(dir: Option<&str>) -> Option<PathBuf> {
    let dir = dir.map(str::trim).filter(|d| !d.is_empty())?;
    Some(match (dir.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(dir),
    })
}

/// Folders that live-sync files between machines. SQLite's locking is not safe there: two
/// machines (or the sync client itself) can tear a database apart mid-write.
const SYNCED: &[&str] = &[
    "dropbox",
    "onedrive",
    "icloud drive",
    "mobile documents",
    "google drive",
    "googledrive",
    "pcloud",
    "mega",
    "nextcloud",
    "owncloud",
    "seafile",
];

/// Why the database at `path` is at risk, if it is: it sits in a live-synced folder (by name,
/// or a Syncthing folder marked by `.stfolder`).
pub fn sync_risk(path: &std::path::Path) -> Option<String> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    for dir in abs.ancestors().skip(1) {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if let Some(s) = SYNCED
            .iter()
            .find(|s| name == **s || name.starts_with(&format!("{s} ")))
        {
            return Some(format!(
                "{} is in a {s} folder ({})",
                path.display(),
                dir.display()
            ));
        }
        if dir.join(".stfolder").exists() {
            return Some(format!(
                "{} is in a Syncthing folder ({})",
                path.display(),
                dir.display()
            ));
        }
    }
    // A mount covers everything below it: the nearest folder that exists tells.
    if let Some(dir) = abs.ancestors().skip(1).find(|d| d.exists())
        && let Some(fs) = network_filesystem_at(dir)
    {
        return Some(format!(
            "{} is on a {fs} filesystem ({}), where file locking cannot be trusted",
            path.display(),
            dir.display()
        ));
    }
    None
}

/// The network or FUSE filesystem holding `dir`, if it is one: one `statfs`, microseconds.
fn network_filesystem_at(dir: &std::path::Path) -> Option<&'static str> {
    #[cfg(target_os = "linux")]
    {
        let st = rustix::fs::statfs(dir).ok()?;
        #[allow(clippy::unnecessary_cast)] // f_type's width differs between targets
        network_filesystem(st.f_type as i64)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Linux filesystem magic numbers (statfs(2)) of filesystems where SQLite's locks are unsafe:
/// network shares, and FUSE, which is how sshfs, rclone and most cloud mounts appear.
pub fn network_filesystem(magic: i64) -> Option<&'static str> {
    Some(match magic {
        0x6969 => "NFS",
        0xFF53_4D42 => "SMB/CIFS",
        0xFE53_4D42 => "SMB2",
        0x517B => "SMB",
        0x0102_1997 => "9p",
        0x6573_5546 => "FUSE (sshfs, rclone or a cloud mount)",
        0x5346_414F => "AFS",
        0x7375_7245 => "Coda",
        0x564C => "NCP",
        0x00C3_6400 => "Ceph",
        0x4750_4653 => "GPFS",
        0x0BD0_0BD0 => "Lustre",
        _ => return None,
    })
}

/// The advice that goes with `sync_risk`.
pub const SYNC_ADVICE: &str = "keep the database on a local disk (the default needs no --db) and sync backups or exports instead";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_filesystems_are_known_by_their_magic_and_local_ones_are_not() {
        assert_eq!(network_filesystem(0x6969), Some("NFS"));
        assert_eq!(network_filesystem(0xFF53_4D42), Some("SMB/CIFS"));
        assert!(network_filesystem(0x6573_5546).unwrap().starts_with("FUSE"));
        assert_eq!(network_filesystem(0xEF53), None, "ext4");
        assert_eq!(network_filesystem(0x0102_1994), None, "tmpfs");
        // This machine's temp folder is local.
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(sync_risk(&dir.path().join("tend.db")), None);
    }

    #[test]
    fn settings_read_amounts_in_any_form_and_name_bad_lines() {
        let p = std::path::Path::new("config.toml");
        let s = Settings::parse(
            "currency = \"eur\"\nhourly_cost = 45.5\n[goals]\nmonthly_revenue = \"6,000\"\n",
            p,
        )
        .unwrap();
        assert_eq!(s.currency.code, "EUR");
        assert_eq!(s.hourly_cost, 4_550);
        assert!(!s.hourly_cost_is_default);
        assert_eq!(s.monthly_revenue_goal, Some(600_000));
        assert_eq!(
            Settings::parse("", p).unwrap().hourly_cost,
            DEFAULT_HOURLY_COST
        );
        let e = Settings::parse("currency = \"GBP\"\nhourly = 3\n", p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("config.toml:2") && e.contains("unknown field"),
            "{e}"
        );
        assert!(Settings::parse("hourly_cost = -3\n", p).is_err());
    }
}
