//! `tend vdir sync` on real folders: out, in, both sides, deletions, files it cannot use, and a
//! second sync that touches nothing.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::Env;

/// An environment whose config.toml names a contacts and a calendar folder.
fn env_with(extra: &str) -> (Env, PathBuf, PathBuf) {
    let env = Env::with_people();
    let contacts = env.dir.path().join("contacts");
    let calendar = env.dir.path().join("calendar");
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("config.toml"),
        format!(
            "[vdir]\ncontacts = \"{}\"\ncalendar = \"{}\"\n{extra}",
            contacts.display(),
            calendar.display()
        ),
    )
    .unwrap();
    (env, contacts, calendar)
}

fn uid_of(env: &Env, name: &str) -> String {
    env.conn()
        .query_row("SELECT uid FROM contacts WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Each file's name and mtime: what a second sync must leave alone.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// A file rewritten as a phone would: with one line replaced.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}:\n{text}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

fn sync(env: &Env) -> serde_json::Value {
    env.json(&["vdir", "sync", "--json"])
}

fn list(v: &serde_json::Value, side: &str, what: &str) -> Vec<String> {
    v[side][what]
        .as_array()
        .unwrap_or_else(|| panic!("{side}.{what} in {v}"))
        .iter()
        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
        .collect()
}

fn phone_of(env: &Env, name: &str) -> Option<String> {
    env.conn()
        .query_row("SELECT phone FROM contacts WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn out_writes_one_card_per_contact_and_one_calendar_file_per_follow_up() {
    let (env, contacts, calendar) = env_with("");
    env.ok(&["next", "alice", "fri 14:00", "send quote"]);
    let r = sync(&env);
    // Alice, Bob, Carol and Acme Bakery (a company is a contact too).
    assert_eq!(list(&r, "contacts", "written").len(), 4, "{r}");
    let alice = read(&contacts, &format!("{}.vcf", uid_of(&env, "Alice Smith")));
    assert!(alice.contains("FN:Alice Smith"), "{alice}");
    assert!(alice.contains("alice@example.com"), "{alice}");
    assert!(alice.contains("VERSION:3.0"), "{alice}");
    let files: Vec<String> = mtimes(&calendar).into_keys().collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let task = read(&calendar, &files[0]);
    assert!(task.contains("BEGIN:VTODO"), "{task}");
    assert!(task.contains("SUMMARY:Alice Smith: send quote"), "{task}");
    assert!(task.contains("DUE:20261127T140000"), "{task}");
    assert!(task.contains("STATUS:NEEDS-ACTION"), "{task}");
    assert!(task.contains("BEGIN:VALARM"), "{task}");
    // No temporary files left behind.
    for dir in [&contacts, &calendar] {
        assert!(
            mtimes(dir).keys().all(|n| !n.starts_with('.')),
            "{:?}",
            mtimes(dir)
        );
    }
}

#[test]
fn a_second_sync_changes_nothing_and_touches_no_file() {
    let (env, contacts, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    sync(&env);
    let before = (mtimes(&contacts), mtimes(&calendar));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = sync(&env);
    for side in ["contacts", "calendar"] {
        for what in [
            "written",
            "removed",
            "created",
            "updated",
            "archived",
            "completed",
        ] {
            assert!(list(&r, side, what).is_empty(), "{side}.{what}: {r}");
        }
    }
    assert_eq!((mtimes(&contacts), mtimes(&calendar)), before);
    assert!(env.ok(&["vdir", "sync"]).contains("nothing to do"));
    // Nothing changed in tend, so nothing to undo from the sync.
    let undo = env.ok(&["undo", "--list"]);
    assert!(!undo.contains("vdir sync"), "{undo}");
}

#[test]
fn a_change_in_tend_rewrites_only_its_own_file() {
    let (env, contacts, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    env.ok(&["next", "bob", "mon", "call back"]);
    sync(&env);
    let before = mtimes(&contacts);
    let cal_before = mtimes(&calendar);
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.ok(&["edit", "carol", "--phone", "07700 900999"]);
    env.ok(&["tag", "carol", "+florist"]);
    env.ok(&["snooze", "f#2", "next wed"]);
    let r = sync(&env);
    let carol = format!("{}.vcf", uid_of(&env, "Carol White"));
    assert_eq!(
        list(&r, "contacts", "written"),
        std::slice::from_ref(&carol),
        "{r}"
    );
    assert_eq!(list(&r, "calendar", "written").len(), 1, "{r}");
    let after = mtimes(&contacts);
    for (name, t) in &before {
        if *name != carol {
            assert_eq!(after[name], *t, "{name} untouched");
        }
    }
    let text = read(&contacts, &carol);
    assert!(text.contains("07700 900999"), "{text}");
    assert!(text.contains("florist"), "{text}");
    let cal_after = mtimes(&calendar);
    let changed: Vec<&String> = cal_after
        .iter()
        .filter(|(n, t)| cal_before.get(*n) != Some(*t))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(changed.len(), 1, "only Bob's follow-up: {changed:?}");
    assert!(read(&calendar, changed[0]).contains("DUE;VALUE=DATE:20261202"));
}

#[test]
fn edits_and_new_cards_in_the_folder_come_into_tend_keeping_what_tend_does_not_model() {
    let (env, contacts, _) = env_with("");
    sync(&env);
    let carol = contacts.join(format!("{}.vcf", uid_of(&env, "Carol White")));
    edit(&carol, "END:VCARD", "X-PHONE-RINGTONE:marimba\r\nEND:VCARD");
    edit(&carol, "07700 900123", "07700 900555");
    std::fs::write(
        contacts.join("from-the-phone.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Dan Brown\r\nN:Brown;Dan;;;\r\nTEL;TYPE=CELL:07700 900777\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "updated"), ["Carol White"], "{r}");
    assert_eq!(list(&r, "contacts", "created"), ["Dan Brown"], "{r}");
    assert_eq!(
        phone_of(&env, "Carol White").as_deref(),
        Some("07700 900555")
    );
    assert_eq!(phone_of(&env, "Dan Brown").as_deref(), Some("07700 900777"));
    // The new card is kept under the name tend gives it; the phone's own line stays on Carol.
    let dan = format!("{}.vcf", uid_of(&env, "Dan Brown"));
    let names: Vec<String> = mtimes(&contacts).into_keys().collect();
    assert!(names.contains(&dan), "{names:?}");
    assert!(
        !names.contains(&"from-the-phone.vcf".to_string()),
        "{names:?}"
    );
    assert!(
        read(&contacts, &carol.file_name().unwrap().to_string_lossy())
            .contains("X-PHONE-RINGTONE:marimba")
    );
    env.ok(&["edit", "carol", "--email", "carol@example.com"]);
    sync(&env);
    let text = std::fs::read_to_string(&carol).unwrap();
    assert!(text.contains("carol@example.com"), "{text}");
    assert!(
        text.contains("X-PHONE-RINGTONE:marimba"),
        "tend's rewrite keeps the phone's line: {text}"
    );
    // One undo takes the folder's changes back out of tend.
    env.ok(&["undo"]); // the email edit's sync wrote nothing into tend; this is the email edit
    env.ok(&["undo"]);
    assert_eq!(
        phone_of(&env, "Carol White").as_deref(),
        Some("07700 900123")
    );
    assert_eq!(env.count("contacts WHERE name = 'Dan Brown'"), 0);
}

#[test]
fn both_sides_changed_each_field_is_merged_and_a_clash_keeps_tend_s_value_and_notes_the_other() {
    let (env, contacts, _) = env_with("");
    sync(&env);
    let alice = contacts.join(format!("{}.vcf", uid_of(&env, "Alice Smith")));
    // The phone changes the email and adds a number; tend changes the email too, and the name.
    edit(&alice, "alice@example.com", "alice@phone.example");
    edit(
        &alice,
        "END:VCARD",
        "TEL;TYPE=CELL:07700 900321\r\nEND:VCARD",
    );
    env.ok(&[
        "edit",
        "alice",
        "--email",
        "alice@acme.example",
        "--name",
        "Alice Smith-Jones",
    ]);
    let r = sync(&env);
    let conflicts = list(&r, "contacts", "conflicts");
    assert_eq!(conflicts.len(), 1, "{r}");
    assert!(
        conflicts[0].contains("alice@phone.example"),
        "{conflicts:?}"
    );
    let show = env.ok(&["show", "alice"]);
    assert!(show.contains("alice@acme.example"), "tend's email: {show}");
    assert!(show.contains("Alice Smith-Jones"), "tend's name: {show}");
    assert_eq!(
        phone_of(&env, "Alice Smith-Jones").as_deref(),
        Some("07700 900321"),
        "the phone's number"
    );
    assert!(
        show.contains("From the contacts folder") && show.contains("alice@phone.example"),
        "the folder's value is kept in a note: {show}"
    );
    // The folder now has tend's merged card.
    let text = std::fs::read_to_string(&alice).unwrap();
    assert!(
        text.contains("alice@acme.example") && text.contains("07700 900321"),
        "{text}"
    );
    assert!(list(&sync(&env), "contacts", "written").is_empty());
}

#[test]
fn a_deleted_card_archives_and_an_archived_or_deleted_contact_s_card_goes() {
    let (env, contacts, _) = env_with("");
    sync(&env);
    let bob = contacts.join(format!("{}.vcf", uid_of(&env, "Bob Jones")));
    let carol = contacts.join(format!("{}.vcf", uid_of(&env, "Carol White")));
    std::fs::remove_file(&bob).unwrap();
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "archived"), ["Bob Jones"], "{r}");
    assert!(!bob.exists(), "not written again");
    let show = env.ok(&["show", "bob"]);
    assert!(show.contains("archived"), "kept, archived: {show}");
    // Archived in tend: the card goes.
    env.ok(&["archive", "carol"]);
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "removed").len(), 1, "{r}");
    assert!(!carol.exists());
    // Brought back: the card comes back.
    env.ok(&["archive", "carol", "--undo"]);
    sync(&env);
    assert!(carol.exists());
    // Deleted in tend: the card goes.
    env.ok(&["delete", "carol", "--yes"]);
    sync(&env);
    assert!(!carol.exists());
    assert!(list(&sync(&env), "contacts", "written").is_empty());
}

#[test]
fn files_it_cannot_use_are_reported_with_their_path_and_left_alone() {
    let (env, contacts, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    sync(&env);
    let before = env.json(&["export", "json"]);
    std::fs::write(contacts.join("broken.vcf"), "this is not a card\n").unwrap();
    std::fs::write(
        contacts.join("two.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nEND:VCARD\r\n",
    )
    .unwrap();
    std::fs::write(
        calendar.join("junk.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    std::fs::write(
        calendar.join("milk.ics"),
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:m1\r\nSUMMARY:buy milk\r\nDUE;VALUE=DATE:20261201\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let r = sync(&env);
    let bad: Vec<String> = ["contacts", "calendar"]
        .iter()
        .flat_map(|s| r[s]["unreadable"].as_array().unwrap().clone())
        .map(|x| x[0].as_str().unwrap().to_string())
        .collect();
    for name in ["broken.vcf", "two.vcf", "junk.ics", "milk.ics"] {
        assert!(bad.iter().any(|p| p.ends_with(name)), "{name} in {bad:?}");
    }
    let text = env.ok(&["vdir", "sync"]);
    assert!(
        text.contains("left alone") && text.contains("broken.vcf"),
        "{text}"
    );
    assert!(
        text.contains("Name: what to do"),
        "says how to fix the task: {text}"
    );
    // Nothing changed in tend, and the files are as they were.
    let mut after = env.json(&["export", "json"]);
    after["exported_at"] = before["exported_at"].clone();
    assert_eq!(after, before);
    assert_eq!(read(&contacts, "broken.vcf"), "this is not a card\n");
}

#[test]
fn the_phone_finishes_moves_and_adds_follow_ups() {
    let (env, _, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    env.ok(&["next", "bob", "mon", "call back", "--every", "2w"]);
    sync(&env);
    let file_of = |what: &str| {
        mtimes(&calendar)
            .into_keys()
            .find(|n| read(&calendar, n).contains(what))
            .unwrap_or_else(|| panic!("{what} in the calendar"))
    };
    let alice = calendar.join(file_of("send quote"));
    let bob = calendar.join(file_of("call back"));
    edit(&alice, "STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
    edit(&bob, "DUE;VALUE=DATE:20261130", "DUE;VALUE=DATE:20261202");
    std::fs::write(
        calendar.join("phone-task.ics"),
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\nUID:phone-task\r\nSUMMARY:Carol: bring samples\r\nDUE:20261203T150000\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let r = sync(&env);
    assert_eq!(
        list(&r, "calendar", "completed"),
        ["Alice Smith: send quote"],
        "{r}"
    );
    assert_eq!(
        list(&r, "calendar", "updated"),
        ["Bob Jones: call back"],
        "{r}"
    );
    assert_eq!(list(&r, "calendar", "created").len(), 1, "{r}");
    let open: Vec<(String, String, Option<String>)> = {
        let conn = env.conn();
        let mut s = conn
            .prepare("SELECT text, due_date, due_time FROM follow_ups WHERE done_at IS NULL ORDER BY due_date")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        open,
        [
            ("call back".into(), "2026-12-02".into(), None),
            (
                "bring samples".into(),
                "2026-12-03".into(),
                Some("15:00".into())
            ),
        ]
    );
    // The phone's task is kept under tend's name for it; Alice's stays as a finished task.
    assert!(!calendar.join("phone-task.ics").exists());
    assert!(
        read(&calendar, &file_of("bring samples")).contains("SUMMARY:Carol White: bring samples")
    );
    assert!(read(&calendar, &file_of("send quote")).contains("STATUS:COMPLETED"));
    // Deleting a task on the phone finishes it, and a repeating one stops.
    std::fs::remove_file(&bob).unwrap();
    let r = sync(&env);
    assert_eq!(
        list(&r, "calendar", "completed"),
        ["Bob Jones: call back"],
        "{r}"
    );
    assert_eq!(env.count("follow_ups WHERE done_at IS NULL"), 1);
    assert!(list(&sync(&env), "calendar", "written").is_empty());
    // And undo brings Bob's back.
    env.ok(&["undo"]);
    assert_eq!(env.count("follow_ups WHERE done_at IS NULL"), 2);
}

#[test]
fn finished_in_tend_a_task_reads_completed_and_an_event_goes() {
    let (env, _, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    sync(&env);
    env.ok(&["done", "f#1"]);
    sync(&env);
    let files: Vec<String> = mtimes(&calendar).into_keys().collect();
    assert_eq!(files.len(), 1);
    let text = read(&calendar, &files[0]);
    assert!(
        text.contains("STATUS:COMPLETED") && text.contains("COMPLETED:"),
        "{text}"
    );

    let (env, _, calendar) = env_with("follow_ups = \"events\"\n");
    env.ok(&["next", "alice", "fri 14:00", "send quote"]);
    sync(&env);
    let files: Vec<String> = mtimes(&calendar).into_keys().collect();
    let text = read(&calendar, &files[0]);
    assert!(
        text.contains("BEGIN:VEVENT") && text.contains("BEGIN:VALARM"),
        "{text}"
    );
    env.ok(&["done", "f#1"]);
    let r = sync(&env);
    assert_eq!(list(&r, "calendar", "removed").len(), 1, "{r}");
    assert!(mtimes(&calendar).is_empty());
}

#[test]
fn both_sides_moved_a_follow_up_tend_s_date_stays_and_the_phone_s_is_noted() {
    let (env, _, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    sync(&env);
    let name = mtimes(&calendar).into_keys().next().unwrap();
    edit(
        &calendar.join(&name),
        "DUE;VALUE=DATE:20261127",
        "DUE;VALUE=DATE:20261204",
    );
    env.ok(&["snooze", "f#1", "mon"]);
    let r = sync(&env);
    assert_eq!(list(&r, "calendar", "conflicts").len(), 1, "{r}");
    let due: String = env
        .conn()
        .query_row("SELECT due_date FROM follow_ups WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(due, "2026-11-30");
    let show = env.ok(&["show", "alice"]);
    assert!(
        show.contains("From the calendar") && show.contains("4 Dec"),
        "{show}"
    );
    assert!(read(&calendar, &name).contains("DUE;VALUE=DATE:20261130"));
}

#[test]
fn a_dry_run_says_what_would_change_and_changes_nothing() {
    let (env, contacts, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    let out = env.ok(&["vdir", "sync", "--dry-run"]);
    assert!(
        out.contains("would write") && out.contains("Nothing was changed"),
        "{out}"
    );
    assert!(!contacts.exists() && !calendar.exists());
    assert_eq!(env.count("vdir_state"), 0);
}

#[test]
fn no_folder_configured_is_refused_with_what_to_write() {
    let env = Env::with_people();
    let err = env.fails(&["vdir", "sync"]);
    assert!(
        err.contains("[vdir]") && err.contains("contacts ="),
        "{err}"
    );
}

#[test]
fn a_thousand_contacts_go_out_once_and_then_nothing_is_read_or_written() {
    let (env, contacts, _) = env_with("");
    let mut cards = String::new();
    for i in 0..1000 {
        cards.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bulk-{i}\r\nFN:Person {i}\r\nEMAIL:p{i}@example.com\r\nEND:VCARD\r\n"
        ));
    }
    let file = env.dir.path().join("bulk.vcf");
    std::fs::write(&file, cards).unwrap();
    env.ok(&["import", "vcard", file.to_str().unwrap()]);
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "written").len(), 1004);
    let before = mtimes(&contacts);
    assert_eq!(before.len(), 1004);
    let r = sync(&env);
    assert!(list(&r, "contacts", "written").is_empty(), "{r}");
    assert_eq!(mtimes(&contacts), before);
}

/// `tend vdir sync && vdirsyncer sync && tend vdir sync` when both changed one card: the first
/// sync writes tend's change out, then vdirsyncer ("b wins") puts the phone's over it. tend
/// must still see both changes, not take the phone's as the only one.
#[test]
fn the_phone_s_card_brought_over_tend_s_unsent_change_is_still_merged() {
    let (env, contacts, _) = env_with("");
    sync(&env);
    let carol = contacts.join(format!("{}.vcf", uid_of(&env, "Carol White")));
    let as_the_phone_had_it = std::fs::read_to_string(&carol).unwrap();
    env.ok(&[
        "edit",
        "carol",
        "--email",
        "carol@tend.example",
        "--source",
        "market",
    ]);
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "written").len(), 1);
    // vdirsyncer brings the phone's edit of the card as it was before tend's change.
    std::fs::write(
        &carol,
        as_the_phone_had_it.replace("END:VCARD", "EMAIL:carol@phone.example\r\nEND:VCARD"),
    )
    .unwrap();
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "conflicts").len(), 1, "{r}");
    let show = env.ok(&["show", "carol"]);
    assert!(
        show.contains("carol@tend.example"),
        "tend's email stays: {show}"
    );
    assert!(show.contains("market"), "tend's other change stays: {show}");
    assert!(
        show.contains("carol@phone.example"),
        "the phone's is kept in a note: {show}"
    );
    let text = std::fs::read_to_string(&carol).unwrap();
    assert!(text.contains("carol@tend.example"), "{text}");
}

#[test]
fn a_number_taken_off_on_the_phone_goes_and_its_new_one_is_the_main_one() {
    let (env, contacts, _) = env_with("");
    sync(&env);
    let carol = contacts.join(format!("{}.vcf", uid_of(&env, "Carol White")));
    let text = std::fs::read_to_string(&carol).unwrap();
    let old = text
        .lines()
        .find(|l| l.starts_with("TEL"))
        .unwrap_or_else(|| panic!("a TEL line in {text}"))
        .to_string();
    std::fs::write(&carol, text.replace(&old, "TEL;TYPE=CELL:07700 111222")).unwrap();
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "updated"), ["Carol White"], "{r}");
    assert_eq!(
        phone_of(&env, "Carol White").as_deref(),
        Some("07700 111222")
    );
    let show = env.ok(&["show", "carol"]);
    assert!(
        !show.contains("07700 900123"),
        "the old number is gone: {show}"
    );
    assert!(
        !std::fs::read_to_string(&carol)
            .unwrap()
            .contains("07700 900123")
    );
    // Taking the email off: cleared too; undo brings both back.
    std::fs::write(
        &carol,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol White\r\nEND:VCARD\r\n".replace(
            "FN:",
            &format!("UID:{}\r\nFN:", uid_of(&env, "Carol White")),
        ),
    )
    .unwrap();
    sync(&env);
    assert_eq!(phone_of(&env, "Carol White"), None);
    env.ok(&["undo"]);
    assert_eq!(
        phone_of(&env, "Carol White").as_deref(),
        Some("07700 111222")
    );
    assert!(
        env.ok(&["show", "carol"]).contains("prospect"),
        "status kept throughout"
    );
}

#[test]
fn with_auto_a_change_from_the_shell_reaches_the_folder_by_itself() {
    let (env, contacts, _) = env_with("auto = true\n");
    sync(&env);
    let log = env.db.with_file_name("tend.db.vdir-sync.log");
    env.ok(&["show", "carol"]);
    assert!(!log.exists(), "reading changes nothing, so no sync starts");
    env.ok(&["edit", "carol", "--phone", "07700 900999"]);
    let carol = contacts.join(format!("{}.vcf", uid_of(&env, "Carol White")));
    let mut arrived = false;
    for _ in 0..200 {
        if std::fs::read_to_string(&carol).is_ok_and(|t| t.contains("07700 900999")) {
            arrived = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        arrived,
        "the card was rewritten in the background; log: {:?}",
        std::fs::read_to_string(&log)
    );
}

#[test]
fn a_new_task_s_notes_are_kept_and_a_dry_run_agrees_with_the_sync_on_what_it_can_use() {
    let (env, _, calendar) = env_with("");
    sync(&env);
    let task = |uid: &str, title: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:{uid}\r\nSUMMARY:{title}\r\nDUE;VALUE=DATE:20261204\r\nDESCRIPTION:ask about the PO number 4471\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
        )
    };
    std::fs::write(calendar.join("a.ics"), task("a", "Bob: send invoice")).unwrap();
    std::fs::write(calendar.join("b.ics"), task("b", "Zed Unknown: call back")).unwrap();
    std::fs::write(calendar.join("c.ics"), "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:c\r\nSUMMARY:Bob: x\r\nDUE:notadate\r\nEND:VTODO\r\nEND:VCALENDAR\r\n").unwrap();
    let dry = env.json(&["vdir", "sync", "--dry-run", "--json"]);
    let real = sync(&env);
    assert_eq!(list(&dry, "calendar", "created").len(), 1, "{dry}");
    assert_eq!(list(&real, "calendar", "created").len(), 1, "{real}");
    assert_eq!(
        dry["calendar"]["unreadable"].as_array().map(Vec::len),
        real["calendar"]["unreadable"].as_array().map(Vec::len)
    );
    let text = env.ok(&["vdir", "sync"]);
    assert!(
        text.contains("tend add \"Zed Unknown\""),
        "says what to do: {text}"
    );
    assert!(text.contains("is not a date"), "{text}");
    let bob = env.ok(&["show", "bob"]);
    assert!(
        bob.contains("send invoice") && bob.contains("4471"),
        "{bob}"
    );
}

#[test]
fn a_folder_that_lost_most_of_its_files_is_not_taken_as_the_phone_deleting_them() {
    let (env, contacts, calendar) = env_with("");
    env.ok(&["next", "alice", "fri", "send quote"]);
    env.ok(&["next", "bob", "mon", "call back"]);
    sync(&env);
    let before = env.json(&["export", "json"]);
    for dir in [&contacts, &calendar] {
        std::fs::remove_dir_all(dir).unwrap();
        std::fs::create_dir(dir).unwrap();
    }
    let err = env.fails(&["vdir", "sync"]);
    assert!(
        err.contains("are gone") && err.contains("--accept-deletions"),
        "{err}"
    );
    let mut after = env.json(&["export", "json"]);
    after["exported_at"] = before["exported_at"].clone();
    assert_eq!(after, before, "nothing archived or finished");
    assert!(mtimes(&contacts).is_empty(), "and nothing written");
    let r = env.json(&["vdir", "sync", "--json", "--accept-deletions"]);
    assert_eq!(list(&r, "contacts", "archived").len(), 4, "{r}");
    // Their contacts archived, the follow-ups leave the calendar with them, still open in tend.
    assert!(list(&r, "calendar", "completed").is_empty(), "{r}");
    assert_eq!(env.count("follow_ups WHERE done_at IS NULL"), 2);
}

#[test]
fn a_file_of_tend_s_own_finished_follow_up_brought_back_makes_no_new_one() {
    let (env, _, calendar) = env_with("follow_ups = \"events\"\n");
    env.ok(&["next", "alice", "fri", "send quote"]);
    env.ok(&["next", "bob", "mon", "call back"]);
    sync(&env);
    let name = mtimes(&calendar)
        .into_keys()
        .find(|n| read(&calendar, n).contains("send quote"))
        .unwrap();
    let old = read(&calendar, &name);
    env.ok(&["done", "f#1"]);
    sync(&env);
    assert!(!calendar.join(&name).exists(), "a finished event goes");
    // A server or a backup puts the old file back.
    std::fs::write(calendar.join(&name), old).unwrap();
    let r = sync(&env);
    assert!(list(&r, "calendar", "created").is_empty(), "{r}");
    assert_eq!(env.count("follow_ups WHERE text = 'send quote'"), 1);
    assert!(!calendar.join(&name).exists());
}

#[test]
fn a_missing_folder_is_refused_and_a_new_one_in_the_config_starts_afresh() {
    let (env, contacts, _) = env_with("");
    sync(&env);
    std::fs::rename(&contacts, env.dir.path().join("elsewhere")).unwrap();
    let err = env.fails(&["vdir", "sync"]);
    assert!(
        err.contains("is not there") && err.contains("[vdir] contacts"),
        "{err}"
    );
    assert!(
        !contacts.exists(),
        "not made anew: vdirsyncer would take it for emptied"
    );
    // Pointing the config at another folder: everything is written there, nothing archived.
    let new = env.dir.path().join("new-contacts");
    std::fs::write(
        env.config_dir().join("config.toml"),
        format!("[vdir]\ncontacts = \"{}\"\n", new.display()),
    )
    .unwrap();
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "written").len(), 4, "{r}");
    assert!(list(&r, "contacts", "archived").is_empty(), "{r}");
    assert!(r["contacts"]["new_folder"].is_string(), "{r}");
}

#[test]
fn a_task_for_someone_is_made_only_for_a_name_as_tend_has_it() {
    let (env, _, calendar) = env_with("");
    env.ok(&["add", "Alan Smith"]);
    sync(&env);
    let task = |uid: &str, title: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:{uid}\r\nSUMMARY:{title}\r\nDUE;VALUE=DATE:20261204\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
        )
    };
    std::fs::write(calendar.join("re.ics"), task("re", "Re: invoice")).unwrap();
    std::fs::write(calendar.join("al.ics"), task("al", "Al: call")).unwrap();
    std::fs::write(
        calendar.join("cw.ics"),
        task("cw", "carol white: send the swatches"),
    )
    .unwrap();
    let r = sync(&env);
    assert_eq!(list(&r, "calendar", "created").len(), 1, "{r}");
    assert_eq!(env.count("follow_ups WHERE text = 'send the swatches'"), 1);
    let text = env.ok(&["vdir", "sync"]);
    assert!(text.contains("\"Re: invoice\" does not say who"), "{text}");
    assert!(
        text.contains("could be any of 2 contacts") && text.contains("write more of the name"),
        "{text}"
    );
}

#[test]
fn a_clash_s_note_is_kept_but_is_not_an_interaction() {
    let (env, contacts, _) = env_with("");
    env.ok(&["note", "carol", "met at the market", "--at", "2026-11-01"]);
    sync(&env);
    let carol = contacts.join(format!("{}.vcf", uid_of(&env, "Carol White")));
    edit(&carol, "07700 900123", "07700 900555");
    env.ok(&["edit", "carol", "--phone", "07700 900999"]);
    let r = sync(&env);
    assert_eq!(list(&r, "contacts", "conflicts").len(), 1, "{r}");
    let show = env.ok(&["show", "carol"]);
    assert!(show.contains("From the contacts folder"), "kept: {show}");
    assert!(
        show.contains("last contact 22 days ago"),
        "not a contact: {show}"
    );
    // Nor does it take her off the list of those due to get in touch.
    env.ok(&["cadence", "carol", "1w"]);
    let due = env.ok(&["list", "--due-touch"]);
    assert!(due.contains("Carol White"), "{due}");
}

/// Every field of every contact, by name: what a sync that changes nothing must leave.
fn fields(env: &Env) -> Vec<(String, String, String)> {
    let conn = env.conn();
    let mut stmt = conn
        .prepare(
            "SELECT c.name, f.key, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id
              ORDER BY 1, 2, 3",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_phone_and_email_a_merge_kept_reach_the_phone_and_come_back_as_they_were() {
    let (env, contacts, _) = env_with("");
    env.ok(&[
        "edit",
        "bob",
        "--phone",
        "07700 900111",
        "--email",
        "bob@work.test",
    ]);
    env.ok(&[
        "add",
        "Robert Jones",
        "--phone",
        "07700 900222",
        "--email",
        "bob@home.test",
    ]);
    env.ok(&["merge", "Bob Jones", "Robert Jones"]);
    let kept = fields(&env);
    assert!(
        kept.iter()
            .any(|(_, k, v)| k == "other phone" && v == "07700 900222"),
        "{kept:?}"
    );
    sync(&env);
    let card = read(&contacts, &format!("{}.vcf", uid_of(&env, "Bob Jones")));
    // The second number and address are a phone's own TEL and EMAIL, not tend's private field.
    assert_eq!(card.matches("\r\nTEL").count(), 2, "{card}");
    assert_eq!(card.matches("\r\nEMAIL").count(), 2, "{card}");
    assert!(
        card.contains("07700 900222") && card.contains("bob@home.test"),
        "{card}"
    );
    assert!(!card.contains("X-TEND-FIELD:other phone"), "{card}");
    // tend's own export, imported into the same book, is the same contact: nothing differs.
    let again = env.ok(&["import", "vcard", &card_path(&contacts, &env)]);
    assert!(again.contains("1 unchanged"), "{again}");
    // Read back, nothing changes: not the fields, not the files.
    let files = mtimes(&contacts);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = sync(&env);
    assert!(list(&r, "contacts", "written").is_empty(), "{r}");
    assert_eq!(mtimes(&contacts), files);
    assert_eq!(fields(&env), kept);
    // And a fresh book that imports the card has both numbers.
    let other = Env::new();
    let path = contacts.join(format!("{}.vcf", uid_of(&env, "Bob Jones")));
    other.ok(&["import", "vcard", path.to_str().unwrap()]);
    let shown = other.ok(&["show", "bob"]);
    assert!(
        shown.contains("07700 900222") && shown.contains("bob@home.test"),
        "{shown}"
    );
    // The number deleted on the phone goes from tend too.
    let path = contacts.join(format!("{}.vcf", uid_of(&env, "Bob Jones")));
    let text = std::fs::read_to_string(&path).unwrap();
    let without: String = text
        .split_inclusive("\r\n")
        .filter(|l| !l.contains("07700 900222"))
        .collect();
    assert_ne!(without, text);
    std::fs::write(&path, without).unwrap();
    sync(&env);
    let now = fields(&env);
    assert!(!now.iter().any(|(_, _, v)| v == "07700 900222"), "{now:?}");
    assert!(now.iter().any(|(_, _, v)| v == "bob@home.test"), "{now:?}");
}

fn card_path(contacts: &Path, env: &Env) -> String {
    contacts
        .join(format!("{}.vcf", uid_of(env, "Bob Jones")))
        .to_string_lossy()
        .into_owned()
}
