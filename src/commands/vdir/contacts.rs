//! The contacts folder: one vCard 3.0 `.vcf` per contact, named by its uid.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::clock::Clock;
use crate::commands::import::{self, ImportOptions};
use crate::error::Result;
use crate::interop::{Card, Parsed, vcard};
use crate::model::contact::Status;
use crate::store::vdir::{self, Seen, Synced};

use super::{
    How, Out, SEQ, SyncReport, begin, by_file, check_deletions, file_name, finish, meta, numbered,
    remove_file, seq_of, sync_note, with_seq, without_seq, write_file,
};
use crate::store::{Store, contacts};

const KIND: &str = "contact";

/// Which contacts go to the folder.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only contacts with one of these tags (none: every one).
    pub tags: Vec<String>,
    /// Only contacts in one of these statuses (none: every one).
    pub statuses: Vec<Status>,
}

fn render(card: &Card) -> String {
    let mut s = String::new();
    vcard::write(card, vcard::Version::V3, &mut s);
    s
}

/// The one card a file holds, or why not.
fn one_card(text: &str) -> std::result::Result<Card, String> {
    let mut parsed = vcard::parse(text);
    match parsed.len() {
        1 => parsed.remove(0).card.map(|mut c| {
            // tend's write number is the file's, not the contact's.
            c.extras
                .retain(|l| !l.to_ascii_uppercase().starts_with(SEQ));
            c
        }),
        0 => Err("no BEGIN:VCARD in it".into()),
        n => Err(format!("{n} cards in one file; a vdir holds one per file")),
    }
}

/// The contact as a card, with what it keeps of earlier cards.
fn card_of(store: &Store, id: i64) -> Result<Card> {
    let c = contacts::get(store.conn(), id)?;
    let mut card = Card::from_contact(&c);
    card.extras = contacts::extras(store.conn(), id)?;
    Ok(card)
}

/// Three versions of one contact merged: what changed on one side since `base` is taken from
/// that side; what changed on both to different values keeps tend's, and the folder's goes in
/// the returned list ("phone: 07700 900111").
pub fn merge3(base: &Card, tend: &Card, file: &Card) -> (Card, Vec<String>) {
    let mut file = file.clone();
    promote_added_channels(base, &mut file);
    let file = &file;
    let mut out = file.clone();
    let mut conflicts = Vec::new();
    let mut pick = |what: &str, b: Option<&String>, t: Option<&String>, f: Option<&String>| {
        if t == b {
            return f.cloned();
        }
        if f != b
            && f != t
            && let Some(f) = f
        {
            conflicts.push(format!("{what}: {f}"));
        }
        t.cloned()
    };
    out.name = pick("name", Some(&base.name), Some(&tend.name), Some(&file.name))
        .unwrap_or_else(|| tend.name.clone());
    type Get = fn(&Card) -> &Option<String>;
    type Set = fn(&mut Card, Option<String>);
    let slots: [(&str, Get, Set); 5] = [
        ("company", |c| &c.company, |c, v| c.company = v),
        ("email", |c| &c.email, |c, v| c.email = v),
        ("phone", |c| &c.phone, |c, v| c.phone = v),
        ("address", |c| &c.address, |c, v| c.address = v),
        ("source", |c| &c.source, |c, v| c.source = v),
    ];
    for (what, get, set) in slots {
        let v = pick(
            what,
            get(base).as_ref(),
            get(tend).as_ref(),
            get(file).as_ref(),
        );
        set(&mut out, v);
    }
    let keys: BTreeSet<&String> = base
        .fields
        .keys()
        .chain(tend.fields.keys())
        .chain(file.fields.keys())
        .collect();
    let mut fields = BTreeMap::new();
    for k in keys {
        if let Some(v) = pick(
            k,
            base.fields.get(k),
            tend.fields.get(k),
            file.fields.get(k),
        ) {
            fields.insert(k.clone(), v);
        }
    }
    out.fields = fields;
    // Tags from either side; the folder's card cannot take one away.
    for t in &tend.tags {
        if !out.tags.contains(t) {
            out.tags.push(t.clone());
        }
    }
    if tend.status != base.status {
        out.status = tend.status;
    }
    if out.extras.is_empty() {
        out.extras = tend.extras.clone();
    }
    out.uid = tend.uid.clone().or(out.uid);
    (out, conflicts)
}

/// A number (email, address) the phone added to a card with no main one (it had none, or the
/// phone took it off): tend's own cards make unmarked channels profile fields ("phone
/// (mobile)"), but one added where there is no main one is meant as the main one.
fn promote_added_channels(base: &Card, file: &mut Card) {
    type Slot = fn(&mut Card) -> &mut Option<String>;
    let slots: [(&str, Slot); 3] = [
        ("email", |c| &mut c.email),
        ("phone", |c| &mut c.phone),
        ("address", |c| &mut c.address),
    ];
    for (what, slot) in slots {
        if slot(file).is_some() {
            continue;
        }
        let added = file
            .fields
            .iter()
            .find(|(k, _)| k.starts_with(&format!("{what} ")) && !base.fields.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()));
        if let Some((k, v)) = added {
            file.fields.remove(&k);
            *slot(file) = Some(v);
        }
    }
}

/// An email, phone or address the folder took off the card (and tend did not change since):
/// an import only adds and refreshes, so the sync clears them itself. Other profile fields
/// stay whatever the card lacks: a phone that drops properties it does not know must not
/// empty tend's profile. True when something was cleared.
fn clear_removed(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    merged: &Card,
    undo: &mut Vec<crate::commands::undo::Undo>,
) -> Result<bool> {
    let before = contacts::get(store.conn(), id)?;
    let channel = |k: &str| {
        ["email", "phone", "address"]
            .iter()
            .any(|b| k == *b || k.starts_with(&format!("{b} ")))
            || crate::interop::vcard::is_merged_channel(k)
    };
    let gone: Vec<String> = before
        .fields
        .keys()
        .filter(|k| channel(k) && !merged.fields.contains_key(*k))
        .cloned()
        .collect();
    let clear = |mine: &Option<String>, theirs: &Option<String>| {
        (mine.is_some() && theirs.is_none()).then_some(None)
    };
    let patch = contacts::ContactPatch {
        email: clear(&before.email, &merged.email),
        phone: clear(&before.phone, &merged.phone),
        address: clear(&before.address, &merged.address),
        ..contacts::ContactPatch::default()
    };
    if gone.is_empty() && patch.is_empty() {
        return Ok(false);
    }
    let now = clock.stamp();
    let u = store.write(|tx| {
        let mark = contacts::status_mark(tx, id)?;
        if !patch.is_empty() {
            contacts::update(tx, id, &patch, &now)?;
        }
        for k in &gone {
            contacts::unset_field(tx, id, k)?;
        }
        Ok(crate::commands::undo::Undo::RestoreContact {
            before: Box::new(before.clone()),
            mark,
        })
    })?;
    undo.push(u);
    Ok(true)
}

/// Sync the contacts with the vdir `dir`.
pub fn sync_contacts(
    store: &mut Store,
    clock: &Clock,
    dir: &Path,
    selection: &Selection,
    how: How,
) -> Result<SyncReport> {
    let dry_run = how.dry_run;
    let (mut report, state, files) = begin(store, KIND, dir, how, "contacts", "vcf")?;
    let by_file = by_file(&state);

    let stamps = vdir::contact_stamps(store.conn())?;
    let selected = |s: &vdir::Stamp| {
        !s.archived
            && (selection.tags.is_empty() || s.tags.iter().any(|t| selection.tags.contains(t)))
            && (selection.statuses.is_empty()
                || selection.statuses.iter().any(|st| st.as_str() == s.status))
    };
    let by_uid: HashMap<&str, &vdir::Stamp> = stamps.iter().map(|s| (s.uid.as_str(), s)).collect();

    let mut in_cards: Vec<(String, Option<String>, Card, String)> = Vec::new();
    let mut writes: Vec<(String, String, String, Option<String>)> = Vec::new(); // uid, file, text, base
    let mut removals: Vec<(String, String)> = Vec::new(); // uid, file
    let mut archive: Vec<(i64, String)> = Vec::new();
    let mut seen: Vec<(String, Seen)> = Vec::new();

    // Files that are new or changed.
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    for name in names {
        let f = &files[name];
        let Some(text) = &f.text else { continue };
        let known = by_file.get(name.as_str()).map(|(u, s)| ((*u).clone(), *s));
        if let Some((uid, s)) = &known
            && vdir::texts(store.conn(), KIND, uid)?.is_some_and(|(t, _)| t == *text)
        {
            // Touched but not changed (a copy, a sync tool's rewrite): remember it as it is
            // now, so the next sync does not read it again.
            seen.push((
                uid.clone(),
                Seen {
                    mtime: f.mtime,
                    size: f.size,
                    ..(*s).clone()
                },
            ));
            continue;
        }
        let card = match one_card(text) {
            Ok(c) => c,
            Err(why) => {
                report
                    .unreadable
                    .push((dir.join(name).display().to_string(), why));
                continue;
            }
        };
        in_cards.push((name.clone(), known.map(|(u, _)| u), card, text.clone()));
    }

    // Files the last sync knew that are gone: their contacts are archived.
    for (uid, s) in &state {
        if files.contains_key(&s.file) {
            continue;
        }
        match by_uid.get(uid.as_str()) {
            Some(st) if !st.archived => archive.push((st.id, uid.clone())),
            _ => {}
        }
        removals.push((uid.clone(), String::new()));
    }

    let known = state.values().filter(|s| !s.file.is_empty()).count();
    let gone = state
        .values()
        .filter(|s| !s.file.is_empty() && !files.contains_key(&s.file))
        .count();
    check_deletions(dir, "cards", "contacts", known, gone, how)?;

    // What tend changed: new contacts, changed ones, and ones that left the selection.
    let incoming: BTreeSet<String> = in_cards
        .iter()
        .filter_map(|(_, u, c, _)| u.clone().or_else(|| c.uid.clone()))
        .collect();
    for st in &stamps {
        let last = state.get(&st.uid);
        let file_present = last.is_some_and(|b| files.contains_key(&b.file));
        if incoming.contains(&st.uid) || (last.is_some() && !file_present) {
            continue;
        }
        match (selected(st), last) {
            (false, Some(b)) => removals.push((st.uid.clone(), b.file.clone())),
            (false, None) => {}
            (true, Some(b)) if b.stamp == st.stamp => {}
            (true, last) => {
                let text = render(&card_of(store, st.id)?);
                let texts = match last {
                    Some(_) => vdir::texts(store.conn(), KIND, &st.uid)?,
                    None => None,
                };
                if let (Some(b), Some((old, _))) = (last, &texts)
                    && without_seq(old) == text
                {
                    // Only the stamp moved (a change the card does not show): nothing to write.
                    seen.push((
                        st.uid.clone(),
                        Seen {
                            stamp: st.stamp.clone(),
                            ..b.clone()
                        },
                    ));
                    continue;
                }
                let file = last.map_or_else(|| file_name(&st.uid, "vcf"), |b| b.file.clone());
                // Not agreed until the folder gives it back: the last agreed version stays
                // the base of a merge with whatever the phone does meanwhile.
                let seq = texts.as_ref().map_or(0, |(old, _)| seq_of(old)) + 1;
                writes.push((
                    st.uid.clone(),
                    file,
                    with_seq(&text, seq),
                    texts.map(|(_, base)| base),
                ));
            }
        }
    }
    // Contacts deleted in tend: their files go.
    for (uid, s) in &state {
        if !by_uid.contains_key(uid.as_str()) && files.contains_key(&s.file) {
            let edited = in_cards.iter().any(|(n, ..)| *n == s.file);
            if !edited {
                removals.push((uid.clone(), s.file.clone()));
            }
        }
    }

    if dry_run {
        for (uid, file, ..) in &writes {
            report
                .written
                .push(format!("{file} ({})", name_of(&by_uid, uid, store)?));
        }
        for (_, file) in removals.iter().filter(|(_, f)| !f.is_empty()) {
            report.removed.push(file.clone());
        }
        for (_, uid) in &archive {
            report.archived.push(name_of(&by_uid, uid, store)?);
        }
        for (_, known, card, _) in &in_cards {
            match known {
                Some(_) => report.updated.push(card.name.clone()),
                None => report.created.push(card.name.clone()),
            }
        }
        return Ok(report);
    }

    // Into tend: each edited or new file.
    for (name, known, file_card, text) in in_cards {
        apply_file(
            store,
            clock,
            dir,
            &name,
            known,
            file_card,
            text,
            &mut report,
        )?;
    }
    for (id, uid) in archive {
        let (c, undo) = crate::commands::contacts::set_archived(store, clock, id, true)?;
        report.undo.push(undo);
        report.archived.push(c.name);
        store.write(|tx| vdir::forget(tx, KIND, &uid))?;
    }
    // Out of tend: every file at once, then what was written remembered in one transaction.
    let writes = writes
        .into_iter()
        .map(|(uid, file, text, base)| Out {
            stamp: by_uid
                .get(uid.as_str())
                .map_or(String::new(), |s| s.stamp.clone()),
            uid,
            file,
            text,
            base,
        })
        .collect();
    finish(store, KIND, dir, writes, &seen, &removals, &mut report)?;
    Ok(report)
}

fn name_of(by_uid: &HashMap<&str, &vdir::Stamp>, uid: &str, store: &Store) -> Result<String> {
    match by_uid.get(uid) {
        Some(s) => Ok(contacts::get(store.conn(), s.id)?.name),
        None => Ok(uid.to_string()),
    }
}

/// One edited or new file into tend, merged with tend's own changes, then written back as tend
/// now has it (so the next sync finds both sides agreed).
#[allow(clippy::too_many_arguments)]
fn apply_file(
    store: &mut Store,
    clock: &Clock,
    dir: &Path,
    name: &str,
    known: Option<String>,
    file_card: Card,
    text: String,
    report: &mut SyncReport,
) -> Result<()> {
    let uid = known.clone().or_else(|| file_card.uid.clone());
    let existing = match &uid {
        Some(u) => contacts::id_by_uid(store.conn(), u)?,
        None => None,
    };
    let (card, conflicts) = match existing {
        Some(id) => {
            let tend = card_of(store, id)?;
            let base = match &uid {
                Some(u) => vdir::texts(store.conn(), KIND, u)?
                    .and_then(|(_, base)| one_card(&base).ok())
                    .unwrap_or_default(),
                None => Card::default(),
            };
            merge3(&base, &tend, &file_card)
        }
        None => (file_card, Vec::new()),
    };
    let parsed = vec![Parsed {
        position: name.to_string(),
        card: Ok(card.clone()),
    }];
    let mut r = import::import(
        store,
        clock,
        parsed,
        ImportOptions {
            update: true,
            dry_run: false,
        },
        &mut |_, _| {},
    )?;
    if let Some(s) = r.skipped.first() {
        report
            .unreadable
            .push((dir.join(name).display().to_string(), s.reason.clone()));
        return Ok(());
    }
    report.undo.append(&mut r.undo);
    let cleared = match existing {
        Some(id) => clear_removed(store, clock, id, &card, &mut report.undo)?,
        None => false,
    };
    let id = match (r.created.first(), r.updated.first(), existing) {
        (Some(c), _, _) => {
            report.created.push(c.name.clone());
            c.id
        }
        (None, Some(u), _) => {
            report.updated.push(u.name.clone());
            u.id
        }
        (None, None, Some(id)) => {
            if cleared {
                report.updated.push(contacts::get(store.conn(), id)?.name);
            }
            id
        }
        (None, None, None) => return Ok(()),
    };
    if !conflicts.is_empty() {
        let body = format!(
            "From the contacts folder (vdir sync), changed there while tend changed it too; tend's kept: {}",
            conflicts.join("; ")
        );
        sync_note(store, clock, id, body, report)?;
        let who = contacts::get(store.conn(), id)?.name;
        report
            .conflicts
            .push(format!("{who}: {}", conflicts.join("; ")));
    }
    // Written back as tend has it now, under the name tend gives it.
    let c = contacts::get(store.conn(), id)?;
    let text_now = render(&card_of(store, id)?);
    let file = vdir::state_of(store.conn(), KIND, &c.uid)?
        .map_or_else(|| file_name(&c.uid, "vcf"), |s| s.file);
    if file != name {
        // A new card from the phone named its own way, or one that matched a contact tend
        // already had: one file per contact, tend's.
        remove_file(dir, name)?;
        report.removed.push(name.to_string());
    }
    let (kept, (mtime, size)) = if without_seq(&text) == text_now && file == name {
        (text.clone(), meta(&dir.join(name))?)
    } else {
        let out = numbered(store.conn(), KIND, &c.uid, Some(&text), &text_now)?;
        report.written.push(file.clone());
        let m = write_file(dir, &file, &out)?;
        (out, m)
    };
    let stamp = vdir::stamp_of(store.conn(), id)?;
    // Both sides' changes are in it: the new agreed version.
    store.write(|tx| {
        vdir::put(
            tx,
            KIND,
            &c.uid,
            &Synced {
                file: file.clone(),
                text: kept.clone(),
                base: None,
                mtime,
                size,
                stamp: stamp.clone(),
            },
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(email: &str, phone: &str, address: &str) -> Card {
        Card {
            name: "Ann".into(),
            email: Some(email.into()),
            phone: Some(phone.into()),
            address: Some(address.into()),
            ..Card::default()
        }
    }

    #[test]
    fn each_side_s_change_is_taken_and_a_clash_keeps_tend_s_value() {
        let base = card("a@x.test", "01", "1 Lane");
        let tend = card("new@x.test", "01", "2 Lane");
        let file = card("a@x.test", "02", "3 Lane");
        let (merged, conflicts) = merge3(&base, &tend, &file);
        assert_eq!(merged.email.as_deref(), Some("new@x.test"), "tend's change");
        assert_eq!(merged.phone.as_deref(), Some("02"), "the folder's change");
        assert_eq!(merged.address.as_deref(), Some("2 Lane"), "both: tend's");
        assert_eq!(conflicts, ["address: 3 Lane"]);
    }
}
