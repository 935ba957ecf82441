//! The one clock. Everything date-dependent asks it; tests set it with `TEND_NOW`.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// The environment variable that fixes "now", e.g. `TEND_NOW=2026-11-23T09:00:00`.
pub const NOW_VAR: &str = "TEND_NOW";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    now: DateTime<FixedOffset>,
    /// Set by `TEND_NOW` or a test: time stands still.
    fixed: bool,
}

impl Clock {
    /// The system's local time.
    pub fn system() -> Clock {
        Clock {
            now: Local::now().fixed_offset(),
            fixed: false,
        }
    }

    pub fn fixed(now: DateTime<FixedOffset>) -> Clock {
        Clock { now, fixed: true }
    }

    /// A long-running view (the TUI) calls this to move a system clock on; a fixed one stays.
    pub fn tick(&mut self) {
        if !self.fixed {
            *self = Clock::system();
        }
    }

    /// `TEND_NOW` when set (RFC 3339, `YYYY-MM-DDTHH:MM[:SS]` taken as UTC, or a bare date at
    /// 09:00 UTC), the system clock otherwise.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var(NOW_VAR) {
            Ok(v) if !v.trim().is_empty() => Clock::parse(&v).ok_or_else(|| {
                format!("{NOW_VAR}='{v}' is not a time: use e.g. 2026-11-23T09:00:00 or unset it")
            }),
            _ => Ok(Clock::system()),
        }
    }

    pub fn parse(v: &str) -> Option<Clock> {
        let v = v.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Some(Clock::fixed(t));
        }
        let utc = FixedOffset::east_opt(0)?;
        for fmt in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(v, fmt) {
                return Some(Clock::fixed(t.and_local_timezone(utc).single()?));
            }
        }
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?;
        Some(Clock::fixed(
            d.and_hms_opt(9, 0, 0)?.and_local_timezone(utc).single()?,
        ))
    }

    /// Today's date where the user is.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    pub fn offset(&self) -> FixedOffset {
        *self.now.offset()
    }

    /// A timestamp for the database: UTC, RFC 3339, seconds.
    pub fn stamp(&self) -> String {
        stamp(self.now)
    }
}

pub fn stamp(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A stored UTC timestamp, seen in the clock's offset.
pub fn local(stamp: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| t.with_timezone(&offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_tests_use() {
        let c = Clock::parse("2026-11-23T10:30:00").unwrap();
        assert_eq!(c.today().to_string(), "2026-11-23");
        assert_eq!(c.stamp(), "2026-11-23T10:30:00Z");
        let c = Clock::parse("2026-11-23T23:30:00-05:00").unwrap();
        assert_eq!(c.today().to_string(), "2026-11-23");
        assert_eq!(c.stamp(), "2026-11-24T04:30:00Z");
        assert_eq!(
            Clock::parse("2026-11-23").unwrap().stamp(),
            "2026-11-23T09:00:00Z"
        );
        assert!(Clock::parse("soon").is_none());
    }

    #[test]
    fn stored_stamps_come_back_in_local_time() {
        let c = Clock::parse("2026-11-23T23:30:00-05:00").unwrap();
        let back = local(&c.stamp(), c.offset()).unwrap();
        assert_eq!(back, c.now());
    }
}
