//! The storage contract: file modes, WAL, durability settings, stable ids, and many writers at
//! once while a reader holds a transaction open.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::thread;

use common::Env;

#[test]
fn the_database_and_the_folder_init_makes_are_private_to_their_owner() {
    let env = Env::new();
    let db = env.dir.path().join("new").join("crm").join("tend.db");
    let db = db.to_str().unwrap();
    let out = env.ok(&["--db", db, "init"]);
    assert!(out.contains("Created a new tend database at"), "{out}");
    env.ok(&["--db", db, "add", "Alice"]);
    let again = env.ok(&["--db", db, "init"]);
    assert!(
        again.contains("already") && again.contains("(1 contact)"),
        "{again}"
    );
    let db = std::path::Path::new(db);
    let file = std::fs::metadata(db).unwrap().permissions().mode() & 0o777;
    let dir = std::fs::metadata(db.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!((file, dir), (0o600, 0o700));
}

#[test]
fn the_file_is_wal_with_foreign_keys_and_a_tend_header() {
    let env = Env::new();
    env.ok(&["add", "Alice"]);
    let conn = env.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(app, tend::store::APPLICATION_ID);
    assert_eq!(version, tend::store::LATEST_VERSION);
    // Deleting a contact takes its notes along (ON DELETE CASCADE is in the schema).
    env.ok(&["note", "alice", "hello"]);
    conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM contacts;")
        .unwrap();
    assert_eq!(env.count("notes"), 0);
}

#[test]
fn ids_are_stable_uuids_and_unique() {
    let env = Env::new();
    env.ok(&["add", "Alice"]);
    env.ok(&["note", "alice", "one", "--next", "fri: two"]);
    let first: String = env
        .conn()
        .query_row("SELECT uid FROM contacts", [], |r| r.get(0))
        .unwrap();
    env.ok(&["edit", "alice", "--name", "Alice Smith"]);
    let again: String = env
        .conn()
        .query_row("SELECT uid FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(first, again, "editing keeps the id");
    let distinct: i64 = env
        .conn()
        .query_row(
            "SELECT count(DISTINCT uid) FROM (SELECT uid FROM contacts UNION ALL SELECT uid FROM notes UNION ALL SELECT uid FROM follow_ups)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(distinct, 3);
}

#[test]
fn eight_writers_and_an_open_reader_lose_nothing() {
    const WRITERS: usize = 8;
    const NOTES_EACH: usize = 50;
    let env = Env::new();
    env.ok(&["add", "Alice Smith"]);
    // Another connection holds a read transaction open the whole time, as the TUI might.
    let reader = env.conn();
    reader.execute_batch("BEGIN").unwrap();
    let seen: i64 = reader
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seen, 0);

    let bin = assert_cmd::cargo::cargo_bin("tend");
    let failures: Vec<String> = thread::scope(|s| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let bin = &bin;
                let db = &env.db;
                s.spawn(move || {
                    let mut errors = Vec::new();
                    for n in 0..NOTES_EACH {
                        let out = Command::new(bin)
                            .args(["note", "alice", &format!("writer {w} note {n}")])
                            .env("TEND_DB", db)
                            .env("TEND_NOW", common::NOW)
                            .output()
                            .expect("tend runs");
                        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
                        if !out.status.success() || stderr.contains("locked") {
                            errors.push(format!("writer {w} note {n}: {stderr}"));
                        }
                    }
                    errors
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    reader.execute_batch("COMMIT").unwrap();
    assert!(
        failures.is_empty(),
        "{} failed, first: {}",
        failures.len(),
        failures[0]
    );
    assert_eq!(env.count("notes"), (WRITERS * NOTES_EACH) as i64);
    let distinct: i64 = env
        .conn()
        .query_row("SELECT count(DISTINCT body) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(distinct, (WRITERS * NOTES_EACH) as i64);
}

#[test]
fn the_app_stays_open_and_live_while_four_processes_capture() {
    // TEND_CAPTURES_EACH=250 for the full run (1,000 notes); scaled down for `cargo test`.
    let each: usize = std::env::var("TEND_CAPTURES_EACH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let env = Env::new();
    env.ok(&["add", "Alice Smith", "--status", "client"]);
    // The real app state on its own connection, refreshing as the TUI's event loop does.
    let store = tend::store::Store::open(&env.db).unwrap();
    let mut app =
        tend::tui::app::App::new(store, tend::clock::Clock::parse(common::NOW).unwrap()).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tend");
    let failures: Vec<String> = thread::scope(|s| {
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (bin, db) = (&bin, &env.db);
                s.spawn(move || {
                    (0..each)
                        .filter_map(|n| {
                            let out = Command::new(bin)
                                .args(["note", "alice", &format!("app open {w}-{n}")])
                                .env("TEND_DB", db)
                                .env("TEND_NOW", common::NOW)
                                .output()
                                .unwrap();
                            (!out.status.success())
                                .then(|| String::from_utf8_lossy(&out.stderr).to_string())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        while writers.iter().any(|w| !w.is_finished()) {
            app.tick()
                .expect("the app keeps reading while others write");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} failed, first: {}",
        failures.len(),
        failures[0]
    );
    assert_eq!(env.count("notes"), (4 * each) as i64);
    app.tick().unwrap();
    let card = app.today.card.as_ref().expect("Alice's card");
    assert!(
        card.notes[0].body.starts_with("app open"),
        "the open app shows the newest notes"
    );
}

/// Another program holds the write lock for longer than tend's 10 s busy timeout: the capture
/// gives up with a message that says what to do, saves nothing half-way, and works once the
/// lock is gone.
#[test]
fn a_lock_held_past_the_busy_timeout_gets_a_clear_message_and_loses_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ann Apple"]);
    let holder = env.conn();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let err = env.fails(&["note", "Ann", "called", "--next", "fri: send quote"]);
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(9),
        "tend waited for the lock before giving up"
    );
    assert!(
        err.contains("the database is busy: another program held it for longer than 10 s"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(env.count("notes"), 0);
    assert_eq!(env.count("follow_ups"), 0);
    env.ok(&["note", "Ann", "called", "--next", "fri: send quote"]);
    assert_eq!(env.count("notes"), 1);
    assert_eq!(env.count("follow_ups"), 1);
}

/// The store on this database, on a "disk" with no room left: SQLite's page limit set to the
/// file's size fails the next write that needs a page with SQLITE_FULL, as a full disk does.
fn full_disk(env: &Env) -> tend::store::Store {
    let store = tend::store::Store::open(&env.db).unwrap();
    let pages: i64 = store
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .conn()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
        .unwrap();
    store
}

/// The disk fills up in the middle of a capture: SQLite's page limit stands in for a full disk
/// (it fails the write with the same SQLITE_FULL). The note is refused whole, the message says
/// what to do, and everything saved before is intact.
#[test]
fn a_full_disk_refuses_the_capture_whole_and_keeps_what_was_there() {
    use tend::commands::notes::{AddNote, add};
    use tend::model::note::NoteKind;

    let env = Env::new();
    env.ok(&["add", "Ann Apple"]);
    env.ok(&["note", "Ann", "first call"]);
    let clock = tend::clock::Clock::parse(common::NOW).unwrap();
    let mut store = full_disk(&env);
    let err = add(
        &mut store,
        &clock,
        AddNote {
            contact_id: 1,
            kind: NoteKind::Note,
            body: "x".repeat(200_000),
            at: None,
            next: None,
        },
    )
    .unwrap_err();
    let text = format!("{err} {}", err.hint().unwrap_or_default());
    assert!(text.contains("is full; nothing was saved"), "{text}");
    assert!(text.contains("free some space"), "{text}");
    drop(store);
    assert_eq!(env.count("notes"), 1);
    let check: String = env
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    env.ok(&["note", "Ann", "after space was freed"]);
    assert_eq!(env.count("notes"), 2);
}

/// The disk fills up during an import: it stops with where and why, and the batch it was in
/// is rolled back whole (no half-written contact), with a hint that running it again is safe.
#[test]
fn a_full_disk_stops_an_import_cleanly() {
    use tend::commands::import::{ImportOptions, import};

    let env = Env::new();
    env.ok(&["add", "Ann Apple"]);
    let clock = tend::clock::Clock::parse(common::NOW).unwrap();
    let mut store = full_disk(&env);
    let big = "x".repeat(3000);
    let cards: String = (0..50)
        .map(|i| format!("BEGIN:VCARD\nVERSION:3.0\nFN:Person {i}\nNOTE:{big}\nEND:VCARD\n"))
        .collect();
    let err = import(
        &mut store,
        &clock,
        tend::interop::vcard::parse(&cards),
        ImportOptions::default(),
        &mut |_, _| {},
    )
    .unwrap_err();
    let text = format!("{err} / {}", err.hint().unwrap_or_default());
    assert!(text.contains("the import stopped at card "), "{text}");
    assert!(text.contains("is full"), "{text}");
    assert!(text.contains("nothing was saved"), "{text}");
    assert!(text.contains("run the same import again"), "{text}");
    drop(store);
    assert_eq!(env.count("contacts"), 1);
    assert_eq!(env.count("contact_fields"), 0);
}

/// The search indexes drift from the data (another program wrote to the file): doctor says
/// so, and `--rebuild-indexes` mends them without touching the data.
#[test]
fn doctor_finds_search_indexes_out_of_step_and_rebuilds_them() {
    let env = Env::new();
    env.ok(&["add", "Ann Apple"]);
    env.ok(&["note", "Ann", "asked about the sourdough"]);
    let out = env.ok(&["doctor", "--full"]);
    assert!(!out.contains("Search indexes out of step"), "{out}");
    env.conn()
        .execute_batch(
            "INSERT INTO notes_fts(rowid, body) VALUES (999, 'ghost');
             INSERT INTO contact_names(contact_names, rowid, name) VALUES ('delete', 1, 'Ann Apple');",
        )
        .unwrap();
    let out = env.ok(&["doctor", "--full"]);
    assert!(
        out.contains("Search indexes out of step: tend doctor --rebuild"),
        "{out}"
    );
    assert!(
        out.contains("the search index of notes is out of step"),
        "{out}"
    );
    assert!(
        out.contains("the search index of contact names is out of step"),
        "{out}"
    );
    let out = env.ok(&["doctor", "--rebuild-indexes"]);
    assert!(out.contains("they match the data"), "{out}");
    let out = env.ok(&["doctor", "--full"]);
    assert!(!out.contains("Search indexes out of step"), "{out}");
    assert!(env.ok(&["search", "sourdough"]).contains("Ann Apple"));
    assert!(env.ok(&["show", "appl"]).starts_with("Ann Apple"));
    assert_eq!(env.count("notes"), 1);
}

/// The money and time sums drift from the entries (another program wrote to the file): the
/// cheap doctor says so, `--full` names the exact row, and `--rebuild` mends them without
/// touching an entry.
#[test]
fn doctor_finds_money_sums_out_of_step_and_rebuilds_them() {
    let env = Env::new();
    env.ok(&["add", "Ann Apple"]);
    env.ok(&["add", "Ben Birch"]);
    env.ok(&["income", "Ann", "250", "--on", "2026-10-04"]);
    env.ok(&["time", "Ben", "1h30", "--on", "2026-11-02"]);
    assert!(!env.ok(&["doctor", "--full"]).contains("sums out of step"));
    let report = env.ok(&["report", "profit", "--period", "all"]);
    // A value moved from one contact's row to another's: the totals still agree, so only the
    // full check sees it.
    env.conn()
        .execute_batch("UPDATE money_rollup SET contact_id = 2 WHERE span = 'm' AND contact_id = 1")
        .unwrap();
    assert!(!env.ok(&["doctor"]).contains("sums out of step"));
    let full = env.ok(&["doctor", "--full"]);
    assert!(
        full.contains("Money and time sums out of step with the entries: tend doctor --rebuild"),
        "{full}"
    );
    assert!(full.contains("the month 2026-10 of contact #1"), "{full}");
    // Everyone's sum changed behind tend's back: the cheap check sees that.
    env.conn()
        .execute_batch("UPDATE money_rollup SET revenue = revenue + 1 WHERE span = 'Y'")
        .unwrap();
    let quick = env.ok(&["doctor"]);
    assert!(
        quick.contains("the year 2026 sums for everyone differ"),
        "{quick}"
    );
    let out = env.ok(&["doctor", "--rebuild"]);
    assert!(out.contains("they match the data"), "{out}");
    assert!(!env.ok(&["doctor", "--full"]).contains("sums out of step"));
    assert_eq!(env.ok(&["report", "profit", "--period", "all"]), report);
    assert_eq!(env.count("money_entries"), 1);
}

/// Functions and syntax newer than the sqlite3 most machines have (Debian 12 ships 3.40): a
/// view or trigger that names one makes the book unwritable from that sqlite3 ("no such
/// function"), though tend's own bundled SQLite has them all. scripts/check-sqlite3 writes to a
/// book with the real thing; this keeps the schema honest without it.
const NEWER_THAN_3_40: &[&str] = &[
    "concat(",       // 3.44
    "concat_ws(",    // 3.44
    "string_agg(",   // 3.44
    "timediff(",     // 3.43
    "octet_length(", // 3.43
    "unistr(",       // 3.50
    "unistr_quote(", // 3.50
    "if(",           // 3.48
    "percentile(",   // 3.51
    "median(",       // 3.51
];

#[test]
fn the_schema_is_writable_by_an_older_sqlite3() {
    let env = Env::with_people();
    let conn = env.conn();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL")
        .unwrap();
    let schema: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(schema.len() > 50, "{} objects", schema.len());
    for (name, sql) in &schema {
        let lower = sql.to_lowercase();
        for f in NEWER_THAN_3_40 {
            // Called, not the end of another name (group_concat( is not concat().
            let called = lower.match_indices(f).any(|(i, _)| {
                !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            assert!(!called, "{name} uses {f}: {sql}");
        }
        // An aggregate's own ORDER BY (group_concat(x ORDER BY y)) is 3.44 too.
        for call in lower.split("group_concat(").skip(1) {
            let args = call.split(')').next().unwrap_or("");
            assert!(!args.contains("order by"), "{name}: {sql}");
        }
    }
}

/// Migration 24 builds each contact's search text without concat_ws: the same text, for
/// details that are missing, empty, or many.
#[test]
fn the_details_text_is_what_concat_ws_made() {
    let env = Env::with_people();
    env.ok(&["add", "Empty Email", "--email", ""]);
    env.ok(&[
        "add",
        "Dan Deli",
        "--phone",
        "0770",
        "--company",
        "Deli Ltd",
        "--tag",
        "a",
        "--tag",
        "b",
        "--field",
        "likes=rye",
        "--source",
        "market",
    ]);
    env.ok(&["add", "Nobody Much"]);
    let conn = env.conn();
    let rows = |sql: &str| -> Vec<(i64, Option<String>)> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let now = rows("SELECT id, vals FROM contact_detail_text ORDER BY id");
    let before = rows(
        "SELECT c.id, concat_ws(char(10), c.email, c.phone, co.name,
             (SELECT group_concat(t.tag, char(10)) FROM contact_tags t WHERE t.contact_id = c.id),
             (SELECT group_concat(f.value, char(10)) FROM contact_fields f WHERE f.contact_id = c.id),
             c.source)
           FROM contacts c LEFT JOIN contacts co ON co.id = c.company_id AND co.kind = 'company'
          ORDER BY c.id",
    );
    assert!(now.len() >= 6, "{now:?}");
    assert!(
        now.iter()
            .any(|(_, v)| v.as_deref() == Some("0770\nDeli Ltd\na\nb\nrye\nmarket")),
        "{now:?}"
    );
    assert_eq!(now, before);
}
