//! `tend dev seed`: synthetic data at the design scale, for benchmarks (hidden command).

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::{Error, Result};
use crate::seed::{self, Scale};
use crate::store::contacts;

#[derive(Debug, Args)]
pub struct DevArgs {
    #[command(subcommand)]
    pub command: DevCommand,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Fill an empty database with synthetic data (default: the design scale)
    Seed {
        #[arg(long, default_value_t = Scale::DESIGN.contacts)]
        contacts: usize,
        #[arg(long, default_value_t = Scale::DESIGN.notes)]
        notes: usize,
        #[arg(long, default_value_t = Scale::DESIGN.follow_ups)]
        follow_ups: usize,
        #[arg(long, default_value_t = Scale::DESIGN.deals)]
        deals: usize,
        #[arg(long, default_value_t = Scale::DESIGN.entries)]
        entries: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub fn run(a: DevArgs, ctx: &mut Ctx) -> Result<String> {
    match a.command {
        DevCommand::Seed {
            contacts: n,
            notes,
            follow_ups,
            deals,
            entries,
            seed: s,
        } => {
            if contacts::count(ctx.store.conn())? > 0 {
                return Err(Error::invalid_with_hint(
                    format!(
                        "{} already has contacts; seeding is for an empty database",
                        ctx.store.path().display()
                    ),
                    "use --db with a new file",
                ));
            }
            let scale = Scale {
                contacts: n,
                notes,
                follow_ups,
                deals,
                entries,
            };
            seed::seed(&mut ctx.store, &ctx.clock, scale, s)?;
            Ok(format!(
                "Seeded {n} contacts, {notes} notes, {follow_ups} follow-ups, {deals} deals, {entries} entries.\n"
            ))
        }
    }
}
