//! Cadences: how often to be in touch with someone ("every 2w"), and when they are due.
//!
//! A contact's own cadence wins; without one, the shortest of the defaults for their tags and
//! status in config.toml applies; `off` says this one has none whatever the defaults say. A
//! contact is due to get in touch once their last interaction (or, never contacted, the day
//! they were added) is a cadence ago, unless a follow-up already plans to reach them by then.

use chrono::NaiveDate;
use serde::Serialize;

use super::followup::Recurrence;

/// What `tend cadence WHO ...` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Every(Recurrence),
    /// None for this contact, whatever the defaults for their tags and status say.
    Off,
}

impl Cadence {
    pub fn parse(input: &str) -> Result<Cadence, String> {
        match input.trim().to_lowercase().as_str() {
            "off" | "never" | "none" => Ok(Cadence::Off),
            _ => Recurrence::parse(input).map(Cadence::Every).map_err(|_| {
                format!(
                    "cannot read '{input}' as how often to be in touch: try 2w, 6w, 3m, monthly or quarterly (or off)"
                )
            }),
        }
    }

    /// As stored on the contact: "2w", "off".
    pub fn code(&self) -> String {
        match self {
            Cadence::Every(r) => r.code(),
            Cadence::Off => "off".into(),
        }
    }
}

/// The defaults from config.toml: `[cadence] statuses = { client = "6w" }`, `tags = { vip =
/// "2w" }`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    pub statuses: Vec<(String, Recurrence)>,
    pub tags: Vec<(String, Recurrence)>,
}

impl Defaults {
    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.tags.is_empty()
    }
}

/// Roughly how many days a cadence is, to tell the shortest of several.
fn approx_days(r: &Recurrence) -> u64 {
    use super::followup::Unit;
    let per = match r.unit {
        Unit::Day => 1,
        Unit::Week => 7,
        Unit::Month => 30,
        Unit::Year => 365,
    };
    u64::from(r.every) * per
}

/// The cadence that applies: the contact's own (`own` as stored), else the shortest default
/// for their status and tags.
pub fn effective(
    own: Option<&str>,
    status: &str,
    tags: &[String],
    defaults: &Defaults,
) -> Option<Recurrence> {
    if let Some(own) = own {
        return match Cadence::parse(own) {
            Ok(Cadence::Every(r)) => Some(r),
            _ => None,
        };
    }
    defaults
        .statuses
        .iter()
        .filter(|(s, _)| s == status)
        .chain(defaults.tags.iter().filter(|(t, _)| tags.contains(t)))
        .map(|(_, r)| *r)
        .min_by_key(approx_days)
}

/// Someone it is time to get in touch with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueTouch {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub cadence: String,
    /// The last interaction, or the day they were added when there was none.
    pub since: NaiveDate,
    pub contacted: bool,
    /// When the cadence ran out.
    pub due: NaiveDate,
    /// Days since `since`.
    pub quiet_days: i64,
}

/// When `cadence` after `since` falls due, if that is today or before and no open follow-up
/// (the earliest is `next_due`) plans the contact within a cadence from now: a next step set
/// takes someone off (and an overdue one already shows in Today), one months away does not.
pub fn due_on(
    since: NaiveDate,
    cadence: &Recurrence,
    next_due: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let due = cadence.nth_after(since, 1)?;
    let horizon = cadence.nth_after(today, 1).unwrap_or(today);
    if due > today || next_due.is_some_and(|n| n <= horizon) {
        return None;
    }
    Some(due)
}

/// "3 weeks", "5 days", "2 months": how long someone has been quiet.
pub fn quiet_for(days: i64) -> String {
    let (n, unit) = match days {
        d if d < 14 => (d, "day"),
        d if d < 61 => (d / 7, "week"),
        d if d < 730 => (d / 30, "month"),
        d => (d / 365, "year"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn every(s: &str) -> Recurrence {
        Recurrence::parse(s).unwrap()
    }

    #[test]
    fn due_a_cadence_after_the_last_contact_and_not_before() {
        let two_weeks = every("2w");
        let today = d("2026-11-23");
        assert_eq!(
            due_on(d("2026-11-09"), &two_weeks, None, today),
            Some(d("2026-11-23"))
        );
        assert_eq!(
            due_on(d("2026-11-01"), &two_weeks, None, today),
            Some(d("2026-11-15"))
        );
        assert_eq!(
            due_on(d("2026-11-10"), &two_weeks, None, today),
            None,
            "due tomorrow"
        );
        // Months from the day: the 31st of January is due at the end of February.
        assert_eq!(
            due_on(d("2026-01-31"), &every("1m"), None, d("2026-03-01")),
            Some(d("2026-02-28"))
        );
    }

    #[test]
    fn a_follow_up_planned_by_then_means_not_due_one_planned_later_does_not() {
        let today = d("2026-11-23");
        let since = d("2026-11-01");
        let c = every("2w");
        assert_eq!(
            due_on(since, &c, Some(d("2026-11-15")), today),
            None,
            "on the day"
        );
        assert_eq!(
            due_on(since, &c, Some(d("2026-11-10")), today),
            None,
            "before"
        );
        assert_eq!(
            due_on(since, &c, Some(d("2026-11-27")), today),
            None,
            "a next step set now, for Friday"
        );
        assert_eq!(
            due_on(since, &c, Some(d("2027-02-01")), today),
            Some(d("2026-11-15")),
            "a step months away does not keep them in touch"
        );
    }

    #[test]
    fn own_cadence_wins_then_the_shortest_default_and_off_means_none() {
        let defaults = Defaults {
            statuses: vec![("client".into(), every("6w"))],
            tags: vec![("vip".into(), every("2w")), ("slow".into(), every("3m"))],
        };
        let vip = vec!["vip".to_string()];
        assert_eq!(effective(None, "client", &[], &defaults), Some(every("6w")));
        assert_eq!(
            effective(None, "client", &vip, &defaults),
            Some(every("2w"))
        );
        assert_eq!(
            effective(Some("1w"), "client", &vip, &defaults),
            Some(every("1w"))
        );
        assert_eq!(effective(Some("off"), "client", &vip, &defaults), None);
        assert_eq!(effective(None, "lead", &[], &defaults), None);
    }

    #[test]
    fn cadences_read_as_people_write_them() {
        assert_eq!(Cadence::parse("2w"), Ok(Cadence::Every(every("2w"))));
        assert_eq!(Cadence::parse("monthly").map(|c| c.code()), Ok("1m".into()));
        assert_eq!(Cadence::parse("off"), Ok(Cadence::Off));
        let err = Cadence::parse("soon").unwrap_err();
        assert!(err.contains("2w") && err.contains("off"), "{err}");
        assert_eq!(quiet_for(3), "3 days");
        assert_eq!(quiet_for(21), "3 weeks");
        assert_eq!(quiet_for(95), "3 months");
        assert_eq!(quiet_for(400), "13 months");
        assert_eq!(quiet_for(800), "2 years");
    }
}
