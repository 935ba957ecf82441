//! Money, time and profitability; reports, doctor and merge, from the shell.

mod common;

use common::Env;

/// A config with a known hourly cost and goal, so every figure can be checked by hand.
fn env_with_config() -> Env {
    let env = Env::with_people();
    let dir = env.config_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "currency = \"GBP\"\nhourly_cost = 30\nstale_lead_days = 14\n[goals]\nmonthly_revenue = 2000\n",
    )
    .unwrap();
    env
}

/// Alice: £1,200 paid + £300 invoiced, £150 expenses, 10h. Bob: £50, 2h. Carol: 1h30 last year.
fn with_entries() -> Env {
    let env = env_with_config();
    env.ok(&["income", "alice", "1,200", "--paid"]);
    env.ok(&["income", "alice", "300.00", "--on", "3 nov"]);
    env.ok(&["expense", "alice", "150", "--memo", "ingredients"]);
    env.ok(&["time", "alice", "10h"]);
    env.ok(&["time", "bob", "1h30"]);
    env.ok(&["time", "bob", "30m"]);
    env.ok(&["income", "bob", "50"]);
    env.ok(&["time", "carol", "1.5h", "--on", "2025-06-01"]);
    env
}

#[test]
fn entries_are_stored_in_minor_units_and_minutes() {
    let env = with_entries();
    let conn = env.conn();
    let alice: (i64, i64) = conn
        .query_row(
            "SELECT sum(amount_minor), sum(status = 'paid') FROM money_entries WHERE contact_id = 2 AND kind = 'income'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(alice, (150_000, 1));
    assert_eq!(
        env.count("time_entries WHERE contact_id = 3 AND minutes = 90"),
        1
    );
    assert_eq!(
        env.count("money_entries WHERE memo = 'ingredients' AND amount_minor = 15000"),
        1
    );
    let out = env.ok(&["paid", "2", "--on", "yesterday"]);
    assert!(out.contains("Income i#2 from"), "{out}");
    assert!(out.contains("marked paid yesterday"), "{out}");
    // Said again: nothing changes, and there is nothing more to undo.
    let undo_records = env.count("undo_log");
    let out = env.ok(&["paid", "2", "--on", "yesterday"]);
    assert!(
        out.contains("already marked paid yesterday; nothing changed"),
        "{out}"
    );
    assert_eq!(env.count("undo_log"), undo_records);
    // Another day corrects it, and says what it was.
    let out = env.tend().args(["paid", "i#2"]).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("was marked paid yesterday; now today"),
        "{said}"
    );
    env.ok(&["undo"]);
    let err = env.fails(&["paid", "3"]);
    assert!(
        err.contains("i#3 is an expense") && err.contains("e#3"),
        "#3 is an expense: {err}"
    );
    assert!(env.fails(&["paid", "e#3"]).contains("only income is paid"));
    // Marking paid is undone like any other change.
    env.ok(&["undo"]);
    assert_eq!(
        env.count("money_entries WHERE id = 2 AND status = 'invoiced'"),
        1
    );
}

#[test]
fn bad_amounts_durations_and_deals_are_refused() {
    let env = env_with_config();
    assert!(
        env.fails(&["income", "alice", "ten pounds"])
            .contains("cannot read 'ten pounds' as an amount")
    );
    assert!(
        env.fails(&["income", "alice", "-5"])
            .contains("'-5' is negative: write amounts without a sign")
    );
    assert!(
        env.fails(&["time", "alice", "forever"])
            .contains("45m, 1h30")
    );
    assert!(
        env.fails(&["expense", "alice", "5", "--deal", "99"])
            .contains("there is no deal d#99")
    );
    assert_eq!(env.count("money_entries") + env.count("time_entries"), 0);
}

#[test]
fn the_profit_report_matches_hand_computed_figures() {
    let env = with_entries();
    let r = env.json(&["report", "profit", "--period", "year", "--json"]);
    let rows = r["rows"].as_array().unwrap();
    // Alice: 1,500 − 150 − 10h × £30 = £1,050; margin 70%; (1,500 − 150) / 10h = £135/h.
    assert_eq!(rows[0]["name"], "Alice Smith");
    assert_eq!(rows[0]["revenue"], 150_000);
    assert_eq!(rows[0]["paid"], 120_000);
    assert_eq!(rows[0]["cost_of_time"], 30_000);
    assert_eq!(rows[0]["profit"], 105_000);
    assert_eq!(rows[0]["margin"], 70.0);
    assert_eq!(rows[0]["hourly_rate"], 13_500);
    // Bob: 50 − 2h × £30 = −£10, a loss.
    assert_eq!(rows[1]["name"], "Bob Jones");
    assert_eq!(rows[1]["profit"], -1_000);
    // Carol's hours were last year: not in this year's report.
    assert_eq!(rows.len(), 2);
    assert_eq!(r["total"]["profit"], 104_000);
    let all = env.json(&[
        "report", "profit", "--period", "all", "--sort", "hours", "--json",
    ]);
    let carol = &all["rows"].as_array().unwrap()[2];
    assert_eq!(
        (carol["name"].as_str(), carol["revenue"].as_i64()),
        (Some("Carol White"), Some(0))
    );
    assert!(
        carol["margin"].is_null(),
        "no revenue: margin undefined, not NaN"
    );
    assert_eq!(carol["profit"], -4_500);
    let month = env.json(&["report", "profit", "--period", "month", "--json"]);
    assert_eq!(
        month["rows"][0]["revenue"], 150_000,
        "3 Nov and today are both this month"
    );
    let text = env.ok(&["report", "profit"]);
    assert!(
        text.contains("Bob Jones") && text.contains("-£10") && text.contains("← losing money"),
        "{text}"
    );
    assert!(
        text.contains("£1,050") && text.contains("70%") && text.contains("£135"),
        "{text}"
    );
}

#[test]
fn the_profit_report_says_on_stderr_when_time_is_costed_at_the_default() {
    let env = Env::with_people();
    let out = env.tend().args(["report", "profit"]).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("note: your time is costed at"), "{said}");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("Profit by client") && !printed.contains("costed at"),
        "{printed}"
    );
}

#[test]
fn the_profit_report_exports_csv() {
    let env = with_entries();
    let csv = env.ok(&["report", "profit", "--csv"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("contact_id,client,revenue,paid,expenses,minutes")
    );
    assert_eq!(
        lines.next().unwrap(),
        "2,Alice Smith,1500.00,1200.00,150.00,600,300.00,1050.00,70.0,135.00,0"
    );
    assert_eq!(
        lines.next().unwrap(),
        "3,Bob Jones,50.00,0.00,0.00,120,60.00,-10.00,-20.0,25.00,0"
    );
}

#[test]
fn sources_referrals_funnel_and_pipeline_reports() {
    let env = with_entries();
    let sources = env.json(&["report", "sources", "--period", "all", "--json"]);
    let website = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "website")
        .unwrap();
    assert_eq!(
        (
            website["contacts"].as_i64(),
            website["revenue"].as_i64(),
            website["profit"].as_i64()
        ),
        (Some(1), Some(5_000), Some(-1_000))
    );
    let refs = env.json(&["report", "referrals", "--json"]);
    assert_eq!(refs[0]["name"], "Alice Smith");
    assert_eq!(refs[0]["contacts"], 1);
    assert_eq!(refs[0]["referred"], "Bob Jones");
    assert!(
        env.ok(&["report", "referrals"])
            .contains("Alice Smith: Bob Jones")
    );
    let revenue = env.ok(&["report", "revenue"]);
    assert!(
        revenue.contains("Revenue by month (goal £2,000)")
            && revenue.contains("2026-11")
            && revenue.contains("£1,550"),
        "{revenue}"
    );
    assert!(
        !revenue.contains("goal met"),
        "£1,550 is under the £2,000 goal:\n{revenue}"
    );
    env.ok(&["edit", "bob", "--status", "prospect"]);
    env.ok(&["edit", "bob", "--status", "client"]);
    let funnel = env.json(&["report", "funnel", "--json"]);
    assert_eq!(
        (
            funnel["ever_leads"].as_i64(),
            funnel["became_clients"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(funnel["lead_to_client"], 100.0);
    // Alice was added as a client today, Bob became one; Acme Bakery comes with Alice.
    assert_eq!(
        (
            funnel["new_clients_this_quarter"].as_i64(),
            funnel["new_clients_goal"].as_i64()
        ),
        (Some(2), None)
    );
    let pipeline = env.json(&["report", "pipeline", "--json"]);
    assert_eq!(pipeline["open_value"], 0);
    assert!(pipeline["deals"]["win_rate"].is_null());
    assert!(
        env.ok(&["report", "funnel"])
            .contains("Of 1 contacts who were leads")
    );
}

#[test]
fn doctor_finds_what_needs_tending_and_merge_mends_duplicates() {
    let env = with_entries();
    env.ok(&["add", "Old Lead", "--status", "lead"]);
    env.ok(&["note", "old lead", "first chat", "--at", "2026-10-01"]);
    env.ok(&[
        "add",
        "A. Smith",
        "--email",
        "ALICE@example.com",
        "--phone",
        "07700 900999",
    ]);
    env.ok(&[
        "note",
        "a. smith",
        "note on the duplicate",
        "--next",
        "fri: call",
    ]);
    env.ok(&["income", "a. smith", "25"]);
    let doc = env.ok(&["doctor"]);
    for expected in [
        "No next step",
        "Leads with no interaction for 14 days (1)",
        "Old Lead",
        "Likely duplicates (1)",
        "#2 Alice Smith and #6 A. Smith (same email)",
        "Database integrity: not read this time (tend doctor --full reads the whole file)",
    ] {
        assert!(doc.contains(expected), "missing {expected}:\n{doc}");
    }
    assert!(
        env.ok(&["doctor", "--full"])
            .contains("Database integrity: ok")
    );
    assert!(
        env.ok(&["today"])
            .contains("Hygiene: 1 lead gone quiet: tend doctor")
    );
    let out = env.ok(&["merge", "alice smith", "a. smith"]);
    assert!(
        out.contains("1 note, 1 follow-up, 0 deals and 1 entry moved over"),
        "{out}"
    );
    let alice = env.json(&["show", "alice smith", "--json"]);
    assert_eq!(alice["note_count"], 1);
    assert_eq!(alice["open_follow_ups"][0]["text"], "call");
    assert_eq!(
        alice["contact"]["phone"], "07700 900999",
        "an empty detail is filled from the duplicate"
    );
    assert_eq!(
        alice["contact"]["email"], "alice@example.com",
        "the kept contact's own detail wins"
    );
    assert_eq!(env.count("contacts WHERE name = 'A. Smith'"), 0);
    assert_eq!(env.count("money_entries WHERE contact_id = 2"), 4);
    assert!(!env.ok(&["doctor"]).contains("Likely duplicates"));
    assert!(
        env.fails(&["merge", "alice smith", "#2"])
            .contains("same contact")
    );
}

#[test]
fn a_config_that_does_not_read_names_the_line() {
    let env = Env::with_people();
    let dir = env.config_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "currency = \"GBP\"\nhourly_rate = 30\n",
    )
    .unwrap();
    let err = env.fails(&["report", "profit"]);
    assert!(
        err.contains("config.toml:2") && err.contains("unknown field"),
        "{err}"
    );
}

#[test]
fn every_reports_json_says_what_its_amounts_are_in() {
    let env = Env::with_people();
    env.ok(&["income", "alice", "100"]);
    for report in [
        &["report", "profit", "--json"][..],
        &["report", "pipeline", "--json"][..],
        &["report", "funnel", "--json"][..],
    ] {
        let v = env.json(report);
        assert_eq!(v["currency"], "GBP", "{report:?}: {v}");
        assert_eq!(v["amounts_in"], "minor units", "{report:?}");
    }
    for report in [
        &["report", "sources", "--json"][..],
        &["report", "referrals", "--json"][..],
        &["report", "revenue", "--json"][..],
    ] {
        let v = env.json(report);
        for row in v.as_array().expect("a list") {
            assert_eq!(row["currency"], "GBP", "{report:?}: {row}");
        }
    }
}

#[test]
fn income_entered_afterwards_as_paid_says_which_day_it_was_paid() {
    let env = Env::with_people();
    let out = env
        .tend()
        .args(["income", "alice", "300", "--on", "3 nov", "--paid"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("(paid today)"), "{printed}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("tend paid i#1 --on \"3 Nov 2026\""), "{said}");
    // Taking the hint corrects it.
    env.ok(&["paid", "i#1", "--on", "3 Nov 2026"]);
    let paid: String = env
        .conn()
        .query_row("SELECT paid_on FROM money_entries WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(paid, "2026-11-03");
    let out = env.ok(&["income", "alice", "50", "--paid-on", "yesterday"]);
    assert!(out.contains("(paid yesterday)"), "{out}");
}
