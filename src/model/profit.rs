//! Profitability per client: revenue, expenses, the cost of your hours, profit, margin and the
//! effective hourly rate, over a period. Pure arithmetic on integer minor units.
//!
//! Revenue is income by its invoice date (what you billed in the period, paid or not);
//! "paid" is tracked alongside for what is still owed.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
    Last12Months,
    AllTime,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::Month,
        Period::Quarter,
        Period::Year,
        Period::Last12Months,
        Period::AllTime,
    ];

    pub fn parse(s: &str) -> Result<Period, String> {
        match s.trim().to_lowercase().as_str() {
            "month" | "this-month" => Ok(Period::Month),
            "quarter" | "this-quarter" => Ok(Period::Quarter),
            "year" | "this-year" => Ok(Period::Year),
            "12m" | "last-12-months" | "rolling" => Ok(Period::Last12Months),
            "all" | "all-time" => Ok(Period::AllTime),
            other => Err(format!(
                "unknown period '{other}': use month, quarter, year, 12m or all"
            )),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Period::Month => "this month",
            Period::Quarter => "this quarter",
            Period::Year => "this year",
            Period::Last12Months => "last 12 months",
            Period::AllTime => "all time",
        }
    }

    /// The first and last day of the period that contains `today` (inclusive); `None` for all time.
    pub fn range(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
        let (from, to) = match self {
            Period::AllTime => return None,
            Period::Month => (first_of(today.year(), today.month())?, today),
            Period::Quarter => (first_of(today.year(), (today.month0() / 3) * 3 + 1)?, today),
            Period::Year => (first_of(today.year(), 1)?, today),
            Period::Last12Months => (
                today.checked_sub_months(Months::new(12))?.succ_opt()?,
                today,
            ),
        };
        let end = match self {
            Period::Month => from.checked_add_months(Months::new(1))?.pred_opt()?,
            Period::Quarter => from.checked_add_months(Months::new(3))?.pred_opt()?,
            Period::Year => NaiveDate::from_ymd_opt(today.year(), 12, 31)?,
            _ => to,
        };
        Some((from, end))
    }

    pub fn next(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + 1) % Period::ALL.len()]
    }
}

/// What the store sums up for one client over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub revenue: i64,
    pub paid: i64,
    pub expenses: i64,
    pub minutes: i64,
    pub deals_won: i64,
}

/// One client's figures, with what follows from them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientProfit {
    pub contact_id: i64,
    pub name: String,
    pub revenue: i64,
    pub paid: i64,
    pub expenses: i64,
    pub minutes: i64,
    pub cost_of_time: i64,
    pub profit: i64,
    /// Profit as a share of revenue, in percent; none without revenue.
    pub margin: Option<f64>,
    /// (Revenue − expenses) per hour worked, in minor units; none without hours.
    pub hourly_rate: Option<i64>,
    pub deals_won: i64,
    pub last_interaction: Option<String>,
}

/// Work out a client's figures. `hourly_cost` is what an hour of your time costs, in minor units.
pub fn client(
    contact_id: i64,
    name: &str,
    t: &Totals,
    hourly_cost: i64,
    last_interaction: Option<String>,
) -> ClientProfit {
    // Worked in i128: no sum of stored amounts can overflow a figure into nonsense.
    let cost_of_time = clamp(div_round(wide(t.minutes) * wide(hourly_cost), 60));
    let profit = clamp(wide(t.revenue) - wide(t.expenses) - wide(cost_of_time));
    ClientProfit {
        contact_id,
        name: name.to_string(),
        revenue: t.revenue,
        paid: t.paid,
        expenses: t.expenses,
        minutes: t.minutes,
        cost_of_time,
        profit,
        margin: (t.revenue != 0).then(|| profit as f64 * 100.0 / t.revenue as f64),
        hourly_rate: (t.minutes > 0).then(|| {
            clamp(div_round(
                (wide(t.revenue) - wide(t.expenses)) * 60,
                wide(t.minutes),
            ))
        }),
        deals_won: t.deals_won,
        last_interaction,
    }
}

fn wide(n: i64) -> i128 {
    i128::from(n)
}

/// An i128 figure back to i64, at the nearest end if it cannot be.
pub fn clamp(n: i128) -> i64 {
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

/// Division rounding half away from zero, for money (in i128, so no product overflows).
pub fn div_round(n: i128, d: i128) -> i128 {
    if d == 0 {
        return 0;
    }
    let q = n / d;
    let r = n % d;
    if r.abs() * 2 >= d.abs() {
        q + n.signum() * d.signum()
    } else {
        q
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Profit,
    Revenue,
    Expenses,
    Hours,
    Margin,
    HourlyRate,
    Name,
}

impl SortBy {
    pub const ALL: [SortBy; 7] = [
        SortBy::Profit,
        SortBy::Revenue,
        SortBy::Expenses,
        SortBy::Hours,
        SortBy::Margin,
        SortBy::HourlyRate,
        SortBy::Name,
    ];

    pub fn parse(s: &str) -> Result<SortBy, String> {
        match s.trim().to_lowercase().as_str() {
            "profit" => Ok(SortBy::Profit),
            "revenue" => Ok(SortBy::Revenue),
            "expenses" => Ok(SortBy::Expenses),
            "hours" | "time" => Ok(SortBy::Hours),
            "margin" => Ok(SortBy::Margin),
            "rate" | "hourly" | "hourly-rate" => Ok(SortBy::HourlyRate),
            "name" => Ok(SortBy::Name),
            other => Err(format!(
                "cannot sort by '{other}': use profit, revenue, expenses, hours, margin, rate or name"
            )),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            SortBy::Profit => "profit",
            SortBy::Revenue => "revenue",
            SortBy::Expenses => "expenses",
            SortBy::Hours => "hours",
            SortBy::Margin => "margin",
            SortBy::HourlyRate => "rate",
            SortBy::Name => "name",
        }
    }

    pub fn next(self) -> SortBy {
        let i = SortBy::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SortBy::ALL[(i + 1) % SortBy::ALL.len()]
    }
}

/// Best first (largest), names A–Z; undefined margins and rates last.
pub fn sort(rows: &mut [ClientProfit], by: SortBy) {
    let key_f = |o: Option<f64>| o.unwrap_or(f64::NEG_INFINITY);
    rows.sort_by(|a, b| {
        let ord = match by {
            SortBy::Profit => b.profit.cmp(&a.profit),
            SortBy::Revenue => b.revenue.cmp(&a.revenue),
            SortBy::Expenses => b.expenses.cmp(&a.expenses),
            SortBy::Hours => b.minutes.cmp(&a.minutes),
            SortBy::Margin => key_f(b.margin).total_cmp(&key_f(a.margin)),
            SortBy::HourlyRate => b
                .hourly_rate
                .unwrap_or(i64::MIN)
                .cmp(&a.hourly_rate.unwrap_or(i64::MIN)),
            SortBy::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        };
        ord.then(a.contact_id.cmp(&b.contact_id))
    });
}

/// The sum over every client, with its own margin and rate.
pub fn total(rows: &[ClientProfit], hourly_cost: i64) -> ClientProfit {
    let sum = |f: fn(&ClientProfit) -> i64| clamp(rows.iter().map(|r| wide(f(r))).sum());
    let t = Totals {
        revenue: sum(|r| r.revenue),
        paid: sum(|r| r.paid),
        expenses: sum(|r| r.expenses),
        minutes: sum(|r| r.minutes),
        deals_won: sum(|r| r.deals_won),
    };
    let mut all = client(0, "Total", &t, hourly_cost, None);
    // Rounding per client, then summing, is what each row shows; keep the total consistent.
    all.cost_of_time = sum(|r| r.cost_of_time);
    all.profit = clamp(wide(t.revenue) - wide(t.expenses) - wide(all.cost_of_time));
    all.margin = (t.revenue != 0).then(|| all.profit as f64 * 100.0 / t.revenue as f64);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn hand_computed_client() {
        // £1,200 billed, £150 expenses, 10h at £30/h = £300: profit £750, margin 62.5%,
        // (1,200 − 150) / 10h = £105/h.
        let t = Totals {
            revenue: 120_000,
            paid: 100_000,
            expenses: 15_000,
            minutes: 600,
            deals_won: 1,
        };
        let c = client(1, "Alice", &t, 3_000, None);
        assert_eq!(c.cost_of_time, 30_000);
        assert_eq!(c.profit, 75_000);
        assert_eq!(c.margin, Some(62.5));
        assert_eq!(c.hourly_rate, Some(10_500));
    }

    #[test]
    fn no_hours_means_no_rate_not_infinity() {
        let c = client(
            1,
            "A",
            &Totals {
                revenue: 50_000,
                ..Totals::default()
            },
            3_000,
            None,
        );
        assert_eq!(c.hourly_rate, None);
        assert_eq!(c.profit, 50_000);
    }

    #[test]
    fn zero_revenue_means_no_margin_not_nan_and_profit_goes_negative() {
        let c = client(
            1,
            "A",
            &Totals {
                expenses: 2_000,
                minutes: 90,
                ..Totals::default()
            },
            3_000,
            None,
        );
        assert_eq!(c.margin, None);
        assert_eq!(c.cost_of_time, 4_500);
        assert_eq!(c.profit, -6_500);
        assert_eq!(
            c.hourly_rate,
            Some(-1_333),
            "−£20 over 1.5h, rounded to the penny"
        );
    }

    #[test]
    fn minor_units_round_half_away_from_zero() {
        // 7 minutes at £10/h is 116.67p → 117p.
        let c = client(
            1,
            "A",
            &Totals {
                minutes: 7,
                ..Totals::default()
            },
            1_000,
            None,
        );
        assert_eq!(c.cost_of_time, 117);
        assert_eq!(div_round(-5, 2), -3);
        assert_eq!(div_round(5, 2), 3);
        assert_eq!(div_round(4, 3), 1);
        assert_eq!(div_round(1, 0), 0);
    }

    #[test]
    fn sorting_puts_undefined_rates_last_and_totals_add_up() {
        let mut rows = vec![
            client(
                1,
                "b",
                &Totals {
                    revenue: 100,
                    ..Totals::default()
                },
                3_000,
                None,
            ),
            client(
                2,
                "a",
                &Totals {
                    revenue: 200,
                    minutes: 60,
                    ..Totals::default()
                },
                3_000,
                None,
            ),
        ];
        sort(&mut rows, SortBy::HourlyRate);
        assert_eq!(rows[0].contact_id, 2);
        sort(&mut rows, SortBy::Name);
        assert_eq!(rows[0].name, "a");
        sort(&mut rows, SortBy::Profit);
        assert_eq!(rows[0].contact_id, 1, "b: 100 profit; a: 200 − 3,000 time");
        let t = total(&rows, 3_000);
        assert_eq!((t.revenue, t.cost_of_time, t.profit), (300, 3_000, -2_700));
        assert_eq!(SortBy::parse("rate"), Ok(SortBy::HourlyRate));
    }

    #[test]
    fn periods_cover_the_right_days() {
        let today = d("2026-11-23");
        assert_eq!(
            Period::Month.range(today),
            Some((d("2026-11-01"), d("2026-11-30")))
        );
        assert_eq!(
            Period::Quarter.range(today),
            Some((d("2026-10-01"), d("2026-12-31")))
        );
        assert_eq!(
            Period::Year.range(today),
            Some((d("2026-01-01"), d("2026-12-31")))
        );
        assert_eq!(
            Period::Last12Months.range(today),
            Some((d("2025-11-24"), d("2026-11-23")))
        );
        assert_eq!(Period::AllTime.range(today), None);
        assert_eq!(Period::parse("12m"), Ok(Period::Last12Months));
        assert!(Period::parse("decade").is_err());
    }
}
