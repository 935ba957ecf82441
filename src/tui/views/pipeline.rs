//! The pipeline as a board: a column per stage with its total and weighted total, as many
//! columns as fit around the focused one, ◀ ▶ where more are hidden.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use crate::error::Result;
use crate::model::money::weighted;
use crate::model::text::{self, clip, one_line};
use crate::model::{Deal, Stage};
use crate::store::deals;
use crate::tui::context::{Env, Ui};
use crate::tui::effect::{Ask, Effect, Write};
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::popups::Popup;
use crate::tui::widgets::{panel, window};
use crate::when;

/// Closed deals stay on the board this long.
pub const CLOSED_SHOWN_DAYS: u64 = 30;
/// The narrowest a column is drawn.
const COLUMN_WIDTH: u16 = 24;

#[derive(Debug, Default)]
pub struct Pipeline {
    pub deals: Vec<Deal>,
    pub columns: Vec<Vec<usize>>,
    pub column: usize,
    pub lists: Vec<ListState>,
    /// Where each shown column's cards were drawn: (stage index, area).
    areas: Vec<(usize, Rect)>,
    /// A fresh board is being read in the background; the one shown stays until it comes.
    pub loading: bool,
}

impl Pipeline {
    pub fn load(&mut self, env: &Env) -> Result<()> {
        let deals = Pipeline::read(env.store.conn(), env.today())?;
        self.install(deals);
        Ok(())
    }

    /// The deals on the board: open ones, and those closed in the last `CLOSED_SHOWN_DAYS`.
    /// Read on whichever thread holds `conn` (the app's own, or a background one).
    pub fn read(conn: &rusqlite::Connection, today: chrono::NaiveDate) -> Result<Vec<Deal>> {
        let since = today
            .checked_sub_days(chrono::Days::new(CLOSED_SHOWN_DAYS))
            .unwrap_or(today)
            .to_string();
        deals::pipeline(conn, &since)
    }

    /// Show a freshly read board, keeping the selected deal.
    pub fn install(&mut self, deals: Vec<Deal>) {
        let keep = self.selected().map(|d| d.id);
        self.loading = false;
        self.deals = deals;
        self.columns = Stage::ALL
            .iter()
            .map(|s| {
                (0..self.deals.len())
                    .filter(|&i| self.deals[i].stage == *s)
                    .collect()
            })
            .collect();
        self.lists.resize(Stage::ALL.len(), ListState::default());
        if let Some(id) = keep {
            for (c, col) in self.columns.iter().enumerate() {
                if let Some(r) = col.iter().position(|&i| self.deals[i].id == id) {
                    self.column = c;
                    self.lists[c].select(Some(r));
                }
            }
        }
        for (c, col) in self.columns.iter().enumerate() {
            let last = col.len().checked_sub(1);
            let s = self.lists[c].selected().unwrap_or(0);
            self.lists[c].select(last.map(|l| s.min(l)));
        }
    }

    /// Select this deal (a new one, say), wherever it is on the board.
    pub fn focus(&mut self, deal_id: i64) {
        for (c, col) in self.columns.iter().enumerate() {
            if let Some(r) = col.iter().position(|&i| self.deals[i].id == deal_id) {
                self.column = c;
                self.lists[c].select(Some(r));
            }
        }
    }

    pub fn selected(&self) -> Option<&Deal> {
        let col = self.columns.get(self.column)?;
        let row = self.lists.get(self.column)?.selected()?;
        col.get(row).map(|&i| &self.deals[i])
    }

    pub fn focused_contact(&self) -> Option<i64> {
        self.selected().map(|d| d.contact_id)
    }

    pub fn has_selection(&self) -> bool {
        self.selected().is_some()
    }

    pub fn keys(&self) -> &'static [Binding] {
        keymap::PIPELINE
    }

    pub fn applies(&self, action: Action) -> bool {
        let d = self.selected();
        match action {
            Action::StageForward => d.is_some_and(|d| d.stage.next().is_some()),
            Action::StageBack => d.is_some_and(|d| d.stage.previous().is_some()),
            Action::Won | Action::Lost | Action::Open | Action::CloseDate => d.is_some(),
            _ => true,
        }
    }

    fn move_row(&mut self, delta: isize) {
        let len = self.columns.get(self.column).map_or(0, Vec::len);
        if let (Some(last), Some(list)) = (len.checked_sub(1), self.lists.get_mut(self.column)) {
            let s = list.selected().unwrap_or(0);
            list.select(Some(s.saturating_add_signed(delta).min(last)));
        }
    }

    fn move_column(&mut self, delta: isize) {
        self.column = self
            .column
            .saturating_add_signed(delta)
            .min(Stage::ALL.len() - 1);
    }

    pub fn act(&mut self, action: Action, _env: &Env) -> Result<Effect> {
        let deal = self.selected().cloned();
        Ok(match action {
            Action::Left => self.moved(|p| p.move_column(-1)),
            Action::Right => self.moved(|p| p.move_column(1)),
            Action::Down => self.moved(|p| p.move_row(1)),
            Action::Up => self.moved(|p| p.move_row(-1)),
            Action::AddDeal => {
                let contact = deal.map(|d| (d.contact_id, d.contact));
                Effect::popup(Popup::ask(Ask::AddDeal { contact }, ""))
            }
            _ => match deal {
                Some(d) => deal_action(action, d),
                None => match action {
                    Action::StageForward
                    | Action::StageBack
                    | Action::Won
                    | Action::Lost
                    | Action::CloseDate => Effect::Flash("No deal selected: a adds one".into()),
                    _ => Effect::None,
                },
            },
        })
    }

    fn moved(&mut self, f: impl FnOnce(&mut Pipeline)) -> Effect {
        f(self);
        Effect::None
    }

    pub fn mouse(&mut self, m: MouseEvent) {
        let Some(&(col, area)) = self
            .areas
            .iter()
            .find(|(_, a)| a.contains(Position::new(m.column, m.row)))
        else {
            return;
        };
        self.column = col;
        match m.kind {
            MouseEventKind::ScrollDown => self.move_row(1),
            MouseEventKind::ScrollUp => self.move_row(-1),
            MouseEventKind::Down(_) => {
                let per_card = if area.height < CARD_LINES {
                    1
                } else {
                    CARD_LINES
                };
                let row = self.lists[col].offset() + ((m.row - area.y) / per_card) as usize;
                if row < self.columns[col].len() {
                    self.lists[col].select(Some(row));
                }
            }
            _ => {}
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        self.areas.clear();
        if self.deals.is_empty() {
            let inner = panel(frame, area, "Pipeline", t.border(), t);
            let msg = if self.loading {
                "Reading the board…"
            } else {
                "No deals yet: a adds one (WHO: TITLE VALUE)."
            };
            frame.render_widget(
                Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: false }),
                inner,
            );
            return;
        }
        let all = Stage::ALL.len();
        let fit = ((area.width / COLUMN_WIDTH) as usize).clamp(1, all);
        let first = self.column.saturating_sub(fit / 2).min(all - fit);
        let slots = Layout::horizontal(vec![Constraint::Ratio(1, fit as u32); fit]).split(area);
        for (slot, col) in (first..first + fit).enumerate() {
            let mut title = format!("{} ({})", Stage::ALL[col].title(), self.columns[col].len());
            if self.loading && slot == 0 {
                title.push_str(" · updating…");
            }
            if slot == 0 && first > 0 {
                title = format!("◀ {title}");
            }
            if slot + 1 == fit && first + fit < all {
                title.push_str(" ▶");
            }
            self.draw_column(frame, slots[slot], col, &title, ui);
        }
    }

    fn draw_column(&mut self, frame: &mut Frame, area: Rect, col: usize, title: &str, ui: &Ui) {
        let t = ui.theme;
        let focused = col == self.column;
        let border = if focused { t.title() } else { t.border() };
        let inner = panel(frame, area, title, border, t);
        let ids = &self.columns[col];
        let total = ids
            .iter()
            .fold(0i64, |s, &i| s.saturating_add(self.deals[i].value_minor));
        let weight = ids.iter().fold(0i64, |s, &i| {
            let d = &self.deals[i];
            s.saturating_add(weighted(d.value_minor, d.probability()))
        });
        let w = inner.width as usize;
        let (total, weight) = (ui.money(total), format!("weighted {}", ui.money(weight)));
        let both = format!("{total} · {weight}");
        // The totals take a line, or two when they do not fit in one, and give way to cards
        // on a short terminal.
        let head_lines = if text::width(&both) <= w {
            vec![both]
        } else {
            vec![total, weight]
        };
        let head_h = if inner.height >= 6 {
            head_lines.len() as u16
        } else {
            u16::from(inner.height >= 4)
        };
        let [head, cards] =
            Layout::vertical([Constraint::Length(head_h), Constraint::Min(0)]).areas(inner);
        let head_lines: Vec<Line> = head_lines
            .iter()
            .map(|l| Line::from(Span::styled(clip(l, w), t.dim())))
            .collect();
        frame.render_widget(Paragraph::new(head_lines), head);
        self.areas.push((col, cards));
        // Three lines a card, or one on a very short terminal.
        let compact = cards.height < CARD_LINES;
        let room = if compact {
            cards.height as usize
        } else {
            (cards.height / CARD_LINES) as usize
        };
        let selected = self.lists[col].selected();
        let shown = window(self.lists[col].offset_mut(), selected, ids.len(), room);
        let items: Vec<ListItem> = ids[shown.clone()]
            .iter()
            .map(|&i| ListItem::new(card(&self.deals[i], w, compact, ui)))
            .collect();
        let highlight = if focused { t.selected() } else { t.heading() };
        let mut state =
            ListState::default().with_selected(selected.map(|s| s.saturating_sub(shown.start)));
        frame.render_stateful_widget(
            List::new(items).highlight_style(highlight),
            cards,
            &mut state,
        );
    }
}

/// Lines a deal's card takes.
const CARD_LINES: u16 = 3;

/// A deal's card: its id and title, who, then how much and when it closes or why it was lost.
fn card(d: &Deal, w: usize, compact: bool, ui: &Ui) -> Text<'static> {
    let t = ui.theme;
    if compact {
        let line = format!(
            "d#{} {} · {}",
            d.id,
            one_line(&d.title),
            ui.money(d.value_minor)
        );
        return Text::from(Line::from(Span::styled(clip(&line, w), t.heading())));
    }
    let mut third = ui.money(d.value_minor);
    if let Some(r) = &d.lost_reason {
        third.push_str(&format!(" · {}", one_line(r)));
    } else if let Some(c) = d.expected_close.filter(|_| !d.stage.is_closed()) {
        // The close date whole, in as few words as the column needs: a year cut to "2…"
        // says nothing.
        let day = when::short(c, ui.today);
        let within_a_year = c > ui.today
            && ui
                .today
                .checked_add_months(chrono::Months::new(11))
                .is_some_and(|limit| c < limit);
        let shorter = [
            format!("{third} · close {day}"),
            format!("{third} · {day}"),
            format!("{third} · {}", c.format("%-d %b")),
        ];
        let fits = |s: &String| s.chars().count() <= w;
        third = match shorter.iter().position(fits) {
            Some(2) if !within_a_year => shorter[1].clone(),
            Some(i) => shorter[i].clone(),
            None if within_a_year => shorter[2].clone(),
            None => shorter[1].clone(),
        };
    }
    Text::from(vec![
        Line::from(Span::styled(
            clip(&format!("d#{} {}", d.id, one_line(&d.title)), w),
            t.heading(),
        )),
        Line::from(Span::styled(clip(&one_line(&d.contact), w), t.dim())),
        Line::from(Span::styled(clip(&third, w), t.dim())),
    ])
}

/// What a key does to the selected deal; winning or losing a closed one asks first.
fn deal_action(action: Action, d: Deal) -> Effect {
    let write = |to: Stage| {
        Effect::Write(Write::MoveDeal {
            deal_id: d.id,
            to,
            reason: None,
        })
    };
    let lost = Effect::popup(Popup::titled(
        Ask::LostReason { deal_id: d.id },
        format!("Why was '{}' lost?", one_line(&d.title)),
        "e.g. went with a cheaper quote",
    ));
    let closed = d.stage.is_closed();
    match action {
        Action::StageForward => match d.stage.next() {
            // Won is a fact, not a column to step into: a key pressed once too often should
            // not turn a deal into revenue and its contact into a client.
            Some(Stage::Won) => Effect::popup(Popup::confirm(
                format!("Mark '{}' won?", clip(&one_line(&d.title), 40)),
                "yes, it was won",
                write(Stage::Won),
            )),
            Some(to) => write(to),
            None => Effect::Flash(format!("'{}' cannot move further that way", d.title)),
        },
        Action::StageBack => match d.stage.previous() {
            Some(to) => write(to),
            None => Effect::Flash(format!("'{}' cannot move further that way", d.title)),
        },
        Action::Won if d.stage == Stage::Won => {
            Effect::Flash(format!("'{}' is already won", d.title))
        }
        Action::Won if closed => Effect::popup(Popup::confirm(
            format!("'{}' was lost. Mark it won?", clip(&one_line(&d.title), 40)),
            "yes, it was won",
            write(Stage::Won),
        )),
        Action::Won => write(Stage::Won),
        Action::Lost if d.stage == Stage::Lost => {
            Effect::Flash(format!("'{}' is already lost", d.title))
        }
        Action::Lost if closed => Effect::popup(Popup::confirm(
            format!("'{}' was won. Mark it lost?", clip(&one_line(&d.title), 40)),
            "yes, it was lost",
            lost,
        )),
        Action::Lost => lost,
        Action::CloseDate => {
            let now = d.expected_close.map(|c| c.to_string()).unwrap_or_default();
            let mut p = Popup::ask(Ask::CloseDate { deal_id: d.id }, &now);
            if let Popup::Prompt(prompt) = &mut p {
                prompt.title = format!("When should '{}' close?", one_line(&d.title));
            }
            Effect::popup(p)
        }
        Action::Open => Effect::Profile(d.contact_id),
        _ => Effect::None,
    }
}
