//! Shared drawing pieces: panels that give up their borders when space is short, text that
//! scrolls with a scrollbar, bars that cannot overflow, pop-up frames, and the selection
//! arithmetic of lists whose headings cannot be selected. Nothing here can panic on a small
//! area: every width is worked out with saturating arithmetic.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap,
};

use super::theme::Theme;
use crate::model::text::one_line;

/// Draw a titled panel in `area` and return the space inside it. Borders need room: a short
/// or narrow area gets a title line only, and a one-line area nothing at all.
pub fn panel(frame: &mut Frame, area: Rect, title: &str, style: Style, theme: Theme) -> Rect {
    let mut block = if area.height >= 4 && area.width >= 12 {
        Block::bordered().border_style(style)
    } else if area.height >= 2 {
        Block::new().borders(Borders::TOP).border_style(style)
    } else {
        return area;
    };
    if !title.is_empty() {
        block = block.title(Span::styled(
            format!(" {} ", one_line(title)),
            theme.title(),
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// A pop-up: cleared, framed in the title colour.
pub fn popup(frame: &mut Frame, area: Rect, title: &str, theme: Theme) -> Rect {
    frame.render_widget(Clear, area);
    panel(frame, area, title, theme.title(), theme)
}

/// A rectangle of at most `w`×`h`, centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The start of `s` that fits in `width` columns (wide characters count two).
pub fn cut(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    s.chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect()
}

/// A bar of up to `width` cells for `value` out of `max`; empty when there is no room.
pub fn bar(value: i64, max: i64, width: usize) -> String {
    if max <= 0 || value <= 0 || width == 0 {
        return String::new();
    }
    let share = (value as f64 / max as f64).min(1.0);
    let n = (share * width as f64).round() as usize;
    "█".repeat(n.clamp(1, width))
}

/// Text that scrolls: the offset of its first line, kept within what was drawn last.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
    /// The largest offset the last frame allowed (what overflowed).
    pub max: usize,
    /// Lines shown in the last frame, for paging.
    pub height: usize,
    /// Where it was drawn, for the mouse wheel.
    pub area: Rect,
}

impl Scroll {
    pub fn by(&mut self, delta: isize) {
        let next = self.offset.saturating_add_signed(delta);
        self.offset = next.min(self.max);
    }

    pub fn page(&mut self, down: bool) {
        let step = self.height.saturating_sub(1).max(1) as isize;
        self.by(if down { step } else { -step });
    }

    pub fn top(&mut self) {
        self.offset = 0;
    }

    pub fn bottom(&mut self) {
        self.offset = self.max;
    }

    /// Lines further down that do not show now.
    pub fn more_below(&self) -> bool {
        self.offset < self.max
    }

    pub fn contains(&self, column: u16, row: u16) -> bool {
        self.area.contains(Position::new(column, row))
    }
}

/// Draw `lines` wrapped into `area` from `scroll.offset`, with a scrollbar when they overflow.
pub fn scroll_text(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, scroll: &mut Scroll) {
    scroll.area = area;
    scroll.height = area.height as usize;
    if area.width == 0 || area.height == 0 {
        return;
    }
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let mut text_area = area;
    let mut total = para.line_count(area.width);
    let overflow = total > area.height as usize && area.width > 2;
    if overflow {
        text_area.width -= 1;
        total = para.line_count(text_area.width);
    }
    scroll.max = total.saturating_sub(area.height as usize);
    scroll.offset = scroll.offset.min(scroll.max);
    let offset = u16::try_from(scroll.offset).unwrap_or(u16::MAX);
    frame.render_widget(para.scroll((offset, 0)), text_area);
    if overflow {
        scrollbar(frame, area, total, scroll.offset, area.height as usize);
    }
}

/// A scrollbar on the right edge of `area` for `total` lines seen from `position`.
pub fn scrollbar(frame: &mut Frame, area: Rect, total: usize, position: usize, shown: usize) {
    let mut state = ScrollbarState::new(total.saturating_sub(shown))
        .position(position)
        .viewport_content_length(shown);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None),
        area,
        &mut state,
    );
}

/// Move a selection among `selectable` rows (`None` for headings) by `delta`, or to the first
/// selectable one when nothing is selected. Returns the row to select.
pub fn step_selectable(selectable: &[bool], current: Option<usize>, delta: isize) -> Option<usize> {
    let items: Vec<usize> = (0..selectable.len()).filter(|&i| selectable[i]).collect();
    let last = items.len().checked_sub(1)?;
    let pos = match current {
        Some(c) => match items.binary_search(&c) {
            Ok(p) => (p as isize + delta).clamp(0, last as isize) as usize,
            // Between items (a heading): a step down lands on the next one.
            Err(p) if delta > 0 => (p + delta as usize - 1).min(last),
            Err(p) => p.saturating_sub(delta.unsigned_abs()),
        },
        None => 0,
    };
    Some(items[pos])
}

/// The first or last selectable row.
pub fn end_selectable(selectable: &[bool], last: bool) -> Option<usize> {
    let mut items = (0..selectable.len()).filter(|&i| selectable[i]);
    if last {
        items.next_back()
    } else {
        items.next()
    }
}

/// The list row under a click at `row`, for a list drawn in `area` from `offset` with rows of
/// one line each.
pub fn row_at(area: Rect, offset: usize, column: u16, row: u16) -> Option<usize> {
    area.contains(Position::new(column, row))
        .then(|| offset + (row - area.y) as usize)
}

/// A list's offset after its rows or its room changed: no blank space below the last row (none
/// at all when everything fits). The list widget then keeps the selection in view from there.
pub fn settle(offset: &mut usize, len: usize, height: usize) {
    *offset = (*offset).min(len.saturating_sub(height.max(1)));
}

/// The rows of a long list to build for one frame: `rows` lines from `offset`, moved so that
/// the selection shows. Only these are turned into widgets, so a frame costs what it shows,
/// not what the list holds (10,000 contacts). `offset` keeps the list's place between frames.
pub fn window(
    offset: &mut usize,
    selected: Option<usize>,
    len: usize,
    rows: usize,
) -> std::ops::Range<usize> {
    let rows = rows.max(1);
    settle(offset, len, rows);
    if let Some(s) = selected.filter(|&s| s < len) {
        *offset = keep_in_view(*offset, s, rows);
    }
    *offset..(*offset + rows).min(len)
}

/// A list's offset that keeps `selected` in view in `height` rows, starting from `offset`.
pub fn keep_in_view(offset: usize, selected: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_never_overflow_their_room() {
        assert_eq!(bar(5, 10, 10), "█████");
        assert_eq!(bar(1, 1000, 10), "█", "anything above zero shows");
        assert_eq!(bar(-5, 10, 10), "");
        assert_eq!(bar(5, 10, 0), "", "no room, no bar (this used to panic)");
        assert_eq!(
            bar(50, 10, 4),
            "████",
            "more than the maximum fills the room"
        );
    }

    #[test]
    fn selection_skips_headings() {
        let rows = [false, true, true, false, true];
        assert_eq!(step_selectable(&rows, None, 1), Some(1));
        assert_eq!(step_selectable(&rows, Some(2), 1), Some(4));
        assert_eq!(step_selectable(&rows, Some(4), 1), Some(4));
        assert_eq!(step_selectable(&rows, Some(1), -1), Some(1));
        assert_eq!(step_selectable(&rows, Some(3), 1), Some(4));
        assert_eq!(step_selectable(&rows, Some(3), -1), Some(2));
        assert_eq!(step_selectable(&[false], None, 1), None);
        assert_eq!(end_selectable(&rows, true), Some(4));
    }

    #[test]
    fn a_list_that_fits_starts_at_its_top() {
        let mut offset = 7;
        settle(&mut offset, 5, 10);
        assert_eq!(offset, 0);
        let mut offset = 40;
        settle(&mut offset, 50, 20);
        assert_eq!(offset, 30, "no blank space below the last row");
    }

    #[test]
    fn a_window_holds_the_selection_and_no_more_than_fits() {
        let mut offset = 0;
        assert_eq!(window(&mut offset, Some(50), 10_000, 20), 31..51);
        assert_eq!(
            window(&mut offset, Some(40), 10_000, 20),
            31..51,
            "still in view"
        );
        assert_eq!(window(&mut offset, Some(3), 10_000, 20), 3..23);
        assert_eq!(window(&mut offset, None, 5, 20), 0..5);
        assert_eq!(window(&mut offset, Some(0), 0, 20), 0..0);
    }

    #[test]
    fn the_offset_follows_the_selection() {
        assert_eq!(keep_in_view(0, 3, 10), 0);
        assert_eq!(keep_in_view(0, 12, 10), 3);
        assert_eq!(keep_in_view(5, 2, 10), 2);
        assert_eq!(keep_in_view(0, 0, 0), 0);
    }

    #[test]
    fn scrolling_stays_within_what_overflowed() {
        let mut s = Scroll {
            max: 5,
            height: 4,
            ..Scroll::default()
        };
        s.page(true);
        assert_eq!(s.offset, 3);
        s.by(10);
        assert_eq!(s.offset, 5);
        s.by(-100);
        assert_eq!(s.offset, 0);
    }
}
