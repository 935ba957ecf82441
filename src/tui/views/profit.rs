//! Profit: each client's revenue, expenses, hours, profit, margin and effective hourly rate
//! for a period, with a bar. Columns are as wide as their figures and the least needed ones
//! give way first on a narrow terminal.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};
use rusqlite::Connection;
use unicode_width::UnicodeWidthStr;

use crate::commands::reports::{self, ProfitReport};
use crate::config::Settings;
use crate::error::Result;
use crate::model::duration::format_minutes;
use crate::model::profit::{ClientProfit, Period, SortBy, sort};
use crate::model::text::{fit, one_line};
use crate::tui::context::Ui;
use crate::tui::effect::Effect;
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::widgets::{bar, panel, row_at, window};

#[derive(Debug)]
pub struct Profit {
    pub period: Period,
    pub sort: SortBy,
    pub report: Option<ProfitReport>,
    pub table: TableState,
    /// Figures are being worked out in the background.
    pub loading: bool,
    /// The hourly cost the figures were worked out with, and whether it is tend's default.
    hourly: Option<(i64, bool)>,
    rows_area: Rect,
    /// The columns worked out for the report at a width (every figure measured once, not
    /// every frame).
    layout: Option<(usize, ProfitTable)>,
}

impl Default for Profit {
    fn default() -> Self {
        Profit {
            period: Period::Year,
            sort: SortBy::Profit,
            report: None,
            table: TableState::default(),
            loading: false,
            hourly: None,
            rows_area: Rect::default(),
            layout: None,
        }
    }
}

/// How many clients the tab lists, best first by the sort chosen (the totals are over all;
/// `tend report profit --all` lists everyone).
const ROWS: usize = 500;

/// The columns after the client's name, least needed last.
const COLUMNS: [&str; 6] = ["profit", "revenue", "hours", "rate/h", "margin", "expenses"];

impl Profit {
    /// Work the report out (on whichever thread holds `conn`).
    pub fn compute(
        period: Period,
        sort: SortBy,
        conn: &Connection,
        today: chrono::NaiveDate,
        settings: &Settings,
    ) -> Result<ProfitReport> {
        reports::profit(conn, today, period, sort, settings, Some(ROWS))
    }

    /// Show a freshly worked-out report, keeping the selected client.
    pub fn apply(&mut self, r: ProfitReport, settings: &Settings) {
        self.hourly = Some((settings.hourly_cost, settings.hourly_cost_is_default));
        let keep = self.selected_id();
        self.install(r, keep);
        self.loading = false;
    }

    /// Re-sort what is shown; nothing is worked out again.
    fn resort(&mut self) {
        let keep = self.selected_id();
        if let Some(r) = self.report.take() {
            self.install(r, keep);
        }
    }

    fn install(&mut self, mut r: ProfitReport, keep: Option<i64>) {
        sort(&mut r.rows, self.sort);
        self.layout = None;
        let at = keep
            .and_then(|id| r.rows.iter().position(|c| c.contact_id == id))
            .unwrap_or(0);
        self.table
            .select((!r.rows.is_empty()).then(|| at.min(r.rows.len() - 1)));
        self.report = Some(r);
    }

    pub fn selected_id(&self) -> Option<i64> {
        let r = self.report.as_ref()?;
        r.rows.get(self.table.selected()?).map(|c| c.contact_id)
    }

    pub fn has_selection(&self) -> bool {
        self.selected_id().is_some()
    }

    pub fn keys(&self) -> &'static [Binding] {
        keymap::PROFIT
    }

    pub fn applies(&self, action: Action) -> bool {
        action != Action::Open || self.has_selection()
    }

    fn step(&mut self, delta: isize) {
        let len = self.report.as_ref().map_or(0, |r| r.rows.len());
        if let Some(last) = len.checked_sub(1) {
            let s = self.table.selected().unwrap_or(0);
            self.table
                .select(Some(s.saturating_add_signed(delta).min(last)));
        }
    }

    /// `Effect::None` with `true` when the figures must be worked out again.
    pub fn act(&mut self, action: Action) -> (Effect, bool) {
        let page = self.rows_area.height.max(1) as isize;
        match action {
            Action::Down => self.step(1),
            Action::Up => self.step(-1),
            Action::PageDown => self.step(page),
            Action::PageUp => self.step(-page),
            Action::Top => self.step(isize::MIN / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::CyclePeriod => {
                self.period = self.period.next();
                return (Effect::None, true);
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                // The best by another figure may be clients not among those held.
                if self.report.as_ref().is_some_and(|r| r.more > 0) {
                    return (Effect::None, true);
                }
                self.resort();
            }
            Action::Open => {
                return (
                    self.selected_id().map_or(Effect::None, Effect::Profile),
                    false,
                );
            }
            _ => {}
        }
        (Effect::None, false)
    }

    pub fn mouse(&mut self, m: MouseEvent) {
        match m.kind {
            MouseEventKind::ScrollDown => self.step(3),
            MouseEventKind::ScrollUp => self.step(-3),
            MouseEventKind::Down(_) => {
                let len = self.report.as_ref().map_or(0, |r| r.rows.len());
                if let Some(i) = row_at(self.rows_area, self.table.offset(), m.column, m.row)
                    .filter(|&i| i < len)
                {
                    self.table.select(Some(i));
                }
            }
            _ => {}
        }
    }

    /// The panel's title, as much of what it says about the cost of time as fits whole: the
    /// hint on the default, then "(default)", then the cost alone, then nothing.
    fn title(&self, ui: &Ui, width: usize) -> String {
        let fits = |t: &String| t.chars().count() + 4 <= width;
        (0..4)
            .rev()
            .map(|detail| self.title_with(ui, detail))
            .find(fits)
            .unwrap_or_else(|| self.title_with(ui, 0))
    }

    /// `detail`: 3 the whole hint, 2 "(default)", 1 the cost, 0 nothing of the cost of time.
    fn title_with(&self, ui: &Ui, detail: u8) -> String {
        let hourly = match self.hourly {
            Some(_) if detail == 0 => String::new(),
            Some((cost, default)) => {
                let note = if default && detail == 3 {
                    " (default: set hourly_cost)"
                } else if default && detail == 2 {
                    " (default)"
                } else {
                    ""
                };
                format!(" · time at {}/h{note}", ui.money(cost))
            }
            None => String::new(),
        };
        let updating = if self.loading { " · updating…" } else { "" };
        let top = match &self.report {
            Some(r) if r.more > 0 => {
                format!(" · top {} of {}", r.rows.len(), r.rows.len() + r.more)
            }
            _ => String::new(),
        };
        format!(
            "Profit · {} · sorted by {}{top}{hourly}{updating}",
            self.period.title(),
            self.sort.title(),
        )
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        let inner = panel(
            frame,
            area,
            &self.title(ui, usize::from(area.width)),
            t.border(),
            t,
        );
        let Some(r) = &self.report else {
            frame.render_widget(Paragraph::new("Working out the figures…"), inner);
            return;
        };
        if r.rows.is_empty() {
            let msg = "No money or time in this period. p changes the period; record with tend income, tend expense, tend time.";
            frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: false }), inner);
            return;
        }
        // The header and the totals need room for rows between them.
        let (header_h, footer_h) = (u16::from(inner.height >= 3), u16::from(inner.height >= 5));
        let room = inner.width as usize;
        if self.layout.as_ref().is_none_or(|(w, _)| *w != room) {
            self.layout = Some((room, ProfitTable::new(r, room, ui)));
        }
        let rows_h = inner.height.saturating_sub(header_h + footer_h) as usize;
        let selected = self.table.selected();
        let shown = window(self.table.offset_mut(), selected, r.rows.len(), rows_h);
        let Some((_, layout)) = &self.layout else {
            return;
        };
        let table = layout.table(r, ui, header_h, footer_h, shown.clone());
        self.rows_area = Rect {
            y: inner.y.saturating_add(header_h),
            height: inner.height.saturating_sub(header_h + footer_h),
            ..inner
        };
        let mut state =
            TableState::default().with_selected(selected.map(|s| s.saturating_sub(shown.start)));
        frame.render_stateful_widget(table, inner, &mut state);
    }
}

/// The table's figures as text, and which columns fit.
#[derive(Debug)]
struct ProfitTable {
    figures: Vec<[String; 6]>,
    total: [String; 6],
    /// Each column's width: its widest figure or heading.
    widths: Vec<usize>,
    /// The columns shown, by their place in `COLUMNS`.
    shown: Vec<usize>,
    name_w: usize,
    bar_w: usize,
}

fn figures_of(c: &ClientProfit, ui: &Ui) -> [String; 6] {
    [
        ui.money(c.profit),
        ui.money(c.revenue),
        format_minutes(c.minutes),
        c.hourly_rate.map_or("—".into(), |h| ui.money(h)),
        c.margin.map_or("—".into(), |m| format!("{m:.0}%")),
        ui.money(c.expenses),
    ]
}

impl ProfitTable {
    fn new(r: &ProfitReport, room: usize, ui: &Ui) -> ProfitTable {
        let figures: Vec<[String; 6]> = r.rows.iter().map(|c| figures_of(c, ui)).collect();
        let total = figures_of(&r.total, ui);
        let widths: Vec<usize> = (0..COLUMNS.len())
            .map(|k| {
                figures
                    .iter()
                    .chain([&total])
                    .map(|f| f[k].width())
                    .chain([COLUMNS[k].width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        // The name takes at least 14 columns (8 on a very narrow terminal); figures join while
        // they fit, least needed last; a bar takes the rest.
        let name_min = if room >= 40 { 14 } else { 8 };
        let mut used = name_min;
        let mut shown = Vec::new();
        for (k, w) in widths.iter().enumerate() {
            if used + 1 + w <= room {
                used += 1 + w;
                shown.push(k);
            }
        }
        let spare = room.saturating_sub(used);
        ProfitTable {
            figures,
            total,
            widths,
            shown,
            name_w: name_min + spare.min(20),
            // A bar narrower than its heading says nothing.
            bar_w: Some(spare.saturating_sub(20 + 1).min(30))
                .filter(|&w| w >= 6)
                .unwrap_or(0),
        }
    }

    fn cell(&self, k: usize, text: &str, style: Style) -> Cell<'static> {
        Cell::from(Span::styled(
            format!("{text:>w$}", w = self.widths[k]),
            style,
        ))
    }

    /// The table, with its header and totals rows when there is a line for each.
    fn table(
        &self,
        r: &ProfitReport,
        ui: &Ui,
        header_h: u16,
        footer_h: u16,
        shown: std::ops::Range<usize>,
    ) -> Table<'static> {
        let t = ui.theme;
        let mut header = vec![Cell::from("client")];
        header.extend(
            self.shown
                .iter()
                .map(|&k| self.cell(k, COLUMNS[k], Style::new())),
        );
        let mut constraints = vec![Constraint::Length(self.name_w as u16)];
        constraints.extend(
            self.shown
                .iter()
                .map(|&k| Constraint::Length(self.widths[k] as u16)),
        );
        if self.bar_w > 0 {
            header.push(Cell::from("profit"));
            constraints.push(Constraint::Length(self.bar_w as u16));
        }
        let max = r.rows.iter().map(|c| c.profit).max().unwrap_or(0);
        let rows: Vec<Row> = r.rows[shown.clone()]
            .iter()
            .zip(&self.figures[shown])
            .map(|(c, f)| {
                let losing = c.profit < 0;
                let mut row = vec![Cell::from(fit(&one_line(&c.name), self.name_w))];
                for &k in &self.shown {
                    let style = if k == 0 && losing {
                        t.overdue()
                    } else {
                        Style::new()
                    };
                    row.push(self.cell(k, &f[k], style));
                }
                if self.bar_w > 0 {
                    row.push(if losing {
                        Cell::from(Span::styled("losing money", t.overdue()))
                    } else {
                        Cell::from(Span::styled(bar(c.profit, max, self.bar_w), t.good()))
                    });
                }
                Row::new(row)
            })
            .collect();
        let mut foot = vec![Cell::from(fit(
            &format!("Total · {}", r.rows.len() + r.more),
            self.name_w,
        ))];
        foot.extend(
            self.shown
                .iter()
                .map(|&k| self.cell(k, &self.total[k], Style::new())),
        );
        let mut table = Table::new(rows, constraints).row_highlight_style(t.selected());
        if header_h > 0 {
            table = table.header(Row::new(header).style(t.heading()));
        }
        if footer_h > 0 {
            table = table.footer(Row::new(foot).style(t.heading()));
        }
        table
    }
}
