//! Insights, "is it working?": the funnel and win rate, revenue by month against the goal,
//! the best lead sources and referrers. Four panes on a large terminal (with a bar chart of
//! the months), one page that scrolls on a smaller one; j/k scroll either.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};
use rusqlite::Connection;

use crate::commands::reports::{self as r, Funnel, Month, PipelineReport, Ranked};
use crate::config::Settings;
use crate::error::Result;
use crate::model::profit::Period;
use crate::model::text::{fit, one_line};
use crate::tui::context::Ui;
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::widgets::{Scroll, bar, panel, scroll_text};

/// Everything the Insights tab shows, worked out in one go.
#[derive(Debug, Clone)]
pub struct InsightsData {
    pub funnel: Funnel,
    pub pipeline: PipelineReport,
    pub months: Vec<Month>,
    /// The best `RANKED` of each, and how many more there are.
    pub sources: Vec<Ranked>,
    pub sources_more: usize,
    pub referrers: Vec<Ranked>,
    pub referrers_more: usize,
    pub goal: Option<i64>,
}

/// How many sources and referrers the tab lists (`tend report sources`/`referrals` has all).
const RANKED: usize = 20;

/// The first `RANKED` (the lists come best first) and how many were left off.
fn best(mut rows: Vec<Ranked>) -> (Vec<Ranked>, usize) {
    let more = rows.len().saturating_sub(RANKED);
    rows.truncate(RANKED);
    (rows, more)
}

impl InsightsData {
    pub fn compute(
        conn: &Connection,
        today: chrono::NaiveDate,
        now: &str,
        settings: &Settings,
    ) -> Result<InsightsData> {
        let funnel = r::funnel(conn, today, now, settings)?;
        let pipeline = r::pipeline_with(conn, today, funnel.deals.clone())?;
        let (sources, referrers) =
            r::sources_and_referrals(conn, today, Period::Last12Months, settings)?;
        let (sources, sources_more) = best(sources);
        let (referrers, referrers_more) = best(referrers);
        Ok(InsightsData {
            funnel,
            pipeline,
            months: r::revenue_by_month(conn, today)?,
            sources,
            sources_more,
            referrers,
            referrers_more,
            goal: settings.monthly_revenue_goal,
        })
    }
}

/// The panes: funnel, revenue, sources, referrers.
#[derive(Debug, Default)]
pub struct Insights {
    pub data: Option<InsightsData>,
    pub loading: bool,
    scrolls: [Scroll; 4],
}

impl Insights {
    pub fn keys(&self) -> &'static [Binding] {
        keymap::INSIGHTS
    }

    pub fn act(&mut self, action: Action) {
        for s in &mut self.scrolls {
            match action {
                Action::Down => s.by(1),
                Action::Up => s.by(-1),
                Action::PageDown => s.page(true),
                Action::PageUp => s.page(false),
                Action::Top => s.top(),
                Action::Bottom => s.bottom(),
                _ => {}
            }
        }
    }

    pub fn scroll(&mut self, delta: isize) {
        for s in &mut self.scrolls {
            s.by(delta);
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        let Some(d) = &self.data else {
            let inner = panel(frame, area, "Insights", t.border(), t);
            frame.render_widget(Paragraph::new("Working out the figures…"), inner);
            return;
        };
        let updating = if self.loading { " · updating…" } else { "" };
        if area.width < 100 || area.height < 24 {
            let inner = panel(frame, area, &format!("Insights{updating}"), t.border(), t);
            let w = inner.width.saturating_sub(1) as usize;
            let mut lines = funnel_lines(d, w, ui);
            lines.push(Line::raw(""));
            lines.extend(month_lines(d, w, ui));
            for (title, rows, more) in [
                (
                    "Lead sources (12 months)",
                    &d.sources,
                    SOURCES_MORE.with(d.sources_more),
                ),
                (
                    "Best referrers (12 months)",
                    &d.referrers,
                    REFERRERS_MORE.with(d.referrers_more),
                ),
            ] {
                lines.push(Line::raw(""));
                lines.push(Line::from(Span::styled(title, t.heading())));
                lines.extend(ranked_lines(rows, more, w, ui));
            }
            return scroll_text(frame, inner, lines, &mut self.scrolls[0]);
        }
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        let [funnel_area, revenue_area] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(top);
        let [sources_area, referrers_area] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(bottom);
        let [s0, s1, s2, _] = &mut self.scrolls;
        let inner = panel(
            frame,
            funnel_area,
            &format!("Funnel and pipeline{updating}"),
            t.border(),
            t,
        );
        scroll_text(frame, inner, funnel_lines(d, inner.width as usize, ui), s0);
        revenue_chart(frame, revenue_area, d, ui);
        for (title, rows, more, area, scroll) in [
            (
                "Lead sources (12 months)",
                &d.sources,
                SOURCES_MORE.with(d.sources_more),
                sources_area,
                s1,
            ),
            (
                "Best referrers (12 months)",
                &d.referrers,
                REFERRERS_MORE.with(d.referrers_more),
                referrers_area,
                s2,
            ),
        ] {
            let inner = panel(frame, area, title, t.border(), t);
            scroll_text(
                frame,
                inner,
                ranked_lines(rows, more, inner.width as usize, ui),
                scroll,
            );
        }
    }
}

fn pct(m: Option<f64>) -> String {
    m.map_or("—".into(), |m| format!("{m:.0}%"))
}

/// Leads → clients, the deals through their stages, win rate and the pipeline's value.
fn funnel_lines(d: &InsightsData, width: usize, ui: &Ui) -> Vec<Line<'static>> {
    let t = ui.theme;
    let f = &d.funnel;
    let w = width.saturating_sub(20);
    // Who was ever a lead and what they became: not today's counts by status (someone added
    // as a client was never a lead here).
    let mut lines = vec![Line::from(Span::styled(
        "Leads → clients (ever)",
        t.heading(),
    ))];
    let max = f.ever_leads.max(1);
    for (label, n) in [
        ("were leads", f.ever_leads),
        ("→ prospects", f.became_prospects),
        ("→ clients", f.became_clients),
    ] {
        lines.push(Line::from(vec![
            Span::raw(format!("{label:<12}{n:>6} ")),
            Span::styled(bar(n, max, w), t.good()),
        ]));
    }
    let goal = f
        .new_clients_goal
        .map_or(String::new(), |g| format!(" of {g}"));
    lines.push(Line::raw(format!(
        "lead → client {} · new clients this quarter {}{goal}",
        pct(f.lead_to_client),
        f.new_clients_this_quarter
    )));
    lines.push(Line::from(Span::styled("Deals", t.heading())));
    let max = f.deals.stages.first().map_or(1, |s| s.reached.max(1)) as i64;
    for st in &f.deals.stages {
        lines.push(Line::from(vec![
            Span::raw(format!("{:<12}{:>6} ", st.stage.title(), st.reached)),
            Span::styled(bar(st.reached as i64, max, w.saturating_sub(6)), t.good()),
            Span::styled(format!(" {}", pct(st.conversion)), t.dim()),
        ]));
    }
    let days = f
        .deals
        .avg_days_to_close
        .map_or("—".into(), |d| format!("{d:.0} days"));
    lines.push(Line::raw(format!(
        "win rate {} · to close {days}",
        pct(f.deals.win_rate)
    )));
    let p = &d.pipeline;
    lines.push(Line::raw(format!(
        "open {} · weighted {} · this month {}",
        ui.money(p.open_value),
        ui.money(p.weighted_value),
        ui.money(p.expected_this_month)
    )));
    lines
}

fn month_label(m: &Month) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d")
        .map(|d| d.format("%b").to_string())
        .unwrap_or_default()
}

fn goal_title(d: &InsightsData, ui: &Ui) -> String {
    match d.goal {
        Some(g) => format!("Revenue by month · goal {} (green: met)", ui.money(g)),
        None => "Revenue by month · set goals.monthly_revenue to see the goal".to_string(),
    }
}

/// Revenue per month as lines of text bars, for the page that scrolls.
fn month_lines(d: &InsightsData, width: usize, ui: &Ui) -> Vec<Line<'static>> {
    let t = ui.theme;
    let mut lines = vec![Line::from(Span::styled(goal_title(d, ui), t.heading()))];
    let amounts: Vec<String> = d.months.iter().map(|m| ui.money(m.revenue)).collect();
    let amount_w = amounts.iter().map(|a| a.chars().count()).max().unwrap_or(0);
    let max = d.months.iter().map(|m| m.revenue).max().unwrap_or(0);
    let w = width.saturating_sub(amount_w + 6);
    for (m, a) in d.months.iter().zip(&amounts) {
        let met = d.goal.is_some_and(|g| m.revenue >= g);
        lines.push(Line::from(vec![
            Span::raw(format!("{:<4}{a:>amount_w$} ", month_label(m))),
            Span::styled(
                bar(m.revenue, max, w),
                if met { t.good() } else { t.today() },
            ),
        ]));
    }
    lines
}

fn revenue_chart(frame: &mut Frame, area: Rect, d: &InsightsData, ui: &Ui) {
    let t = ui.theme;
    let bars: Vec<Bar> = d
        .months
        .iter()
        .map(|m| {
            let met = d.goal.is_some_and(|g| m.revenue >= g);
            Bar::default()
                .value((m.revenue.max(0) / 100) as u64)
                .label(Line::from(month_label(m)))
                .text_value(compact(m.revenue))
                .style(if met { t.good() } else { t.today() })
        })
        .collect();
    let width = area.width.saturating_sub(2) / 12;
    let chart = BarChart::default()
        .block(
            Block::bordered()
                .border_style(t.border())
                .title(Span::styled(format!(" {} ", goal_title(d, ui)), t.title())),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(width.saturating_sub(1).max(1))
        .bar_gap(1);
    frame.render_widget(chart, area);
}

/// "12k", "950", "1.2m" for a bar's label (amounts in minor units).
fn compact(minor: i64) -> String {
    let whole = minor / 100;
    match whole {
        w if w >= 1_000_000 => format!("{:.1}m", w as f64 / 1e6),
        w if w >= 10_000 => format!("{}k", w / 1000),
        w if w >= 1_000 => format!("{:.1}k", w as f64 / 1000.0),
        w => w.to_string(),
    }
}

/// The line under a list cut short: how many more, and the command that lists them all.
struct More(&'static str);

const SOURCES_MORE: More = More("tend report sources");
const REFERRERS_MORE: More = More("tend report referrals");

impl More {
    fn with(&self, n: usize) -> Option<String> {
        (n > 0).then(|| format!("… and {n} more: {}", self.0))
    }
}

fn ranked_lines(
    rows: &[Ranked],
    more: Option<String>,
    width: usize,
    ui: &Ui,
) -> Vec<Line<'static>> {
    let t = ui.theme;
    if rows.is_empty() {
        return vec![Line::from(Span::styled("Nothing yet.", t.dim()))];
    }
    let money: Vec<(String, String)> = rows
        .iter()
        .map(|r| (ui.money(r.group.revenue), ui.money(r.profit)))
        .collect();
    let rev_w = money
        .iter()
        .map(|m| m.0.chars().count())
        .chain([7])
        .max()
        .unwrap_or(7);
    let pro_w = money
        .iter()
        .map(|m| m.1.chars().count())
        .chain([6])
        .max()
        .unwrap_or(6);
    let name_w = width.saturating_sub(rev_w + pro_w + 11).clamp(4, 24);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {:>7} {:>rev_w$} {:>pro_w$}",
            fit("", name_w),
            "clients",
            "revenue",
            "profit"
        ),
        t.dim(),
    ))];
    for (r, (rev, pro)) in rows.iter().zip(&money) {
        lines.push(Line::raw(format!(
            "{} {:>7} {rev:>rev_w$} {pro:>pro_w$}",
            fit(&one_line(&r.group.name), name_w),
            r.group.clients,
        )));
    }
    lines.extend(more.map(|m| Line::from(Span::styled(m, t.dim()))));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_compact() {
        assert_eq!(compact(1_234_500), "12k");
        assert_eq!(compact(250_000), "2.5k");
        assert_eq!(compact(95_000), "950");
    }
}
