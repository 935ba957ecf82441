//! The calendar folder: one `.ics` per follow-up (a repeating one's whole series in one file,
//! under the series' uid), as a task (VTODO) or an event (VEVENT) with its reminder.
//!
//! Out: an open follow-up is written; a finished one stays as a COMPLETED task for two months
//! (an event is removed at once), then its file goes; so does a cancelled or deleted one's, and
//! an archived contact's. In: a changed date or title is taken, a task marked done (or an event
//! cancelled) completes the follow-up (a repeating one moves on to its next date, written back),
//! a deleted file finishes it and stops it repeating, and a new task titled "Who: what" becomes
//! a next step for that contact.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::clock::{self, Clock};
use crate::commands::NextStep;
use crate::commands::followups;
use crate::error::Result;
use crate::interop::ics::{self, Item, Options, Shape};
use crate::model::followup::FollowUp;
use crate::store::followups as stored;
use crate::store::vdir::{self, Seen, Synced};
use crate::when::When;

use super::{
    How, Out, SyncReport, begin, by_file, check_deletions, file_name, finish, meta, numbered,
    remove_file, seq_of, sync_note, with_seq, write_file,
};

const KIND: &str = "follow_up";
const EXT: &str = "ics";

/// How long a finished task stays in the folder, so a phone that syncs now and then hears.
pub const FINISHED_SHOWN_DAYS: i64 = 60;

/// What a follow-up's file shows changes exactly when this does.
fn stamp_of(f: &FollowUp, opts: &Options) -> String {
    format!(
        "{}|{}|{:?}|{}|{:?}|{:?}|{}|{:?}|{:?}|{}",
        f.id,
        f.due_date,
        f.due_time,
        f.text,
        f.done_at,
        f.recurrence,
        f.contact,
        opts.shape,
        opts.alarm_minutes,
        opts.all_day_alarm
    )
}

fn render(f: &FollowUp, opts: &Options, clock: &Clock) -> String {
    ics::write(std::slice::from_ref(f), opts, clock.now())
}

/// The follow-up's own words from a title tend wrote as "Who: what".
fn task_text(summary: &str, contact: &str) -> String {
    summary
        .strip_prefix(contact)
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or(summary)
        .trim()
        .to_string()
}

fn label(f: &FollowUp) -> String {
    format!("{}: {}", f.contact, f.text)
}

fn when_label(date: chrono::NaiveDate, time: Option<chrono::NaiveTime>) -> String {
    match time {
        Some(t) => format!("{} {}", date.format("%a %-d %b %Y"), t.format("%H:%M")),
        None => date.format("%a %-d %b %Y").to_string(),
    }
}

/// A changed file, with the series it belongs to when tend has it.
struct Edited {
    file: String,
    series: Option<String>,
    item: Item,
    text: String,
}

/// Sync the follow-ups with the vdir `dir`.
pub fn sync_calendar(
    store: &mut crate::store::Store,
    clock: &Clock,
    dir: &Path,
    opts: &Options,
    how: How,
) -> Result<SyncReport> {
    let dry_run = how.dry_run;
    let (mut report, state, files) = begin(store, KIND, dir, how, "calendar", EXT)?;
    let by_file = by_file(&state);

    let since = clock.now() - chrono::Duration::days(FINISHED_SHOWN_DAYS);
    let items = stored::for_vdir(store.conn(), &clock::stamp(since))?;
    // Open follow-ups, and finished ones the folder has (as completed tasks): one finished
    // before it ever went out has nothing to tell the phone.
    let shown: HashMap<String, FollowUp> = ics::one_per_uid(&items)
        .into_iter()
        .filter(|f| {
            f.done_at.is_none() || (opts.shape == Shape::Todo && state.contains_key(f.series_uid()))
        })
        .map(|f| (f.series_uid().to_string(), f.clone()))
        .collect();

    // Files that are new or changed.
    let mut edited = Vec::new();
    let mut seen: Vec<(String, Seen)> = Vec::new();
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    for name in names {
        let f = &files[name];
        let Some(text) = &f.text else { continue };
        let known = by_file.get(name.as_str());
        if let Some((series, s)) = known
            && vdir::texts(store.conn(), KIND, series)?.is_some_and(|(t, _)| t == *text)
        {
            // Touched but not changed: remember it as it is now, to not read it again.
            seen.push((
                (*series).clone(),
                Seen {
                    mtime: f.mtime,
                    size: f.size,
                    ..(*s).clone()
                },
            ));
            continue;
        }
        match ics::read_one(text) {
            Err(why) => report
                .unreadable
                .push((dir.join(name).display().to_string(), why)),
            Ok(item) => {
                // Tend's series: as the last sync named the file, or by the uid tend gave it.
                let series = known
                    .map(|(s, _)| (*s).clone())
                    .or_else(|| {
                        item.uid
                            .as_deref()
                            .and_then(|u| u.strip_suffix("@tend"))
                            .map(str::to_string)
                    })
                    .filter(|s| shown.contains_key(s));
                edited.push(Edited {
                    file: name.clone(),
                    series,
                    item,
                    text: text.clone(),
                });
            }
        }
    }
    let edited_series: BTreeSet<&String> =
        edited.iter().filter_map(|e| e.series.as_ref()).collect();

    // Files the last sync left that are gone: their follow-ups are finished.
    // (A file name left empty is one the folder deleted and tend then finished: not written
    // again while it stays as it is.)
    let mut gone: Vec<String> = state
        .iter()
        .filter(|(_, s)| !s.file.is_empty() && !files.contains_key(&s.file))
        .map(|(series, _)| series.clone())
        .collect();
    gone.sort();
    let known = state.values().filter(|s| !s.file.is_empty()).count();
    check_deletions(dir, "follow-up files", "calendar", known, gone.len(), how)?;

    // What tend changed: new, changed and finished follow-ups, and ones no longer shown.
    // series, file, text, stamp, the last agreed version
    let mut writes: Vec<(String, String, String, String, Option<String>)> = Vec::new();
    let mut series: Vec<&String> = shown.keys().collect();
    series.sort();
    for s in series {
        if edited_series.contains(s) || gone.contains(s) {
            continue;
        }
        let f = &shown[s];
        let stamp = stamp_of(f, opts);
        let base = state.get(s);
        if base.is_some_and(|b| b.stamp == stamp) {
            continue;
        }
        let texts = match base {
            Some(_) => vdir::texts(store.conn(), KIND, s)?,
            None => None,
        };
        let seq = texts.as_ref().map_or(0, |(old, _)| seq_of(old)) + 1;
        let text = with_seq(&render(f, opts, clock), seq);
        let file = base
            .map(|b| b.file.clone())
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| file_name(s, EXT));
        writes.push((s.clone(), file, text, stamp, texts.map(|(_, b)| b)));
    }
    let mut removals: Vec<(String, String)> = state
        .iter()
        .filter(|(s, b)| {
            !shown.contains_key(*s)
                && (b.file.is_empty() || files.contains_key(&b.file))
                && !edited.iter().any(|e| e.file == b.file)
        })
        .map(|(s, b)| (s.clone(), b.file.clone()))
        .collect();
    removals.sort();

    if dry_run {
        for (s, file, ..) in &writes {
            report
                .written
                .push(format!("{file} ({})", label(&shown[s])));
        }
        report.removed.extend(
            removals
                .iter()
                .filter(|(_, f)| !f.is_empty())
                .map(|(_, f)| f.clone()),
        );
        for s in &gone {
            if let Some(f) = shown.get(s).filter(|f| f.done_at.is_none()) {
                report.completed.push(label(f));
            }
        }
        for e in &edited {
            match e.series.as_ref().and_then(|s| shown.get(s)) {
                Some(f) => report
                    .updated
                    .push(format!("{} (from {})", label(f), e.file)),
                None if let Some(f) = own(store.conn(), &e.item)? => {
                    report.removed.push(format!("{} ({})", e.file, label(&f)));
                }
                None => match new_target(store.conn(), &e.item) {
                    Ok((c, what)) => {
                        report
                            .created
                            .push(format!("{}: {what} (from {})", c.name, e.file));
                        // Kept under tend's name for it.
                        report
                            .written
                            .push(format!("a new file for {}: {what}", c.name));
                        report.removed.push(e.file.clone());
                    }
                    Err(why) => report
                        .unreadable
                        .push((dir.join(&e.file).display().to_string(), why)),
                },
            }
        }
        return Ok(report);
    }

    for e in edited {
        match e.series.as_ref().and_then(|s| shown.get(s)) {
            Some(f) => apply_edit(store, clock, dir, opts, &e, f, &mut report)?,
            None => apply_new(store, clock, dir, opts, &e, &mut report)?,
        }
    }
    for s in gone {
        if let Some(f) = shown.get(&s).filter(|f| f.done_at.is_none()) {
            // Deleted on the phone: finished, and a repeating one stops.
            if f.recurrence.is_some() {
                report.undo.push(followups::stop_repeat(store, f.id)?.undo);
            }
            let c = followups::done(store, clock, f.id)?;
            report.undo.push(c.undo());
            report.completed.push(label(f));
            if opts.shape == Shape::Todo {
                let left = Synced {
                    file: String::new(),
                    text: String::new(),
                    base: None,
                    mtime: 0,
                    size: 0,
                    stamp: stamp_of(&c.done, opts),
                };
                store.write(|tx| vdir::put(tx, KIND, &s, &left))?;
                continue;
            }
        }
        store.write(|tx| vdir::forget(tx, KIND, &s))?;
    }
    let writes = writes
        .into_iter()
        .map(|(uid, file, text, stamp, base)| Out {
            uid,
            file,
            text,
            stamp,
            base,
        })
        .collect();
    finish(store, KIND, dir, writes, &seen, &removals, &mut report)?;
    Ok(report)
}

/// A file of one of tend's follow-ups, changed in the folder: each field the folder changed
/// since the last sync is taken unless tend changed it too (then tend's stays, and the
/// folder's goes in a note). Written back only where tend's now differs from the file.
#[allow(clippy::too_many_arguments)]
fn apply_edit(
    store: &mut crate::store::Store,
    clock: &Clock,
    dir: &Path,
    opts: &Options,
    e: &Edited,
    t: &FollowUp,
    report: &mut SyncReport,
) -> Result<()> {
    let series = t.series_uid().to_string();
    let tend_item = ics::read_one(&render(t, opts, clock)).ok();
    let base = vdir::texts(store.conn(), KIND, &series)?
        .and_then(|(_, base)| ics::read_one(&base).ok())
        .or(tend_item)
        .unwrap_or_else(|| e.item.clone());
    let item = &e.item;
    let open = t.done_at.is_none();
    let mut conflicts = Vec::new();
    let mut when = None;
    if (item.date, item.time) != (base.date, base.time) {
        if (t.due_date, t.due_time) == (base.date, base.time) {
            when = Some(When {
                date: item.date,
                time: item.time,
            });
        } else if (t.due_date, t.due_time) != (item.date, item.time) {
            conflicts.push(format!("due {}", when_label(item.date, item.time)));
        }
    }
    let file_text = task_text(&item.summary, &t.contact);
    let base_text = task_text(&base.summary, &t.contact);
    let mut text = None;
    if file_text != base_text && !file_text.is_empty() {
        if t.text == base_text {
            text = Some(file_text);
        } else if t.text != file_text {
            conflicts.push(format!("title \"{file_text}\""));
        }
    }
    if !open && (when.is_some() || text.is_some() || (base.done && !item.done)) {
        // Finished in tend, changed or reopened in the folder: tend's finish stands.
        conflicts.push(format!(
            "changed after it was done in tend: \"{}\" {}",
            item.summary,
            when_label(item.date, item.time)
        ));
        when = None;
        text = None;
    }
    let mut id = t.id;
    if open && (when.is_some() || text.is_some()) {
        let r = followups::replace(
            store,
            t.id,
            when.unwrap_or(When {
                date: t.due_date,
                time: t.due_time,
            }),
            text.as_deref().unwrap_or(&t.text),
        )?;
        report.undo.push(r.undo);
        report.updated.push(label(&r.follow_up));
    }
    if open && item.done && !base.done {
        let c = followups::done(store, clock, t.id)?;
        report.undo.push(c.undo());
        report.completed.push(label(&c.done));
        if let Some(next) = &c.next {
            id = next.id;
        }
    }
    if !conflicts.is_empty() {
        let body = format!(
            "From the calendar (vdir sync), the follow-up \"{}\" changed there while tend changed it too; tend's kept, the calendar had: {}",
            t.text,
            conflicts.join("; ")
        );
        sync_note(store, clock, t.contact_id, body, report)?;
        report
            .conflicts
            .push(format!("{}: {}", label(t), conflicts.join("; ")));
    }
    let now = stored::get(store.conn(), id)?;
    write_back(
        store, clock, dir, opts, &series, &e.file, &e.text, now, report,
    )
}

/// The file of `series` as tend now has it: left as the folder wrote it when it already says
/// the same (keeping what the phone added), rewritten when not, removed when it is no longer
/// shown (a finished event).
#[allow(clippy::too_many_arguments)]
fn write_back(
    store: &mut crate::store::Store,
    clock: &Clock,
    dir: &Path,
    opts: &Options,
    series: &str,
    file: &str,
    file_text: &str,
    now: Option<FollowUp>,
    report: &mut SyncReport,
) -> Result<()> {
    let Some(f) = now.filter(|f| opts.shape == Shape::Todo || f.done_at.is_none()) else {
        if remove_file(dir, file)? {
            report.removed.push(file.to_string());
        }
        store.write(|tx| vdir::forget(tx, KIND, series))?;
        return Ok(());
    };
    let text = render(&f, opts, clock);
    let name = file_name(f.series_uid(), EXT);
    let same = |a: &Item, b: &Item| {
        (&a.summary, a.date, a.time, a.done) == (&b.summary, b.date, b.time, b.done)
    };
    let agrees = name == file
        && matches!(
            (ics::read_one(&text), ics::read_one(file_text)),
            (Ok(a), Ok(b)) if same(&a, &b)
        );
    let (kept, (mtime, size)) = if agrees {
        (file_text.to_string(), meta(&dir.join(file))?)
    } else {
        if name != file && remove_file(dir, file)? {
            report.removed.push(file.to_string());
        }
        let text = numbered(store.conn(), KIND, series, Some(file_text), &text)?;
        report.written.push(name.clone());
        let m = write_file(dir, &name, &text)?;
        (text, m)
    };
    let synced = Synced {
        file: name,
        text: kept,
        base: None,
        mtime,
        size,
        stamp: stamp_of(&f, opts),
    };
    store.write(|tx| {
        if series != f.series_uid() {
            vdir::forget(tx, KIND, series)?;
        }
        vdir::put(tx, KIND, f.series_uid(), &synced)
    })
}

/// The follow-up of tend's a file names by its UID, when tend has it.
fn own(conn: &rusqlite::Connection, item: &Item) -> Result<Option<FollowUp>> {
    match item.uid.as_deref().and_then(|u| u.strip_suffix("@tend")) {
        Some(uid) => stored::latest_of_series(conn, uid),
        None => Ok(None),
    }
}

/// Who a new task is for and what it says, or why it cannot become a follow-up.
fn new_target(
    conn: &rusqlite::Connection,
    item: &Item,
) -> std::result::Result<(crate::error::Candidate, String), String> {
    if item.done {
        return Err(format!(
            "\"{}\" is a finished task tend never had; left as it is",
            item.summary
        ));
    }
    let Some((who, what)) = item
        .summary
        .split_once(':')
        .map(|(w, t)| (w.trim(), t.trim()))
        .filter(|(w, t)| !w.is_empty() && !t.is_empty())
    else {
        return Err(format!(
            "\"{}\" does not say who it is for: title it \"Name: what to do\" and the next sync makes it a follow-up",
            item.summary
        ));
    };
    let title = &item.summary;
    // "Re: invoice", "Fwd: quote": a reply's prefix, not a name.
    if ["re", "fw", "fwd", "aw", "wg", "sv", "tr", "ref"].contains(&who.to_lowercase().as_str()) {
        return Err(format!(
            "\"{title}\" does not say who it is for: title it \"Name: what to do\" and the next sync makes it a follow-up"
        ));
    }
    // A name as written, or the start of one: never a guess (a task on the wrong person's
    // list is worse than one left alone).
    let mut hits = crate::store::contacts::exact(conn, who).map_err(|e| e.to_string())?;
    if hits.is_empty() {
        hits = crate::store::contacts::prefix(conn, who).map_err(|e| e.to_string())?;
    }
    match hits.len() {
        1 => Ok((hits.remove(0), what.to_string())),
        0 => Err(format!(
            "\"{title}\" names \"{who}\", and no one in tend is called that: add them first (tend add \"{who}\") or write the name as tend has it"
        )),
        n => Err(format!(
            "\"{title}\" names \"{who}\", which could be any of {n} contacts ({}): write more of the name",
            hits.iter()
                .take(4)
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A task or event tend does not have: titled "Who: what", it becomes a next step for that
/// contact (and what the phone wrote under it, a note on them); otherwise it is left alone
/// and reported.
fn apply_new(
    store: &mut crate::store::Store,
    clock: &Clock,
    dir: &Path,
    opts: &Options,
    e: &Edited,
    report: &mut SyncReport,
) -> Result<()> {
    // A file of tend's own that tend no longer shows (finished before, or its contact
    // archived): not a new task, and not tend's to show any more.
    if let Some(f) = own(store.conn(), &e.item)? {
        if remove_file(dir, &e.file)? {
            report.removed.push(format!("{} ({})", e.file, label(&f)));
        }
        store.write(|tx| vdir::forget(tx, KIND, f.series_uid()))?;
        return Ok(());
    }
    let (contact, what) = match new_target(store.conn(), &e.item) {
        Ok(t) => t,
        Err(why) => {
            report
                .unreadable
                .push((dir.join(&e.file).display().to_string(), why));
            return Ok(());
        }
    };
    let set = followups::set_next(
        store,
        clock,
        contact.id,
        NextStep {
            when: When {
                date: e.item.date,
                time: e.item.time,
            },
            text: what.clone(),
            every: None,
        },
    )?;
    report.undo.push(set.undo.clone());
    if let Some(d) = e
        .item
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        sync_note(
            store,
            clock,
            contact.id,
            format!("From the calendar, with the task \"{what}\": {}", d.trim()),
            report,
        )?;
    }
    report
        .created
        .push(format!("{} (from {})", label(&set.follow_up), e.file));
    let series = set.follow_up.series_uid().to_string();
    write_back(
        store,
        clock,
        dir,
        opts,
        &series,
        &e.file,
        &e.text,
        Some(set.follow_up),
        report,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_tend_wrote_gives_back_the_follow_up_s_words() {
        assert_eq!(task_text("Ann Lee: send quote", "Ann Lee"), "send quote");
        assert_eq!(task_text("send quote", "Ann Lee"), "send quote");
        assert_eq!(task_text("Bob: call", "Ann Lee"), "Bob: call");
    }
}
