//! The daily review: one card at a time, then a summary.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::model::followup::{Urgency, urgency};
use crate::model::text::{one_line, truncate};
use crate::tui::app::App;
use crate::tui::state::{Card, ReviewItem, ReviewState};
use crate::when;

pub fn draw(frame: &mut Frame, app: &App, r: &ReviewState, area: Rect) {
    let t = app.theme;
    if let Some(without) = &r.summary {
        return summary(frame, app, r, without, area);
    }
    let today = app.clock.today();
    let title = format!(" Review · {} of {} ", r.pos + 1, r.items.len());
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title, t.title()));
    let mut lines = Vec::new();
    if let (Some(item), Some(card)) = (r.current(), &r.card) {
        lines.push(Line::from(Span::styled(
            one_line(&card.contact.name),
            t.title(),
        )));
        match item {
            ReviewItem::FollowUp(f) => {
                let (label, style) = match urgency(f.due_date, today) {
                    Urgency::Overdue => (
                        format!("Overdue, {}", when::relative_phrase(f.due_date, today)),
                        t.overdue(),
                    ),
                    _ => ("Due today".to_string(), t.today()),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{label}: "), style),
                    Span::styled(one_line(&f.text), t.heading()),
                ]));
                lines.push(Line::raw(""));
            }
            ReviewItem::NoNextStep(_) => {
                lines.push(Line::from(Span::styled(
                    "No next step. What should happen next, and when? (x)",
                    t.overdue(),
                )));
                lines.push(Line::raw(""));
            }
        }
        if r.handled[r.pos] {
            lines.push(Line::from(Span::styled("✓ handled", t.good())));
        }
        lines.extend(card_lines(card, app));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The body of a contact card: checklist step, other open follow-ups, last notes, likes.
pub fn card_lines(card: &Card, app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
    let today = app.clock.today();
    let c = &card.contact;
    let mut about = vec![c.status.to_string()];
    about.extend(c.company.iter().map(|co| one_line(co)));
    about.extend(c.email.iter().map(|e| one_line(e)));
    let mut lines = vec![Line::from(Span::styled(about.join(" · "), t.dim()))];
    if let Some(step) = &card.checklist {
        lines.push(Line::from(vec![
            Span::styled("Checklist  ", t.dim()),
            Span::raw(one_line(step)),
        ]));
    }
    for (k, v) in &card.contact.fields {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10} ", truncate(k, 10)), t.dim()),
            Span::raw(one_line(v)),
        ]));
    }
    if let Some(p) = &card.contact.phone {
        lines.push(Line::from(vec![
            Span::styled("phone      ", t.dim()),
            Span::raw(one_line(p)),
        ]));
    }
    if !card.open.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled("Open follow-ups", t.heading())));
        for f in &card.open {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<16}", when::describe(f.due_date, today)),
                    t.dim(),
                ),
                Span::raw(one_line(&f.text)),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled("Last notes", t.heading())));
    if card.notes.is_empty() {
        lines.push(Line::from(Span::styled("  none yet", t.dim())));
    }
    for n in &card.notes {
        let date = crate::clock::local(&n.at, app.clock.offset())
            .map(|d| when::describe(d.date_naive(), today))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("  {date:<11}{:<8}", n.kind.as_str()), t.dim()),
            Span::raw(one_line(&n.body)),
        ]));
    }
    lines
}

fn summary(frame: &mut Frame, app: &App, r: &ReviewState, without: &[String], area: Rect) {
    let t = app.theme;
    let s = &r.stats;
    let mut lines = vec![
        Line::from(Span::styled(
            if r.items.is_empty() {
                "Nothing to review today."
            } else {
                "Review done."
            },
            t.title(),
        )),
        Line::raw(""),
        Line::raw(format!(
            "  {} done, {} snoozed, {} notes, {} new next steps",
            s.done, s.snoozed, s.notes, s.new_next_steps
        )),
        Line::raw(format!(
            "  {} of {} cards handled",
            r.handled.iter().filter(|h| **h).count(),
            r.items.len()
        )),
        Line::raw(""),
    ];
    if without.is_empty() {
        lines.push(Line::from(Span::styled(
            "Everyone you saw has a next step.",
            t.good(),
        )));
    } else {
        lines.push(Line::from(Span::styled(
            format!("Still without a next step ({}):", without.len()),
            t.overdue(),
        )));
        for name in without.iter().take(area.height.saturating_sub(9) as usize) {
            lines.push(Line::raw(format!("  {}", one_line(name))));
        }
    }
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Review summary ", t.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
