//! What each view shows, loaded from the store through the command layer. Views draw these
//! and nothing else.

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::commands::agenda::{self, Agenda};
use crate::commands::contacts::{self as contact_cmds, Profile};
use crate::error::Result;
use crate::find;
use crate::model::followup::{FollowUp, Urgency, urgency};
use crate::model::{Contact, ContactRow, Deal, Note, Stage, Status};
use crate::store::checklists::{self, Progress};
use crate::store::contacts::{self, Neglected};
use crate::store::entries::{self, MoneySummary};
use crate::store::{deals, followups, notes};

use super::input::TextInput;

/// One line of Today: a section heading or something to act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Header(String),
    FollowUp(FollowUp, Urgency),
    Neglected(Neglected),
    Empty(String),
}

impl Row {
    pub fn contact_id(&self) -> Option<i64> {
        match self {
            Row::FollowUp(f, _) => Some(f.contact_id),
            Row::Neglected(n) => Some(n.id),
            _ => None,
        }
    }

    pub fn follow_up(&self) -> Option<&FollowUp> {
        match self {
            Row::FollowUp(f, _) => Some(f),
            _ => None,
        }
    }

    fn selectable(&self) -> bool {
        self.contact_id().is_some()
    }

    /// What identifies the row across reloads.
    fn key(&self) -> Option<(bool, i64)> {
        match self {
            Row::FollowUp(f, _) => Some((true, f.id)),
            Row::Neglected(n) => Some((false, n.id)),
            _ => None,
        }
    }
}

/// A contact at a glance: the review card and Today's side panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub contact: Contact,
    pub notes: Vec<Note>,
    pub checklist: Option<String>,
    pub open: Vec<FollowUp>,
}

pub fn card(conn: &Connection, contact_id: i64) -> Result<Card> {
    Ok(Card {
        contact: contacts::get(conn, contact_id)?,
        notes: notes::recent_for(conn, contact_id, 3)?,
        checklist: checklists::next_step_for(conn, contact_id)?,
        open: followups::open_for(conn, contact_id)?,
    })
}

#[derive(Debug, Default)]
pub struct TodayState {
    pub rows: Vec<Row>,
    pub selected: usize,
    pub card: Option<Card>,
    pub contacts_total: i64,
    pub agenda: Option<Agenda>,
}

impl TodayState {
    pub fn load(&mut self, conn: &Connection, today: NaiveDate) -> Result<()> {
        let keep = self.rows.get(self.selected).and_then(Row::key);
        let ag = agenda::agenda(conn, today, None)?;
        let mut rows = Vec::new();
        let sections: [(&str, &Vec<FollowUp>); 3] = [
            ("Overdue", &ag.overdue),
            ("Due today", &ag.due_today),
            ("Coming up", &ag.upcoming),
        ];
        for (title, items) in sections {
            if !items.is_empty() {
                rows.push(Row::Header(format!("{title} ({})", items.len())));
                rows.extend(
                    items
                        .iter()
                        .map(|f| Row::FollowUp(f.clone(), urgency(f.due_date, today))),
                );
            }
        }
        if !ag.no_next_step.is_empty() {
            rows.push(Row::Header(format!(
                "No next step ({})",
                ag.no_next_step.len()
            )));
            rows.extend(ag.no_next_step.iter().cloned().map(Row::Neglected));
        }
        self.contacts_total = contacts::count(conn)?;
        if rows.is_empty() {
            rows.push(Row::Empty(if self.contacts_total == 0 {
                "No contacts yet.".into()
            } else {
                "All clear: nothing due, and everyone has a next step.".into()
            }));
        }
        let index = keep
            .and_then(|k| rows.iter().position(|r| r.key() == Some(k)))
            .unwrap_or(self.selected);
        self.rows = rows;
        self.agenda = Some(ag);
        self.selected = index.min(self.rows.len().saturating_sub(1));
        if !self.rows.get(self.selected).is_some_and(Row::selectable) {
            self.step(1);
        }
        self.load_card(conn)
    }

    pub fn load_card(&mut self, conn: &Connection) -> Result<()> {
        self.card = match self.selected_row().and_then(Row::contact_id) {
            Some(id) => Some(card(conn, id)?),
            None => None,
        };
        Ok(())
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected).filter(|r| r.selectable())
    }

    /// Move the selection by `delta` item rows (headings are skipped).
    pub fn step(&mut self, delta: isize) {
        let items: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.rows[i].selectable())
            .collect();
        if items.is_empty() {
            return;
        }
        let pos = items
            .iter()
            .position(|&i| i >= self.selected)
            .unwrap_or(items.len() - 1);
        let pos = if items.get(pos) == Some(&self.selected) || delta <= 0 {
            pos as isize + delta
        } else {
            pos as isize + delta - 1
        };
        self.selected = items[pos.clamp(0, items.len() as isize - 1) as usize];
    }

    pub fn jump(&mut self, to_end: bool) {
        let mut items = (0..self.rows.len()).filter(|&i| self.rows[i].selectable());
        let target = if to_end {
            items.next_back()
        } else {
            items.next()
        };
        if let Some(i) = target {
            self.selected = i;
        }
    }
}

#[derive(Debug, Default)]
pub struct ClientsState {
    pub rows: Vec<ContactRow>,
    pub visible: Vec<usize>,
    pub selected: usize,
    pub filter: TextInput,
    pub filtering: bool,
    pub status: Option<Status>,
    pub tag: Option<String>,
}

impl ClientsState {
    pub fn load(&mut self, conn: &Connection) -> Result<()> {
        let keep = self.selected_row().map(|r| r.id);
        self.rows = contacts::roster(conn)?;
        self.refilter();
        if let Some(id) = keep
            && let Some(pos) = self.visible.iter().position(|&i| self.rows[i].id == id)
        {
            self.selected = pos;
        }
        Ok(())
    }

    pub fn refilter(&mut self) {
        let candidates: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.status.is_none_or(|s| self.rows[i].status == s))
            .filter(|&i| {
                self.tag
                    .as_ref()
                    .is_none_or(|t| self.rows[i].tags.contains(t))
            })
            .collect();
        let names: Vec<&str> = candidates
            .iter()
            .map(|&i| self.rows[i].name.as_str())
            .collect();
        self.visible = find::filter(self.filter.value(), &names)
            .into_iter()
            .map(|j| candidates[j])
            .collect();
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
    }

    pub fn selected_row(&self) -> Option<&ContactRow> {
        self.visible.get(self.selected).map(|&i| &self.rows[i])
    }

    pub fn cycle_status(&mut self) {
        self.status = match self.status {
            None => Some(Status::Lead),
            Some(Status::Lead) => Some(Status::Prospect),
            Some(Status::Prospect) => Some(Status::Client),
            Some(Status::Client) => Some(Status::Former),
            Some(Status::Former) => Some(Status::Lost),
            Some(Status::Lost) => None,
        };
        self.selected = 0;
        self.refilter();
    }
}

/// Closed deals stay on the board this long.
pub const CLOSED_SHOWN_DAYS: u64 = 30;

#[derive(Debug, Default)]
pub struct PipelineState {
    pub deals: Vec<Deal>,
    pub columns: Vec<Vec<usize>>,
    pub column: usize,
    pub rows: Vec<usize>,
}

impl PipelineState {
    pub fn load(&mut self, conn: &Connection, today: NaiveDate) -> Result<()> {
        let keep = self.selected().map(|d| d.id);
        let since = today
            .checked_sub_days(chrono::Days::new(CLOSED_SHOWN_DAYS))
            .unwrap_or(today)
            .to_string();
        self.deals = deals::pipeline(conn, &since)?;
        self.columns = Stage::ALL
            .iter()
            .map(|s| {
                (0..self.deals.len())
                    .filter(|&i| self.deals[i].stage == *s)
                    .collect()
            })
            .collect();
        self.rows.resize(Stage::ALL.len(), 0);
        if let Some(id) = keep {
            for (c, col) in self.columns.iter().enumerate() {
                if let Some(r) = col.iter().position(|&i| self.deals[i].id == id) {
                    self.column = c;
                    self.rows[c] = r;
                }
            }
        }
        for (c, col) in self.columns.iter().enumerate() {
            self.rows[c] = self.rows[c].min(col.len().saturating_sub(1));
        }
        Ok(())
    }

    pub fn selected(&self) -> Option<&Deal> {
        let col = self.columns.get(self.column)?;
        col.get(*self.rows.get(self.column)?)
            .map(|&i| &self.deals[i])
    }

    pub fn stage(&self) -> Stage {
        Stage::ALL[self.column.min(Stage::ALL.len() - 1)]
    }

    pub fn move_row(&mut self, delta: isize) {
        let len = self.columns.get(self.column).map_or(0, Vec::len);
        if len > 0 {
            let r = &mut self.rows[self.column];
            *r = (*r as isize + delta).clamp(0, len as isize - 1) as usize;
        }
    }

    pub fn move_column(&mut self, delta: isize) {
        self.column =
            (self.column as isize + delta).clamp(0, Stage::ALL.len() as isize - 1) as usize;
    }
}

/// How many notes the profile's timeline loads.
pub const TIMELINE: usize = 200;

#[derive(Debug)]
pub struct ProfileState {
    pub profile: Profile,
    pub deals: Vec<Deal>,
    pub money: MoneySummary,
    pub checklists: Vec<Progress>,
    pub selected_note: usize,
}

impl ProfileState {
    pub fn load(conn: &Connection, contact_id: i64) -> Result<ProfileState> {
        Ok(ProfileState {
            profile: contact_cmds::profile(conn, contact_id, TIMELINE)?,
            deals: deals::for_contact(conn, contact_id)?,
            money: entries::summary_for(conn, contact_id)?,
            checklists: checklists::progress_for(conn, contact_id)?,
            selected_note: 0,
        })
    }

    pub fn contact_id(&self) -> i64 {
        self.profile.contact.id
    }
}

/// One card of the daily review.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewItem {
    FollowUp(FollowUp),
    NoNextStep(Neglected),
}

impl ReviewItem {
    pub fn contact_id(&self) -> i64 {
        match self {
            ReviewItem::FollowUp(f) => f.contact_id,
            ReviewItem::NoNextStep(n) => n.id,
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReviewStats {
    pub done: usize,
    pub snoozed: usize,
    pub notes: usize,
    pub new_next_steps: usize,
}

#[derive(Debug)]
pub struct ReviewState {
    pub items: Vec<ReviewItem>,
    pub pos: usize,
    pub stats: ReviewStats,
    pub card: Option<Card>,
    /// Set when the review has ended: who is still without a next step.
    pub summary: Option<Vec<String>>,
    /// Cards already acted on (done, snoozed, given a next step).
    pub handled: Vec<bool>,
}

impl ReviewState {
    /// Everything overdue or due today, then every active contact with no next step.
    pub fn start(conn: &Connection, today: NaiveDate) -> Result<ReviewState> {
        let ag = agenda::agenda(conn, today, None)?;
        let mut items: Vec<ReviewItem> = ag
            .overdue
            .into_iter()
            .chain(ag.due_today)
            .map(ReviewItem::FollowUp)
            .collect();
        items.extend(ag.no_next_step.into_iter().map(ReviewItem::NoNextStep));
        let mut r = ReviewState {
            handled: vec![false; items.len()],
            items,
            pos: 0,
            stats: ReviewStats::default(),
            card: None,
            summary: None,
        };
        if r.items.is_empty() {
            r.summary = Some(Vec::new());
        } else {
            r.load_card(conn)?;
        }
        Ok(r)
    }

    pub fn current(&self) -> Option<&ReviewItem> {
        self.items.get(self.pos)
    }

    pub fn load_card(&mut self, conn: &Connection) -> Result<()> {
        self.card = match self.current() {
            Some(item) => Some(card(conn, item.contact_id())?),
            None => None,
        };
        Ok(())
    }

    /// Move to the next card, or end the review after the last.
    pub fn advance(&mut self, conn: &Connection) -> Result<()> {
        if self.pos + 1 >= self.items.len() {
            return self.finish(conn);
        }
        self.pos += 1;
        self.load_card(conn)
    }

    pub fn back(&mut self, conn: &Connection) -> Result<()> {
        self.pos = self.pos.saturating_sub(1);
        self.load_card(conn)
    }

    /// End the review: list the contacts seen that still have no next step.
    pub fn finish(&mut self, conn: &Connection) -> Result<()> {
        let mut ids: Vec<i64> = self.items.iter().map(ReviewItem::contact_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut without = Vec::new();
        for id in ids {
            let c = contacts::get(conn, id)?;
            if c.status.is_active() && !c.archived && followups::open_for(conn, id)?.is_empty() {
                without.push(c.name);
            }
        }
        without.sort();
        self.summary = Some(without);
        Ok(())
    }
}

/// The Profit tab: the report for a period, sorted by a column.
#[derive(Debug)]
pub struct ProfitState {
    pub period: crate::model::profit::Period,
    pub sort: crate::model::profit::SortBy,
    pub report: Option<crate::commands::reports::ProfitReport>,
    pub selected: usize,
    pub settings: crate::config::Settings,
    /// Figures are being worked out in the background.
    pub loading: bool,
}

impl Default for ProfitState {
    fn default() -> Self {
        ProfitState {
            period: crate::model::profit::Period::Year,
            sort: crate::model::profit::SortBy::Profit,
            report: None,
            selected: 0,
            settings: crate::config::Settings::default(),
            loading: false,
        }
    }
}

impl ProfitState {
    /// Work the report out (on whichever thread holds `conn`).
    pub fn compute(
        &self,
        conn: &Connection,
        today: NaiveDate,
    ) -> Result<crate::commands::reports::ProfitReport> {
        crate::commands::reports::profit(conn, today, self.period, self.sort, &self.settings)
    }

    pub fn load(&mut self, conn: &Connection, today: NaiveDate) -> Result<()> {
        let r = self.compute(conn, today)?;
        self.apply(r);
        Ok(())
    }

    /// Show a freshly worked-out report, keeping the selected client.
    pub fn apply(&mut self, r: crate::commands::reports::ProfitReport) {
        let keep = self.selected_id();
        self.install(r, keep);
    }

    /// Re-sort what is shown; no need to work anything out again.
    pub fn resort(&mut self) {
        let (keep, loading) = (self.selected_id(), self.loading);
        if let Some(r) = self.report.take() {
            self.install(r, keep);
        }
        self.loading = loading;
    }

    fn install(&mut self, mut r: crate::commands::reports::ProfitReport, keep: Option<i64>) {
        crate::model::profit::sort(&mut r.rows, self.sort);
        self.selected = keep
            .and_then(|id| r.rows.iter().position(|c| c.contact_id == id))
            .unwrap_or(0)
            .min(r.rows.len().saturating_sub(1));
        self.report = Some(r);
        self.loading = false;
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.report
            .as_ref()?
            .rows
            .get(self.selected)
            .map(|r| r.contact_id)
    }
}

/// Everything the Insights tab shows, worked out in one go.
#[derive(Debug, Clone)]
pub struct InsightsData {
    pub funnel: crate::commands::reports::Funnel,
    pub pipeline: crate::commands::reports::PipelineReport,
    pub months: Vec<crate::commands::reports::Month>,
    pub sources: Vec<crate::commands::reports::Ranked>,
    pub referrers: Vec<crate::commands::reports::Ranked>,
}

impl InsightsData {
    pub fn compute(
        conn: &Connection,
        today: NaiveDate,
        now: &str,
        settings: &crate::config::Settings,
    ) -> Result<InsightsData> {
        use crate::commands::reports as r;
        use crate::model::profit::Period;
        let funnel = r::funnel(conn, today, now, settings)?;
        let pipeline = r::pipeline_with(conn, today, funnel.deals.clone())?;
        let (sources, referrers) =
            r::sources_and_referrals(conn, today, Period::Last12Months, settings)?;
        Ok(InsightsData {
            funnel,
            pipeline,
            months: r::revenue_by_month(conn, today)?,
            sources,
            referrers,
        })
    }
}

/// The Insights tab.
#[derive(Debug, Default)]
pub struct InsightsState {
    pub data: Option<InsightsData>,
    pub settings: crate::config::Settings,
    pub loading: bool,
}

impl InsightsState {
    pub fn load(&mut self, conn: &Connection, today: NaiveDate, now: &str) -> Result<()> {
        self.data = Some(InsightsData::compute(conn, today, now, &self.settings)?);
        self.loading = false;
        Ok(())
    }
}
