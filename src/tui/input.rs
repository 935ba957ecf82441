//! A one-line text input with the usual editing keys: arrows, Home/End, Backspace/Delete,
//! Ctrl-A/E (start/end), Ctrl-U (clear to start), Ctrl-K (clear to end), Ctrl-W (word back).
//! The cursor counts characters; drawing uses display width, so wide characters line up.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl TextInput {
    pub fn with_value(value: &str) -> TextInput {
        TextInput {
            value: value.to_string(),
            cursor: value.chars().count(),
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    /// Apply an editing key. Returns false for keys it does not edit with (Enter, Esc, ...).
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.value.chars().count();
        match key.code {
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = len,
            KeyCode::Char('u') if ctrl => {
                let b = self.byte_at(self.cursor);
                self.value.drain(..b);
                self.cursor = 0;
            }
            KeyCode::Char('k') if ctrl => {
                let b = self.byte_at(self.cursor);
                self.value.truncate(b);
            }
            KeyCode::Char('w') if ctrl => {
                let chars: Vec<char> = self.value.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
                self.value.drain(a..b);
                self.cursor = start;
            }
            KeyCode::Char(c) if !ctrl => {
                let b = self.byte_at(self.cursor);
                self.value.insert(b, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let b = self.byte_at(self.cursor - 1);
                self.value.remove(b);
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < len => {
                let b = self.byte_at(self.cursor);
                self.value.remove(b);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// The part of the value to show in `width` columns, and the cursor's column in it.
    pub fn visible(&self, width: usize) -> (String, usize) {
        let mut start = 0;
        let chars: Vec<char> = self.value.chars().collect();
        // Scroll so the cursor stays in view.
        while UnicodeWidthStr::width(
            chars[start..self.cursor]
                .iter()
                .collect::<String>()
                .as_str(),
        ) >= width.max(1)
            && start < self.cursor
        {
            start += 1;
        }
        let shown: String = chars[start..].iter().collect();
        let col = UnicodeWidthStr::width(
            chars[start..self.cursor]
                .iter()
                .collect::<String>()
                .as_str(),
        );
        (shown, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::default();
        for c in s.chars() {
            t.handle(key(KeyCode::Char(c)));
        }
        t
    }

    #[test]
    fn typing_and_moving_edits_in_place() {
        let mut t = typed("helo");
        t.handle(key(KeyCode::Left));
        t.handle(key(KeyCode::Char('l')));
        assert_eq!(t.value(), "hello");
        t.handle(key(KeyCode::Home));
        t.handle(key(KeyCode::Delete));
        assert_eq!(t.value(), "ello");
        t.handle(key(KeyCode::End));
        t.handle(key(KeyCode::Backspace));
        assert_eq!(t.value(), "ell");
    }

    #[test]
    fn control_keys_cut_words_and_lines() {
        let mut t = typed("send the quote");
        t.handle(ctrl('w'));
        assert_eq!(t.value(), "send the ");
        t.handle(ctrl('a'));
        t.handle(ctrl('k'));
        assert_eq!(t.value(), "");
        let mut t = typed("fri: call");
        t.handle(ctrl('u'));
        assert_eq!(t.value(), "");
    }

    #[test]
    fn wide_characters_keep_the_cursor_column_right() {
        let t = typed("日本ab");
        assert_eq!(t.visible(20), ("日本ab".to_string(), 6));
        let (shown, col) = typed("a long line that scrolls").visible(10);
        assert!(col < 10 && shown.ends_with("scrolls"));
        assert!(!TextInput::default().handle(key(KeyCode::Enter)));
    }
}
