//! Today: overdue, due today, the coming week and "no next step", with the selected contact's
//! card beside the list on a wide terminal.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::card::Card;
use crate::commands::agenda;
use crate::error::Result;
use crate::model::cadence::DueTouch;
use crate::model::followup::{FollowUp, Urgency, urgency};
use crate::model::text::{fit, one_line};
use crate::store::contacts::{self, Neglected};
use crate::tui::context::{Env, Ui};
use crate::tui::effect::{Ask, Effect, Write};
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::popups::Popup;
use crate::tui::widgets::{self, Scroll, end_selectable, panel, row_at, step_selectable, window};
use crate::when;

/// How many of each section the app loads: a screenful many times over, whatever the size of
/// the book (the review walks the same).
pub const SHOWN: usize = 200;

/// One line of Today: a section heading or something to act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Header(String),
    FollowUp(FollowUp, Urgency),
    Neglected(Neglected),
    /// Quiet for longer than their cadence.
    Touch(DueTouch),
    /// Income invoiced long ago and not paid.
    Chase(crate::store::entries::Unpaid),
    Empty(String),
    /// Under a section cut short: how many more there are.
    More(String),
}

impl Row {
    pub fn contact_id(&self) -> Option<i64> {
        match self {
            Row::FollowUp(f, _) => Some(f.contact_id),
            Row::Neglected(n) => Some(n.id),
            Row::Touch(d) => Some(d.id),
            Row::Chase(u) => Some(u.contact_id),
            _ => None,
        }
    }

    pub fn follow_up(&self) -> Option<&FollowUp> {
        match self {
            Row::FollowUp(f, _) => Some(f),
            _ => None,
        }
    }

    /// What identifies the row across reloads.
    fn key(&self) -> Option<(u8, i64)> {
        match self {
            Row::FollowUp(f, _) => Some((0, f.id)),
            Row::Neglected(n) => Some((1, n.id)),
            Row::Touch(d) => Some((2, d.id)),
            Row::Chase(u) => Some((3, u.id)),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct Today {
    pub rows: Vec<Row>,
    pub list: ListState,
    pub card: Option<Card>,
    card_scroll: Scroll,
    pub contacts_total: i64,
    /// Quiet leads, duplicates, overdue deals, if any.
    pub hygiene: Option<String>,
    list_area: Rect,
}

impl Today {
    pub fn load(&mut self, env: &Env) -> Result<()> {
        let conn = env.store.conn();
        let today = env.today();
        let keep = self.selected_row().and_then(Row::key);
        let ag = agenda::agenda(conn, &env.clock, Some(SHOWN), Some(SHOWN), &env.settings)?;
        let mut rows = Vec::new();
        let mut section = |title: &str, total: usize, items: Vec<Row>| {
            if items.is_empty() {
                return;
            }
            let shown = items.len();
            rows.push(Row::Header(format!(
                "{title} ({})",
                agenda::shown_total(total)
            )));
            rows.extend(items);
            if total > shown {
                rows.push(Row::More(format!(
                    "… and {} more: tend today --all lists them",
                    agenda::shown_more(total, shown)
                )));
            }
        };
        let follow_ups = |items: &[FollowUp]| -> Vec<Row> {
            items
                .iter()
                .map(|f| Row::FollowUp(f.clone(), urgency(f.due_date, today)))
                .collect()
        };
        section("Overdue", ag.overdue_total, follow_ups(&ag.overdue));
        section("Due today", ag.due_today_total, follow_ups(&ag.due_today));
        section("Coming up", ag.upcoming_total, follow_ups(&ag.upcoming));
        section(
            "Due to get in touch",
            ag.due_touch.len(),
            ag.due_touch.into_iter().map(Row::Touch).collect(),
        );
        section(
            "Chase payment",
            ag.chase_payment_total,
            ag.chase_payment.into_iter().map(Row::Chase).collect(),
        );
        section(
            "No next step",
            ag.no_next_step_total,
            ag.no_next_step.into_iter().map(Row::Neglected).collect(),
        );
        self.contacts_total = contacts::count(conn)?;
        if rows.is_empty() {
            rows.push(Row::Empty(if self.contacts_total == 0 {
                "No contacts yet.".into()
            } else {
                "All clear: nothing due, and everyone has a next step.".into()
            }));
        }
        let before = self.list.selected();
        self.rows = rows;
        let found = keep.and_then(|k| self.rows.iter().position(|r| r.key() == Some(k)));
        let at = found.or(before.map(|b| b.min(self.rows.len().saturating_sub(1))));
        self.list.select(step_selectable(&self.selectable(), at, 0));
        self.hygiene =
            crate::commands::doctor::summary_line(conn, &env.clock, env.settings.stale_lead_days)?;
        self.load_card(env)
    }

    fn load_card(&mut self, env: &Env) -> Result<()> {
        let id = self.selected_row().and_then(Row::contact_id);
        if self.card.as_ref().map(|c| c.contact.id) != id {
            self.card_scroll = Scroll::default();
        }
        self.card = match id {
            Some(id) => Some(Card::load(env.store.conn(), id)?),
            None => None,
        };
        Ok(())
    }

    fn selectable(&self) -> Vec<bool> {
        self.rows.iter().map(|r| r.contact_id().is_some()).collect()
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.list
            .selected()
            .and_then(|i| self.rows.get(i))
            .filter(|r| r.contact_id().is_some())
    }

    pub fn focused_contact(&self) -> Option<i64> {
        self.selected_row().and_then(Row::contact_id)
    }

    pub fn has_selection(&self) -> bool {
        self.selected_row().is_some()
    }

    pub fn keys(&self) -> &'static [Binding] {
        keymap::TODAY
    }

    /// Whether a key does something on the selected row now.
    pub fn applies(&self, action: Action) -> bool {
        let row = self.selected_row();
        match action {
            Action::Done => {
                row.and_then(Row::follow_up).is_some() || matches!(row, Some(Row::Chase(_)))
            }
            Action::Snooze => row.and_then(Row::follow_up).is_some(),
            Action::Note | Action::NextStep | Action::Open => row.is_some(),
            _ => true,
        }
    }

    fn select(&mut self, env: &Env, to: Option<usize>) -> Result<Effect> {
        self.list.select(to);
        // On the first item, show the heading above it too.
        if to.is_some() && to == end_selectable(&self.selectable(), false) {
            *self.list.offset_mut() = 0;
        }
        self.load_card(env)?;
        Ok(Effect::None)
    }

    pub fn act(&mut self, action: Action, env: &Env) -> Result<Effect> {
        let sel = self.selectable();
        let page = self.list_area.height.saturating_sub(1).max(1) as isize;
        let contact = self.focused_contact();
        let follow_up = self.selected_row().and_then(Row::follow_up).map(|f| f.id);
        Ok(match action {
            Action::Down => {
                return self.select(env, step_selectable(&sel, self.list.selected(), 1));
            }
            Action::Up => return self.select(env, step_selectable(&sel, self.list.selected(), -1)),
            Action::PageDown => {
                return self.select(env, step_selectable(&sel, self.list.selected(), page));
            }
            Action::PageUp => {
                return self.select(env, step_selectable(&sel, self.list.selected(), -page));
            }
            Action::Top => return self.select(env, end_selectable(&sel, false)),
            Action::Bottom => return self.select(env, end_selectable(&sel, true)),
            Action::Review => Effect::Review,
            Action::AddContact => Effect::popup(Popup::ask(Ask::AddContact, "")),
            Action::Open => contact.map_or(Effect::None, Effect::Profile),
            Action::Note => match contact {
                Some(id) => Effect::popup(Popup::note(env, id)),
                None => Effect::Flash("Pick a contact first".into()),
            },
            Action::NextStep => match contact {
                Some(id) => Effect::popup(Popup::next_step(env, id, None, false)),
                None => Effect::Flash("Pick a contact first".into()),
            },
            Action::Done => match (follow_up, self.selected_row()) {
                (Some(id), _) => Effect::Write(Write::Done { follow_up_id: id }),
                // On an invoice to chase, d says it has been paid.
                (None, Some(Row::Chase(u))) => Effect::Write(Write::Paid { entry_id: u.id }),
                _ => Effect::Flash("Nothing to complete here: x sets a next step".into()),
            },
            Action::Snooze => match follow_up {
                Some(id) => Effect::popup(Popup::snooze(env.today(), id)),
                None => Effect::Flash("Nothing to snooze here".into()),
            },
            _ => Effect::None,
        })
    }

    pub fn mouse(&mut self, env: &Env, m: MouseEvent) -> Result<Effect> {
        match m.kind {
            MouseEventKind::ScrollDown if self.card_scroll.contains(m.column, m.row) => {
                self.card_scroll.by(3)
            }
            MouseEventKind::ScrollUp if self.card_scroll.contains(m.column, m.row) => {
                self.card_scroll.by(-3)
            }
            MouseEventKind::ScrollDown => return self.act(Action::Down, env),
            MouseEventKind::ScrollUp => return self.act(Action::Up, env),
            MouseEventKind::Down(_) => {
                let hit = row_at(self.list_area, self.list.offset(), m.column, m.row);
                if let Some(i) = hit.filter(|&i| self.selectable().get(i) == Some(&true)) {
                    return self.select(env, Some(i));
                }
            }
            _ => {}
        }
        Ok(Effect::None)
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        if self.contacts_total == 0 {
            let inner = panel(frame, area, "Today", t.border(), t);
            let mut scroll = Scroll::default();
            return widgets::scroll_text(frame, inner, welcome(ui), &mut scroll);
        }
        let (list_area, card_area) = if area.width >= 100 {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                    .areas(area);
            (l, Some(r))
        } else {
            (area, None)
        };
        let inner = panel(frame, list_area, "Today", t.border(), t);
        let (list, hygiene) = match &self.hygiene {
            Some(h) if inner.height > 3 => {
                let [l, f] =
                    Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
                (l, Some((f, h)))
            }
            _ => (inner, None),
        };
        self.list_area = list;
        let name_w = (list.width as usize / 4).clamp(6, 24);
        let date_w = if list.width >= 50 { 16 } else { 11 };
        let selected = self.list.selected();
        // The "… and N more" under a section comes into view with its last row.
        let in_view = selected.map(|s| match self.rows.get(s + 1) {
            Some(Row::More(_)) if list.height > 1 => s + 1,
            _ => s,
        });
        let shown = window(
            self.list.offset_mut(),
            in_view,
            self.rows.len(),
            list.height as usize,
        );
        let items: Vec<ListItem> = self.rows[shown.clone()]
            .iter()
            .map(|r| ListItem::new(row_line(r, ui, name_w, date_w, list.width as usize)))
            .collect();
        let mut state =
            ListState::default().with_selected(selected.map(|s| s.saturating_sub(shown.start)));
        frame.render_stateful_widget(
            List::new(items).highlight_style(t.selected()),
            list,
            &mut state,
        );
        if let Some((f, h)) = hygiene {
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("Hygiene: ", t.heading()),
                    Span::styled(one_line(h), t.dim()),
                ])),
                f,
            );
        }
        if let (Some(card_area), Some(card)) = (card_area, &self.card) {
            let inner = panel(frame, card_area, &card.contact.name, t.border(), t);
            widgets::scroll_text(frame, inner, card.lines(ui), &mut self.card_scroll);
        }
    }
}

fn row_line(row: &Row, ui: &Ui, name_w: usize, date_w: usize, width: usize) -> Line<'static> {
    let t = ui.theme;
    let today = ui.today;
    match row {
        Row::Header(h) => Line::from(Span::styled(h.clone(), t.heading())),
        Row::Empty(msg) => Line::from(Span::styled(msg.clone(), t.good())),
        Row::More(msg) => Line::from(Span::styled(msg.clone(), t.dim())),
        Row::FollowUp(f, u) => {
            let mut date = when::short(f.due_date, today);
            if let Some(tm) = f.due_time {
                date.push_str(&tm.format(" %H:%M").to_string());
            }
            let style = match u {
                Urgency::Overdue => t.overdue(),
                Urgency::Today => t.today(),
                Urgency::Upcoming => t.dim(),
            };
            let text = one_line(&f.text);
            let used = 2 + date_w + 1 + name_w + 1 + crate::model::text::width(&text);
            // "3 days late" only where it fits whole.
            let late = match u {
                Urgency::Overdue => format!("  {}", when::relative_phrase(f.due_date, today)),
                _ => String::new(),
            };
            let late = if used + crate::model::text::width(&late) <= width {
                late
            } else {
                String::new()
            };
            Line::from(vec![
                Span::styled(format!("  {} ", fit(&date, date_w)), style),
                Span::raw(format!("{} ", fit(&one_line(&f.contact), name_w))),
                Span::raw(text),
                Span::styled(late, t.dim()),
            ])
        }
        Row::Chase(u) => {
            let days = (today - u.on_date).num_days();
            Line::from(vec![
                Span::styled(
                    format!("  {} ", fit(&format!("{days} days unpaid"), date_w)),
                    t.overdue(),
                ),
                Span::raw(format!("{} ", fit(&one_line(&u.contact), name_w))),
                Span::raw(ui.currency.format(u.amount_minor)),
            ])
        }
        Row::Touch(d) => {
            let quiet = crate::model::cadence::quiet_for(d.quiet_days);
            let last = if d.contacted {
                format!("{quiet} quiet ({})", d.cadence)
            } else {
                format!("never contacted ({})", d.cadence)
            };
            Line::from(vec![
                Span::styled(format!("  {} ", fit(&d.status, date_w)), t.dim()),
                Span::raw(format!("{} ", fit(&one_line(&d.name), name_w))),
                Span::styled(last, t.dim()),
            ])
        }
        Row::Neglected(n) => {
            let last = match n
                .last_note_at
                .as_deref()
                .and_then(|s| crate::clock::local(s, ui.offset))
            {
                Some(at) => format!("last contact {}", when::ago(at.date_naive(), today)),
                None => "never contacted".into(),
            };
            Line::from(vec![
                Span::styled(format!("  {} ", fit(n.status.as_str(), date_w)), t.dim()),
                Span::raw(format!("{} ", fit(&one_line(&n.name), name_w))),
                Span::styled(last, t.dim()),
            ])
        }
    }
}

fn welcome(ui: &Ui) -> Vec<Line<'static>> {
    let t = ui.theme;
    vec![
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
    ]
}
