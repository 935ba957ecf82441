//! Durations as people type them: "45m", "1h30", "1h30m", "2.5h", "90" (minutes).

/// Minutes in what was typed.
/// The most one time entry holds: a whole month, day and night.
pub const MAX_MINUTES: i64 = 24 * 60 * 31;

pub fn parse_minutes(input: &str) -> Result<i64, String> {
    let err =
        || format!("cannot read '{input}' as a duration: write it like 45m, 1h30, 1h30m or 2.5h");
    let s: String = input
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Err(err());
    }
    // "2.5" could be hours or minutes; guessing minutes turned a morning into three minutes.
    if s.parse::<f64>().is_ok() {
        return Err(format!(
            "'{input}' has no unit: write {s}h for hours or {s}m for minutes"
        ));
    }
    let minutes = if let Some((h, rest)) = s.split_once('h') {
        let hours: f64 = h.parse().map_err(|_| err())?;
        let rest = rest.trim_end_matches("min").trim_end_matches('m');
        let extra: f64 = if rest.is_empty() {
            0.0
        } else {
            rest.parse::<u32>().map_err(|_| err())?.into()
        };
        if h.contains('.') && extra > 0.0 {
            return Err(err());
        }
        hours * 60.0 + extra
    } else {
        let m = s.trim_end_matches("min").trim_end_matches('m');
        m.parse::<f64>().map_err(|_| err())?
    };
    if !minutes.is_finite() {
        return Err(err());
    }
    if minutes <= 0.0 {
        return Err(format!(
            "'{input}' is no time at all: write how long it took, e.g. 45m"
        ));
    }
    if minutes > MAX_MINUTES as f64 {
        return Err(format!(
            "'{input}' is more than a month of hours ({}) in one entry: record it as several, or check for a typo",
            format_minutes(MAX_MINUTES)
        ));
    }
    if minutes < 0.5 {
        return Err(format!(
            "{input} is less than a minute: time is kept in whole minutes, so write 1m or more"
        ));
    }
    Ok(minutes.round() as i64)
}

/// "1h30", "45m", "12h".
pub fn format_minutes(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, mm) => format!("{mm}m"),
        (h, 0) => format!("{h}h"),
        (h, mm) => format!("{h}h{mm:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_and_too_much_say_which() {
        assert!(parse_minutes("0m").unwrap_err().contains("no time at all"));
        assert!(
            parse_minutes("2000h")
                .unwrap_err()
                .contains("more than a month")
        );
        assert_eq!(parse_minutes("744h"), Ok(MAX_MINUTES));
    }

    #[test]
    fn durations_read_every_way_people_write_them() {
        for (s, m) in [
            ("45m", 45),
            ("1h30", 90),
            ("1h30m", 90),
            ("2.5h", 150),
            ("90m", 90),
            ("2h", 120),
            ("1.25h", 75),
            ("10min", 10),
        ] {
            assert_eq!(parse_minutes(s), Ok(m), "{s}");
        }
        for bad in ["", "h", "-1h", "0m", "1.5h30", "abc", "1h99x", "99999h"] {
            assert!(parse_minutes(bad).is_err(), "{bad}");
        }
        let e = parse_minutes("2.5").unwrap_err();
        assert!(
            e.contains("write 2.5h for hours or 2.5m for minutes"),
            "{e}"
        );
        assert!(parse_minutes("90").unwrap_err().contains("no unit"));
        let e = parse_minutes("0.2m").unwrap_err();
        assert!(e.contains("less than a minute"), "{e}");
        assert_eq!(format_minutes(90), "1h30");
        assert_eq!(format_minutes(45), "45m");
        assert_eq!(format_minutes(120), "2h");
    }
}
