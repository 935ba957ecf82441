//! Plain-text output: colour only on a terminal and never under `NO_COLOR`, and every piece of
//! stored text passed through `model::text` so it cannot drive the terminal.

use std::io::IsTerminal;

use chrono::{FixedOffset, NaiveDate};
use crossterm::style::Stylize;

use crate::clock;
use crate::model::followup::{FollowUp, Urgency, urgency};
use crate::model::text::one_line;
use crate::when;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    fn allowed() -> bool {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    pub fn for_stdout() -> Style {
        Style {
            color: Self::allowed() && std::io::stdout().is_terminal(),
        }
    }

    pub fn for_stderr() -> Style {
        Style {
            color: Self::allowed() && std::io::stderr().is_terminal(),
        }
    }

    pub fn plain() -> Style {
        Style { color: false }
    }

    pub fn heading(&self, s: &str) -> String {
        if self.color {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn error(&self, s: &str) -> String {
        if self.color {
            s.red().bold().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn warn(&self, s: &str) -> String {
        if self.color {
            s.red().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn dim(&self, s: &str) -> String {
        if self.color {
            s.dark_grey().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn good(&self, s: &str) -> String {
        if self.color {
            s.green().to_string()
        } else {
            s.to_string()
        }
    }
}

/// "#14  Fri 27 Nov 14:00  Alice Smith: send quote  (3 days late, fortnightly)"
pub fn follow_up_line(f: &FollowUp, today: NaiveDate, style: Style, with_contact: bool) -> String {
    let mut when = when::describe(f.due_date, today);
    if let Some(t) = f.due_time {
        when.push(' ');
        when.push_str(&t.format("%H:%M").to_string());
    }
    let mut extra = Vec::new();
    if urgency(f.due_date, today) != Urgency::Today {
        extra.push(when::relative_phrase(f.due_date, today));
    }
    if let Some(r) = f.recurrence() {
        extra.push(format!("repeats {r}"));
    }
    if f.snoozes > 0 {
        extra.push(format!("snoozed {}×", f.snoozes));
    }
    let what = if with_contact {
        format!("{}: {}", one_line(&f.contact), one_line(&f.text))
    } else {
        one_line(&f.text)
    };
    let id = style.dim(&format!("f#{:<5}", f.id));
    let when = format!("{when:<17}");
    let when = if urgency(f.due_date, today) == Urgency::Overdue {
        style.warn(&when)
    } else {
        when
    };
    if extra.is_empty() {
        format!("{id} {when} {what}")
    } else {
        format!(
            "{id} {when} {what}  {}",
            style.dim(&format!("({})", extra.join(", ")))
        )
    }
}

/// A stored timestamp as the local date it fell on.
pub fn local_date(stamp: &str, offset: FixedOffset) -> Option<NaiveDate> {
    clock::local(stamp, offset).map(|t| t.date_naive())
}

/// "12 days ago", or "never" for no timestamp.
pub fn last_contact(stamp: Option<&str>, today: NaiveDate, offset: FixedOffset) -> String {
    match stamp.and_then(|s| local_date(s, offset)) {
        Some(d) => when::ago(d, today),
        None => "never".into(),
    }
}

/// An id as typed: `12`, `#12`, or with its kind's letter, `d#12` (deals), `n#12` (notes).
/// Anything else is refused with `what` ("a deal id") and a hint where to find them.
pub fn parse_id(typed: &str, letter: char, what: &str, hint: &str) -> crate::error::Result<i64> {
    let t = typed.trim().to_lowercase();
    t.trim_start_matches(letter)
        .trim_start_matches('#')
        .parse()
        .map_err(|_| {
            crate::error::Error::invalid_with_hint(format!("'{typed}' is not {what}"), hint)
        })
}
