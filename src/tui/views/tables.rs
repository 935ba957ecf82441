//! Clients (filtered as you type) and the Profit and Insights placeholders.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::window;
use crate::model::ContactKind;
use crate::model::text::{fit, one_line};
use crate::tui::app::App;
use crate::when;

pub fn clients(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let c = &app.clients;
    let today = app.clock.today();
    let status = c.status.map_or("all".to_string(), |s| s.to_string());
    let tag = c
        .tag
        .as_ref()
        .map_or(String::new(), |t| format!(" · tag: #{t}"));
    let title = format!(
        " Clients · {} of {} · status: {status}{tag} ",
        c.visible.len(),
        c.rows.len()
    );
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [filter_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let (shown, col) = c
        .filter
        .visible(filter_area.width.saturating_sub(10) as usize);
    let filter_line = if c.filtering || !c.filter.value().is_empty() {
        Line::from(vec![Span::styled("filter: ", t.key()), Span::raw(shown)])
    } else {
        Line::from(Span::styled(
            "f filter · S status · t tag · a add · Enter open",
            t.dim(),
        ))
    };
    frame.render_widget(filter_line, filter_area);
    if c.filtering {
        frame.set_cursor_position((filter_area.x + 8 + col as u16, filter_area.y));
    }
    if c.visible.is_empty() {
        let msg = if c.rows.is_empty() {
            "No contacts yet: a adds one."
        } else {
            "Nobody matches."
        };
        frame.render_widget(Span::styled(msg, t.dim()), list_area);
        return;
    }
    let width = list_area.width as usize;
    let name_w = (width / 3).clamp(12, 30);
    let (start, end) = window(c.visible.len(), c.selected, list_area.height as usize);
    let lines: Vec<Line> = c.visible[start..end]
        .iter()
        .enumerate()
        .map(|(i, &row)| {
            let r = &c.rows[row];
            let marker = if r.kind == ContactKind::Company {
                " ▪"
            } else {
                ""
            };
            let name = fit(&format!("{}{marker}", one_line(&r.name)), name_w);
            let next = match r.next_due.as_deref().and_then(|d| d.parse().ok()) {
                Some(d) => Span::styled(format!("next {:<17}", when::describe(d, today)), t.dim()),
                None if r.status.is_active() => {
                    Span::styled(format!("{:<22}", "no next step"), t.overdue())
                }
                None => Span::raw(format!("{:<22}", "")),
            };
            let line = Line::from(vec![
                Span::raw(format!(" {name}")),
                Span::styled(format!("{:<10}", r.status.as_str()), t.dim()),
                next,
                Span::styled(
                    one_line(
                        &r.tags
                            .iter()
                            .map(|t| format!("#{t}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    t.dim(),
                ),
            ]);
            if start + i == c.selected {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
}
