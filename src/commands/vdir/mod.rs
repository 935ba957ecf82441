//! `tend vdir sync`: folders of one file per item (a vdir, the format vdirsyncer, khard, khal
//! and the CardDAV/CalDAV world share) kept in step with the database, both ways: one `.vcf`
//! per contact (`contacts`), one `.ics` per follow-up (`calendar`).
//!
//! Each file's content at the last sync, its size and mtime, and a stamp of the item then are
//! kept in `vdir_state`. A sync compares the three: a file that did not change goes unread, an
//! item that did not change goes unrendered, and only what changed is written, so vdirsyncer
//! uploads only that. When both sides changed one item, the two are merged field by field
//! against what they last agreed on; where both changed the same field, tend's value stays and
//! the folder's is written on the contact as a note. Nothing is deleted in tend: a file removed
//! from the folder archives its contact, or finishes its follow-up.

pub mod calendar;
pub mod contacts;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::commands::undo::Undo;
use crate::error::{Error, Result};
use crate::store::vdir::{Seen, Synced};

pub use calendar::sync_calendar;
pub use contacts::{Selection, merge3, sync_contacts};

/// How a sync runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct How {
    /// Say what would change on each side, and change nothing.
    pub dry_run: bool,
    /// Go on when most of the folder's files are gone (see `check_deletions`).
    pub accept_deletions: bool,
}

/// A folder that lost most of what the last sync left in it was more likely moved, emptied by
/// mistake or not mounted than cleared on the phone one by one: archiving every contact (or
/// finishing every follow-up) on that word is refused until the user says so. (vdirsyncer
/// has the same guard for a storage that was emptied.)
pub(crate) fn check_deletions(
    dir: &Path,
    what: &str,
    setting: &str,
    known: usize,
    gone: usize,
    how: How,
) -> Result<()> {
    let most = gone > 0 && ((gone == known && known > 1) || (known >= 10 && gone * 2 > known));
    if !most || how.accept_deletions {
        return Ok(());
    }
    Err(Error::invalid_with_hint(
        format!(
            "{gone} of the {known} {what} the last sync left in {} are gone, so nothing was synced",
            dir.display()
        ),
        format!(
            "if the folder moved, point [vdir] {setting} in config.toml at it; if you removed them on purpose, tend vdir sync --accept-deletions (tend archives or finishes them, and never deletes)"
        ),
    ))
}

/// What one folder's sync did (or, in a dry run, would do) on each side.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    pub dry_run: bool,
    /// Files written from tend: new items and changed ones.
    pub written: Vec<String>,
    /// Files removed: their contact archived, deleted or out of the selection; their
    /// follow-up finished, cancelled or deleted.
    pub removed: Vec<String>,
    /// Made in tend from new files in the folder.
    pub created: Vec<String>,
    /// Changed in tend from edited files.
    pub updated: Vec<String>,
    /// Contacts archived because their file was deleted.
    pub archived: Vec<String>,
    /// Follow-ups finished in the folder (marked done, or their file deleted).
    pub completed: Vec<String>,
    /// The same field changed on both sides: tend's value kept, the folder's in a note.
    pub conflicts: Vec<String>,
    /// Files that could not be read or used: path and why. Left as they are.
    pub unreadable: Vec<(String, String)>,
    /// The folder is not the one the last sync used: set when that one's record was set aside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_folder: Option<String>,
    /// What takes the sync's changes to tend back (not to the folder).
    #[serde(skip)]
    pub undo: Vec<Undo>,
}

impl SyncReport {
    pub fn new(dry_run: bool) -> SyncReport {
        SyncReport {
            dry_run,
            ..SyncReport::default()
        }
    }

    pub fn changed_nothing(&self) -> bool {
        self.written.is_empty()
            && self.removed.is_empty()
            && self.created.is_empty()
            && self.updated.is_empty()
            && self.archived.is_empty()
            && self.completed.is_empty()
    }

    /// How many changes the sync made in tend (what `tend undo` takes back).
    pub fn changed_in_tend(&self) -> usize {
        self.created.len() + self.updated.len() + self.archived.len() + self.completed.len()
    }
}

/// The line that numbers tend's writes of one file. vdirsyncer (0.21) remembers, for a file it
/// has just overwritten with the server's copy, the fingerprint of what it overwrote; a later
/// write by tend of that same content (a merge that kept tend's value, an undo) then looks
/// unchanged to it and never goes up, and the phone keeps the other value for good. Each of
/// tend's writes carries the next number, so no two of them read the same to vdirsyncer (which
/// ignores REV, DTSTAMP and LAST-MODIFIED when it compares).
pub(crate) const SEQ: &str = "X-TEND-SEQ:";

/// The number of tend's write in `text` (0 for none).
pub(crate) fn seq_of(text: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(SEQ))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// `text` without its write number: what to compare.
pub(crate) fn without_seq(text: &str) -> String {
    if !text.contains(SEQ) {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .filter(|l| !l.starts_with(SEQ))
        .collect()
}

/// `text` numbered `seq`, the line just before the end of its first card or component
/// (`end`: "END:VCARD", "END:VTODO", "END:VEVENT").
pub(crate) fn with_seq(text: &str, seq: u64) -> String {
    let text = without_seq(text);
    let at = ["END:VCARD", "END:VTODO", "END:VEVENT"]
        .iter()
        .filter_map(|end| text.find(&format!("\n{end}")).map(|i| i + 1))
        .min();
    match at {
        Some(i) => format!("{}{SEQ}{seq}\r\n{}", &text[..i], &text[i..]),
        None => text,
    }
}

/// `text` numbered one past every write tend made of this file before: the one it remembers
/// (`kind`, `uid`) and the one now in the folder (`in_folder`, when tend reads one back).
pub(crate) fn numbered(
    conn: &rusqlite::Connection,
    kind: &str,
    uid: &str,
    in_folder: Option<&str>,
    text: &str,
) -> Result<String> {
    let before = crate::store::vdir::texts(conn, kind, uid)?.map_or(0, |(t, _)| seq_of(&t));
    Ok(with_seq(text, before.max(in_folder.map_or(0, seq_of)) + 1))
}

/// A note tend writes on a contact itself (what a sync could not merge, a phone task's
/// description): kind `sync`, so it is kept but is not an interaction; its undo goes with
/// the sync's.
pub(crate) fn sync_note(
    store: &mut crate::store::Store,
    clock: &crate::clock::Clock,
    contact_id: i64,
    body: String,
    report: &mut SyncReport,
) -> Result<()> {
    let added = crate::commands::notes::add(
        store,
        clock,
        crate::commands::notes::AddNote {
            contact_id,
            kind: crate::model::note::NoteKind::Sync,
            body,
            at: None,
            next: None,
        },
    )?;
    report.undo.push(added.undo());
    Ok(())
}

/// A file in the folder: its mtime and size, and its text if it changed since the last sync.
pub(crate) struct File {
    pub mtime: i64,
    pub size: i64,
    pub text: Option<String>,
}

pub(crate) fn meta(path: &Path) -> Result<(i64, i64)> {
    Ok(stamp_of_meta(&std::fs::metadata(path)?))
}

/// A file's mtime (in nanoseconds) and size.
fn stamp_of_meta(m: &std::fs::Metadata) -> (i64, i64) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    (mtime, m.len() as i64)
}

/// Write `text` whole or not at all: a temporary name vdir readers skip, then a rename.
pub(crate) fn write_file(dir: &Path, name: &str, text: &str) -> Result<(i64, i64)> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tend-tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    meta(&path)
}

/// Write many files, each whole or not at all, with one flush of the disk for all of them
/// rather than one per file (10,000 fsyncs are seconds): each goes to a temporary name, the
/// file system is flushed, then each is renamed into place and the folder flushed, so after a
/// crash each file is either as it was or as it is now. Returns each one's mtime and size.
pub(crate) fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<(i64, i64)>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let tmp = |name: &str| dir.join(format!(".{name}.tend-tmp"));
    for (name, text) in files {
        std::fs::write(tmp(name), text)?;
    }
    flush(dir, files.iter().map(|(name, _)| tmp(name)))?;
    for (name, _) in files {
        std::fs::rename(tmp(name), dir.join(name))?;
    }
    std::fs::File::open(dir)?.sync_all()?;
    files
        .iter()
        .map(|(name, _)| meta(&dir.join(name)))
        .collect()
}

/// The written files on disk: one `syncfs` on Linux, an fsync of each elsewhere.
fn flush(dir: &Path, paths: impl Iterator<Item = std::path::PathBuf>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = paths;
        rustix::fs::syncfs(std::fs::File::open(dir)?).map_err(std::io::Error::from)?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        for p in paths {
            std::fs::File::open(p)?.sync_all()?;
        }
    }
    Ok(())
}

/// Remember many files as synced, and others as seen again unchanged, in one transaction.
pub(crate) fn put_all(
    store: &mut crate::store::Store,
    kind: &str,
    synced: &[(String, Synced)],
    seen: &[(String, Seen)],
) -> Result<()> {
    if synced.is_empty() && seen.is_empty() {
        return Ok(());
    }
    store.write(|tx| {
        for (uid, s) in seen {
            crate::store::vdir::put_seen(tx, kind, uid, s)?;
        }
        for (uid, s) in synced {
            crate::store::vdir::put(tx, kind, uid, s)?;
        }
        Ok(())
    })
}

/// A file tend is to write: whose it is, its name and text, the stamp of what it shows, and
/// the last version both sides agreed on.
pub(crate) struct Out {
    pub uid: String,
    pub file: String,
    pub text: String,
    pub stamp: String,
    pub base: Option<String>,
}

/// The end of a sync, the same for both folders: every file tend writes, at once; what was
/// written and what was seen again remembered in one transaction; then the files tend no
/// longer shows removed and forgotten.
pub(crate) fn finish(
    store: &mut crate::store::Store,
    kind: &str,
    dir: &Path,
    writes: Vec<Out>,
    seen: &[(String, Seen)],
    removals: &[(String, String)],
    report: &mut SyncReport,
) -> Result<()> {
    let files: Vec<(String, String)> = writes
        .iter()
        .map(|w| (w.file.clone(), w.text.clone()))
        .collect();
    let metas = write_files(dir, &files)?;
    let mut synced = Vec::with_capacity(writes.len());
    for (w, (mtime, size)) in writes.into_iter().zip(metas) {
        report.written.push(w.file.clone());
        synced.push((
            w.uid,
            Synced {
                file: w.file,
                text: w.text,
                base: w.base,
                mtime,
                size,
                stamp: w.stamp,
            },
        ));
    }
    put_all(store, kind, &synced, seen)?;
    for (_, file) in removals {
        if !file.is_empty() && remove_file(dir, file)? {
            report.removed.push(file.clone());
        }
    }
    forget_all(store, kind, removals.iter().map(|(uid, _)| uid))
}

/// Forget many files, in one transaction.
pub(crate) fn forget_all<'a>(
    store: &mut crate::store::Store,
    kind: &str,
    uids: impl Iterator<Item = &'a String>,
) -> Result<()> {
    let uids: Vec<&String> = uids.collect();
    if uids.is_empty() {
        return Ok(());
    }
    store.write(|tx| {
        for uid in &uids {
            crate::store::vdir::forget(tx, kind, uid)?;
        }
        Ok(())
    })
}

/// Remove a file; one already gone is fine. True when it was there.
pub(crate) fn remove_file(dir: &Path, name: &str) -> Result<bool> {
    match std::fs::remove_file(dir.join(name)) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// A file name made of the uid's safe characters, with `ext`.
pub(crate) fn file_name(uid: &str, ext: &str) -> String {
    // A uid is tend's own (a UUID) or a phone's; either way only safe characters go in a name.
    let safe: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.{ext}")
}

/// The state of `kind`'s files, unless `dir` is not the folder the last sync used: then that
/// folder's record is set aside (in a dry run, only said) and the sync starts afresh, writing
/// everything to the new one and changing nothing in tend.
pub(crate) fn state_for(
    store: &mut crate::store::Store,
    kind: &str,
    dir: &Path,
    report: &mut SyncReport,
) -> Result<HashMap<String, Seen>> {
    let here = std::path::absolute(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string();
    let before = crate::store::vdir::folder_of(store.conn(), kind)?;
    let state = crate::store::vdir::state(store.conn(), kind)?;
    match before {
        Some(b) if b == here => Ok(state),
        None if state.is_empty() && report.dry_run => Ok(state),
        None if !state.is_empty() => {
            // Synced before tend remembered folders: this is that folder.
            store.write(|tx| {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                    rusqlite::params![format!("vdir.{kind}.folder"), here],
                )?;
                Ok(())
            })?;
            Ok(state)
        }
        old => {
            if old.is_some() {
                report.new_folder = old;
            }
            if !report.dry_run {
                store.write(|tx| crate::store::vdir::start_folder(tx, kind, &here))?;
            }
            Ok(HashMap::new())
        }
    }
}

/// A sync begun: its report, the last sync's state by uid, the folder's files by name.
pub(crate) type Begun = (SyncReport, HashMap<String, Seen>, HashMap<String, File>);

/// The start of a sync, the same for both folders: the last sync's state (set aside for a new
/// folder), the folder checked (or made), and its files listed, those that changed read.
pub(crate) fn begin(
    store: &mut crate::store::Store,
    kind: &str,
    dir: &Path,
    how: How,
    setting: &str,
    ext: &str,
) -> Result<Begun> {
    let mut report = SyncReport::new(how.dry_run);
    let state = state_for(store, kind, dir, &mut report)?;
    let known = state.values().filter(|s| !s.file.is_empty()).count();
    prepare(dir, how, setting, known)?;
    let files = scan(dir, ext, &by_file(&state), &mut report)?;
    Ok((report, state, files))
}

/// The folder to sync, made if it is missing (not in a dry run) and the last sync left nothing
/// in it; a file there is refused. A folder that has gone after a sync left `known` files in
/// it is refused too (unless the user accepts the deletions): making it anew would leave
/// vdirsyncer an emptied folder, and vdirsyncer's own advice for one is to wipe the server.
pub(crate) fn prepare(dir: &Path, how: How, setting: &str, known: usize) -> Result<()> {
    let dry_run = how.dry_run;
    if !dir.exists() && known > 0 && !how.accept_deletions {
        return Err(Error::invalid_with_hint(
            format!(
                "{} is not there, and the last sync left {known} files in it, so nothing was synced",
                dir.display()
            ),
            format!(
                "if the folder moved, point [vdir] {setting} in config.toml at it (or mount the drive it is on); to start it afresh, tend vdir sync --accept-deletions"
            ),
        ));
    }
    if dir.is_file() {
        return Err(Error::invalid_with_hint(
            format!("{} is a file, not a folder", dir.display()),
            format!("[vdir] {setting} in config.toml names the folder vdirsyncer keeps in step"),
        ));
    }
    if !dir.exists() && !dry_run {
        std::fs::create_dir_all(dir)?;
    }
    Ok(())
}

/// Every `*.ext` file in `dir` (not hidden ones: tend's and other tools' temporary files), each
/// read only when it is not as the last sync left it. Files that cannot be read are reported.
pub(crate) fn scan(
    dir: &Path,
    ext: &str,
    by_file: &HashMap<&str, (&String, &Seen)>,
    report: &mut SyncReport,
) -> Result<HashMap<String, File>> {
    let mut files = HashMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let suffix = format!(".{ext}");
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if !name.ends_with(&suffix) || name.starts_with('.') {
            continue;
        }
        // One stat a file (the listing says which are files): a sync of an unchanged
        // folder of 10,000 cards is 10,000 of these and nothing else.
        let m = entry.metadata()?;
        if !m.is_file() {
            continue;
        }
        let path = entry.path();
        let (mtime, size) = stamp_of_meta(&m);
        let unchanged = by_file
            .get(name.as_str())
            .is_some_and(|(_, s)| s.mtime == mtime && s.size == size);
        let text = if unchanged {
            None
        } else {
            match std::fs::read(&path) {
                Ok(b) => Some(crate::interop::decode(&b)),
                Err(e) => {
                    report
                        .unreadable
                        .push((path.display().to_string(), e.to_string()));
                    continue;
                }
            }
        };
        files.insert(name, File { mtime, size, text });
    }
    Ok(files)
}

/// The state by file name, for `scan`.
pub(crate) fn by_file(state: &HashMap<String, Seen>) -> HashMap<&str, (&String, &Seen)> {
    state
        .iter()
        .map(|(u, s)| (s.file.as_str(), (u, s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_write_is_numbered_once_and_the_number_is_left_out_of_comparisons() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n";
        let one = with_seq(card, 1);
        assert_eq!(
            one,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nX-TEND-SEQ:1\r\nEND:VCARD\r\n"
        );
        assert_eq!(seq_of(&one), 1);
        let two = with_seq(&one, 2);
        assert_eq!(two.matches(SEQ).count(), 1);
        assert_eq!(without_seq(&two), card);
        let task = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        assert!(with_seq(task, 3).contains("END:VALARM\r\nX-TEND-SEQ:3\r\nEND:VTODO"));
    }
}
