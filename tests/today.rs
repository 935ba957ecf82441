//! The agenda: overdue, due today, the coming week, no next step.

mod common;

use common::Env;

#[test]
fn first_run_on_an_empty_database_says_what_to_do() {
    let env = Env::new();
    let out = env.ok(&[]);
    assert!(
        out.contains("Nothing here yet") && out.contains("tend add"),
        "{out}"
    );
    assert!(env.db.exists(), "the database was created");
}

#[test]
fn today_sorts_follow_ups_into_overdue_today_and_coming_up() {
    let env = Env::with_people();
    env.ok(&["next", "alice", "3d ago", "send invoice"]);
    env.ok(&["next", "bob", "today 14:00", "call back"]);
    env.ok(&["next", "carol", "fri", "send samples"]);
    env.ok(&["next", "carol", "in 2w", "far away"]);
    let out = env.ok(&["today"]);
    let overdue = out.find("Overdue (1)").expect(&out);
    let due = out.find("Due today (1)").expect(&out);
    let coming = out.find("Coming up (next 7 days) (1)").expect(&out);
    assert!(overdue < due && due < coming, "{out}");
    assert!(
        out.contains("Alice Smith: send invoice") && out.contains("3 days late"),
        "{out}"
    );
    assert!(
        out.contains("today 14:00") && out.contains("Bob Jones: call back"),
        "{out}"
    );
    assert!(
        out.contains("Fri 27 Nov") && !out.contains("far away"),
        "{out}"
    );
    assert!(!out.contains("No next step"), "everyone has one:\n{out}");
}

#[test]
fn active_contacts_without_a_next_step_are_listed_never_contacted_then_longest_neglected() {
    let env = Env::with_people();
    env.ok(&["add", "Dan Former", "--status", "former"]);
    env.ok(&["note", "bob", "hello", "--at", "10d ago"]);
    env.ok(&["note", "alice", "hi"]);
    let ag = env.json(&["today", "--json"]);
    let names: Vec<&str> = ag["no_next_step"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    // Carol was never contacted, Bob 10 days ago, Alice today. The company is looked after
    // through Alice; Dan is a former client.
    assert_eq!(names, ["Carol White", "Bob Jones", "Alice Smith"]);
    let out = env.ok(&["today"]);
    assert!(
        out.contains("No next step (3)") && out.contains("last contact 10 days ago"),
        "{out}"
    );
}

#[test]
fn a_long_no_next_step_list_is_cut_with_a_count() {
    let env = Env::new();
    for i in 0..20 {
        env.ok(&["add", &format!("Lead {i:02}")]);
    }
    let out = env.ok(&["today"]);
    assert!(
        out.contains("No next step (20)") && out.contains("… and 5 more"),
        "{out}"
    );
    let all = env.ok(&["today", "--all"]);
    assert!(all.contains("Lead 19") && !all.contains("more"), "{all}");
    assert_eq!(
        env.json(&["today", "--json"])["no_next_step"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
}

#[test]
fn everyone_looked_after_says_all_clear() {
    let env = Env::new();
    env.ok(&["add", "Solo Client", "--status", "client"]);
    env.ok(&["next", "solo", "in 3w", "check in"]);
    assert!(env.ok(&["today"]).contains("All clear"));
}
