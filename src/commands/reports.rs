//! The reports: profitability per client, the pipeline's figures, the funnel, lead sources
//! and referrers. Sums come from the store; every figure is worked out in `model`.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use crate::config::Settings;
use crate::error::Result;
use crate::model::deal::Stage;
use crate::model::insights::{self, DealFigures};
use crate::model::money::weighted;
use crate::model::profit::{self, ClientProfit, Period, SortBy};
use crate::store::reports::{self, Group};

#[derive(Debug, Clone, Serialize)]
pub struct ProfitReport {
    pub period: Period,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub hourly_cost: i64,
    pub rows: Vec<ClientProfit>,
    /// Clients in the period beyond the `rows` shown (when a limit was asked for).
    pub more: usize,
    /// Over every client in the period, shown or not.
    pub total: ClientProfit,
}

/// Profit per client over `period`, sorted; with `limit`, only the first that many rows (the
/// total is still over everyone), and only those rows' names are looked up.
pub fn profit(
    conn: &Connection,
    today: NaiveDate,
    period: Period,
    sort: SortBy,
    settings: &Settings,
    limit: Option<usize>,
) -> Result<ProfitReport> {
    let range = period.range(today);
    let totals = reports::client_totals(conn, range)?;
    let row = |id: i64, t: &profit::Totals, name: &str, last: Option<String>| {
        profit::client(id, name, t, settings.hourly_cost, last)
    };
    // Sorting by name needs every name; any other order needs names only for what is shown,
    // and holds no more than twice that many rows while it picks them.
    let (rows, total, more) = match limit {
        Some(n) if sort != SortBy::Name => {
            let mut best = profit::Best::new(sort, n);
            for (id, t) in &totals {
                best.push(row(*id, t, "", None));
            }
            let (mut rows, total, seen) = best.finish(settings.hourly_cost);
            let names = reports::names_of(conn, rows.iter().map(|r| r.contact_id))?;
            rows.retain_mut(|r| match names.get(&r.contact_id) {
                Some((name, last)) => {
                    r.name = name.clone();
                    r.last_interaction = last.clone();
                    true
                }
                None => false,
            });
            let more = seen.saturating_sub(rows.len());
            (rows, total, more)
        }
        _ => {
            let names = reports::names_of(conn, totals.keys().copied())?;
            let mut rows: Vec<ClientProfit> = totals
                .iter()
                .filter_map(|(id, t)| {
                    let (name, last) = names.get(id)?;
                    Some(row(*id, t, name, last.clone()))
                })
                .collect();
            let total = profit::total(&rows, settings.hourly_cost);
            let more = limit.map_or(0, |n| rows.len().saturating_sub(n));
            match limit {
                Some(n) => profit::top(&mut rows, sort, n),
                None => profit::sort(&mut rows, sort),
            }
            (rows, total, more)
        }
    };
    Ok(ProfitReport {
        period,
        from: range.map(|r| r.0),
        to: range.map(|r| r.1),
        hourly_cost: settings.hourly_cost,
        rows,
        more,
        total,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct StageValue {
    pub stage: Stage,
    pub deals: usize,
    pub value: i64,
    pub weighted: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PipelineReport {
    pub open_value: i64,
    pub weighted_value: i64,
    pub stages: Vec<StageValue>,
    /// Weighted value of open deals expected to close this month.
    pub expected_this_month: i64,
    pub deals: DealFigures,
}

pub fn pipeline(conn: &Connection, today: NaiveDate, now: &str) -> Result<PipelineReport> {
    pipeline_with(conn, today, deal_figures(conn, now)?)
}

/// Stages reached, days in each, win rate and days to close, over every deal.
fn deal_figures(conn: &Connection, now: &str) -> Result<DealFigures> {
    let mut tally = insights::DealTally::default();
    reports::each_deal_history(conn, |d| tally.add(d, now))?;
    Ok(tally.figures())
}

/// The pipeline with deal figures already worked out (the Insights tab shares them with the funnel).
pub fn pipeline_with(
    conn: &Connection,
    today: NaiveDate,
    deals: DealFigures,
) -> Result<PipelineReport> {
    let open = reports::open_deals(conn)?;
    let stages = Stage::ALL
        .iter()
        .filter(|s| !s.is_closed())
        .map(|s| {
            let ds: Vec<_> = open.iter().filter(|d| d.stage == *s).collect();
            StageValue {
                stage: *s,
                deals: ds.len(),
                value: ds.iter().map(|d| d.value_minor).sum(),
                weighted: ds
                    .iter()
                    .map(|d| weighted(d.value_minor, d.probability()))
                    .sum(),
            }
        })
        .collect::<Vec<_>>();
    let month = (today.year(), today.month());
    Ok(PipelineReport {
        open_value: stages.iter().map(|s| s.value).sum(),
        weighted_value: stages.iter().map(|s| s.weighted).sum(),
        expected_this_month: open
            .iter()
            .filter(|d| {
                d.expected_close
                    .is_some_and(|e| (e.year(), e.month()) == month)
            })
            .map(|d| weighted(d.value_minor, d.probability()))
            .sum(),
        stages,
        deals,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    /// Contacts by status now.
    pub statuses: Vec<(String, i64)>,
    pub ever_leads: i64,
    pub became_prospects: i64,
    pub became_clients: i64,
    pub lead_to_client: Option<f64>,
    pub new_clients_this_quarter: i64,
    pub new_clients_goal: Option<u32>,
    pub deals: DealFigures,
}

pub fn funnel(
    conn: &Connection,
    today: NaiveDate,
    now: &str,
    settings: &Settings,
) -> Result<Funnel> {
    let quarter = Period::Quarter.range(today).map_or(today, |r| r.0);
    let (leads, prospects, clients) = reports::lead_conversion(conn)?;
    let counts = reports::status_counts(conn)?;
    let statuses = crate::model::Status::ALL
        .iter()
        .map(|s| {
            let n = counts
                .iter()
                .find(|(k, _)| k == s.as_str())
                .map_or(0, |(_, n)| *n);
            (s.as_str().to_string(), n)
        })
        .collect();
    Ok(Funnel {
        statuses,
        ever_leads: leads,
        became_prospects: prospects,
        became_clients: clients,
        lead_to_client: insights::percent(clients, leads),
        new_clients_this_quarter: reports::new_clients_since(
            conn,
            &format!("{quarter}T00:00:00Z"),
        )?,
        new_clients_goal: settings.new_clients_per_quarter,
        deals: deal_figures(conn, now)?,
    })
}

/// A source or a referrer, with the profit of what they brought.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    #[serde(flatten)]
    pub group: Group,
    pub profit: i64,
}

fn rank(groups: Vec<Group>, hourly_cost: i64) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = groups
        .into_iter()
        .map(|g| Ranked {
            profit: profit::clamp(
                i128::from(g.revenue)
                    - i128::from(g.expenses)
                    - profit::div_round(i128::from(g.minutes) * i128::from(hourly_cost), 60),
            ),
            group: g,
        })
        .collect();
    out.sort_by(|a, b| {
        b.group
            .revenue
            .cmp(&a.group.revenue)
            .then(b.profit.cmp(&a.profit))
            .then(a.group.name.cmp(&b.group.name))
    });
    out
}

/// Group people by a key (their source, or who referred them) and add up what they brought.
/// Add one person to their group.
fn count_in(g: &mut Group, p: &reports::Person, totals: &HashMap<i64, profit::Totals>) {
    g.contacts += 1;
    g.clients += i64::from(p.became_client);
    if let (Some(list), Some(name)) = (&mut g.referred, &p.name) {
        if !list.is_empty() {
            list.push_str(", ");
        }
        list.push_str(name);
    }
    if let Some(t) = totals.get(&p.id) {
        g.revenue += t.revenue;
        g.expenses += t.expenses;
        g.minutes += t.minutes;
    }
}

fn group(id: Option<i64>, name: String) -> Group {
    Group {
        id,
        name,
        referred: id.map(|_| String::new()),
        contacts: 0,
        clients: 0,
        revenue: 0,
        expenses: 0,
        minutes: 0,
    }
}

pub fn sources(
    conn: &Connection,
    today: NaiveDate,
    period: Period,
    settings: &Settings,
) -> Result<Vec<Ranked>> {
    Ok(sources_and_referrals(conn, today, period, settings)?.0)
}

pub fn referrals(
    conn: &Connection,
    today: NaiveDate,
    period: Period,
    settings: &Settings,
) -> Result<Vec<Ranked>> {
    Ok(sources_and_referrals(conn, today, period, settings)?.1)
}

/// Both rankings from one read of the contacts and one of the sums.
pub fn sources_and_referrals(
    conn: &Connection,
    today: NaiveDate,
    period: Period,
    settings: &Settings,
) -> Result<(Vec<Ranked>, Vec<Ranked>)> {
    let totals = reports::client_totals(conn, period.range(today))?;
    // People one at a time, by id: each counts towards their source and their referrer.
    let mut sources: BTreeMap<String, Group> = BTreeMap::new();
    let mut referrers: HashMap<i64, Group> = HashMap::new();
    reports::each_person(conn, |p| {
        let source = p
            .source
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "(not recorded)".into());
        let g = sources
            .entry(source)
            .or_insert_with_key(|name| group(None, name.clone()));
        count_in(g, p, &totals);
        if let Some(by) = p.referred_by_id {
            let g = referrers
                .entry(by)
                .or_insert_with(|| group(Some(by), String::new()));
            count_in(g, p, &totals);
        }
    })?;
    let names = reports::names_of(conn, referrers.keys().copied())?;
    let mut referrers: Vec<Group> = referrers
        .into_values()
        .filter_map(|mut g| {
            g.name = names.get(&g.id?)?.0.clone();
            Some(g)
        })
        .collect();
    referrers.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let sources: Vec<Group> = sources.into_values().collect();
    Ok((
        rank(sources, settings.hourly_cost),
        rank(referrers, settings.hourly_cost),
    ))
}

#[derive(Debug, Clone, Serialize)]
pub struct Month {
    pub month: String,
    pub revenue: i64,
}

/// Revenue for each of the last 12 months (this one included), zero where nothing was billed.
pub fn revenue_by_month(conn: &Connection, today: NaiveDate) -> Result<Vec<Month>> {
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .unwrap_or(today);
    let sums = reports::revenue_by_month(conn, first)?;
    Ok((0..12)
        .filter_map(|i| first.checked_add_months(Months::new(i)))
        .map(|d| {
            let key = d.format("%Y-%m").to_string();
            let revenue = sums.iter().find(|(m, _)| *m == key).map_or(0, |(_, v)| *v);
            Month {
                month: key,
                revenue,
            }
        })
        .collect())
}
