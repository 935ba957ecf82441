//! Backups: a consistent copy while other processes may be writing. `VACUUM INTO` takes a
//! snapshot inside one read transaction; the copy is written beside the target, checked,
//! synced to disk, and only then renamed into place, so a half-written backup never has the
//! final name.

use std::fs::File;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::Store;
use crate::error::{Error, Result};

/// What a backup produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
}

pub fn backup(store: &Store, target: &Path) -> Result<Backup> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Error::invalid_with_hint(
            format!("cannot back up to {}: {what}: {e}", target.display()),
            "nothing was replaced; pick a folder you can write to, with room for the copy",
        )
    };
    if target.is_dir() {
        return Err(fail(
            "it is a folder",
            &"give a file name, e.g. tend-2026-11-23.db",
        ));
    }
    // A copy renamed over the live database (or its journal) would replace it under every
    // open connection.
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let db = store.path();
    let journals = ["-wal", "-shm"].map(|s| {
        let mut p = db.as_os_str().to_owned();
        p.push(s);
        std::path::PathBuf::from(p)
    });
    if same(target, db) || journals.iter().any(|j| same(target, j)) {
        return Err(Error::invalid_with_hint(
            format!(
                "{} is the database itself: a backup cannot go on top of it",
                target.display()
            ),
            "give another file, or leave the path out for backups/ beside the database",
        ));
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Private like the database itself: a copy holds the same clients' details.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| fail("cannot create its folder", &e))?;
    let partial = dir.join(format!(
        ".{}.partial-{}",
        target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "tend-backup".into()),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let result = (|| -> Result<()> {
        super::copy_private(store.conn(), &partial).map_err(|e| fail("the copy failed", &e))?;
        let copy = Connection::open(&partial).map_err(|e| fail("cannot open the copy", &e))?;
        let check: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| fail("cannot check the copy", &e))?;
        if check != "ok" {
            return Err(fail("the copy failed its integrity check", &check));
        }
        drop(copy);
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| fail("cannot sync the copy", &e))?;
        std::fs::rename(&partial, target).map_err(|e| fail("cannot put the copy in place", &e))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result?;
    Ok(Backup {
        path: target.to_path_buf(),
        bytes: std::fs::metadata(target).map(|m| m.len()).unwrap_or(0),
    })
}

/// Where the automatic copy of `day` goes: `backups/daily/tend-DATE.db` beside the database.
pub fn daily_path(db: &Path, day: chrono::NaiveDate) -> PathBuf {
    daily_dir(db).join(format!("tend-{}.db", day.format("%Y-%m-%d")))
}

fn daily_dir(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or(Path::new("."))
        .join("backups")
        .join("daily")
}

/// Claim the start of `day`'s automatic copy: true for the first caller of the day only (a
/// marker file made with `create_new`, which the file system makes atomic).
pub fn claim_daily(db: &Path, day: chrono::NaiveDate) -> bool {
    let dir = daily_dir(db);
    if std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .is_err()
    {
        return false;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join(marker_name(day)))
        .is_ok()
}

fn marker_name(day: chrono::NaiveDate) -> String {
    format!(".started-{}", day.format("%Y-%m-%d"))
}

/// Remove all but the newest `keep` daily copies; returns the ones removed.
pub fn rotate(db: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let dir = daily_dir(db);
    let mut copies: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_daily_name)
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e.into()),
    };
    // tend-YYYY-MM-DD.db sorts by date.
    copies.sort();
    // Markers of earlier days have done their job.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(".started-")
                && copies.last().is_none_or(|newest| {
                    !newest
                        .to_string_lossy()
                        .ends_with(&format!("{}.db", &name[".started-".len()..]))
                })
            {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let excess = copies.len().saturating_sub(keep);
    let old: Vec<PathBuf> = copies.into_iter().take(excess).collect();
    for p in &old {
        std::fs::remove_file(p)?;
    }
    Ok(old)
}

fn is_daily_name(name: &str) -> bool {
    name.strip_prefix("tend-")
        .and_then(|r| r.strip_suffix(".db"))
        .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
}
