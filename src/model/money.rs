//! Money as integer minor units (pence, cents): parsing what people type and showing it.

use serde::Serialize;

/// The largest amount one entry can carry: 10 million in the database's currency. Anything
/// larger is a typo (a missed decimal point), and refusing it keeps every report's sums far
/// from overflowing.
pub const MAX_AMOUNT: i64 = 10_000_000 * 100;

/// Currency symbols people type in front of an amount.
const SYMBOLS: [char; 5] = ['£', '$', '€', '¥', '₹'];

/// Parse "1,250.50", "1250", "£1,250", "12.5" into minor units (125050, 125000, ...). Commas
/// only group thousands (`12,50` and `1,5` are refused, not guessed at), and no amount is
/// above `MAX_AMOUNT`.
pub fn parse_amount(input: &str) -> Result<i64, String> {
    let err =
        || format!("cannot read '{input}' as an amount: write it like 1250, 1,250.50 or 99.5");
    let s: String = input
        .trim()
        .trim_start_matches(SYMBOLS)
        .chars()
        .filter(|c| *c != '_' && !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Err(err());
    }
    if s.starts_with('-') {
        return Err(format!(
            "'{input}' is negative: write amounts without a sign (for a refund, correct the income with tend entry edit, or record an expense)"
        ));
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_right = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_right {
        return Err(format!(
            "cannot read '{input}' as an amount: commas only separate thousands (1,250.50); write cents after a point (12.50)"
        ));
    }
    let whole: String = groups.concat();
    if frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(err());
    }
    let too_big = || {
        format!(
            "{input} is more than one entry can be ({}): check for a missing decimal point",
            format_amount(MAX_AMOUNT)
        )
    };
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_big())?
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| err())? * 10,
        _ => frac.parse().map_err(|_| err())?,
    };
    let minor = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(too_big)?;
    if minor > MAX_AMOUNT {
        return Err(too_big());
    }
    Ok(minor)
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
    fn commas_only_group_thousands() {
        assert_eq!(parse_amount("1,234,567.89"), Ok(123_456_789));
        assert_eq!(parse_amount("999"), Ok(99_900));
        for bad in ["12,50", "1,5", "£1,2,3", ",500", "1,2345", "1,,000"] {
            let e = parse_amount(bad).unwrap_err();
            assert!(e.contains("commas only separate thousands"), "{bad}: {e}");
        }
    }

    #[test]
    fn an_amount_above_ten_million_is_a_typo() {
        assert_eq!(parse_amount("10,000,000"), Ok(MAX_AMOUNT));
        for bad in ["10,000,000.01", "92233720368547758", "120000000"] {
            let e = parse_amount(bad).unwrap_err();
            assert!(e.contains("more than one entry can be"), "{bad}: {e}");
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

    /// An amount as typed, in this currency: another currency's symbol is refused rather
    /// than counted as if it were this one.
    pub fn amount(&self, input: &str) -> Result<i64, String> {
        let typed = input.trim().chars().next().filter(|c| SYMBOLS.contains(c));
        if let Some(sym) = typed
            && self.symbol().is_none_or(|own| !own.starts_with(sym))
        {
            return Err(format!(
                "'{input}' is in another currency: this database keeps amounts in {}; write the amount in {} (without {sym})",
                self.code, self.code
            ));
        }
        parse_amount(input)
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

    #[test]
    fn another_currencys_symbol_is_refused() {
        let gbp = Currency::default();
        assert_eq!(gbp.amount("£12.50"), Ok(1_250));
        assert_eq!(gbp.amount("12.50"), Ok(1_250));
        assert!(gbp.amount("$12").unwrap_err().contains("another currency"));
        assert!(gbp.amount("€12").is_err());
        let chf = Currency::parse("CHF").unwrap();
        assert!(chf.amount("£5").is_err());
        assert_eq!(chf.amount("5"), Ok(500));
    }
}
