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
    rows.sort_by(|a, b| order(a, b, by));
}

/// The first `n` rows in `by`'s order, sorted, without sorting the rest.
pub fn top(rows: &mut Vec<ClientProfit>, by: SortBy, n: usize) {
    if n == 0 {
        rows.clear();
        return;
    }
    if n < rows.len() {
        rows.select_nth_unstable_by(n - 1, |a, b| order(a, b, by));
        rows.truncate(n);
    }
    sort(rows, by);
}

fn order(a: &ClientProfit, b: &ClientProfit, by: SortBy) -> std::cmp::Ordering {
    let key_f = |o: Option<f64>| o.unwrap_or(f64::NEG_INFINITY);
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
}

/// The sum over every client, with its own margin and rate.
pub fn total(rows: &[ClientProfit], hourly_cost: i64) -> ClientProfit {
    let mut sums = Sums::default();
    for r in rows {
        sums.add(r);
    }
    sums.total(hourly_cost)
}

/// What `total` adds up, one row at a time.
#[derive(Debug, Default, Clone)]
struct Sums {
    revenue: i128,
    paid: i128,
    expenses: i128,
    minutes: i128,
    deals_won: i128,
    cost_of_time: i128,
    /// Revenue less expenses of the clients with hours logged: the total's rate per hour is
    /// theirs, since money from clients whose time was never logged was not earned in hours
    /// anyone counted.
    timed_net: i128,
}

impl Sums {
    fn add(&mut self, r: &ClientProfit) {
        if r.minutes > 0 {
            self.timed_net += wide(r.revenue) - wide(r.expenses);
        }
        self.revenue += wide(r.revenue);
        self.paid += wide(r.paid);
        self.expenses += wide(r.expenses);
        self.minutes += wide(r.minutes);
        self.deals_won += wide(r.deals_won);
        self.cost_of_time += wide(r.cost_of_time);
    }

    fn total(&self, hourly_cost: i64) -> ClientProfit {
        let t = Totals {
            revenue: clamp(self.revenue),
            paid: clamp(self.paid),
            expenses: clamp(self.expenses),
            minutes: clamp(self.minutes),
            deals_won: clamp(self.deals_won),
        };
        let mut all = client(0, "Total", &t, hourly_cost, None);
        // Rounding per client, then summing, is what each row shows; keep the total consistent.
        all.cost_of_time = clamp(self.cost_of_time);
        all.profit = clamp(wide(t.revenue) - wide(t.expenses) - wide(all.cost_of_time));
        all.margin = (t.revenue != 0).then(|| all.profit as f64 * 100.0 / t.revenue as f64);
        all.hourly_rate =
            (self.minutes > 0).then(|| clamp(div_round(self.timed_net * 60, self.minutes)));
        all
    }
}

/// `top` and `total` one row at a time: at most twice `n` rows are held, however many come.
#[derive(Debug)]
pub struct Best {
    by: SortBy,
    n: usize,
    rows: Vec<ClientProfit>,
    sums: Sums,
    seen: usize,
}

impl Best {
    pub fn new(by: SortBy, n: usize) -> Best {
        Best {
            by,
            n,
            rows: Vec::new(),
            sums: Sums::default(),
            seen: 0,
        }
    }

    pub fn push(&mut self, row: ClientProfit) {
        self.sums.add(&row);
        self.seen += 1;
        self.rows.push(row);
        if self.rows.len() >= 2 * self.n.max(1) {
            top(&mut self.rows, self.by, self.n);
        }
    }

    /// The best `n`, sorted; the total over every row; how many rows came in all.
    pub fn finish(mut self, hourly_cost: i64) -> (Vec<ClientProfit>, ClientProfit, usize) {
        top(&mut self.rows, self.by, self.n);
        (self.rows, self.sums.total(hourly_cost), self.seen)
    }
}

/// How a range of days is read from the monthly and yearly sums: whole years, whole months,
/// and the days at either end that make up no whole month (read from the entries themselves),
/// less the days in `less` (read from the entries, and taken away). Periods are "2026" and
/// "2026-11"; ranges include both ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cover {
    pub years: Option<(String, String)>,
    pub months: Vec<(String, String)>,
    pub days: Vec<(NaiveDate, NaiveDate)>,
    pub less: Vec<(NaiveDate, NaiveDate)>,
}

fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The pieces that make up `from..=to` exactly, with as few rows to read as can be. A range
/// that takes in its last year from 1 January and ends in the second half of it (this year
/// to date, the last twelve months) is that whole year less the days after `to`: one row per
/// contact for the year, and days that usually hold nothing yet, instead of a row per contact
/// per month.
pub fn cover(from: NaiveDate, to: NaiveDate) -> Cover {
    let year = to.year();
    if let (Some(jan1), Some(dec31)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) && from <= jan1
        && to < dec31
        && dec31 - to < to - jan1
        && let Some(after) = to.succ_opt()
    {
        let mut c = exact_cover(from, dec31);
        c.less.push((after, dec31));
        return c;
    }
    exact_cover(from, to)
}

/// Whole years first, then whole months, then days: the pieces that add up to `from..=to`.
fn exact_cover(from: NaiveDate, to: NaiveDate) -> Cover {
    let mut c = Cover::default();
    if from > to {
        return c;
    }
    let first_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let last_of = |d: NaiveDate| {
        first_of(d)
            .checked_add_months(Months::new(1))
            .and_then(|n| n.pred_opt())
            .unwrap_or(d)
    };
    // The whole months inside: from the first month that starts on or after `from` to the
    // last that ends on or before `to`.
    let start = if from.day() == 1 {
        Some(from)
    } else {
        first_of(from).checked_add_months(Months::new(1))
    };
    let end = if to == last_of(to) {
        Some(to)
    } else {
        first_of(to).pred_opt()
    };
    let (Some(start), Some(end)) = (start, end) else {
        c.days.push((from, to));
        return c;
    };
    if start > end {
        c.days.push((from, to));
        return c;
    }
    if from < start {
        c.days.push((from, start.pred_opt().unwrap_or(start)));
    }
    if to > end {
        c.days.push((end.succ_opt().unwrap_or(end), to));
    }
    // The whole years inside the whole months.
    let first_year = if start.month() == 1 {
        start.year()
    } else {
        start.year() + 1
    };
    let last_year = if end.month() == 12 {
        end.year()
    } else {
        end.year() - 1
    };
    if first_year > last_year {
        c.months.push((month_of(start), month_of(end)));
        return c;
    }
    c.years = Some((format!("{first_year:04}"), format!("{last_year:04}")));
    if start.year() < first_year {
        c.months
            .push((month_of(start), format!("{:04}-12", first_year - 1)));
    }
    if end.year() > last_year {
        c.months
            .push((format!("{:04}-01", last_year + 1), month_of(end)));
    }
    c
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_top_rows_are_the_first_rows_of_the_whole_sort() {
        let rows: Vec<ClientProfit> = (0..200)
            .map(|i| {
                let t = Totals {
                    revenue: (i * 7919) % 1000,
                    minutes: (i * 31) % 600,
                    ..Totals::default()
                };
                client(i, &format!("c{i}"), &t, 3000, None)
            })
            .collect();
        for by in [SortBy::Profit, SortBy::Hours, SortBy::Margin, SortBy::Name] {
            let mut all = rows.clone();
            sort(&mut all, by);
            for n in [0, 1, 10, 199, 200, 500] {
                let mut some = rows.clone();
                top(&mut some, by, n);
                assert_eq!(some, all[..n.min(200)].to_vec(), "{by:?} {n}");
            }
        }
    }

    #[test]
    fn the_best_taken_a_row_at_a_time_are_the_top_rows_and_the_total_is_over_all() {
        let rows: Vec<ClientProfit> = (0..500)
            .map(|i| {
                let t = Totals {
                    revenue: (i * 7919) % 1000 - 200,
                    expenses: (i * 104_729) % 300,
                    minutes: (i * 31) % 600,
                    paid: i % 50,
                    deals_won: i % 3,
                };
                client(i, &format!("c{i}"), &t, 3000, None)
            })
            .collect();
        for by in [
            SortBy::Profit,
            SortBy::Revenue,
            SortBy::HourlyRate,
            SortBy::Margin,
        ] {
            for n in [0, 1, 7, 250, 499, 500, 900] {
                let mut best = Best::new(by, n);
                for r in &rows {
                    best.push(r.clone());
                }
                let (some, all_total, seen) = best.finish(3000);
                let mut expected = rows.clone();
                top(&mut expected, by, n);
                assert_eq!(some, expected, "{by:?} {n}");
                assert_eq!(all_total, total(&rows, 3000));
                assert_eq!(seen, 500);
            }
        }
    }

    #[test]
    fn a_range_is_covered_by_whole_years_then_whole_months_then_days() {
        let c = cover(d("2026-01-01"), d("2026-12-31"));
        assert_eq!(c.years, Some(("2026".into(), "2026".into())));
        assert!(c.months.is_empty() && c.days.is_empty());

        let c = cover(d("2026-10-01"), d("2026-12-31"));
        assert_eq!(c.years, None);
        assert_eq!(c.months, vec![("2026-10".into(), "2026-12".into())]);

        // The last twelve months: days at the start, then the whole of this year less the
        // days still to come.
        let c = cover(d("2025-12-03"), d("2026-12-02"));
        assert_eq!(c.years, Some(("2026".into(), "2026".into())));
        assert!(c.months.is_empty());
        assert_eq!(c.days, vec![(d("2025-12-03"), d("2025-12-31"))]);
        assert_eq!(c.less, vec![(d("2026-12-03"), d("2026-12-31"))]);

        // This year to date, in its second half: the year less the rest of it; in its first
        // half, the months so far.
        let c = cover(d("2026-01-01"), d("2026-11-23"));
        assert_eq!(c.years, Some(("2026".into(), "2026".into())));
        assert_eq!(c.less, vec![(d("2026-11-24"), d("2026-12-31"))]);
        let c = cover(d("2026-01-01"), d("2026-03-10"));
        assert_eq!(c.years, None);
        assert_eq!(c.months, vec![("2026-01".into(), "2026-02".into())]);
        assert_eq!(c.days, vec![(d("2026-03-01"), d("2026-03-10"))]);
        assert!(c.less.is_empty());

        let c = cover(d("2024-11-15"), d("2026-02-28"));
        assert_eq!(c.years, Some(("2025".into(), "2025".into())));
        assert_eq!(
            c.months,
            vec![
                ("2024-12".into(), "2024-12".into()),
                ("2026-01".into(), "2026-02".into())
            ]
        );
        assert_eq!(c.days, vec![(d("2024-11-15"), d("2024-11-30"))]);

        // Inside one month, and a backwards range.
        let c = cover(d("2026-11-03"), d("2026-11-20"));
        assert_eq!(c.days, vec![(d("2026-11-03"), d("2026-11-20"))]);
        assert_eq!(cover(d("2026-11-20"), d("2026-11-03")), Cover::default());
    }

    #[test]
    fn every_day_of_a_range_is_covered_once() {
        let days = |c: &Cover| -> Vec<NaiveDate> {
            let mut out = Vec::new();
            let mut push = |a: NaiveDate, b: NaiveDate| {
                let mut x = a;
                while x <= b {
                    out.push(x);
                    x = x.succ_opt().unwrap();
                }
            };
            if let Some((a, b)) = &c.years {
                push(d(&format!("{a}-01-01")), d(&format!("{b}-12-31")));
            }
            for (a, b) in &c.months {
                let end = d(&format!("{b}-01"))
                    .checked_add_months(Months::new(1))
                    .unwrap();
                push(d(&format!("{a}-01")), end.pred_opt().unwrap());
            }
            for (a, b) in &c.days {
                push(*a, *b);
            }
            // Each day taken away must have been counted, once.
            for (a, b) in &c.less {
                let mut day = *a;
                while day <= *b {
                    let at = out.iter().position(|o| *o == day).expect("counted");
                    out.remove(at);
                    day = day.succ_opt().unwrap();
                }
            }
            out.sort();
            out
        };
        let start = d("2023-12-20");
        for a in (0..800).step_by(13) {
            for len in [0u64, 1, 9, 27, 31, 60, 364, 365, 400, 731] {
                let from = start + chrono::Days::new(a);
                let to = from + chrono::Days::new(len);
                let want: Vec<NaiveDate> = (0..=len).map(|i| from + chrono::Days::new(i)).collect();
                assert_eq!(days(&cover(from, to)), want, "{from}..{to}");
            }
        }
    }
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
        // The rate is of the hours logged: b's 100, earned in no hours counted, is not in it.
        assert_eq!(t.hourly_rate, Some(200));
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
