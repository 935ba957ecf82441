//! Versioned migrations by `PRAGMA user_version`: a backup copy first, then every pending step
//! in one transaction. A database from a newer tend is refused, not touched.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

use super::APPLICATION_ID;
use crate::error::{Error, Result};

/// One schema step: the version it brings the database to and its SQL.
pub struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("migrations/0002_status_history.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("migrations/0003_hygiene_indexes.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("migrations/0004_contact_names.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("migrations/0005_contact_aliases.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("migrations/0006_undo_log.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("migrations/0007_other_values.sql"),
    },
    Migration {
        version: 8,
        sql: include_str!("migrations/0008_follow_up_series.sql"),
    },
    Migration {
        version: 9,
        sql: include_str!("migrations/0009_contact_extras.sql"),
    },
    Migration {
        version: 10,
        sql: include_str!("migrations/0010_vdir_state.sql"),
    },
    Migration {
        version: 11,
        sql: include_str!("migrations/0011_contact_rev.sql"),
    },
    Migration {
        version: 12,
        sql: include_str!("migrations/0012_vdir_base.sql"),
    },
    Migration {
        version: 13,
        sql: include_str!("migrations/0013_cadence.sql"),
    },
    Migration {
        version: 14,
        sql: include_str!("migrations/0014_status_indexes.sql"),
    },
    Migration {
        version: 15,
        sql: include_str!("migrations/0015_sync_notes.sql"),
    },
    Migration {
        version: 16,
        sql: include_str!("migrations/0016_sync.sql"),
    },
    Migration {
        version: 17,
        sql: include_str!("migrations/0017_sync_evidence.sql"),
    },
    Migration {
        version: 18,
        sql: include_str!("migrations/0018_money_rollup.sql"),
    },
    Migration {
        version: 19,
        sql: include_str!("migrations/0019_follow_ups_open_order.sql"),
    },
    Migration {
        version: 20,
        sql: include_str!("migrations/0020_substring_search.sql"),
    },
    Migration {
        version: 21,
        sql: include_str!("migrations/0021_notes_prefix_index.sql"),
    },
    Migration {
        version: 22,
        sql: include_str!("migrations/0022_contact_name_packs.sql"),
    },
    Migration {
        version: 23,
        sql: include_str!("migrations/0023_won_deals_by_contact.sql"),
    },
    Migration {
        version: 24,
        sql: include_str!("migrations/0024_details_for_older_sqlite.sql"),
    },
    Migration {
        version: 25,
        sql: include_str!("migrations/0025_ids_never_reused.sql"),
    },
    Migration {
        version: 26,
        sql: include_str!("migrations/0026_companies_through_their_people.sql"),
    },
];

pub const LATEST_VERSION: i64 = 26;

pub(super) fn run(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<()> {
    let latest = migrations.last().map_or(0, |m| m.version);
    let current = user_version(conn)?;
    if current > latest {
        return Err(Error::NewerDatabase {
            path: path.to_path_buf(),
            found: current,
            known: latest,
        });
    }
    if current == latest {
        return Ok(());
    }
    if current > 0 {
        backup(conn, path, current)?;
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while this one waited for the lock.
    let current = user_version(&tx)?;
    for m in migrations.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sql)?;
    }
    tx.execute_batch(&format!(
        "PRAGMA user_version = {latest}; PRAGMA application_id = {APPLICATION_ID};"
    ))?;
    tx.commit()?;
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// `tend.db` at schema 1 is copied to `tend.db.v1-backup` (or `.v1-backup-2`, … if taken).
pub fn backup_path(path: &Path, version: i64) -> PathBuf {
    let base = format!("{}.v{version}-backup", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

fn backup(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let target = backup_path(path, version);
    // Private from its first byte, like the book and the daily backups.
    if let Err(e) = super::copy_private(conn, &target) {
        let _ = std::fs::remove_file(&target);
        return Err(Error::invalid_with_hint(
            format!(
                "could not back up {} before upgrading it: {e}",
                path.display()
            ),
            "nothing was changed; free some disk space or check the folder's permissions",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_version_1_database_upgrades_keeping_everything() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        {
            let store = Store::open_with(&db, &MIGRATIONS[..1]).unwrap();
            store
                .conn()
                .execute_batch(
                    "INSERT INTO contacts (uid, name, status, created_at, updated_at)
                     VALUES ('u1', 'Alice', 'client', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                     INSERT INTO notes (uid, contact_id, body, at, created_at)
                     VALUES ('n1', 1, 'hello', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z');",
                )
                .unwrap();
        }
        let store = Store::open(&db).unwrap();
        let c = store.conn();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST_VERSION);
        let body: String = c
            .query_row("SELECT body FROM notes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(body, "hello");
        let history: (String, String) = c
            .query_row(
                "SELECT status, entered_at FROM contact_status_history",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(history, ("client".into(), "2026-01-01T00:00:00Z".into()));
        // Version 4's index of names covers the contacts that were already there.
        let found = crate::store::contacts::prefix(c, "ali").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Alice");
        assert!(dir.path().join("t.db.v1-backup").exists());
    }

    const V1: Migration = Migration {
        version: 1,
        sql: "CREATE TABLE a (x INTEGER);",
    };
    const V2: Migration = Migration {
        version: 2,
        sql: "ALTER TABLE a ADD COLUMN y TEXT;",
    };
    const V2_BROKEN: Migration = Migration {
        version: 2,
        sql: "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE broken (;",
    };

    #[test]
    fn upgrading_takes_a_backup_and_keeps_the_rows() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        {
            let store = Store::open_with(&db, &[V1]).unwrap();
            store
                .conn()
                .execute("INSERT INTO a VALUES (7)", [])
                .unwrap();
        }
        let store = Store::open_with(&db, &[V1, V2]).unwrap();
        let v: i64 = store
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 2);
        let x: i64 = store
            .conn()
            .query_row("SELECT x FROM a", [], |r| r.get(0))
            .unwrap();
        assert_eq!(x, 7);
        let backup = Connection::open(dir.path().join("t.db.v1-backup")).unwrap();
        let bv: i64 = backup
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(bv, 1, "the backup is the database as it was");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("t.db.v1-backup"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the copy");
    }

    #[test]
    fn a_failed_migration_leaves_the_old_database_intact() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        drop(Store::open_with(&db, &[V1]).unwrap());
        assert!(Store::open_with(&db, &[V1, V2_BROKEN]).is_err());
        let store = Store::open_with(&db, &[V1]).unwrap();
        let v: i64 = store
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
        let cols: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM pragma_table_info('a')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(cols, 1, "the half-applied ALTER was rolled back");
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        drop(Store::open_with(&db, &[V1, V2]).unwrap());
        match Store::open_with(&db, &[V1]) {
            Err(Error::NewerDatabase {
                found: 2, known: 1, ..
            }) => {}
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("a newer database was opened"),
        }
    }
}
