//! `tend report profit|pipeline|funnel|sources|referrals`, `tend doctor`, `tend merge`.

use clap::{Args, Subcommand};

use super::{Ctx, json};
use crate::commands::doctor;
use crate::commands::reports::{self, Ranked};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::model::duration::format_minutes;
use crate::model::money::Currency;
use crate::model::profit::{Period, SortBy};
use crate::model::text::{fit, one_line};
use crate::when;

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub report: Report,
}

#[derive(Debug, Args)]
pub struct PeriodArg {
    /// month, quarter, year, 12m or all
    #[arg(long, default_value = "year", value_parser = Period::parse)]
    pub period: Period,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Report {
    /// Profitability per client: revenue, expenses, hours, cost of time, profit, margin, rate
    Profit {
        #[command(flatten)]
        p: PeriodArg,
        /// profit, revenue, expenses, hours, margin, rate or name
        #[arg(long, default_value = "profit", value_parser = SortBy::parse)]
        sort: SortBy,
        /// Comma-separated values, for a spreadsheet
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// How many clients to list (the total is always over everyone); --csv and --json
        /// list every client
        #[arg(long, default_value_t = 50, conflicts_with = "all")]
        top: usize,
        /// List every client
        #[arg(long)]
        all: bool,
    },
    /// Open value, weighted value, value by stage, expected this month, win rate
    Pipeline {
        #[arg(long)]
        json: bool,
    },
    /// Conversion from lead to client and between deal stages, days in each stage
    Funnel {
        #[arg(long)]
        json: bool,
    },
    /// Lead sources ranked by the revenue and profit of the clients they brought
    Sources {
        #[command(flatten)]
        p: PeriodArg,
    },
    /// Who referred whom, and what it earned
    Referrals {
        #[command(flatten)]
        p: PeriodArg,
    },
    /// Revenue for each of the last 12 months, against the monthly goal
    Revenue {
        #[arg(long)]
        json: bool,
    },
}

/// A report as JSON, each document (or each row of a list) saying what its amounts are in:
/// the database's currency, in minor units (pence, cents).
fn with_currency<T: serde::Serialize>(value: &T, cur: &Currency) -> Result<String> {
    use serde_json::Value;
    let mut v = serde_json::to_value(value).map_err(|e| Error::invalid(e.to_string()))?;
    let tag = |o: &mut serde_json::Map<String, Value>| {
        o.insert("currency".into(), Value::from(cur.code.clone()));
        o.insert("amounts_in".into(), Value::from("minor units"));
    };
    match &mut v {
        Value::Object(o) => tag(o),
        Value::Array(rows) => rows
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(tag),
        _ => {}
    }
    json(&v)
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |p| format!("{p:.0}%"))
}

pub fn run(a: ReportArgs, ctx: &mut Ctx) -> Result<String> {
    let settings = Settings::load()?;
    let today = ctx.clock.today();
    let conn = ctx.store.conn();
    let cur = &settings.currency;
    match a.report {
        Report::Profit {
            p,
            sort,
            csv,
            top,
            all,
        } => {
            let limit = (!(all || csv || p.json)).then_some(top);
            let r = reports::profit(conn, today, p.period, sort, &settings, limit)?;
            if p.json {
                return with_currency(&r, cur);
            }
            if csv {
                return profit_csv(&r);
            }
            if settings.hourly_cost_is_default {
                ctx.warn(
                    "note:",
                    &format!(
                        "your time is costed at {}/h, tend's default; set hourly_cost in {}",
                        cur.format(settings.hourly_cost),
                        settings
                            .path
                            .as_ref()
                            .map_or("config.toml".into(), |p| p.display().to_string())
                    ),
                );
            }
            let mut out = format!(
                "Profit by client, {} (time at {}/h, sorted by {})\n\n{:<24} {:>11} {:>10} {:>7} {:>10} {:>11} {:>7} {:>9} {:>4}\n",
                p.period.title(),
                cur.format(settings.hourly_cost),
                sort.title(),
                "client",
                "revenue",
                "expenses",
                "hours",
                "time cost",
                "profit",
                "margin",
                "rate/h",
                "won"
            );
            for row in r.rows.iter().chain(std::iter::once(&r.total)) {
                if row.contact_id == 0 {
                    if r.more > 0 {
                        out.push_str(&format!(
                            "… and {} more clients, counted in the total (--top N or --all lists them)\n",
                            r.more
                        ));
                    }
                    out.push_str(&format!("{}\n", "-".repeat(101)));
                }
                let flag = if row.profit < 0 {
                    "  ← losing money"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{} {:>11} {:>10} {:>7} {:>10} {:>11} {:>7} {:>9} {:>4}{flag}\n",
                    fit(&one_line(&row.name), 24),
                    cur.format(row.revenue),
                    cur.format(row.expenses),
                    format_minutes(row.minutes),
                    cur.format(row.cost_of_time),
                    cur.format(row.profit),
                    pct(row.margin),
                    row.hourly_rate.map_or("—".into(), |h| cur.format(h)),
                    row.deals_won,
                ));
            }
            if r.rows.is_empty() && r.more == 0 {
                out.push_str("No money or time recorded in this period: tend income WHO AMOUNT, tend time WHO 1h30\n");
            }
            Ok(out)
        }
        Report::Pipeline { json: as_json } => {
            let r = reports::pipeline(conn, today, &ctx.clock.stamp())?;
            if as_json {
                return with_currency(&r, cur);
            }
            let mut out = format!(
                "Pipeline\n\n  open value       {}\n  weighted value   {}\n  expected this month (weighted)  {}\n\n",
                cur.format(r.open_value),
                cur.format(r.weighted_value),
                cur.format(r.expected_this_month)
            );
            for s in &r.stages {
                out.push_str(&format!(
                    "  {:<12} {:>4} deals  {:>12}  weighted {:>12}\n",
                    s.stage.title(),
                    s.deals,
                    cur.format(s.value),
                    cur.format(s.weighted)
                ));
            }
            out.push_str(&format!(
                "\n  win rate {} ({} won, {} lost) · average {} days to close\n",
                pct(r.deals.win_rate),
                r.deals.won,
                r.deals.lost,
                r.deals
                    .avg_days_to_close
                    .map_or("—".into(), |d| format!("{d:.0}"))
            ));
            Ok(out)
        }
        Report::Funnel { json: as_json } => {
            let f = reports::funnel(conn, today, &ctx.clock.stamp(), &settings)?;
            if as_json {
                return with_currency(&f, cur);
            }
            let mut out = String::from("Contacts by status now\n");
            for (s, n) in &f.statuses {
                out.push_str(&format!("  {s:<10} {n:>6}\n"));
            }
            out.push_str(&format!(
                "\nOf {} contacts who were leads: {} became prospects, {} became clients ({}).\n",
                f.ever_leads,
                f.became_prospects,
                f.became_clients,
                pct(f.lead_to_client)
            ));
            let goal = f
                .new_clients_goal
                .map_or(String::new(), |g| format!(" (goal {g})"));
            out.push_str(&format!(
                "New clients this quarter: {}{goal}.\n\nDeals through the stages\n",
                f.new_clients_this_quarter
            ));
            for s in &f.deals.stages {
                out.push_str(&format!(
                    "  {:<12} reached by {:>5}  conversion {:>5}  avg {} days in stage\n",
                    s.stage.title(),
                    s.reached,
                    pct(s.conversion),
                    s.avg_days.map_or("—".into(), |d| format!("{d:.1}"))
                ));
            }
            out.push_str(&format!("\n  win rate {}\n", pct(f.deals.win_rate)));
            Ok(out)
        }
        Report::Sources { p } => {
            let rows = reports::sources(conn, today, p.period, &settings)?;
            if p.json {
                return with_currency(&rows, cur);
            }
            Ok(ranked(
                &format!("Lead sources, {}", p.period.title()),
                "source",
                &rows,
                cur,
            ))
        }
        Report::Revenue { json: as_json } => {
            let months = reports::revenue_by_month(conn, today)?;
            if as_json {
                return with_currency(&months, cur);
            }
            let max = months
                .iter()
                .map(|m| m.revenue)
                .max()
                .unwrap_or(0)
                .max(settings.monthly_revenue_goal.unwrap_or(0));
            let mut out = match settings.monthly_revenue_goal {
                Some(g) => format!("Revenue by month (goal {})\n\n", cur.format(g)),
                None => {
                    "Revenue by month (set goals.monthly_revenue in config.toml to compare)\n\n"
                        .to_string()
                }
            };
            for m in &months {
                let width = if max > 0 {
                    (m.revenue.max(0) * 40 / max) as usize
                } else {
                    0
                };
                let mark = match settings.monthly_revenue_goal {
                    Some(g) if m.revenue >= g => "  ✓ goal met",
                    _ => "",
                };
                out.push_str(&format!(
                    "{}  {:>12}  {}{mark}\n",
                    m.month,
                    cur.format(m.revenue),
                    "█".repeat(width)
                ));
            }
            Ok(out)
        }
        Report::Referrals { p } => {
            let rows = reports::referrals(conn, today, p.period, &settings)?;
            if p.json {
                return with_currency(&rows, cur);
            }
            if rows.is_empty() {
                return Ok("Nobody has referred anyone yet. Record it with: tend add NAME --referred-by WHO\n".into());
            }
            let mut out = ranked(
                &format!("Referrers, {}", p.period.title()),
                "referrer",
                &rows,
                cur,
            );
            out.push_str("\nWho referred whom\n");
            for r in &rows {
                out.push_str(&format!(
                    "  {}: {}\n",
                    one_line(&r.group.name),
                    one_line(r.group.referred.as_deref().unwrap_or(""))
                ));
            }
            Ok(out)
        }
    }
}

fn ranked(title: &str, what: &str, rows: &[Ranked], cur: &Currency) -> String {
    let mut out = format!(
        "{title}\n\n{:<24} {:>8} {:>8} {:>12} {:>12}\n",
        what, "people", "clients", "revenue", "profit"
    );
    for r in rows {
        out.push_str(&format!(
            "{} {:>8} {:>8} {:>12} {:>12}\n",
            fit(&one_line(&r.group.name), 24),
            r.group.contacts,
            r.group.clients,
            cur.format(r.group.revenue),
            cur.format(r.profit)
        ));
    }
    out
}

fn profit_csv(r: &reports::ProfitReport) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::invalid(e.to_string());
    w.write_record([
        "contact_id",
        "client",
        "revenue",
        "paid",
        "expenses",
        "minutes",
        "time_cost",
        "profit",
        "margin_percent",
        "hourly_rate",
        "deals_won",
    ])
    .map_err(fail)?;
    let money = |m: i64| {
        format!(
            "{}{}.{:02}",
            if m < 0 { "-" } else { "" },
            m.abs() / 100,
            m.abs() % 100
        )
    };
    for row in &r.rows {
        w.write_record([
            row.contact_id.to_string(),
            row.name.clone(),
            money(row.revenue),
            money(row.paid),
            money(row.expenses),
            row.minutes.to_string(),
            money(row.cost_of_time),
            money(row.profit),
            row.margin.map_or(String::new(), |m| format!("{m:.1}")),
            row.hourly_rate.map_or(String::new(), money),
            row.deals_won.to_string(),
        ])
        .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::invalid(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::invalid(e.to_string()))
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[arg(long)]
    pub json: bool,
    /// Also read the whole file: SQLite's integrity and foreign-key checks, the search
    /// indexes' own check and every money and time sum (seconds on a large book)
    #[arg(long)]
    pub full: bool,
    /// Build what tend derives from the data again: the search indexes (of notes and of
    /// names) and the money and time sums, when the checkup says they are out of step
    #[arg(long, alias = "rebuild-indexes", conflicts_with = "full")]
    pub rebuild: bool,
}

pub fn doctor_run(a: DoctorArgs, ctx: &mut Ctx) -> Result<String> {
    if a.rebuild {
        let left = doctor::rebuild_derived(&mut ctx.store)?;
        if !left.is_empty() {
            return Err(Error::invalid_with_hint(
                format!("still out of step after the rebuild: {}", left.join("; ")),
                "copy the file somewhere safe, then restore the newest backup (backups/daily/)",
            ));
        }
        return Ok(
            "Rebuilt the search indexes of notes and names and the money and time sums; they match the data.\n"
                .into(),
        );
    }
    let settings = Settings::load()?;
    let c = doctor::checkup(
        ctx.store.conn(),
        &ctx.clock,
        settings.stale_lead_days,
        a.full,
    )?;
    if a.json {
        return json(&c);
    }
    let today = ctx.clock.today();
    let s = ctx.style;
    let mut out = String::new();
    // A section lists at most 20 of its `total` lines.
    let mut section = |title: String, lines: Vec<String>, total: usize| {
        out.push_str(&format!("{}\n", s.heading(&title)));
        for l in lines.iter().take(20) {
            out.push_str(&format!("  {l}\n"));
        }
        let shown = lines.len().min(20);
        if total > shown {
            out.push_str(&format!("  … and {} more\n", total - shown));
        }
        out.push('\n');
    };
    if !c.no_next_step.is_empty() {
        section(
            format!(
                "No next step ({}): tend next WHO WHEN WHAT",
                c.no_next_step_total
            ),
            c.no_next_step
                .iter()
                .map(|n| format!("#{:<5} {} ({})", n.id, one_line(&n.name), n.status))
                .collect(),
            c.no_next_step_total,
        );
    }
    if !c.stale_leads.is_empty() {
        section(
            format!(
                "Leads with no interaction for {} days ({})",
                c.stale_after_days, c.stale_leads_total
            ),
            c.stale_leads
                .iter()
                .map(|(id, name, last)| {
                    let when = last
                        .as_deref()
                        .and_then(|l| crate::clock::local(l, ctx.clock.offset()))
                        .map_or("never contacted".into(), |t| {
                            format!("last contact {}", when::ago(t.date_naive(), today))
                        });
                    format!("#{id:<5} {} ({when})", one_line(name))
                })
                .collect(),
            c.stale_leads_total,
        );
    }
    if !c.duplicates.is_empty() {
        section(
            format!(
                "Likely duplicates ({}): tend merge KEEP OTHER",
                c.duplicates.len()
            ),
            c.duplicates
                .iter()
                .map(|d| {
                    format!(
                        "#{} {} and #{} {} ({})",
                        d.a.0,
                        one_line(&d.a.1),
                        d.b.0,
                        one_line(&d.b.1),
                        d.reason
                    )
                })
                .collect(),
            c.duplicates.len(),
        );
    }
    if !c.overdue_deals.is_empty() {
        section(
            format!(
                "Deals past their expected close ({})",
                c.overdue_deals.len()
            ),
            c.overdue_deals
                .iter()
                .map(|d| {
                    format!(
                        "#{} {} for {} (expected {})",
                        d.id,
                        one_line(&d.title),
                        one_line(&d.contact),
                        d.expected_close
                            .map_or(String::new(), |e| when::describe(e, today))
                    )
                })
                .collect(),
            c.overdue_deals.len(),
        );
    }
    if let Some(risk) = &c.location {
        section(
            "Where the database lives".into(),
            vec![
                format!("{risk}: SQLite files there can be corrupted by the sync"),
                crate::config::SYNC_ADVICE.to_string(),
            ],
            2,
        );
    }
    if !c.search_indexes.is_empty() {
        section(
            "Search indexes out of step: tend doctor --rebuild mends them".into(),
            c.search_indexes.clone(),
            c.search_indexes.len(),
        );
    }
    if !c.sums.is_empty() {
        section(
            "Money and time sums out of step with the entries: tend doctor --rebuild mends them"
                .into(),
            c.sums.clone(),
            c.sums.len(),
        );
    }
    if !c.full {
        out.push_str(
            "Database integrity: not read this time (tend doctor --full reads the whole file)\n",
        );
    } else if c.integrity.is_empty() {
        out.push_str(&format!("{}\n", s.good("Database integrity: ok")));
    } else {
        section(
            "Database integrity problems: restore a backup".into(),
            c.integrity.clone(),
            c.integrity.len(),
        );
        print!("{out}");
        return Err(Error::invalid_with_hint(
            "the database failed its integrity check",
            "copy the file somewhere safe, then restore the newest backup (backups/daily/ beside the database, or tend.db.vN-backup after an upgrade) or export what you can",
        ));
    }
    if c.problems() == 0 {
        out.push_str(&s.good("Everything looks tended.\n"));
    }
    Ok(out)
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The contact to keep
    pub keep: String,
    /// The duplicate to fold into it (removed afterwards; nothing of theirs is lost)
    pub other: String,
    #[arg(long)]
    pub json: bool,
}

pub fn merge(a: MergeArgs, ctx: &mut Ctx) -> Result<String> {
    let keep = ctx.contact(&a.keep)?;
    let other = ctx.contact(&a.other)?;
    let m = doctor::merge(&mut ctx.store, &ctx.clock, keep, other)?;
    ctx.remember(&format!("merge into {}", m.name), &m.undo)?;
    if a.json {
        return json(&m);
    }
    use crate::model::text::count;
    let entries = if m.entries == 1 {
        "1 entry".to_string()
    } else {
        format!("{} entries", m.entries)
    };
    let mut out = format!(
        "Merged into #{} {}: {}, {}, {} and {entries} moved over.\n",
        m.kept,
        one_line(&m.name),
        count(m.notes, "note"),
        count(m.follow_ups, "follow-up"),
        count(m.deals, "deal"),
    );
    for line in &m.folded {
        out.push_str(&format!("  {}\n", one_line(line)));
    }
    out.push_str("Its uid leads here now: importing its card again updates this contact.\n");
    out.push_str("tend undo splits them again.\n");
    Ok(out)
}
