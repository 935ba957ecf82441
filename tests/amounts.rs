//! Amounts, durations and dates that a typo would make wrong are refused with a message that
//! says how to write them, and nothing is saved; a broken config.toml stops a capture before
//! it writes, not after.

mod common;

use common::Env;

fn entries(env: &Env) -> i64 {
    env.count("money_entries") + env.count("time_entries")
}

#[test]
fn an_absurd_or_misgrouped_amount_is_refused_and_nothing_is_saved() {
    let env = Env::with_people();
    for (typed, says) in [
        (
            "92233720368547758",
            "more than one entry can be (10,000,000)",
        ),
        ("12,000,000", "more than one entry can be"),
        ("12,50", "commas only separate thousands"),
        ("1,5", "commas only separate thousands"),
        ("£1,2,3", "commas only separate thousands"),
        (
            "$400",
            "another currency: this database keeps amounts in GBP",
        ),
    ] {
        let err = env.fails(&["income", "alice", typed]);
        assert!(err.contains(says), "{typed}: {err}");
        let err = env.fails(&["expense", "alice", typed]);
        assert!(err.contains(says), "{typed}: {err}");
    }
    assert_eq!(entries(&env), 0);
    env.ok(&["income", "alice", "£10,000,000"]);
    env.ok(&["income", "alice", "1,200.50"]);
    assert_eq!(entries(&env), 2);
    // The reports still add up.
    let out = env.ok(&["report", "profit"]);
    assert!(out.contains("£10,001,200.50"), "{out}");
}

#[test]
fn a_time_without_a_unit_or_under_a_minute_is_refused() {
    let env = Env::with_people();
    let err = env.fails(&["time", "alice", "2.5"]);
    assert!(
        err.contains("write 2.5h for hours or 2.5m for minutes"),
        "{err}"
    );
    let err = env.fails(&["time", "alice", "0.2m"]);
    assert!(err.contains("less than a minute"), "{err}");
    assert!(!err.contains("CHECK"), "{err}");
    assert_eq!(entries(&env), 0);
    env.ok(&["time", "alice", "2.5h"]);
    let minutes: i64 = env
        .conn()
        .query_row("SELECT minutes FROM time_entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(minutes, 150);
}

#[test]
fn minutes_are_not_dates_and_snoozing_goes_forward() {
    let env = Env::day_to_review();
    let before = env.count("follow_ups");
    let err = env.fails(&["next", "carol", "in 30m", "call back"]);
    assert!(err.contains("ambiguous") && err.contains("in 3mo"), "{err}");
    assert_eq!(env.count("follow_ups"), before);
    env.ok(&["next", "carol", "in 2mo", "call back"]);
    assert_eq!(env.count("follow_ups WHERE due_date = '2027-01-23'"), 1);

    let err = env.fails(&["snooze", "bob", "yesterday"]);
    assert!(err.contains("not after today"), "{err}");
    let err = env.fails(&["snooze", "bob", "today"]);
    assert!(err.contains("not after today"), "{err}");
    assert_eq!(env.count("follow_ups WHERE snoozes > 0"), 0);

    let err = env.fails(&["note", "bob", "called", "--at", "tomorrow"]);
    assert!(
        err.contains("in the future") && err.contains("--next"),
        "{err}"
    );
    assert_eq!(env.count("notes WHERE body = 'called'"), 0);
}

#[test]
fn a_broken_config_stops_an_income_before_it_is_saved() {
    let env = Env::with_people();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(env.config_dir().join("config.toml"), "currency = [oops").unwrap();
    let err = env.fails(&["income", "alice", "500"]);
    assert!(err.contains("config.toml"), "{err}");
    assert_eq!(
        entries(&env),
        0,
        "nothing saved, so retrying cannot double it"
    );
    let err = env.fails(&["expense", "alice", "500"]);
    assert!(err.contains("config.toml"), "{err}");
    assert_eq!(entries(&env), 0);
}

#[test]
fn a_date_years_ahead_is_echoed_with_a_warning() {
    let env = Env::with_people();
    let out = env
        .tend()
        .args(["next", "alice", "1 jan 2062", "renew"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Sun 1 Jan 2062 is more than two years ahead"),
        "{err}"
    );
    let out = env
        .tend()
        .args(["next", "alice", "fri", "call"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn a_recipe_already_running_is_not_started_twice_unless_asked() {
    let env = Env::with_people();
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    let err = env.fails(&["recipe", "apply", "alice", "onboarding"]);
    assert!(
        err.contains("already running") && err.contains("--again"),
        "{err}"
    );
    assert_eq!(env.count("checklists"), 1);
    env.ok(&["recipe", "apply", "alice", "onboarding", "--again"]);
    assert_eq!(env.count("checklists"), 2);
}
