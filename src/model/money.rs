//! Money as integer minor units (pence, cents): parsing what people type and showing it.

use serde::Serialize;

/// Parse "1,250.50", "1250", "£1,250", "12.5" into minor units (125050, 125000, ...).
pub fn parse_amount(input: &str) -> Result<i64, String> {
    let err =
        || format!("cannot read '{input}' as an amount: write it like 1250, 1,250.50 or 99.5");
    let s: String = input
        .trim()
        .trim_start_matches(['£', '$', '€'])
        .chars()
        .filter(|c| *c != ',' && *c != '_' && !c.is_whitespace())
        .collect();
    if s.is_empty() || s.starts_with('-') {
        return Err(err());
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(err());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| err())?
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| err())? * 10,
        _ => frac.parse().map_err(|_| err())?,
    };
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(err)
}

/// "1,250" for whole amounts, "1,250.50" otherwise; negative amounts lead with '-'.
pub fn format_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (whole, cents) = (abs / 100, abs % 100);
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if cents == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{cents:02}")
    }
}

/// Probability-weighted value, rounded to the nearest minor unit.
pub fn weighted(minor: i64, percent: u8) -> i64 {
    (minor * i64::from(percent) + 50) / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_minor_units() {
        assert_eq!(parse_amount("1,250.50"), Ok(125_050));
        assert_eq!(parse_amount("1250"), Ok(125_000));
        assert_eq!(parse_amount("£99.5"), Ok(9_950));
        assert_eq!(parse_amount(".75"), Ok(75));
        for bad in ["", "-5", "1.234", "ten", "1.2.3", "99999999999999999999"] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_format_with_separators() {
        assert_eq!(format_amount(125_050), "1,250.50");
        assert_eq!(format_amount(100_000_000), "1,000,000");
        assert_eq!(format_amount(5), "0.05");
        assert_eq!(format_amount(-12_300), "-123");
    }

    #[test]
    fn weighting_rounds_half_up() {
        assert_eq!(weighted(1_000, 25), 250);
        assert_eq!(weighted(333, 50), 167);
    }
}

/// The one currency of a database, from the config: how amounts are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Currency {
    pub code: String,
}

impl Default for Currency {
    fn default() -> Self {
        Currency { code: "GBP".into() }
    }
}

impl Currency {
    pub fn parse(code: &str) -> Result<Currency, String> {
        let c = code.trim().to_uppercase();
        if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) {
            Ok(Currency { code: c })
        } else {
            Err(format!(
                "'{code}' is not a currency code: use three letters, e.g. GBP, EUR, USD"
            ))
        }
    }

    fn symbol(&self) -> Option<&'static str> {
        Some(match self.code.as_str() {
            "GBP" => "£",
            "EUR" => "€",
            "USD" | "AUD" | "CAD" | "NZD" => "$",
            "JPY" => "¥",
            "INR" => "₹",
            _ => return None,
        })
    }

    /// "£1,250.50", "-£30", "1,250 CHF".
    pub fn format(&self, minor: i64) -> String {
        let amount = format_amount(minor.abs());
        let sign = if minor < 0 { "-" } else { "" };
        match self.symbol() {
            Some(s) => format!("{sign}{s}{amount}"),
            None => format!("{sign}{amount} {}", self.code),
        }
    }
}

#[cfg(test)]
mod currency_tests {
    use super::*;

    #[test]
    fn currencies_show_their_symbol_or_code() {
        assert_eq!(Currency::default().format(125_050), "£1,250.50");
        assert_eq!(Currency::parse("eur").unwrap().format(-3_000), "-€30");
        assert_eq!(Currency::parse("CHF").unwrap().format(100_000), "1,000 CHF");
        assert!(Currency::parse("pounds").is_err());
    }
}
