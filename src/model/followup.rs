//! Follow-ups (next steps): recurrence rules and how a recurring step moves on.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// "every N units": stored in its canonical short form ("2w", "3m").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub every: u32,
    pub unit: Unit,
}

impl Recurrence {
    /// Parse what a user types after `--every`: "2w", "3 days", "weekly", "fortnightly",
    /// "monthly", "quarterly", "yearly", optionally starting with "every".
    pub fn parse(input: &str) -> Result<Recurrence, String> {
        let s = input.trim().to_lowercase();
        let s = s.strip_prefix("every").map(str::trim).unwrap_or(&s);
        let named = match s {
            "day" | "daily" => Some((1, Unit::Day)),
            "week" | "weekly" => Some((1, Unit::Week)),
            "fortnight" | "fortnightly" | "biweekly" => Some((2, Unit::Week)),
            "month" | "monthly" => Some((1, Unit::Month)),
            "quarter" | "quarterly" => Some((3, Unit::Month)),
            "year" | "yearly" | "annually" | "annual" => Some((1, Unit::Year)),
            _ => None,
        };
        let (every, unit) = match named {
            Some(p) => p,
            None => {
                let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
                let rest = s[digits.len()..].trim();
                let n: u32 = digits.parse().map_err(|_| Self::error(input))?;
                let unit = parse_unit(rest).ok_or_else(|| Self::error(input))?;
                (n, unit)
            }
        };
        if every == 0 || every > 1000 {
            return Err(Self::error(input));
        }
        Ok(Recurrence { every, unit })
    }

    fn error(input: &str) -> String {
        format!(
            "cannot read '{input}' as a repeat: try 2w, 10d, 3m, weekly, fortnightly, monthly, quarterly or yearly"
        )
    }

    /// The canonical short form kept in the database.
    pub fn code(&self) -> String {
        let u = match self.unit {
            Unit::Day => 'd',
            Unit::Week => 'w',
            Unit::Month => 'm',
            Unit::Year => 'y',
        };
        format!("{}{}", self.every, u)
    }

    /// `anchor` moved on by `k` steps. Months are counted from the anchor so that the 31st
    /// stays the last day of each month instead of drifting to the 28th.
    pub fn nth_after(&self, anchor: NaiveDate, k: u32) -> Option<NaiveDate> {
        let n = self.every.checked_mul(k)?;
        match self.unit {
            Unit::Day => anchor.checked_add_days(Days::new(n.into())),
            Unit::Week => anchor.checked_add_days(Days::new(u64::from(n) * 7)),
            Unit::Month => anchor.checked_add_months(Months::new(n)),
            Unit::Year => anchor.checked_add_months(Months::new(n.checked_mul(12)?)),
        }
    }

    /// The next due date after completing the occurrence due on `due`: the first date in the
    /// series started at `anchor` that is after both `due` and `today`, so a step done late
    /// keeps its rhythm without piling up overdue copies.
    pub fn next_due(
        &self,
        anchor: NaiveDate,
        due: NaiveDate,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        let floor = due.max(today);
        // Jump close to the floor first so a long-neglected daily step costs no long loop.
        let approx_days = (floor - anchor).num_days().max(0) as u64;
        let step_days: u64 = match self.unit {
            Unit::Day => u64::from(self.every),
            Unit::Week => u64::from(self.every) * 7,
            Unit::Month => u64::from(self.every) * 31,
            Unit::Year => u64::from(self.every) * 366,
        };
        let mut k = u32::try_from(approx_days / step_days).ok()?.max(1);
        loop {
            let d = self.nth_after(anchor, k)?;
            if d > floor {
                return Some(d);
            }
            k = k.checked_add(1)?;
        }
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.every, self.unit) {
            (1, Unit::Day) => f.write_str("daily"),
            (1, Unit::Week) => f.write_str("weekly"),
            (2, Unit::Week) => f.write_str("fortnightly"),
            (1, Unit::Month) => f.write_str("monthly"),
            (3, Unit::Month) => f.write_str("quarterly"),
            (1, Unit::Year) => f.write_str("yearly"),
            (n, u) => {
                let name = match u {
                    Unit::Day => "days",
                    Unit::Week => "weeks",
                    Unit::Month => "months",
                    Unit::Year => "years",
                };
                write!(f, "every {n} {name}")
            }
        }
    }
}

pub(crate) fn parse_unit(s: &str) -> Option<Unit> {
    match s {
        "d" | "day" | "days" => Some(Unit::Day),
        "w" | "wk" | "wks" | "week" | "weeks" => Some(Unit::Week),
        "m" | "mo" | "mon" | "month" | "months" => Some(Unit::Month),
        "y" | "yr" | "yrs" | "year" | "years" => Some(Unit::Year),
        _ => None,
    }
}

/// A next step: something to do for a contact by a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub id: i64,
    pub uid: String,
    pub contact_id: i64,
    pub contact: String,
    pub deal_id: Option<i64>,
    pub text: String,
    pub due_date: NaiveDate,
    #[serde(serialize_with = "serialize_time")]
    pub due_time: Option<chrono::NaiveTime>,
    /// The repeat in its short form ("2w"), if it recurs.
    pub recurrence: Option<String>,
    pub recur_anchor: Option<NaiveDate>,
    pub snoozes: i64,
    pub done_at: Option<String>,
    /// For a later occurrence of a repeating follow-up: the uid of the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
}

impl FollowUp {
    /// The uid the whole series goes by (in a calendar): the first occurrence's.
    pub fn series_uid(&self) -> &str {
        self.series.as_deref().unwrap_or(&self.uid)
    }

    pub fn recurrence(&self) -> Option<Recurrence> {
        self.recurrence
            .as_deref()
            .and_then(|r| Recurrence::parse(r).ok())
    }
}

fn serialize_time<S: serde::Serializer>(
    t: &Option<chrono::NaiveTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_some(&t.format("%H:%M").to_string()),
        None => s.serialize_none(),
    }
}

/// Is a date in the past, today, or ahead, seen from `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Overdue,
    Today,
    Upcoming,
}

pub fn urgency(due: NaiveDate, today: NaiveDate) -> Urgency {
    match due.cmp(&today) {
        std::cmp::Ordering::Less => Urgency::Overdue,
        std::cmp::Ordering::Equal => Urgency::Today,
        std::cmp::Ordering::Greater => Urgency::Upcoming,
    }
}

/// Days between two dates, for "3 days late".
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The last day of the month `d` is in.
pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("first of month exists");
    first
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_named_and_numeric_repeats() {
        assert_eq!(Recurrence::parse("2w").unwrap().code(), "2w");
        assert_eq!(Recurrence::parse("every 10 days").unwrap().code(), "10d");
        assert_eq!(Recurrence::parse("Quarterly").unwrap().code(), "3m");
        assert_eq!(
            Recurrence::parse("fortnightly").unwrap().to_string(),
            "fortnightly"
        );
        assert_eq!(
            Recurrence::parse("5w").unwrap().to_string(),
            "every 5 weeks"
        );
        for bad in ["", "0w", "often", "2x", "w"] {
            assert!(Recurrence::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn next_due_done_on_time_moves_one_step() {
        let r = Recurrence::parse("2w").unwrap();
        assert_eq!(
            r.next_due(d("2026-11-23"), d("2026-11-23"), d("2026-11-23")),
            Some(d("2026-12-07"))
        );
    }

    #[test]
    fn next_due_done_late_skips_missed_occurrences() {
        let r = Recurrence::parse("weekly").unwrap();
        // Due 1 Nov, done on 23 Nov: 8, 15, 22 are past; the next is 29 Nov.
        assert_eq!(
            r.next_due(d("2026-11-01"), d("2026-11-01"), d("2026-11-23")),
            Some(d("2026-11-29"))
        );
    }

    #[test]
    fn next_due_done_early_still_moves_past_the_due_date() {
        let r = Recurrence::parse("monthly").unwrap();
        assert_eq!(
            r.next_due(d("2026-11-30"), d("2026-11-30"), d("2026-11-23")),
            Some(d("2026-12-30"))
        );
    }

    #[test]
    fn monthly_on_the_31st_does_not_drift() {
        let r = Recurrence::parse("monthly").unwrap();
        let anchor = d("2026-01-31");
        let feb = r.next_due(anchor, anchor, anchor).unwrap();
        assert_eq!(feb, d("2026-02-28"));
        assert_eq!(r.next_due(anchor, feb, feb), Some(d("2026-03-31")));
    }

    #[test]
    fn a_long_neglected_daily_step_lands_tomorrow() {
        let r = Recurrence::parse("daily").unwrap();
        assert_eq!(
            r.next_due(d("2000-01-01"), d("2000-01-01"), d("2026-11-23")),
            Some(d("2026-11-24"))
        );
    }

    #[test]
    fn urgency_and_end_of_month() {
        assert_eq!(urgency(d("2026-11-22"), d("2026-11-23")), Urgency::Overdue);
        assert_eq!(urgency(d("2026-11-23"), d("2026-11-23")), Urgency::Today);
        assert_eq!(end_of_month(d("2028-02-10")), d("2028-02-29"));
        assert_eq!(days_between(d("2026-11-20"), d("2026-11-23")), 3);
    }
}
