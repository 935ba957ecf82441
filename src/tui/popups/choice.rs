//! A choice: a titled list of options, each with a letter and the effect it has. The list
//! scrolls, so a long one (every tag in use) keeps its selection on screen.

use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::model::text::one_line;
use crate::tui::context::Ui;
use crate::tui::effect::Effect;
use crate::tui::widgets::{centered, popup, row_at};

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub title: String,
    pub options: Vec<(char, String, Effect)>,
    pub list: ListState,
    area: Rect,
}

impl Choice {
    pub fn new(title: &str, options: Vec<(char, String, Effect)>) -> Choice {
        Choice {
            title: title.to_string(),
            options,
            list: ListState::default().with_selected(Some(0)),
            area: Rect::default(),
        }
    }

    fn chosen(&self, i: usize) -> Option<Effect> {
        self.options.get(i).map(|(_, _, e)| e.clone())
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match key.code {
            KeyCode::Esc => Some(Effect::None),
            KeyCode::Down | KeyCode::Char('j') => {
                self.list.select_next();
                self.clamp();
                None
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.list.select_previous();
                None
            }
            KeyCode::Enter => self.chosen(self.list.selected().unwrap_or(0)),
            KeyCode::Char(ch) if ch != ' ' => {
                let i = self.options.iter().position(|(k, _, _)| *k == ch)?;
                self.chosen(i)
            }
            _ => None,
        }
    }

    fn clamp(&mut self) {
        let last = self.options.len().saturating_sub(1);
        if self.list.selected().is_some_and(|s| s > last) {
            self.list.select(Some(last));
        }
    }

    pub fn mouse(&mut self, m: MouseEvent) -> Option<Effect> {
        match m.kind {
            MouseEventKind::ScrollDown => {
                self.list.select_next();
                self.clamp();
                None
            }
            MouseEventKind::ScrollUp => {
                self.list.select_previous();
                None
            }
            MouseEventKind::Down(_) => {
                let i = row_at(self.area, self.list.offset(), m.column, m.row)?;
                self.chosen(i)
            }
            _ => None,
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, body: Rect, ui: &Ui) {
        let t = ui.theme;
        let widest = self
            .options
            .iter()
            .map(|(_, l, _)| l.width())
            .chain([self.title.width()])
            .max()
            .unwrap_or(0);
        let w = (widest.saturating_add(8)).clamp(30, 80) as u16;
        let w = w.min(body.width);
        // A title too long for the border is written inside, wrapped, above the options.
        let title = Paragraph::new(one_line(&self.title)).wrap(Wrap { trim: false });
        let inside = if self.title.width() + 4 > w as usize {
            title.line_count(w.saturating_sub(2).max(1))
        } else {
            0
        };
        // At least four lines, so it has a whole frame.
        let h = (self.options.len() + inside + 2).clamp(4, u16::MAX as usize) as u16;
        let area = centered(body, w, h);
        let inner = popup(frame, area, if inside > 0 { "" } else { &self.title }, t);
        // The options keep at least a line, however short the terminal.
        let title_h = (inside.min(u16::MAX as usize) as u16).min(inner.height.saturating_sub(1));
        let [title_area, list_area] =
            Layout::vertical([Constraint::Length(title_h), Constraint::Min(0)]).areas(inner);
        if inside > 0 {
            frame.render_widget(title.style(t.heading()), title_area);
        }
        let inner = list_area;
        self.area = inner;
        let items: Vec<ListItem> = self
            .options
            .iter()
            .map(|(k, label, _)| {
                ListItem::new(Line::from(vec![
                    Span::styled(format!(" {k} "), t.key()),
                    Span::raw(one_line(label)),
                ]))
            })
            .collect();
        frame.render_stateful_widget(
            List::new(items).highlight_style(t.selected()),
            inner,
            &mut self.list,
        );
    }
}
