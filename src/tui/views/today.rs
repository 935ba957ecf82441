//! Today: overdue, due today, the coming week and "no next step", with the selected
//! contact's card beside it on a wide terminal.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::review::card_lines;
use super::window;
use crate::model::followup::Urgency;
use crate::model::text::{fit, one_line};
use crate::tui::app::App;
use crate::tui::state::Row;
use crate::when;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let state = &app.today;
    if state.contacts_total == 0 {
        return welcome(frame, app, area);
    }
    let (list_area, card_area) = if area.width >= 100 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(area);
        (l, Some(r))
    } else {
        (area, None)
    };
    let t = app.theme;
    let today = app.clock.today();
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Today ", t.title()));
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let width = inner.width as usize;
    let name_w = (width / 4).clamp(10, 24);
    let (start, end) = window(state.rows.len(), state.selected, inner.height as usize);
    let lines: Vec<Line> = state.rows[start..end]
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let selected = start + i == state.selected;
            let line = match row {
                Row::Header(h) => Line::from(Span::styled(h.clone(), t.heading())),
                Row::Empty(msg) => Line::from(Span::styled(msg.clone(), t.good())),
                Row::FollowUp(f, u) => {
                    let mut date = when::describe(f.due_date, today);
                    if let Some(tm) = f.due_time {
                        date.push_str(&tm.format(" %H:%M").to_string());
                    }
                    let style = match u {
                        Urgency::Overdue => t.overdue(),
                        Urgency::Today => t.today(),
                        Urgency::Upcoming => t.dim(),
                    };
                    let late = match u {
                        Urgency::Overdue => {
                            format!("  {}", when::relative_phrase(f.due_date, today))
                        }
                        _ => String::new(),
                    };
                    Line::from(vec![
                        Span::styled(format!("  {date:<16}"), style),
                        Span::raw(format!("{} ", fit(&one_line(&f.contact), name_w))),
                        Span::raw(one_line(&f.text)),
                        Span::styled(late, t.dim()),
                    ])
                }
                Row::Neglected(n) => {
                    let last = match n
                        .last_note_at
                        .as_deref()
                        .and_then(|s| crate::clock::local(s, app.clock.offset()))
                    {
                        Some(at) => format!("last contact {}", when::ago(at.date_naive(), today)),
                        None => "never contacted".into(),
                    };
                    Line::from(vec![
                        Span::styled(format!("  {:<16}", n.status.as_str()), t.dim()),
                        Span::raw(format!("{} ", fit(&one_line(&n.name), name_w))),
                        Span::styled(last, t.dim()),
                    ])
                }
            };
            if selected {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    let (list, hygiene) = match &app.hygiene {
        Some(h) if inner.height > 3 => {
            let [l, f] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
            (l, Some((f, h)))
        }
        _ => (inner, None),
    };
    frame.render_widget(Paragraph::new(lines), list);
    if let Some((f, h)) = hygiene {
        frame.render_widget(
            Line::from(vec![
                Span::styled("Hygiene: ", t.heading()),
                Span::styled(one_line(h), t.dim()),
            ]),
            f,
        );
    }
    if let (Some(card_area), Some(card)) = (card_area, &state.card) {
        let block = Block::bordered()
            .border_style(t.border())
            .title(Span::styled(
                format!(" {} ", one_line(&card.contact.name)),
                t.title(),
            ));
        let inner = block.inner(card_area);
        frame.render_widget(block, card_area);
        frame.render_widget(
            Paragraph::new(card_lines(card, app)).wrap(Wrap { trim: false }),
            inner,
        );
    }
}

fn welcome(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let lines = vec![
        Line::from(Span::styled("Welcome to tend.", t.title())),
        Line::raw(""),
        Line::raw("Nobody here yet. To begin:"),
        Line::from(vec![
            Span::styled("  a ", t.key()),
            Span::raw("add your first contact"),
        ]),
        Line::from(vec![
            Span::styled("  : ", t.key()),
            Span::raw("run any command by name"),
        ]),
        Line::raw(""),
        Line::raw("Or from the shell:"),
        Line::raw("  tend add \"Alice Smith\" --email alice@example.com"),
        Line::raw("  tend note alice \"called, wants a quote\" --next \"fri: send quote\""),
        Line::raw("  tend import vcard contacts.vcf    (or import csv sheet.csv) to bring them in"),
        Line::raw("  tend demo      a throwaway database full of sample clients to try"),
    ];
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Today ", t.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
