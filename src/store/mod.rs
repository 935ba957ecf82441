//! The only place with SQL. `Store::open` sets the storage contract up (WAL, foreign keys,
//! busy timeout, durable commits, 0600 file); every write goes through `Store::write`, which is
//! one `BEGIN IMMEDIATE` transaction.

pub mod backup;
pub mod checklists;
pub mod contacts;
pub mod deals;
pub mod entries;
pub mod export;
pub mod followups;
mod migrate;
pub mod notes;
pub mod reports;
pub mod rows;
pub mod sync;
pub mod undo_log;
pub mod vdir;

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

pub use migrate::{LATEST_VERSION, MIGRATIONS, Migration};

/// Written into the file header so tend never mistakes another program's SQLite file for its
/// own ("tend" in ASCII).
pub const APPLICATION_ID: i32 = 0x7465_6e64;

/// The tables whose ids people see (#12, n#12, f#12, d#12, i#12, t#12): an id, once given,
/// is never given again, even after its row was deleted (migration 25 keeps the floor).
pub(crate) const NEVER_REUSED: &[&str] = &[
    "contacts",
    "notes",
    "follow_ups",
    "deals",
    "money_entries",
    "time_entries",
];

/// SQL for the id a new row of `table` (one of [`NEVER_REUSED`]) takes: one above both the
/// largest id there and the largest one deleted. Both are index lookups.
pub(crate) fn next_id(table: &str) -> String {
    debug_assert!(NEVER_REUSED.contains(&table), "{table}");
    format!(
        "(SELECT max(coalesce((SELECT max(id) FROM {table}), 0), \
                coalesce((SELECT last FROM id_floor WHERE tbl = '{table}'), 0)) + 1)"
    )
}

/// How long a writer waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// This database's replica id once `tend sync init` made it one: every write is then
    /// recorded for the other replicas (see [`sync`]).
    replica: Option<String>,
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, MIGRATIONS)
    }

    pub(crate) fn open_with(path: &Path, migrations: &[Migration]) -> Result<Store> {
        prepare_file(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| cannot_open(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            replica: None,
        };
        store.check_header()?;
        store.set_pragmas()?;
        migrate::run(&mut store.conn, path, migrations).map_err(|e| explain(path, e))?;
        // (A test's older schema has no sync tables.)
        if migrations.last().is_some_and(|m| m.version >= 16) {
            store.replica = sync::replica(&store.conn)?;
        }
        Ok(store)
    }

    /// A small page cache (2 MB) for a connection that reads a table once through, as the
    /// app's background jobs do: the 16 MB one would only fill with pages read once, all of it
    /// the process's memory until the job ends.
    pub fn read_once_through(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA cache_size = -2048")?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `file:PATH?immutable=1`, the path's URI-special characters escaped.
    fn immutable_uri(path: &Path) -> String {
        let mut uri = String::from("file:");
        for c in path.to_string_lossy().chars() {
            match c {
                '%' => uri.push_str("%25"),
                '?' => uri.push_str("%3f"),
                '#' => uri.push_str("%23"),
                c => uri.push(c),
            }
        }
        uri.push_str("?immutable=1");
        uri
    }

    /// The database for reading only (`tend status`, `tend remind`): nothing is created,
    /// migrated or written, so the file stays byte for byte as it was, mtime included. A
    /// database from a newer tend is refused; an older one is read as it is.
    pub fn open_read_only(path: &Path) -> Result<Connection> {
        if !path.exists() {
            return Err(Error::invalid_with_hint(
                format!("no tend database at {}", path.display()),
                "tend init makes one (or say which with --db / TEND_DB)",
            ));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // With nothing in the write-ahead log (no other tend has the database open with
        // changes not yet in the file) the file alone is the database: read it as it is,
        // without setting up the log's shared memory, which costs a reader more than its
        // query. Otherwise, an ordinary reader of the log.
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let log_empty = fs::metadata(&wal).map_or(true, |m| m.len() == 0);
        // The schema version from the file's header (bytes 60..64, big-endian), without a
        // statement: a prompt pays for every one.
        let mut header = [0u8; 100];
        let version = fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .ok()
            .filter(|()| header.starts_with(b"SQLite format 3\0"))
            .map(|()| {
                i64::from(u32::from_be_bytes([
                    header[60], header[61], header[62], header[63],
                ]))
            });
        let conn = match (log_empty, version) {
            (true, Some(_)) => Connection::open_with_flags(
                Self::immutable_uri(path),
                flags | OpenFlags::SQLITE_OPEN_URI,
            )
            .ok(),
            _ => None,
        };
        let conn = match conn {
            Some(c) => c,
            None => Connection::open_with_flags(path, flags).map_err(|e| cannot_open(path, e))?,
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = match version {
            Some(v) => v,
            None => conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        };
        if version > LATEST_VERSION {
            return Err(Error::NewerDatabase {
                path: path.to_path_buf(),
                found: version,
                known: LATEST_VERSION,
            });
        }
        Ok(conn)
    }

    /// Read access. Callers hand it to the query functions of the table modules.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction: all of it lands, or none of it. On a
    /// replica, what it changed is recorded for the others in the same transaction.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| explain(&path, e.into()))?;
        let out = match &self.replica {
            None => f(&tx).map_err(|e| explain(&path, e))?,
            Some(replica) => {
                let session = sync::session::Session::start(&tx, &sync::tables())?;
                let out = f(&tx).map_err(|e| explain(&path, e))?;
                let changes = session.changes()?;
                drop(session);
                sync::capture(&tx, replica, changes, now_ms()).map_err(|e| explain(&path, e))?;
                out
            }
        };
        tx.commit().map_err(|e| explain(&path, e.into()))?;
        Ok(out)
    }

    /// Like [`Store::write`], but not recorded for other replicas: for taking in theirs.
    pub fn write_unrecorded<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| explain(&path, e.into()))?;
        let out = f(&tx).map_err(|e| explain(&path, e))?;
        tx.commit().map_err(|e| explain(&path, e.into()))?;
        Ok(out)
    }

    /// This database's replica id, when it syncs with others.
    pub fn replica(&self) -> Option<&str> {
        self.replica.as_deref()
    }

    /// Make (or stop making) this database a replica: `f` sets the sync tables up, and every
    /// row already here is recorded as one first batch, so the other replicas get it too.
    pub fn become_replica(
        &mut self,
        id: Option<&str>,
        f: impl FnOnce(&Transaction) -> Result<()>,
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| explain(&path, e.into()))?;
        f(&tx)?;
        if let Some(id) = id {
            let all = sync::everything(&tx)?;
            sync::capture(&tx, id, all, now_ms())?;
        }
        tx.commit().map_err(|e| explain(&path, e.into()))?;
        self.replica = id.map(String::from);
        Ok(())
    }

    /// Like [`Store::write`], but committed without waiting for the disk (`synchronous =
    /// NORMAL` for this one transaction): for the undo log, written just after a change that
    /// was itself committed durably. A power cut may lose the way to undo the last change,
    /// never the change; and the capture keeps its one fsync.
    pub fn write_relaxed<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        let out = self.write(f);
        self.conn.execute_batch("PRAGMA synchronous = FULL")?;
        out
    }

    /// Run `f` like [`Store::write`], then roll everything back: a dry run that sees exactly
    /// what the real run would do, and writes nothing.
    pub fn rehearse<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| explain(&path, e.into()))?;
        let out = f(&tx).map_err(|e| explain(&path, e))?;
        tx.rollback().map_err(|e| explain(&path, e.into()))?;
        Ok(out)
    }

    /// From now on, remember the text of every distinct statement this connection runs
    /// (with its parameters as `?N`). For checking query plans of whole commands in tests.
    pub fn record_statements(&mut self) -> Arc<Mutex<BTreeSet<String>>> {
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let sink = Arc::clone(&seen);
        let _ = self.conn.trace_v2(
            rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |e: rusqlite::trace::TraceEvent<'_>| {
                if let rusqlite::trace::TraceEvent::Stmt(stmt, _) = e
                    && let Ok(mut s) = sink.lock()
                {
                    s.insert(stmt.sql().into_owned());
                }
            }),
        );
        seen
    }

    /// SQLite's plan for `sql`, one line per step ("SEARCH c USING INDEX ...").
    pub fn query_plan(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        // The plan does not depend on the values; every parameter is bound to NULL.
        let nulls = vec![rusqlite::types::Value::Null; stmt.parameter_count()];
        let rows = stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes whenever another connection commits: the TUI polls it to refresh.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    fn check_header(&self) -> Result<()> {
        let read = || -> rusqlite::Result<(i32, i64, i64)> {
            let app: i32 = self
                .conn
                .query_row("PRAGMA application_id", [], |r| r.get(0))?;
            let version: i64 = self
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let tables: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            Ok((app, version, tables))
        };
        let (app, version, tables) = read().map_err(|e| self.explain(e.into()))?;
        let foreign =
            (app != 0 && app != APPLICATION_ID) || (app == 0 && (version != 0 || tables != 0));
        if foreign {
            return Err(Error::NotADatabase {
                path: self.path.clone(),
                detail: "it is an SQLite database of another program".into(),
            });
        }
        Ok(())
    }

    fn set_pragmas(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.explain(e.into()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(|e| self.explain(e.into()))?;
        }
        // FULL: a commit is fsynced to the WAL before tend reports success. No mmap: a
        // mapped page costs no system call, but each fault maps its neighbours too, and they
        // all count as the process's memory (a `tend today` of a large book read 3,000 rows
        // and held 127 MB); through a 16 MB cache of SQLite's own it holds 12-25 MB, as fast
        // (a search reads the same page more than once: a 2 MB cache made it 15% slower).
        // temp_store MEMORY: statement journals (kept for a
        // statement that may have to undo itself inside a savepoint, as an import's rows do)
        // stay in memory instead of costing a write call per page; they never need to
        // survive a crash, the WAL does that.
        self.conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 0; PRAGMA cache_size = -16384;
             PRAGMA temp_store = MEMORY;",
        )?;
        // Taking in another machine's changes runs a few statements per synced table; the
        // default cache (16) would prepare them again and again.
        self.conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    fn explain(&self, e: Error) -> Error {
        explain(&self.path, e)
    }
}

/// Turn SQLite's codes into errors a person can act on.
fn explain(path: &Path, e: Error) -> Error {
    let Error::Sqlite(inner) = &e else { return e };
    match inner.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::NotADatabase {
            path: path.to_path_buf(),
            detail: "the file is not an SQLite database (or it is damaged)".into(),
        },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy {
            seconds: BUSY_TIMEOUT.as_secs(),
        },
        Some(ErrorCode::ReadOnly) => Error::ReadOnly {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::CannotOpen) => cannot_open(path, e),
        Some(ErrorCode::DiskFull) => Error::invalid_with_hint(
            format!(
                "the disk holding {} is full; nothing was saved",
                path.display()
            ),
            "free some space and try again",
        ),
        _ => e,
    }
}

fn cannot_open(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::CannotOpen {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Make the folder (0700) and the file (0600) before SQLite sees the path, and refuse what
/// cannot work: a folder in its place, or a file its owner made read-only.
fn prepare_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if dir.is_file() {
            return Err(cannot_open(
                path,
                format!("{} is a file, not a folder", dir.display()),
            ));
        }
        if !dir.exists() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| cannot_open(path, format!("cannot create its folder: {e}")))?;
        }
    }
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(cannot_open(path, "it is a folder, not a file")),
        Ok(meta) if meta.permissions().mode() & 0o200 == 0 => Err(Error::ReadOnly {
            path: path.to_path_buf(),
        }),
        Ok(_) => OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map(drop)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => Error::ReadOnly {
                    path: path.to_path_buf(),
                },
                _ => cannot_open(path, e),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
            {
                Ok(_) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                Err(e) => Err(cannot_open(path, e)),
            }
        }
        Err(e) => Err(cannot_open(path, e)),
    }
}

/// A fresh stable id: UUID v7, time-ordered, the same on every machine the row travels to.
/// Run `f` inside the current transaction so that all of its writes land or none do, while
/// the rest of the transaction goes on either way: one bad row of an import never half-writes
/// a contact and never stops the others.
pub fn all_or_nothing<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch("SAVEPOINT one_row")?;
    match f() {
        Ok(v) => {
            conn.execute_batch("RELEASE one_row")?;
            Ok(v)
        }
        Err(e) => {
            // Some failures (a full disk, an I/O error) make SQLite roll the whole
            // transaction back by itself, savepoint included; then there is nothing left to
            // undo here, and the caller must hear about the failure, not the missing savepoint.
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK TO one_row; RELEASE one_row");
            }
            Err(e)
        }
    }
}

/// The wall clock in milliseconds, for the sync clock (never for what a change says happened:
/// that is the command's clock).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A count `n` read with a cap (never below 0), no more than `cap`.
pub(crate) fn within(n: i64, cap: Option<usize>) -> usize {
    let n = usize::try_from(n).unwrap_or(0);
    cap.map_or(n, |c| n.min(c))
}

/// Whether a trigram index can find `q`: it reads text three letters at a time, so for one or
/// two it could only be scanned whole.
pub(crate) fn trigrams_can_find(q: &str) -> bool {
    q.chars().count() >= 3
}

/// Whether any row of a trigram index's `column` holds `q` (as LIKE '%q%' reads it; for a
/// query `trigrams_can_find`, which the index answers without a scan). Search asks first, so
/// a word nobody wrote costs a lookup, not a read of the newest rows.
pub(crate) fn trigrams_may_hold(
    conn: &Connection,
    table: &'static str,
    column: &'static str,
    q: &str,
) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} LIKE ?1)");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([format!("%{q}%")], |r| r.get(0))?)
}

/// `VACUUM INTO` a new file that is readable by its owner only from its first byte: a copy
/// holds everything the book does, and VACUUM INTO alone makes it as the umask says.
pub(crate) fn copy_private(conn: &Connection, target: &Path) -> Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(target)?;
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
    Ok(())
}
