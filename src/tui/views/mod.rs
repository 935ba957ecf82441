//! Drawing the frame: the tab bar, the view that has the keys, the status line (only keys that
//! do something now, or the pop-up's), and the pop-up. Each view draws itself from its state.

pub mod card;
pub mod clients;
pub mod insights;
pub mod pipeline;
pub mod profile;
pub mod profit;
pub mod review;
pub mod today;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::effect::Tab;
use super::keymap::{self, Action, Binding, Context};
use crate::model::text::one_line;

/// Below this the app says how big it needs to be instead of drawing.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "tend needs at least {MIN_WIDTH}×{MIN_HEIGHT} (this is {}×{}): make the window bigger, or q quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let status_h = status_height(app, area);
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(status_h),
    ])
    .areas(area);
    draw_tabs(frame, app, top);
    let env = &app.env;
    let ui = env.ui();
    match app.context() {
        Context::Profile => {
            if let Some(p) = &mut app.profile {
                p.draw(frame, body, &ui);
            }
        }
        _ if app.review.is_some() => {
            if let Some(r) = &mut app.review {
                r.draw(frame, body, &ui);
            }
        }
        _ => match app.tab {
            Tab::Today => app.today.draw(frame, body, &ui),
            Tab::Clients => app.clients.draw(frame, body, &ui),
            Tab::Pipeline => app.pipeline.draw(frame, body, &ui),
            Tab::Profit => app.profit.draw(frame, body, &ui),
            Tab::Insights => app.insights.draw(frame, body, &ui),
        },
    }
    draw_status(frame, app, bottom);
    if let Some(p) = &mut app.popup {
        p.draw(frame, body, &ui);
    }
}

fn draw_tabs(frame: &mut Frame, app: &mut App, area: Rect) {
    let t = app.env.theme;
    let mut spans = vec![Span::styled(" tend ", t.title())];
    if app.demo {
        spans.push(Span::styled("DEMO ", t.today()));
    }
    let on_tab = app.profile.is_none() && app.review.is_none();
    // Whole names when they fit, numbers and the current one's name when not.
    let full: usize = Tab::ALL.iter().map(|tab| tab.title().len() + 4).sum();
    let room = (area.width as usize).saturating_sub(spans.iter().map(|s| s.width()).sum());
    app.tab_spans.clear();
    let mut x: usize = spans.iter().map(|s| s.width()).sum();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let current = *tab == app.tab;
        let label = if current || full + 11 <= room {
            format!(" {} {} ", i + 1, tab.title())
        } else {
            format!(" {} ", i + 1)
        };
        let style = if current && on_tab {
            t.selected()
        } else {
            t.dim()
        };
        let w = label.width();
        app.tab_spans.push((x as u16, (x + w) as u16, *tab));
        x += w;
        spans.push(Span::styled(label, style));
    }
    let date = app.env.today().format("%a %-d %b ").to_string();
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if used + date.len() <= area.width as usize {
        spans.push(Span::raw(
            " ".repeat(area.width as usize - used - date.len()),
        ));
        spans.push(Span::styled(date, t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys that do something now, as many as fit: the view's in their order, then find;
/// help and the way out (quit, or end and back) are always kept.
fn key_hints(app: &App, width: usize) -> Line<'static> {
    let t = app.env.theme;
    let ctx = app.context();
    let view: Vec<&Binding> = app
        .bindings()
        .into_iter()
        .filter(|(b, applies)| b.status && *applies)
        .map(|(b, _)| b)
        .collect();
    let globals = keymap::GLOBAL
        .iter()
        .filter(|b| b.status && !(ctx == Context::Review && b.action == Action::Quit));
    let (kept, rest): (Vec<&Binding>, Vec<&Binding>) = view
        .into_iter()
        .chain(globals)
        .partition(|b| matches!(b.action, Action::Help | Action::Quit | Action::Back));
    let cost = |b: &Binding| b.label.width() + b.short().width() + 3;
    let mut room = width.saturating_sub(1 + kept.iter().map(|b| cost(b)).sum::<usize>());
    let mut shown: Vec<&Binding> = Vec::new();
    for b in rest {
        if cost(b) <= room {
            room -= cost(b);
            shown.push(b);
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for b in shown.into_iter().chain(kept) {
        spans.push(Span::styled(b.label, t.key()));
        spans.push(Span::styled(format!(" {}  ", b.short()), t.dim()));
    }
    Line::from(spans)
}

/// A message that does not fit on one line gets more (up to a third of the screen), so it is
/// read whole rather than cut.
fn status_height(app: &App, area: Rect) -> u16 {
    let Some((msg, _)) = &app.status else {
        return 1;
    };
    let needed = Paragraph::new(format!(" {}", one_line(msg)))
        .wrap(Wrap { trim: false })
        .line_count(area.width);
    (needed as u16).clamp(1, (area.height / 3).max(1))
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.env.theme;
    if let Some((msg, error)) = &app.status {
        let style = if *error { t.error() } else { t.good() };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {}", one_line(msg)), style))
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let hint = |s: &str| Line::from(Span::styled(format!(" {s}"), t.dim()));
    let line = if let Some(p) = &app.popup {
        hint(p.hints())
    } else if app.profile.is_none() && app.review.as_ref().is_some_and(|r| r.is_over()) {
        hint("↑/↓ scroll · any other key: back to Today")
    } else if app.context() == Context::Clients && app.clients.filtering {
        hint("type to filter · Enter keep · Esc clear")
    } else {
        key_hints(app, area.width as usize)
    };
    frame.render_widget(Paragraph::new(line), area);
}
