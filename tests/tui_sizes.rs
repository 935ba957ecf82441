//! Every view and pop-up, with the demo's data, an empty database and a hostile one, drawn at
//! every size from 20×5 to 250×80: nothing panics, and whatever row is selected is on screen.
//! The same app is drawn at several sizes in a row, as a terminal being resized does.

mod common;

use std::sync::OnceLock;

use common::Env;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use tend::clock::Clock;
use tend::commands::deals;
use tend::model::Stage;
use tend::store::Store;
use tend::tui::app::App;
use tend::tui::theme::Theme;
use tend::tui::views;

/// How to reach each view and pop-up from Today: keys, with `⏎` for Enter, `⎋` for Esc,
/// `→` for Right, `⇟` for PageDown.
const STATES: &[(&str, &str)] = &[
    ("today", ""),
    ("today, last row", "G"),
    ("review", "r"),
    ("review, scrolled", "r⇟⇟"),
    ("review summary", "r  q"),
    ("pipeline", "2"),
    ("pipeline, last column", "2llllll"),
    ("pipeline, confirm on a closed deal", "2llllx"),
    (
        "pipeline, add deal with a bad contact",
        "2anobody at all: cake 5⏎",
    ),
    ("clients", "3"),
    ("clients, filtering", "3fzz"),
    ("clients, tags", "3t"),
    ("profile", "⏎"),
    ("profile, bottom", "⏎G"),
    ("profile, status", "⏎S"),
    ("profile, timeline", "⏎→"),
    ("profile, a whole note", "⏎→⏎"),
    ("profit", "4"),
    ("profit, last", "4G"),
    ("insights", "5"),
    ("insights, scrolled", "5⇟⇟"),
    ("help", "?"),
    ("help, scrolled", "?⇟"),
    ("palette", ":"),
    ("search", "/"),
    ("note prompt", "n"),
    ("snooze", "s"),
    ("next step prompt with a long title", "x"),
];

fn clock() -> Clock {
    Clock::parse(common::NOW).unwrap()
}

/// The three databases, made once for the whole file.
fn datasets() -> &'static [Env; 3] {
    static SETS: OnceLock<[Env; 3]> = OnceLock::new();
    SETS.get_or_init(|| [demo(), Env::new(), hostile()])
}

fn demo() -> Env {
    let env = Env::new();
    let mut store = Store::open(&env.db).unwrap();
    tend::demo::fill(&mut store, &clock()).unwrap();
    env
}

/// Names of 200 characters, CJK, emoji with ZWJ, RTL marks, escape sequences, notes from
/// 2019, amounts in the billions.
fn hostile() -> Env {
    let env = Env::new();
    let long = format!("Bartholomew {} Longname", "Fitzwilliam-".repeat(15));
    let names = [
        long.as_str(),
        "山田太郎 株式会社ヤマダ製菓",
        "👩‍👩‍👧‍👦 Family Bakers 🧁🎂",
        "\u{202E}Mallory\u{202C} \u{200F}RTL",
        "Eve\x1b[2J\x1b]0;pwned\x07",
        "Zoë Müller-Lüdenscheidt",
    ];
    for (i, n) in names.iter().enumerate() {
        let id = format!("#{}", i + 1);
        env.ok(&[
            "add",
            n,
            "--email",
            &format!("p{i}@example.com"),
            "--company",
            &format!("{n} Holdings"),
            "--tag",
            "vip",
            "--tag",
            &format!("tag-{}", "x".repeat(40)),
            "--field",
            &format!("a very long field name indeed {i}=value {}", "é".repeat(80)),
            "--field",
            "note=an imported note\nof several lines\n\n\twith a tab and a gap",
        ]);
        let body = format!("{}\nsecond line\twith a tab", "長い".repeat(60));
        env.ok(&["note", &id, &body, "--at", "2019-03-04"]);
        env.ok(&[
            "note",
            &id,
            "recent",
            "--next",
            "3d ago: chase the 😀 invoice",
        ]);
        // The most one entry can carry, twice; the deals below are in the billions.
        env.ok(&["income", &id, "10,000,000"]);
        env.ok(&["expense", &id, "9,999,999.99"]);
        env.ok(&["time", &id, "150h"]);
    }
    let mut store = Store::open(&env.db).unwrap();
    for (i, stage) in Stage::ALL.iter().enumerate() {
        let d = deals::add(
            &mut store,
            &clock(),
            i as i64 + 1,
            &"Grand ".repeat(30),
            400_000_000_000,
            Stage::New,
        )
        .unwrap();
        if *stage != Stage::New {
            let reason = (*stage == Stage::Lost).then_some("too dear, by a long, long way");
            deals::move_to(&mut store, &clock(), d.deal.id, *stage, reason).unwrap();
        }
    }
    env
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '⏎' => KeyCode::Enter,
            '⎋' => KeyCode::Esc,
            '→' => KeyCode::Right,
            '⇟' => KeyCode::PageDown,
            c => KeyCode::Char(c),
        };
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn app_in(data: usize, state: usize) -> App {
    let env = &datasets()[data];
    let mut app = App::new(Store::open(&env.db).unwrap(), clock()).unwrap();
    app.env.theme = Theme::plain();
    press(&mut app, STATES[state].1);
    app
}

/// Draw at `w`×`h`; panics (fails) if drawing does, or if a selected row is off screen.
fn check(app: &mut App, w: u16, h: u16, what: &str) {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| views::draw(f, app)).unwrap();
    let selection = match &app.popup {
        Some(p) => p.has_selection(),
        None => app.has_selection(),
    };
    if !selection {
        return;
    }
    let buf = term.backend().buffer();
    // The tab bar (row 0) marks the current tab the same way; the status line is the last row.
    let shown = (1..h.saturating_sub(1))
        .any(|y| (0..w).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)));
    assert!(
        shown,
        "{what} at {w}×{h}: the selected row is not on screen"
    );
}

const NAMED: [(u16, u16); 8] = [
    (20, 5),
    (60, 15),
    (79, 24),
    (80, 24),
    (100, 30),
    (250, 80),
    (20, 80),
    (250, 5),
];

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| views::draw(f, app)).unwrap();
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn the_keys_reach_the_states_they_are_named_for() {
    let state = |name: &str| STATES.iter().position(|(n, _)| *n == name).unwrap();
    for data in [0, 2] {
        for (name, expected) in [
            ("pipeline, confirm on a closed deal", "Mark it lost?"),
            ("pipeline, add deal with a bad contact", "nobody at all"),
            ("profile, bottom", "Money and time"),
            ("review summary", "Review ended early"),
            ("insights", "Leads → clients"),
        ] {
            let mut app = app_in(data, state(name));
            let s = screen(&mut app, 100, 30);
            assert!(s.contains(expected), "{name}: {expected:?} not in\n{s}");
        }
        let app = app_in(data, state("profile, a whole note"));
        assert!(app.popup.is_some(), "a note is open");
        let mut app = app_in(data, state("clients, tags"));
        assert!(screen(&mut app, 80, 24).contains("#vip"));
    }
}

#[test]
fn every_view_and_pop_up_draws_at_the_named_sizes() {
    for data in 0..3 {
        for (state, (name, _)) in STATES.iter().enumerate() {
            let mut app = app_in(data, state);
            for (w, h) in NAMED {
                check(&mut app, w, h, name);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(96)
    ))]

    #[test]
    fn any_view_at_any_size_even_while_resizing(
        data in 0..3usize,
        state in 0..STATES.len(),
        sizes in prop::collection::vec((20u16..=250, 5u16..=80), 1..5),
    ) {
        let mut app = app_in(data, state);
        for (w, h) in sizes {
            check(&mut app, w, h, STATES[state].0);
        }
    }
}
