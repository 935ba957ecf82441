//! Driving the app in tests: open it on a test database with the fixed clock, press keys,
//! and read the screen of ratatui's TestBackend as text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tend::clock::Clock;
use tend::store::Store;
use tend::tui::app::App;
use tend::tui::views;

use super::Env;

pub fn app(env: &Env) -> App {
    // Make sure the database exists even when no command has run yet.
    let store = Store::open(&env.db).unwrap();
    App::new(store, Clock::parse(super::NOW).unwrap()).unwrap()
}

pub fn screen_at(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| views::draw(f, app)).unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            // A wide character fills two cells; the second one is not a character of its own.
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

pub fn screen(app: &mut App) -> String {
    screen_at(app, 120, 32)
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

pub fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Type a line into the open prompt and press Enter.
pub fn answer(app: &mut App, s: &str) {
    keys(app, s);
    key(app, KeyCode::Enter);
}

pub fn assert_shows(screen: &str, expected: &[&str]) {
    for e in expected {
        assert!(screen.contains(e), "expected {e:?} on screen:\n{screen}");
    }
}
