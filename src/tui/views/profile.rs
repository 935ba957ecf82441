//! A contact's profile: details, next steps, checklists, deals, money, and the timeline.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::window;
use crate::model::money::format_amount;
use crate::model::text::{one_line, truncate};
use crate::tui::app::App;
use crate::tui::state::ProfileState;
use crate::when;

pub fn draw(frame: &mut Frame, app: &App, p: &ProfileState, area: Rect) {
    let (left, right) = if area.width >= 90 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(area);
        (l, r)
    } else {
        let [l, r] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        (l, r)
    };
    details(frame, app, p, left);
    timeline(frame, app, p, right);
}

fn details(frame: &mut Frame, app: &App, p: &ProfileState, area: Rect) {
    let t = app.theme;
    let today = app.clock.today();
    let c = &p.profile.contact;
    let mut lines = vec![Line::from(vec![
        Span::styled(one_line(&c.name), t.title()),
        Span::styled(format!("  #{}  ", c.id), t.dim()),
        Span::raw(c.status.as_str()),
        Span::styled(if c.archived { "  (archived)" } else { "" }, t.dim()),
    ])];
    let mut field = |label: &str, value: &str| {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<12}", truncate(label, 11)), t.dim()),
            Span::raw(one_line(value)),
        ]))
    };
    for (label, value) in c.details() {
        field(&label, &value);
    }
    if !p.profile.members.is_empty() {
        let names: Vec<&str> = p.profile.members.iter().map(|m| m.name.as_str()).collect();
        field("people", &names.join(", "));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled("Next steps", t.heading())));
    if p.profile.open_follow_ups.is_empty() {
        lines.push(Line::from(Span::styled("  none: x adds one", t.overdue())));
    }
    for f in &p.profile.open_follow_ups {
        let style = if f.due_date < today {
            t.overdue()
        } else {
            t.dim()
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:<16}", when::describe(f.due_date, today)),
                style,
            ),
            Span::raw(one_line(&f.text)),
        ]));
    }
    if !p.checklists.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled("Checklists", t.heading())));
        for k in &p.checklists {
            let next = k
                .next_step
                .as_deref()
                .map_or("complete".to_string(), |s| format!("next: {}", one_line(s)));
            lines.push(Line::raw(format!(
                "  {} {}/{}",
                one_line(&k.title),
                k.done,
                k.total
            )));
            lines.push(Line::from(Span::styled(format!("    {next}"), t.dim())));
        }
    }
    if !p.deals.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled("Deals", t.heading())));
        for d in &p.deals {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<12}", d.stage.title()), t.dim()),
                Span::raw(format!(
                    "{}  {}",
                    one_line(&d.title),
                    format_amount(d.value_minor)
                )),
            ]));
        }
    }
    let m = &p.money;
    if m.invoiced_minor + m.expense_minor + m.minutes > 0 {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            "Money and time (all time)",
            t.heading(),
        )));
        lines.push(Line::raw(format!(
            "  invoiced {} · paid {} · expenses {} · {}h{:02}",
            format_amount(m.invoiced_minor),
            format_amount(m.paid_minor),
            format_amount(m.expense_minor),
            m.minutes / 60,
            m.minutes % 60
        )));
    }
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Profile ", t.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn timeline(frame: &mut Frame, app: &App, p: &ProfileState, area: Rect) {
    let t = app.theme;
    let today = app.clock.today();
    let notes = &p.profile.recent_notes;
    let n = p.profile.note_count;
    let title = format!(" Timeline · {n} note{} ", if n == 1 { "" } else { "s" });
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if notes.is_empty() {
        frame.render_widget(Span::styled("No notes yet: n adds one.", t.dim()), inner);
        return;
    }
    let (start, end) = window(notes.len(), p.selected_note, inner.height as usize);
    let lines: Vec<Line> = notes[start..end]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let date = crate::clock::local(&n.at, app.clock.offset())
                .map(|d| when::describe(d.date_naive(), today))
                .unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(format!("{date:<12}{:<8}", n.kind.as_str()), t.dim()),
                Span::raw(one_line(&n.body)),
            ]);
            if start + i == p.selected_note {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
