//! Keeping what the app shows in step with the store: each tab loads when it is shown and
//! stale, Profit and Insights on another thread, and everything again after a change made
//! here or by another process (`PRAGMA data_version`), or when the day turns.

use super::app::App;
use super::effect::Tab;
use super::jobs::{self, Loaded};
use super::popups::{Finder, Names, Popup};
use super::views::clients::Roster;
use super::views::insights::InsightsData;
use super::views::pipeline::Pipeline;
use super::views::profit::Profit;
use crate::error::Result;

impl App {
    /// Load what is on screen if it is stale; the other tabs wait until they are shown.
    pub(super) fn refresh_visible(&mut self) -> Result<()> {
        let i = self.tab.index();
        if !self.stale[i] {
            return Ok(());
        }
        self.stale[i] = false;
        let env = &self.env;
        match self.tab {
            Tab::Today => self.today.load(env)?,
            Tab::Clients => self.load_clients()?,
            Tab::Pipeline => self.load_pipeline()?,
            Tab::Profit => self.load_profit()?,
            Tab::Insights => self.load_insights()?,
        }
        Ok(())
    }

    /// The contact search (`/`): it opens at once and its names follow from another thread.
    pub(super) fn open_search(&mut self) -> Result<()> {
        if let Some(names) = &self.names {
            self.popup = Some(Popup::Finder(Finder::contacts(names.clone())));
        } else if self.background {
            self.popup = Some(Popup::Finder(Finder::contacts_reading()));
            let path = self.env.store.path().to_path_buf();
            self.jobs.spawn(jobs::NAMES, path, |store| {
                Names::read(store.conn()).map(Loaded::Names)
            });
        } else {
            self.popup = Some(Popup::search(&self.env)?);
        }
        Ok(())
    }

    fn load_pipeline(&mut self) -> Result<()> {
        if self.background {
            self.pipeline.loading = true;
            let path = self.env.store.path().to_path_buf();
            let today = self.env.today();
            self.jobs.spawn(jobs::PIPELINE, path, move |store| {
                Pipeline::read(store.conn(), today).map(Loaded::Pipeline)
            });
            Ok(())
        } else {
            self.pipeline.load(&self.env)
        }
    }

    fn load_clients(&mut self) -> Result<()> {
        if self.background {
            self.clients.loading = true;
            let path = self.env.store.path().to_path_buf();
            self.jobs.spawn(jobs::ROSTER, path, |store| {
                Roster::read(store.conn()).map(Loaded::Roster)
            });
            Ok(())
        } else {
            self.clients.load(&self.env)
        }
    }

    pub(super) fn load_profit(&mut self) -> Result<()> {
        let (period, sort) = (self.profit.period, self.profit.sort);
        let (today, settings) = (self.env.today(), self.env.settings.clone());
        if self.background {
            self.profit.loading = true;
            let path = self.env.store.path().to_path_buf();
            self.jobs.spawn(jobs::PROFIT, path, move |store| {
                Profit::compute(period, sort, store.conn(), today, &settings).map(Loaded::Profit)
            });
        } else {
            let r = Profit::compute(period, sort, self.env.store.conn(), today, &settings)?;
            self.profit.apply(r, &settings);
        }
        Ok(())
    }

    pub(super) fn load_insights(&mut self) -> Result<()> {
        let (today, now) = (self.env.today(), self.env.clock.stamp());
        let settings = self.env.settings.clone();
        if self.background {
            self.insights.loading = true;
            let path = self.env.store.path().to_path_buf();
            self.jobs.spawn(jobs::INSIGHTS, path, move |store| {
                let d = InsightsData::compute(store.conn(), today, &now, &settings)?;
                Ok(Loaded::Insights(Box::new(d)))
            });
        } else {
            let d = InsightsData::compute(self.env.store.conn(), today, &now, &settings)?;
            self.insights.data = Some(d);
        }
        Ok(())
    }

    /// Figures still being worked out.
    pub fn busy(&self) -> bool {
        self.jobs.busy()
    }

    /// Take in whatever background work has finished; true when something changed on screen.
    pub fn collect(&mut self) -> bool {
        let done = self.jobs.collect();
        let changed = !done.is_empty();
        for result in done {
            match result {
                Ok(Loaded::Profit(r)) => self.profit.apply(r, &self.env.settings),
                Ok(Loaded::Roster(r)) => self.clients.install(r),
                Ok(Loaded::Pipeline(d)) => self.pipeline.install(d),
                Ok(Loaded::Names(n)) => {
                    let n = std::sync::Arc::new(n);
                    self.names = Some(n.clone());
                    if let Some(Popup::Finder(f)) = &mut self.popup {
                        f.fill(n);
                    }
                }
                Ok(Loaded::Insights(d)) => {
                    self.insights.data = Some(*d);
                    self.insights.loading = false;
                }
                Err(e) => {
                    self.clients.loading = false;
                    self.pipeline.loading = false;
                    self.profit.loading = false;
                    self.insights.loading = false;
                    self.fail(&e);
                }
            }
        }
        changed
    }

    /// After a change: everything is stale; reload what shows, keeping selections.
    pub(super) fn changed(&mut self) -> Result<()> {
        self.stale = [true; 5];
        self.names = None;
        self.refresh_visible()?;
        if let Some(p) = &mut self.profile {
            // The contact may be gone (its adding undone, here or in another terminal).
            if crate::store::contacts::by_id(self.env.store.conn(), p.contact_id())?.is_none() {
                self.profile = None;
            } else {
                p.reload(&self.env)?;
            }
        }
        if let Some(r) = &mut self.review {
            r.refresh(&self.env)?;
        }
        self.data_version = self.env.store.data_version()?;
        Ok(())
    }

    /// Called between events: picks up writes from other processes (`tend note` in another
    /// terminal) and a new day.
    pub fn tick(&mut self) -> Result<()> {
        let before = self.env.today();
        self.env.clock.tick();
        let version = self.env.store.data_version()?;
        if version != self.data_version || self.env.today() != before {
            self.changed()?;
        }
        Ok(())
    }
}
