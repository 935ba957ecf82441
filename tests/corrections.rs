//! Correcting what was written from the shell: notes, follow-ups (cancel, stop a repeat) and
//! income, expense and time entries; each undone by `tend undo`, and bad ids write nothing.

mod common;

use common::Env;

#[test]
fn a_note_is_corrected_deleted_and_brought_back() {
    let env = Env::with_people();
    env.ok(&["note", "alice", "called, wants a qoute"]);
    let show = env.ok(&["show", "alice"]);
    assert!(
        show.contains("n#1"),
        "tend show gives the note's id:\n{show}"
    );
    env.ok(&["note", "edit", "n#1", "called, wants a quote"]);
    assert_eq!(env.count("notes WHERE body = 'called, wants a quote'"), 1);
    assert!(
        env.ok(&["search", "quote"]).contains("Alice Smith"),
        "the search index follows"
    );
    env.ok(&["note", "delete", "1"]);
    assert_eq!(env.count("notes"), 0);
    env.ok(&["undo"]);
    assert_eq!(
        env.count("notes WHERE body = 'called, wants a quote' AND id = 1"),
        1
    );
    env.ok(&["undo"]);
    assert_eq!(env.count("notes WHERE body = 'called, wants a qoute'"), 1);
    let err = env.fails(&["note", "delete", "n#99"]);
    assert!(err.contains("note n#99 does not exist"), "{err}");
    let err = env.fails(&["note", "edit", "alice", "x"]);
    assert!(err.contains("not a note id"), "{err}");
    assert_eq!(env.count("notes"), 1);
}

#[test]
fn a_note_written_for_the_wrong_person_at_the_wrong_time_is_moved_and_undone() {
    let env = Env::with_people();
    env.ok(&["note", "alice", "met at the fair"]);
    let before = export(&env);
    env.ok(&[
        "note",
        "edit",
        "n#1",
        "--kind",
        "meeting",
        "--at",
        "yesterday 15:00",
        "--to",
        "bob",
    ]);
    let (contact, kind, body, at): (i64, String, String, String) = env
        .conn()
        .query_row("SELECT contact_id, kind, body, at FROM notes", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!(
        (kind.as_str(), body.as_str()),
        ("meeting", "met at the fair")
    );
    assert!(at.starts_with("2026-11-22T15:00"), "{at}");
    assert!(env.ok(&["show", "bob"]).contains("met at the fair"));
    assert!(!env.ok(&["show", "alice"]).contains("met at the fair"));
    assert_eq!(
        contact,
        env.json(&["show", "bob", "--json"])["contact"]["id"]
    );
    for (args, says) in [
        (&["note", "edit", "n#1"][..], "nothing to change"),
        (
            &["note", "edit", "n#1", "--at", "tomorrow"][..],
            "in the future",
        ),
        (
            &["note", "edit", "n#1", "--to", "nobody-like-this"][..],
            "no contact matches",
        ),
    ] {
        let err = env.fails(args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    env.ok(&["undo"]);
    assert_eq!(
        export(&env),
        before,
        "the note is back with Alice, as it was"
    );

    // An entry recorded for the wrong person moves too; its deal must go or be theirs.
    env.ok(&["deal", "add", "alice", "cake", "300"]);
    env.ok(&["income", "alice", "300", "--deal", "d#1"]);
    let before = export(&env);
    let err = env.fails(&["entry", "edit", "i#1", "--to", "bob"]);
    assert!(
        err.contains("belongs to Alice Smith") && err.contains("--deal none"),
        "{err}"
    );
    let out = env.ok(&["entry", "edit", "i#1", "--to", "bob", "--deal", "none"]);
    assert!(out.contains("moved from Alice Smith to Bob Jones"), "{out}");
    env.ok(&["undo"]);
    assert_eq!(export(&env), before);
}

#[test]
fn a_follow_up_is_cancelled_or_its_repeat_stopped_and_undone() {
    let env = Env::with_people();
    env.ok(&[
        "next",
        "alice",
        "fri",
        "quarterly check-in",
        "--every",
        "3mo",
    ]);
    env.ok(&["followup", "cancel", "f#1", "--stop"]);
    assert_eq!(
        env.count("follow_ups WHERE recurrence IS NULL AND done_at IS NULL"),
        1
    );
    // Done now schedules nothing after it.
    env.ok(&["undo"]);
    assert_eq!(env.count("follow_ups WHERE recurrence = '3m'"), 1);
    env.ok(&["followup", "cancel", "alice"]);
    assert_eq!(env.count("follow_ups"), 0);
    env.ok(&["undo"]);
    assert_eq!(
        env.count("follow_ups WHERE id = 1 AND recurrence = '3m'"),
        1
    );
    let err = env.fails(&["followup", "cancel", "bob"]);
    assert!(err.contains("has no open follow-up"), "{err}");
    env.ok(&["next", "bob", "fri", "call"]);
    let err = env.fails(&["followup", "cancel", "bob", "--stop"]);
    assert!(err.contains("does not repeat"), "{err}");
}

#[test]
fn a_cancelled_checklist_follow_up_comes_back_linked_to_its_step() {
    let env = Env::with_people();
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    let (fid, step): (i64, i64) = env
        .conn()
        .query_row(
            "SELECT follow_up_id, id FROM checklist_steps WHERE follow_up_id IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    env.ok(&["followup", "cancel", &fid.to_string()]);
    env.ok(&["undo"]);
    let linked: i64 = env
        .conn()
        .query_row(
            "SELECT follow_up_id FROM checklist_steps WHERE id = ?1",
            [step],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, fid);
}

#[test]
fn an_entry_is_corrected_or_deleted_and_undone() {
    let env = Env::with_people();
    let out = env.ok(&["income", "alice", "12000"]);
    assert!(
        out.contains("Income i#1:") && out.contains("tend paid i#1"),
        "{out}"
    );
    assert!(env.ok(&["time", "alice", "3h"]).contains("Time t#1:"));
    assert!(env.ok(&["expense", "bob", "40"]).contains("Expense e#2:"));
    let out = env.ok(&["entry", "edit", "i#1", "1,200"]);
    assert!(
        out.contains("Income i#1 for Alice Smith: £12,000 → £1,200"),
        "{out}"
    );
    assert_eq!(env.count("money_entries WHERE amount_minor = 120000"), 1);
    env.ok(&["entry", "edit", "t#1", "2h30"]);
    assert_eq!(env.count("time_entries WHERE minutes = 150"), 1);
    env.ok(&["entry", "delete", "i#1"]);
    assert_eq!(env.count("money_entries WHERE kind = 'income'"), 0);
    env.ok(&["undo"]);
    env.ok(&["undo"]);
    assert_eq!(env.count("time_entries WHERE minutes = 180"), 1);
    assert_eq!(env.count("money_entries WHERE amount_minor = 120000"), 1);
    let before = export(&env);
    for (args, says) in [
        (
            &["entry", "edit", "i#9", "5"][..],
            "there is no income entry i#9",
        ),
        (&["entry", "edit", "i#1", "12,50"][..], "commas only"),
        (&["entry", "edit", "t#1", "2.5"][..], "no unit"),
        (&["entry", "delete", "x"][..], "not an entry id"),
        (
            &["entry", "delete", "e#1"][..],
            "e#1 is income, not an expense",
        ),
        (&["entry", "edit", "i#1"][..], "nothing to change"),
        (
            &["entry", "edit", "e#2", "--paid-on", "today"][..],
            "only income is paid",
        ),
        (
            &["entry", "edit", "i#1", "--deal", "d#7"][..],
            "no deal d#7",
        ),
        (
            &["entry", "edit", "i#1", "5", "--on", "tomorrow"][..],
            "after today",
        ),
        (
            &["income", "alice", "5", "--on", "tomorrow"][..],
            "after today",
        ),
    ] {
        let err = env.fails(args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(export(&env), before, "nothing was written by the refusals");
}

#[test]
fn every_part_of_an_entry_can_be_corrected_and_each_correction_undone() {
    let env = Env::with_people();
    env.ok(&["deal", "add", "alice", "Wedding cake", "800"]);
    env.ok(&["income", "alice", "800", "--memo", "cake", "--paid"]);
    let start = export(&env);
    let out = env.ok(&[
        "entry",
        "edit",
        "i#1",
        "850",
        "--on",
        "yesterday",
        "--memo",
        "cake and delivery",
        "--deal",
        "d#1",
        "--unpaid",
    ]);
    for part in [
        "£800 → £850",
        "date today → yesterday",
        "memo \"cake and delivery\"",
        "deal d#1",
        "not paid yet",
    ] {
        assert!(out.contains(part), "{part}: {out}");
    }
    let row: (i64, String, String, Option<i64>, String, Option<String>) = env
        .conn()
        .query_row(
            "SELECT amount_minor, on_date, memo, deal_id, status, paid_on FROM money_entries",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            85_000,
            "2026-11-22".into(),
            "cake and delivery".into(),
            Some(1),
            "invoiced".into(),
            None
        )
    );
    env.ok(&[
        "entry",
        "edit",
        "i#1",
        "--memo",
        "",
        "--deal",
        "none",
        "--paid-on",
        "today",
    ]);
    assert_eq!(
        env.count("money_entries WHERE memo IS NULL AND deal_id IS NULL AND status = 'paid'"),
        1
    );
    env.ok(&["undo"]);
    env.ok(&["undo"]);
    assert_eq!(
        export(&env),
        start,
        "two undos give back the entry as it was"
    );

    // The entries can be found again, with their ids: in the list and in the profile.
    env.ok(&["time", "alice", "1h30", "--memo", "tasting"]);
    env.ok(&["expense", "bob", "12.50", "--memo", "flour"]);
    let list = env.ok(&["entry", "list"]);
    for part in [
        "i#1",
        "t#1",
        "e#2",
        "£800",
        "1h30",
        "£12.50",
        "flour",
        "Bob Jones",
    ] {
        assert!(list.contains(part), "{part}: {list}");
    }
    let alice = env.ok(&["entry", "list", "alice", "--kind", "time"]);
    assert!(alice.contains("t#1") && !alice.contains("i#1"), "{alice}");
    let json = env.json(&["entry", "list", "alice", "--json"]);
    assert_eq!(json["currency"], "GBP");
    assert_eq!(json["entries"].as_array().unwrap().len(), 2);
    let shown = env.ok(&["show", "alice"]);
    assert!(
        shown.contains("Money and time") && shown.contains("i#1") && shown.contains("t#1"),
        "{shown}"
    );
}

/// The whole database as `tend export json` gives it (the export's own time left out).
fn export(env: &Env) -> serde_json::Value {
    let mut v = env.json(&["export", "json"]);
    if let Some(m) = v.as_object_mut() {
        m.remove("exported_at");
    }
    v
}

#[test]
fn a_contact_is_deleted_with_everything_only_when_asked_and_undo_brings_all_of_it_back() {
    let env = Env::with_people();
    // Alice: company Acme, refers Bob, tags, fields; notes, follow-ups, a deal with history,
    // money and time, a checklist with dated steps.
    env.ok(&["note", "alice", "first call", "--next", "fri: send quote"]);
    env.ok(&["note", "alice", "second call"]);
    env.ok(&["deal", "add", "alice", "wedding cake", "1,200"]);
    env.ok(&["deal", "move", "1", "proposal"]);
    env.ok(&["income", "alice", "300", "--deal", "1"]);
    env.ok(&["time", "alice", "2h"]);
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    env.ok(&["tag", "alice", "wedding"]);
    let before = export(&env);

    let err = env.fails(&["delete", "alice"]);
    assert!(
        err.contains("takes 2 notes") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(env.count("contacts WHERE name = 'Alice Smith'"), 1);

    let out = env.ok(&["delete", "alice", "--yes"]);
    assert!(
        out.contains("Deleted") && out.contains("tend undo"),
        "{out}"
    );
    assert_eq!(env.count("contacts WHERE name = 'Alice Smith'"), 0);
    assert_eq!(env.count("notes"), 0);
    assert_eq!(
        env.count("contacts WHERE name = 'Bob Jones' AND referred_by_id IS NULL"),
        1
    );

    env.ok(&["undo"]);
    assert_eq!(
        export(&env),
        before,
        "everything came back, links and history included"
    );
    assert!(
        env.ok(&["search", "second"]).contains("Alice Smith"),
        "and is searchable again"
    );
}

#[test]
fn a_checklist_is_removed_with_its_open_follow_ups_and_undo_brings_them_back() {
    let env = Env::with_people();
    env.ok(&["next", "alice", "fri", "unrelated call"]);
    let before = export(&env);
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    let during = export(&env);
    let made = env.count("follow_ups");
    assert!(made > 1, "the recipe made follow-ups");
    env.ok(&["checklist", "remove", "alice", "onboarding"]);
    assert_eq!(env.count("checklists"), 0);
    assert_eq!(env.count("follow_ups"), 1, "only the unrelated one is left");
    assert_eq!(export(&env), before);
    env.ok(&["undo"]);
    assert_eq!(
        export(&env),
        during,
        "checklist, steps and follow-ups back, linked"
    );
    let err = env.fails(&["checklist", "remove", "alice", "nothing-like-it"]);
    assert!(err.contains("no checklist from"), "{err}");
    assert!(env.ok(&["checklist", "alice"]).contains("in progress"));

    // With a step ticked: the done follow-up and the note are what happened, and stay; undo
    // puts the checklist back with its progress.
    env.ok(&["tick", "alice"]);
    let ticked = export(&env);
    let done = env.count("follow_ups WHERE done_at IS NOT NULL");
    env.ok(&["checklist", "remove", "alice", "onboarding"]);
    assert_eq!(env.count("follow_ups WHERE done_at IS NOT NULL"), done);
    env.ok(&["undo"]);
    assert_eq!(export(&env), ticked, "the ticked checklist is back whole");

    // Her only checklist needs no name; with two, it asks which, and removes nothing.
    env.ok(&["checklist", "remove", "alice"]);
    assert_eq!(env.count("checklists"), 0);
    env.ok(&["undo"]);
    env.ok(&["recipe", "apply", "alice", "proposal"]);
    let err = env.fails(&["checklist", "remove", "alice"]);
    assert!(
        err.contains("2 checklists (onboarding, proposal)") && err.contains("nothing was removed"),
        "{err}"
    );
    assert_eq!(env.count("checklists"), 2);
    let err = env.fails(&["checklist", "remove", "bob"]);
    assert!(err.contains("no checklist"), "{err}");
}
