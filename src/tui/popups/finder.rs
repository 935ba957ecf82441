//! Type to narrow a list, pick with Enter: the command palette (`:`) and contact search (`/`).

use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use crate::find;
use crate::model::text::one_line;
use crate::tui::context::Ui;
use crate::tui::effect::{Effect, Tab};
use crate::tui::input::TextInput;
use crate::tui::keymap::Action;
use crate::tui::widgets::{centered, cut, popup, row_at};

/// The contact search lists at most this many matches.
pub const SEARCH_SHOWN: usize = 200;

/// `:` runs any of these by name.
pub const COMMANDS: &[(&str, Action)] = &[
    ("review the day", Action::Review),
    ("add contact", Action::AddContact),
    ("add deal", Action::AddDeal),
    ("add note", Action::Note),
    ("set next step", Action::NextStep),
    ("done", Action::Done),
    ("snooze", Action::Snooze),
    ("find contact", Action::Search),
    ("undo", Action::Undo),
    ("today", Action::Tab(0)),
    ("pipeline", Action::Tab(1)),
    ("clients", Action::Tab(2)),
    ("profit", Action::Tab(3)),
    ("insights", Action::Tab(4)),
    ("help", Action::Help),
    ("quit", Action::Quit),
];

/// Palette entries whose name contains every typed word.
pub fn palette_matches(typed: &str) -> Vec<(&'static str, Action)> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    COMMANDS
        .iter()
        .filter(|(name, _)| words.iter().all(|w| name.contains(w.as_str())))
        .copied()
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Source {
    Commands,
    Contacts(std::sync::Arc<Names>),
    /// Contact search whose names are still being read (in the background).
    Reading,
}

/// Every contact's id and name, and the name as the filter compares it (`find::key`), made
/// once when the search opens.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Names {
    ids: Vec<i64>,
    names: Vec<Box<str>>,
    keys: find::Keys,
}

impl Names {
    /// Read on whichever thread holds `conn`.
    pub fn read(conn: &rusqlite::Connection) -> crate::error::Result<Names> {
        let (ids, names): (Vec<i64>, Vec<Box<str>>) =
            crate::store::contacts::names(conn)?.into_iter().unzip();
        let keys = names.iter().map(|n| &**n).collect();
        Ok(Names { ids, names, keys })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finder {
    source: Source,
    pub input: TextInput,
    /// Indexes into the source of what matches, best first.
    hits: Vec<usize>,
    pub list: ListState,
    area: Rect,
}

impl Finder {
    pub fn palette() -> Finder {
        Finder::new(Source::Commands)
    }

    pub fn contacts(names: std::sync::Arc<Names>) -> Finder {
        Finder::new(Source::Contacts(names))
    }

    /// Contact search that opens at once and fills in when its names arrive (`fill`).
    pub fn contacts_reading() -> Finder {
        Finder::new(Source::Reading)
    }

    /// The names a `contacts_reading` search waited for; what was typed meanwhile counts.
    pub fn fill(&mut self, names: std::sync::Arc<Names>) {
        if self.source == Source::Reading {
            self.source = Source::Contacts(names);
            self.refilter();
        }
    }

    fn new(source: Source) -> Finder {
        let mut f = Finder {
            source,
            input: TextInput::default(),
            hits: Vec::new(),
            list: ListState::default(),
            area: Rect::default(),
        };
        f.refilter();
        f
    }

    fn refilter(&mut self) {
        self.hits = match &self.source {
            Source::Commands => {
                let names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
                palette_matches(self.input.value())
                    .iter()
                    .filter_map(|(n, _)| names.iter().position(|m| m == n))
                    .collect()
            }
            Source::Contacts(names) => {
                let mut hits = find::filter_keys(self.input.value(), &names.keys.all());
                hits.truncate(SEARCH_SHOWN);
                hits
            }
            Source::Reading => Vec::new(),
        };
        self.list.select((!self.hits.is_empty()).then_some(0));
    }

    fn label(&self, i: usize) -> String {
        match &self.source {
            Source::Commands => COMMANDS[i].0.to_string(),
            Source::Contacts(names) => one_line(&names.names[i]),
            Source::Reading => String::new(),
        }
    }

    fn pick(&self, row: usize) -> Option<Effect> {
        let &i = self.hits.get(row)?;
        Some(match &self.source {
            Source::Commands => match COMMANDS[i].1 {
                Action::Tab(n) => Effect::Tab(Tab::ALL[n.min(Tab::ALL.len() - 1)]),
                action => Effect::Global(action),
            },
            Source::Contacts(names) => Effect::Profile(names.ids[i]),
            Source::Reading => return None,
        })
    }

    fn step(&mut self, delta: isize) {
        if let Some(s) = self.list.selected() {
            let last = self.hits.len().saturating_sub(1);
            self.list
                .select(Some(s.saturating_add_signed(delta).min(last)));
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => Some(Effect::None),
            KeyCode::Enter => Some(self.pick(self.list.selected()?).unwrap_or(Effect::None)),
            KeyCode::Down => {
                self.step(1);
                None
            }
            KeyCode::Up => {
                self.step(-1);
                None
            }
            KeyCode::PageDown => {
                self.step(self.area.height.max(1) as isize);
                None
            }
            KeyCode::PageUp => {
                self.step(-(self.area.height.max(1) as isize));
                None
            }
            _ => {
                if self.input.handle(key) {
                    self.refilter();
                }
                None
            }
        }
    }

    pub fn mouse(&mut self, m: MouseEvent) -> Option<Effect> {
        match m.kind {
            MouseEventKind::ScrollDown => self.step(3),
            MouseEventKind::ScrollUp => self.step(-3),
            MouseEventKind::Down(_) => {
                let row = row_at(self.area, self.list.offset(), m.column, m.row)?;
                return self.pick(row);
            }
            _ => {}
        }
        None
    }

    pub fn draw(&mut self, frame: &mut Frame, body: Rect, ui: &Ui) {
        let t = ui.theme;
        let (title, mark, width, rows) = match &self.source {
            Source::Commands => ("Command", ": ", 44, self.hits.len().max(1) as u16),
            Source::Contacts(_) | Source::Reading => ("Find a contact", "/ ", 60, body.height),
        };
        let area = centered(body, width, rows.saturating_add(3));
        let inner = popup(frame, area, title, t);
        let [input_area, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        self.area = list_area;
        let count = match &self.source {
            Source::Commands | Source::Reading => String::new(),
            Source::Contacts(_) if self.hits.len() >= SEARCH_SHOWN => {
                format!("   {SEARCH_SHOWN}+ found")
            }
            Source::Contacts(_) => format!("   {} found", self.hits.len()),
        };
        let room = input_area.width.saturating_sub(2) as usize;
        let (shown, col) = self.input.visible(room.saturating_sub(1));
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(mark, t.key()),
                Span::raw(cut(&shown, room)),
                Span::styled(count, t.dim()),
            ])),
            input_area,
        );
        let x = input_area.x + 2 + col as u16;
        if input_area.height > 0 && x < input_area.right() {
            frame.set_cursor_position((x, input_area.y));
        }
        if self.hits.is_empty() {
            let msg = if self.source == Source::Reading {
                "  Reading the names…"
            } else {
                "  Nothing matches: Backspace to widen"
            };
            let msg = Span::styled(msg, t.dim());
            frame.render_widget(Paragraph::new(msg), list_area);
            return;
        }
        let items: Vec<ListItem> = self
            .hits
            .iter()
            .map(|&i| ListItem::new(format!("  {}", self.label(i))))
            .collect();
        frame.render_stateful_widget(
            List::new(items).highlight_style(t.selected()),
            list_area,
            &mut self.list,
        );
    }
}
