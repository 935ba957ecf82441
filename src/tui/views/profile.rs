//! A contact's profile: details, next steps, checklists, deals and money in one pane that
//! scrolls, and the timeline of notes in another. ←/→ moves between them.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use unicode_width::UnicodeWidthStr;

use crate::commands::checklists as checklist_cmds;
use crate::commands::contacts::{self as contact_cmds, Profile as Details};
use crate::error::Result;
use crate::model::Deal;
use crate::model::duration::format_minutes;
use crate::model::text::{fit, one_line};
use crate::recipes::{self, Book};
use crate::store::checklists::{self, Progress};
use crate::store::deals;
use crate::store::entries::{self, MoneySummary};
use crate::tui::context::{Env, Ui};
use crate::tui::effect::{Ask, Effect, Write};
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::popups::Popup;
use crate::tui::widgets::{Scroll, panel, row_at, scroll_text, settle};
use crate::when;

/// How many notes the profile's timeline loads.
pub const TIMELINE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Details,
    Timeline,
}

#[derive(Debug)]
pub struct Profile {
    pub profile: Details,
    pub deals: Vec<Deal>,
    pub money: MoneySummary,
    pub checklists: Vec<Progress>,
    pub notes: ListState,
    pub details: Scroll,
    pub pane: Pane,
    timeline_area: Rect,
}

impl Profile {
    pub fn load(env: &Env, contact_id: i64) -> Result<Profile> {
        let conn = env.store.conn();
        let mut profile = contact_cmds::profile(conn, contact_id, TIMELINE)?;
        profile.touch = crate::commands::agenda::touch_of(
            conn,
            &env.clock,
            &profile.contact,
            &env.settings.cadence,
        )?;
        let first = (!profile.recent_notes.is_empty()).then_some(0);
        Ok(Profile {
            profile,
            deals: deals::for_contact(conn, contact_id)?,
            money: entries::summary_for(conn, contact_id)?,
            checklists: checklists::progress_for(conn, contact_id)?,
            notes: ListState::default().with_selected(first),
            details: Scroll::default(),
            pane: Pane::Details,
            timeline_area: Rect::default(),
        })
    }

    /// Load it again after a change, keeping the scroll, the pane and the selected note.
    pub fn reload(&mut self, env: &Env) -> Result<()> {
        let mut fresh = Profile::load(env, self.contact_id())?;
        let count = fresh.profile.recent_notes.len();
        fresh.notes.select(
            self.notes
                .selected()
                .map(|s| s.min(count.saturating_sub(1)))
                .filter(|_| count > 0),
        );
        fresh.details = self.details.clone();
        fresh.pane = self.pane;
        *self = fresh;
        Ok(())
    }

    pub fn contact_id(&self) -> i64 {
        self.profile.contact.id
    }

    pub fn keys(&self) -> &'static [Binding] {
        keymap::PROFILE
    }

    pub fn applies(&self, action: Action) -> bool {
        match action {
            Action::Done => !self.profile.open_follow_ups.is_empty(),
            Action::Tick => self.checklists.iter().any(|c| c.next_step.is_some()),
            Action::ShowRecipe => !self.checklists.is_empty(),
            Action::Open => self.notes.selected().is_some(),
            _ => true,
        }
    }

    fn move_in_pane(&mut self, delta: isize) {
        match self.pane {
            Pane::Details => self.details.by(delta),
            Pane::Timeline => {
                if let Some(last) = self.profile.recent_notes.len().checked_sub(1) {
                    let s = self.notes.selected().unwrap_or(0);
                    self.notes
                        .select(Some(s.saturating_add_signed(delta).min(last)));
                }
            }
        }
    }

    pub fn act(&mut self, action: Action, env: &Env) -> Result<Effect> {
        let id = self.contact_id();
        let page = match self.pane {
            Pane::Details => self.details.height.saturating_sub(1),
            Pane::Timeline => self.timeline_area.height as usize,
        }
        .max(1) as isize;
        Ok(match action {
            Action::Down => self.moved(1),
            Action::Up => self.moved(-1),
            Action::PageDown => self.moved(page),
            Action::PageUp => self.moved(-page),
            Action::Top => self.moved(isize::MIN / 2),
            Action::Bottom => self.moved(isize::MAX / 2),
            Action::SwitchPane => {
                self.pane = match self.pane {
                    Pane::Details => Pane::Timeline,
                    Pane::Timeline => Pane::Details,
                };
                Effect::None
            }
            Action::Open => match self
                .notes
                .selected()
                .and_then(|s| self.profile.recent_notes.get(s))
            {
                Some(n) => Effect::popup(Popup::text(
                    format!("{} · {} · {}", n.contact, n.kind, env.ui().date_of(&n.at)),
                    &n.body,
                )),
                None => Effect::None,
            },
            Action::Note => Effect::popup(Popup::note(env, id)),
            Action::NextStep => Effect::popup(Popup::next_step(env, id, None, false)),
            Action::Done => match self.profile.open_follow_ups.first() {
                Some(f) => Effect::Write(Write::Done { follow_up_id: f.id }),
                None => Effect::Flash("Nothing open: x adds a follow-up".into()),
            },
            Action::EditField => Effect::popup(Popup::ask(Ask::EditField { contact_id: id }, "")),
            Action::Status => Effect::popup(Popup::status(id)),
            Action::Tick => Effect::Write(Write::Tick { contact_id: id }),
            Action::ApplyRecipe => Effect::popup(Popup::recipes(env, id)),
            Action::Record => Effect::popup(Popup::ask(Ask::Record { contact_id: id }, "")),
            Action::ShowRecipe => self.show_recipe(env)?,
            Action::Back => Effect::Back,
            _ => Effect::None,
        })
    }

    fn moved(&mut self, delta: isize) -> Effect {
        self.move_in_pane(delta);
        Effect::None
    }

    fn show_recipe(&self, env: &Env) -> Result<Effect> {
        let lists = checklist_cmds::for_contact(env.store.conn(), self.contact_id())?;
        let Some(l) = lists
            .iter()
            .find(|l| l.completed_at.is_none())
            .or(lists.first())
        else {
            return Ok(Effect::Flash("No checklist yet: A applies a recipe".into()));
        };
        let book = Book::load(env.recipes_dir.as_deref());
        let body = match book.get(&l.recipe) {
            Ok(e) => recipes::describe(&e.recipe),
            Err(e) => e.to_string(),
        };
        Ok(Effect::popup(Popup::text(
            format!("Recipe: {}", l.recipe),
            &body,
        )))
    }

    pub fn mouse(&mut self, m: MouseEvent) {
        let in_timeline = self.timeline_area.contains(Position::new(m.column, m.row));
        let pane = if in_timeline {
            Pane::Timeline
        } else {
            Pane::Details
        };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let (keep, delta) = (
                    self.pane,
                    if m.kind == MouseEventKind::ScrollDown {
                        3
                    } else {
                        -3
                    },
                );
                self.pane = pane;
                self.move_in_pane(delta);
                self.pane = keep;
            }
            MouseEventKind::Down(_) => {
                self.pane = pane;
                if let Some(i) = row_at(self.timeline_area, self.notes.offset(), m.column, m.row)
                    .filter(|&i| i < self.profile.recent_notes.len())
                {
                    self.notes.select(Some(i));
                }
            }
            _ => {}
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        let (left, right) = if area.width >= 90 {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(area);
            (l, r)
        } else {
            let [l, r] = Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(area);
            (l, r)
        };
        let focus = |p: Pane| {
            if self.pane == p {
                t.title()
            } else {
                t.border()
            }
        };
        let inner = panel(frame, left, "Profile", focus(Pane::Details), t);
        let lines = self.detail_lines(ui);
        scroll_text(frame, inner, lines, &mut self.details);
        if self.details.more_below() {
            panel(frame, left, "Profile · ↓ more", focus(Pane::Details), t);
        }
        let n = self.profile.note_count;
        let title = format!("Timeline · {n} note{}", if n == 1 { "" } else { "s" });
        let inner = panel(frame, right, &title, focus(Pane::Timeline), t);
        self.timeline_area = inner;
        if self.profile.recent_notes.is_empty() {
            frame.render_widget(Span::styled("No notes yet: n adds one.", t.dim()), inner);
            return;
        }
        let items: Vec<ListItem> = self
            .profile
            .recent_notes
            .iter()
            .map(|n| {
                ListItem::new(Line::from(vec![
                    Span::styled(
                        format!("{:<11} {:<8}", ui.date_of(&n.at), n.kind.as_str()),
                        t.dim(),
                    ),
                    Span::raw(one_line(&n.body)),
                ]))
            })
            .collect();
        let style = if self.pane == Pane::Timeline {
            t.selected()
        } else {
            t.heading()
        };
        let count = self.profile.recent_notes.len();
        settle(self.notes.offset_mut(), count, inner.height as usize);
        frame.render_stateful_widget(
            List::new(items).highlight_style(style),
            inner,
            &mut self.notes,
        );
    }

    fn detail_lines(&self, ui: &Ui) -> Vec<Line<'static>> {
        let t = ui.theme;
        let c = &self.profile.contact;
        let mut lines = vec![Line::from(vec![
            Span::styled(one_line(&c.name), t.title()),
            Span::styled(format!("  #{}  ", c.id), t.dim()),
            Span::raw(c.status.as_str()),
            Span::styled(if c.archived { "  (archived)" } else { "" }, t.dim()),
        ])];
        let details = c.details();
        let label_w = details
            .iter()
            .map(|(l, _)| l.width())
            .max()
            .unwrap_or(0)
            .clamp(8, 18);
        // A value of several lines (an imported note) keeps them, under its label.
        let mut field = |label: &str, value: &str| {
            for (i, part) in value.split('\n').enumerate() {
                let label = if i == 0 { label } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", fit(label, label_w)), t.dim()),
                    Span::raw(one_line(part)),
                ]));
            }
        };
        for (label, value) in &details {
            field(label, value);
        }
        if let Some(touch) = &self.profile.touch {
            let due = match touch.due {
                Some(d) if touch.due_now => format!(" · due ({})", when::describe(d, ui.today)),
                Some(d) => format!(" · next by {}", when::describe(d, ui.today)),
                None => String::new(),
            };
            field(
                "in touch",
                &format!("{} ({}){due}", touch.cadence, touch.from),
            );
        }
        if !self.profile.members.is_empty() {
            let names: Vec<&str> = self
                .profile
                .members
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            field("people", &names.join(", "));
        }
        self.next_steps(&mut lines, ui);
        self.checklist_lines(&mut lines, ui);
        self.deal_lines(&mut lines, ui);
        self.money_lines(&mut lines, ui);
        lines
    }

    fn next_steps(&self, lines: &mut Vec<Line<'static>>, ui: &Ui) {
        let t = ui.theme;
        section(lines, "Next steps", ui);
        if self.profile.open_follow_ups.is_empty() {
            lines.push(Line::from(Span::styled("  none: x adds one", t.overdue())));
        }
        for f in &self.profile.open_follow_ups {
            let style = if f.due_date < ui.today {
                t.overdue()
            } else {
                t.dim()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<12}", when::short(f.due_date, ui.today)),
                    style,
                ),
                Span::raw(one_line(&f.text)),
            ]));
        }
    }

    fn checklist_lines(&self, lines: &mut Vec<Line<'static>>, ui: &Ui) {
        let t = ui.theme;
        if !self.checklists.is_empty() {
            section(lines, "Checklists", ui);
            for k in &self.checklists {
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
    }

    fn deal_lines(&self, lines: &mut Vec<Line<'static>>, ui: &Ui) {
        let t = ui.theme;
        if !self.deals.is_empty() {
            section(lines, "Deals", ui);
            for d in &self.deals {
                lines.push(Line::from(vec![
                    Span::styled(format!("  d#{:<4} {:<11} ", d.id, d.stage.title()), t.dim()),
                    Span::raw(format!(
                        "{}  {}",
                        one_line(&d.title),
                        ui.money(d.value_minor)
                    )),
                ]));
                let mut extra = Vec::new();
                if let Some(close) = d.expected_close {
                    extra.push(format!("close {}", when::short(close, ui.today)));
                }
                if let Some(r) = &d.lost_reason {
                    extra.push(format!("lost: {}", one_line(r)));
                }
                if !extra.is_empty() {
                    lines.push(Line::from(Span::styled(
                        format!("         {}", extra.join(" · ")),
                        t.dim(),
                    )));
                }
            }
        }
    }

    fn money_lines(&self, lines: &mut Vec<Line<'static>>, ui: &Ui) {
        let t = ui.theme;
        let m = &self.money;
        section(lines, "Money and time (all time)", ui);
        if m.invoiced_minor == 0 && m.expense_minor == 0 && m.minutes == 0 {
            lines.push(Line::from(Span::styled(
                "  nothing recorded yet (tend income, tend time)",
                t.dim(),
            )));
        } else {
            lines.push(Line::raw(format!(
                "  invoiced {} · paid {} · expenses {} · {}",
                ui.money(m.invoiced_minor),
                ui.money(m.paid_minor),
                ui.money(m.expense_minor),
                format_minutes(m.minutes)
            )));
        }
    }
}

fn section(lines: &mut Vec<Line<'static>>, title: &'static str, ui: &Ui) {
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(title, ui.theme.heading())));
}
