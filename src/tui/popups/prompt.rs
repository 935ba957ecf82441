//! A text prompt: a title and a hint that wrap, one line of input that scrolls sideways, and
//! the last error, so a mistake is fixed in place rather than typed again.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::model::text::one_line;
use crate::tui::context::Ui;
use crate::tui::effect::{Ask, Effect};
use crate::tui::input::TextInput;
use crate::tui::widgets::{centered, cut, popup};

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub ask: Ask,
    pub title: String,
    pub hint: String,
    pub input: TextInput,
    /// Why the last answer was refused.
    pub error: Option<String>,
    /// What Esc does (nothing, or move the review on).
    pub on_cancel: Effect,
}

impl Prompt {
    pub fn new(ask: Ask, title: String, hint: String, value: &str) -> Prompt {
        Prompt {
            ask,
            title,
            hint,
            input: TextInput::with_value(value),
            error: None,
            on_cancel: Effect::None,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => Some(self.on_cancel.clone()),
            KeyCode::Enter => Some(Effect::Answer(
                self.ask.clone(),
                self.input.value().to_string(),
            )),
            KeyCode::Char('o') if ctrl && matches!(self.ask, Ask::Note { .. }) => Some(
                Effect::Editor(self.ask.clone(), self.input.value().to_string()),
            ),
            _ => {
                if self.input.handle(key) {
                    self.error = None;
                }
                None
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, body: Rect, ui: &Ui) {
        let t = ui.theme;
        let width = body.width.saturating_sub(4).clamp(body.width.min(20), 90);
        let inner_w = width.saturating_sub(2).max(1);
        let wrapped = |s: &str| {
            Paragraph::new(s.to_string())
                .wrap(Wrap { trim: false })
                .line_count(inner_w)
        };
        let title_h = wrapped(&self.title);
        // An error takes the hint's place (it says what to do itself).
        let below = 1 + match &self.error {
            Some(e) => wrapped(e),
            None => wrapped(&self.hint),
        };
        let height = (title_h + 1 + below + 2).min(u16::MAX as usize) as u16;
        let area = centered(body, width, height);
        let inner = popup(frame, area, "", t);
        let (shown, col) = self.input.visible(inner.width.saturating_sub(3) as usize);
        let mut lines = vec![Line::from(Span::styled(one_line(&self.title), t.heading()))];
        lines.push(Line::from(vec![
            Span::styled("> ", t.key()),
            Span::raw(cut(&shown, inner.width.saturating_sub(2) as usize)),
        ]));
        lines.push(Line::raw(""));
        lines.push(match &self.error {
            Some(e) => Line::from(Span::styled(one_line(e), t.error())),
            None => Line::from(Span::styled(self.hint.clone(), t.dim())),
        });
        // Keep the input line on screen when the pop-up is shorter than its text.
        let input_row = title_h;
        let skip = (input_row + 1).saturating_sub(inner.height as usize);
        let skip = u16::try_from(skip).unwrap_or(u16::MAX);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((skip, 0)),
            inner,
        );
        let row = (input_row as u16).saturating_sub(skip);
        let x = inner.x + 2 + col as u16;
        if inner.height > row && x < inner.right() {
            frame.set_cursor_position((x, inner.y + row));
        }
    }
}
