//! What every part of the app works with: the store, the clock, the settings and the theme
//! (`Env`), and the smaller part a view needs to draw (`Ui`), which has no store in it.

use std::path::PathBuf;

use chrono::{FixedOffset, NaiveDate};

use super::theme::Theme;
use crate::clock::Clock;
use crate::config::Settings;
use crate::model::money::Currency;
use crate::store::Store;

pub struct Env {
    pub store: Store,
    pub clock: Clock,
    pub theme: Theme,
    pub settings: Settings,
    /// Where the user's own recipes are read from.
    pub recipes_dir: Option<PathBuf>,
}

impl Env {
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub fn ui(&self) -> Ui<'_> {
        Ui {
            theme: self.theme,
            today: self.clock.today(),
            offset: self.clock.offset(),
            currency: &self.settings.currency,
        }
    }
}

/// What drawing needs: no store, nothing to change.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    pub theme: Theme,
    pub today: NaiveDate,
    pub offset: FixedOffset,
    pub currency: &'a Currency,
}

impl Ui<'_> {
    /// A stored UTC timestamp as a local date, in a column of at most 11: "Fri 27 Nov",
    /// "4 Oct 2025".
    pub fn date_of(&self, stamp: &str) -> String {
        crate::clock::local(stamp, self.offset)
            .map(|d| crate::when::short(d.date_naive(), self.today))
            .unwrap_or_default()
    }

    pub fn money(&self, minor: i64) -> String {
        self.currency.format(minor)
    }
}
