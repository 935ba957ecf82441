//! `tend recipe list|show|new|export|apply`, `tend tick`, `tend checklist`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Ctx, json};
use crate::commands::checklists::{self as cmd, Tick, Which};
use crate::error::{Error, Result};
use crate::model::checklist::Checklist;
use crate::model::recipe::Recipe;
use crate::model::text::one_line;
use crate::recipes::{self, Book, Origin};
use crate::when::{self, Direction};

#[derive(Debug, Args)]
pub struct RecipeArgs {
    #[command(subcommand)]
    pub command: RecipeCommand,
}

#[derive(Debug, Subcommand)]
pub enum RecipeCommand {
    /// List the recipes: built-in and your own
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a recipe's steps, in order, with when each falls due
    Show {
        name: String,
        /// Print the recipe file itself (to share or adapt)
        #[arg(long)]
        toml: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a commented starter recipe into your recipes folder
    New { name: String },
    /// Write a recipe's file to stdout, or to a file with -o, to share it
    Export {
        name: String,
        #[arg(short = 'o', long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Start a recipe for a contact: its steps become their checklist
    Apply {
        /// Who it is for
        who: String,
        /// The recipe's name (tend recipe list)
        name: String,
        /// The day the recipe starts (default today); step offsets count from it
        #[arg(long, value_name = "WHEN")]
        start: Option<String>,
        /// Start it even though it is already running for them
        #[arg(long)]
        again: bool,
        #[arg(long)]
        json: bool,
    },
}

fn book() -> Book {
    Book::load(recipes::user_dir().as_deref())
}

pub fn run(a: RecipeArgs, ctx: &mut Ctx) -> Result<String> {
    match a.command {
        RecipeCommand::List { json: as_json } => list(as_json),
        RecipeCommand::Show {
            name,
            toml,
            json: as_json,
        } => {
            let book = book();
            let e = book.get(&name)?;
            if toml {
                return Ok(e.source.clone());
            }
            if as_json {
                return json(&e.recipe);
            }
            Ok(recipes::describe(&e.recipe))
        }
        RecipeCommand::New { name } => new(&name),
        RecipeCommand::Export { name, output } => {
            let book = book();
            let e = book.get(&name)?;
            match output {
                Some(path) => {
                    std::fs::write(&path, &e.source).map_err(|err| {
                        Error::invalid(format!("cannot write {}: {err}", path.display()))
                    })?;
                    Ok(format!("Wrote {} to {}.\n", e.recipe.name, path.display()))
                }
                None => Ok(e.source.clone()),
            }
        }
        RecipeCommand::Apply {
            who,
            name,
            start,
            again,
            json: as_json,
        } => {
            let today = ctx.clock.today();
            let start = match start {
                Some(s) => {
                    when::parse(&s, today, Direction::Future)
                        .map_err(Error::invalid)?
                        .date
                }
                None => today,
            };
            let book = book();
            let recipe = book.get(&name)?.recipe.clone();
            let contact_id = ctx.contact(&who)?;
            let running = cmd::for_contact(ctx.store.conn(), contact_id)?
                .into_iter()
                .find(|l| l.recipe == recipe.name && l.completed_at.is_none());
            if let (Some(l), false) = (running, again) {
                let done = l.steps.iter().filter(|s| s.done_at.is_some()).count();
                return Err(Error::invalid_with_hint(
                    format!(
                        "'{}' is already running for {} ({done} of {} steps done)",
                        l.title,
                        one_line(&who),
                        l.steps.len()
                    ),
                    format!(
                        "tend checklist {who:?} shows it; to start a second one anyway: tend recipe apply {who:?} {} --again",
                        recipe.name
                    ),
                ));
            }
            let applied = cmd::apply(&mut ctx.store, &ctx.clock, contact_id, &recipe, start)?;
            ctx.remember(&format!("recipe {} applied", recipe.name), &applied.undo)?;
            let list = applied.checklist;
            if as_json {
                return json(&list);
            }
            let name = crate::store::contacts::get(ctx.store.conn(), contact_id)?.name;
            // "today", "tomorrow", or "on Fri 27 Nov".
            let day = when::describe(start, today);
            let day = if start == today
                || today.succ_opt() == Some(start)
                || today.pred_opt() == Some(start)
            {
                day
            } else {
                format!("on {day}")
            };
            let mut out = format!("Started '{}' for {} {day}.\n", list.title, one_line(&name),);
            out.push_str(&steps(&list, today));
            out.push_str(&format!(
                "Tick steps as you go: tend tick \"{}\"\n",
                one_line(&name)
            ));
            Ok(out)
        }
    }
}

fn list(as_json: bool) -> Result<String> {
    let book = book();
    for p in &book.problems {
        eprintln!("warning: {p}");
    }
    if as_json {
        let recipes: Vec<&Recipe> = book.entries.values().map(|e| &e.recipe).collect();
        return json(&recipes);
    }
    let mut out = String::new();
    for e in book.entries.values() {
        let origin = match &e.origin {
            Origin::BuiltIn => "built-in".to_string(),
            Origin::User(p) => format!("yours: {}", p.display()),
            Origin::Overrides(p) => format!("yours, replaces the built-in: {}", p.display()),
        };
        out.push_str(&format!(
            "{:<20} {:<44} {:>2} steps  ({origin})\n",
            e.recipe.name,
            one_line(&e.recipe.title),
            e.recipe.steps.len()
        ));
    }
    if let Some(dir) = recipes::user_dir() {
        out.push_str(&format!(
            "\nYour recipes live in {}. Start one with: tend recipe new NAME\n",
            dir.display()
        ));
    }
    Ok(out)
}

fn new(name: &str) -> Result<String> {
    recipes::valid_name(name).map_err(Error::invalid)?;
    let dir = recipes::user_dir()
        .ok_or_else(|| Error::invalid("cannot find your config folder: set TEND_CONFIG_DIR"))?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(format!("{name}.toml"));
    if path.exists() {
        return Err(Error::invalid_with_hint(
            format!("{} already exists", path.display()),
            "edit it, or pick another name",
        ));
    }
    std::fs::write(&path, recipes::starter(name))?;
    Ok(format!(
        "Wrote {}.\nEdit it, then check it reads: tend recipe show {name}\n",
        path.display()
    ))
}

fn steps(list: &Checklist, today: chrono::NaiveDate) -> String {
    let mut out = String::new();
    for s in &list.steps {
        let mark = if s.is_done() { "[x]" } else { "[ ]" };
        let due = s.due.map_or(String::new(), |d| {
            format!("  (due {})", when::describe(d, today))
        });
        out.push_str(&format!(
            "  {mark} {}. {}{due}\n",
            s.position,
            one_line(&s.text)
        ));
    }
    out
}

#[derive(Debug, Args)]
pub struct TickArgs {
    /// Whose checklist
    pub who: String,
    /// The step: its number, or words from it (default: the next open step)
    pub step: Option<String>,
    /// Which checklist, when they have several going (recipe name)
    #[arg(long)]
    pub checklist: Option<String>,
    /// Tick a step even though an earlier one is still open
    #[arg(long)]
    pub force: bool,
    /// Log this as a note (instead of the step's own note, if it has one)
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn tick(a: TickArgs, ctx: &mut Ctx) -> Result<String> {
    let contact_id = ctx.contact(&a.who)?;
    let t = cmd::tick(
        &mut ctx.store,
        &ctx.clock,
        Tick {
            contact_id,
            which: Which::parse(a.step.as_deref()),
            checklist: a.checklist.as_deref(),
            force: a.force,
            note: a.note,
        },
    )?;
    ctx.remember(&format!("ticked: {}", t.step.text), &t.undo)?;
    if a.json {
        return json(&t);
    }
    let today = ctx.clock.today();
    let mut out = format!(
        "Ticked {}. {} ({} {}/{}).\n",
        t.step.position,
        one_line(&t.step.text),
        one_line(&t.checklist.title),
        t.checklist.done_count(),
        t.checklist.steps.len()
    );
    if t.note_id.is_some() {
        out.push_str("Logged a note.\n");
    }
    match t.checklist.next_step() {
        Some(n) => {
            let due = n.due.map_or(String::new(), |d| {
                format!(" (due {})", when::describe(d, today))
            });
            out.push_str(&format!(
                "Next: {}. {}{due}\n",
                n.position,
                one_line(&n.text)
            ));
        }
        None => out.push_str(&format!(
            "'{}' is complete.\n",
            one_line(&t.checklist.title)
        )),
    }
    Ok(out)
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ChecklistArgs {
    #[command(subcommand)]
    pub fix: Option<ChecklistFix>,
    /// Whose checklists
    #[arg(required = true)]
    pub who: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum ChecklistFix {
    /// Remove a checklist and the open follow-ups its steps made (tend undo brings it back)
    Remove {
        who: String,
        /// The recipe it came from (or part of its title); not needed when they have one
        recipe: Option<String>,
    },
}

pub fn checklist(a: ChecklistArgs, ctx: &mut Ctx) -> Result<String> {
    if let Some(ChecklistFix::Remove { who, recipe }) = a.fix {
        let contact_id = ctx.contact(&who)?;
        let (list, undo) = cmd::remove(&mut ctx.store, contact_id, recipe.as_deref())?;
        ctx.remember(&format!("checklist '{}' removed", list.title), &undo)?;
        return Ok(format!(
            "Removed '{}' and its open follow-ups. tend undo brings them back.\n",
            list.title
        ));
    }
    let who = a.who.clone().unwrap_or_default();
    let contact_id = ctx.contact(&who)?;
    let lists = cmd::for_contact(ctx.store.conn(), contact_id)?;
    if a.json {
        return json(&lists);
    }
    let name = crate::store::contacts::get(ctx.store.conn(), contact_id)?.name;
    if lists.is_empty() {
        return Ok(format!(
            "{} has no checklists. Start one: tend recipe apply \"{}\" onboarding\n",
            one_line(&name),
            one_line(&name)
        ));
    }
    let today = ctx.clock.today();
    let mut out = String::new();
    for l in &lists {
        let state = if l.completed_at.is_some() {
            "complete"
        } else {
            "in progress"
        };
        out.push_str(&format!(
            "{} ({}/{}, {state}, started {})\n",
            ctx.style.heading(&one_line(&l.title)),
            l.done_count(),
            l.steps.len(),
            when::describe(l.started_on, today)
        ));
        out.push_str(&steps(l, today));
    }
    Ok(out)
}
