//! Cadences: how often to be in touch, and who is due, in the CLI, Today and the review, with
//! the fixed clock (Monday 23 November 2026).

mod common;

use common::Env;
use common::screen::{app, assert_shows, keys, screen_at};

/// Alice last contacted on 1 October, Bob never (added today), Carol on 21 November.
fn quiet_people() -> Env {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "alice",
        "called about the order",
        "--at",
        "2026-10-01",
    ]);
    env.ok(&["note", "carol", "met at the market", "--at", "2026-11-21"]);
    env
}

fn config(env: &Env, text: &str) {
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(env.config_dir().join("config.toml"), text).unwrap();
}

#[test]
fn a_contact_past_their_cadence_is_due_to_get_in_touch_in_today_and_the_list() {
    let env = quiet_people();
    let out = env.ok(&["cadence", "alice", "6w"]);
    assert!(out.contains("every 6 weeks (their own)"), "{out}");
    assert!(
        out.contains("due to get in touch (Thu 12 Nov)"),
        "1 Oct + 6 weeks: {out}"
    );
    env.ok(&["cadence", "carol", "2w"]);
    let today = env.ok(&["today"]);
    assert!(today.contains("Due to get in touch (1)"), "{today}");
    assert!(
        today.contains("Alice Smith  (client, every 6 weeks; last contact 7 weeks ago)"),
        "{today}"
    );
    assert!(
        !today.contains("Carol White  (prospect, fortnightly"),
        "Carol is not due: {today}"
    );
    let list = env.ok(&["list", "--due-touch"]);
    assert!(
        list.contains("Alice Smith") && !list.contains("Carol"),
        "{list}"
    );
    let json = env.json(&["list", "--due-touch", "--json"]);
    assert_eq!(json[0]["name"], "Alice Smith");
    assert_eq!(json[0]["due"], "2026-11-12");
    assert_eq!(json[0]["quiet_days"], 53);
    let show = env.ok(&["show", "alice"]);
    assert!(
        show.contains("keep in touch") && show.contains("every 6 weeks (their own)"),
        "{show}"
    );
}

#[test]
fn a_next_step_within_a_cadence_takes_them_off_and_a_done_one_counts_as_in_touch() {
    let env = quiet_people();
    env.ok(&["cadence", "alice", "6w"]);
    // A step months away does not keep them in touch.
    env.ok(&["next", "alice", "2027-03-01", "spring check-in"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Alice Smith"));
    // One for Friday does: the next step is set.
    env.ok(&["next", "alice", "fri", "send the samples"]);
    let list = env.ok(&["list", "--due-touch"]);
    assert!(list.contains("Nobody is due"), "{list}");
    // Done, it counts as being in touch: still not due, the six weeks start again.
    env.ok(&["done", "f#2"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Nobody is due"));
    let out = env.ok(&["cadence", "alice"]);
    assert!(out.contains("next by Mon 4 Jan"), "23 Nov + 6 weeks: {out}");
    // A note does too.
    env.ok(&["cadence", "carol", "1d"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Carol White"));
    env.ok(&["note", "carol", "rang her"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Nobody is due"));
}

#[test]
fn defaults_by_status_and_tag_apply_the_shortest_and_off_and_default_set_one_person_apart() {
    let env = quiet_people();
    config(
        &env,
        "[cadence]\nstatuses = { prospect = \"6w\" }\ntags = { vip = \"4w\" }\n",
    );
    // Alice is a vip: four weeks; Carol a prospect: six, and she was in touch two days ago.
    let list = env.ok(&["list", "--due-touch"]);
    assert!(
        list.contains("Alice Smith  (client, every 4 weeks"),
        "{list}"
    );
    assert!(!list.contains("Carol"), "{list}");
    let out = env.ok(&["cadence", "alice"]);
    assert!(out.contains("(tag vip)"), "says why: {out}");
    env.ok(&["cadence", "alice", "off"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Nobody is due"));
    assert!(
        env.ok(&["cadence", "alice"])
            .contains("off, whatever the defaults say")
    );
    env.ok(&["cadence", "alice", "default"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Alice Smith"));
    // Undo puts the one before back.
    env.ok(&["undo"]);
    assert!(env.ok(&["list", "--due-touch"]).contains("Nobody is due"));
}

#[test]
fn a_cadence_that_does_not_read_says_how_to_write_one() {
    let env = quiet_people();
    let err = env.fails(&["cadence", "alice", "soonish"]);
    assert!(err.contains("soonish") && err.contains("6w"), "{err}");
    assert_eq!(
        env.count("contacts WHERE cadence IS NOT NULL"),
        0,
        "nothing written"
    );
    config(&env, "[cadence]\nstatuses = { client = \"often\" }\n");
    let err = env.fails(&["today"]);
    assert!(err.contains("cadence.statuses.client"), "{err}");
    config(&env, "[cadence]\nstatuses = { banana = \"6w\" }\n");
    let err = env.fails(&["today"]);
    assert!(err.contains("cadence.statuses"), "{err}");
}

#[test]
fn the_app_s_today_and_review_show_who_is_due_to_get_in_touch() {
    let env = quiet_people();
    env.ok(&["cadence", "alice", "6w"]);
    env.ok(&["next", "bob", "fri", "call back"]);
    env.ok(&["next", "carol", "mon", "send the price list"]);
    let mut app = app(&env);
    assert_shows(
        &screen_at(&mut app, 80, 24),
        &["Due to get in touch (1)", "Alice Smith"],
    );
    keys(&mut app, "r");
    assert_shows(
        &screen_at(&mut app, 80, 24),
        &["Due to get in touch: 7 weeks quiet"],
    );
    // At the narrowest size the app supports nothing breaks.
    screen_at(&mut app, 20, 5);
    // The profile says it too.
    let mut app = common::screen::app(&env);
    keys(&mut app, "/alice");
    common::screen::key(&mut app, crossterm::event::KeyCode::Enter);
    assert_shows(
        &screen_at(&mut app, 80, 24),
        &["in touch", "every 6 weeks (their own) · due (Thu 12 Nov)"],
    );
}
