//! The reports: profitability per client, the pipeline's figures, the funnel, lead sources
//! and referrers. Sums come from the store; every figure is worked out in `model`.

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
    // Sorting by name needs every name; any other order needs names only for what is shown.
    let named_first = sort == SortBy::Name || limit.is_none();
    let names = if named_first {
        reports::names_of(conn, totals.keys().copied())?
    } else {
        Default::default()
    };
    let mut rows: Vec<ClientProfit> = totals
        .iter()
        .filter_map(|(id, t)| match names.get(id) {
            Some((name, last)) => Some(row(*id, t, name, last.clone())),
            None if !named_first => Some(row(*id, t, "", None)),
            None => None,
        })
        .collect();
    let total = profit::total(&rows, settings.hourly_cost);
    let more = limit.map_or(0, |n| rows.len().saturating_sub(n));
    match limit {
        Some(n) => profit::top(&mut rows, sort, n),
        None => profit::sort(&mut rows, sort),
    }
    if !named_first {
        let names = reports::names_of(conn, rows.iter().map(|r| r.contact_id))?;
        rows.retain_mut(|r| match names.get(&r.contact_id) {
            Some((name, last)) => {
                r.name = name.clone();
                r.last_interaction = last.clone();
                true
            }
            None => false,
        });
    }
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
    let deals = insights::deal_figures(&reports::deal_histories(conn)?, now);
    pipeline_with(conn, today, deals)
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
        deals: insights::deal_figures(&reports::deal_histories(conn)?, now),
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
fn group_by(
    meta: &std::collections::HashMap<i64, reports::Meta>,
    totals: &std::collections::HashMap<i64, crate::model::profit::Totals>,
    key: impl Fn(&reports::Meta) -> Option<(Option<i64>, String)>,
) -> Vec<Group> {
    let mut groups: std::collections::BTreeMap<String, Group> = Default::default();
    let mut people: Vec<&reports::Meta> = meta.values().filter(|m| m.is_person).collect();
    people.sort_by_key(|m| m.id);
    for m in people {
        let Some((id, name)) = key(m) else { continue };
        let g = groups
            .entry(format!("{name}\u{0}{id:?}"))
            .or_insert_with(|| Group {
                id,
                name,
                referred: id.map(|_| String::new()),
                contacts: 0,
                clients: 0,
                revenue: 0,
                expenses: 0,
                minutes: 0,
            });
        g.contacts += 1;
        g.clients += i64::from(m.became_client);
        if let Some(list) = &mut g.referred {
            if !list.is_empty() {
                list.push_str(", ");
            }
            list.push_str(&m.name);
        }
        if let Some(t) = totals.get(&m.id) {
            g.revenue += t.revenue;
            g.expenses += t.expenses;
            g.minutes += t.minutes;
        }
    }
    groups.into_values().collect()
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
    let meta = reports::contact_meta(conn)?;
    let totals = reports::client_totals(conn, period.range(today))?;
    let sources = group_by(&meta, &totals, |m| {
        let source = m
            .source
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        Some((None, source.unwrap_or_else(|| "(not recorded)".into())))
    });
    let referrers = group_by(&meta, &totals, |m| {
        let r = meta.get(&m.referred_by_id?)?;
        Some((Some(r.id), r.name.clone()))
    });
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
