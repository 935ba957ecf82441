//! Profit and Insights: the profitability table with a bar per client, and the "is it working"
//! pictures: funnel, win rate, revenue by month against the goal, sources and referrers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::window;
use crate::model::duration::format_minutes;
use crate::model::text::{fit, one_line};
use crate::tui::app::App;

/// A bar of `width` cells for `value` out of `max`.
fn bar(value: i64, max: i64, width: usize) -> String {
    if max <= 0 || value <= 0 {
        return String::new();
    }
    let n = ((value as f64 / max as f64) * width as f64).round() as usize;
    "█".repeat(n.clamp(1, width))
}

pub fn profit(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let p = &app.profit;
    let cur = &p.settings.currency;
    let title = format!(
        " Profit · {} · sorted by {} · time at {}/h{}{} ",
        p.period.title(),
        p.sort.title(),
        cur.format(p.settings.hourly_cost),
        if p.settings.hourly_cost_is_default {
            " (default: set hourly_cost)"
        } else {
            ""
        },
        if p.loading { " · updating…" } else { "" }
    );
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = &p.report else {
        frame.render_widget(Paragraph::new("Working out the figures…"), inner);
        return;
    };
    if r.rows.is_empty() {
        frame.render_widget(
            Paragraph::new("No money or time in this period. p changes the period; record with tend income, tend expense, tend time."),
            inner,
        );
        return;
    }
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner);
    let name_w = (inner.width as usize / 5).clamp(10, 24);
    let bar_w = (inner.width as usize).saturating_sub(name_w + 62).min(30);
    let header = format!(
        "{} {:>10} {:>9} {:>6} {:>10} {:>6} {:>9}  {}",
        fit("client", name_w),
        "revenue",
        "expenses",
        "hours",
        "profit",
        "margin",
        "rate/h",
        if bar_w > 0 { "profit" } else { "" }
    );
    frame.render_widget(Line::from(Span::styled(header, t.heading())), head);
    let max = r.rows.iter().map(|c| c.profit).max().unwrap_or(0);
    let (start, end) = window(r.rows.len(), p.selected, body.height as usize);
    let pct = |m: Option<f64>| m.map_or("—".into(), |m| format!("{m:.0}%"));
    let lines: Vec<Line> = r.rows[start..end]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let losing = c.profit < 0;
            let line = Line::from(vec![
                Span::raw(format!(
                    "{} {:>10} {:>9} {:>6} ",
                    fit(&one_line(&c.name), name_w),
                    cur.format(c.revenue),
                    cur.format(c.expenses),
                    format_minutes(c.minutes)
                )),
                Span::styled(
                    format!("{:>10}", cur.format(c.profit)),
                    if losing { t.overdue() } else { Style::new() },
                ),
                Span::raw(format!(
                    " {:>6} {:>9}  ",
                    pct(c.margin),
                    c.hourly_rate.map_or("—".into(), |h| cur.format(h))
                )),
                Span::styled(
                    if losing {
                        "losing money".to_string()
                    } else {
                        bar(c.profit, max, bar_w)
                    },
                    if losing { t.overdue() } else { t.good() },
                ),
            ]);
            if start + i == p.selected {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
    let total = &r.total;
    frame.render_widget(
        Line::from(Span::styled(
            format!(
                "{} {:>10} {:>9} {:>6} {:>10} {:>6}   {} clients",
                fit("Total", name_w),
                cur.format(total.revenue),
                cur.format(total.expenses),
                format_minutes(total.minutes),
                cur.format(total.profit),
                pct(total.margin),
                r.rows.len()
            ),
            t.heading(),
        )),
        foot,
    );
}

pub fn insights(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let state = &app.insights;
    let cur = &state.settings.currency;
    let Some(s) = &state.data else {
        let block = Block::bordered()
            .border_style(t.border())
            .title(Span::styled(" Insights ", t.title()));
        frame.render_widget(
            Paragraph::new("Working out the figures…").block(block),
            area,
        );
        return;
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let [funnel_area, revenue_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(top);
    let [sources_area, referrers_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    let pct = |m: Option<f64>| m.map_or("—".into(), |m| format!("{m:.0}%"));

    // Funnel: contacts who were leads, and deals through the stages.
    let mut lines = Vec::new();
    {
        let f = &s.funnel;
        let w = (funnel_area.width as usize).saturating_sub(30).max(4);
        let max = f.ever_leads.max(1);
        lines.push(Line::from(Span::styled("Leads → clients", t.heading())));
        for (label, n) in [
            ("leads", f.ever_leads),
            ("prospects", f.became_prospects),
            ("clients", f.became_clients),
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
    }
    {
        let p = &s.pipeline;
        lines.push(Line::raw(format!(
            "open {} · weighted {} · this month {}",
            cur.format(p.open_value),
            cur.format(p.weighted_value),
            cur.format(p.expected_this_month)
        )));
    }
    let title = if state.loading {
        " Funnel and pipeline · updating… "
    } else {
        " Funnel and pipeline "
    };
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title, t.title()));
    frame.render_widget(Paragraph::new(lines).block(block), funnel_area);

    // Revenue per month against the goal: bars at or over the goal are green.
    let goal = state.settings.monthly_revenue_goal;
    let title = match goal {
        Some(g) => format!(" Revenue by month · goal {} (green: met) ", cur.format(g)),
        None => " Revenue by month · set goals.monthly_revenue to see the goal ".to_string(),
    };
    let bars: Vec<Bar> = s
        .months
        .iter()
        .map(|m| {
            let met = goal.is_some_and(|g| m.revenue >= g);
            let label = chrono::NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d")
                .map(|d| d.format("%b").to_string())
                .unwrap_or_default();
            Bar::default()
                .value((m.revenue.max(0) / 100) as u64)
                .label(Line::from(label))
                .text_value(compact(m.revenue))
                .style(if met { t.good() } else { t.today() })
        })
        .collect();
    let width = revenue_area.width.saturating_sub(2) / 12;
    let chart = BarChart::default()
        .block(
            Block::bordered()
                .border_style(t.border())
                .title(Span::styled(title, t.title())),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(width.saturating_sub(1).max(1))
        .bar_gap(1);
    frame.render_widget(chart, revenue_area);

    ranked(
        frame,
        app,
        " Lead sources (12 months) ",
        &s.sources,
        sources_area,
    );
    ranked(
        frame,
        app,
        " Best referrers (12 months) ",
        &s.referrers,
        referrers_area,
    );
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

fn ranked(
    frame: &mut Frame,
    app: &App,
    title: &str,
    rows: &[crate::commands::reports::Ranked],
    area: Rect,
) {
    let t = app.theme;
    let cur = &app.insights.settings.currency;
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(title.to_string(), t.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        frame.render_widget(Span::styled("Nothing yet.", t.dim()), inner);
        return;
    }
    let name_w = (inner.width as usize).saturating_sub(30).clamp(8, 24);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {:>7} {:>10} {:>10}",
            fit("", name_w),
            "clients",
            "revenue",
            "profit"
        ),
        t.dim(),
    ))];
    for r in rows.iter().take(inner.height.saturating_sub(1) as usize) {
        lines.push(Line::raw(format!(
            "{} {:>7} {:>10} {:>10}",
            fit(&one_line(&r.group.name), name_w),
            r.group.clients,
            cur.format(r.group.revenue),
            cur.format(r.profit)
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_labels() {
        assert_eq!(bar(5, 10, 10), "█████");
        assert_eq!(bar(1, 1000, 10), "█", "anything above zero shows");
        assert_eq!(bar(-5, 10, 10), "");
        assert_eq!(compact(1_234_500), "12k");
        assert_eq!(compact(250_000), "2.5k");
        assert_eq!(compact(95_000), "950");
    }
}
