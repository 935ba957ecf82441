//! `tend note WHO TEXT... [--kind] [--at] [--next "WHEN: TEXT"]`. The text may also come from
//! stdin (piped, or `-`) or, at a terminal, from $VISUAL / $EDITOR.

use std::io::{IsTerminal, Read};
use std::process::Command;

use clap::{Args, Subcommand};

use super::output::follow_up_line;
use super::{Ctx, json};
use crate::commands::notes::{self, AddNote};
use crate::commands::{NextStep, moment};
use crate::error::{Error, Result};
use crate::model::followup::Recurrence;
use crate::model::note::NoteKind;
use crate::model::text::one_line;
use crate::when::{self, Direction};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct NoteArgs {
    /// Correct or delete a note instead of writing one
    #[command(subcommand)]
    pub fix: Option<NoteFix>,
    /// Who it was with: a name, part of one, an email, or an id like #12
    #[arg(required = true)]
    pub who: Option<String>,
    /// What happened; omit it to read stdin or open $EDITOR, or give - for stdin
    pub text: Vec<String>,
    /// note, call, email or meeting
    #[arg(long, short = 'k', default_value = "note")]
    pub kind: NoteKind,
    /// When it happened, if not now: yesterday, mon, 3d ago, 2026-11-20 14:00
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// A next step in the same breath: "fri: send quote"
    #[arg(long, value_name = "WHEN: TEXT")]
    pub next: Option<String>,
    /// Make the next step repeat: 2w, monthly, quarterly
    #[arg(long, value_name = "REPEAT", requires = "next")]
    pub every: Option<String>,
    /// Print what was saved as JSON
    #[arg(long)]
    pub json: bool,
}

/// `tend note edit ID TEXT`, `tend note delete ID`: the note's id is shown as n#12.
#[derive(Debug, Subcommand)]
pub enum NoteFix {
    /// Correct a note: tend note edit n#12 "called, wants two quotes" (also --kind, --at, --to)
    Edit {
        /// The note's id, n#12 (tend show NAME lists them)
        id: String,
        /// The corrected text (leave it out to keep the text)
        text: Vec<String>,
        /// note, call, email or meeting
        #[arg(long, short = 'k')]
        kind: Option<NoteKind>,
        /// When it happened: yesterday, mon, 2026-11-20 14:00
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// It was about someone else: move it to this contact
        #[arg(long, value_name = "WHO")]
        to: Option<String>,
    },
    /// Delete a note (tend undo brings it back)
    Delete {
        /// The note's id, n#12
        id: String,
    },
}

fn note_id(typed: &str) -> Result<i64> {
    super::output::parse_id(
        typed,
        'n',
        "a note id",
        "note ids look like n#12: tend show NAME lists them",
    )
}

fn fix(f: NoteFix, ctx: &mut Ctx) -> Result<String> {
    let (changed, verb) = match f {
        NoteFix::Edit {
            id,
            text,
            kind,
            at,
            to,
        } => {
            let id = note_id(&id)?;
            let patch = notes::NotePatch {
                body: (!text.is_empty()).then(|| text.join(" ")),
                kind,
                at: at.as_deref().map(|s| happened_at(s, ctx)).transpose()?,
                contact_id: to.as_deref().map(|w| ctx.contact(w)).transpose()?,
            };
            (notes::edit(&mut ctx.store, id, &patch)?, "Corrected")
        }
        NoteFix::Delete { id } => (notes::delete(&mut ctx.store, note_id(&id)?)?, "Deleted"),
    };
    let n = &changed.note;
    ctx.remember(&format!("note n#{} for {}", n.id, n.contact), &changed.undo)?;
    Ok(format!(
        "{verb} note n#{} for {}. tend undo takes it back.\n",
        n.id,
        one_line(&n.contact)
    ))
}

/// `--at` as typed: when something happened, so not in the future.
fn happened_at(s: &str, ctx: &Ctx) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    let today = ctx.clock.today();
    let at = moment(
        when::parse(s, today, Direction::Past).map_err(Error::invalid)?,
        &ctx.clock,
    )?;
    if at > ctx.clock.now() {
        return Err(Error::invalid_with_hint(
            format!("--at {s} is in the future: --at says when something happened"),
            "for something still to do, use --next \"WHEN: WHAT\"",
        ));
    }
    super::followups::warn_far(ctx, at.date_naive());
    Ok(at)
}

pub fn run(a: NoteArgs, ctx: &mut Ctx) -> Result<String> {
    if let Some(f) = a.fix {
        return fix(f, ctx);
    }
    let who = a.who.clone().unwrap_or_default();
    let today = ctx.clock.today();
    // Parse everything before resolving anyone or reading any text: bad input writes nothing.
    let at = a.at.as_deref().map(|s| happened_at(s, ctx)).transpose()?;
    let every = match &a.every {
        Some(e) => Some(Recurrence::parse(e).map_err(Error::invalid)?),
        None => None,
    };
    let next = match &a.next {
        Some(spec) => {
            let (when, text) = when::parse_next(spec, today).map_err(Error::invalid)?;
            Some(NextStep { when, text, every })
        }
        None => None,
    };
    let contact_id = ctx.contact(&who)?;
    let body = note_text(&a.text, &who)?;
    let added = notes::add(
        &mut ctx.store,
        &ctx.clock,
        AddNote {
            contact_id,
            kind: a.kind,
            body,
            at,
            next,
        },
    )?;
    ctx.remember(&format!("note for {}", added.contact), &added.undo())?;
    if a.json {
        return json(&added);
    }
    let mut out = match added.kind {
        NoteKind::Note => format!("Noted for {}.\n", one_line(&added.contact)),
        kind => format!("Logged {kind} with {}.\n", one_line(&added.contact)),
    };
    out.push_str(&super::contacts::archived_line(ctx, contact_id)?);
    match &added.next {
        Some(f) => {
            super::followups::warn_next(ctx, f.due_date);
            out.push_str("Next: ");
            out.push_str(&follow_up_line(f, today, ctx.style, false));
            out.push('\n');
        }
        None => {
            if crate::store::contacts::needs_next_step(ctx.store.conn(), contact_id)? {
                out.push_str(&ctx.style.dim(&format!(
                    "{} has no next step: tend next \"{}\" fri ...\n",
                    one_line(&added.contact),
                    one_line(&added.contact)
                )));
            }
        }
    }
    Ok(out)
}

fn note_text(words: &[String], who: &str) -> Result<String> {
    if words.len() == 1 && words[0] == "-" {
        return read_stdin();
    }
    if !words.is_empty() {
        return Ok(words.join(" "));
    }
    if !std::io::stdin().is_terminal() {
        return read_stdin();
    }
    from_editor(who)
}

fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::invalid_with_hint(
            "the note on stdin is not UTF-8 text; nothing was saved",
            "convert it to UTF-8 first",
        )
    })
}

fn from_editor(who: &str) -> Result<String> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
        .ok_or_else(|| {
            Error::invalid_with_hint(
                "no note text given",
                "write it after the name (tend note alice \"called\"), pipe it in, or set $EDITOR",
            )
        })?;
    let template = format!(
        "\n# Note about {}. Lines starting with # are ignored.\n# Save and quit to keep it; leave it empty to cancel.\n",
        one_line(who)
    );
    // tempfile makes the file 0600 in the temp folder and removes it when dropped.
    let mut file = tempfile::Builder::new()
        .prefix("tend-note-")
        .suffix(".md")
        .tempfile()?;
    std::io::Write::write_all(&mut file, template.as_bytes())?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("tend")
        .arg(file.path())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            return Err(Error::invalid(format!(
                "the editor ({editor}) exited with {s}; nothing was saved"
            )));
        }
        Err(e) => {
            return Err(Error::invalid(format!(
                "cannot start the editor ({editor}): {e}"
            )));
        }
    }
    let text = std::fs::read_to_string(file.path());
    Ok(text?
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n"))
}
