//! Overlays: help, text prompts, choices, the command palette, contact search, a whole note.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{centered, window};
use crate::model::text::{block as text_block, one_line};
use crate::tui::app::{App, Modal, SEARCH_SHOWN, palette_matches};
use crate::tui::keymap;

pub fn draw(frame: &mut Frame, app: &App, modal: &Modal, body: Rect) {
    let t = app.theme;
    match modal {
        Modal::Help => {
            let ctx = app.context();
            let mut lines = Vec::new();
            for (title, table) in [
                ("This view", keymap::table(ctx)),
                ("Everywhere", keymap::GLOBAL),
            ] {
                if table.is_empty() {
                    continue;
                }
                lines.push(Line::from(Span::styled(title, t.heading())));
                for b in table {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {:<8}", b.label), t.key()),
                        Span::raw(b.help),
                    ]));
                }
                lines.push(Line::raw(""));
            }
            lines.push(Line::from(Span::styled(
                "Typing: ←/→ Home/End, Ctrl-W word, Ctrl-U line, Ctrl-O $EDITOR (notes). Any key closes.",
                t.dim(),
            )));
            let area = centered(body, 64, lines.len() as u16 + 2);
            popup(
                frame,
                area,
                " Keys ",
                app,
                Paragraph::new(lines).wrap(Wrap { trim: false }),
            );
        }
        Modal::Prompt(p) => {
            let area = centered(body, body.width.saturating_sub(4).min(90), 5);
            let inner_w = area.width.saturating_sub(2) as usize;
            let (shown, col) = p.input.visible(inner_w.saturating_sub(2));
            let lines = vec![
                Line::from(vec![Span::styled("> ", t.key()), Span::raw(shown)]),
                Line::raw(""),
                Line::from(Span::styled(p.hint.clone(), t.dim())),
            ];
            popup(
                frame,
                area,
                &format!(" {} ", one_line(&p.title)),
                app,
                Paragraph::new(lines).wrap(Wrap { trim: true }),
            );
            frame.set_cursor_position((area.x + 3 + col as u16, area.y + 1));
        }
        Modal::Choice(c) => {
            let lines: Vec<Line> = c
                .options
                .iter()
                .enumerate()
                .map(|(i, (k, label))| {
                    let line = Line::from(vec![
                        Span::styled(format!(" {k} "), t.key()),
                        Span::raw(label.clone()),
                    ]);
                    if i == c.selected {
                        line.style(t.selected())
                    } else {
                        line
                    }
                })
                .collect();
            let widest = c
                .options
                .iter()
                .map(|(_, l)| l.chars().count())
                .max()
                .unwrap_or(0)
                .max(c.title.len());
            let area = centered(
                body,
                (widest as u16 + 8).clamp(36, 80),
                lines.len() as u16 + 2,
            );
            popup(
                frame,
                area,
                &format!(" {} ", c.title),
                app,
                Paragraph::new(lines),
            );
        }
        Modal::Palette { input, selected } => {
            let matches = palette_matches(input.value());
            let mut lines = vec![Line::from(vec![
                Span::styled(": ", t.key()),
                Span::raw(input.value().to_string()),
            ])];
            for (i, (name, _)) in matches.iter().enumerate() {
                let line = Line::raw(format!("  {name}"));
                lines.push(if i == *selected {
                    line.style(t.selected())
                } else {
                    line
                });
            }
            let area = centered(body, 44, (lines.len() as u16 + 2).min(body.height));
            popup(frame, area, " Command ", app, Paragraph::new(lines));
            let (_, col) = input.visible(40);
            frame.set_cursor_position((area.x + 3 + col as u16, area.y + 1));
        }
        Modal::Search {
            input,
            names,
            hits,
            selected,
        } => {
            let area = centered(body, 60, body.height.saturating_sub(2));
            let inner_h = area.height.saturating_sub(3) as usize;
            let mut lines = vec![Line::from(vec![
                Span::styled("/ ", t.key()),
                Span::raw(input.value().to_string()),
                Span::styled(
                    if hits.len() >= SEARCH_SHOWN {
                        format!("   {SEARCH_SHOWN}+ found")
                    } else {
                        format!("   {} found", hits.len())
                    },
                    t.dim(),
                ),
            ])];
            let (start, end) = window(hits.len(), *selected, inner_h);
            for (k, &i) in hits[start..end].iter().enumerate() {
                let line = Line::raw(format!("  {}", one_line(&names[i].name)));
                lines.push(if start + k == *selected {
                    line.style(t.selected())
                } else {
                    line
                });
            }
            popup(frame, area, " Find a contact ", app, Paragraph::new(lines));
            let (_, col) = input.visible(50);
            frame.set_cursor_position((area.x + 3 + col as u16, area.y + 1));
        }
        Modal::Text { title, body: text } => {
            let area = centered(
                body,
                body.width.saturating_sub(6).min(100),
                body.height.saturating_sub(2),
            );
            popup(
                frame,
                area,
                &format!(" {} ", one_line(title)),
                app,
                Paragraph::new(text_block(text)).wrap(Wrap { trim: false }),
            );
        }
    }
}

fn popup(frame: &mut Frame, area: Rect, title: &str, app: &App, content: Paragraph) {
    let t = app.theme;
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(t.title())
        .title(Span::styled(title.to_string(), t.title()));
    frame.render_widget(content.block(block), area);
}
