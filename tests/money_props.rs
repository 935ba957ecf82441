//! Money at any size tend accepts: random entries up to the most one entry can carry, and any
//! hourly cost, never make a report fail, and every client's figures agree with a plain
//! recomputation in 128-bit integers.

mod common;

use chrono::NaiveDate;
use proptest::prelude::*;
use tend::clock::Clock;
use tend::commands::contacts::{AddContact, add};
use tend::commands::money::{NewEntry, expense, income, time};
use tend::commands::reports;
use tend::config::Settings;
use tend::model::money::MAX_AMOUNT;
use tend::model::profit::{Period, SortBy};
use tend::store::Store;

fn rounded(n: i128, d: i128) -> i128 {
    // Half away from zero, as money is rounded.
    let q = n / d;
    if (n % d).abs() * 2 >= d {
        q + n.signum()
    } else {
        q
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
    ))]

    #[test]
    fn reports_never_fail_and_agree_with_a_recomputation(
        entries in prop::collection::vec((0usize..3, 0u8..3, 1i64..=MAX_AMOUNT), 1..25),
        hourly_cost in 0i64..=MAX_AMOUNT,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let clock = Clock::parse(common::NOW).unwrap();
        let today = clock.today();
        let ids: Vec<i64> = ["Ann", "Ben", "Cat"]
            .iter()
            .map(|n| add(&mut store, &clock, AddContact { name: n.to_string(), ..AddContact::default() }).unwrap().contact.id)
            .collect();
        let mut expect = [(0i128, 0i128, 0i128); 3];
        for (who, kind, amount) in &entries {
            let e = NewEntry {
                contact_id: ids[*who],
                deal_id: None,
                on_date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                memo: None,
            };
            match kind {
                0 => {
                    income(&mut store, &clock, e, *amount, None).unwrap();
                    expect[*who].0 += i128::from(*amount);
                }
                1 => {
                    expense(&mut store, &clock, e, *amount).unwrap();
                    expect[*who].1 += i128::from(*amount);
                }
                _ => {
                    let minutes = amount % (24 * 60 * 31) + 1;
                    time(&mut store, &clock, e, minutes).unwrap();
                    expect[*who].2 += i128::from(minutes);
                }
            }
        }
        let settings = Settings { hourly_cost, ..Settings::default() };
        let r = reports::profit(store.conn(), today, Period::AllTime, SortBy::Profit, &settings).unwrap();
        for (i, id) in ids.iter().enumerate() {
            let (rev, exp, min) = expect[i];
            let Some(row) = r.rows.iter().find(|c| c.contact_id == *id) else {
                prop_assert_eq!((rev, exp, min), (0, 0, 0));
                continue;
            };
            prop_assert_eq!(i128::from(row.revenue), rev);
            prop_assert_eq!(i128::from(row.expenses), exp);
            prop_assert_eq!(i128::from(row.minutes), min);
            let profit = rev - exp - rounded(min * i128::from(hourly_cost), 60);
            prop_assert_eq!(i128::from(row.profit), profit);
        }
        let total: i128 = r.rows.iter().map(|c| i128::from(c.profit)).sum();
        prop_assert_eq!(i128::from(r.total.profit), total);
        // The other reports read the same entries and must not fail either.
        reports::revenue_by_month(store.conn(), today).unwrap();
        reports::sources_and_referrals(store.conn(), today, Period::AllTime, &settings).unwrap();
        reports::funnel(store.conn(), today, &clock.stamp(), &settings).unwrap();
    }
}
