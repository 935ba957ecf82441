//! Human dates: "tomorrow", "fri", "next tue", "in 2w", "+3d", "1 dec", "2026-12-01", "eom",
//! with an optional time ("fri 14:00", "tomorrow 9am"). Pure: the caller passes today.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};
use serde::Serialize;

use crate::model::followup::{Unit, end_of_month, parse_unit};

/// Which way an unanchored date points: a due date looks ahead ("fri" is the coming Friday),
/// the date of a past interaction looks back ("fri" is last Friday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Future,
    Past,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct When {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

/// What the error message offers as examples.
pub const EXAMPLES: &str =
    "today, tomorrow, fri, next tue, in 3d, +2w, 1 dec, 2026-12-01, eom, or add a time: fri 14:00";

pub fn parse(input: &str, today: NaiveDate, dir: Direction) -> Result<When, String> {
    let lower = input.trim().to_lowercase();
    if minutes_not_months(&lower) {
        return Err(ambiguous(input.trim()));
    }
    let mut tokens: Vec<&str> = lower.split_whitespace().collect();
    let time = take_time(&mut tokens);
    if tokens.last() == Some(&"at") {
        // "fri at" is a day waiting for its time: read as a day, "tomorrow at 9 call" would
        // save "9 call" all day (and "fri at the bakery" would lose its "at").
        if time.is_none() {
            return Err(format!(
                "'{}' needs a time after 'at': {} 9am, or {} 14:30",
                input.trim(),
                input.trim(),
                input.trim()
            ));
        }
        tokens.pop();
    }
    let date = if tokens.is_empty() {
        time.map(|_| today)
    } else {
        parse_date(&tokens, today, dir)
    };
    match date {
        // Anything outside these years is a slip of the keyboard ("3600mo"), not a plan.
        Some(date) if (1900..2200).contains(&date.year()) => Ok(When { date, time }),
        Some(date) => Err(format!(
            "'{}' would be {}, which looks like a typo: try {EXAMPLES}",
            input.trim(),
            date.format("%-d %b %Y")
        )),
        None => Err(format!(
            "cannot read '{}' as a date: try {EXAMPLES}",
            input.trim()
        )),
    }
}

fn ambiguous(typed: &str) -> String {
    format!(
        "'{typed}' is ambiguous: dates have no minutes; for months write mo or months (in 3mo), for a time add it to a day (today 14:30)"
    )
}

/// "in 30m", "+5m", "30 min": a count of minutes (or of months, written the way minutes are),
/// which a date should not guess at.
fn minutes_not_months(lower: &str) -> bool {
    let joined: String = lower
        .trim_start_matches("in ")
        .trim_end_matches(" ago")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let rest = joined.trim_start_matches(['+', '-']);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(&rest[digits..], "m" | "min" | "mins" | "minute" | "minutes")
}

/// Take a trailing time off the tokens: "14:00", "9am", "9:30pm", "9 am", "noon".
fn take_time(tokens: &mut Vec<&str>) -> Option<NaiveTime> {
    let last = *tokens.last()?;
    if let Some(t) = parse_time(last) {
        tokens.pop();
        return Some(t);
    }
    if (last == "am" || last == "pm") && tokens.len() >= 2 {
        let joined = format!("{}{}", tokens[tokens.len() - 2], last);
        if let Some(t) = parse_time(&joined) {
            tokens.truncate(tokens.len() - 2);
            return Some(t);
        }
    }
    None
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    if s == "noon" || s == "midday" {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    let (body, pm) = if let Some(b) = s.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = s.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (s, None)
    };
    // "9.30am" as the British write it; without am or pm a dot is left alone ("1.12").
    let sep = if pm.is_some() && !body.contains(':') {
        '.'
    } else {
        ':'
    };
    let (h, m) = match body.split_once(sep) {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if pm.is_some() => (body.parse::<u32>().ok()?, 0),
        _ => return None,
    };
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(true) => h % 12 + 12,
        Some(false) => h % 12,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

fn parse_date(tokens: &[&str], today: NaiveDate, dir: Direction) -> Option<NaiveDate> {
    let joined = tokens.join(" ");
    match joined.as_str() {
        "today" | "tod" | "now" => return Some(today),
        "tomorrow" | "tom" | "tmr" | "tmrw" => return today.succ_opt(),
        "yesterday" | "yday" => return today.pred_opt(),
        "eow" | "end of week" => {
            return Some(next_weekday_on_or_after(today, Weekday::Fri));
        }
        "eom" | "end of month" => return Some(end_of_month(today)),
        "eoy" | "end of year" => return NaiveDate::from_ymd_opt(today.year(), 12, 31),
        "next week" => return Some(week_start(today) + Days::new(7)),
        "next month" => {
            let first = today.with_day(1)?;
            return first.checked_add_months(Months::new(1));
        }
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(&joined, "%Y-%m-%d") {
        return Some(d);
    }
    match tokens {
        [w] if weekday(w).is_some() => {
            let wd = weekday(w)?;
            Some(match dir {
                Direction::Future => next_weekday_after(today, wd),
                Direction::Past => prev_weekday_before(today, wd),
            })
        }
        ["next", w] => Some(week_start(today) + Days::new(7 + day_index(weekday(w)?))),
        ["this", w] => Some(week_start(today) + Days::new(day_index(weekday(w)?))),
        ["last", w] => Some(week_start(today) - Days::new(7) + Days::new(day_index(weekday(w)?))),
        _ => relative(tokens, today, dir).or_else(|| day_and_month(tokens, today, dir)),
    }
}

/// "in 3d", "+2w", "-1m", "3 days ago", "in a week", "3d".
fn relative(tokens: &[&str], today: NaiveDate, dir: Direction) -> Option<NaiveDate> {
    let mut toks: Vec<&str> = tokens.to_vec();
    let mut forward = dir == Direction::Future;
    if toks.first() == Some(&"in") {
        forward = true;
        toks.remove(0);
    }
    if toks.last() == Some(&"ago") {
        forward = false;
        toks.pop();
    }
    let mut text = toks.join("");
    if let Some(rest) = text.strip_prefix('+') {
        forward = true;
        text = rest.to_string();
    } else if let Some(rest) = text.strip_prefix('-') {
        forward = false;
        text = rest.to_string();
    }
    let (n, unit) = if let Some(rest) = text.strip_prefix("an").or_else(|| text.strip_prefix('a')) {
        (1u32, parse_unit(rest)?)
    } else {
        let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() || digits.len() > 5 {
            return None;
        }
        (digits.parse().ok()?, parse_unit(&text[digits.len()..])?)
    };
    shift(today, n, unit, forward)
}

fn shift(d: NaiveDate, n: u32, unit: Unit, forward: bool) -> Option<NaiveDate> {
    match (unit, forward) {
        (Unit::Day, true) => d.checked_add_days(Days::new(n.into())),
        (Unit::Day, false) => d.checked_sub_days(Days::new(n.into())),
        (Unit::Week, true) => d.checked_add_days(Days::new(u64::from(n) * 7)),
        (Unit::Week, false) => d.checked_sub_days(Days::new(u64::from(n) * 7)),
        (Unit::Month, true) => d.checked_add_months(Months::new(n)),
        (Unit::Month, false) => d.checked_sub_months(Months::new(n)),
        (Unit::Year, true) => d.checked_add_months(Months::new(n.checked_mul(12)?)),
        (Unit::Year, false) => d.checked_sub_months(Months::new(n.checked_mul(12)?)),
    }
}

/// "1 dec", "dec 1", "1st december", "1 dec 2027". Without a year: the next such day when
/// looking ahead (today counts), the last one when looking back.
fn day_and_month(tokens: &[&str], today: NaiveDate, dir: Direction) -> Option<NaiveDate> {
    let (day, month, year) = match tokens {
        [a, b] => day_month(a, b)?.into_tuple(None),
        [a, b, y] => day_month(a, b)?.into_tuple(Some(y.parse::<i32>().ok()?)),
        _ => return None,
    };
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    match dir {
        Direction::Future => match this_year {
            Some(d) if d >= today => Some(d),
            _ => next_valid(today.year() + 1, month, day, 1),
        },
        Direction::Past => match this_year {
            Some(d) if d <= today => Some(d),
            _ => next_valid(today.year() - 1, month, day, -1),
        },
    }
}

/// 29 February exists only in leap years: look up to eight years on for it.
fn next_valid(mut year: i32, month: u32, day: u32, step: i32) -> Option<NaiveDate> {
    for _ in 0..8 {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
            return Some(d);
        }
        year += step;
    }
    None
}

struct DayMonth(u32, u32);

impl DayMonth {
    fn into_tuple(self, year: Option<i32>) -> (u32, u32, Option<i32>) {
        (self.0, self.1, year)
    }
}

fn day_month(a: &str, b: &str) -> Option<DayMonth> {
    if let (Some(d), Some(m)) = (day_number(a), month(b)) {
        return Some(DayMonth(d, m));
    }
    if let (Some(m), Some(d)) = (month(a), day_number(b)) {
        return Some(DayMonth(d, m));
    }
    None
}

fn day_number(s: &str) -> Option<u32> {
    let digits = s
        .trim_end_matches(',')
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    let n: u32 = digits.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

fn month(s: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let s = s.trim_end_matches([',', '.']);
    if s == "sept" {
        return Some(9);
    }
    if s.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| n.starts_with(s))
        .map(|i| i as u32 + 1)
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn day_index(w: Weekday) -> u64 {
    u64::from(w.num_days_from_monday())
}

/// Monday of the week `d` is in.
fn week_start(d: NaiveDate) -> NaiveDate {
    d - Days::new(day_index(d.weekday()))
}

fn next_weekday_after(d: NaiveDate, w: Weekday) -> NaiveDate {
    let ahead = (7 + day_index(w) - day_index(d.weekday())) % 7;
    d + Days::new(if ahead == 0 { 7 } else { ahead })
}

fn next_weekday_on_or_after(d: NaiveDate, w: Weekday) -> NaiveDate {
    let ahead = (7 + day_index(w) - day_index(d.weekday())) % 7;
    d + Days::new(ahead)
}

fn prev_weekday_before(d: NaiveDate, w: Weekday) -> NaiveDate {
    let back = (7 + day_index(d.weekday()) - day_index(w)) % 7;
    d - Days::new(if back == 0 { 7 } else { back })
}

/// A date as a person reads it next to today: "today", "tomorrow", "Fri 27 Nov",
/// with the year only when it is not this year.
pub fn describe(date: NaiveDate, today: NaiveDate) -> String {
    if date == today {
        "today".into()
    } else if Some(date) == today.succ_opt() {
        "tomorrow".into()
    } else if Some(date) == today.pred_opt() {
        "yesterday".into()
    } else if date.year() == today.year() {
        date.format("%a %-d %b").to_string()
    } else {
        date.format("%a %-d %b %Y").to_string()
    }
}

/// A warning for a date more than two years ahead (a typo such as 2062 for 2026 looks like
/// a plan otherwise), or None.
pub fn far_ahead(date: NaiveDate, today: NaiveDate) -> Option<String> {
    let limit = today.checked_add_months(Months::new(24))?;
    (date > limit).then(|| {
        format!(
            "{} is more than two years ahead; if that is a typo, tend undo takes it back",
            date.format("%a %-d %b %Y")
        )
    })
}

/// A warning for a day more than a year back (1990 for 2026 drops money out of this year's
/// figures without a word otherwise), or None.
pub fn long_ago(date: NaiveDate, today: NaiveDate) -> Option<String> {
    let limit = today.checked_sub_months(Months::new(12))?;
    (date < limit).then(|| {
        format!(
            "{} is more than a year ago; if that is a typo, tend undo takes it back",
            date.format("%a %-d %b %Y")
        )
    })
}

/// A date for a narrow column (at most 11 columns): "today", "yesterday", "Fri 27 Nov" this
/// year, "4 Oct 2025" in another.
pub fn short(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        describe(date, today)
    } else {
        date.format("%-d %b %Y").to_string()
    }
}

/// "3 days late", "due today", "in 4 days".
pub fn relative_phrase(date: NaiveDate, today: NaiveDate) -> String {
    let days = (date - today).num_days();
    match days {
        0 => "due today".into(),
        1 => "in 1 day".into(),
        -1 => "1 day late".into(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days late", -d),
    }
}

/// "3 days ago", "today", "in 2 days" for when something happened.
pub fn ago(date: NaiveDate, today: NaiveDate) -> String {
    let days = (today - date).num_days();
    match days {
        0 => "today".into(),
        1 => "yesterday".into(),
        d if d > 1 => format!("{d} days ago"),
        d => format!("in {} days", -d),
    }
}

#[cfg(test)]
mod short_tests {
    use super::*;

    #[test]
    fn a_date_years_ahead_is_flagged() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(far_ahead(NaiveDate::from_ymd_opt(2062, 1, 1).unwrap(), today).is_some());
        assert!(far_ahead(NaiveDate::from_ymd_opt(2027, 6, 1).unwrap(), today).is_none());
        assert!(long_ago(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(), today).is_some());
        assert!(long_ago(today, today).is_none());
    }

    #[test]
    fn dates_of_other_years_fit_eleven_columns() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let old = NaiveDate::from_ymd_opt(2025, 10, 4).unwrap();
        assert_eq!(short(old, today), "4 Oct 2025");
        assert_eq!(short(today, today), "today");
        let far = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
        assert!(short(far, today).chars().count() <= 11);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 23 November 2026.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn fut(s: &str) -> String {
        parse(s, today(), Direction::Future)
            .map(|w| w.date.to_string())
            .unwrap_or_else(|e| e)
    }

    fn past(s: &str) -> String {
        parse(s, today(), Direction::Past)
            .map(|w| w.date.to_string())
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn named_days() {
        assert_eq!(fut("today"), "2026-11-23");
        assert_eq!(fut("Tomorrow"), "2026-11-24");
        assert_eq!(past("yesterday"), "2026-11-22");
    }

    #[test]
    fn weekdays_are_the_next_occurrence_ahead_and_the_last_one_back() {
        assert_eq!(fut("fri"), "2026-11-27");
        assert_eq!(
            fut("monday"),
            "2026-11-30",
            "today is Monday: 'mon' is next week's"
        );
        assert_eq!(past("fri"), "2026-11-20");
        assert_eq!(past("mon"), "2026-11-16");
    }

    #[test]
    fn next_this_and_last_name_a_week() {
        assert_eq!(fut("next fri"), "2026-12-04");
        assert_eq!(fut("next mon"), "2026-11-30");
        assert_eq!(fut("this thu"), "2026-11-26");
        assert_eq!(past("last fri"), "2026-11-20");
        assert_eq!(fut("next week"), "2026-11-30");
        assert_eq!(fut("next month"), "2026-12-01");
    }

    #[test]
    fn offsets() {
        assert_eq!(fut("in 3d"), "2026-11-26");
        assert_eq!(fut("in 2w"), "2026-12-07");
        assert_eq!(fut("+5d"), "2026-11-28");
        assert_eq!(fut("in 3 days"), "2026-11-26");
        assert_eq!(fut("in a week"), "2026-11-30");
        assert_eq!(fut("+1mo"), "2026-12-23");
        assert_eq!(fut("2w"), "2026-12-07");
        assert_eq!(past("2w"), "2026-11-09");
        assert_eq!(past("3 days ago"), "2026-11-20");
        assert_eq!(fut("-1d"), "2026-11-22");
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(fut("2026-12-01"), "2026-12-01");
        assert_eq!(fut("1 dec"), "2026-12-01");
        assert_eq!(fut("Dec 1st"), "2026-12-01");
        assert_eq!(fut("1 december 2027"), "2027-12-01");
        assert_eq!(
            fut("1 jan"),
            "2027-01-01",
            "January has passed: next year's"
        );
        assert_eq!(fut("23 nov"), "2026-11-23", "today counts");
        assert_eq!(past("1 dec"), "2025-12-01");
        assert_eq!(fut("29 feb"), "2028-02-29");
    }

    #[test]
    fn ends_of_periods() {
        assert_eq!(fut("eom"), "2026-11-30");
        assert_eq!(fut("eow"), "2026-11-27");
        assert_eq!(fut("eoy"), "2026-12-31");
    }

    #[test]
    fn times_ride_along() {
        let w = parse("fri 14:00", today(), Direction::Future).unwrap();
        assert_eq!(
            (w.date.to_string(), w.time.unwrap().to_string()),
            ("2026-11-27".into(), "14:00:00".into())
        );
        let w = parse("tomorrow at 9am", today(), Direction::Future).unwrap();
        assert_eq!(w.time.unwrap().to_string(), "09:00:00");
        let w = parse("tomorrow 2:30 pm", today(), Direction::Future).unwrap();
        assert_eq!(w.time.unwrap().to_string(), "14:30:00");
        let w = parse("12am", today(), Direction::Future).unwrap();
        assert_eq!(
            (w.date, w.time.unwrap().to_string()),
            (today(), "00:00:00".into())
        );
        assert!(
            parse("fri", today(), Direction::Future)
                .unwrap()
                .time
                .is_none()
        );
    }

    #[test]
    fn nonsense_is_an_error_with_examples() {
        for bad in [
            "",
            "soonish",
            "31 feb 2026",
            "2026-13-01",
            "fri 25:00",
            "13pm",
            "in",
            "+d",
            "12/1",
            "3600mo",
            "1 dec 9999",
        ] {
            let e = parse(bad, today(), Direction::Future).unwrap_err();
            assert!(e.contains("try today, tomorrow"), "{bad}: {e}");
        }
        let e = parse("3600mo", today(), Direction::Future).unwrap_err();
        assert!(
            e.contains("would be 23 Nov 2326, which looks like a typo"),
            "{e}"
        );
    }

    #[test]
    fn describing_dates() {
        let t = today();
        assert_eq!(describe(t, t), "today");
        assert_eq!(describe(t + Days::new(4), t), "Fri 27 Nov");
        assert_eq!(
            describe(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), t),
            "Mon 4 Jan 2027"
        );
        assert_eq!(relative_phrase(t - Days::new(3), t), "3 days late");
        assert_eq!(relative_phrase(t + Days::new(2), t), "in 2 days");
        assert_eq!(ago(t - Days::new(12), t), "12 days ago");
    }
}

/// The most words a date and time can take: "1 dec 2026 at 9 am".
const MOST_WORDS: usize = 6;

/// Split "WHEN TEXT..." typed as separate words: the longest run of leading words (up to
/// [`MOST_WORDS`]) that reads as a date is the date, the rest is the text. `None` when no
/// leading words do.
pub fn split_leading(words: &[String], today: NaiveDate, dir: Direction) -> Option<(When, String)> {
    let max = words.len().min(MOST_WORDS);
    (1..=max).rev().find_map(|n| {
        let when = parse(&words[..n].join(" "), today, dir).ok()?;
        Some((when, words[n..].join(" ")))
    })
}

/// A next step typed as words: the date from `split_leading`, and the rest, unless the rest
/// starts with a time tend could not read (see `unread_time`), which is an error rather than
/// part of what to do. `None` when no leading words are a date.
pub fn split_step(words: &[String], today: NaiveDate) -> Result<Option<(When, String)>, String> {
    match split_leading(words, today, Direction::Future) {
        Some((_, text)) if let Some(why) = unread_time(&text) => Err(why),
        found => Ok(found),
    }
}

/// The text after a date that starts with what looks like a time tend could not read ("at 9",
/// "9.30", "25:00", "at 9 o'clock"): saved as it is, the step would be due all day with the
/// time in its text. Why, to say instead of saving it.
pub fn unread_time(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let (word, after_at) = if first.eq_ignore_ascii_case("at") {
        (words.next()?, true)
    } else {
        (first, false)
    };
    let lower = word.to_lowercase();
    // "9am," with its comma still reads as a time someone meant.
    let bare = lower.trim_end_matches([',', ';']);
    let body = bare.trim_end_matches("am").trim_end_matches("pm");
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    // H:MM or H.MM (two digits of minutes: "2.5 kg" and "1.125" are not times).
    let clock = |sep: char| {
        body.split_once(sep)
            .is_some_and(|(h, m)| digits(h) && h.len() <= 2 && m.len() == 2 && digits(m))
    };
    let timeish = clock(':')
        || clock('.')
        || (digits(body) && body.len() <= 2 && (bare.len() > body.len() || after_at));
    timeish.then(|| {
        let typed = if after_at {
            format!("{first} {word}")
        } else {
            word.to_string()
        };
        format!(
            "cannot read '{typed}' as a time: write 9am, 2pm, 9:30am or 14:30 (a bare hour could be morning or evening); if it is not a time, start the step with another word (drop samples {typed} …)"
        )
    })
}

/// Why the first words cannot start a date, when the reason is more than "not a date": a
/// count of minutes ("in 30m call back") is ambiguous, not unknown.
pub fn leading_ambiguity(words: &[String]) -> Option<String> {
    (1..=words.len().min(MOST_WORDS)).find_map(|n| {
        let typed = words[..n].join(" ");
        minutes_not_months(&typed.to_lowercase()).then(|| ambiguous(&typed))
    })
}

/// Read a next step written as one string: "fri: send quote", "fri 14:00: call", or without
/// the colon, "next tue chase invoice".
pub fn parse_next(spec: &str, today: NaiveDate) -> Result<(When, String), String> {
    for (i, _) in spec.match_indices(':') {
        let (left, right) = (&spec[..i], spec[i + 1..].trim());
        if right.is_empty() {
            continue;
        }
        if let Ok(w) = parse(left, today, Direction::Future) {
            return Ok((w, right.to_string()));
        }
    }
    let words: Vec<String> = spec.split_whitespace().map(str::to_string).collect();
    match split_step(&words, today)? {
        Some((w, text)) if !text.trim().is_empty() => Ok((w, text)),
        // It has the WHEN: WHAT shape; what is wrong is the date, and parse says why.
        _ => match spec.split_once(':') {
            Some((when, what)) if !when.trim().is_empty() && !what.trim().is_empty() => {
                Err(parse(when, today, Direction::Future)
                    .err()
                    .unwrap_or_else(|| format!("cannot read '{}' as a date", when.trim())))
            }
            _ => Err(format!(
                "cannot read '{spec}' as a next step: write it as \"WHEN: WHAT\", e.g. \"fri: send quote\""
            )),
        },
    }
}

#[cfg(test)]
mod split_tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn minutes_are_not_dates() {
        for typed in ["in 30m", "+5m", "30 min", "2 minutes ago", "-1m"] {
            let e = parse(typed, today(), Direction::Future).unwrap_err();
            assert!(e.contains("ambiguous"), "{typed}: {e}");
        }
        assert!(parse("in 3mo", today(), Direction::Future).is_ok());
        assert!(parse("in 2 months", today(), Direction::Future).is_ok());
    }

    #[test]
    fn a_bad_date_in_the_right_shape_says_the_date_is_the_problem() {
        let e = parse_next("blorp: thing", today()).unwrap_err();
        assert!(e.starts_with("cannot read 'blorp' as a date"), "{e}");
        let e = parse_next("send the quote", today()).unwrap_err();
        assert!(e.contains("WHEN: WHAT"), "{e}");
    }

    #[test]
    fn a_time_tend_cannot_read_is_not_left_in_the_text() {
        // "tomorrow at" is not a day: it waits for a time.
        let e = parse("tomorrow at", today(), Direction::Future).unwrap_err();
        assert!(e.contains("needs a time after 'at'"), "{e}");
        let w = parse("fri 9.30am", today(), Direction::Future).unwrap();
        assert_eq!(w.time, NaiveTime::from_hms_opt(9, 30, 0));
        assert!(parse("fri 1.12", today(), Direction::Future).is_err());
        for (typed, why) in [
            ("tomorrow at 9 call", "'at 9'"),
            ("tomorrow 25:00 call", "'25:00'"),
            ("fri 9.30 call", "'9.30'"),
        ] {
            let e = parse_next(typed, today()).unwrap_err();
            assert!(e.contains(why) && e.contains("9am"), "{typed}: {e}");
        }
        // "at" before anything but a time is the step's own word.
        let (w, text) = parse_next("fri at the bakery drop samples", today()).unwrap();
        assert_eq!(
            (w.date.to_string(), text.as_str()),
            ("2026-11-27".into(), "at the bakery drop samples")
        );
        let (_, text) = parse_next("fri 2 boxes of rye", today()).unwrap();
        assert_eq!(text, "2 boxes of rye");
        for fine in [
            "fri 2.5 kg flour",
            "fri 1.125 litres",
            "fri 221b baker st",
            "fri 10 boxes",
        ] {
            assert!(parse_next(fine, today()).is_ok(), "{fine}");
        }
        let e = parse_next("tomorrow 9am, call", today()).unwrap_err();
        assert!(e.contains("'9am,'"), "{e}");
        let (w, text) = parse_next("tomorrow 9.30am call", today()).unwrap();
        assert_eq!((w.time.is_some(), text.as_str()), (true, "call"));
    }

    #[test]
    fn the_longest_leading_date_wins() {
        let (w, text) = split_leading(
            &words("next fri send the quote"),
            today(),
            Direction::Future,
        )
        .unwrap();
        assert_eq!(
            (w.date.to_string(), text.as_str()),
            ("2026-12-04".into(), "send the quote")
        );
        let (w, text) =
            split_leading(&words("in 2 weeks check in"), today(), Direction::Future).unwrap();
        assert_eq!(
            (w.date.to_string(), text.as_str()),
            ("2026-12-07".into(), "check in")
        );
        let (w, text) =
            split_leading(&words("tomorrow 9am call"), today(), Direction::Future).unwrap();
        assert_eq!((w.time.is_some(), text.as_str()), (true, "call"));
        assert!(split_leading(&words("send quote"), today(), Direction::Future).is_none());
        // A date with its time in six words: cut at four, "14:00" would be text.
        for typed in [
            "1 dec 2026 at 14:00 call the supplier",
            "1 dec 2026 at 2 pm call the supplier",
        ] {
            let (w, text) = split_leading(&words(typed), today(), Direction::Future).unwrap();
            assert_eq!(
                (w.date.to_string(), w.time, text.as_str()),
                (
                    "2026-12-01".into(),
                    NaiveTime::from_hms_opt(14, 0, 0),
                    "call the supplier"
                ),
                "{typed}"
            );
        }
        let (w, text) = split_leading(
            &words("next tue at 9 am call back"),
            today(),
            Direction::Future,
        )
        .unwrap();
        assert_eq!(
            (w.time, text.as_str()),
            (NaiveTime::from_hms_opt(9, 0, 0), "call back")
        );
    }

    #[test]
    fn next_step_specs() {
        let (w, t) = parse_next("fri: send quote", today()).unwrap();
        assert_eq!(
            (w.date.to_string(), t.as_str()),
            ("2026-11-27".into(), "send quote")
        );
        let (w, t) = parse_next("fri 14:00: call about: the kitchen", today()).unwrap();
        assert_eq!(
            (w.time.unwrap().to_string(), t.as_str()),
            ("14:00:00".into(), "call about: the kitchen")
        );
        let (_, t) = parse_next("next tue chase invoice", today()).unwrap();
        assert_eq!(t, "chase invoice");
        assert!(
            parse_next("send quote", today())
                .unwrap_err()
                .contains("WHEN: WHAT")
        );
        assert!(parse_next("fri:", today()).is_err());
    }
}
