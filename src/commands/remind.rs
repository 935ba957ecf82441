//! `tend remind`: which follow-ups have fallen due and have not been reminded of yet. What was
//! reminded is kept in a small file beside the database (`tend.db.reminded`), never in the
//! database, which a reminder run only reads. A follow-up is reminded again when it moves (a
//! snooze gives it a new due moment).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, NaiveTime};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::commands::digest::{Context, context};
use crate::error::Result;
use crate::model::followup::FollowUp;
use crate::store::followups;

/// How many get a notification of their own in one run; the rest are summed up in one more.
pub const SHOWN: usize = 5;

/// The moment a follow-up falls due: its time, or `all_day` on its day.
pub fn due_at(f: &FollowUp, all_day: NaiveTime) -> NaiveDateTime {
    f.due_date.and_time(f.due_time.unwrap_or(all_day))
}

/// What identifies one reminder: the follow-up and the moment it is due, so a snoozed one
/// is reminded again at its new time.
fn key(f: &FollowUp, all_day: NaiveTime) -> String {
    format!("{}@{}", f.id, due_at(f, all_day).format("%Y-%m-%dT%H:%M"))
}

/// The file of what was reminded, beside the database.
pub fn state_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".reminded");
    db.with_file_name(name)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Reminded {
    /// Reminder key → when it was given.
    given: BTreeMap<String, String>,
}

fn load(path: &Path) -> Reminded {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// One reminder to give.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    pub follow_up: FollowUp,
    pub context: Context,
}

/// What fell due and was not reminded of yet, oldest first, and the keys to remember once
/// they are given (every open one due so far: the ones already given stay given).
pub struct Due {
    pub new: Vec<Reminder>,
    keys: Vec<String>,
    path: PathBuf,
    reminded: Reminded,
}

pub fn due(conn: &Connection, clock: &Clock, db: &Path, all_day: NaiveTime) -> Result<Due> {
    let now = clock.now().naive_local();
    let path = state_path(db);
    let reminded = load(&path);
    let mut new = Vec::new();
    let mut keys = Vec::new();
    for f in followups::open_due_by(conn, clock.today())? {
        if due_at(&f, all_day) > now {
            continue;
        }
        let k = key(&f, all_day);
        if !reminded.given.contains_key(&k) {
            new.push(Reminder {
                context: context(conn, clock, f.contact_id)?,
                follow_up: f,
            });
        }
        keys.push(k);
    }
    Ok(Due {
        new,
        keys,
        path,
        reminded,
    })
}

impl Due {
    /// Remember them as given: written whole or not at all, and only what is still due is
    /// kept (done ones drop out), so the file stays small.
    pub fn remember(self, clock: &Clock) -> Result<()> {
        let old = self.reminded;
        let stamp = clock.stamp();
        let given: BTreeMap<String, String> = self
            .keys
            .into_iter()
            .map(|k| {
                let at = old.given.get(&k).cloned().unwrap_or_else(|| stamp.clone());
                (k, at)
            })
            .collect();
        if given == old.given {
            return Ok(());
        }
        let text = serde_json::to_string_pretty(&Reminded { given }).unwrap_or_default();
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        // Private like the database: which follow-ups fall due when.
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?
            .write_all(text.as_bytes())?;
        std::fs::rename(&tmp, &self.path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_all_day_follow_up_falls_due_at_the_reminder_hour_a_timed_one_at_its_time() {
        let mut f = FollowUp {
            id: 7,
            uid: "u".into(),
            contact_id: 1,
            contact: "Ann".into(),
            deal_id: None,
            text: "call".into(),
            due_date: "2026-11-23".parse().unwrap(),
            due_time: None,
            recurrence: None,
            recur_anchor: None,
            snoozes: 0,
            done_at: None,
            series: None,
        };
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert_eq!(due_at(&f, nine).to_string(), "2026-11-23 09:00:00");
        assert_eq!(key(&f, nine), "7@2026-11-23T09:00");
        f.due_time = NaiveTime::from_hms_opt(14, 30, 0);
        assert_eq!(key(&f, nine), "7@2026-11-23T14:30");
    }
}
