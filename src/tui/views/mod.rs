//! Drawing: the frame (tabs, body, status line) and the overlays. Views read the app state and
//! draw it; they change nothing.

mod insights;
mod modal;
mod pipeline;
mod profile;
mod review;
mod tables;
mod today;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Tab};
use super::keymap::{self, Context};
use crate::model::text::one_line;

/// The smallest terminal tend draws into.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "tend needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT} (this one is {}×{}). Make it bigger, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, top);
    if let Some(r) = &app.review
        && app.profile.is_none()
    {
        review::draw(frame, app, r, body);
    } else if let Some(p) = &app.profile {
        profile::draw(frame, app, p, body);
    } else {
        match app.tab {
            Tab::Today => today::draw(frame, app, body),
            Tab::Clients => tables::clients(frame, app, body),
            Tab::Pipeline => pipeline::draw(frame, app, body),
            Tab::Profit => insights::profit(frame, app, body),
            Tab::Insights => insights::insights(frame, app, body),
        }
    }
    draw_status(frame, app, bottom);
    if let Some(m) = &app.modal {
        modal::draw(frame, app, m, body);
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let mut spans = vec![Span::styled(" tend ", t.title())];
    if app.demo {
        spans.push(Span::styled("DEMO ", t.today()));
    }
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == app.tab && app.profile.is_none() && app.review.is_none() {
            t.selected()
        } else {
            t.dim()
        };
        spans.push(Span::styled(label, style));
    }
    let date = app.clock.today().format("%a %-d %b ").to_string();
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let pad = (area.width as usize).saturating_sub(used + date.len());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(date, t.dim()));
    frame.render_widget(Line::from(spans), area);
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    if let Some((msg, error)) = &app.status {
        let style = if *error { t.error() } else { t.good() };
        frame.render_widget(
            Line::from(Span::styled(format!(" {}", one_line(msg)), style)),
            area,
        );
        return;
    }
    let ctx = app.context();
    if app.review.as_ref().is_some_and(|r| r.summary.is_some()) && app.profile.is_none() {
        frame.render_widget(
            Line::from(Span::styled(" any key: back to Today", t.dim())),
            area,
        );
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    let extra: &[_] = if ctx == Context::Clients && app.clients.filtering {
        &[]
    } else {
        keymap::table(ctx)
    };
    let globals = keymap::GLOBAL
        .iter()
        .filter(|b| b.status && !(ctx == Context::Review && b.label == "q"));
    for b in extra.iter().filter(|b| b.status).chain(globals) {
        spans.push(Span::styled(b.label, t.key()));
        spans.push(Span::styled(format!(" {}  ", b.short()), t.dim()));
    }
    if ctx == Context::Clients && app.clients.filtering {
        spans = vec![Span::styled(
            " type to filter · Enter keep · Esc clear",
            t.dim(),
        )];
    }
    frame.render_widget(Line::from(spans), area);
}

/// The rows `[start, end)` to draw so that `selected` shows in a list of `len` rows that has
/// `height` lines.
pub fn window(len: usize, selected: usize, height: usize) -> (usize, usize) {
    if len <= height {
        return (0, len);
    }
    let start = selected.saturating_sub(height / 3).min(len - height);
    (start, start + height)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_keeps_the_selection_in_view() {
        assert_eq!(window(5, 4, 10), (0, 5));
        assert_eq!(window(100, 0, 10), (0, 10));
        assert_eq!(window(100, 50, 9), (47, 56));
        assert_eq!(window(100, 99, 10), (90, 100));
    }
}
