//! `tend next`, `tend done`, `tend snooze`.

use clap::Args;

use super::output::follow_up_line;
use super::{Ctx, json};
use crate::commands::NextStep;
use crate::commands::followups as cmd;
use crate::error::{Error, Result};
use crate::model::followup::{FollowUp, Recurrence};
use crate::model::text::one_line;
use crate::store::followups;
use crate::when::{self, Direction};

#[derive(Debug, Args)]
pub struct NextArgs {
    /// Who it is for: a name, part of one, an email, or an id like #12
    pub who: String,
    /// When, then what: fri send quote · "next tue" call back · in 2w check in
    #[arg(required = true, num_args = 1.., value_name = "WHEN TEXT")]
    pub rest: Vec<String>,
    /// Repeat it: 2w, 10d, monthly, quarterly, yearly
    #[arg(long, value_name = "REPEAT")]
    pub every: Option<String>,
    /// Print the follow-up as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn next(a: NextArgs, ctx: &mut Ctx) -> Result<String> {
    let today = ctx.clock.today();
    let every = match &a.every {
        Some(e) => Some(Recurrence::parse(e).map_err(Error::invalid)?),
        None => None,
    };
    // "tomorrow at 9 call" quoted as one: read as the words it is made of, when it does not
    // start with a date as it stands.
    let mut a = a;
    if when::split_leading(&a.rest, today, Direction::Future).is_none()
        && a.rest
            .first()
            .is_some_and(|w| w.contains(char::is_whitespace))
    {
        let first = a.rest.remove(0);
        let words = first.split_whitespace().map(str::to_string);
        a.rest = words.chain(a.rest).collect();
    }
    if let Some(why) = when::leading_ambiguity(&a.rest) {
        return Err(Error::invalid(why));
    }
    let split = when::split_step(&a.rest, today).map_err(|why| {
        Error::invalid_with_hint(
            format!("{why}; nothing was saved"),
            format!("tend next {} tomorrow 9am call back", a.who),
        )
    })?;
    let (when, text) = split.ok_or_else(|| {
        Error::invalid_with_hint(
            format!("cannot read a date at the start of '{}'", a.rest.join(" ")),
            format!(
                "start with when, then what: tend next {} fri send quote (dates: {})",
                a.who,
                when::EXAMPLES
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(Error::invalid_with_hint(
            "the next step is empty; nothing was saved",
            format!(
                "say what to do after the date: tend next {} {} send quote",
                a.who,
                a.rest.join(" ")
            ),
        ));
    }
    let contact_id = ctx.contact(&a.who)?;
    let set = cmd::set_next(
        &mut ctx.store,
        &ctx.clock,
        contact_id,
        NextStep { when, text, every },
    )?;
    let f = set.follow_up;
    warn_next(ctx, f.due_date);
    ctx.remember(
        &format!("next step for {}: {}", f.contact, f.text),
        &set.undo,
    )?;
    if a.json {
        return json(&f);
    }
    Ok(format!(
        "Next step for {}:\n  {}\n{}",
        one_line(&f.contact),
        follow_up_line(&f, today, ctx.style, false),
        super::contacts::archived_line(ctx, contact_id)?
    ))
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The follow-up's id (#14 or 14), or a contact with one open follow-up
    pub id: String,
    /// Print what was done (and what comes next) as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn done(a: DoneArgs, ctx: &mut Ctx) -> Result<String> {
    let id = follow_up_id(&a.id, ctx)?;
    let today = ctx.clock.today();
    // A follow-up a checklist step made: done ticks the step, as tend tick would.
    if let Some(t) = crate::commands::checklists::done_step(&mut ctx.store, &ctx.clock, id)? {
        ctx.remember(&format!("ticked: {}", t.step.text), &t.undo)?;
        if a.json {
            return json(&t);
        }
        let next = match t.checklist.next_step() {
            Some(n) => format!("Next step of '{}': {}", t.checklist.title, n.text),
            None => format!("'{}' is complete.", t.checklist.title),
        };
        return Ok(format!(
            "Done: {} (step {} of '{}' ticked).\n{next}\n",
            one_line(&t.step.text),
            t.step.position,
            t.checklist.title
        ));
    }
    let c = cmd::done(&mut ctx.store, &ctx.clock, id)?;
    ctx.remember(&format!("done: {}", c.done.text), &c.undo())?;
    if a.json {
        return json(&c);
    }
    let mut out = format!(
        "Done: {} for {}.\n",
        one_line(&c.done.text),
        one_line(&c.done.contact)
    );
    match &c.next {
        Some(n) => out.push_str(&format!(
            "Next time: {}\n",
            follow_up_line(n, today, ctx.style, false)
        )),
        None if followups::open_for(ctx.store.conn(), c.done.contact_id)?.is_empty() => {
            out.push_str(&ctx.style.warn(&format!(
                "{} has no next step now: tend next \"{}\" WHEN WHAT\n",
                one_line(&c.done.contact),
                one_line(&c.done.contact)
            )));
        }
        None => {}
    }
    Ok(out)
}

#[derive(Debug, Args)]
pub struct SnoozeArgs {
    /// The follow-up's id (#14 or 14), or a contact with one open follow-up
    pub id: String,
    /// Until when: tomorrow, mon, next week, in 3d
    #[arg(required = true, num_args = 1.., value_name = "WHEN")]
    pub when: Vec<String>,
    /// Print the follow-up as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn snooze(a: SnoozeArgs, ctx: &mut Ctx) -> Result<String> {
    let today = ctx.clock.today();
    let until = when::parse(&a.when.join(" "), today, Direction::Future).map_err(Error::invalid)?;
    let id = follow_up_id(&a.id, ctx)?;
    let s = cmd::snooze(&mut ctx.store, id, until, ctx.clock.now().naive_local())?;
    warn_far(ctx, until.date);
    ctx.remember(&format!("snoozed: {}", s.follow_up.text), &s.undo)?;
    let f = s.follow_up;
    if a.json {
        return json(&f);
    }
    Ok(format!(
        "Snoozed:\n  {}\n",
        follow_up_line(&f, today, ctx.style, true)
    ))
}

/// `#14` / `14` is a follow-up id; anything else names a contact whose single open follow-up
/// is meant.
fn follow_up_id(arg: &str, ctx: &Ctx) -> Result<i64> {
    let digits = arg
        .trim()
        .trim_start_matches(['f', 'F'])
        .trim_start_matches('#');
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return digits
            .parse()
            .map_err(|_| Error::invalid(format!("'{arg}' is not a follow-up id")));
    }
    let contact = ctx.contact(arg)?;
    let open = followups::open_for(ctx.store.conn(), contact)?;
    match open.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::invalid_with_hint(
            format!("{} has no open follow-up", arg.trim()),
            "`tend today` lists open follow-ups with their ids",
        )),
        many => Err(Error::invalid_with_hint(
            format!(
                "{} has {} open follow-ups:\n{}",
                arg.trim(),
                many.len(),
                list(many, ctx)
            ),
            format!(
                "name the one you mean by its id, e.g. f#{}",
                many.first().map_or(0, |f| f.id)
            ),
        )),
    }
}

fn list(items: &[FollowUp], ctx: &Ctx) -> String {
    items
        .iter()
        .map(|f| {
            format!(
                "  {}",
                follow_up_line(f, ctx.clock.today(), super::Style::plain(), false)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    #[command(subcommand)]
    pub command: FollowupCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum FollowupCommand {
    /// Drop a follow-up that is no longer wanted (not done); --stop only ends its repeat
    Cancel {
        /// The follow-up's id (f#14, #14 or 14), or a contact with one open follow-up
        id: String,
        /// Keep this one, but stop it repeating
        #[arg(long)]
        stop: bool,
    },
    /// Correct an open follow-up: its text, or when it is due (earlier or later)
    Edit {
        /// The follow-up's id (f#14, #14 or 14), or a contact with one open follow-up
        id: String,
        /// The new text (as it should read, whole)
        #[arg(num_args = 0.., value_name = "TEXT")]
        text: Vec<String>,
        /// When it is due: fri, 1 dec, in 3d, tomorrow 9am (the time stays unless a new one is given)
        #[arg(long, value_name = "WHEN")]
        due: Option<String>,
        /// Due all day: drop its time
        #[arg(long)]
        all_day: bool,
    },
}

pub fn followup(a: FollowupArgs, ctx: &mut Ctx) -> Result<String> {
    let (id, stop) = match a.command {
        FollowupCommand::Cancel { id, stop } => (id, stop),
        FollowupCommand::Edit {
            id,
            text,
            due,
            all_day,
        } => return edit(&id, &text, due.as_deref(), all_day, ctx),
    };
    let id = follow_up_id(&id, ctx)?;
    let (set, what) = if stop {
        (cmd::stop_repeat(&mut ctx.store, id)?, "no longer repeats")
    } else {
        (cmd::cancel(&mut ctx.store, id)?, "cancelled")
    };
    let f = &set.follow_up;
    ctx.remember(&format!("f#{id} {what}: {}", f.text), &set.undo)?;
    Ok(format!(
        "f#{id} '{}' for {} {what}. tend undo takes it back.\n",
        one_line(&f.text),
        one_line(&f.contact)
    ))
}

/// `tend followup edit`: a typo in a step's text or date, corrected in place (same id, same
/// snoozes and repeat), and undone as one change.
fn edit(
    id: &str,
    text: &[String],
    due: Option<&str>,
    all_day: bool,
    ctx: &mut Ctx,
) -> Result<String> {
    let today = ctx.clock.today();
    let text = text.join(" ");
    if text.trim().is_empty() && due.is_none() && !all_day {
        return Err(Error::invalid_with_hint(
            "say what to change: the new text, --due, --all-day, or more than one; nothing was changed",
            format!("tend followup edit {id} \"send the revised quote\" --due fri"),
        ));
    }
    let due = due
        .map(|d| when::parse(d, today, Direction::Future).map_err(Error::invalid))
        .transpose()?;
    if all_day && due.is_some_and(|d| d.time.is_some()) {
        return Err(Error::invalid(
            "--all-day and a --due with a time say different things; nothing was changed",
        ));
    }
    let id = follow_up_id(id, ctx)?;
    let before = cmd::get_open(ctx.store.conn(), id)?;
    let mut when = due.map_or(
        when::When {
            date: before.due_date,
            time: before.due_time,
        },
        |d| when::When {
            date: d.date,
            time: d.time.or(before.due_time),
        },
    );
    if all_day {
        when.time = None;
    }
    let text = if text.trim().is_empty() {
        before.text.clone()
    } else {
        text
    };
    let set = cmd::replace(&mut ctx.store, id, when, &text)?;
    let f = set.follow_up;
    if due.is_some() {
        warn_next(ctx, f.due_date);
    }
    ctx.remember(&format!("f#{id} corrected: {}", f.text), &set.undo)?;
    Ok(format!(
        "Corrected:\n  {}\ntend undo takes it back.\n",
        follow_up_line(&f, today, ctx.style, true)
    ))
}

/// A next step due before today is echoed: it is overdue the moment it is saved, which is
/// rarely what was meant ("mon" said on a Tuesday is next Monday; "1 dec" typed for 1 Jan is not).
pub(crate) fn warn_next(ctx: &Ctx, date: chrono::NaiveDate) {
    let today = ctx.clock.today();
    if date < today {
        ctx.warn(
            "note:",
            &format!(
                "{} is in the past, so this next step is already {}; if that is a slip, tend undo takes it back",
                when::describe(date, today),
                when::relative_phrase(date, today)
            ),
        );
    } else {
        warn_far(ctx, date);
    }
}

/// A date more than two years ahead or one year back is echoed, in case it is a typo.
pub(crate) fn warn_far(ctx: &Ctx, date: chrono::NaiveDate) {
    let today = ctx.clock.today();
    if let Some(w) = when::far_ahead(date, today).or_else(|| when::long_ago(date, today)) {
        ctx.warn("note:", &w);
    }
}
