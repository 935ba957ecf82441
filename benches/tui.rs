//! The full-screen app at DESIGN.md's scale: first frame and keystrokes in each view, drawn
//! on ratatui's TestBackend at 120×40 (the terminal's own output is not included).
//!
//! Run: `cargo bench --bench tui`. The figures go in BENCHMARKS.md.
//!
//! `TEND_BENCH_DB=/path/to/book.db cargo bench --bench tui` measures that book instead of a
//! fresh seed (the 10× seed of `tend dev seed`, say). It is opened as it is, migrated if it
//! is older; set `TEND_DAILY_BACKUP=off` so that no backup is taken during the run.

use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tend::clock::Clock;
use tend::seed::{self, Scale};
use tend::store::Store;
use tend::tui::app::App;
use tend::tui::views;

const NOW: &str = "2026-11-23T10:00:00";

fn clock() -> Clock {
    Clock::parse(NOW).unwrap()
}

fn open(db: &Path) -> App {
    App::new(Store::open(db).unwrap(), clock()).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn tui(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let given = std::env::var_os("TEND_BENCH_DB").map(PathBuf::from);
    let db = match &given {
        Some(path) => path.clone(),
        None => {
            let db = dir.path().join("tend.db");
            let mut store = Store::open(&db).unwrap();
            seed::seed(&mut store, &clock(), Scale::DESIGN, 1).unwrap();
            db
        }
    };

    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut g = c.benchmark_group(if given.is_some() {
        "tui on TEND_BENCH_DB"
    } else {
        "tui at design scale"
    });
    g.sample_size(30);

    g.bench_function("first frame (open store, load Today, draw)", |b| {
        b.iter(|| {
            let mut app = open(&db);
            term.draw(|f| views::draw(f, &mut app)).unwrap();
        })
    });

    let mut app = open(&db);
    g.bench_function("Today: move the selection (j) and draw", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('j'));
            term.draw(|f| views::draw(f, &mut app)).unwrap();
        })
    });

    g.bench_function(
        "switch tab to Clients, first time (10,000 rows) and draw",
        |b| {
            b.iter_batched(
                || open(&db),
                |mut app| {
                    press(&mut app, KeyCode::Char('3'));
                    term.draw(|f| views::draw(f, &mut app)).unwrap();
                    app
                },
                BatchSize::LargeInput,
            )
        },
    );

    let mut app = open(&db);
    press(&mut app, KeyCode::Char('3'));
    g.bench_function("switch tabs (views loaded) and draw", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Tab);
            term.draw(|f| views::draw(f, &mut app)).unwrap();
        })
    });

    // As the app runs: the figures are worked out on another thread; this is the key's frame.
    for (label, key) in [("Profit", '4'), ("Insights", '5')] {
        g.bench_function(
            format!("switch tab to {label} (background figures), key to frame"),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = std::time::Duration::ZERO;
                    for _ in 0..iters {
                        let mut app = open(&db);
                        app.background = true;
                        let start = std::time::Instant::now();
                        press(&mut app, KeyCode::Char(key));
                        term.draw(|f| views::draw(f, &mut app)).unwrap();
                        total += start.elapsed();
                        // Let the figures finish outside the timing, so runs do not pile up.
                        while app.busy() {
                            std::thread::sleep(std::time::Duration::from_millis(1));
                            app.collect();
                        }
                    }
                    total
                })
            },
        );
    }

    for (label, key) in [("Profit", '4'), ("Insights", '5')] {
        g.bench_function(
            format!("switch tab to {label}, figures worked out in the key, and draw"),
            |b| {
                b.iter_batched(
                    || open(&db),
                    |mut app| {
                        press(&mut app, KeyCode::Char(key));
                        term.draw(|f| views::draw(f, &mut app)).unwrap();
                        app
                    },
                    BatchSize::LargeInput,
                )
            },
        );
    }

    let mut app = open(&db);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('f'));
    g.bench_function(
        "Clients: type a filter letter (fuzzy over 10,000) and draw",
        |b| {
            b.iter(|| {
                press(&mut app, KeyCode::Char('a'));
                term.draw(|f| views::draw(f, &mut app)).unwrap();
                press(&mut app, KeyCode::Backspace);
            })
        },
    );

    let mut app = open(&db);
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('a'));
    g.bench_function(
        "search: type a letter (fuzzy over 10,000 names) and draw",
        |b| {
            b.iter(|| {
                press(&mut app, KeyCode::Char('l'));
                term.draw(|f| views::draw(f, &mut app)).unwrap();
                press(&mut app, KeyCode::Backspace);
            })
        },
    );

    let mut app = open(&db);
    press(&mut app, KeyCode::Char('2'));
    g.bench_function("Pipeline: move the selection and draw", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('j'));
            term.draw(|f| views::draw(f, &mut app)).unwrap();
        })
    });

    let mut app = open(&db);
    press(&mut app, KeyCode::Char('r'));
    g.bench_function("review: next card (loads the card) and draw", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char(' '));
            term.draw(|f| views::draw(f, &mut app)).unwrap();
        })
    });

    let mut app = open(&db);
    press(&mut app, KeyCode::Char('3'));
    g.bench_function("open a profile (200-note timeline) and draw", |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Enter);
            term.draw(|f| views::draw(f, &mut app)).unwrap();
            press(&mut app, KeyCode::Esc);
        })
    });
    g.finish();
}

criterion_group!(benches, tui);
criterion_main!(benches);
