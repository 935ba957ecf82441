//! Deals from the shell: add, list, show, move, win (a lead becomes a client), lose, correct
//! and delete, with ids told apart as d#N; bad input writes nothing.

mod common;

use common::Env;

fn stage(env: &Env, id: i64) -> String {
    env.conn()
        .query_row("SELECT stage FROM deals WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_deal_is_added_listed_shown_and_moved_from_the_shell() {
    let env = Env::with_people();
    let out = env.ok(&[
        "deal",
        "add",
        "bob",
        "salon site",
        "2,400",
        "--close",
        "fri",
    ]);
    assert!(
        out.contains("d#1 salon site · Bob Jones · £2,400 · New (10%) · close Fri 27 Nov"),
        "{out}"
    );
    env.ok(&[
        "deal",
        "add",
        "alice",
        "wedding cake",
        "900",
        "--stage",
        "proposal",
        "--probability",
        "70",
    ]);
    let list = env.ok(&["deal", "list"]);
    assert!(
        list.contains("d#1 salon site") && list.contains("d#2 wedding cake"),
        "{list}"
    );
    assert!(list.contains("Proposal (70%)"), "{list}");
    let only = env.ok(&["deal", "list", "--stage", "proposal"]);
    assert!(only.contains("d#2") && !only.contains("d#1"), "{only}");
    let json = env.json(&["deal", "show", "d#1", "--json"]);
    assert_eq!(json["value_minor"], 240_000);
    env.ok(&["deal", "move", "1", "qualified"]);
    assert_eq!(stage(&env, 1), "qualified");
    // tend show lists them with their ids; income can name one.
    let show = env.ok(&["show", "bob"]);
    assert!(
        show.contains("Deals") && show.contains("d#1 salon site"),
        "{show}"
    );
    env.ok(&["income", "bob", "400", "--deal", "d#1"]);
    assert_eq!(env.count("money_entries WHERE deal_id = 1"), 1);
}

#[test]
fn winning_a_deal_makes_a_lead_a_client_and_the_funnel_counts_it() {
    let env = Env::with_people();
    env.ok(&["deal", "add", "bob", "salon site", "2,400"]);
    let out = env.ok(&["deal", "won", "d#1"]);
    assert!(out.contains("Bob Jones is now a client"), "{out}");
    assert_eq!(stage(&env, 1), "won");
    assert_eq!(
        env.count("contacts WHERE name = 'Bob Jones' AND status = 'client'"),
        1
    );
    assert_eq!(
        env.count("contact_status_history h JOIN contacts c ON c.id = h.contact_id WHERE c.name = 'Bob Jones' AND h.status = 'client'"),
        1
    );
    // Alice is a client already: winning hers changes nothing about her.
    env.ok(&["deal", "add", "alice", "cake", "100"]);
    let out = env.ok(&["deal", "won", "2"]);
    assert!(!out.contains("is now"), "{out}");
    // Lost needs a reason.
    env.ok(&["deal", "add", "carol", "tasting", "50"]);
    let err = env.fails(&["deal", "lost", "3", "--reason", " "]);
    assert!(err.contains("needs a reason"), "{err}");
    env.ok(&["deal", "lost", "3", "--reason", "went elsewhere"]);
    assert!(
        env.ok(&["deal", "show", "3"])
            .contains("lost: went elsewhere")
    );
}

#[test]
fn a_deal_is_corrected_and_deleted_only_when_asked_twice() {
    let env = Env::with_people();
    env.ok(&["deal", "add", "bob", "salon site", "24,000"]);
    let out = env.ok(&[
        "deal",
        "edit",
        "d#1",
        "--value",
        "2,400",
        "--title",
        "salon website",
        "--close",
        "eom",
    ]);
    assert!(
        out.contains("salon website · Bob Jones · £2,400") && out.contains("close Mon 30 Nov"),
        "{out}"
    );
    env.ok(&["deal", "edit", "1", "--probability", "35"]);
    assert!(env.ok(&["deal", "show", "1"]).contains("(35%)"));
    env.ok(&[
        "deal",
        "edit",
        "1",
        "--probability",
        "stage",
        "--close",
        "none",
    ]);
    let shown = env.ok(&["deal", "show", "1"]);
    assert!(
        shown.contains("(10%)") && !shown.contains("close"),
        "{shown}"
    );

    let err = env.fails(&["deal", "delete", "1"]);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.count("deals"), 1);
    env.ok(&["income", "bob", "400", "--deal", "1"]);
    env.ok(&["next", "bob", "fri", "chase the deposit"]);
    // The app ties a follow-up to a deal; the shell has no flag for it yet.
    env.conn()
        .execute("UPDATE follow_ups SET deal_id = 1", [])
        .unwrap();
    env.ok(&["deal", "move", "1", "proposal"]);
    let whole = |env: &Env| {
        let mut v = env.json(&["export", "json"]);
        v.as_object_mut().unwrap().remove("exported_at");
        v
    };
    let before = whole(&env);
    let out = env.ok(&["deal", "delete", "d#1", "--yes"]);
    assert!(out.contains("tend undo brings it back"), "{out}");
    assert_eq!(env.count("deals"), 0);
    assert_eq!(
        env.count("money_entries WHERE deal_id IS NULL"),
        1,
        "the income stays"
    );
    env.ok(&["undo"]);
    assert_eq!(
        whole(&env),
        before,
        "the deal, its stage history and what named it are back"
    );
}

#[test]
fn bad_deal_input_says_what_to_do_and_writes_nothing() {
    let env = Env::with_people();
    for (args, says) in [
        (
            &["deal", "add", "bob", "site", "12,50"][..],
            "commas only separate thousands",
        ),
        (
            &["deal", "add", "bob", "site", "100", "--probability", "150"][..],
            "not a probability",
        ),
        (
            &["deal", "add", "bob", "site", "100", "--close", "in 30m"][..],
            "ambiguous",
        ),
        (
            &["deal", "add", "nobody", "site", "100"][..],
            "no contact matches",
        ),
        (&["deal", "show", "x9"][..], "not a deal id"),
        (&["deal", "show", "99"][..], "there is no deal d#99"),
        (
            &["deal", "edit", "1", "--value", "5"][..],
            "there is no deal d#1",
        ),
    ] {
        let err = env.fails(args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(env.count("deals"), 0);
    env.ok(&["deal", "add", "bob", "site", "100"]);
    let err = env.fails(&["deal", "edit", "1"]);
    assert!(err.contains("nothing to change"), "{err}");
}

#[test]
fn a_deal_past_its_expected_close_says_so_where_it_is_listed() {
    let env = Env::with_people();
    env.ok(&[
        "deal",
        "add",
        "alice",
        "Kitchen",
        "4,500",
        "--close",
        "2026-11-01",
    ]);
    let show = env.ok(&["show", "alice"]);
    assert!(
        show.contains("close Sun 1 Nov (past: move it on, or the date)"),
        "{show}"
    );
}
