//! Open follow-ups as an iCalendar file, written with `calcard` (see `vcard.rs` for why that
//! crate): VTODOs with due dates by default, or VEVENTs for calendars that do not show tasks.
//! Each follow-up keeps its own UID, so importing the file again updates the entries instead
//! of adding copies.

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarDuration, ICalendarParameter,
    ICalendarProperty, ICalendarStatus, ICalendarValue, ICalendarValueType,
};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};

use crate::model::followup::FollowUp;

/// How a follow-up appears in a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A task with a due date (VTODO): what task apps and most calendars show.
    Todo,
    /// An event on the due day (VEVENT), half an hour long when it has a time.
    Event,
}

/// How long an event with a time lasts.
const EVENT_MINUTES: u32 = 30;

/// The calendar, CRLF line endings, lines folded at 75 octets.
pub fn write(followups: &[FollowUp], shape: Shape, now: DateTime<FixedOffset>) -> String {
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
    let stamp = PartialDateTime::from_utc_timestamp(now.timestamp());
    for f in followups {
        let mut c = ICalendarComponent::new(match shape {
            Shape::Todo => ICalendarComponentType::VTodo,
            Shape::Event => ICalendarComponentType::VEvent,
        });
        c.add_uid(&format!("{}@tend", f.uid));
        c.add_dtstamp(stamp.clone());
        c.add_property(
            ICalendarProperty::Summary,
            ICalendarValue::Text(format!("{}: {}", f.contact, f.text)),
        );
        let mut description = format!("Next step for {}", f.contact);
        if let Some(r) = &f.recurrence {
            description.push_str(&format!(" (repeats every {r})"));
        }
        description.push_str(&format!(". In tend: tend done {}", f.id));
        c.add_property(
            ICalendarProperty::Description,
            ICalendarValue::Text(description),
        );
        let start = moment(f.due_date, f.due_time);
        match shape {
            Shape::Todo => {
                c.add_property_with_params(ICalendarProperty::Due, kind(f.due_time), start);
                c.add_property(
                    ICalendarProperty::Status,
                    ICalendarValue::Status(ICalendarStatus::NeedsAction),
                );
            }
            Shape::Event => {
                c.add_property_with_params(ICalendarProperty::Dtstart, kind(f.due_time), start);
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
        components.push(c);
    }
    components[0].component_ids = (1..components.len() as u32).collect();
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = ICalendar { components }.write_to(&mut out);
    out
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
        }
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").unwrap()
    }

    #[test]
    fn todos_have_due_dates_or_times_and_stable_uids() {
        let fs = [
            follow_up(1, None, Some("2w")),
            follow_up(2, Some("14:30"), None),
        ];
        let text = write(&fs, Shape::Todo, now());
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text}"
        );
        assert_eq!(text.matches("BEGIN:VTODO").count(), 2);
        assert!(text.contains("UID:0190-1@tend\r\n"));
        assert!(text.contains("DUE;VALUE=DATE:20261127\r\n"), "{text}");
        assert!(text.contains("DUE:20261127T143000\r\n"), "{text}");
        assert!(text.contains("SUMMARY:Ann Apple: send quote\\; the big one\\, with the tiers"));
        assert!(text.contains("repeats every 2w"));
        assert!(text.contains("DTSTAMP:20261123T100000Z"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(
            text,
            write(&fs, Shape::Todo, now()),
            "the same data gives the same file"
        );
    }

    #[test]
    fn events_are_all_day_or_half_an_hour() {
        let text = write(
            &[follow_up(1, None, None), follow_up(2, Some("09:00"), None)],
            Shape::Event,
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
