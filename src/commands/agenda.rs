//! Today: overdue, due today, the coming week, active contacts with no next step, and those
//! due to get in touch by their cadence.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use crate::clock::{self, Clock};
use crate::error::Result;
use crate::model::cadence::{self, Defaults, DueTouch};
use crate::model::followup::FollowUp;
use crate::store::contacts::{self, Neglected};
use crate::store::{entries, followups};

/// How far ahead "coming up" looks.
pub const DAYS_AHEAD: u64 = 7;

/// A list cut short is counted no further than this: Today's work stays the same however
/// large the book, and "1000+" says all a person needs. A total of `COUNT_CAP` means that
/// many or more.
pub const COUNT_CAP: usize = 1000;

/// A total as Today shows it: "1000+" at the cap.
pub fn shown_total(n: usize) -> String {
    if n >= COUNT_CAP {
        format!("{COUNT_CAP}+")
    } else {
        n.to_string()
    }
}

/// How many a list read with `limit` holds in all: its length when it came back short of the
/// limit, else what `count` says (only then is it counted).
pub(crate) fn total_of(
    len: usize,
    limit: Option<usize>,
    count: impl FnOnce() -> Result<usize>,
) -> Result<usize> {
    match limit {
        Some(limit) if len >= limit => count(),
        _ => Ok(len),
    }
}

/// How many of `total` are not among the `shown`: "985+" when the total is at the cap.
pub fn shown_more(total: usize, shown: usize) -> String {
    let more = total.saturating_sub(shown);
    if total >= COUNT_CAP {
        format!("{more}+")
    } else {
        more.to_string()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub today: NaiveDate,
    pub overdue: Vec<FollowUp>,
    pub due_today: Vec<FollowUp>,
    pub upcoming: Vec<FollowUp>,
    /// How many each of the three holds in all, when they were cut short (up to `COUNT_CAP`).
    pub overdue_total: usize,
    pub due_today_total: usize,
    pub upcoming_total: usize,
    pub no_next_step: Vec<Neglected>,
    /// All of them, when `no_next_step` was cut short (up to `COUNT_CAP`).
    pub no_next_step_total: usize,
    /// Quiet for longer than their cadence, and no follow-up planned before it ran out.
    pub due_touch: Vec<DueTouch>,
    /// Income invoiced `chase_payment_days` ago or more and not paid (cut short like the
    /// sections).
    pub chase_payment: Vec<crate::store::entries::Unpaid>,
    pub chase_payment_total: usize,
}

impl Agenda {
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.due_today.is_empty()
            && self.upcoming.is_empty()
            && self.no_next_step.is_empty()
            && self.due_touch.is_empty()
            && self.chase_payment.is_empty()
    }
}

/// `neglected_limit` cuts the "no next step" list and `section_limit` each of overdue, due today
/// and coming up, soonest first (the totals are still counted, from the open index).
pub fn agenda(
    conn: &Connection,
    clock: &Clock,
    neglected_limit: Option<usize>,
    section_limit: Option<usize>,
    settings: &crate::config::Settings,
) -> Result<Agenda> {
    let today = clock.today();
    let chase_by = today
        .checked_sub_days(Days::new(u64::from(settings.chase_payment_days)))
        .unwrap_or(today);
    let until = today
        .checked_add_days(Days::new(DAYS_AHEAD))
        .unwrap_or(today);
    let section = |from: Option<NaiveDate>, to: NaiveDate| -> Result<(Vec<FollowUp>, usize)> {
        let items = followups::open_due_in(conn, from, to, section_limit)?;
        let total = total_of(items.len(), section_limit, || {
            followups::count_open_due_in(conn, from, to, Some(COUNT_CAP))
        })?;
        Ok((items, total))
    };
    let (overdue, overdue_total) = section(None, today.pred_opt().unwrap_or(today))?;
    let (due_today, due_today_total) = section(Some(today), today)?;
    let (upcoming, upcoming_total) = section(today.succ_opt(), until)?;
    let chase_payment = entries::unpaid_by(conn, chase_by, section_limit)?;
    let chase_payment_total = total_of(chase_payment.len(), section_limit, || {
        entries::count_unpaid_by(conn, chase_by, Some(COUNT_CAP))
    })?;
    let no_next_step = contacts::without_next_step(conn, neglected_limit)?;
    let total = total_of(no_next_step.len(), neglected_limit, || {
        contacts::count_without_next_step(conn, Some(COUNT_CAP))
    })?;
    Ok(Agenda {
        today,
        overdue,
        due_today,
        upcoming,
        overdue_total,
        due_today_total,
        upcoming_total,
        no_next_step,
        no_next_step_total: total,
        due_touch: due_to_touch(conn, clock, &settings.cadence)?,
        chase_payment,
        chase_payment_total,
    })
}

/// The day a cadence counts from: the last interaction's, else the day they were added; and
/// whether there was one.
fn since(clock: &Clock, last: Option<&str>, created_at: &str) -> Option<(NaiveDate, bool)> {
    let day = |stamp: &str| clock::local(stamp, clock.offset()).map(|t| t.date_naive());
    match last.and_then(day) {
        Some(d) => Some((d, true)),
        None => day(created_at).map(|d| (d, false)),
    }
}

/// Everyone due to get in touch today, longest overdue first.
pub fn due_to_touch(
    conn: &Connection,
    clock: &Clock,
    defaults: &Defaults,
) -> Result<Vec<DueTouch>> {
    let today = clock.today();
    let statuses: Vec<String> = defaults.statuses.iter().map(|(s, _)| s.clone()).collect();
    let tags: Vec<String> = defaults.tags.iter().map(|(t, _)| t.clone()).collect();
    let mut out = Vec::new();
    for c in contacts::touch_candidates(conn, &statuses, &tags)? {
        let Some(every) = cadence::effective(c.cadence.as_deref(), &c.status, &c.tags, defaults)
        else {
            continue;
        };
        let Some((since, contacted)) = since(clock, c.last_note_at.as_deref(), &c.created_at)
        else {
            continue;
        };
        let next = c
            .next_due
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok());
        if let Some(due) = cadence::due_on(since, &every, next, today) {
            out.push(DueTouch {
                id: c.id,
                name: c.name,
                status: c.status,
                cadence: every.to_string(),
                since,
                contacted,
                due,
                quiet_days: (today - since).num_days(),
            });
        }
    }
    out.sort_by(|a, b| (a.due, &a.name).cmp(&(b.due, &b.name)));
    Ok(out)
}

/// How often to be in touch with one contact and why ("their own", "clients", "tag vip"), and
/// when they are (or were) next due, for `tend show` and `tend cadence`.
#[derive(Debug, Clone, Serialize)]
pub struct Touch {
    pub cadence: String,
    pub from: String,
    /// The day the cadence runs out after the last contact (or the day they were added).
    pub due: Option<NaiveDate>,
    /// Due today or before, with no follow-up planned by then.
    pub due_now: bool,
}

pub fn touch_of(
    conn: &Connection,
    clock: &Clock,
    c: &crate::model::Contact,
    defaults: &Defaults,
) -> Result<Option<Touch>> {
    let Some(every) =
        cadence::effective(c.cadence.as_deref(), c.status.as_str(), &c.tags, defaults)
    else {
        return Ok(None);
    };
    let from = match c.cadence {
        Some(_) => "their own".to_string(),
        None => {
            let status = c.status.as_str();
            defaults
                .tags
                .iter()
                .filter(|(t, _)| c.tags.contains(t))
                .find(|(_, r)| *r == every)
                .map(|(t, _)| format!("tag {t}"))
                .unwrap_or_else(|| format!("{status}s"))
        }
    };
    let last = contacts::last_interaction(conn, c.id)?;
    let since = since(clock, last.as_deref(), &c.created_at).map(|(d, _)| d);
    let due = since.and_then(|s| every.nth_after(s, 1));
    let next = followups::open_for(conn, c.id)?.first().map(|f| f.due_date);
    let due_now = since
        .and_then(|s| cadence::due_on(s, &every, next, clock.today()))
        .is_some();
    Ok(Some(Touch {
        cadence: every.to_string(),
        from,
        due,
        due_now,
    }))
}

#[cfg(test)]
mod count_tests {
    use super::*;

    #[test]
    fn a_count_at_the_cap_says_so() {
        assert_eq!(shown_total(999), "999");
        assert_eq!(shown_total(COUNT_CAP), "1000+");
        assert_eq!(shown_more(40, 25), "15");
        assert_eq!(shown_more(COUNT_CAP, 25), "975+");
        assert_eq!(shown_more(3, 25), "0");
    }
}
