//! A contact at a glance, shared by Today's side panel and the review card: who they are,
//! the checklist's next step, open follow-ups, the last notes.

use ratatui::text::{Line, Span};
use rusqlite::Connection;

use crate::error::Result;
use crate::model::followup::FollowUp;
use crate::model::text::one_line;
use crate::model::{Contact, Note};
use crate::store::{checklists, contacts, followups, notes};
use crate::tui::context::Ui;
use crate::when;

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub contact: Contact,
    pub notes: Vec<Note>,
    pub checklist: Option<String>,
    pub open: Vec<FollowUp>,
}

impl Card {
    pub fn load(conn: &Connection, contact_id: i64) -> Result<Card> {
        Ok(Card {
            contact: contacts::get(conn, contact_id)?,
            notes: notes::recent_for(conn, contact_id, 3)?,
            checklist: checklists::next_step_for(conn, contact_id)?,
            open: followups::open_for(conn, contact_id)?,
        })
    }

    /// The card's lines; long ones wrap where they are drawn.
    pub fn lines(&self, ui: &Ui) -> Vec<Line<'static>> {
        let t = ui.theme;
        let c = &self.contact;
        let mut about = vec![c.status.to_string()];
        about.extend(c.company.iter().map(|co| one_line(co)));
        about.extend(c.email.iter().map(|e| one_line(e)));
        let mut lines = vec![Line::from(Span::styled(about.join(" · "), t.dim()))];
        let label_w = c
            .fields
            .keys()
            .map(|k| unicode_width::UnicodeWidthStr::width(k.as_str()))
            .chain([9])
            .max()
            .unwrap_or(9)
            .min(18);
        let mut field = |label: &str, value: &str| {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} ", crate::model::text::fit(label, label_w)),
                    t.dim(),
                ),
                Span::raw(one_line(value)),
            ]));
        };
        if let Some(step) = &self.checklist {
            field("Checklist", step);
        }
        if let Some(p) = &c.phone {
            field("phone", p);
        }
        for (k, v) in &c.fields {
            field(k, v);
        }
        if !self.open.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled("Open follow-ups", t.heading())));
            for f in &self.open {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {:<12}", when::short(f.due_date, ui.today)),
                        t.dim(),
                    ),
                    Span::raw(one_line(&f.text)),
                ]));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled("Last notes", t.heading())));
        if self.notes.is_empty() {
            lines.push(Line::from(Span::styled("  none yet", t.dim())));
        }
        for n in &self.notes {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<11} {:<8}", ui.date_of(&n.at), n.kind.as_str()),
                    t.dim(),
                ),
                Span::raw(one_line(&n.body)),
            ]));
        }
        lines
    }
}
