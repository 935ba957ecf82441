//! `tend dev seed`: synthetic data at the design scale, for benchmarks; `tend dev tour`: the
//! app driven through every view on an off-screen terminal, timed, with its peak memory
//! (hidden commands).

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::{Error, Result};
use crate::seed::{self, Scale};
use crate::store::{Store, contacts};

#[derive(Debug, Args)]
pub struct DevArgs {
    #[command(subcommand)]
    pub command: DevCommand,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Fill an empty database with synthetic data (default: the design scale)
    Seed {
        #[arg(long, default_value_t = Scale::DESIGN.contacts)]
        contacts: usize,
        #[arg(long, default_value_t = Scale::DESIGN.notes)]
        notes: usize,
        #[arg(long, default_value_t = Scale::DESIGN.follow_ups)]
        follow_ups: usize,
        #[arg(long, default_value_t = Scale::DESIGN.deals)]
        deals: usize,
        #[arg(long, default_value_t = Scale::DESIGN.entries)]
        entries: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Open the app off-screen (120x40) and walk every tab, a profile, a review and a search:
    /// the first frame, the slowest keystroke of each step, and the peak memory
    Tour,
}

pub fn run(a: DevArgs, ctx: &mut Ctx) -> Result<String> {
    match a.command {
        DevCommand::Tour => tour(ctx),
        DevCommand::Seed {
            contacts: n,
            notes,
            follow_ups,
            deals,
            entries,
            seed: s,
        } => {
            if contacts::count(ctx.store.conn())? > 0 {
                return Err(Error::invalid_with_hint(
                    format!(
                        "{} already has contacts; seeding is for an empty database",
                        ctx.store.path().display()
                    ),
                    "use --db with a new file",
                ));
            }
            let scale = Scale {
                contacts: n,
                notes,
                follow_ups,
                deals,
                entries,
            };
            seed::seed(&mut ctx.store, &ctx.clock, scale, s)?;
            Ok(format!(
                "Seeded {n} contacts, {notes} notes, {follow_ups} follow-ups, {deals} deals, {entries} entries.\n"
            ))
        }
    }
}

/// Each step of the tour: what it does and its keys.
const TOUR: &[(&str, &str)] = &[
    ("Today: move down", "jjj"),
    ("Pipeline", "2jj"),
    ("Clients", "3jj"),
    ("Clients: filter as you type", "fal"),
    ("Clients: clear the filter", "\u{1b}"),
    ("open a profile and back", "\r\u{1b}"),
    ("Profit", "4jj"),
    ("Insights", "5"),
    ("review three cards", "r   \u{1b}"),
    ("search for a name", "/al"),
    ("search: close", "\u{1b}"),
    ("back to Today", "1"),
];

fn tour(ctx: &mut Ctx) -> Result<String> {
    use std::time::{Duration, Instant};

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::tui::{app::App, views};

    let key = |c: char| {
        let code = match c {
            '\u{1b}' => KeyCode::Esc,
            '\r' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        KeyEvent::new(code, KeyModifiers::NONE)
    };
    // An off-screen terminal cannot fail to draw.
    let io = |e: std::convert::Infallible| -> Error { match e {} };
    let mut term = Terminal::new(TestBackend::new(120, 40)).map_err(io)?;
    let start = Instant::now();
    let mut app = App::new(Store::open(ctx.store.path())?, ctx.clock)?;
    app.background = true;
    term.draw(|f| views::draw(f, &mut app)).map_err(io)?;
    let mut out = format!(
        "{:<32} {:>8.1} ms\n",
        "first frame",
        start.elapsed().as_secs_f64() * 1e3
    );
    let mut slowest_of_all = Duration::ZERO;
    for (what, keys) in TOUR {
        let mut slowest = Duration::ZERO;
        for c in keys.chars() {
            let t = Instant::now();
            app.handle_key(key(c));
            term.draw(|f| views::draw(f, &mut app)).map_err(io)?;
            slowest = slowest.max(t.elapsed());
        }
        // Figures worked out in the background arrive later, as they would on screen.
        let t = Instant::now();
        while app.busy() {
            std::thread::sleep(Duration::from_millis(1));
            if app.collect() {
                term.draw(|f| views::draw(f, &mut app)).map_err(io)?;
            }
        }
        let settled = t.elapsed();
        slowest_of_all = slowest_of_all.max(slowest);
        out.push_str(&format!(
            "{what:<32} {:>8.1} ms slowest key, {:>7} peak{}\n",
            slowest.as_secs_f64() * 1e3,
            peak_memory().unwrap_or_default(),
            if settled > Duration::from_millis(1) {
                format!(", figures {:.0} ms later", settled.as_secs_f64() * 1e3)
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&format!(
        "{:<32} {:>8.1} ms\n{:<32} {:>8}\n",
        "slowest key of all",
        slowest_of_all.as_secs_f64() * 1e3,
        "peak memory (VmHWM)",
        peak_memory().unwrap_or_else(|| "unknown".into())
    ));
    Ok(out)
}

/// The process's peak resident memory, as Linux counts it.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{} MB", kb / 1024))
}
