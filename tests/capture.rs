//! Capturing from the shell: add, note, next, done, snooze.

mod common;

use common::Env;

#[test]
fn add_stores_every_field_and_links_company_and_referrer() {
    let env = Env::with_people();
    let alice = env.json(&["show", "alice", "--json"]);
    let c = &alice["contact"];
    assert_eq!(c["name"], "Alice Smith");
    assert_eq!(c["email"], "alice@example.com");
    assert_eq!(c["status"], "client");
    assert_eq!(c["company"], "Acme Bakery");
    assert_eq!(c["tags"], serde_json::json!(["vip"]));
    assert_eq!(c["fields"]["likes"], "lemon cake");
    assert_eq!(c["uid"].as_str().unwrap().len(), 36, "a UUID");
    let bob = env.json(&["show", "bob", "--json"]);
    assert_eq!(bob["contact"]["referred_by"], "Alice Smith");
    assert_eq!(bob["contact"]["source"], "website");
    assert_eq!(bob["contact"]["status"], "lead");
    let company: String = env
        .conn()
        .query_row(
            "SELECT kind FROM contacts WHERE name = 'Acme Bakery'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(company, "company");
}

#[test]
fn adding_a_namesake_warns_but_keeps_both() {
    let env = Env::with_people();
    let out = env.tend().args(["add", "alice smith"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(env.count("contacts WHERE name LIKE 'alice smith'"), 2);
}

#[test]
fn note_with_next_sets_a_follow_up_in_one_go() {
    let env = Env::with_people();
    let out = env.ok(&[
        "note",
        "alice",
        "called, wants a quote",
        "--next",
        "fri: send quote",
    ]);
    assert!(out.contains("Noted for Alice Smith."), "{out}");
    assert!(
        out.contains("Fri 27 Nov") && out.contains("send quote"),
        "{out}"
    );
    let (body, kind, at): (String, String, String) = env
        .conn()
        .query_row("SELECT body, kind, at FROM notes", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(
        (body.as_str(), kind.as_str(), at.as_str()),
        ("called, wants a quote", "note", "2026-11-23T10:00:00Z")
    );
    let (text, due): (String, String) = env
        .conn()
        .query_row("SELECT text, due_date FROM follow_ups", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((text.as_str(), due.as_str()), ("send quote", "2026-11-27"));
}

#[test]
fn note_words_are_joined_and_options_may_follow_them() {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "bob",
        "left",
        "a",
        "voicemail",
        "--kind",
        "call",
        "--at",
        "yesterday 16:30",
    ]);
    let (body, kind, at): (String, String, String) = env
        .conn()
        .query_row("SELECT body, kind, at FROM notes", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(body, "left a voicemail");
    assert_eq!(kind, "call");
    assert_eq!(at, "2026-11-22T16:30:00Z");
}

#[test]
fn note_at_a_weekday_looks_back() {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "bob",
        "met at the market",
        "--at",
        "fri",
        "-k",
        "meeting",
    ]);
    let at: String = env
        .conn()
        .query_row("SELECT at FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(at, "2026-11-20T12:00:00Z", "last Friday, midday");
}

#[test]
fn note_text_can_come_from_stdin() {
    let env = Env::with_people();
    env.tend()
        .args(["note", "carol", "--kind", "email"])
        .write_stdin("Subject: quote\n\nThanks for the quote, looks good.\n")
        .assert()
        .success();
    let body: String = env
        .conn()
        .query_row("SELECT body FROM notes", [], |r| r.get(0))
        .unwrap();
    assert!(body.starts_with("Subject: quote\n\nThanks"), "{body}");
    env.tend()
        .args(["note", "carol", "-"])
        .write_stdin("dash means stdin")
        .assert()
        .success();
    assert_eq!(env.count("notes WHERE body = 'dash means stdin'"), 1);
}

#[test]
fn note_text_can_come_from_the_editor_at_a_terminal() {
    let env = Env::with_people();
    // `script` gives tend a terminal for stdin, so it opens $EDITOR; the "editor" writes the note.
    let tend = assert_cmd::cargo::cargo_bin("tend");
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} note carol", tend.display()),
            "/dev/null",
        ])
        .env("TEND_DB", &env.db)
        .env("TEND_NOW", common::NOW)
        .env("NO_COLOR", "1")
        .env("EDITOR", "printf '# comment\\nwritten in the editor\\n' >")
        .output()
        .expect("script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let body: String = env
        .conn()
        .query_row("SELECT body FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "written in the editor");
}

#[test]
fn next_reads_the_date_from_the_leading_words() {
    let env = Env::with_people();
    let out = env.ok(&["next", "bob", "next", "fri", "send", "the", "samples"]);
    assert!(
        out.contains("Fri 4 Dec") && out.contains("send the samples"),
        "{out}"
    );
    env.ok(&["next", "carol", "tomorrow 9am", "call about the kitchen"]);
    let (due, time): (String, Option<String>) = env
        .conn()
        .query_row(
            "SELECT due_date, due_time FROM follow_ups WHERE text LIKE 'call%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (due.as_str(), time.as_deref()),
        ("2026-11-24", Some("09:00"))
    );
}

#[test]
fn done_on_a_recurring_follow_up_schedules_the_next_one() {
    let env = Env::with_people();
    let f = env.json(&[
        "next",
        "alice",
        "in 3d",
        "quarterly check-in",
        "--every",
        "quarterly",
        "--json",
    ]);
    let id = f["id"].as_i64().unwrap();
    assert_eq!(f["due_date"], "2026-11-26");
    assert_eq!(f["recurrence"], "3m");
    let done = env.json(&["done", &id.to_string(), "--json"]);
    assert!(done["done"]["done_at"].is_string());
    assert_eq!(done["next"]["due_date"], "2027-02-26");
    assert_eq!(done["next"]["text"], "quarterly check-in");
    assert_eq!(env.count("follow_ups WHERE done_at IS NULL"), 1);
}

#[test]
fn done_by_name_completes_the_only_open_follow_up_and_asks_for_the_next() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "fri", "send quote"]);
    let out = env.ok(&["done", "bob"]);
    assert!(out.contains("Done: send quote for Bob Jones."), "{out}");
    assert!(out.contains("Bob Jones has no next step now"), "{out}");
    assert_eq!(env.count("follow_ups WHERE done_at IS NOT NULL"), 1);
}

#[test]
fn done_by_name_with_several_open_lists_them_and_changes_nothing() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "fri", "send quote"]);
    env.ok(&["next", "bob", "mon", "chase"]);
    let err = env.fails(&["done", "bob"]);
    assert!(
        err.contains("has 2 open follow-ups")
            && err.contains("send quote")
            && err.contains("chase"),
        "{err}"
    );
    assert_eq!(env.count("follow_ups WHERE done_at IS NOT NULL"), 0);
}

#[test]
fn done_twice_says_it_is_already_done() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "fri", "send quote"]);
    env.ok(&["done", "#1"]);
    let err = env.fails(&["done", "1"]);
    assert!(err.contains("already done"), "{err}");
    let err = env.fails(&["done", "99"]);
    assert!(err.contains("no open follow-up f#99"), "{err}");
}

#[test]
fn snooze_moves_the_date_and_counts_the_snooze() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "today", "call back"]);
    let f = env.json(&["snooze", "1", "next", "mon", "--json"]);
    assert_eq!(f["due_date"], "2026-11-30");
    assert_eq!(f["snoozes"], 1);
    let out = env.ok(&["snooze", "bob", "in", "2w"]);
    assert!(
        out.contains("Mon 7 Dec"),
        "snoozing counts from today: {out}"
    );
    let due_and_snoozes = || -> (String, i64) {
        env.conn()
            .query_row("SELECT due_date, snoozes FROM follow_ups", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    assert_eq!(due_and_snoozes(), ("2026-12-07".into(), 2));
    // Earlier than it is due, or the same day, is not putting it off: refused, and the way
    // to bring it forward is said.
    for when in ["in 2d", "7 dec"] {
        let err = env.fails(&["snooze", "bob", when]);
        assert!(err.contains("snoozing only puts it off"), "{err}");
        assert!(err.contains("tend followup edit f#1 --due"), "{err}");
    }
    assert_eq!(due_and_snoozes(), ("2026-12-07".into(), 2));
}

#[test]
fn a_follow_up_is_corrected_in_place_and_the_correction_undone() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "mon", "14:00", "sned the qoute"]);
    let out = env.ok(&["followup", "edit", "f#1", "send", "the", "quote"]);
    assert!(
        out.contains("send the quote") && out.contains("14:00"),
        "{out}"
    );
    // Brought forward, keeping its time; not counted as a snooze.
    env.ok(&["followup", "edit", "bob", "--due", "wed"]);
    let row = || -> (String, String, String, i64) {
        env.conn()
            .query_row(
                "SELECT text, due_date, due_time, snoozes FROM follow_ups WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    };
    assert_eq!(
        row(),
        (
            "send the quote".into(),
            "2026-11-25".into(),
            "14:00".into(),
            0
        )
    );
    env.ok(&["followup", "edit", "1", "--due", "thu 9am"]);
    assert_eq!(row().2, "09:00");
    env.ok(&["followup", "edit", "1", "--all-day"]);
    let time: Option<String> = env
        .conn()
        .query_row("SELECT due_time FROM follow_ups WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(time, None);
    env.ok(&["undo"]);
    // Each correction is its own change in the undo log.
    env.ok(&["undo"]);
    env.ok(&["undo"]);
    assert_eq!(
        row(),
        (
            "send the quote".into(),
            "2026-11-30".into(),
            "14:00".into(),
            0
        )
    );
    env.ok(&["undo"]);
    assert_eq!(row().0, "sned the qoute");
    // Nothing to change, or a date that cannot be read: refused, nothing written.
    assert!(
        env.fails(&["followup", "edit", "f#1"])
            .contains("say what to change")
    );
    assert!(
        env.fails(&["followup", "edit", "f#1", "--due", "someday"])
            .contains("someday")
    );
    env.ok(&["done", "f#1"]);
    assert!(env.fails(&["followup", "edit", "f#1", "x"]).contains("f#1"));
    assert_eq!(row().0, "sned the qoute");
}
