//! The app's flows that the rebuild made possible, driven by real keys on TestBackend against
//! a real database: scrolling to what does not fit, undo of every kind of change, the review's
//! counts following undo, deals filed under the contact that was typed.

mod common;

use common::Env;
use common::screen::{answer, app, assert_shows, key, keys, screen_at};
use crossterm::event::KeyCode;

/// A contact with more than fits at 80×24: fields, follow-ups, a checklist, deals, money.
fn busy_contact() -> Env {
    let env = Env::with_people();
    for i in 0..12 {
        env.ok(&[
            "edit",
            "alice",
            "--field",
            &format!("detail {i:02}=something to know"),
        ]);
    }
    for i in 0..6 {
        env.ok(&[
            "next",
            "alice",
            &format!("in {}d", i + 1),
            &format!("step {i}"),
        ]);
    }
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    env.ok(&["income", "alice", "1,234.50"]);
    env.ok(&["time", "alice", "3h"]);
    env
}

#[test]
fn a_long_profile_scrolls_to_its_money_at_80x24() {
    let env = busy_contact();
    let mut app = app(&env);
    keys(&mut app, "/alice");
    key(&mut app, KeyCode::Enter);
    let s = screen_at(&mut app, 80, 24);
    assert_shows(&s, &["Alice Smith", "Profile · ↓ more"]);
    assert!(!s.contains("Money and time"), "it should not fit yet:\n{s}");
    let mut presses = 0;
    while !screen_at(&mut app, 80, 24).contains("invoiced £1,234.50") {
        key(&mut app, KeyCode::Down);
        presses += 1;
        assert!(presses < 100, "the money never came into view");
    }
    assert_shows(&screen_at(&mut app, 80, 24), &["Money and time", "3h"]);
    // G goes straight to the bottom at 60×15 too.
    key(&mut app, KeyCode::Char('g'));
    assert!(!screen_at(&mut app, 60, 15).contains("Money and time"));
    key(&mut app, KeyCode::Char('G'));
    assert_shows(&screen_at(&mut app, 60, 15), &["invoiced £1,234.50"]);
}

#[test]
fn help_and_the_palette_are_reachable_whole_at_60x15() {
    let env = Env::with_people();
    let mut app = app(&env);
    keys(&mut app, "?");
    let first = screen_at(&mut app, 60, 15);
    assert_shows(&first, &["Keys", "This view"]);
    assert!(!first.contains("scroll this list"));
    let mut presses = 0;
    while !screen_at(&mut app, 60, 15).contains("scroll this list") {
        key(&mut app, KeyCode::PageDown);
        presses += 1;
        assert!(
            presses < 20,
            "the end of help never came into view:\n{}",
            screen_at(&mut app, 60, 15)
        );
    }
    assert_shows(&screen_at(&mut app, 60, 15), &["quit", "scroll this list"]);
    key(&mut app, KeyCode::Esc);

    // The palette's last command can be selected and is on screen when it is.
    keys(&mut app, ":");
    for _ in 0..20 {
        key(&mut app, KeyCode::Down);
    }
    let s = screen_at(&mut app, 60, 15);
    assert_shows(&s, &["quit"]);
    assert!(!s.contains("review the day"), "scrolled to the end:\n{s}");
    key(&mut app, KeyCode::Enter);
    assert!(app.quit, "Enter ran the selected command");
}

#[test]
fn u_undoes_a_field_edit_and_a_status_change() {
    let env = Env::with_people();
    let mut app = app(&env);
    keys(&mut app, "/alice");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "e");
    answer(&mut app, "likes=oat milk");
    assert_eq!(
        env.count("contact_fields WHERE key = 'likes' AND value = 'oat milk'"),
        1
    );
    keys(&mut app, "e");
    answer(&mut app, "phone=07700 900999");
    keys(&mut app, "S");
    keys(&mut app, "f"); // former
    let status = || -> String {
        env.conn()
            .query_row(
                "SELECT status FROM contacts WHERE name = 'Alice Smith'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(status(), "former");
    let history_before = env.count("contact_status_history");

    keys(&mut app, "u");
    assert_eq!(status(), "client");
    assert_eq!(
        env.count("contact_status_history"),
        history_before - 1,
        "undoing a status change takes its history row back"
    );
    assert_shows(&screen_at(&mut app, 100, 30), &["Undid: contact edited"]);
    keys(&mut app, "u");
    assert_eq!(env.count("contacts WHERE phone = '07700 900999'"), 0);
    keys(&mut app, "u");
    assert_eq!(
        env.count("contact_fields WHERE key = 'likes' AND value = 'lemon cake'"),
        1
    );
    assert_eq!(env.count("contact_fields WHERE value = 'oat milk'"), 0);
    assert_shows(&screen_at(&mut app, 100, 30), &["lemon cake"]);
}

#[test]
fn the_reviews_counts_and_marks_follow_undo() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "r");
    // Snooze Alice: the review moves on to Bob.
    keys(&mut app, "s1");
    assert_shows(&screen_at(&mut app, 100, 30), &["Review · 2 of 3"]);
    key(&mut app, KeyCode::Left);
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["Review · 1 of 3", "✓ handled"],
    );
    keys(&mut app, "u");
    let s = screen_at(&mut app, 100, 30);
    assert!(
        !s.contains("✓ handled"),
        "the undone snooze no longer counts:\n{s}"
    );
    assert_shows(&s, &["Overdue, 3 days late: send invoice"]);
    keys(&mut app, "q");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &[
            "0 done, 0 snoozed, 0 notes, 0 new next steps",
            "0 of 3 cards handled",
        ],
    );
}

#[test]
fn undoing_a_cards_change_brings_that_card_back() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "r");
    // Snooze Alice; the review moves on, and u (from Bob's card) takes Alice's snooze back:
    // her card, due again, is shown again rather than left behind.
    keys(&mut app, "s1");
    assert_shows(&screen_at(&mut app, 100, 30), &["Review · 2 of 3"]);
    keys(&mut app, "u");
    let s = screen_at(&mut app, 100, 30);
    assert_shows(&s, &["Review · 1 of 3", "send invoice"]);
    assert!(!s.contains("✓ handled"), "{s}");
    keys(&mut app, "q");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["0 done, 0 snoozed", "0 of 3 cards handled"],
    );
}

#[test]
fn x_on_an_overdue_card_replaces_it_and_the_card_follows_other_windows() {
    let env = Env::day_to_review();
    let mut app = app(&env);
    keys(&mut app, "r");
    keys(&mut app, "x");
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["Replace 'send invoice' for Alice Smith"],
    );
    answer(&mut app, "fri: send the corrected invoice");
    assert_eq!(env.count("follow_ups WHERE text = 'send invoice'"), 0);
    assert_eq!(
        env.count(
            "follow_ups WHERE text = 'send the corrected invoice' AND due_date = '2026-11-27'"
        ),
        1
    );
    assert_shows(
        &screen_at(&mut app, 100, 30),
        &["Review · 2 of 3", "call back"],
    );
    // Bob's follow-up is done in another terminal: the card says so.
    env.ok(&["done", "bob"]);
    app.tick().unwrap();
    assert_shows(&screen_at(&mut app, 100, 30), &["Completed: call back"]);
    // u takes back the newest change first, whoever made it: the shell's done, then the
    // replace, which puts the old step back as it was.
    keys(&mut app, "u");
    assert_eq!(
        env.count("follow_ups WHERE text = 'call back' AND done_at IS NULL"),
        1
    );
    keys(&mut app, "u");
    assert_eq!(
        env.count("follow_ups WHERE text = 'send invoice' AND due_date = '2026-11-20'"),
        1
    );
}

#[test]
fn a_deal_is_filed_under_the_contact_typed_not_the_one_selected() {
    let env = Env::with_people();
    let mut app = app(&env);
    keys(&mut app, "2a");
    answer(&mut app, "alice: wedding cake 1,200");
    // Alice's deal is selected; a new one typed for Bob goes to Bob.
    keys(&mut app, "a");
    assert_shows(
        &screen_at(&mut app, 120, 30),
        &["Add a deal for Alice Smith"],
    );
    answer(&mut app, "bob: salon site 2,400");
    let owner = |title: &str| -> String {
        env.conn()
            .query_row(
                "SELECT c.name FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.title = ?1",
                [title],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(owner("salon site"), "Bob Jones");
    // The new deal is selected; without WHO: the next is for its contact.
    keys(&mut app, "a");
    assert_shows(&screen_at(&mut app, 120, 30), &["Add a deal for Bob Jones"]);
    answer(&mut app, "tasting 300");
    assert_eq!(owner("tasting"), "Bob Jones");
    // An expected close date, shown on the card.
    keys(&mut app, "c");
    answer(&mut app, "fri");
    assert_eq!(env.count("deals WHERE expected_close = '2026-11-27'"), 1);
    assert_shows(&screen_at(&mut app, 200, 30), &["close Fri 27 Nov"]);
    // Won; the selection follows the deal to Won, where losing it asks first.
    keys(&mut app, "w");
    assert_shows(&screen_at(&mut app, 200, 30), &["Won (1)"]);
    keys(&mut app, "x");
    assert_shows(&screen_at(&mut app, 200, 30), &["Mark it lost?"]);
    keys(&mut app, "n");
    assert_eq!(env.count("deals WHERE stage = 'won'"), 1);
}

fn mouse(
    app: &mut tend::tui::app::App,
    kind: crossterm::event::MouseEventKind,
    column: u16,
    row: u16,
) {
    app.mouse(crossterm::event::MouseEvent {
        kind,
        column,
        row,
        modifiers: crossterm::event::KeyModifiers::NONE,
    });
}

#[test]
fn a_click_selects_a_row_or_a_tab_and_the_wheel_scrolls_what_is_under_it() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let env = Env::day_to_review();
    let mut app = app(&env);
    let s = screen_at(&mut app, 80, 24);
    // Today's rows: a heading, Alice, a heading, Bob, ...; click on Bob's line.
    let bob = s.lines().position(|l| l.contains("Bob Jones")).unwrap() as u16;
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 10, bob);
    key(&mut app, KeyCode::Enter);
    assert_shows(&screen_at(&mut app, 80, 24), &["Bob Jones", "Profile"]);
    key(&mut app, KeyCode::Esc);
    // A click on "3 Clients" in the tab bar.
    let tabs = screen_at(&mut app, 80, 24);
    let col = tabs.lines().next().unwrap().find("3 Clients").unwrap() as u16;
    mouse(
        &mut app,
        MouseEventKind::Down(MouseButton::Left),
        col + 1,
        0,
    );
    assert_shows(&screen_at(&mut app, 80, 24), &["Clients · 4 of 4"]);

    // The wheel over a long profile scrolls it to its end.
    let env = busy_contact();
    let mut long = common::screen::app(&env);
    keys(&mut long, "/alice");
    key(&mut long, KeyCode::Enter);
    screen_at(&mut long, 80, 24);
    for _ in 0..30 {
        mouse(&mut long, MouseEventKind::ScrollDown, 10, 5);
    }
    assert_shows(&screen_at(&mut long, 80, 24), &["invoiced £1,234.50"]);
}
