//! The pipeline as a board: a column per stage with its total and weighted total.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::window;
use crate::model::Stage;
use crate::model::money::{format_amount, weighted};
use crate::model::text::{one_line, truncate};
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let p = &app.pipeline;
    if p.deals.is_empty() {
        let block = Block::bordered()
            .border_style(t.border())
            .title(Span::styled(" Pipeline ", t.title()));
        frame.render_widget(
            Paragraph::new("No deals yet: a adds one (WHO: TITLE VALUE).").block(block),
            area,
        );
        return;
    }
    // As many columns as fit at 20 wide, around the focused one.
    let fit = (area.width / 20).clamp(1, Stage::ALL.len() as u16) as usize;
    let first = p.column.saturating_sub(fit / 2).min(Stage::ALL.len() - fit);
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, fit as u32); fit]).split(area);
    for (slot, col) in (first..first + fit).enumerate() {
        let stage = Stage::ALL[col];
        let ids = &p.columns[col];
        let total: i64 = ids.iter().map(|&i| p.deals[i].value_minor).sum();
        let weight: i64 = ids
            .iter()
            .map(|&i| weighted(p.deals[i].value_minor, p.deals[i].probability()))
            .sum();
        let focused = col == p.column;
        let title = format!(" {} ({}) ", stage.title(), ids.len());
        let block = Block::bordered()
            .border_style(if focused { t.title() } else { t.border() })
            .title(Span::styled(
                title,
                if focused { t.title() } else { t.heading() },
            ));
        let inner = block.inner(areas[slot]);
        frame.render_widget(block, areas[slot]);
        let w = inner.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            truncate(
                &format!("{} · w {}", format_amount(total), format_amount(weight)),
                w,
            ),
            t.dim(),
        ))];
        let per_card = 3;
        let room = (inner.height as usize).saturating_sub(1) / per_card;
        let (start, end) = window(ids.len(), p.rows[col], room.max(1));
        for (k, &i) in ids[start..end].iter().enumerate() {
            let d = &p.deals[i];
            let selected = focused && start + k == p.rows[col];
            let style = if selected { t.selected() } else { t.heading() };
            lines.push(Line::from(Span::styled(
                truncate(&one_line(&d.title), w),
                style,
            )));
            lines.push(Line::from(Span::styled(
                truncate(
                    &format!(
                        "{} · {}",
                        one_line(&d.contact),
                        format_amount(d.value_minor)
                    ),
                    w,
                ),
                if selected { t.selected() } else { t.dim() },
            )));
            lines.push(Line::raw(""));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
