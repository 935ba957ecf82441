//! The command line: clap definitions, one handler module per command family, and `main`,
//! which prints errors to stderr with a hint and a non-zero exit code.

mod add;
mod contacts;
mod deals;
mod dev;
mod digest;
mod files;
mod followups;
mod interop;
mod mcp;
mod money;
mod note;
mod output;
mod recipe;
mod remind;
mod report;
mod search;
mod status;
mod sync;
mod today;
mod undo;
mod vdir;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::config;
use crate::error::{Error, Result};
use crate::find;
use crate::store::Store;
use crate::tui;

pub use output::Style;

#[derive(Debug, Parser)]
#[command(
    name = "tend",
    version,
    about = "An offline-first CRM for sole traders: clients, notes and next steps in one local file",
    after_help = "Run with no command to see today's agenda.\n\
                  Dates read like people write them: today, tomorrow, fri, next tue, in 3d, +2w, 1 dec, 2026-12-01, eom."
)]
pub struct Cli {
    /// The database file [default: tend.db in your platform's data folder]
    #[arg(long, global = true, env = config::DB_VAR, value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (and its folder) at --db / TEND_DB, or in the default place
    Init,
    /// Add a contact (a lead, by default)
    Add(add::AddArgs),
    /// Log a note, call, email or meeting, optionally with a next step
    Note(note::NoteArgs),
    /// Set a next step (follow-up) for a contact
    Next(followups::NextArgs),
    /// Overdue, due today, the coming week, and who has no next step
    Today(today::TodayArgs),
    /// Complete a follow-up (a recurring one schedules its next occurrence)
    Done(followups::DoneArgs),
    /// Move a follow-up to a later date
    Snooze(followups::SnoozeArgs),
    /// List contacts
    List(contacts::ListArgs),
    /// Show a contact: details, profile fields, open follow-ups and recent notes
    Show(contacts::ShowArgs),
    /// Change a contact's details or profile fields
    Edit(contacts::EditArgs),
    /// Add or remove tags
    Tag(contacts::TagArgs),
    /// Delete a contact with everything recorded for them (asks first; tend undo brings it back)
    Delete(contacts::DeleteArgs),
    /// Archive a contact (hidden from lists and Today), or bring one back with --undo
    Archive(contacts::ArchiveArgs),
    /// How often to be in touch with someone (2w, 6w, 3m, off): past it, they show in Today
    Cadence(contacts::CadenceArgs),
    /// One line for a shell prompt or status bar ("3 overdue · 5 today"); reads only, exits 0
    /// when nothing is due, 1 when something is
    Status(status::StatusArgs),
    /// The day's agenda with what to know about each person, for cron to mail or post
    /// (--format text, markdown, html, json)
    Digest(digest::DigestArgs),
    /// A desktop notification for each follow-up that falls due, once (install: run it every
    /// few minutes)
    Remind(remind::RemindArgs),
    /// Search contacts and the full text of notes
    Search(search::SearchArgs),
    /// Deals: add, list, show, move, won, lost, edit, delete (ids look like d#12)
    Deal(deals::DealArgs),
    /// Cancel a follow-up, or stop it repeating
    Followup(followups::FollowupArgs),
    /// Correct or delete an income, expense or time entry
    Entry(money::EntryFixArgs),
    /// Undo the newest change, made here or in the app (--list shows the recent ones)
    Undo(undo::UndoArgs),
    /// Record income (invoiced; --paid when paid) for a contact
    Income(money::EntryArgs),
    /// Record an expense for a contact
    Expense(money::EntryArgs),
    /// Record time spent for a contact: 45m, 1h30, 2.5h
    Time(money::EntryArgs),
    /// Mark an income entry paid
    Paid(money::PaidArgs),
    /// Reports: profit, pipeline, funnel, sources, referrals
    Report(report::ReportArgs),
    /// Check the data: no next step, quiet leads, duplicates, overdue deals, integrity
    Doctor(report::DoctorArgs),
    /// Merge a duplicate contact into another without losing anything
    Merge(report::MergeArgs),
    /// Process recipes: list, show, new, export, apply to a contact
    Recipe(recipe::RecipeArgs),
    /// Tick the next step of a contact's checklist (or a given one)
    Tick(recipe::TickArgs),
    /// Show a contact's checklists and how far along they are
    Checklist(recipe::ChecklistArgs),
    /// Export contacts (vCard, CSV), open follow-ups (iCalendar) or everything (JSON)
    Export(interop::ExportArgs),
    /// Import contacts from vCard or CSV (again is safe), or restore a JSON export
    Import(interop::ImportArgs),
    /// Keep folders of contacts and follow-ups (vdirs, for vdirsyncer, CardDAV/CalDAV, your phone) in step with tend
    Vdir(vdir::VdirArgs),
    /// This book on several machines, offline on each: changes travel as files through a
    /// folder Syncthing, Dropbox or a USB stick keeps (init FOLDER once per machine, then sync)
    Sync(sync::SyncArgs),
    /// Copy the database, consistently, even while tend is in use
    Backup(files::BackupArgs),
    /// Print shell completions: tend completions bash > ~/.local/share/bash-completion/completions/tend
    Completions(files::CompletionsArgs),
    /// Print the man page: tend man > ~/.local/share/man/man1/tend.1 (--dir: every command's page)
    Man(files::ManArgs),
    /// Walk through today's follow-ups and everyone without a next step, one card at a time
    Review,
    /// Try tend on a throwaway database full of sample clients (your data is not touched)
    Demo,
    /// Serve tend to an AI assistant (Model Context Protocol over stdio); reads only, unless
    /// --write or `[mcp] write = true`
    Mcp(mcp::McpArgs),
    /// Tools for developing tend
    #[command(hide = true)]
    Dev(dev::DevArgs),
}

/// What every handler gets: the open store, the clock and how to style output.
pub struct Ctx {
    pub store: Store,
    pub clock: Clock,
    pub style: Style,
    /// Who made the changes, as `tend undo --list` shows it: "cli", or "mcp" for an assistant.
    pub made_by: &'static str,
    /// Where warnings go: stderr at the shell (`None`); kept for the answer when an assistant
    /// asked (`tend mcp`), since its client shows stderr to nobody.
    pub warnings: Option<std::cell::RefCell<Vec<String>>>,
    /// A change was saved but its undo record was not: the newest undoable change is an
    /// older one, and nobody should be told "undo takes this back".
    pub unrecorded: bool,
}

impl Ctx {
    /// Resolve what the user typed to one contact id.
    pub fn contact(&self, who: &str) -> Result<i64> {
        Ok(find::resolve(self.store.conn(), who)?.id)
    }

    /// Tell the user something beside the answer ("note: that is in 2031"), labelled
    /// "note:" or "warning:".
    pub fn warn(&self, label: &str, text: &str) {
        match &self.warnings {
            Some(kept) => kept.borrow_mut().push(format!("{label} {text}")),
            None => eprintln!("{} {text}", Style::for_stderr().warn(label)),
        }
    }

    /// Keep a change's reverse, so `tend undo` (or `u` in the app) can take it back. The
    /// change is saved by then: if keeping its undo fails, say so, but do not fail the
    /// command (the user would make the change a second time).
    pub fn remember(&mut self, what: &str, undo: &crate::commands::undo::Undo) -> Result<()> {
        if let Err(e) =
            crate::commands::undo::record(&mut self.store, &self.clock, self.made_by, what, undo)
        {
            self.unrecorded = true;
            self.warn(
                "warning:",
                &format!("saved, but it cannot be undone with tend undo: {e}"),
            );
        }
        Ok(())
    }

    /// After a change tend cannot undo: older changes stop being undoable (see
    /// `commands::undo::barrier`).
    pub fn cannot_undo(&mut self) {
        if let Err(e) = crate::commands::undo::barrier(&mut self.store, &self.clock) {
            self.warn(
                "warning:",
                &format!("the undo list could not be closed off: {e}"),
            );
        }
    }
}

pub fn main() -> ExitCode {
    if let Some(code) = status::fast_path() {
        return code;
    }
    let cli = Cli::parse();
    // Its own exit codes, and never the store's writing open.
    match cli.command {
        Some(Command::Status(a)) => return status::main(cli.db, a),
        Some(Command::Remind(a)) => return remind::main(cli.db, a),
        _ => {}
    }
    match run(cli) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            report(&e);
            ExitCode::FAILURE
        }
    }
}

fn report(e: &Error) {
    let style = Style::for_stderr();
    eprintln!(
        "{} {}",
        style.error("error:"),
        crate::model::text::block(&e.to_string())
    );
    if let Some(h) = e.hint() {
        eprintln!("{} {}", style.dim("hint:"), crate::model::text::block(&h));
    }
}

/// Run the command; return what goes to stdout.
pub fn run(cli: Cli) -> Result<String> {
    let clock = Clock::from_env().map_err(Error::invalid)?;
    match &cli.command {
        Some(Command::Demo) => return demo(clock),
        Some(Command::Completions(a)) => return files::completions(a),
        Some(Command::Man(a)) => return files::man(a),
        _ => {}
    }
    let explicit = cli.db.as_ref().is_some_and(|p| !p.as_os_str().is_empty());
    let path = config::db_path(cli.db)?;
    let init = matches!(cli.command, Some(Command::Init));
    if explicit && !init {
        config::refuse_missing_folder(&path)?;
    }
    let existed = path.exists();
    if let Some(risk) = config::sync_risk(&path) {
        let style = Style::for_stderr();
        eprintln!(
            "{} {risk}: SQLite files there can be corrupted by the sync.",
            style.error("warning:")
        );
        eprintln!("{} {}", style.dim("hint:"), config::SYNC_ADVICE);
    }
    let store = Store::open(&path)?;
    let daily = !matches!(cli.command, Some(Command::Backup(_) | Command::Dev(_)));
    // `[vdir] auto`: a change made here goes to the folders in the background.
    let auto_sync = matches!(
        cli.command,
        Some(ref cmd) if !matches!(
            cmd,
            Command::Vdir(_) | Command::Backup(_) | Command::Dev(_) | Command::Export(_)
        )
    );
    let mut ctx = Ctx {
        store,
        clock,
        style: Style::for_stdout(),
        made_by: "cli",
        warnings: None,
        unrecorded: false,
    };
    // At a terminal, `tend` opens the full-screen app; in a pipe or a script it prints the
    // agenda, so `tend | less` and cron jobs still work. The app may stay open for days: its
    // daily copy starts when it opens.
    let app = match cli.command {
        None if tui::is_interactive() => Some(tui::Start::Today),
        Some(Command::Review) => Some(tui::Start::Review),
        _ => None,
    };
    if let Some(start) = app {
        files::start_daily_backup(&path, &ctx.clock);
        return tui::run(ctx.store, ctx.clock, start, false).map(|()| String::new());
    }
    if let Some(Command::Mcp(a)) = cli.command {
        files::start_daily_backup(&path, &ctx.clock);
        return mcp::serve(a, ctx, &path).map(|()| String::new());
    }
    let out = match cli.command {
        None => today::run(today::TodayArgs::default(), &mut ctx),
        Some(Command::Init) => files::init(&path, existed, &mut ctx),
        Some(cmd) => dispatch(cmd, &mut ctx),
    }?;
    if auto_sync && ctx.store.conn().total_changes() > 0 {
        vdir::start_auto_sync(&path);
    }
    if daily {
        files::start_daily_backup(&path, &ctx.clock);
    }
    Ok(out)
}

/// Run one command on an open store; what it prints. The shell's `tend` and the assistant's
/// tools (`tend mcp`) both come here.
fn dispatch(command: Command, ctx: &mut Ctx) -> Result<String> {
    match command {
        Command::Review | Command::Mcp(_) | Command::Init => {
            unreachable!("the app, the server and init: run() starts them")
        }
        Command::Demo
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Status(_)
        | Command::Remind(_) => {
            unreachable!("answered before opening the store")
        }
        Command::Backup(a) => files::backup_run(a, ctx),
        Command::Vdir(a) => vdir::run(a, ctx),
        Command::Sync(a) => sync::run(a, ctx),
        Command::Export(a) => interop::export_run(a, ctx),
        Command::Import(a) => interop::import_run(a, ctx),
        Command::Add(a) => add::run(a, ctx),
        Command::Note(a) => note::run(a, ctx),
        Command::Next(a) => followups::next(a, ctx),
        Command::Today(a) => today::run(a, ctx),
        Command::Done(a) => followups::done(a, ctx),
        Command::Snooze(a) => followups::snooze(a, ctx),
        Command::List(a) => contacts::list(a, ctx),
        Command::Show(a) => contacts::show(a, ctx),
        Command::Edit(a) => contacts::edit(a, ctx),
        Command::Tag(a) => contacts::tag(a, ctx),
        Command::Archive(a) => contacts::archive(a, ctx),
        Command::Cadence(a) => contacts::cadence(a, ctx),
        Command::Digest(a) => digest::run(a, ctx),
        Command::Search(a) => search::run(a, ctx),
        Command::Recipe(a) => recipe::run(a, ctx),
        Command::Deal(a) => deals::run(a, ctx),
        Command::Undo(a) => undo::run(a, ctx),
        Command::Delete(a) => contacts::delete(a, ctx),
        Command::Followup(a) => followups::followup(a, ctx),
        Command::Entry(a) => money::entry_fix(a, ctx),
        Command::Income(a) => money::income(a, ctx),
        Command::Expense(a) => money::expense(a, ctx),
        Command::Time(a) => money::time(a, ctx),
        Command::Paid(a) => money::paid(a, ctx),
        Command::Report(a) => report::run(a, ctx),
        Command::Doctor(a) => report::doctor_run(a, ctx),
        Command::Merge(a) => report::merge(a, ctx),
        Command::Tick(a) => recipe::tick(a, ctx),
        Command::Checklist(a) => recipe::checklist(a, ctx),
        Command::Dev(a) => dev::run(a, ctx),
    }
}

/// `tend demo`: a sample business in a temporary database, removed afterwards.
fn demo(clock: Clock) -> Result<String> {
    if !tui::is_interactive() {
        return Err(Error::invalid_with_hint(
            "the demo opens the full-screen view, which needs a terminal",
            "run `tend demo` in a terminal",
        ));
    }
    // A demo that was killed (kill -9, a closed laptop lid) left its folder behind.
    crate::demo::sweep_stale(&std::env::temp_dir());
    let dir = tempfile::Builder::new()
        .prefix(crate::demo::DIR_PREFIX)
        .tempdir()?;
    std::fs::write(
        dir.path().join(crate::demo::OWNER),
        std::process::id().to_string(),
    )?;
    let mut store = Store::open(&dir.path().join("demo.db"))?;
    crate::demo::fill(&mut store, &clock)?;
    tui::run(store, clock, tui::Start::Today, true)?;
    Ok(
        "That was a throwaway demo database; it has been removed. Your own data was not touched.\n"
            .into(),
    )
}

/// Print a value as pretty JSON followed by a newline.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value).map_err(|e| Error::invalid(e.to_string()))?;
    s.push('\n');
    Ok(s)
}
