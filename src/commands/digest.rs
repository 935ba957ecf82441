//! `tend digest`: the day's agenda with what to know about each person, for cron to mail or
//! post. Only reads; the same database and clock give the same digest.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::clock::{self, Clock};
use crate::commands::agenda;
use crate::config::Settings;
use crate::error::Result;
use crate::model::cadence::DueTouch;
use crate::model::deal::Deal;
use crate::model::followup::FollowUp;
use crate::store::entries::Unpaid;
use crate::store::{contacts, notes, reports};

/// What to know about someone before getting in touch.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The newest note: its day and first line.
    pub last_note: Option<(NaiveDate, String)>,
    /// The next step of their checklist under way ("Onboarding: send the welcome pack").
    pub checklist: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub follow_up: FollowUp,
    pub context: Context,
}

#[derive(Debug, Clone, Serialize)]
pub struct Touch {
    pub due: DueTouch,
    pub context: Context,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chase {
    #[serde(flatten)]
    pub unpaid: Unpaid,
    pub context: Context,
}

#[derive(Debug, Clone, Serialize)]
pub struct LateDeal {
    #[serde(flatten)]
    pub deal: Deal,
    pub context: Context,
}

#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub today: NaiveDate,
    pub overdue: Vec<Step>,
    pub due_today: Vec<Step>,
    pub due_touch: Vec<Touch>,
    pub chase_payment: Vec<Chase>,
    /// Open deals whose expected close has passed.
    pub late_deals: Vec<LateDeal>,
    pub currency: String,
}

impl Digest {
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.due_today.is_empty()
            && self.due_touch.is_empty()
            && self.chase_payment.is_empty()
            && self.late_deals.is_empty()
    }
}

/// A first line cut to about a line of text.
fn first_line(body: &str) -> String {
    let line = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut out: String = line.chars().take(100).collect();
    if line.chars().count() > 100 {
        out.push('…');
    }
    out
}

pub fn context(conn: &Connection, clock: &Clock, id: i64) -> Result<Context> {
    let c = contacts::get(conn, id)?;
    let last_note = notes::recent_for(conn, id, 1)?.into_iter().next().map(|n| {
        let day = clock::local(&n.at, clock.offset())
            .map(|t| t.date_naive())
            .unwrap_or_else(|| clock.today());
        (day, first_line(&n.body))
    });
    Ok(Context {
        phone: c.phone,
        email: c.email,
        last_note,
        checklist: crate::store::checklists::next_step_for(conn, id)?,
    })
}

pub fn digest(conn: &Connection, clock: &Clock, settings: &Settings) -> Result<Digest> {
    let ag = agenda::agenda(conn, clock, Some(0), None, settings)?;
    let steps = |items: Vec<FollowUp>| -> Result<Vec<Step>> {
        items
            .into_iter()
            .map(|f| {
                Ok(Step {
                    context: context(conn, clock, f.contact_id)?,
                    follow_up: f,
                })
            })
            .collect()
    };
    let today = clock.today();
    let late_deals = reports::open_deals(conn)?
        .into_iter()
        .filter(|d| d.expected_close.is_some_and(|e| e < today))
        .map(|deal| {
            Ok(LateDeal {
                context: context(conn, clock, deal.contact_id)?,
                deal,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Digest {
        today,
        overdue: steps(ag.overdue)?,
        due_today: steps(ag.due_today)?,
        due_touch: ag
            .due_touch
            .into_iter()
            .map(|d| {
                Ok(Touch {
                    context: context(conn, clock, d.id)?,
                    due: d,
                })
            })
            .collect::<Result<_>>()?,
        chase_payment: ag
            .chase_payment
            .into_iter()
            .map(|unpaid| {
                Ok(Chase {
                    context: context(conn, clock, unpaid.contact_id)?,
                    unpaid,
                })
            })
            .collect::<Result<_>>()?,
        late_deals,
        currency: settings.currency.code.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_s_first_line_is_cut_to_a_line() {
        assert_eq!(first_line("\n  called her\nmore"), "called her");
        let long = "x".repeat(150);
        assert_eq!(first_line(&long).chars().count(), 101);
    }
}
