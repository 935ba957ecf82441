//! Text to read in a pop-up: the keys (`?`) or a whole note. It scrolls; nothing is cut off.

use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::model::text::{block as text_block, one_line};
use crate::tui::context::Ui;
use crate::tui::effect::Effect;
use crate::tui::keymap::Binding;
use crate::tui::widgets::{Scroll, centered, popup, scroll_text};

#[derive(Debug, Clone, PartialEq)]
enum Content {
    Help {
        view: &'static [Binding],
        global: &'static [Binding],
    },
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reader {
    title: String,
    content: Content,
    pub scroll: Scroll,
}

impl Reader {
    pub fn help(view: &'static [Binding], global: &'static [Binding]) -> Reader {
        Reader {
            title: "Keys".into(),
            content: Content::Help { view, global },
            scroll: Scroll::default(),
        }
    }

    pub fn text(title: String, body: &str) -> Reader {
        Reader {
            title,
            content: Content::Text(text_block(body)),
            scroll: Scroll::default(),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.scroll.by(1),
            KeyCode::Up | KeyCode::Char('k') => self.scroll.by(-1),
            KeyCode::PageDown => self.scroll.page(true),
            KeyCode::PageUp => self.scroll.page(false),
            KeyCode::Home | KeyCode::Char('g') => self.scroll.top(),
            KeyCode::End | KeyCode::Char('G') => self.scroll.bottom(),
            _ => return Some(Effect::None),
        }
        None
    }

    pub fn mouse(&mut self, m: MouseEvent) -> Option<Effect> {
        match m.kind {
            MouseEventKind::ScrollDown => self.scroll.by(3),
            MouseEventKind::ScrollUp => self.scroll.by(-3),
            _ => {}
        }
        None
    }

    fn lines(&self, ui: &Ui) -> Vec<Line<'static>> {
        let t = ui.theme;
        match &self.content {
            Content::Text(body) => body.lines().map(|l| Line::raw(l.to_string())).collect(),
            Content::Help { view, global } => {
                let mut lines = Vec::new();
                for (title, table) in [("This view", *view), ("Everywhere", *global)] {
                    if table.is_empty() {
                        continue;
                    }
                    lines.push(Line::from(Span::styled(title, t.heading())));
                    for b in table {
                        lines.push(Line::from(vec![
                            Span::styled(format!("  {:<8}", b.label), t.key()),
                            Span::raw(b.help),
                        ]));
                    }
                    lines.push(Line::raw(""));
                }
                lines.push(Line::from(Span::styled(
                    "Typing: ←/→ Home/End, Ctrl-W word, Ctrl-U line, Ctrl-O $EDITOR (notes). Mouse: wheel scrolls, click selects.",
                    t.dim(),
                )));
                lines.push(Line::from(Span::styled(
                    "↑/↓ PgUp/PgDn scroll this list · any other key closes it.",
                    t.dim(),
                )));
                lines
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, body: Rect, ui: &Ui) {
        let lines = self.lines(ui);
        let (w, h) = match self.content {
            Content::Help { .. } => (72, lines.len() as u16 + 2),
            Content::Text(_) => (100, body.height.saturating_sub(2)),
        };
        let area = centered(body, w.min(body.width.saturating_sub(2).max(1)), h.max(3));
        let inner = popup(frame, area, &one_line(&self.title), ui.theme);
        scroll_text(frame, inner, lines, &mut self.scroll);
    }
}
