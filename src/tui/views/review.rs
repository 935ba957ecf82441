//! The daily review: everything overdue or due today, then everyone with no next step, one
//! card at a time, and a summary at the end. Its counts are kept per change, so undoing a
//! change takes it out of the counts and the "✓ handled" marks again.

use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::card::Card;
use crate::commands::agenda;
use crate::error::Result;
use crate::model::cadence::DueTouch;
use crate::model::followup::{FollowUp, Urgency, urgency};
use crate::model::text::one_line;
use crate::store::contacts::{self, Neglected};
use crate::store::followups;
use crate::tui::context::{Env, Ui};
use crate::tui::effect::{Effect, Write};
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::popups::Popup;
use crate::tui::widgets::{Scroll, panel, scroll_text};
use crate::tui::writes::Event;
use crate::when;

/// One card of the daily review.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    FollowUp(FollowUp),
    NoNextStep(Neglected),
    /// Quiet for longer than their cadence.
    Touch(DueTouch),
}

impl Item {
    pub fn contact_id(&self) -> i64 {
        match self {
            Item::FollowUp(f) => f.contact_id,
            Item::NoNextStep(n) => n.id,
            Item::Touch(d) => d.id,
        }
    }
}

/// What a change during the review counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Done,
    Snoozed,
    Note,
    NextStep,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub done: usize,
    pub snoozed: usize,
    pub notes: usize,
    pub new_next_steps: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Contacts seen who still have no next step.
    pub without: Vec<String>,
    /// Follow-ups reviewed that are still open and due.
    pub still_open: Vec<FollowUp>,
    /// Cards not reached or not handled when the review was ended early.
    pub left: usize,
}

#[derive(Debug)]
pub struct Review {
    pub items: Vec<Item>,
    pub pos: usize,
    pub card: Option<Card>,
    /// (undo sequence number, card, what it counted as), one per change made here.
    log: Vec<(i64, usize, Counted)>,
    pub summary: Option<Summary>,
    scroll: Scroll,
}

impl Review {
    /// Everything overdue or due today, then every active contact with no next step: the
    /// first `today::SHOWN` of each (a review of more than that is started again for the rest).
    pub fn start(env: &Env) -> Result<Review> {
        let shown = Some(super::today::SHOWN);
        let ag = agenda::agenda(env.store.conn(), &env.clock, shown, shown, &env.settings)?;
        let mut items: Vec<Item> = ag
            .overdue
            .into_iter()
            .chain(ag.due_today)
            .map(Item::FollowUp)
            .collect();
        // One card a person: someone due to get in touch who also has no next step gets the
        // touch card, which asks for both.
        let mut touch = ag.due_touch;
        for n in ag.no_next_step {
            match touch.iter().position(|d| d.id == n.id) {
                Some(i) => items.push(Item::Touch(touch.remove(i))),
                None => items.push(Item::NoNextStep(n)),
            }
        }
        items.extend(touch.into_iter().map(Item::Touch));
        let mut r = Review {
            items,
            pos: 0,
            card: None,
            log: Vec::new(),
            summary: None,
            scroll: Scroll::default(),
        };
        if r.items.is_empty() {
            r.finish(env)?;
        } else {
            r.refresh(env)?;
        }
        Ok(r)
    }

    pub fn current(&self) -> Option<&Item> {
        self.items.get(self.pos)
    }

    pub fn is_over(&self) -> bool {
        self.summary.is_some()
    }

    pub fn stats(&self) -> Stats {
        let mut s = Stats::default();
        for (_, _, c) in &self.log {
            match c {
                Counted::Done => s.done += 1,
                Counted::Snoozed => s.snoozed += 1,
                Counted::Note => s.notes += 1,
                Counted::NextStep => s.new_next_steps += 1,
            }
        }
        s
    }

    /// Whether the card at `pos` was done, snoozed or given a next step here.
    pub fn handled(&self, pos: usize) -> bool {
        self.log
            .iter()
            .any(|(_, p, c)| *p == pos && *c != Counted::Note)
    }

    /// Reload the current card and its follow-up as the store has them now (completed or
    /// moved in another window, say).
    pub fn refresh(&mut self, env: &Env) -> Result<()> {
        if self.is_over() {
            return Ok(());
        }
        let conn = env.store.conn();
        if let Some(Item::FollowUp(f)) = self.items.get_mut(self.pos)
            && let Some(fresh) = followups::get(conn, f.id)?
        {
            *f = fresh;
        }
        self.card = match self.current() {
            Some(item) => Some(Card::load(conn, item.contact_id())?),
            None => None,
        };
        Ok(())
    }

    /// Count a change made on the current card; true when the review should move on.
    pub fn on_write(&mut self, seq: i64, event: &Event) -> bool {
        let counted = match event {
            Event::Noted { .. } => Counted::Note,
            Event::Completed { .. } => Counted::Done,
            Event::Snoozed => Counted::Snoozed,
            Event::NextStepSet { .. } => Counted::NextStep,
            Event::ContactAdded { .. } | Event::DealAdded { .. } | Event::Other => return false,
        };
        self.log.push((seq, self.pos, counted));
        !matches!(
            event,
            Event::Completed {
                left_open: false,
                ..
            }
        )
    }

    /// A change was undone: it no longer counts, and its card, open again, is shown again
    /// rather than left behind.
    pub fn on_undo(&mut self, seq: i64, env: &Env) -> Result<()> {
        let Some(i) = self.log.iter().position(|(s, _, _)| *s == seq) else {
            return Ok(());
        };
        let (_, pos, counted) = self.log.remove(i);
        if counted == Counted::Note || pos == self.pos || self.is_over() {
            return Ok(());
        }
        self.pos = pos;
        self.scroll = Scroll::default();
        self.refresh(env)
    }

    /// Move to the next card, or end the review after the last.
    pub fn advance(&mut self, env: &Env) -> Result<()> {
        if self.pos + 1 >= self.items.len() {
            return self.finish(env);
        }
        self.pos += 1;
        self.scroll = Scroll::default();
        self.refresh(env)
    }

    fn back(&mut self, env: &Env) -> Result<()> {
        self.pos = self.pos.saturating_sub(1);
        self.scroll = Scroll::default();
        self.refresh(env)
    }

    /// End the review: who still has no next step, what is still open, what was left.
    pub fn finish(&mut self, env: &Env) -> Result<()> {
        let conn = env.store.conn();
        let mut ids: Vec<i64> = self.items.iter().map(Item::contact_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut without = Vec::new();
        for id in ids {
            if contacts::needs_next_step(conn, id)? {
                without.push(contacts::get(conn, id)?.name);
            }
        }
        without.sort();
        let mut still_open = Vec::new();
        for item in &self.items {
            if let Item::FollowUp(f) = item
                && let Some(now) = followups::get(conn, f.id)?
                && now.done_at.is_none()
                && now.due_date <= env.today()
            {
                still_open.push(now);
            }
        }
        let left = (self.pos..self.items.len())
            .filter(|&p| !self.handled(p))
            .count();
        let at_end = self.pos + 1 >= self.items.len();
        self.summary = Some(Summary {
            without,
            still_open,
            left: if at_end { 0 } else { left },
        });
        self.scroll = Scroll::default();
        Ok(())
    }

    pub fn keys(&self) -> &'static [Binding] {
        keymap::REVIEW
    }

    pub fn applies(&self, action: Action) -> bool {
        let open_follow_up =
            matches!(self.current(), Some(Item::FollowUp(f)) if f.done_at.is_none());
        match action {
            Action::Done | Action::Snooze => open_follow_up,
            Action::Previous => self.pos > 0,
            _ => true,
        }
    }

    pub fn act(&mut self, action: Action, env: &Env) -> Result<Effect> {
        let Some(item) = self.current().cloned() else {
            return Ok(Effect::Back);
        };
        let contact_id = item.contact_id();
        let open = match &item {
            Item::FollowUp(f) if f.done_at.is_none() => Some(f.clone()),
            _ => None,
        };
        Ok(match action {
            Action::Done => match open {
                Some(f) => Effect::Write(Write::Done { follow_up_id: f.id }),
                None => Effect::Flash("Nothing open on this card: x sets a next step".into()),
            },
            Action::Snooze => match open {
                Some(f) => Effect::popup(Popup::snooze(env.today(), f.id)),
                None => Effect::Flash("Nothing to snooze on this card".into()),
            },
            Action::Note => Effect::popup(Popup::note(env, contact_id)),
            Action::NextStep => {
                let overdue = open
                    .filter(|f| urgency(f.due_date, env.today()) == Urgency::Overdue)
                    .map(|f| (f.id, f.text));
                Effect::popup(Popup::next_step(env, contact_id, overdue, false))
            }
            Action::Open => Effect::Profile(contact_id),
            Action::Skip => {
                self.advance(env)?;
                Effect::None
            }
            Action::Previous => {
                self.back(env)?;
                Effect::None
            }
            Action::Back => {
                self.finish(env)?;
                Effect::None
            }
            Action::Down => self.scrolled(1),
            Action::Up => self.scrolled(-1),
            Action::PageDown => {
                self.scroll.page(true);
                Effect::None
            }
            Action::PageUp => {
                self.scroll.page(false);
                Effect::None
            }
            _ => Effect::None,
        })
    }

    fn scrolled(&mut self, delta: isize) -> Effect {
        self.scroll.by(delta);
        Effect::None
    }

    /// On the summary: arrows scroll it, any other key closes it.
    pub fn summary_key(&mut self, key: KeyEvent) -> Effect {
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.scrolled(1),
            KeyCode::Up | KeyCode::Char('k') => self.scrolled(-1),
            KeyCode::PageDown => {
                self.scroll.page(true);
                Effect::None
            }
            KeyCode::PageUp => {
                self.scroll.page(false);
                Effect::None
            }
            _ => Effect::Back,
        }
    }

    pub fn mouse(&mut self, m: MouseEvent) {
        match m.kind {
            MouseEventKind::ScrollDown => self.scroll.by(3),
            MouseEventKind::ScrollUp => self.scroll.by(-3),
            _ => {}
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        if let Some(summary) = &self.summary {
            let lines = self.summary_lines(summary, ui);
            let inner = panel(frame, area, "Review summary", t.border(), t);
            return scroll_text(frame, inner, lines, &mut self.scroll);
        }
        let title = format!("Review · {} of {}", self.pos + 1, self.items.len());
        let inner = panel(frame, area, &title, t.border(), t);
        let mut lines = Vec::new();
        if let (Some(item), Some(card)) = (self.current(), &self.card) {
            lines.push(Line::from(Span::styled(
                one_line(&card.contact.name),
                t.title(),
            )));
            lines.push(header(item, ui));
            lines.push(Line::raw(""));
            if self.handled(self.pos) {
                lines.push(Line::from(Span::styled("✓ handled", t.good())));
            }
            lines.extend(card.lines(ui));
        }
        scroll_text(frame, inner, lines, &mut self.scroll);
    }

    fn summary_lines(&self, s: &Summary, ui: &Ui) -> Vec<Line<'static>> {
        let t = ui.theme;
        let st = self.stats();
        let handled = (0..self.items.len()).filter(|&p| self.handled(p)).count();
        let mut lines = vec![
            Line::from(Span::styled(
                if self.items.is_empty() {
                    "Nothing to review today."
                } else if s.left > 0 {
                    "Review ended early."
                } else {
                    "Review done."
                },
                t.title(),
            )),
            Line::raw(""),
            Line::raw(format!(
                "  {} done, {} snoozed, {}, {}",
                st.done,
                st.snoozed,
                plural(st.notes, "note", "notes"),
                plural(st.new_next_steps, "new next step", "new next steps")
            )),
            Line::raw(format!("  {handled} of {} cards handled", self.items.len())),
        ];
        if s.left > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {} card{} left: r starts the review again",
                    s.left,
                    if s.left == 1 { "" } else { "s" }
                ),
                t.today(),
            )));
        }
        lines.push(Line::raw(""));
        if !s.still_open.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("Still open and due ({}):", s.still_open.len()),
                t.today(),
            )));
            for f in &s.still_open {
                lines.push(Line::raw(format!(
                    "  {:<11} {}: {}",
                    when::short(f.due_date, ui.today),
                    one_line(&f.contact),
                    one_line(&f.text)
                )));
            }
            lines.push(Line::raw(""));
        }
        if self.items.is_empty() {
            lines.push(Line::from(Span::styled(
                "Everyone has a next step.",
                t.good(),
            )));
        } else if s.without.is_empty() {
            lines.push(Line::from(Span::styled(
                "Everyone you saw has a next step.",
                t.good(),
            )));
        } else {
            lines.push(Line::from(Span::styled(
                format!("Still without a next step ({}):", s.without.len()),
                t.overdue(),
            )));
            for name in &s.without {
                lines.push(Line::raw(format!("  {}", one_line(name))));
            }
        }
        lines
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the card is about: the follow-up as it is now, or the missing next step.
fn header(item: &Item, ui: &Ui) -> Line<'static> {
    let t = ui.theme;
    match item {
        Item::FollowUp(f) if f.done_at.is_some() => Line::from(vec![
            Span::styled("Completed: ", t.good()),
            Span::styled(one_line(&f.text), t.heading()),
        ]),
        Item::FollowUp(f) => {
            let (label, style) = match urgency(f.due_date, ui.today) {
                Urgency::Overdue => (
                    format!("Overdue, {}", when::relative_phrase(f.due_date, ui.today)),
                    t.overdue(),
                ),
                Urgency::Today => ("Due today".to_string(), t.today()),
                Urgency::Upcoming => (
                    format!("Moved to {}", when::describe(f.due_date, ui.today)),
                    t.dim(),
                ),
            };
            Line::from(vec![
                Span::styled(format!("{label}: "), style),
                Span::styled(one_line(&f.text), t.heading()),
            ])
        }
        Item::NoNextStep(_) => Line::from(Span::styled(
            "No next step. What should happen next, and when? (x)",
            t.overdue(),
        )),
        Item::Touch(d) => Line::from(Span::styled(
            format!(
                "Due to get in touch: {} quiet ({}). A note (n), a next step (x)?",
                crate::model::cadence::quiet_for(d.quiet_days),
                d.cadence
            ),
            t.overdue(),
        )),
    }
}
