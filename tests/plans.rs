//! The hot paths use indexes: every statement that `tend note`, `tend note --next`, `tend
//! today` (the app's first screen too), `tend show`, `tend search`, `tend done` and `tend
//! snooze`, the profit report of every period and the app's first screen run is recorded on
//! a seeded database, and SQLite's plan for each must not scan a
//! whole table. A change that brings a full scan back fails here, whatever the timings say.

mod common;

use chrono::NaiveTime;
use common::Env;
use tend::clock::Clock;
use tend::commands::NextStep;
use tend::commands::{agenda, contacts, followups, notes, search};
use tend::model::note::NoteKind;
use tend::store::Store;
use tend::when::When;

/// Statements whose scan is the point, with the reason. Each must still be run by the
/// commands below (so this list cannot go stale).
const EXPECTED_SCANS: &[(&str, &str)] = &[(
    "FROM contact_name_packs",
    "the fuzzy match of names reads every name, packed 128 to a row: reading them all is the point",
)];

fn full_scans(store: &Store, sql: &str) -> Vec<String> {
    store
        .query_plan(sql)
        .unwrap_or_else(|e| panic!("cannot plan {sql}: {e}"))
        .into_iter()
        .filter(|step| {
            step.starts_with("SCAN ")
                && !step.contains(" USING INDEX ")
                && !step.contains(" USING COVERING INDEX ")
                && !step.contains(" USING INTEGER PRIMARY KEY ")
                && !step.starts_with("SCAN CONSTANT ROW")
                // The rows of a subquery (a count of at most N rows), not a table.
                && !step.starts_with("SCAN (subquery")
                // A full-text index is a virtual table: "SCAN notes_fts VIRTUAL TABLE INDEX
                // 0:M…" is its own index lookup.
                && !step.contains(" VIRTUAL TABLE INDEX ")
        })
        .collect()
}

#[test]
fn capture_today_show_search_done_snooze_and_the_first_screen_never_scan_a_whole_table() {
    let env = Env::new();
    env.ok(&[
        "dev",
        "seed",
        "--contacts",
        "3000",
        "--notes",
        "20000",
        "--follow-ups",
        "4000",
        "--deals",
        "500",
        "--entries",
        "5000",
    ]);
    let clock = Clock::parse(common::NOW).unwrap();
    let mut store = Store::open(&env.db).unwrap();
    let seen = store.record_statements();

    // The seed's 42nd contact, by its exact name, and by the start of a word of it (what
    // `tend note ann` does).
    let name = env.json(&["show", "#42", "--json"])["contact"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let who = tend::find::resolve(store.conn(), &name).unwrap();
    let word: String = name
        .split_whitespace()
        .last()
        .unwrap()
        .chars()
        .take(4)
        .collect();
    assert!(
        !tend::store::contacts::prefix(store.conn(), &word)
            .unwrap()
            .is_empty()
    );
    notes::add(
        &mut store,
        &clock,
        notes::AddNote {
            contact_id: who.id,
            kind: NoteKind::Call,
            body: "called about the spring order".into(),
            at: None,
            next: Some(NextStep {
                when: When {
                    date: clock.today() + chrono::Days::new(4),
                    time: NaiveTime::from_hms_opt(14, 0, 0),
                },
                text: "send the quote".into(),
                every: None,
            }),
        },
    )
    .unwrap();
    // With cadences for clients and the vip tag, as a config.toml would give them.
    let settings = tend::config::Settings {
        cadence: tend::model::cadence::Defaults {
            statuses: vec![(
                "client".into(),
                tend::model::Recurrence::parse("6w").unwrap(),
            )],
            tags: vec![("vip".into(), tend::model::Recurrence::parse("2w").unwrap())],
        },
        ..Default::default()
    };
    let today = agenda::agenda(store.conn(), &clock, Some(15), Some(25), &settings).unwrap();
    let profile = contacts::profile(store.conn(), who.id, 10).unwrap();
    // A common word (found among the newest), a rarer one and a detail (from the trigram
    // indexes), and nothing at all (the fuzzy match of names).
    for q in ["quote", "zzqx", "vip", "example.com", "wen"] {
        search::search(store.conn(), q, 20).unwrap();
    }
    // The profit report over every period reads the monthly and yearly sums (and the entries
    // only for the days at a period's ends, by date); Insights' months read everyone's sums.
    for period in tend::model::profit::Period::ALL {
        let r = tend::commands::reports::profit(
            store.conn(),
            clock.today(),
            period,
            tend::model::profit::SortBy::Profit,
            &settings,
            Some(50),
        )
        .unwrap();
        assert!(r.rows.len() <= 50);
    }
    assert!(
        !tend::commands::reports::revenue_by_month(store.conn(), clock.today())
            .unwrap()
            .is_empty()
    );
    let first = today
        .overdue
        .first()
        .or(today.upcoming.first())
        .expect("the seed has open follow-ups")
        .id;
    followups::snooze(
        &mut store,
        first,
        When {
            date: clock.today() + chrono::Days::new(7),
            time: None,
        },
        clock.now().naive_local(),
    )
    .unwrap();
    let mine = profile.open_follow_ups.first().map(|f| f.id).unwrap();
    followups::done(&mut store, &clock, mine).unwrap();

    // The app's first screen: Today, the selected contact's card, the hygiene line.
    let app = tend::tui::app::App::new(store, clock).unwrap();
    drop(app);
    let store = Store::open(&env.db).unwrap();
    let statements = seen.lock().unwrap().clone();
    assert!(
        statements.len() >= 15,
        "the commands ran their statements: {statements:#?}"
    );
    for (what, _) in EXPECTED_SCANS {
        assert!(
            statements.iter().any(|s| s.contains(what)),
            "no statement has '{what}' any more: take it off EXPECTED_SCANS"
        );
    }
    let mut problems = Vec::new();
    for sql in &statements {
        let head = sql.trim_start().to_uppercase();
        if !(head.starts_with("SELECT") || head.starts_with("WITH"))
            || sql.contains("'main'.'")
            || EXPECTED_SCANS.iter().any(|(what, _)| sql.contains(what))
        {
            // Writes by key (their triggers run the reads checked here), FTS5's own
            // bookkeeping on its shadow tables, and the scans listed above.
            continue;
        }
        let scans = full_scans(&store, sql);
        if !scans.is_empty() {
            problems.push(format!("{sql}\n    {}", scans.join("\n    ")));
        }
    }
    assert!(
        problems.is_empty(),
        "full table scans on a hot path:\n{}",
        problems.join("\n\n")
    );

    // The profit report counts each client's won deals from the index alone (migration 23),
    // without a lookup of each won deal's row.
    let won = statements
        .iter()
        .find(|s| s.contains("FROM deals INDEXED BY deals_won_closed"))
        .expect("the profit report counts won deals");
    let plan = store.query_plan(won).unwrap();
    assert!(
        plan.iter()
            .any(|step| step.contains("USING COVERING INDEX deals_won_closed")),
        "{plan:#?}"
    );
}
