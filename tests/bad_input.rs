//! Bad input: a clear message on stderr, a non-zero exit code, and nothing half-written.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Env;

/// Everything that a failed command must not have touched.
fn snapshot(env: &Env) -> (i64, i64, i64, i64) {
    (
        env.count("contacts"),
        env.count("notes"),
        env.count("follow_ups"),
        env.conn()
            .query_row("SELECT count(*) FROM contact_tags", [], |r| r.get(0))
            .unwrap(),
    )
}

#[test]
fn unknown_contact_suggests_close_names_and_how_to_add() {
    let env = Env::with_people();
    let before = snapshot(&env);
    let err = env.fails(&["note", "alcie", "hello"]);
    assert!(err.contains("no contact matches 'alcie'"), "{err}");
    assert!(err.contains("did you mean Alice Smith?"), "{err}");
    assert!(err.contains("tend add \"alcie\""), "{err}");
    assert_eq!(snapshot(&env), before);
}

#[test]
fn ambiguous_name_lists_candidates_and_writes_nothing() {
    let env = Env::with_people();
    env.ok(&["add", "Alan Smithers", "--email", "alan@example.com"]);
    let before = snapshot(&env);
    let err = env.fails(&["note", "smith", "hello", "--next", "fri: call"]);
    assert!(err.contains("'smith' matches 2 contacts"), "{err}");
    assert!(
        err.contains("#2") && err.contains("Alice Smith") && err.contains("alan@example.com"),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("the id"), "{err}");
    assert_eq!(snapshot(&env), before);
}

#[test]
fn unparseable_dates_are_refused_with_examples() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "fri", "call"]);
    let before = snapshot(&env);
    for args in [
        vec!["note", "bob", "hi", "--next", "someday: call"],
        vec!["note", "bob", "hi", "--at", "soonish"],
        vec!["next", "bob", "whenever", "call"],
        vec!["snooze", "1", "the", "twelfth"],
        vec!["next", "bob", "31 feb 2027", "call"],
    ] {
        let err = env.fails(&args);
        assert!(
            err.contains("error:") && (err.contains("tomorrow") || err.contains("WHEN: WHAT")),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        snapshot(&env),
        before,
        "a bad --next leaves no note behind either"
    );
}

#[test]
fn empty_notes_and_next_steps_save_nothing() {
    let env = Env::with_people();
    let before = snapshot(&env);
    assert!(
        env.fails(&["note", "bob", "   "])
            .contains("the note is empty")
    );
    let err = env
        .tend()
        .args(["note", "bob"])
        .write_stdin("\n\n")
        .output()
        .unwrap();
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("the note is empty"));
    assert!(
        env.fails(&["next", "bob", "fri"])
            .contains("the next step is empty")
    );
    assert!(
        env.fails(&["note", "bob", "hi", "--next", "fri:"])
            .contains("WHEN: WHAT")
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn unknown_option_values_name_the_choices() {
    let env = Env::with_people();
    let before = snapshot(&env);
    let cases: [(&[&str], &str); 8] = [
        (
            &["note", "bob", "hi", "--kind", "fax"],
            "note, call, email, meeting",
        ),
        (
            &["add", "Dan", "--status", "vip"],
            "lead, prospect, client, former, lost",
        ),
        (
            &["next", "bob", "fri", "call", "--every", "often"],
            "weekly, fortnightly",
        ),
        (&["add", "Dan", "--field", "nokey"], "key=value"),
        (
            &["add", "Dan", "--email", "not-an-email"],
            "does not look like an email",
        ),
        (
            &["add", "Dan", "--email", "@example.com"],
            "does not look like an email",
        ),
        (
            &["edit", "bob", "--email", "bob@"],
            "does not look like an email",
        ),
        (
            &["edit", "bob", "--email", "bob@example..com"],
            "does not look like an email",
        ),
    ];
    for (args, expected) in cases {
        let err = env.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert_eq!(snapshot(&env), before);
}

#[test]
fn a_database_path_that_is_a_folder_or_under_a_file_is_refused() {
    let env = Env::new();
    let dir = env.dir.path().join("folder.db");
    std::fs::create_dir(&dir).unwrap();
    let err = env.fails(&["--db", dir.to_str().unwrap(), "today"]);
    assert!(
        err.contains("it is a folder") && err.contains("--db"),
        "{err}"
    );
    let file = env.dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let under = file.join("tend.db");
    let err = env.fails(&["--db", under.to_str().unwrap(), "today"]);
    assert!(
        err.contains("cannot open") && err.contains("plain-file is a file, not a folder"),
        "{err}"
    );
}

#[test]
fn a_database_named_in_a_folder_that_does_not_exist_is_refused_until_init() {
    let env = Env::new();
    let db = env.dir.path().join("Dropbx").join("tend.db");
    let db_s = db.to_str().unwrap();
    for args in [vec!["add", "Alice"], vec!["today"], vec![]] {
        let mut all = vec!["--db", db_s];
        all.extend(args);
        let err = env.fails(&all);
        assert!(
            err.contains("Dropbx for the database") && err.contains("does not exist"),
            "{err}"
        );
        assert!(
            err.contains("init`"),
            "the hint says how to start one there: {err}"
        );
    }
    assert!(!db.parent().unwrap().exists(), "nothing was created");
    // TEND_DB is held to the same rule.
    let out = env
        .tend()
        .env("TEND_DB", &db)
        .args(["list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!db.parent().unwrap().exists());
    env.ok(&["--db", db_s, "init"]);
    env.ok(&["--db", db_s, "add", "Alice"]);
    assert!(env.ok(&["--db", db_s, "list"]).contains("Alice"));
    // A new file in a folder that exists is still simply started.
    let beside = env.dir.path().join("second.db");
    env.ok(&["--db", beside.to_str().unwrap(), "add", "Bob"]);
}

#[test]
fn a_read_only_database_is_refused_and_left_alone() {
    let env = Env::with_people();
    let before = snapshot(&env);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let err = env.fails(&["note", "bob", "hello"]);
    assert!(
        err.contains("is read-only") && err.contains("chmod u+w"),
        "{err}"
    );
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(snapshot(&env), before);
}

#[test]
fn a_database_from_a_newer_tend_is_refused_untouched() {
    let env = Env::with_people();
    env.conn()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let err = env.fails(&["today"]);
    assert!(err.contains("written by a newer tend (schema 99"), "{err}");
    assert!(err.contains("upgrade tend"), "{err}");
    let v: i64 = env
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
    let backups = std::fs::read_dir(env.db.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("backup")
        })
        .count();
    assert_eq!(backups, 0);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let env = Env::new();
    let path = env.dir.path().join("notes.txt");
    let text = "this is my shopping list, not a database\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    let err = env.fails(&["--db", path.to_str().unwrap(), "add", "Dan"]);
    assert!(
        err.contains("is not a tend database") && err.contains("not an SQLite database"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let env = Env::new();
    let path = env.dir.path().join("other.sqlite");
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');")
        .unwrap();
    drop(other);
    let err = env.fails(&["--db", path.to_str().unwrap(), "list"]);
    assert!(err.contains("SQLite database of another program"), "{err}");
    let other = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = other
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn a_bad_clock_override_is_explained() {
    let env = Env::new();
    let err = env
        .tend()
        .env("TEND_NOW", "teatime")
        .arg("today")
        .output()
        .unwrap();
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("TEND_NOW='teatime' is not a time"));
}

#[test]
fn non_utf8_arguments_are_an_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::with_people();
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9");
    let out = env.tend().arg("note").arg("bob").arg(bad).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("UTF-8") && !err.contains("panicked"), "{err}");
    assert_eq!(env.count("notes"), 0);
}

#[test]
fn names_with_escape_sequences_are_never_echoed_raw() {
    let env = Env::new();
    let out = env.ok(&["add", "Eve\x1b[2J\x1b]0;pwned\x07"]);
    assert!(!out.contains('\x1b') && out.contains("Eve^[[2J"), "{out:?}");
    env.ok(&["note", "eve", "bad \x1b[31mred\x1b[0m note"]);
    for args in [
        &["show", "eve"][..],
        &["list"],
        &["today"],
        &["search", "red"],
    ] {
        let out = env.ok(args);
        assert!(
            !out.contains('\x1b') && !out.contains('\x07'),
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn a_database_in_a_synced_folder_gets_a_warning_and_still_works() {
    let env = Env::new();
    for folder in ["Dropbox", "OneDrive - Acme Ltd", "synced"] {
        let dir = env.dir.path().join(folder).join("crm");
        std::fs::create_dir_all(&dir).unwrap();
        if folder == "synced" {
            std::fs::create_dir_all(env.dir.path().join(folder).join(".stfolder")).unwrap();
        }
        let db = dir.join("tend.db");
        let out = env
            .tend()
            .args(["--db", db.to_str().unwrap(), "add", "Alice"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("warning:")
                && err.contains("can be corrupted by the sync")
                && err.contains("backups or exports"),
            "{folder}: {err}"
        );
        let doctor = env.ok(&["--db", db.to_str().unwrap(), "doctor"]);
        assert!(doctor.contains("Where the database lives"), "{doctor}");
    }
    let out = env.tend().args(["add", "Bob"]).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "an ordinary folder is fine"
    );
}

#[test]
fn a_path_with_spaces_and_a_one_megabyte_note_are_fine() {
    let env = Env::new();
    let db = env.dir.path().join("my clients").join("tend db.sqlite");
    let db = db.to_str().unwrap();
    env.ok(&["--db", db, "init"]);
    env.ok(&["--db", db, "add", "Alice Smith"]);
    let big = "lorem ipsum dolor sit amet ".repeat(40_000); // ~1 MB
    env.tend()
        .args(["--db", db, "note", "alice"])
        .write_stdin(big.clone())
        .assert()
        .success();
    let conn = rusqlite::Connection::open(env.dir.path().join("my clients").join("tend db.sqlite"))
        .unwrap();
    let len: i64 = conn
        .query_row("SELECT length(body) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(len as usize, big.trim().len());
    let shown = env.ok(&["--db", db, "show", "alice"]);
    assert!(shown.contains("lorem ipsum"));
    let found = env.ok(&["--db", db, "search", "dolor"]);
    assert!(found.contains("Alice Smith"));
}

#[test]
fn a_backup_onto_the_database_itself_is_refused() {
    let env = Env::with_people();
    for target in [env.db.clone(), env.db.with_extension("db-wal")] {
        let err = env.fails(&["backup", target.to_str().unwrap()]);
        assert!(err.contains("is the database itself"), "{err}");
    }
    assert_eq!(env.count("contacts"), 4, "the database is untouched");
}

#[test]
fn a_note_or_next_step_for_an_archived_contact_says_so() {
    let env = Env::with_people();
    env.ok(&["archive", "bob"]);
    let out = env.ok(&["note", "bob", "bumped into him"]);
    assert!(
        out.contains("Bob Jones is archived") && out.contains("--undo"),
        "{out}"
    );
    let out = env.ok(&["next", "bob", "fri", "call"]);
    assert!(out.contains("is archived"), "{out}");
    let out = env.ok(&["note", "alice", "hello"]);
    assert!(!out.contains("archived"), "{out}");
}

#[test]
fn a_time_tend_cannot_read_is_refused_not_saved_into_the_text() {
    let env = Env::with_people();
    let before = snapshot(&env);
    for args in [
        vec!["next", "bob", "tomorrow", "at", "9", "call"],
        vec!["next", "bob", "fri", "25:00", "call"],
        vec!["note", "bob", "hi", "--next", "tomorrow at 9 call again"],
        // Quoted whole, as people do.
        vec!["next", "bob", "tomorrow at 9 call"],
    ] {
        let err = env.fails(&args);
        assert!(
            err.contains("as a time") && err.contains("9am"),
            "{args:?}: {err}"
        );
        assert_eq!(snapshot(&env), before, "{args:?} wrote something");
    }
    // Read whole, with its time: six words of date and time, and a time with a dot.
    env.ok(&[
        "next", "bob", "1", "dec", "2026", "at", "2", "pm", "call", "the", "mill",
    ]);
    env.ok(&["next", "carol", "tomorrow", "9.30am", "bring", "samples"]);
    env.ok(&["next", "alice", "fri 4pm send the invoice"]);
    let conn = env.conn();
    let due = |text: &str| -> String {
        conn.query_row(
            "SELECT due_date || ' ' || due_time FROM follow_ups WHERE text = ?1",
            [text],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(due("call the mill"), "2026-12-01 14:00");
    assert_eq!(due("bring samples"), "2026-11-24 09:30");
    assert_eq!(due("send the invoice"), "2026-11-27 16:00");
}

#[test]
fn a_next_step_in_the_past_is_saved_but_said_to_be_late() {
    let env = Env::with_people();
    let out = env
        .tend()
        .args(["next", "bob", "yesterday", "call"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("yesterday is in the past") && said.contains("1 day late"),
        "{said}"
    );
    let out = env
        .tend()
        .args(["next", "bob", "fri", "call"])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty());
}
