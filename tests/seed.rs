//! The seed and the demo tell the truth: contacts moved through their statuses and deals
//! through their stages over time, so the funnel shows conversion, days in each stage and a
//! win rate, and agrees with the contacts' statuses now.

mod common;

use common::Env;
use serde_json::Value;
use tend::clock::Clock;
use tend::store::Store;

/// The loose shape of a believable funnel: people converted, deals spent days in every open
/// stage and some were won and some lost, and everyone who is a client now became one.
fn assert_believable(funnel: &Value, what: &str) {
    let n = |k: &str| {
        funnel[k]
            .as_i64()
            .unwrap_or_else(|| panic!("{what}: no {k}"))
    };
    assert!(n("became_prospects") > 0, "{what}: {funnel:#}");
    assert!(n("became_clients") > 0, "{what}: {funnel:#}");
    let rate = funnel["lead_to_client"].as_f64().unwrap();
    assert!(
        (10.0..=90.0).contains(&rate),
        "{what}: lead to client {rate}%"
    );
    let now: i64 = funnel["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s[0] == "client" || s[0] == "former")
        .map(|s| s[1].as_i64().unwrap())
        .sum();
    assert!(
        n("became_clients") >= now,
        "{what}: {now} are clients now but only {} became clients",
        n("became_clients")
    );
    let deals = &funnel["deals"];
    for stage in deals["stages"].as_array().unwrap() {
        if stage["stage"] != "won" && stage["reached"].as_i64().unwrap() > 0 {
            let days = stage["avg_days"].as_f64().unwrap();
            assert!(days > 0.0, "{what}: {} days in {}", days, stage["stage"]);
        }
    }
    assert!(deals["won"].as_i64().unwrap() > 0, "{what}: {deals:#}");
    assert!(deals["lost"].as_i64().unwrap() > 0, "{what}: {deals:#}");
    let win = deals["win_rate"].as_f64().unwrap();
    assert!((15.0..=85.0).contains(&win), "{what}: win rate {win}%");
    assert!(deals["avg_days_to_close"].as_f64().unwrap() > 0.0, "{what}");
}

#[test]
fn the_seeds_funnel_shows_conversion_days_in_stage_and_a_win_rate() {
    let env = Env::new();
    // A tenth of the design scale: the same rules, in a fraction of the time.
    env.ok(&[
        "dev",
        "seed",
        "--contacts",
        "1000",
        "--notes",
        "10000",
        "--follow-ups",
        "2000",
        "--deals",
        "500",
        "--entries",
        "5000",
    ]);
    let funnel = env.json(&["report", "funnel", "--json"]);
    assert_believable(&funnel, "seed");
    assert!(funnel["new_clients_this_quarter"].as_i64().unwrap() > 0);

    // Money follows clients: income is only ever billed to someone who became a client.
    let conn = env.conn();
    let stray: i64 = conn
        .query_row(
            "SELECT count(*) FROM money_entries m
              WHERE kind = 'income' AND NOT EXISTS (
                  SELECT 1 FROM contact_status_history h
                   WHERE h.contact_id = m.contact_id AND h.status = 'client')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stray, 0, "income billed to someone never a client");
    // Nothing happened to a contact before it was added.
    let early: i64 = conn
        .query_row(
            "SELECT count(*) FROM notes n JOIN contacts c ON c.id = n.contact_id
              WHERE substr(n.at, 1, 10) < substr(c.created_at, 1, 10)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(early, 0, "notes older than their contact");
}

#[test]
fn the_demos_funnel_agrees_with_its_clients() {
    let env = Env::new();
    let mut store = Store::open(&env.db).unwrap();
    tend::demo::fill(&mut store, &Clock::parse(common::NOW).unwrap()).unwrap();
    drop(store);
    let funnel = env.json(&["report", "funnel", "--json"]);
    assert_believable(&funnel, "demo");
    assert!(
        funnel["new_clients_this_quarter"].as_i64().unwrap() > 0,
        "{funnel:#}"
    );
}
