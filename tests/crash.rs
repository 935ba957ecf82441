//! Crash safety: `tend note` processes killed with SIGKILL at random moments. Every note whose
//! command reported success is on disk, and the file stays sound. Scaled down for `cargo test`;
//! set TEND_CRASH_ROUNDS (e.g. 2000) for a long run.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::Env;

#[test]
fn killed_captures_never_lose_a_reported_note_or_damage_the_file() {
    let rounds: usize = std::env::var("TEND_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let env = Env::with_people();
    let bin = assert_cmd::cargo::cargo_bin("tend");
    let mut rng = fastrand::Rng::with_seed(20261123);
    let mut reported = Vec::new();
    let mut killed = 0;
    for i in 0..rounds {
        let mut child = Command::new(&bin)
            .args([
                "note",
                "alice",
                &format!("crash test {i}"),
                "--next",
                "fri: follow up",
            ])
            .env("TEND_DB", &env.db)
            .env("TEND_NOW", common::NOW)
            .env("TEND_CONFIG_DIR", env.config_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tend starts");
        std::thread::sleep(Duration::from_micros(rng.u64(0..40_000)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success()
            && String::from_utf8_lossy(&out.stdout).contains("Noted for Alice Smith")
        {
            reported.push(i);
        }
    }
    let conn = env.conn();
    for i in &reported {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM notes WHERE body = ?1",
                [format!("crash test {i}")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "note {i} reported success but is missing");
    }
    // A note and its next step land together or not at all.
    let orphans: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM notes WHERE body LIKE 'crash test %')
                  - (SELECT count(*) FROM follow_ups WHERE text = 'follow up')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "every stored note has its follow-up");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    eprintln!(
        "{rounds} rounds: {} reported success, {killed} killed mid-way",
        reported.len()
    );
    // And tend still opens it and works.
    assert!(env.ok(&["show", "alice"]).contains("Alice Smith"));
}
