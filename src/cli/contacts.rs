//! `tend list`, `tend show`, `tend edit`, `tend tag`, `tend archive`.

use clap::Args;

use super::output::{follow_up_line, last_contact, local_date};
use super::{Ctx, json};
use crate::commands::contacts::{self as cmd, EditContact};
use crate::error::{Error, Result};
use crate::model::contact::parse_field;
use crate::model::text::{block, fit, one_line};
use crate::model::{ContactKind, Status};
use crate::store::contacts::{self, ListFilter};
use crate::when;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only these statuses (repeat or separate with commas)
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<Status>,
    /// Only contacts with this tag (repeat: all must match)
    #[arg(long)]
    pub tag: Vec<String>,
    /// Only people or only companies
    #[arg(long)]
    pub kind: Option<ContactKind>,
    /// Only active contacts with no open follow-up
    #[arg(long)]
    pub no_next_step: bool,
    /// Only those due to get in touch: quiet for longer than their cadence (tend cadence)
    #[arg(long, conflicts_with_all = ["no_next_step", "archived", "all"])]
    pub due_touch: bool,
    /// Include archived contacts
    #[arg(long, conflicts_with = "archived")]
    pub all: bool,
    /// Only archived contacts
    #[arg(long)]
    pub archived: bool,
    /// Print the list as JSON
    #[arg(long)]
    pub json: bool,
}

/// For a note or next step given to an archived contact: a line that says so, and how to bring
/// them back (they stay out of Today and lists until then). Empty for everyone else.
pub fn archived_line(ctx: &Ctx, id: i64) -> Result<String> {
    let c = crate::store::contacts::get(ctx.store.conn(), id)?;
    if !c.archived {
        return Ok(String::new());
    }
    Ok(ctx.style.warn(&format!(
        "{} is archived, so this stays out of Today and lists: tend archive \"#{}\" --undo brings them back\n",
        one_line(&c.name),
        c.id
    )))
}

pub fn list(a: ListArgs, ctx: &mut Ctx) -> Result<String> {
    if a.due_touch {
        let settings = crate::config::Settings::load()?;
        let due =
            crate::commands::agenda::due_to_touch(ctx.store.conn(), &ctx.clock, &settings.cadence)?;
        if a.json {
            return json(&due);
        }
        if due.is_empty() {
            return Ok(
                "Nobody is due to get in touch. Set how often with: tend cadence WHO 6w (or [cadence] in config.toml)\n"
                    .into(),
            );
        }
        let mut out = String::new();
        for d in &due {
            out.push_str(&format!("{}\n", super::today::touch_line(d, ctx.style)));
        }
        out.push_str(&ctx.style.dim(&format!(
            "{} due to get in touch: tend note WHO \"...\" when you have, or tend next WHO WHEN WHAT\n",
            due.len()
        )));
        return Ok(out);
    }
    let filter = ListFilter {
        statuses: a.status,
        tags: a
            .tag
            .iter()
            .flat_map(|t| crate::model::contact::tags_in(t))
            .collect(),
        include_archived: a.all,
        only_archived: a.archived,
        without_next_step: a.no_next_step,
        kind: a.kind,
    };
    let rows = contacts::list(ctx.store.conn(), &filter)?;
    if a.json {
        return json(&rows);
    }
    if rows.is_empty() {
        return Ok("No contacts match. Add one with: tend add \"NAME\"\n".into());
    }
    let today = ctx.clock.today();
    let s = ctx.style;
    let mut out = String::new();
    for r in &rows {
        let next = match r.next_due.as_deref().and_then(|d| d.parse().ok()) {
            Some(d) => format!("next {}", when::describe(d, today)),
            None if r.needs_next_step => s.warn("no next step"),
            None => String::new(),
        };
        // Columns are measured in display width (CJK and emoji take two), not characters.
        let marker = if r.kind == ContactKind::Company {
            " ▪"
        } else {
            ""
        };
        let name = fit(&format!("{}{marker}", one_line(&r.name)), 30);
        let tags = if r.tags.is_empty() {
            String::new()
        } else {
            format!("  #{}", r.tags.join(" #"))
        };
        let archived = if r.archived { "  (archived)" } else { "" };
        out.push_str(&format!(
            "{} {} {:<9} {} {}{}{}\n",
            s.dim(&format!("#{:<5}", r.id)),
            name,
            r.status.as_str(),
            fit(&one_line(r.email.as_deref().unwrap_or("")), 24),
            next,
            s.dim(&tags),
            archived,
        ));
    }
    out.push_str(&s.dim(&format!(
        "{} contact{}\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )));
    Ok(out)
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A name, part of one, an email, or an id like #12
    pub who: String,
    /// How many recent notes to show
    #[arg(long, default_value_t = 10)]
    pub notes: usize,
    /// Print the profile as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn show(a: ShowArgs, ctx: &mut Ctx) -> Result<String> {
    let id = ctx.contact(&a.who)?;
    let mut p = cmd::profile(ctx.store.conn(), id, a.notes)?;
    let settings = crate::config::Settings::load()?;
    p.touch = crate::commands::agenda::touch_of(
        ctx.store.conn(),
        &ctx.clock,
        &p.contact,
        &settings.cadence,
    )?;
    if a.json {
        return briefing_json(ctx, &p);
    }
    let today = ctx.clock.today();
    let offset = ctx.clock.offset();
    let s = ctx.style;
    let c = &p.contact;
    let mut out = format!(
        "{}  {}  {}{}\n",
        s.heading(&one_line(&c.name)),
        s.dim(&format!("#{}", c.id)),
        c.status,
        if c.archived { "  (archived)" } else { "" }
    );
    // Labels padded before styling, so colour codes do not count as width, and wide enough
    // for the longest ("email (allotment)").
    let details = c.details();
    let width = details
        .iter()
        .map(|(l, _)| unicode_width::UnicodeWidthStr::width(one_line(l).as_str()))
        .max()
        .unwrap_or(0)
        .max(12);
    let pad = |label: &str| {
        let label = one_line(label);
        let fill = width.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
        format!("{label}{}", " ".repeat(fill))
    };
    for (label, value) in &details {
        // A value of several lines (an imported note) keeps them, under its label.
        for (i, part) in value.split('\n').enumerate() {
            let label = if i == 0 { label.as_str() } else { "" };
            out.push_str(&format!("  {} {}\n", s.dim(&pad(label)), one_line(part)));
        }
    }
    out.push_str(&format!(
        "  {} {}\n",
        s.dim(&pad("last contact")),
        last_contact(c.last_note_at.as_deref(), today, offset)
    ));
    if let Some(t) = &p.touch {
        let due = match t.due {
            Some(d) if t.due_now => s.warn(&format!(
                "due to get in touch ({})",
                when::describe(d, today)
            )),
            Some(d) => format!("next by {}", when::describe(d, today)),
            None => String::new(),
        };
        out.push_str(&format!(
            "  {} {} ({}){}\n",
            s.dim(&pad("keep in touch")),
            t.cadence,
            t.from,
            if due.is_empty() {
                due
            } else {
                format!(" · {due}")
            }
        ));
    }
    if !p.members.is_empty() {
        let names: Vec<String> = p
            .members
            .iter()
            .map(|m| format!("{} (#{})", one_line(&m.name), m.id))
            .collect();
        out.push_str(&format!("  {:<12} {}\n", s.dim("people"), names.join(", ")));
    }
    out.push_str(&format!("\n{}\n", s.heading("Next steps")));
    if p.open_follow_ups.is_empty() {
        out.push_str(&format!(
            "  {}\n",
            s.warn(&format!(
                "none: tend next \"{}\" WHEN WHAT",
                one_line(&c.name)
            ))
        ));
    }
    for f in &p.open_follow_ups {
        out.push_str(&format!("  {}\n", follow_up_line(f, today, s, false)));
    }
    let deals = crate::store::deals::for_contact(ctx.store.conn(), id)?;
    let settings = crate::config::Settings::load()?;
    if !deals.is_empty() {
        out.push_str(&format!("\n{}\n", s.heading("Deals")));
        for d in &deals {
            let line = super::deals::deal_line(d, &settings.currency, today, s);
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&money_section(ctx, id, &c.name, &settings)?);
    out.push_str(&format!(
        "\n{}\n",
        s.heading(&format!("Notes ({})", p.note_count))
    ));
    if p.recent_notes.is_empty() {
        out.push_str(&format!(
            "  none yet: tend note \"{}\" \"...\"\n",
            one_line(&c.name)
        ));
    }
    for n in &p.recent_notes {
        let date = local_date(&n.at, offset)
            .map(|d| when::describe(d, today))
            .unwrap_or_default();
        let body = block(&n.body).replace('\n', "\n                        ");
        out.push_str(&format!(
            "  {:<14} {:<7} {} {}\n",
            s.dim(&date),
            n.kind.as_str(),
            body,
            s.dim(&format!("n#{}", n.id))
        ));
    }
    let hidden = p.note_count - p.recent_notes.len() as i64;
    if hidden > 0 {
        out.push_str(&s.dim(&format!(
            "  … {hidden} older: tend show \"{}\" --notes 50\n",
            one_line(&c.name)
        )));
    }
    Ok(out)
}

/// `tend show --json`: everything the text shows (and the checklists), for a script or an
/// assistant's briefing (`tend mcp`).
fn briefing_json(ctx: &Ctx, p: &cmd::Profile) -> Result<String> {
    use crate::commands::money::{self as money, EntryKind};
    #[derive(serde::Serialize)]
    struct Briefing<'a> {
        #[serde(flatten)]
        profile: &'a cmd::Profile,
        checklists: Vec<crate::model::checklist::Checklist>,
        deals: Vec<crate::model::deal::Deal>,
        /// All time: invoiced, paid, expenses and minutes.
        money: crate::store::entries::MoneySummary,
        /// The newest entries, with the ids that correct them (`tend entry edit i#7`).
        recent_entries: Vec<crate::store::entries::EntryRow>,
    }
    let id = p.contact.id;
    let conn = ctx.store.conn();
    let all = [EntryKind::Income, EntryKind::Expense, EntryKind::Time];
    json(&Briefing {
        profile: p,
        checklists: crate::commands::checklists::for_contact(conn, id)?,
        deals: crate::store::deals::for_contact(conn, id)?,
        money: crate::store::entries::summary_for(conn, id)?,
        recent_entries: money::list(&ctx.store, Some(id), &all, ENTRIES_SHOWN)?,
    })
}

/// The newest entries a profile shows; `tend entry list WHO` has the rest.
const ENTRIES_SHOWN: usize = 5;

/// A contact's money and time in `tend show`: the totals, and the newest entries with the ids
/// that correct them.
fn money_section(
    ctx: &Ctx,
    id: i64,
    name: &str,
    settings: &crate::config::Settings,
) -> Result<String> {
    use crate::commands::money::{self as money, EntryKind};
    let all = [EntryKind::Income, EntryKind::Expense, EntryKind::Time];
    let newest = money::list(&ctx.store, Some(id), &all, ENTRIES_SHOWN + 1)?;
    if newest.is_empty() {
        return Ok(String::new());
    }
    let s = ctx.style;
    let t = crate::store::entries::summary_for(ctx.store.conn(), id)?;
    let cur = &settings.currency;
    let mut out = format!("\n{}\n", s.heading("Money and time"));
    out.push_str(&format!(
        "  invoiced {} (paid {}), expenses {}, time {}\n",
        cur.format(t.invoiced_minor),
        cur.format(t.paid_minor),
        cur.format(t.expense_minor),
        crate::model::duration::format_minutes(t.minutes)
    ));
    let shown = &newest[..newest.len().min(ENTRIES_SHOWN)];
    out.push_str(&super::money::entry_lines(
        shown,
        settings,
        ctx.clock.today(),
        false,
    ));
    if newest.len() > ENTRIES_SHOWN {
        out.push_str(&s.dim(&format!(
            "  … older: tend entry list \"{}\"\n",
            one_line(name)
        )));
    }
    Ok(out)
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// A name, part of one, an email, or an id like #12
    pub who: String,
    #[arg(long)]
    pub name: Option<String>,
    /// An email address ("" clears it)
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    /// The company they work for ("" clears it)
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub status: Option<Status>,
    #[arg(long)]
    pub kind: Option<ContactKind>,
    #[arg(long)]
    pub source: Option<String>,
    /// Who referred them ("" clears it)
    #[arg(long, value_name = "WHO")]
    pub referred_by: Option<String>,
    /// Set a profile field: key=value (repeatable)
    #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
    /// Remove a profile field (repeatable)
    #[arg(long = "unset", value_name = "KEY")]
    pub unset: Vec<String>,
    /// Print the contact as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn edit(a: EditArgs, ctx: &mut Ctx) -> Result<String> {
    let id = ctx.contact(&a.who)?;
    let referred_by = match a.referred_by.as_deref().map(str::trim) {
        Some("") => Some(None),
        Some(who) => Some(Some(ctx.contact(who)?)),
        None => None,
    };
    let c = cmd::edit(
        &mut ctx.store,
        &ctx.clock,
        id,
        EditContact {
            name: a.name,
            kind: a.kind,
            email: a.email,
            phone: a.phone,
            address: a.address,
            company: a.company,
            status: a.status,
            source: a.source,
            referred_by,
            set_fields: a.fields,
            unset_fields: a.unset.iter().map(|k| k.trim().to_lowercase()).collect(),
        },
    )?;
    ctx.remember(&format!("edit of {}", c.contact.name), &c.undo)?;
    let c = c.contact;
    if a.json {
        return json(&c);
    }
    Ok(format!("Updated #{} {}.\n", c.id, one_line(&c.name)))
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// A name, part of one, an email, or an id like #12
    pub who: String,
    /// Tags to add (or to remove, with --remove)
    #[arg(required = true)]
    pub tags: Vec<String>,
    /// Remove these tags instead of adding them
    #[arg(long, short = 'r')]
    pub remove: bool,
    /// Print the contact as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn tag(a: TagArgs, ctx: &mut Ctx) -> Result<String> {
    let id = ctx.contact(&a.who)?;
    let (add, remove) = if a.remove {
        (vec![], a.tags)
    } else {
        (a.tags, vec![])
    };
    let (c, undo) = cmd::tag(&mut ctx.store, &ctx.clock, id, &add, &remove)?;
    ctx.remember(&format!("tags of {}", c.name), &undo)?;
    if a.json {
        return json(&c);
    }
    let tags = if c.tags.is_empty() {
        "no tags".to_string()
    } else {
        format!("#{}", c.tags.join(" #"))
    };
    Ok(format!("{}: {}\n", one_line(&c.name), one_line(&tags)))
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// A name, part of one, an email, or an id like #12
    pub who: String,
    /// Bring an archived contact back
    #[arg(long)]
    pub undo: bool,
    /// Print the contact as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn archive(a: ArchiveArgs, ctx: &mut Ctx) -> Result<String> {
    let id = ctx.contact(&a.who)?;
    let current = contacts::get(ctx.store.conn(), id)?;
    if current.archived != a.undo {
        let state = if a.undo {
            "is not archived"
        } else {
            "is already archived"
        };
        return Err(Error::invalid(format!(
            "{} {state}; nothing changed",
            one_line(&current.name)
        )));
    }
    let (c, undo) = cmd::set_archived(&mut ctx.store, &ctx.clock, id, !a.undo)?;
    let what = if a.undo { "brought back" } else { "archived" };
    ctx.remember(&format!("{} {what}", c.name), &undo)?;
    if a.json {
        return json(&c);
    }
    Ok(if a.undo {
        format!("Brought back {}.\n", one_line(&c.name))
    } else {
        format!(
            "Archived {}: hidden from lists and Today; notes and history are kept.\nUndo with: tend archive \"#{}\" --undo\n",
            one_line(&c.name),
            c.id
        )
    })
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Who: a name, an email, or an id like #12
    pub who: String,
    /// Do it without asking (for scripts)
    #[arg(long)]
    pub yes: bool,
}

/// `tend delete WHO`: a contact and everything recorded for them; `tend undo` brings it back.
pub fn delete(a: DeleteArgs, ctx: &mut Ctx) -> Result<String> {
    let id = ctx.contact(&a.who)?;
    if !a.yes {
        let c = crate::store::contacts::get(ctx.store.conn(), id)?;
        let goes = cmd::what_goes(ctx.store.conn(), id)?;
        return Err(Error::invalid_with_hint(
            format!("deleting #{id} {} takes {goes} with it", one_line(&c.name)),
            format!(
                "to go ahead: tend delete \"#{id}\" --yes (tend undo brings it all back); to hide them instead: tend archive \"#{id}\""
            ),
        ));
    }
    let d = cmd::delete(&mut ctx.store, id)?;
    ctx.remember(&format!("deleted {}", d.contact.name), &d.undo)?;
    Ok(format!(
        "Deleted #{id} {} and {} recorded for them. tend undo brings it all back.\n",
        one_line(&d.contact.name),
        crate::model::text::count(d.rows as i64, "row")
    ))
}

#[derive(Debug, Args)]
pub struct CadenceArgs {
    /// A name, part of one, an email, or an id like #12
    pub who: String,
    /// How often: 2w, 6w, 3m, monthly, quarterly; off for never; default for what
    /// [cadence] in config.toml gives their tags and status. Left out: say what it is now
    pub every: Option<String>,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// `tend cadence WHO [EVERY]`: how often to be in touch with someone.
pub fn cadence(a: CadenceArgs, ctx: &mut Ctx) -> Result<String> {
    use crate::model::cadence::Cadence;
    let id = ctx.contact(&a.who)?;
    let settings = crate::config::Settings::load()?;
    let mut changed = false;
    if let Some(every) = &a.every {
        let value = match every.trim().to_lowercase().as_str() {
            "default" | "defaults" | "reset" => None,
            _ => Some(Cadence::parse(every).map_err(|e| {
                Error::invalid_with_hint(e, "e.g. tend cadence alice 6w, or off, or default")
            })?),
        };
        let (c, undo) = cmd::set_cadence(&mut ctx.store, &ctx.clock, id, value)?;
        ctx.remember(&format!("cadence for {}", c.name), &undo)?;
        changed = true;
    }
    let c = contacts::get(ctx.store.conn(), id)?;
    let touch =
        crate::commands::agenda::touch_of(ctx.store.conn(), &ctx.clock, &c, &settings.cadence)?;
    if a.json {
        return json(&serde_json::json!({ "contact": c.name, "id": c.id, "touch": touch }));
    }
    let today = ctx.clock.today();
    let name = one_line(&c.name);
    let head = if changed { "Set: " } else { "" };
    Ok(match touch {
        Some(t) => {
            let due = match t.due {
                Some(d) if t.due_now => {
                    format!("; due to get in touch ({})", when::describe(d, today))
                }
                Some(d) => format!("; next by {}", when::describe(d, today)),
                None => String::new(),
            };
            format!(
                "{head}keep in touch with {name} {} ({}){due}.\n",
                t.cadence, t.from
            )
        }
        None if c.cadence.as_deref() == Some("off") => {
            format!("{head}no cadence for {name} (off, whatever the defaults say).\n")
        }
        None => format!(
            "{head}no cadence for {name}: tend cadence \"{name}\" 6w sets one, [cadence] in config.toml sets them by status or tag.\n"
        ),
    } + if changed {
        "tend undo takes it back.\n"
    } else {
        ""
    })
}
