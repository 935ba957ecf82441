//! Follow-ups as an iCalendar file, written with `calcard` (see `vcard.rs` for why that
//! crate): VTODOs with due dates by default, or VEVENTs for calendars that do not show tasks.
//! A calendar that imports the file again is updated in place: each follow-up keeps one UID
//! for its whole life, a repeating one for its whole series (with an RRULE, and the date of
//! the occurrence now open), and one finished since the last export comes back as COMPLETED
//! (a task) or CANCELLED (an event) instead of lingering.

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarAction, ICalendarComponent, ICalendarComponentType, ICalendarDuration,
    ICalendarFrequency, ICalendarParameter, ICalendarProperty, ICalendarRecurrenceRule,
    ICalendarStatus, ICalendarValue, ICalendarValueType,
};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};

use crate::model::followup::{FollowUp, Recurrence, Unit};

/// How a follow-up appears in a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A task with a due date (VTODO): what task apps and most calendars show.
    Todo,
    /// An event on the due day (VEVENT), half an hour long when it has a time.
    Event,
}

/// What the file holds besides the follow-ups themselves.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub shape: Shape,
    /// A reminder this many minutes before a follow-up with a time; None for no reminders.
    pub alarm_minutes: Option<u32>,
    /// When an all-day follow-up's reminder goes off.
    pub all_day_alarm: NaiveTime,
}

/// How long an event with a time lasts.
const EVENT_MINUTES: u32 = 30;

/// The follow-ups a calendar should see, one per UID: of each series (or single follow-up),
/// the open occurrence if there is one, else the one finished last.
pub fn one_per_uid(items: &[FollowUp]) -> Vec<&FollowUp> {
    let mut chosen: std::collections::BTreeMap<&str, &FollowUp> = Default::default();
    for f in items {
        let better = match chosen.get(f.series_uid()) {
            None => true,
            Some(c) => match (c.done_at.is_none(), f.done_at.is_none()) {
                (true, false) => false,
                (false, true) => true,
                (true, true) => (f.due_date, f.due_time) < (c.due_date, c.due_time),
                (false, false) => f.done_at > c.done_at,
            },
        };
        if better {
            chosen.insert(f.series_uid(), f);
        }
    }
    let mut out: Vec<&FollowUp> = chosen.into_values().collect();
    out.sort_by(|a, b| (a.due_date, a.due_time, &a.uid).cmp(&(b.due_date, b.due_time, &b.uid)));
    out
}

/// The calendar, CRLF line endings, lines folded at 75 octets. `items` are the open
/// follow-ups and those finished recently.
pub fn write(items: &[FollowUp], opts: &Options, now: DateTime<FixedOffset>) -> String {
    let mut root = ICalendarComponent::new(ICalendarComponentType::VCalendar);
    root.add_property(
        ICalendarProperty::Version,
        ICalendarValue::Text("2.0".into()),
    );
    root.add_property(
        ICalendarProperty::Prodid,
        ICalendarValue::Text("-//tend//tend CRM//EN".into()),
    );
    root.add_property(
        ICalendarProperty::Other("X-WR-CALNAME".into()),
        ICalendarValue::Text("tend follow-ups".into()),
    );
    let mut components = vec![root];
    let mut top = Vec::new();
    let stamp = PartialDateTime::from_utc_timestamp(now.timestamp());
    for f in one_per_uid(items) {
        let done = f.done_at.is_some();
        let mut c = ICalendarComponent::new(match opts.shape {
            Shape::Todo => ICalendarComponentType::VTodo,
            Shape::Event => ICalendarComponentType::VEvent,
        });
        c.add_uid(&format!("{}@tend", f.series_uid()));
        c.add_dtstamp(stamp.clone());
        c.add_property(
            ICalendarProperty::Summary,
            ICalendarValue::Text(format!("{}: {}", f.contact, f.text)),
        );
        let mut description = format!("Next step for {}", f.contact);
        if let Some(r) = f.recurrence() {
            description.push_str(&format!(" (repeats {r})"));
        }
        if !done {
            description.push_str(&format!(". In tend: tend done f#{}", f.id));
        }
        c.add_property(
            ICalendarProperty::Description,
            ICalendarValue::Text(description),
        );
        let start = moment(f.due_date, f.due_time);
        c.add_property_with_params(ICalendarProperty::Dtstart, kind(f.due_time), start.clone());
        match opts.shape {
            Shape::Todo => {
                c.add_property_with_params(ICalendarProperty::Due, kind(f.due_time), start);
            }
            Shape::Event => {
                match f.due_time {
                    Some(_) => c.add_property(
                        ICalendarProperty::Duration,
                        ICalendarValue::Duration(ICalendarDuration {
                            minutes: EVENT_MINUTES,
                            ..ICalendarDuration::default()
                        }),
                    ),
                    None => {
                        let next = f.due_date.succ_opt().unwrap_or(f.due_date);
                        c.add_property_with_params(
                            ICalendarProperty::Dtend,
                            kind(None),
                            moment(next, None),
                        );
                    }
                }
                c.add_property(
                    ICalendarProperty::Other("TRANSP".into()),
                    ICalendarValue::Text("TRANSPARENT".into()),
                );
            }
        }
        let status = match (done, opts.shape) {
            (false, Shape::Todo) => ICalendarStatus::NeedsAction,
            (false, Shape::Event) => ICalendarStatus::Confirmed,
            (true, Shape::Todo) => ICalendarStatus::Completed,
            (true, Shape::Event) => ICalendarStatus::Cancelled,
        };
        c.add_property(ICalendarProperty::Status, ICalendarValue::Status(status));
        if done && opts.shape == Shape::Todo {
            if let Some(at) = f
                .done_at
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            {
                c.add_property(
                    ICalendarProperty::Completed,
                    ICalendarValue::PartialDateTime(Box::new(PartialDateTime::from_utc_timestamp(
                        at.timestamp(),
                    ))),
                );
            }
            c.add_property(
                ICalendarProperty::PercentComplete,
                ICalendarValue::Integer(100),
            );
        }
        if !done && let Some(rule) = f.recurrence() {
            c.add_property(
                ICalendarProperty::Rrule,
                ICalendarValue::RecurrenceRule(Box::new(rrule(rule))),
            );
        }
        let alarm = (!done).then(|| alarm(f, opts)).flatten();
        let at = components.len() as u32;
        top.push(at);
        components.push(c);
        if let Some(a) = alarm {
            components[at as usize].component_ids.push(at + 1);
            components.push(a);
        }
    }
    components[0].component_ids = top;
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = ICalendar { components }.write_to(&mut out);
    out
}

/// Every N days, weeks, months or years.
fn rrule(r: Recurrence) -> ICalendarRecurrenceRule {
    ICalendarRecurrenceRule {
        freq: match r.unit {
            Unit::Day => ICalendarFrequency::Daily,
            Unit::Week => ICalendarFrequency::Weekly,
            Unit::Month => ICalendarFrequency::Monthly,
            Unit::Year => ICalendarFrequency::Yearly,
        },
        interval: (r.every > 1).then(|| r.every.min(u32::from(u16::MAX)) as u16),
        ..ICalendarRecurrenceRule::default()
    }
}

/// A display reminder: `alarm_minutes` before a timed follow-up, at `all_day_alarm` on the day
/// of an all-day one (a trigger from the start of the day).
fn alarm(f: &FollowUp, opts: &Options) -> Option<ICalendarComponent> {
    let minutes = opts.alarm_minutes?;
    let trigger = match f.due_time {
        Some(_) => ICalendarDuration {
            neg: true,
            minutes,
            ..ICalendarDuration::default()
        },
        None => ICalendarDuration {
            hours: opts.all_day_alarm.hour(),
            minutes: opts.all_day_alarm.minute(),
            ..ICalendarDuration::default()
        },
    };
    let mut a = ICalendarComponent::new(ICalendarComponentType::VAlarm);
    a.add_property(
        ICalendarProperty::Action,
        ICalendarValue::Action(ICalendarAction::Display),
    );
    a.add_property(
        ICalendarProperty::Trigger,
        ICalendarValue::Duration(trigger),
    );
    a.add_property(
        ICalendarProperty::Description,
        ICalendarValue::Text(format!("{}: {}", f.contact, f.text)),
    );
    Some(a)
}

/// A date (all day) or a local date and time with no zone: "whenever it is 14:00 where you are".
fn moment(date: NaiveDate, time: Option<NaiveTime>) -> PartialDateTime {
    PartialDateTime {
        year: Some(date.year() as u16),
        month: Some(date.month() as u8),
        day: Some(date.day() as u8),
        hour: time.map(|t| t.hour() as u8),
        minute: time.map(|t| t.minute() as u8),
        second: time.map(|_| 0),
        ..PartialDateTime::default()
    }
}

fn kind(time: Option<NaiveTime>) -> Vec<ICalendarParameter> {
    match time {
        Some(_) => vec![],
        None => vec![ICalendarParameter::value(ICalendarValueType::Date)],
    }
}

/// One task or event as a calendar file holds it: what `tend vdir sync` reads back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub uid: Option<String>,
    /// The title: tend writes "Who: what to do".
    pub summary: String,
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// Completed (a task), cancelled (either), or 100% done.
    pub done: bool,
    /// What is written under the title.
    pub description: Option<String>,
}

/// The first task or event in a calendar file, or why there is none. A time in UTC is read in
/// the local zone; a time with a TZID is taken as it reads (tend's times are the wall clock's).
pub fn read_one(text: &str) -> Result<Item, String> {
    let cal = ICalendar::parse(text)
        .map_err(|_| "not an iCalendar file (no BEGIN:VCALENDAR)".to_string())?;
    let c = cal
        .components
        .iter()
        .find(|c| {
            matches!(
                c.component_type,
                ICalendarComponentType::VTodo | ICalendarComponentType::VEvent
            )
        })
        .ok_or_else(|| "no task (VTODO) or event (VEVENT) in it".to_string())?;
    let text = |p: ICalendarProperty| {
        c.property(&p)
            .and_then(|e| e.values.first())
            .and_then(|v| v.as_text())
            .map(|t| t.trim().to_string())
    };
    let summary = text(ICalendarProperty::Summary).unwrap_or_default();
    let description = text(ICalendarProperty::Description).filter(|d| !d.is_empty());
    let when = |p: ICalendarProperty| {
        c.property(&p)
            .and_then(|e| e.values.first())
            .and_then(|v| match v {
                ICalendarValue::PartialDateTime(d) => Some(d.as_ref().clone()),
                _ => None,
            })
    };
    let at = match c.component_type {
        ICalendarComponentType::VTodo => {
            when(ICalendarProperty::Due).or_else(|| when(ICalendarProperty::Dtstart))
        }
        _ => when(ICalendarProperty::Dtstart),
    };
    let at = match at {
        Some(at) => at,
        None if c.has_property(&ICalendarProperty::Due)
            || c.has_property(&ICalendarProperty::Dtstart) =>
        {
            return Err(
                "its date (DUE or DTSTART) is not a date, e.g. 20261204 or 20261204T140000".into(),
            );
        }
        None => return Err("it has no date (DUE or DTSTART)".into()),
    };
    let (date, time) = local(&at).ok_or_else(|| "its date cannot be read".to_string())?;
    let done = matches!(
        c.status(),
        Some(ICalendarStatus::Completed | ICalendarStatus::Cancelled)
    ) || c.has_property(&ICalendarProperty::Completed)
        || c.property(&ICalendarProperty::PercentComplete)
            .and_then(|e| e.values.first())
            .is_some_and(|v| matches!(v, ICalendarValue::Integer(100)));
    Ok(Item {
        uid: c.uid().map(str::to_string),
        summary,
        date,
        time,
        done,
        description,
    })
}

/// A calendar date-time as tend keeps one: a date, and the local wall-clock time if it has one.
fn local(d: &PartialDateTime) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let date = NaiveDate::from_ymd_opt(i32::from(d.year?), u32::from(d.month?), u32::from(d.day?))?;
    let Some(hour) = d.hour else {
        return Some((date, None));
    };
    let time = NaiveTime::from_hms_opt(u32::from(hour), u32::from(d.minute.unwrap_or(0)), 0)?;
    if d.tz_hour.is_none() {
        return Some((date, Some(time)));
    }
    // A fixed offset (UTC, "Z", most often): to this machine's zone.
    let secs = (i32::from(d.tz_hour.unwrap_or(0)) * 3600
        + i32::from(d.tz_minute.unwrap_or(0)) * 60)
        * if d.tz_minus { -1 } else { 1 };
    let offset = FixedOffset::east_opt(secs)?;
    let at = date.and_time(time).and_local_timezone(offset).single()?;
    let here = at.with_timezone(&chrono::Local).naive_local();
    Some((here.date(), Some(here.time())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn follow_up(id: i64, time: Option<&str>, every: Option<&str>) -> FollowUp {
        FollowUp {
            id,
            uid: format!("0190-{id}"),
            contact_id: 1,
            contact: "Ann Apple".into(),
            deal_id: None,
            text: "send quote; the big one, with the tiers".into(),
            due_date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            due_time: time.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
            recurrence: every.map(str::to_string),
            recur_anchor: None,
            snoozes: 0,
            done_at: None,
            series: None,
        }
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").unwrap()
    }

    fn opts(shape: Shape) -> Options {
        Options {
            shape,
            alarm_minutes: Some(15),
            all_day_alarm: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn todos_have_due_dates_or_times_stable_uids_repeats_and_reminders() {
        let fs = [
            follow_up(1, None, Some("2w")),
            follow_up(2, Some("14:30"), None),
        ];
        let text = write(&fs, &opts(Shape::Todo), now());
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text}"
        );
        assert_eq!(text.matches("BEGIN:VTODO").count(), 2);
        assert!(text.contains("UID:0190-1@tend\r\n"));
        assert!(text.contains("DUE;VALUE=DATE:20261127\r\n"), "{text}");
        assert!(text.contains("DUE:20261127T143000\r\n"), "{text}");
        assert!(text.contains("SUMMARY:Ann Apple: send quote\\; the big one\\, with the tiers"));
        assert!(text.contains("RRULE:FREQ=WEEKLY;INTERVAL=2\r\n"), "{text}");
        assert!(text.contains("(repeats fortnightly)"), "{text}");
        assert!(text.contains("STATUS:NEEDS-ACTION"), "{text}");
        assert_eq!(text.matches("BEGIN:VALARM").count(), 2, "{text}");
        assert!(text.contains("TRIGGER:-PT15M\r\n"), "{text}");
        assert!(text.contains("TRIGGER:PT9H\r\n"), "{text}");
        assert!(text.contains("DTSTAMP:20261123T100000Z"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(
            text,
            write(&fs, &opts(Shape::Todo), now()),
            "the same data gives the same file"
        );
        let quiet = Options {
            alarm_minutes: None,
            ..opts(Shape::Todo)
        };
        assert!(!write(&fs, &quiet, now()).contains("VALARM"));
    }

    #[test]
    fn a_series_keeps_one_uid_and_a_finished_one_says_so() {
        let mut first = follow_up(1, None, Some("1m"));
        first.done_at = Some("2026-11-20T09:00:00Z".into());
        let mut second = follow_up(5, None, Some("1m"));
        second.series = Some(first.uid.clone());
        second.due_date = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap();
        let mut single = follow_up(7, Some("10:00"), None);
        single.done_at = Some("2026-11-22T09:00:00Z".into());
        let text = write(&[first, second, single], &opts(Shape::Todo), now());
        assert_eq!(text.matches("UID:0190-1@tend").count(), 1, "{text}");
        assert!(
            !text.contains("UID:0190-5@tend"),
            "the series is one task: {text}"
        );
        assert!(
            text.contains("DUE;VALUE=DATE:20261227"),
            "it moved on: {text}"
        );
        assert!(text.contains("UID:0190-7@tend"));
        assert!(
            text.contains("STATUS:COMPLETED") && text.contains("COMPLETED:20261122T090000Z"),
            "{text}"
        );
        assert_eq!(
            text.matches("BEGIN:VALARM").count(),
            1,
            "no reminder for a finished one"
        );
        let events = write(
            &[follow_up(7, None, None), {
                let mut d = follow_up(8, None, None);
                d.done_at = Some("2026-11-22T09:00:00Z".into());
                d
            }],
            &opts(Shape::Event),
            now(),
        );
        assert!(events.contains("STATUS:CANCELLED"), "{events}");
    }

    #[test]
    fn events_are_all_day_or_half_an_hour() {
        let text = write(
            &[follow_up(1, None, None), follow_up(2, Some("09:00"), None)],
            &opts(Shape::Event),
            now(),
        );
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(
            text.contains("DTSTART;VALUE=DATE:20261127\r\nDTEND;VALUE=DATE:20261128\r\n"),
            "{text}"
        );
        assert!(
            text.contains("DTSTART:20261127T090000\r\nDURATION:PT30M\r\n"),
            "{text}"
        );
    }
}
