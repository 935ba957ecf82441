//! The full-screen app: `tend` at a terminal. The event loop lives here; the app state and
//! what keys do are in `app`, the drawing in `views`.

pub mod app;
pub mod input;
pub mod keymap;
pub mod state;
pub mod theme;
pub mod views;

use std::io::IsTerminal;
use std::time::Duration;

use crossterm::event::{self, Event};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;
use app::{App, EditorRequest};

/// How often the app looks for changes made by other processes.
const TICK: Duration = Duration::from_millis(500);
/// How often it looks for figures being worked out in the background.
const BUSY_TICK: Duration = Duration::from_millis(10);

/// Where the app starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Today,
    Review,
}

/// True when stdin and stdout are both a terminal.
pub fn is_interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

pub fn run(store: Store, clock: Clock, start: Start, demo: bool) -> Result<()> {
    if !is_interactive() {
        return Err(Error::invalid_with_hint(
            "the full-screen view needs a terminal",
            "run it in a terminal, or use `tend today` for a plain agenda",
        ));
    }
    let mut app = App::new(store, clock)?;
    app.demo = demo;
    app.background = true;
    if let Some(risk) = crate::config::sync_risk(app.store.path()) {
        app.status = Some((
            format!(
                "{risk}: it can be corrupted there; {}",
                crate::config::SYNC_ADVICE
            ),
            true,
        ));
    }
    if start == Start::Review {
        app.handle_key(event::KeyEvent::new(
            event::KeyCode::Char('r'),
            event::KeyModifiers::NONE,
        ));
    }
    // ratatui::init installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut app);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<()> {
    while !app.quit {
        terminal.draw(|f| views::draw(f, app))?;
        // While figures are being worked out, look for them often; otherwise wait for keys.
        let wait = if app.busy() { BUSY_TICK } else { TICK };
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) => app.handle_key(key),
                Event::Resize(_, _) => {}
                _ => {}
            }
        } else if !app.busy()
            && let Err(e) = app.tick()
        {
            app.status = Some((e.to_string(), true));
        }
        app.collect();
        if let Some(req) = app.editor.take() {
            ratatui::restore();
            let text = edit(&req);
            *terminal = ratatui::init();
            app.editor_done(req, text);
        }
    }
    Ok(())
}

/// Edit `req.text` in $VISUAL / $EDITOR (vi when neither is set).
fn edit(req: &EditorRequest) -> Option<String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    let mut file = tempfile::Builder::new()
        .prefix("tend-note-")
        .suffix(".md")
        .tempfile()
        .ok()?;
    std::io::Write::write_all(&mut file, req.text.as_bytes()).ok()?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("tend")
        .arg(file.path())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    std::fs::read_to_string(file.path()).ok()
}
