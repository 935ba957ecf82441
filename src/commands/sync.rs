//! `tend sync`: replicas of one book on several machines, meeting in a folder the user already
//! syncs (Syncthing, Dropbox, a USB stick). What travels and how conflicts resolve is in
//! [`crate::store::sync`]; this is the folder.
//!
//! Each replica writes only in its own subfolder, `FOLDER/<replica>/`: its change files
//! `<last batch, 12 digits>.chg`, each written whole under a temporary name and renamed into
//! place, and `replica.json` (its name, schema and what it has taken in). It never changes
//! another's, so a file syncer never sees two writers on one file. A change file ends with a
//! line giving its length and checksum; a file without it (still being copied by the syncer)
//! is left for the next sync. Every file says the database version that wrote it, and a tend
//! that knows an older one takes in nothing until it is upgraded.
//!
//! **Snapshots and compaction.** A replica also keeps `snapshot.snap` in its subfolder:
//! everything it holds, with the batches of every replica that holds (written when a
//! database that already had data becomes a replica, and before every compaction). A new,
//! empty replica starts from the snapshot that holds most, then takes in the change files
//! after it. A replica drops its own change files once every other replica's `replica.json`
//! says it has taken them in (and, by itself, once 64 of them are a week old; `tend sync
//! --compact` does it now): first it writes its snapshot, then notes in `replica.json` up to
//! which batch its files are gone (`compacted`), then deletes them. So every change is always
//! in a change file or a snapshot, and a replica that needs what is gone (a database restored
//! from a backup) is told so rather than waiting for ever.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::commands::seal::{Key, Sealing, is_sealed};
use crate::error::{Error, Result};
use crate::model::sync::{Seen, ready};
use crate::store::sync::snapshot::{self, Snapshot};
use crate::store::sync::{self as state, Batch, Conflict};
use crate::store::{LATEST_VERSION, Store};

const MAGIC: &str = "tend-sync 1";

/// Each replica's snapshot: `FOLDER/<replica>/snapshot.snap`, replaced whole.
const SNAPSHOT: &str = "snapshot.snap";

/// How many of this replica's change files every other replica has taken in (and a week
/// old) before a sync folds them into a snapshot and drops them.
const COMPACT_AFTER: usize = 64;

/// How old a change file must be before a sync drops it by itself: a machine that joined but
/// whose `replica.json` has not reached this one yet still finds what it needs.
const COMPACT_AGE: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// A snapshot file's body.
#[derive(Debug, Serialize, Deserialize)]
struct SnapshotFile {
    replica: String,
    schema: i64,
    snapshot: Snapshot,
}

/// A change file's body.
#[derive(Debug, Serialize, Deserialize)]
struct ChangeFile {
    replica: String,
    schema: i64,
    batches: Vec<Batch>,
}

/// `replica.json`: who a subfolder belongs to, for `tend sync status` on the others.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReplicaFile {
    pub replica: String,
    pub name: String,
    pub schema: i64,
    pub seen: Seen,
    pub at: String,
    /// The last of its batches no longer in its change files (in its snapshot instead).
    #[serde(default)]
    pub compacted: i64,
    /// The folder's salt and check value, when its files are sealed (`--encrypt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<Sealing>,
}

/// What one `tend sync` did.
#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    pub replica: String,
    pub folder: PathBuf,
    /// Batches of this machine's changes written to the folder.
    pub sent: usize,
    /// For each other replica (by name), its batches taken in.
    pub received: BTreeMap<String, usize>,
    pub rows_changed: usize,
    pub conflicts: Vec<Conflict>,
    pub kept_from_delete: Vec<String>,
    /// Change files not complete yet (still being copied), left for the next sync.
    pub incomplete: Vec<PathBuf>,
    /// Batches that wait for others not in the folder yet.
    pub waiting: usize,
    /// The replica (by name) whose snapshot this one started from, on its first sync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_snapshot: Option<String>,
    /// This replica's old change files dropped (every replica had taken them in).
    pub compacted: usize,
}

fn text_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::invalid(format!("{}: {e}", path.display()))
}

/// The machine's name, for the others' status.
fn host_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// A new replica id: the machine's name (letters and digits) and a random part.
fn new_replica_id() -> String {
    let host: String = host_name()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect();
    let random = uuid::Uuid::now_v7().simple().to_string();
    let tail = &random[random.len() - 8..];
    if host.is_empty() {
        format!("r{tail}")
    } else {
        format!("{host}-{tail}")
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    Ok(abs.canonicalize().unwrap_or(abs))
}

/// `tend sync init FOLDER`: make this database a replica syncing through `folder` (made if
/// missing), send what it holds, and take in what the others put there.
pub fn init(store: &mut Store, folder: &Path) -> Result<SyncReport> {
    init_sealed(store, folder, false, &|_| {
        Err(Error::invalid_with_hint(
            "the sync folder is encrypted",
            "give its passphrase in TEND_SYNC_PASSPHRASE",
        ))
    })
}

/// Asks for the folder's passphrase; `true`: a new one (asked twice).
pub type Passphrase<'a> = &'a dyn Fn(bool) -> Result<String>;

/// Like [`init`]; `encrypt`: seal the files of a new folder. A folder whose files are sealed
/// is joined sealed whatever `encrypt` says, with its passphrase; nothing is written when the
/// passphrase is not the folder's.
pub fn init_sealed(
    store: &mut Store,
    folder: &Path,
    encrypt: bool,
    passphrase: Passphrase,
) -> Result<SyncReport> {
    let folder = absolute(folder)?;
    let db = absolute(store.path())?;
    if db.starts_with(&folder) {
        return Err(Error::invalid_with_hint(
            format!(
                "the database {} is inside {}",
                db.display(),
                folder.display()
            ),
            "keep the database on this machine's own disk and give tend sync a folder of its own",
        ));
    }
    if let Some(current) = store.replica() {
        let was = state::meta(store.conn(), "folder")?.unwrap_or_default();
        if Path::new(&was) == folder {
            return run(store, false);
        }
        return Err(Error::invalid_with_hint(
            format!("this database already syncs through {was} (as {current})"),
            "run tend sync there; to move, copy that folder's contents to the new place and edit nothing else",
        ));
    }
    if folder.is_file() {
        return Err(Error::invalid(format!(
            "{} is a file, not a folder",
            folder.display()
        )));
    }
    let sealing = seal_for(&folder, encrypt, passphrase)?;
    std::fs::create_dir_all(&folder).map_err(|e| text_error(&folder, e))?;
    let id = new_replica_id();
    std::fs::create_dir_all(folder.join(&id)).map_err(|e| text_error(&folder, e))?;
    let folder_text = folder.to_string_lossy().into_owned();
    store.become_replica(Some(&id), |tx| {
        state::init(tx, &id, &folder_text)?;
        if let Some((key, sealing)) = &sealing {
            state::set_meta(tx, "key", &key.to_text())?;
            state::set_meta(tx, "salt", &sealing.salt)?;
            state::set_meta(tx, "check", &sealing.check)?;
        }
        Ok(())
    })?;
    let report = run(store, false)?;
    // What this database held is one first batch; a snapshot of it too lets the next machine
    // start without replaying it.
    if state::pending(store.conn())? == 0 && state::applied(store.conn())?.contains_key(&id) {
        write_snapshot(store, &id, &folder)?;
    }
    Ok(report)
}

/// The key a new replica of `folder` seals its files with: the folder's own, when the
/// others seal theirs (checked against their check value), or a new one when `encrypt` and
/// the folder is new.
fn seal_for(
    folder: &Path,
    encrypt: bool,
    passphrase: Passphrase,
) -> Result<Option<(Key, Sealing)>> {
    let peers = if folder.is_dir() {
        peers(folder, "")?
    } else {
        BTreeMap::new()
    };
    if let Some(sealing) = peers.values().find_map(|p| p.sealed.clone()) {
        let key = Key::derive(&passphrase(false)?, &sealing.salt)?;
        if !key.opens(&sealing) {
            return Err(Error::invalid_with_hint(
                "that is not the passphrase this sync folder is encrypted with; nothing was changed",
                "give the one used with tend sync init --encrypt on the first machine",
            ));
        }
        return Ok(Some((key, sealing)));
    }
    if !encrypt {
        return Ok(None);
    }
    if !peers.is_empty() {
        let names: Vec<&str> = peers.values().map(|p| p.name.as_str()).collect();
        return Err(Error::invalid_with_hint(
            format!(
                "the folder already holds changes not encrypted, from {}",
                names.join(", ")
            ),
            "encryption is chosen by the first machine of a folder: start a new folder with tend sync init NEW_FOLDER --encrypt, then join it from the others",
        ));
    }
    let phrase = passphrase(true)?;
    if phrase.chars().count() < 8 {
        return Err(Error::invalid_with_hint(
            "the passphrase is too short",
            "use at least 8 characters (a few words are easiest to remember)",
        ));
    }
    Ok(Some(Key::new_folder(&phrase)?))
}

/// The folder this replica syncs through.
fn folder_of(store: &Store) -> Result<(String, PathBuf)> {
    let Some(replica) = store.replica() else {
        return Err(Error::invalid_with_hint(
            "this database does not sync with another yet",
            "tend sync init FOLDER, with a folder your file syncer (Syncthing, Dropbox, ...) keeps on every machine",
        ));
    };
    let folder = PathBuf::from(state::meta(store.conn(), "folder")?.unwrap_or_default());
    if !folder.is_dir() {
        return Err(Error::invalid_with_hint(
            format!("the sync folder {} is not there", folder.display()),
            "mount or reconnect it (or let the file syncer make it again), then tend sync",
        ));
    }
    Ok((replica.to_string(), folder))
}

/// A file's text: its body (sealed with `key`, when the folder's files are) between the magic
/// line and the line giving the body's length and checksum.
fn encode(file: &impl Serialize, key: Option<&Key>) -> String {
    let json = serde_json::to_string(file).expect("batches serialise");
    let body = match key {
        Some(key) => key.seal(json.as_bytes()),
        None => json,
    };
    format!(
        "{MAGIC}\n{body}\nend {} {:08x}\n",
        body.len(),
        crc32fast::hash(body.as_bytes())
    )
}

/// A change (or snapshot) file's body, or None when it is not complete (yet).
fn decode<T: serde::de::DeserializeOwned>(
    text: &str,
    key: Option<&Key>,
) -> Option<Result<T, String>> {
    let rest = text.strip_prefix(MAGIC)?.strip_prefix('\n')?;
    let rest = rest.strip_suffix('\n')?;
    let (body, trailer) = rest.rsplit_once('\n')?;
    let mut parts = trailer.strip_prefix("end ")?.split(' ');
    let len: usize = parts.next()?.parse().ok()?;
    let sum = u32::from_str_radix(parts.next()?, 16).ok()?;
    if len != body.len() || sum != crc32fast::hash(body.as_bytes()) {
        return None;
    }
    if !is_sealed(body) {
        return Some(serde_json::from_str(body).map_err(|e| e.to_string()));
    }
    Some(match key.map(|k| k.open(body)) {
        None => Err("it is encrypted, and this machine has no key for the folder".into()),
        Some(None) => Err("it does not open with this machine's key for the folder".into()),
        Some(Some(json)) => serde_json::from_slice(&json).map_err(|e| e.to_string()),
    })
}

/// The folder's key, when its files are sealed.
fn key_of(store: &Store) -> Result<Option<Key>> {
    Ok(state::meta(store.conn(), "key")?.and_then(|k| Key::from_text(&k)))
}

fn sealing_of(store: &Store) -> Result<Option<Sealing>> {
    let conn = store.conn();
    Ok(
        match (state::meta(conn, "salt")?, state::meta(conn, "check")?) {
            (Some(salt), Some(check)) => Some(Sealing { salt, check }),
            _ => None,
        },
    )
}

/// A change file's last batch, from its name.
fn last_of(name: &str) -> Option<i64> {
    name.strip_suffix(".chg")
        .filter(|n| !n.starts_with('.'))?
        .parse()
        .ok()
}

fn change_files(dir: &Path) -> Result<Vec<(i64, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| text_error(dir, e))? {
        let entry = entry?;
        if let Some(last) = last_of(&entry.file_name().to_string_lossy()) {
            out.push((last, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Write this replica's waiting batches to its subfolder.
fn send(store: &mut Store, replica: &str, folder: &Path) -> Result<usize> {
    let dir = folder.join(replica);
    std::fs::create_dir_all(&dir).map_err(|e| text_error(&dir, e))?;
    let batches = state::outbox(store.conn(), replica)?;
    let written: i64 = state::meta(store.conn(), "written")?
        .and_then(|w| w.parse().ok())
        .unwrap_or(0);
    let first = batches.first().map_or(written + 1, |b| b.seq);
    let last = batches.last().map(|b| b.seq);
    let name = last.map(|l| format!("{l:012}.chg"));
    let key = key_of(store)?;
    // A file of this replica's from its batches not sent yet, or later ones, can only be this
    // very file (written by a sync stopped before it could note so); anything else was made
    // by another database using this replica's id: a copy of this one.
    for (l, path) in change_files(&dir)? {
        let ours = name.as_deref().is_some_and(|n| path.ends_with(n))
            && std::fs::read_to_string(&path).ok().is_some_and(|text| {
                matches!(decode::<ChangeFile>(&text, key.as_ref()), Some(Ok(f)) if f.batches == batches)
            });
        if l >= first && !ours {
            return Err(Error::invalid_with_hint(
                format!(
                    "{} holds changes this database never made: another database syncs as {replica}",
                    path.display()
                ),
                "a copied database cannot sync as the one it was copied from; on the copy, move the database aside and tend sync init the folder again from an empty one",
            ));
        }
    }
    let (Some(last), Some(name)) = (last, name) else {
        return Ok(0);
    };
    let text = encode(
        &ChangeFile {
            replica: replica.to_string(),
            schema: LATEST_VERSION,
            batches,
        },
        key.as_ref(),
    );
    let n = (last - first + 1) as usize;
    crate::commands::vdir::write_files(&dir, &[(name, text)])?;
    store.write_unrecorded(|tx| state::sent(tx, last))?;
    Ok(n)
}

/// The batches to take in and the files not complete yet.
type Gathered = (Vec<Batch>, Vec<PathBuf>);

/// The other replicas' `replica.json`s, by replica id.
fn peers(folder: &Path, me: &str) -> Result<BTreeMap<String, ReplicaFile>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(folder).map_err(|e| text_error(folder, e))? {
        let entry = entry?;
        let replica = entry.file_name().to_string_lossy().into_owned();
        if replica == me || replica.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(entry.path().join("replica.json"))
            && let Ok(r) = serde_json::from_str::<ReplicaFile>(&text)
        {
            out.insert(replica, r);
        }
    }
    Ok(out)
}

fn name_of(peers: &BTreeMap<String, ReplicaFile>, replica: &str) -> String {
    peers
        .get(replica)
        .map_or_else(|| replica.to_string(), |p| p.name.clone())
}

fn newer_tend(who: &str, schema: i64) -> Error {
    Error::invalid_with_hint(
        format!(
            "changes from {who} were made by a newer tend (database version {schema}; this tend knows {LATEST_VERSION}); nothing was taken in"
        ),
        "upgrade tend on this machine, then tend sync again",
    )
}

/// Every other replica's batches not taken in yet, in order per replica; the files not
/// complete yet. Refuses, taking in nothing, when one was written by a newer tend, or when
/// changes this replica has not taken in are no longer in the folder.
fn gather(
    folder: &Path,
    me: &str,
    applied: &Seen,
    peers: &BTreeMap<String, ReplicaFile>,
    key: Option<&Key>,
) -> Result<Gathered> {
    let mut batches = Vec::new();
    let mut incomplete = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|e| text_error(folder, e))? {
        let entry = entry?;
        let replica = entry.file_name().to_string_lossy().into_owned();
        if replica == me || replica.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        let done = applied.get(&replica).copied().unwrap_or(0);
        if let Some(p) = peers.get(&replica)
            && p.compacted > done
        {
            return Err(Error::invalid_with_hint(
                format!(
                    "{} ({replica}) has dropped its change files up to number {} (they are in its snapshot now), and this database had taken in only {done} of them; nothing was taken in",
                    p.name, p.compacted
                ),
                "this database is behind the folder (restored from a backup?): move it aside, then tend sync init FOLDER from an empty database, which starts from the snapshot",
            ));
        }
        for (last, path) in change_files(&entry.path())? {
            if last <= done {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            match decode::<ChangeFile>(&text, key) {
                None => incomplete.push(path),
                Some(Err(e)) => return Err(text_error(&path, format!("cannot be read ({e})"))),
                Some(Ok(file)) => {
                    if file.schema > LATEST_VERSION {
                        return Err(newer_tend(&name_of(peers, &replica), file.schema));
                    }
                    batches.extend(
                        file.batches
                            .into_iter()
                            .filter(|b| b.replica == replica && b.seq > done),
                    );
                }
            }
        }
    }
    batches.sort_by(|a, b| (&a.replica, a.seq).cmp(&(&b.replica, b.seq)));
    batches.dedup_by(|a, b| a.replica == b.replica && a.seq == b.seq);
    Ok((batches, incomplete))
}

/// On a replica that has made and taken in nothing yet: start from the snapshot in
/// the folder that holds most (and everything no longer in change files). Returns whose.
fn start_from_snapshot(
    store: &mut Store,
    folder: &Path,
    peers: &BTreeMap<String, ReplicaFile>,
    report: &mut SyncReport,
) -> Result<()> {
    let mut best: Option<(i64, String, Snapshot)> = None;
    for replica in peers.keys() {
        let path = folder.join(replica).join(SNAPSHOT);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = match decode::<SnapshotFile>(&text, key_of(store)?.as_ref()) {
            None => {
                report.incomplete.push(path);
                continue;
            }
            Some(Err(e)) => return Err(text_error(&path, format!("cannot be read ({e})"))),
            Some(Ok(file)) => file,
        };
        if file.schema > LATEST_VERSION {
            return Err(newer_tend(&name_of(peers, replica), file.schema));
        }
        let covers = &file.snapshot.covers;
        let whole = peers
            .iter()
            .all(|(r, p)| covers.get(r).copied().unwrap_or(0) >= p.compacted);
        let size: i64 = covers.values().sum();
        if whole && best.as_ref().is_none_or(|(s, _, _)| size > *s) {
            best = Some((size, replica.clone(), file.snapshot));
        }
    }
    let Some((_, replica, snap)) = best else {
        if let Some((r, p)) = peers.iter().find(|(_, p)| p.compacted > 0) {
            return Err(Error::invalid_with_hint(
                format!(
                    "the folder is not whole here yet: {}'s older changes are in a snapshot that has not arrived ({r})",
                    p.name
                ),
                "let the file syncer finish copying the folder, then tend sync again",
            ));
        }
        return Ok(());
    };
    report.rows_changed += store.write_unrecorded(|tx| snapshot::load(tx, &snap))?;
    report.from_snapshot = Some(name_of(peers, &replica));
    Ok(())
}

/// Write this replica's snapshot: everything it holds, for new replicas to start from.
fn write_snapshot(store: &Store, replica: &str, folder: &Path) -> Result<()> {
    let file = SnapshotFile {
        replica: replica.to_string(),
        schema: LATEST_VERSION,
        snapshot: snapshot::take(store.conn())?,
    };
    crate::commands::vdir::write_files(
        &folder.join(replica),
        &[(SNAPSHOT.into(), encode(&file, key_of(store)?.as_ref()))],
    )?;
    Ok(())
}

/// Drop this replica's change files every other replica has taken in, once there are enough
/// of them (or `now`), after writing a snapshot that holds what they did.
fn compact(
    store: &mut Store,
    replica: &str,
    folder: &Path,
    peers: &BTreeMap<String, ReplicaFile>,
    now: bool,
) -> Result<usize> {
    let Some(floor) = peers
        .values()
        .map(|p| p.seen.get(replica).copied().unwrap_or(0))
        .min()
    else {
        return Ok(0);
    };
    let old_enough = |path: &Path| {
        now || std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= COMPACT_AGE)
    };
    let old: Vec<(i64, PathBuf)> = change_files(&folder.join(replica))?
        .into_iter()
        .filter(|(last, path)| *last <= floor && old_enough(path))
        .collect();
    let Some((last, _)) = old.last() else {
        return Ok(0);
    };
    if old.len() < COMPACT_AFTER && !now {
        return Ok(0);
    }
    // The snapshot first, then the note of what is only in it, then the files: a stop at
    // any point leaves every change in a file or in the snapshot, and says no more than is.
    write_snapshot(store, replica, folder)?;
    let last = *last;
    store.write_unrecorded(|tx| state::set_meta(tx, "compacted", &last.to_string()))?;
    write_replica_file(store, replica, folder)?;
    for (_, path) in &old {
        std::fs::remove_file(path).map_err(|e| text_error(path, e))?;
    }
    Ok(old.len())
}

/// Take in every batch that can be (its replica's earlier ones and what its author had seen
/// are here), each in a transaction of its own, until none is left that can.
fn receive(
    store: &mut Store,
    gathered: Gathered,
    peers: &BTreeMap<String, ReplicaFile>,
    report: &mut SyncReport,
) -> Result<()> {
    let mut applied = state::applied(store.conn())?;
    let (mut batches, incomplete) = gathered;
    report.incomplete.extend(incomplete);
    while let Some(i) = batches
        .iter()
        .position(|b| ready(&applied, &b.replica, b.seq, &b.deps))
    {
        let batch = batches.remove(i);
        let done = store.write_unrecorded(|tx| state::apply(tx, &batch))?;
        applied.insert(batch.replica.clone(), batch.seq);
        *report
            .received
            .entry(name_of(peers, &batch.replica))
            .or_default() += 1;
        report.rows_changed += done.rows;
        report.conflicts.extend(done.conflicts);
        report.kept_from_delete.extend(done.kept_from_delete);
    }
    report.waiting = batches.len();
    // Undo steps back through this machine's changes; once another machine's are in, stepping
    // back past them would overwrite what they did, so the undo history ends here.
    if report.rows_changed > 0 {
        store
            .write_unrecorded(|tx| crate::store::undo_log::supersede_all(tx, &state::now_utc()))?;
    }
    Ok(())
}

fn write_replica_file(store: &Store, replica: &str, folder: &Path) -> Result<()> {
    let file = ReplicaFile {
        replica: replica.to_string(),
        name: host_name(),
        schema: LATEST_VERSION,
        seen: state::applied(store.conn())?,
        at: state::now_utc(),
        compacted: state::meta(store.conn(), "compacted")?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        sealed: sealing_of(store)?,
    };
    let text = serde_json::to_string_pretty(&file).expect("serialises") + "\n";
    crate::commands::vdir::write_files(&folder.join(replica), &[("replica.json".into(), text)])?;
    Ok(())
}

/// `tend sync`: send this machine's changes, take in the others'. `compact_now`: drop the
/// change files every other replica has taken in now, not only once there are many and old.
pub fn run(store: &mut Store, compact_now: bool) -> Result<SyncReport> {
    let (replica, folder) = folder_of(store)?;
    let mut report = SyncReport {
        replica: replica.clone(),
        folder: folder.clone(),
        ..SyncReport::default()
    };
    let peers = peers(&folder, &replica)?;
    // A replica that has made nothing and taken in nothing yet starts from a snapshot, when
    // there is one.
    if state::applied(store.conn())?.is_empty() {
        start_from_snapshot(store, &folder, &peers, &mut report)?;
    }
    // Read first: a folder from a newer tend stops everything before anything is written.
    // (Sending changes nothing the reading depends on.)
    let gathered = gather(
        &folder,
        &replica,
        &state::applied(store.conn())?,
        &peers,
        key_of(store)?.as_ref(),
    )?;
    report.sent = send(store, &replica, &folder)?;
    receive(store, gathered, &peers, &mut report)?;
    store.write_unrecorded(|tx| state::set_meta(tx, "last_sync", &state::now_utc()))?;
    write_replica_file(store, &replica, &folder)?;
    report.compacted = compact(store, &replica, &folder, &peers, compact_now)?;
    Ok(report)
}

/// Another replica as `tend sync status` shows it.
#[derive(Debug, Serialize)]
pub struct Peer {
    pub replica: String,
    pub name: Option<String>,
    /// Its batches taken in here.
    pub taken_in: i64,
    /// When one was last taken in here.
    pub taken_in_at: Option<String>,
    /// When it last synced, by its replica.json.
    pub last_seen: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Status {
    pub replica: String,
    pub folder: PathBuf,
    pub last_sync: Option<String>,
    /// Changes made here not in the folder yet.
    pub pending: i64,
    /// Whether the folder's files are sealed with a passphrase's key.
    pub encrypted: bool,
    pub peers: Vec<Peer>,
}

pub fn status(store: &Store) -> Result<Status> {
    let Some(replica) = store.replica().map(String::from) else {
        return Err(Error::invalid_with_hint(
            "this database does not sync with another yet",
            "tend sync init FOLDER, with a folder your file syncer keeps on every machine",
        ));
    };
    let conn = store.conn();
    let folder = PathBuf::from(state::meta(conn, "folder")?.unwrap_or_default());
    let mut peers: BTreeMap<String, Peer> = BTreeMap::new();
    for (r, seq, at) in state::applied_at(conn)? {
        if r != replica {
            peers.insert(
                r.clone(),
                Peer {
                    replica: r,
                    name: None,
                    taken_in: seq,
                    taken_in_at: Some(at),
                    last_seen: None,
                },
            );
        }
    }
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for entry in entries.flatten() {
            let r = entry.file_name().to_string_lossy().into_owned();
            if r == replica {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(entry.path().join("replica.json"))
                && let Ok(file) = serde_json::from_str::<ReplicaFile>(&text)
            {
                let p = peers.entry(r.clone()).or_insert(Peer {
                    replica: r,
                    name: None,
                    taken_in: 0,
                    taken_in_at: None,
                    last_seen: None,
                });
                p.name = Some(file.name);
                p.last_seen = Some(file.at);
            }
        }
    }
    Ok(Status {
        replica,
        folder,
        last_sync: state::meta(conn, "last_sync")?,
        pending: state::pending(conn)?,
        encrypted: key_of(store)?.is_some(),
        peers: peers.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_file_cut_short_is_not_read() {
        let file = ChangeFile {
            replica: "a".into(),
            schema: 16,
            batches: Vec::new(),
        };
        let text = encode(&file, None);
        assert!(matches!(decode::<ChangeFile>(&text, None), Some(Ok(_))));
        for cut in [1, text.len() / 2, text.len() - 2, text.len() - 1] {
            assert!(
                decode::<ChangeFile>(&text[..cut], None).is_none(),
                "cut at {cut}"
            );
        }
        let flipped = text.replacen("\"a\"", "\"b\"", 1);
        assert!(
            decode::<ChangeFile>(&flipped, None).is_none(),
            "a changed body fails its checksum"
        );
        assert_eq!(last_of("000000000012.chg"), Some(12));
        assert_eq!(last_of(".000000000012.chg.tend-tmp"), None);
    }
}
