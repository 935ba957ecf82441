//! `tend digest` in every format, with the fixed clock: the same database gives the same text.

mod common;

use common::Env;

/// Alice overdue with a note and an old invoice, Bob due today, Carol quiet past her cadence,
/// a deal past its expected close.
fn a_day() -> Env {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "alice",
        "called *urgently*, wants a <quote>",
        "--at",
        "2026-11-20",
    ]);
    env.ok(&["next", "alice", "3d ago", "send the quote"]);
    env.ok(&["next", "bob", "today 14:00", "call back"]);
    env.ok(&["note", "carol", "met at the market", "--at", "2026-10-01"]);
    env.ok(&["cadence", "carol", "6w"]);
    env.ok(&[
        "income",
        "alice",
        "1,234.50",
        "--on",
        "2026-10-05",
        "--memo",
        "wedding cake",
    ]);
    env.ok(&[
        "deal",
        "add",
        "bob",
        "Shop fit & sign",
        "4,500",
        "--close",
        "2026-11-16",
    ]);
    env
}

#[test]
fn the_text_digest_is_the_day_with_what_to_know_about_each_person() {
    let env = a_day();
    let out = env.ok(&["digest"]);
    assert_eq!(
        out,
        "tend digest for Monday 23 November 2026

Overdue (1)
  Alice Smith: send the quote (3 days late) [f#1]
    alice@example.com
    last note Fri 20 Nov: called *urgently*, wants a <quote>

Due today (1)
  Bob Jones: call back at 14:00 [f#2]

Due to get in touch (1)
  Carol White: 7 weeks quiet (every 6 weeks)
    07700 900123
    last note Thu 1 Oct: met at the market

Chase payment (1)
  Alice Smith: £1,234.50 invoiced Mon 5 Oct 2026, 49 days ago [i#1]
    wedding cake
    alice@example.com
    last note Fri 20 Nov: called *urgently*, wants a <quote>

Deals past their expected close (1)
  Bob Jones: Shop fit & sign £4,500, expected Mon 16 Nov 2026 [d#1]
    stage new
"
    );
    assert_eq!(env.ok(&["digest"]), out, "deterministic");
}

#[test]
fn markdown_html_and_json_say_the_same_and_are_well_formed() {
    let env = a_day();
    let md = env.ok(&["digest", "--format", "markdown"]);
    assert!(
        md.starts_with("# tend digest for Monday 23 November 2026\n"),
        "{md}"
    );
    assert!(
        md.contains("## Overdue (1)\n\n- **Alice Smith**: send the quote"),
        "{md}"
    );
    assert!(
        md.contains("called \\*urgently\\*, wants a \\<quote\\>"),
        "escaped: {md}"
    );
    let html = env.ok(&["digest", "--format", "html"]);
    let doc = roxmltree::Document::parse(html.trim_start_matches("<!DOCTYPE html>\n"))
        .unwrap_or_else(|e| panic!("well-formed: {e}\n{html}"));
    let items: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("li"))
        .map(|n| n.descendants().filter_map(|t| t.text()).collect())
        .collect();
    assert_eq!(items.len(), 5, "{items:?}");
    assert!(items[0].contains("wants a <quote>"), "{items:?}");
    assert!(html.contains("Shop fit &amp; sign"), "{html}");
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["digest", "--format", "json"])).expect("JSON parses");
    assert_eq!(v["overdue"][0]["follow_up"]["text"], "send the quote");
    assert_eq!(v["due_touch"][0]["due"]["name"], "Carol White");
    assert_eq!(v["chase_payment"][0]["amount_minor"], 123_450);
    assert_eq!(v["late_deals"][0]["title"], "Shop fit & sign");
    assert_eq!(
        v["chase_payment"][0]["context"]["email"],
        "alice@example.com"
    );
}

#[test]
fn a_checklist_under_way_says_its_next_step() {
    let env = Env::with_people();
    env.ok(&["recipe", "apply", "bob", "onboarding"]);
    env.ok(&["next", "bob", "today", "call back"]);
    let out = env.ok(&["digest"]);
    assert!(out.contains("checklist next: "), "{out}");
}

#[test]
fn a_quiet_day_says_so_in_every_format() {
    let env = Env::with_people();
    for format in ["text", "markdown", "html"] {
        let out = env.ok(&["digest", "--format", format]);
        assert!(out.contains("Nothing due today"), "{format}: {out}");
    }
}
