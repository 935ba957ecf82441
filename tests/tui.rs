//! The full-screen app, driven by real key events and drawn on ratatui's TestBackend, against a
//! real database with a fixed clock. Each test checks the screen and what was stored.

mod common;

use common::screen::{answer, app, assert_shows, key, keys, screen, screen_at};

use common::Env;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tend::tui::views;

#[test]
fn an_empty_database_says_what_to_do() {
    let env = Env::new();
    let mut app = app(&env);
    assert_shows(
        &screen(&mut app),
        &["Welcome to tend", "add your first contact", "tend demo"],
    );
}

#[test]
fn today_shows_each_section_and_the_selected_contacts_card() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    let s = screen(&mut app);
    assert_shows(
        &s,
        &[
            "Overdue (1)",
            "Due today (1)",
            "No next step (1)",
            "send invoice",
            "3 days late",
            "Carol White",
        ],
    );
    // The first item (Alice) is selected; her card shows her details.
    assert_shows(&s, &["Alice Smith", "lemon cake", "Acme Bakery"]);
    key(&mut app, KeyCode::Down);
    assert_shows(&screen(&mut app), &["┌ Bob Jones"]);
}

#[test]
fn the_review_walks_every_card_and_ends_with_a_summary() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "r");
    assert_shows(
        &screen(&mut app),
        &[
            "Review · 1 of 3",
            "Alice Smith",
            "Overdue, 3 days late: send invoice",
        ],
    );

    // Done, and since Alice has nothing else open, the review asks for her next step.
    keys(&mut app, "d");
    assert_shows(&screen(&mut app), &["Alice Smith has no next step now"]);
    answer(&mut app, "fri: send the receipt");
    assert_shows(
        &screen(&mut app),
        &["Review · 2 of 3", "Due today: call back"],
    );

    // A note on Bob moves on to the next card; back to Bob, and snooze him to tomorrow.
    keys(&mut app, "n");
    answer(&mut app, "call: left a voicemail");
    assert_shows(&screen(&mut app), &["Review · 3 of 3", "No next step"]);
    key(&mut app, KeyCode::Left);
    assert_shows(&screen(&mut app), &["Review · 2 of 3", "left a voicemail"]);
    keys(&mut app, "s");
    assert_shows(&screen(&mut app), &["Snooze until", "tomorrow"]);
    keys(&mut app, "1");
    assert_shows(&screen(&mut app), &["Review · 3 of 3", "No next step"]);

    // Carol: a next step, which ends the review.
    keys(&mut app, "x");
    answer(&mut app, "next mon: call again");
    let s = screen(&mut app);
    assert_shows(
        &s,
        &[
            "Review done.",
            "1 done, 1 snoozed, 1 note, 2 new next steps",
            "Everyone you saw has a next step",
        ],
    );

    let conn = env.conn();
    let done: i64 = conn
        .query_row(
            "SELECT count(*) FROM follow_ups WHERE done_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(done, 1);
    let alice_next: String = conn
        .query_row(
            "SELECT due_date FROM follow_ups WHERE text = 'send the receipt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(alice_next, "2026-11-27");
    let bob: (String, i64) = conn
        .query_row(
            "SELECT due_date, snoozes FROM follow_ups WHERE text = 'call back'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(bob, ("2026-11-24".to_string(), 1));
    let carol: String = conn
        .query_row(
            "SELECT f.due_date FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
              WHERE c.name = 'Carol White' AND f.text = 'call again'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(carol, "2026-11-30");
    let bob_note: String = conn
        .query_row(
            "SELECT n.kind FROM notes n JOIN contacts c ON c.id = n.contact_id
              WHERE c.name = 'Bob Jones' AND n.body = 'left a voicemail'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bob_note, "call");

    // Any key leaves the summary for Today.
    keys(&mut app, " ");
    assert_shows(&screen(&mut app), &["┌ Today"]);
}

#[test]
fn leaving_the_review_early_lists_who_still_has_no_next_step() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "r q");
    assert_shows(
        &screen(&mut app),
        &[
            "Review ended early.",
            "0 of 3 cards handled",
            "2 cards left",
            "Still without a next step (1)",
            "Carol White",
        ],
    );
}

#[test]
fn undo_reverses_a_note_a_completion_and_a_snooze() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "n");
    answer(&mut app, "quick note");
    assert_eq!(env.count("notes WHERE body = 'quick note'"), 1);
    keys(&mut app, "u");
    assert_eq!(env.count("notes WHERE body = 'quick note'"), 0);
    assert_shows(&screen(&mut app), &["Undid: note added"]);

    keys(&mut app, "d");
    key(&mut app, KeyCode::Esc); // no next step for now
    assert_eq!(env.count("follow_ups WHERE done_at IS NOT NULL"), 1);
    keys(&mut app, "u");
    assert_eq!(env.count("follow_ups WHERE done_at IS NOT NULL"), 0);

    keys(&mut app, "s");
    keys(&mut app, "w");
    assert_eq!(env.count("follow_ups WHERE due_date = '2026-11-30'"), 1);
    keys(&mut app, "u");
    assert_eq!(
        env.count("follow_ups WHERE due_date = '2026-11-20' AND snoozes = 0"),
        1
    );
    // The log is shared with the shell: the next u takes back the setup's `tend note`.
    keys(&mut app, "u");
    assert_shows(&screen(&mut app), &["Undid: note for Carol White"]);
    assert_eq!(env.count("notes WHERE body = 'met at the market'"), 0);
}

#[test]
fn the_pipeline_adds_moves_loses_and_undoes_deals() {
    let env = Env::with_people();
    let mut app = app(&env);
    keys(&mut app, "2");
    assert_shows(&screen(&mut app), &["No deals yet"]);
    keys(&mut app, "a");
    answer(&mut app, "alice: wedding cake 1,250.50");
    let s = screen_at(&mut app, 200, 32);
    assert_shows(
        &s,
        &["New (1)", "d#1 wedding cake", "Alice Smith", "£1,250.50"],
    );
    keys(&mut app, ">");
    assert_shows(
        &screen(&mut app),
        &["Qualified (1)", "New (0)", "moved to Qualified"],
    );
    let stage: String = env
        .conn()
        .query_row("SELECT stage FROM deals", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stage, "qualified");
    // The selection followed the deal into Qualified.
    keys(&mut app, "x");
    assert_shows(&screen(&mut app), &["Why was 'wedding cake' lost?"]);
    answer(&mut app, "went with a cheaper baker");
    let (stage, reason): (String, String) = env
        .conn()
        .query_row("SELECT stage, lost_reason FROM deals", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (stage.as_str(), reason.as_str()),
        ("lost", "went with a cheaper baker")
    );
    keys(&mut app, "u");
    let stage: String = env
        .conn()
        .query_row("SELECT stage FROM deals", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stage, "qualified");
    let history: i64 = env
        .conn()
        .query_row("SELECT count(*) FROM deal_stage_history", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        history, 2,
        "new, then qualified; the undone move left no trace"
    );
    // Moving on from the last open stage asks before it wins the deal.
    keys(&mut app, ">>");
    assert_shows(&screen(&mut app), &["Negotiation (1)"]);
    keys(&mut app, ">");
    assert_shows(&screen(&mut app), &["Mark 'wedding cake' won?"]);
    key(&mut app, KeyCode::Esc);
    let stage = || -> String {
        env.conn()
            .query_row("SELECT stage FROM deals", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(stage(), "negotiation", "Esc leaves it open");
    keys(&mut app, ">");
    assert_shows(&screen(&mut app), &["yes, it was won"]);
    keys(&mut app, "y");
    assert_eq!(stage(), "won");
}

#[test]
fn clients_filter_as_you_type_and_open_a_profile_to_edit() {
    let env = Env::with_people();
    env.ok(&["note", "bob", "first call", "--at", "yesterday"]);
    let mut app = app(&env);
    keys(&mut app, "3");
    assert_shows(&screen(&mut app), &["Clients · 4 of 4"]);
    // t offers the tags in use.
    keys(&mut app, "t");
    assert_shows(
        &screen(&mut app),
        &["Show contacts tagged", "everyone", "#vip (1)"],
    );
    keys(&mut app, "1");
    assert_shows(
        &screen(&mut app),
        &["Clients · 1 of 4 · status: all · tag: #vip", "Alice Smith"],
    );
    // Esc clears the filters.
    key(&mut app, KeyCode::Esc);
    assert_shows(&screen(&mut app), &["Clients · 4 of 4 · status: all "]);
    keys(&mut app, "SS");
    assert_shows(
        &screen(&mut app),
        &["Clients · 1 of 4 · status: prospect", "Carol White"],
    );
    keys(&mut app, "SSSS");
    assert_shows(&screen(&mut app), &["Clients · 4 of 4 · status: all"]);
    keys(&mut app, "fbob");
    assert_shows(&screen(&mut app), &["Clients · 1 of 4", "filter: bob"]);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert_shows(
        &s,
        &[
            "Bob Jones",
            "referred by",
            "Alice Smith",
            "first call",
            "Timeline · 1 note",
        ],
    );
    keys(&mut app, "e");
    answer(&mut app, "likes=oat milk");
    assert_eq!(
        env.count("contact_fields WHERE key = 'likes' AND value = 'oat milk'"),
        1
    );
    keys(&mut app, "S");
    keys(&mut app, "c");
    let status: String = env
        .conn()
        .query_row(
            "SELECT status FROM contacts WHERE name = 'Bob Jones'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "client");
    key(&mut app, KeyCode::Esc);
    assert_shows(&screen(&mut app), &["Clients · 1 of 4"]);
}

#[test]
fn search_palette_and_help_work_from_anywhere() {
    let env = Env::with_people();
    let mut app = app(&env);
    keys(&mut app, "/carol");
    assert_shows(
        &screen(&mut app),
        &["Find a contact", "Carol White", "1 found"],
    );
    key(&mut app, KeyCode::Enter);
    assert_shows(
        &screen(&mut app),
        &["Profile", "Carol White", "07700 900123"],
    );
    key(&mut app, KeyCode::Esc);

    keys(&mut app, ":add con");
    key(&mut app, KeyCode::Enter);
    assert_shows(&screen(&mut app), &["Add a contact"]);
    answer(&mut app, "Dan Brown <dan@example.com>");
    assert_eq!(
        env.count("contacts WHERE name = 'Dan Brown' AND email = 'dan@example.com'"),
        1
    );
    assert_shows(&screen(&mut app), &["Profile", "Dan Brown"]);
    key(&mut app, KeyCode::Esc);

    keys(&mut app, "?");
    assert_shows(
        &screen(&mut app),
        &["Keys", "review, one card at a time", "undo the last change"],
    );
    keys(&mut app, "x");
    assert!(!screen(&mut app).contains("┌ Keys"), "any key closes help");
}

#[test]
fn a_bad_answer_keeps_the_prompt_and_says_why() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "x");
    answer(&mut app, "someday: call");
    let s = screen(&mut app);
    assert_shows(
        &s,
        &["Next step for Alice Smith", "someday: call", "cannot read"],
    );
    assert_eq!(env.count("follow_ups"), 2);
}

#[test]
fn writes_from_another_process_show_up_and_keep_the_selection() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    key(&mut app, KeyCode::Down); // Bob
    env.ok(&["next", "carol", "tomorrow", "send the samples"]);
    env.ok(&["note", "bob", "called from the shell"]);
    app.tick().unwrap();
    let s = screen(&mut app);
    assert_shows(
        &s,
        &[
            "Coming up (1)",
            "send the samples",
            "┌ Bob Jones",
            "called from the shell",
        ],
    );
    assert!(!s.contains("No next step"), "Carol has one now:\n{s}");
}

#[test]
fn every_size_draws_without_panicking_and_tiny_ones_say_so() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    assert_shows(&screen_at(&mut app, 60, 15), &["Today", "Overdue (1)"]);
    assert_shows(&screen_at(&mut app, 20, 5), &["Today"]);
    assert_shows(&screen_at(&mut app, 19, 5), &["needs at least"]);
    for tab in ["1", "2", "3", "4", "5"] {
        keys(&mut app, tab);
        for (w, h) in [(60, 15), (80, 24), (200, 60)] {
            screen_at(&mut app, w, h);
        }
    }
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    screen_at(&mut app, 60, 15);
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "1r");
    assert_shows(&screen_at(&mut app, 60, 15), &["Review · 1 of 3"]);
}

#[test]
fn wide_characters_and_escape_sequences_render_safely() {
    let env = Env::new();
    env.ok(&["add", "山田 太郎 🍰", "--status", "client"]);
    env.ok(&["add", "Eve\x1b[2J", "--status", "client"]);
    env.ok(&["note", "山田", "お茶が好き。ケーキを三つ注文。"]);
    let mut app = app(&env);
    for (w, h) in [(60, 15), (120, 32)] {
        let s = screen_at(&mut app, w, h);
        assert_shows(&s, &["山田 太郎", "Eve^[[2J"]);
        assert!(!s.contains('\x1b'));
    }
    keys(&mut app, "3f山田");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_shows(&screen(&mut app), &["お茶が好き", "山田 太郎 🍰"]);
}

#[test]
fn no_color_still_shows_the_selection() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    app.env.theme = tend::tui::theme::Theme::plain();
    let mut term = Terminal::new(TestBackend::new(100, 20)).unwrap();
    term.draw(|f| views::draw(f, &mut app)).unwrap();
    let buf = term.backend().buffer();
    let reversed = (0..100u16).any(|x| {
        (0..20u16).any(|y| {
            let c = &buf[(x, y)];
            c.modifier.contains(ratatui::style::Modifier::REVERSED)
                && c.fg == ratatui::style::Color::Reset
        })
    });
    assert!(
        reversed,
        "the selected row is shown reversed, without colour"
    );
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn ctrl_o_hands_a_note_to_the_editor_and_saves_what_comes_back() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "n");
    keys(&mut app, "draft");
    app.handle_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
    // The event loop leaves the screen, runs $EDITOR on the draft, and hands the text back.
    let req = app.editor.take().expect("an editor request");
    assert_eq!(req.text, "draft");
    app.editor_done(req, Some("a long note\nwritten in the editor".into()));
    assert_eq!(
        env.count("notes WHERE body = 'a long note\nwritten in the editor'"),
        1
    );
    assert_shows(&screen(&mut app), &["Noted for Alice Smith"]);
}

#[test]
fn recipes_are_applied_ticked_undone_and_read_from_the_profile() {
    let env = Env::with_people();
    let mut app = app(&env);
    app.env.recipes_dir = Some(env.dir.path().join("no-recipes-here"));
    keys(&mut app, "3");
    key(&mut app, KeyCode::Enter); // Acme Bakery, first alphabetically
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter); // Alice Smith
    keys(&mut app, "A");
    assert_shows(
        &screen(&mut app),
        &["Apply a recipe", "onboarding  Onboarding a new client"],
    );
    keys(&mut app, "4");
    assert_shows(
        &screen(&mut app),
        &[
            "Started 'Onboarding a new client' (6 steps)",
            "Checklists",
            "Onboarding a new client 0/6",
        ],
    );
    keys(&mut app, "t");
    assert_shows(
        &screen(&mut app),
        &["Onboarding a new client 1/6", "next: Send the invoice"],
    );
    assert_eq!(env.count("notes WHERE body = 'Sent the welcome email'"), 1);
    keys(&mut app, "u");
    assert_shows(
        &screen(&mut app),
        &["Undid: step ticked", "Onboarding a new client 0/6"],
    );
    assert_eq!(env.count("notes WHERE body = 'Sent the welcome email'"), 0);
    // Applying it again asks first.
    keys(&mut app, "A");
    assert_shows(
        &screen(&mut app),
        &["onboarding  Onboarding a new client  (running)"],
    );
    keys(&mut app, "4");
    assert_shows(
        &screen(&mut app),
        &["already running for them. Start another?"],
    );
    keys(&mut app, "n");
    assert_eq!(env.count("checklists"), 1);
    keys(&mut app, "R");
    assert_shows(&screen(&mut app), &["Recipe: onboarding", "1. on the day"]);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    // Today's card shows the next checklist step.
    keys(&mut app, "1");
    let s = screen_at(&mut app, 220, 32);
    assert_shows(
        &s,
        &["Checklist", "Onboarding a new client: Send a welcome email"],
    );
}

#[test]
fn profit_shows_each_client_with_a_bar_and_switches_period_and_sort() {
    let env = Env::with_people();
    env.ok(&["income", "alice", "1,000"]);
    env.ok(&["time", "alice", "5h"]);
    env.ok(&["income", "bob", "100"]);
    env.ok(&["time", "bob", "10h"]);
    let mut app = app(&env);
    app.env.settings.hourly_cost = 3_000;
    keys(&mut app, "4");
    let s = screen(&mut app);
    assert_shows(
        &s,
        &[
            "Profit · this year · sorted by profit",
            "Alice Smith",
            "£850",
            "██",
            "Bob Jones",
            "-£200",
            "losing money",
        ],
    );
    assert!(
        s.find("Alice Smith").unwrap() < s.find("Bob Jones").unwrap(),
        "best first:\n{s}"
    );
    keys(&mut app, "s");
    assert_shows(&screen(&mut app), &["sorted by revenue"]);
    keys(&mut app, "ss");
    let s = screen(&mut app);
    assert_shows(&s, &["sorted by hours"]);
    assert!(
        s.find("Bob Jones").unwrap() < s.find("Alice Smith").unwrap(),
        "most hours first:\n{s}"
    );
    keys(&mut app, "p");
    assert_shows(&screen(&mut app), &["Profit · last 12 months"]);
    // The selection stays with Alice through re-sorting; Enter opens her.
    key(&mut app, KeyCode::Enter);
    assert_shows(
        &screen(&mut app),
        &[
            "Profile",
            "Alice Smith",
            "Money and time",
            "invoiced £1,000",
        ],
    );
}

#[test]
fn insights_draws_the_funnel_the_revenue_chart_and_the_rankings() {
    let env = Env::with_people();
    env.ok(&["income", "alice", "2,500", "--on", "2026-11-02"]);
    env.ok(&["income", "bob", "500", "--on", "2026-10-02"]);
    env.ok(&["edit", "bob", "--status", "client"]);
    let mut app = app(&env);
    app.env.settings.monthly_revenue_goal = Some(200_000);
    keys(&mut app, "5");
    let s = screen_at(&mut app, 140, 40);
    assert_shows(
        &s,
        &[
            "Funnel and pipeline",
            "lead → client 100%",
            "Revenue by month · goal £2,000",
            "Nov",
            "2.5k",
            "Lead sources",
            "website",
            "Best referrers",
            "Alice Smith",
        ],
    );
    // The month that met the goal is drawn green, the one that did not, yellow.
    let mut term = Terminal::new(TestBackend::new(140, 40)).unwrap();
    term.draw(|f| views::draw(f, &mut app)).unwrap();
    let buf = term.backend().buffer();
    let colours: std::collections::HashSet<_> = (0..140u16)
        .flat_map(|x| (0..40u16).map(move |y| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].symbol() == "█")
        .map(|(x, y)| buf[(x, y)].fg)
        .collect();
    assert!(
        colours.contains(&ratatui::style::Color::Green)
            && colours.contains(&ratatui::style::Color::Yellow),
        "{colours:?}"
    );
}

#[test]
fn profit_and_insights_are_worked_out_in_the_background_without_blocking_keys() {
    let env = Env::with_people();
    env.ok(&["income", "alice", "1,000"]);
    env.ok(&["time", "bob", "2h"]);
    let mut app = app(&env);
    app.background = true;
    for tab in ["4", "5"] {
        keys(&mut app, tab);
        // The key's frame comes at once, whatever the figures are doing.
        screen(&mut app);
        settle(&mut app);
    }
    assert_shows(&screen(&mut app), &["Funnel and pipeline", "Lead sources"]);
    keys(&mut app, "4");
    assert_shows(
        &screen(&mut app),
        &["Alice Smith", "£1,000", "Bob Jones", "-£60"],
    );
    // Sorting re-orders what is there; nothing is worked out again.
    keys(&mut app, "s");
    assert!(!app.busy());
    assert_shows(&screen(&mut app), &["sorted by revenue"]);
    // A change elsewhere brings fresh figures on the next visit.
    env.ok(&["income", "bob", "500"]);
    app.tick().unwrap();
    settle(&mut app);
    assert_shows(&screen(&mut app), &["£440"]);
}

/// Wait for the background work to come in (ten seconds at most).
fn settle(app: &mut tend::tui::app::App) {
    let start = std::time::Instant::now();
    while app.busy() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the work never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.collect();
    }
}

#[test]
fn the_clients_list_is_read_in_the_background_and_kept_until_the_new_one_comes() {
    let env = Env::with_people();
    let mut app = app(&env);
    app.background = true;
    keys(&mut app, "3");
    // The key's frame comes at once, saying the list is on its way.
    assert_shows(&screen(&mut app), &["Reading the list"]);
    settle(&mut app);
    assert_shows(
        &screen(&mut app),
        &["Alice Smith", "Bob Jones", "Carol White"],
    );
    // A contact added elsewhere: the old list stays on screen until the fresh one is read.
    env.ok(&["add", "Dan Brown"]);
    app.tick().unwrap();
    assert_shows(&screen(&mut app), &["Alice Smith", "updating"]);
    settle(&mut app);
    assert_shows(&screen(&mut app), &["Dan Brown"]);
    // Filtering works on the list read in the background.
    keys(&mut app, "fda");
    assert_shows(&screen(&mut app), &["Dan Brown", "1 of 5"]);
}

#[test]
fn a_long_section_of_today_in_the_app_shows_its_first_page_and_how_many_more() {
    let env = Env::new();
    env.ok(&["init"]);
    for i in 0..(tend::tui::views::today::SHOWN + 7) {
        env.conn()
            .execute(
                "INSERT INTO contacts (uid, name, status, created_at, updated_at)
                 VALUES (?1, ?2, 'lead', '2026-11-01T09:00:00', '2026-11-01T09:00:00')",
                rusqlite::params![format!("u{i}"), format!("Lead {i:03}")],
            )
            .unwrap();
    }
    let mut app = app(&env);
    let more: Vec<&tend::tui::views::today::Row> = app
        .today
        .rows
        .iter()
        .filter(|r| matches!(r, tend::tui::views::today::Row::More(_)))
        .collect();
    assert_eq!(
        more,
        [&tend::tui::views::today::Row::More(
            "… and 7 more: tend today --all lists them".into()
        )]
    );
    let neglected = app
        .today
        .rows
        .iter()
        .filter(|r| matches!(r, tend::tui::views::today::Row::Neglected(_)))
        .count();
    assert_eq!(neglected, tend::tui::views::today::SHOWN);
    keys(&mut app, "G");
    assert_shows(&screen(&mut app), &["and 7 more"]);
    let header = format!("No next step ({})", tend::tui::views::today::SHOWN + 7);
    assert!(
        app.today
            .rows
            .iter()
            .any(|r| *r == tend::tui::views::today::Row::Header(header.clone())),
        "{header}"
    );
}

#[test]
fn narrow_columns_say_dates_and_titles_whole_rather_than_cut() {
    let env = Env::with_people();
    env.ok(&[
        "deal",
        "add",
        "alice",
        "hampers",
        "3,200",
        "--close",
        "19 jan 2027",
    ]);
    env.ok(&["income", "alice", "120"]);
    let mut app = app(&env);
    keys(&mut app, "2");
    let s = screen_at(&mut app, 80, 24);
    assert!(s.contains("19 Jan 2027"), "the year is not cut:\n{s}");
    // The Profit title drops what does not fit, whole words at a time.
    keys(&mut app, "4");
    let s = screen_at(&mut app, 60, 15);
    let title = s.lines().nth(1).unwrap_or_default();
    assert!(title.contains("Profit · this year"), "{s}");
    assert!(!title.contains("(de"), "a cut hint: {title}");
    let s = screen_at(&mut app, 120, 30);
    assert!(s.contains("(default: set hourly_cost)"), "{s}");
}

#[test]
fn a_recipe_that_cannot_be_read_is_named_where_recipes_are_chosen() {
    let env = Env::with_people();
    let mut app = app(&env);
    let dir = env.dir.path().join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("boiler.toml"),
        "title = \"Boiler service\"\n[[step]]\ntext = \"Book it\"\ndays = \"three\"\n",
    )
    .unwrap();
    app.env.recipes_dir = Some(dir);
    keys(&mut app, "3");
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter); // Alice Smith
    keys(&mut app, "A");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["onboarding", "1 recipe could not be read: why"],
    );
    keys(&mut app, "!");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &[
            "Recipes that could not be read",
            "boiler.toml:4",
            "expected a whole number of",
        ],
    );
}

#[test]
fn money_and_time_are_recorded_from_a_profile() {
    let env = Env::with_people();
    let mut app = app(&env);
    keys(&mut app, "3");
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter); // Alice Smith
    keys(&mut app, "$");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["Record money or time", "expense 35.50 flour"],
    );
    answer(&mut app, "expense 35.50 flour");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["Recorded expense £35.50 for Alice Smith"],
    );
    keys(&mut app, "$");
    answer(&mut app, "time 1h 30m site visit");
    keys(&mut app, "$");
    answer(&mut app, "paid 450");
    let conn = env.conn();
    let money: Vec<(String, i64, Option<String>, Option<String>)> = conn
        .prepare("SELECT kind, amount_minor, memo, paid_on FROM money_entries ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        money,
        vec![
            ("expense".into(), 3550, Some("flour".into()), None),
            ("income".into(), 45_000, None, Some("2026-11-23".into())),
        ]
    );
    assert_eq!(
        env.count("time_entries WHERE minutes = 90 AND memo = 'site visit'"),
        1
    );
    // A slip keeps the prompt, says why, and writes nothing.
    keys(&mut app, "$");
    answer(&mut app, "coffee 3");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["cannot read 'coffee 3' as income, an expense or time"],
    );
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "u");
    assert_eq!(env.count("money_entries WHERE kind = 'income'"), 0);
}
