//! `tend remind`: each follow-up reminded once when it falls due, with what to know, and the
//! database only read.

mod common;

use std::time::SystemTime;

use common::Env;

fn remind(env: &Env, now: &str) -> String {
    let out = env
        .tend()
        .env("TEND_NOW", now)
        .args(["remind", "--print"])
        .output()
        .expect("tend runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fingerprint(env: &Env) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(&env.db).unwrap(),
        std::fs::metadata(&env.db).unwrap().modified().unwrap(),
    )
}

#[test]
fn each_follow_up_is_reminded_once_when_it_falls_due_with_its_context() {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "alice",
        "called, wants a quote",
        "--at",
        "2026-11-20",
    ]);
    env.ok(&["next", "alice", "3d ago", "send the quote"]);
    env.ok(&["next", "carol", "today 15:00", "call about the cake"]);
    env.ok(&["next", "bob", "tomorrow", "call back"]);
    // 10:00: Alice's (overdue) but not Carol's, due at three.
    let out = remind(&env, "2026-11-23T10:00:00");
    assert!(out.contains("Alice Smith: send the quote"), "{out}");
    assert!(out.contains("Overdue: 3 days late"), "{out}");
    assert!(
        out.contains("Last note Fri 20 Nov: called, wants a quote"),
        "{out}"
    );
    assert!(out.contains("tend done f#1"), "{out}");
    assert!(!out.contains("Carol") && !out.contains("Bob"), "{out}");
    // Again at 10:05: nothing new.
    assert_eq!(remind(&env, "2026-11-23T10:05:00"), "");
    // At three, Carol's, with her phone.
    let out = remind(&env, "2026-11-23T15:00:00");
    assert!(out.contains("Carol White: call about the cake"), "{out}");
    assert!(
        out.contains("Due at 15:00") && out.contains("07700 900123"),
        "{out}"
    );
    assert!(!out.contains("Alice"), "{out}");
    // Snoozed to later today, Carol's comes back at the new time.
    env.tend()
        .env("TEND_NOW", "2026-11-23T15:05:00")
        .args(["snooze", "f#2", "today 17:00"])
        .assert()
        .success();
    assert_eq!(remind(&env, "2026-11-23T16:00:00"), "");
    assert!(remind(&env, "2026-11-23T17:00:00").contains("Carol White: call about the cake"));
    // Snoozed to tomorrow, Alice's is reminded again when it falls due then.
    env.ok(&["snooze", "f#1", "tomorrow"]);
    assert_eq!(remind(&env, "2026-11-23T16:00:00"), "");
    let out = remind(&env, "2026-11-24T09:30:00");
    assert!(
        out.contains("Alice Smith: send the quote") && out.contains("Bob Jones"),
        "{out}"
    );
}

#[test]
fn a_run_leaves_the_database_file_as_it_was() {
    let env = Env::day_to_review();
    let before = fingerprint(&env);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(!remind(&env, "2026-11-23T10:00:00").is_empty());
    remind(&env, "2026-11-23T10:00:00");
    assert!(fingerprint(&env) == before, "the database file changed");
    assert!(
        env.db.with_file_name("tend.db.reminded").exists(),
        "what was given is kept beside it"
    );
}

#[test]
fn many_at_once_are_summed_up_after_the_first_few() {
    let env = Env::with_people();
    for i in 0..8 {
        env.ok(&["next", "alice", "yesterday", &format!("step {i}")]);
    }
    let out = remind(&env, "2026-11-23T10:00:00");
    assert_eq!(out.matches("Alice Smith: step").count(), 5, "{out}");
    assert!(out.contains("tend: 3 more follow-ups due"), "{out}");
    assert_eq!(remind(&env, "2026-11-23T10:05:00"), "");
}

#[test]
fn install_writes_a_user_timer_or_says_the_cron_line_and_uninstall_takes_it_away() {
    let env = Env::with_people();
    let config = env.dir.path().join("xdg");
    let run = |args: &[&str]| {
        let out = env
            .tend()
            .env("XDG_CONFIG_HOME", &config)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run(&["remind", "install", "--every", "10"]);
    let dir = config.join("systemd/user");
    let timer = std::fs::read_to_string(dir.join("tend-remind.timer")).unwrap();
    let service = std::fs::read_to_string(dir.join("tend-remind.service")).unwrap();
    assert!(timer.contains("OnCalendar=*:0/10"), "{timer}");
    assert!(
        service.contains("ExecStart=\"")
            && service.contains("\" --db \"")
            && service.contains("remind"),
        "full paths, for a timer has no PATH: {service}"
    );
    assert!(
        out.contains("list-timers") || out.contains("crontab -e"),
        "says whether it runs, or what to do: {out}"
    );
    if out.contains("crontab -e") {
        assert!(
            out.contains("DBUS_SESSION_BUS_ADDRESS="),
            "cron has no desktop session: {out}"
        );
    }
    let out = run(&["remind", "uninstall"]);
    assert!(out.to_lowercase().contains("removed"), "{out}");
    assert!(!dir.join("tend-remind.timer").exists());
}
