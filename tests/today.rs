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
    assert!(
        out.contains("tend import vcard"),
        "a newcomer learns they can bring contacts in"
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

#[test]
fn without_a_terminal_tend_prints_the_agenda_and_the_full_screen_commands_explain() {
    let env = Env::with_people();
    // No terminal on stdin/stdout here: plain `tend` prints the agenda instead of the app.
    assert!(env.ok(&[]).contains("No next step (3)"));
    for cmd in ["review", "demo"] {
        let err = env.fails(&[cmd]);
        assert!(
            err.contains("needs a terminal") && err.contains("hint:"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn the_demo_opens_the_app_in_a_terminal_and_cleans_up() {
    // `script` gives tend a terminal; `q` quits at once.
    let tend = assert_cmd::cargo::cargo_bin("tend");
    let env = Env::new();
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("stty rows 30 cols 100; {} demo", tend.display()),
            "/dev/null",
        ])
        .env("TEND_DB", &env.db)
        .env("TEND_NOW", common::NOW)
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            std::thread::sleep(std::time::Duration::from_millis(800));
            child.stdin.as_mut().unwrap().write_all(b"q")?;
            child.wait_with_output()
        })
        .expect("script runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("DEMO") && shown.contains("Maya Okafor"),
        "{shown}"
    );
    assert!(shown.contains("throwaway demo database"), "{shown}");
    assert!(!env.db.exists(), "the demo never touches the real database");
}

#[test]
fn an_invoice_unpaid_for_a_month_is_one_to_chase_until_it_is_paid() {
    let env = Env::with_people();
    env.ok(&[
        "income",
        "alice",
        "1,234.50",
        "--on",
        "2026-10-05",
        "--memo",
        "wedding cake",
    ]);
    env.ok(&["income", "bob", "300", "--on", "2026-11-10"]);
    env.ok(&["income", "carol", "80", "--on", "2026-09-01", "--paid"]);
    let out = env.ok(&["today"]);
    assert!(out.contains("Chase payment (1)"), "{out}");
    assert!(
        out.contains("Alice Smith  £1,234.50 invoiced Mon 5 Oct (49 days) · wedding cake"),
        "{out}"
    );
    assert!(!out.contains("Bob Jones  £300"), "not a month yet: {out}");
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["chase_payment"][0]["amount_minor"], 123_450);
    // A shorter wait in config.toml brings Bob's in too.
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("config.toml"),
        "chase_payment_days = 7\n",
    )
    .unwrap();
    assert!(env.ok(&["today"]).contains("Chase payment (2)"));
    let id = json["chase_payment"][0]["id"].as_i64().unwrap().to_string();
    env.ok(&["paid", &format!("i#{id}")]);
    assert!(env.ok(&["today"]).contains("Chase payment (1)"));
}

#[test]
fn in_the_app_d_on_an_invoice_to_chase_marks_it_paid_and_u_takes_it_back() {
    use common::screen::{app, assert_shows, keys, screen_at};
    let env = Env::with_people();
    env.ok(&["income", "alice", "1,234.50", "--on", "2026-10-05"]);
    let mut app = app(&env);
    assert_shows(
        &screen_at(&mut app, 80, 24),
        &["Chase payment (1)", "49 days unpaid", "£1,234.50"],
    );
    keys(&mut app, "d");
    let s = screen_at(&mut app, 80, 24);
    assert!(s.contains("Paid: £1,234.50 from Alice Smith"), "{s}");
    assert!(!s.contains("Chase payment"), "{s}");
    let paid: Option<String> = env
        .conn()
        .query_row("SELECT paid_on FROM money_entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(paid.as_deref(), Some("2026-11-23"));
    keys(&mut app, "u");
    assert_shows(&screen_at(&mut app, 80, 24), &["Chase payment (1)"]);
}

/// Long sections are counted from their indexes, less archived contacts' follow-ups and
/// invoices: the counts must be what the whole lists (`--json`) hold.
#[test]
fn long_sections_count_what_the_whole_lists_hold_without_archived_contacts() {
    let env = Env::new();
    env.ok(&[
        "dev",
        "seed",
        "--contacts",
        "300",
        "--notes",
        "300",
        "--follow-ups",
        "900",
        "--deals",
        "30",
        "--entries",
        "900",
    ]);
    let before = env.json(&["today", "--json"]);
    // Archive the contacts of the first few overdue follow-ups and invoices to chase.
    let mut archived = std::collections::BTreeSet::new();
    for section in ["overdue", "upcoming", "chase_payment"] {
        for item in before[section].as_array().unwrap().iter().take(4) {
            archived.insert(item["contact_id"].as_i64().unwrap());
        }
    }
    for id in &archived {
        env.ok(&["archive", &format!("#{id}")]);
    }
    let after = env.json(&["today", "--json"]);
    let text = env.ok(&["today"]);
    for (section, heading) in [
        ("overdue", "Overdue"),
        ("due_today", "Due today"),
        ("upcoming", "Coming up (next 7 days)"),
        ("chase_payment", "Chase payment"),
    ] {
        let n = after[section].as_array().unwrap().len();
        assert!(
            text.contains(&format!("{heading} ({n})")),
            "{heading}: the whole list holds {n}\n{text}"
        );
    }
    assert!(
        after["overdue"].as_array().unwrap().len() < before["overdue"].as_array().unwrap().len(),
        "archived contacts' follow-ups left the list"
    );
    assert!(
        text.contains("… and"),
        "the sections were cut short: {text}"
    );
}

#[test]
fn a_company_with_its_people_in_the_book_is_not_a_lead_of_its_own() {
    let env = Env::new();
    let then = |args: &[&str]| {
        let out = env
            .tend()
            .env("TEND_NOW", "2026-06-01T10:00:00")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
    };
    // An employer made by --company (as an imported sheet's organisation column makes one),
    // and a business client with nobody named.
    then(&["add", "Ann Apple", "--company", "Acme Bakery"]);
    then(&["add", "Bo Brown", "--company", "Acme Bakery"]);
    then(&["add", "Solo Ltd", "--kind", "company"]);
    let funnel = env.json(&["report", "funnel", "--json"]);
    assert_eq!(funnel["ever_leads"], 3, "{funnel}");
    let leads = funnel["statuses"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s[0] == "lead"))
        .cloned();
    assert_eq!(leads, Some(serde_json::json!(["lead", 3])), "{funnel}");
    let doctor = env.ok(&["doctor"]);
    assert!(
        doctor.contains("Ann Apple") && doctor.contains("Solo Ltd"),
        "{doctor}"
    );
    assert!(!doctor.contains("Acme Bakery"), "{doctor}");
    let today = env.ok(&["today"]);
    assert!(today.contains("3 leads gone quiet"), "{today}");
}
