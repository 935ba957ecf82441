//! The full-screen app: `tend` at a terminal. This file holds the event loop and the terminal
//! (raw mode, mouse, suspend on Ctrl-Z, SIGTERM and SIGHUP); `app` routes keys to the views,
//! each of which lives in its own module under `views` and `popups`.

pub mod app;
pub mod context;
pub mod effect;
pub mod input;
pub mod jobs;
pub mod keymap;
mod mouse;
pub mod popups;
mod refresh;
pub mod theme;
pub mod views;
pub mod widgets;
pub mod writes;

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;
use app::{App, EditorRequest};

/// How often the app looks for changes made by other processes (and for SIGTERM).
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
    if let Some(risk) = crate::config::sync_risk(app.env.store.path()) {
        let advice = crate::config::SYNC_ADVICE;
        app.status = Some((format!("{risk}: it can be corrupted there; {advice}"), true));
    }
    if start == Start::Review {
        app.apply(effect::Effect::Review)?;
    }
    // A demo's throwaway folder, for the signal watcher to remove if it has to end the app.
    let throwaway = app
        .env
        .store
        .path()
        .parent()
        .filter(|d| {
            demo && d
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(crate::demo::DIR_PREFIX))
        })
        .map(std::path::Path::to_path_buf);
    let stop = watch_signals(throwaway)?;
    let mut terminal = enter();
    let result = event_loop(&mut terminal, &mut app, &stop);
    leave();
    result
}

/// SIGTERM and SIGHUP end the app the way q does, so the terminal is put back and a demo's
/// database removed: the event loop sees the flag within a tick. When the terminal itself has
/// gone (SIGHUP from a closed window), reading it never returns; then, after a grace second,
/// this thread ends the process itself, removing the demo's `throwaway` folder first.
fn watch_signals(throwaway: Option<std::path::PathBuf>) -> Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            flag.store(true, Ordering::Relaxed);
            std::thread::sleep(Duration::from_secs(1));
            leave();
            if let Some(dir) = throwaway {
                let _ = std::fs::remove_dir_all(dir);
            }
            std::process::exit(1);
        }
    });
    Ok(stop)
}

/// Take the terminal: raw mode, the alternate screen (ratatui::init, whose panic hook puts
/// them back), and the mouse, which the panic hook is taught to release too.
fn enter() -> ratatui::DefaultTerminal {
    let terminal = ratatui::init();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    terminal
}

fn leave() {
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
) -> Result<()> {
    while !app.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|f| views::draw(f, app))?;
        // While figures are being worked out, look for them often; otherwise wait for keys.
        let wait = if app.busy() { BUSY_TICK } else { TICK };
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) => app.handle_key(key),
                Event::Mouse(m) => app.mouse(m),
                _ => {}
            }
        } else if !app.busy()
            && let Err(e) = app.tick()
        {
            app.status = Some((e.to_string(), true));
        }
        app.collect();
        if let Some(req) = app.editor.take() {
            leave();
            let text = edit(&req);
            *terminal = enter();
            app.editor_done(req, text);
        }
        if std::mem::take(&mut app.suspend) {
            leave();
            // Stop as Ctrl-Z does outside raw mode; `fg` carries on from here.
            signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
            *terminal = enter();
            terminal.clear()?;
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
