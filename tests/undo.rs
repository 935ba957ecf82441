//! `tend undo` and the app's `u` take back the same changes, newest first, whoever made them;
//! undoing every change of any sequence gives back the database it started from.

mod common;

use common::Env;
use common::screen::{app, keys, screen_at};
use proptest::prelude::*;

#[test]
fn a_typo_in_an_amount_is_taken_back_and_entered_again() {
    let env = Env::with_people();
    env.ok(&["income", "alice", "12000"]);
    let out = env.ok(&["undo"]);
    assert!(
        out.contains("Undid") && out.contains("income i#1 £12,000"),
        "{out}"
    );
    assert_eq!(env.count("money_entries"), 0);
    env.ok(&["income", "alice", "1,200"]);
    let list = env.ok(&["undo", "--list"]);
    // A new id: i#1 is the undone one, in the list and in any scrollback.
    assert!(list.contains("income i#2 £1,200"), "{list}");
    assert!(
        list.contains("income i#1 £12,000") && list.contains("(undone)"),
        "{list}"
    );
    // Undo goes on back through what came before it (the people's adding), then stops.
    for _ in 0..10 {
        env.ok(&["undo"]);
    }
    assert!(env.ok(&["undo"]).contains("Nothing to undo"));
}

#[test]
fn the_shell_and_the_app_undo_each_others_changes() {
    let env = Env::with_people();
    env.ok(&["note", "bob", "called about the site"]);
    let mut app = app(&env);
    keys(&mut app, "u");
    assert!(screen_at(&mut app, 100, 30).contains("Undid: note for Bob Jones"));
    assert_eq!(env.count("notes"), 0);
    // A change in the app, undone from the shell.
    keys(&mut app, "/carol");
    app.handle_key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Enter,
    ));
    keys(&mut app, "e");
    keys(&mut app, "likes=scones");
    app.handle_key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Enter,
    ));
    assert_eq!(env.count("contact_fields WHERE value = 'scones'"), 1);
    let out = env.ok(&["undo"]);
    assert!(out.contains("Undid"), "{out}");
    assert_eq!(env.count("contact_fields WHERE value = 'scones'"), 0);
}

/// The database as `tend export json` gives it, without the times that record when a row was
/// last touched (an undone edit still touched it).
fn state(env: &Env) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("updated_at");
                m.remove("exported_at");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = env.json(&["export", "json"]);
    strip(&mut v);
    v
}

const STEPS: &[&[&str]] = &[
    &[
        "note",
        "alice",
        "rang about the order",
        "--next",
        "fri: send the quote",
    ],
    &["next", "bob", "tomorrow", "call back"],
    &["income", "carol", "250"],
    &["expense", "alice", "12.50"],
    &["time", "bob", "1h30"],
    &["deal", "add", "bob", "salon site", "2,400"],
    &[
        "edit",
        "carol",
        "--phone",
        "07700 900123",
        "--field",
        "likes=scones",
        "--status",
        "client",
    ],
    &["add", "Dan Brown", "--email", "dan@example.com"],
    // Corrections: these name the first entries, so they fail (and count for nothing) when
    // no such entry was made first.
    &[
        "entry",
        "edit",
        "i#1",
        "300",
        "--memo",
        "typo fixed",
        "--on",
        "yesterday",
    ],
    &["paid", "i#1"],
    &["entry", "delete", "e#2"],
    &["entry", "edit", "t#1", "45m"],
    &["entry", "edit", "i#1", "--to", "alice"],
    &[
        "note",
        "edit",
        "n#1",
        "--kind",
        "call",
        "--at",
        "yesterday",
        "--to",
        "bob",
    ],
    &["tag", "alice", "vip", "wholesale"],
    &["archive", "bob"],
    &["merge", "alice", "carol"],
    &["recipe", "apply", "alice", "onboarding"],
    &[
        "next",
        "carol",
        "today",
        "ask for a referral",
        "--every",
        "2w",
    ],
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12)
    ))]

    #[test]
    fn undoing_every_change_gives_back_the_start(picks in prop::collection::vec(0..STEPS.len() + 3, 1..7)) {
        let env = Env::with_people();
        let start = state(&env);
        let start_log = env.count("undo_log WHERE undone_at IS NULL");
        let mut made = 0;
        for p in picks {
            // Beyond the plain steps: complete or snooze whatever is open, or win a deal.
            let ok = match p.checked_sub(STEPS.len()) {
                None => env.tend().args(STEPS[p]).output().unwrap().status.success(),
                Some(0) => env.tend().args(["done", "carol"]).output().unwrap().status.success(),
                Some(1) => env.tend().args(["snooze", "bob", "next mon"]).output().unwrap().status.success(),
                Some(_) => env.tend().args(["deal", "won", "1"]).output().unwrap().status.success(),
            };
            made += usize::from(ok);
        }
        prop_assert_eq!(env.count("undo_log WHERE undone_at IS NULL") - start_log, made as i64);
        for _ in 0..made {
            env.ok(&["undo"]);
        }
        prop_assert_eq!(state(&env), start);
    }
}

#[test]
fn an_import_is_undone_whole_and_the_change_before_it_after() {
    let env = Env::with_people();
    env.ok(&["edit", "alice", "--phone", "07700 900001"]);
    let after_edit = state(&env);
    let file = env.dir.path().join("phone.vcf");
    std::fs::write(
        &file,
        concat!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Smith\r\nEMAIL:alice@example.com\r\n",
            "TEL:07700 900999\r\nNOTE:from the phone\r\nCATEGORIES:family\r\nORG:Smith & Co\r\nEND:VCARD\r\n",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dora New\r\nORG:Dora's Deli\r\nEND:VCARD\r\n",
        ),
    )
    .unwrap();
    let out = env.ok(&["import", "vcard", "--update", file.to_str().unwrap()]);
    assert!(
        out.contains("tend undo takes the whole import back"),
        "{out}"
    );
    assert_eq!(
        env.count("contacts WHERE name IN ('Dora New', 'Dora''s Deli', 'Smith & Co')"),
        3
    );
    let undone = env.ok(&["undo"]);
    assert!(undone.contains("import of"), "{undone}");
    assert_eq!(
        state(&env),
        after_edit,
        "created contacts and companies gone, Alice as she was"
    );
    env.ok(&["undo"]);
    assert_eq!(
        env.count("contacts WHERE phone = '07700 900001'"),
        0,
        "then the edit"
    );
}

#[test]
fn a_restore_from_json_stops_undo_before_it_does_damage() {
    let env = Env::new();
    env.ok(&["add", "Dan Brown"]);
    env.ok(&["delete", "dan", "--yes"]);
    let doc = env.dir.path().join("other.json");
    let other = Env::with_people();
    std::fs::write(&doc, other.ok(&["export", "json"])).unwrap();
    env.ok(&["import", "json", doc.to_str().unwrap()]);
    // Dan was #1: the restored contacts are numbered after him, so his id means nobody else.
    let first: i64 = env
        .conn()
        .query_row("SELECT min(id) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(first, 2);
    // Undoing Dan's delete is refused all the same: a restore is where undo stops.
    let out = env.ok(&["undo"]);
    assert!(out.contains("Nothing to undo"), "{out}");
    assert!(env.ok(&["undo", "--list"]).contains("no longer undoable"));
}

#[test]
fn an_undo_that_cannot_be_applied_can_be_dropped() {
    let env = Env::with_people();
    env.ok(&["add", "Dan Brown"]);
    // Something recorded for Dan outside the log (a restore, an older tend): undoing his
    // adding would delete it, so it is refused, and --drop moves past it.
    env.conn()
        .execute(
            "INSERT INTO notes (uid, contact_id, kind, body, at, created_at)
             SELECT 'x', id, 'note', 'kept', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z' FROM contacts WHERE name = 'Dan Brown'",
            [],
        )
        .unwrap();
    let err = env.fails(&["undo"]);
    assert!(err.contains("tend undo --drop"), "{err}");
    assert_eq!(env.count("notes WHERE body = 'kept'"), 1);
    env.ok(&["undo", "--drop"]);
    let out = env.ok(&["undo"]);
    assert!(
        out.contains("Carol White added"),
        "the one before is undone now: {out}"
    );
}

/// The id printed for a change is never given to another row, even after the change was
/// undone or the row deleted: `tend done f#3` from scrollback cannot complete someone else's.
#[test]
fn an_id_once_given_is_never_given_again() {
    let env = Env::with_people();
    let id = |sql: &str| -> i64 { env.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    for (make, table) in [
        (vec!["next", "bob", "fri", "call back"], "follow_ups"),
        (vec!["note", "bob", "called"], "notes"),
        (vec!["add", "Dora Diaz"], "contacts"),
        (vec!["deal", "add", "bob", "cake", "100"], "deals"),
        (vec!["income", "bob", "100"], "money_entries"),
        (vec!["time", "bob", "1h"], "time_entries"),
    ] {
        let newest = format!("SELECT max(id) FROM {table}");
        env.ok(&make);
        let first = id(&newest);
        env.ok(&["undo"]);
        env.ok(&make);
        let second = id(&newest);
        assert_eq!(second, first + 1, "{table}: an undone id came back");
        assert_eq!(
            env.count(&format!("{table} WHERE id = {first}")),
            0,
            "{table}"
        );
    }
    // Deleted, not undone: the same.
    env.ok(&["note", "carol", "to be deleted"]);
    let gone = id("SELECT max(id) FROM notes");
    env.ok(&["note", "delete", &format!("n#{gone}")]);
    env.ok(&["note", "carol", "kept"]);
    assert_eq!(id("SELECT max(id) FROM notes"), gone + 1);
    // An undone delete brings its row back with its own id.
    env.ok(&["note", "delete", &format!("n#{}", gone + 1)]);
    env.ok(&["undo"]);
    assert_eq!(
        env.count(&format!("notes WHERE id = {} AND body = 'kept'", gone + 1)),
        1
    );
}
