//! `tend status`: one line for a prompt, its exit codes, and that it leaves the database file
//! exactly as it was.

mod common;

use std::time::SystemTime;

use common::Env;

fn status(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env
        .tend()
        .arg("status")
        .args(args)
        .output()
        .expect("tend runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn fingerprint(env: &Env) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(&env.db).unwrap(),
        std::fs::metadata(&env.db).unwrap().modified().unwrap(),
    )
}

#[test]
fn one_line_for_a_prompt_and_exit_zero_only_when_nothing_is_due() {
    let env = Env::with_people();
    let (code, out, _) = status(&env, &[]);
    assert_eq!((code, out.as_str()), (0, ""), "nothing due: nothing said");
    let (code, out, _) = status(&env, &["--format", "✉ {due}"]);
    assert_eq!((code, out.as_str()), (0, ""), "whatever the format");
    env.ok(&["next", "alice", "3d ago", "send invoice"]);
    env.ok(&["next", "bob", "today", "call back"]);
    env.ok(&["next", "carol", "today", "send samples"]);
    env.ok(&["next", "carol", "fri", "not yet"]);
    let (code, out, _) = status(&env, &[]);
    assert_eq!((code, out.as_str()), (1, "1 overdue · 2 today\n"));
    let (_, out, _) = status(&env, &["--format", "✉ {due} ({overdue}!)"]);
    assert_eq!(out, "✉ 3 (1!)\n");
    let v: serde_json::Value = serde_json::from_str(&status(&env, &["--json"]).1).unwrap();
    assert_eq!(
        (v["overdue"].as_i64(), v["today"].as_i64()),
        (Some(1), Some(2))
    );
    // An archived contact's follow-ups are left out, as in Today.
    env.ok(&["archive", "alice"]);
    assert_eq!(status(&env, &[]).1, "2 today\n");
}

#[test]
fn who_is_due_to_get_in_touch_counts_when_asked() {
    let env = Env::with_people();
    env.ok(&["note", "alice", "called", "--at", "2026-10-01"]);
    env.ok(&["cadence", "alice", "6w"]);
    let (code, out, _) = status(&env, &["--format", "{touch} to call"]);
    assert_eq!((code, out.as_str()), (1, "1 to call\n"));
}

#[test]
fn it_reads_without_writing_the_file_byte_for_byte_and_mtime_unchanged() {
    let env = Env::day_to_review();
    let before = fingerprint(&env);
    std::thread::sleep(std::time::Duration::from_millis(20));
    for args in [&[][..], &["--json"], &["--format", "{touch}"]] {
        status(&env, args);
    }
    assert!(fingerprint(&env) == before, "the database file changed");
    // Nor does it leave the log's files behind when there were none.
    let dir = env.db.parent().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with("-wal") || n.ends_with("-shm")),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.contains("backups")),
        "no daily copy: {names:?}"
    );
}

#[test]
fn what_it_cannot_do_exits_two_and_makes_nothing() {
    let env = Env::new();
    let (code, out, err) = status(&env, &[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("no tend database") && err.contains("tend init"),
        "{err}"
    );
    assert!(!env.db.exists(), "no database made by asking");
    env.ok(&["init"]);
    let (code, _, err) = status(&env, &["--format", "{toady}"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("{toady}") && err.contains("{overdue}"),
        "{err}"
    );
    // A database from a newer tend is refused, untouched.
    env.conn()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let before = fingerprint(&env);
    let (code, _, err) = status(&env, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(fingerprint(&env) == before);
}
