//! Figures worked out on another thread (Profit and Insights, the board, the Clients list, the names
//! search filters), so the key that opens them gets
//! its frame at once. Each job reads through a connection of its own; only the newest job of
//! each kind counts, since an older one may have read data that has changed since.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::commands::reports::ProfitReport;
use crate::error::Result;
use crate::store::Store;

use super::popups::Names;
use super::views::clients::Roster;
use super::views::insights::InsightsData;

pub enum Loaded {
    Profit(ProfitReport),
    Insights(Box<InsightsData>),
    Roster(Roster),
    Names(Names),
    Pipeline(Vec<crate::model::Deal>),
}

impl Loaded {
    fn kind(&self) -> usize {
        match self {
            Loaded::Profit(_) => 0,
            Loaded::Insights(_) => 1,
            Loaded::Roster(_) => 2,
            Loaded::Names(_) => 3,
            Loaded::Pipeline(_) => 4,
        }
    }
}

struct Job {
    generation: u64,
    rx: Receiver<Result<Loaded>>,
}

#[derive(Default)]
pub struct Jobs {
    jobs: Vec<Job>,
    generation: u64,
    /// The generation of the newest job of each kind.
    latest: [u64; 5],
}

pub const PROFIT: usize = 0;
pub const INSIGHTS: usize = 1;
pub const ROSTER: usize = 2;
pub const NAMES: usize = 3;
pub const PIPELINE: usize = 4;

impl Jobs {
    /// Start `work` of `kind` on its own thread and connection to the database at `path`.
    pub fn spawn(
        &mut self,
        kind: usize,
        path: std::path::PathBuf,
        work: impl FnOnce(&Store) -> Result<Loaded> + Send + 'static,
    ) {
        self.generation += 1;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let result = Store::open(&path).and_then(|store| {
                store.read_once_through()?;
                work(&store)
            });
            let _ = tx.send(result);
        });
        self.latest[kind] = self.generation;
        self.jobs.push(Job {
            generation: self.generation,
            rx,
        });
    }

    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Whatever has finished and is still the newest of its kind; errors too.
    pub fn collect(&mut self) -> Vec<Result<Loaded>> {
        let mut done = Vec::new();
        let mut pending = Vec::new();
        for job in std::mem::take(&mut self.jobs) {
            match job.rx.try_recv() {
                Ok(Ok(loaded)) if job.generation == self.latest[loaded.kind()] => {
                    done.push(Ok(loaded))
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => done.push(Err(e)),
                Err(TryRecvError::Empty) => pending.push(job),
                Err(TryRecvError::Disconnected) => {}
            }
        }
        self.jobs = pending;
        done
    }
}
