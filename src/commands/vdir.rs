//! `tend vdir sync`: a folder of one `.vcf` per contact (a vdir, the format vdirsyncer, khard
//! and the CardDAV world share) kept in step with the database, both ways.
//!
//! Each file's content at the last sync, its size and mtime, and the contact's `updated_at`
//! then are kept in `vdir_state`. A sync compares the three: a file that did not change goes
//! unread, a contact that did not change goes unrendered, and only what changed is written, so
//! vdirsyncer uploads only that. When both sides changed one contact, the two are merged field
//! by field against what they last agreed on; where both changed the same field, tend's value
//! stays and the folder's is written on the contact as a note. Nothing is deleted in tend: a
//! file removed from the folder archives its contact.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::clock::Clock;
use crate::commands::import::{self, ImportOptions};
use crate::commands::notes::{self, AddNote};
use crate::commands::undo::Undo;
use crate::error::{Error, Result};
use crate::interop::{Card, Parsed, vcard};
use crate::model::contact::Status;
use crate::model::note::NoteKind;
use crate::store::vdir::{self, Synced};
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    pub dry_run: bool,
    /// Files written from tend: new contacts and changed ones.
    pub written: Vec<String>,
    /// Files removed because their contact was archived, deleted or left the selection.
    pub removed: Vec<String>,
    /// Contacts made from new files in the folder.
    pub created: Vec<String>,
    /// Contacts changed from edited files.
    pub updated: Vec<String>,
    /// Contacts archived because their file was deleted.
    pub archived: Vec<String>,
    /// The same field changed on both sides: tend's value kept, the folder's in a note.
    pub conflicts: Vec<String>,
    /// Files that could not be read: path and why. Left as they are.
    pub unreadable: Vec<(String, String)>,
    /// What takes the sync's changes to tend back (not to the folder).
    #[serde(skip)]
    pub undo: Vec<Undo>,
}

impl SyncReport {
    pub fn changed_nothing(&self) -> bool {
        self.written.is_empty()
            && self.removed.is_empty()
            && self.created.is_empty()
            && self.updated.is_empty()
            && self.archived.is_empty()
    }
}

/// A file in the folder: its name, and its text if it changed since the last sync.
struct File {
    mtime: i64,
    size: i64,
    text: Option<String>,
}

fn meta(path: &Path) -> Result<(i64, i64)> {
    let m = std::fs::metadata(path)?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    Ok((mtime, m.len() as i64))
}

/// Write `text` whole or not at all: a temporary name vdir readers skip, then a rename.
fn write_file(dir: &Path, name: &str, text: &str) -> Result<(i64, i64)> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tend-tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    meta(&path)
}

fn render(card: &Card) -> String {
    let mut s = String::new();
    vcard::write(card, vcard::Version::V3, &mut s);
    s
}

fn file_name(uid: &str) -> String {
    // A uid is tend's own (a UUID) or a phone's; either way only safe characters go in a name.
    let safe: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.vcf")
}

/// The one card a file holds, or why not.
fn one_card(text: &str) -> std::result::Result<Card, String> {
    let mut parsed = vcard::parse(text);
    match parsed.len() {
        1 => parsed.remove(0).card,
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

/// Sync the contacts with the vdir `dir`.
pub fn sync_contacts(
    store: &mut Store,
    clock: &Clock,
    dir: &Path,
    selection: &Selection,
    dry_run: bool,
) -> Result<SyncReport> {
    if dir.is_file() {
        return Err(Error::invalid_with_hint(
            format!("{} is a file, not a folder", dir.display()),
            "[vdir] contacts in config.toml names the folder vdirsyncer keeps the cards in",
        ));
    }
    if !dir.exists() && !dry_run {
        std::fs::create_dir_all(dir)?;
    }
    let mut report = SyncReport {
        dry_run,
        ..SyncReport::default()
    };
    let state = vdir::state(store.conn(), KIND)?;
    let by_file: HashMap<&str, (&String, &Synced)> = state
        .iter()
        .map(|(u, s)| (s.file.as_str(), (u, s)))
        .collect();

    // The folder: each .vcf, read only when it is not as the last sync left it.
    let mut files: HashMap<String, File> = HashMap::new();
    if dir.exists() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if !name.ends_with(".vcf") || name.starts_with('.') {
                continue;
            }
            let (mtime, size) = meta(&path)?;
            let unchanged = by_file
                .get(name.as_str())
                .is_some_and(|(_, s)| s.mtime == mtime && s.size == size);
            let text = if unchanged {
                None
            } else {
                match std::fs::read(&path) {
                    Ok(b) => Some(crate::interop::decode(&b)),
                    Err(e) => {
                        report
                            .unreadable
                            .push((path.display().to_string(), e.to_string()));
                        continue;
                    }
                }
            };
            files.insert(name, File { mtime, size, text });
        }
    }

    let stamps = vdir::contact_stamps(store.conn())?;
    let selected = |s: &vdir::Stamp| {
        !s.archived
            && (selection.tags.is_empty() || s.tags.iter().any(|t| selection.tags.contains(t)))
            && (selection.statuses.is_empty()
                || selection.statuses.iter().any(|st| st.as_str() == s.status))
    };
    let by_uid: HashMap<&str, &vdir::Stamp> = stamps.iter().map(|s| (s.uid.as_str(), s)).collect();

    let mut in_cards: Vec<(String, Option<String>, Card, Option<String>)> = Vec::new();
    let mut writes: Vec<(String, String, String)> = Vec::new(); // uid, file, text
    let mut removals: Vec<(String, String)> = Vec::new(); // uid, file
    let mut archive: Vec<(i64, String)> = Vec::new();

    // Files that are new or changed.
    let mut seen_files: BTreeSet<String> = BTreeSet::new();
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    for name in names {
        let f = &files[name];
        seen_files.insert(name.clone());
        let Some(text) = &f.text else { continue };
        let card = match one_card(text) {
            Ok(c) => c,
            Err(why) => {
                report
                    .unreadable
                    .push((dir.join(name).display().to_string(), why));
                continue;
            }
        };
        let known = by_file.get(name.as_str()).map(|(u, s)| ((*u).clone(), *s));
        if let Some((uid, s)) = &known
            && s.text == *text
        {
            // Touched but not changed (a copy, a sync tool's rewrite): remember it as it is
            // now, so the next sync does not read it again.
            if !dry_run {
                let now = Synced {
                    mtime: f.mtime,
                    size: f.size,
                    ..(*s).clone()
                };
                store.write(|tx| vdir::put(tx, KIND, uid, &now))?;
            }
            continue;
        }
        in_cards.push((
            name.clone(),
            known.map(|(u, _)| u),
            card,
            Some(text.clone()),
        ));
    }

    // Files the last sync knew that are gone: their contacts are archived.
    for (uid, s) in &state {
        if seen_files.contains(&s.file) {
            continue;
        }
        match by_uid.get(uid.as_str()) {
            Some(st) if !st.archived => archive.push((st.id, uid.clone())),
            _ => {}
        }
        removals.push((uid.clone(), String::new()));
    }

    // What tend changed: new contacts, changed ones, and ones that left the selection.
    let incoming: BTreeSet<String> = in_cards
        .iter()
        .filter_map(|(_, u, c, _)| u.clone().or_else(|| c.uid.clone()))
        .collect();
    for st in &stamps {
        let base = state.get(&st.uid);
        let file_present = base.is_some_and(|b| seen_files.contains(&b.file));
        if incoming.contains(&st.uid) || (base.is_some() && !file_present) {
            continue;
        }
        match (selected(st), base) {
            (false, Some(b)) => removals.push((st.uid.clone(), b.file.clone())),
            (false, None) => {}
            (true, Some(b)) if b.stamp == st.stamp => {}
            (true, base) => {
                let text = render(&card_of(store, st.id)?);
                let file = base.map_or_else(|| file_name(&st.uid), |b| b.file.clone());
                if let Some(b) = base.filter(|b| b.text == text) {
                    // Only the stamp moved (a note, say): nothing to write.
                    if !dry_run {
                        let b = Synced {
                            stamp: st.stamp.clone(),
                            ..b.clone()
                        };
                        store.write(|tx| vdir::put(tx, KIND, &st.uid, &b))?;
                    }
                    continue;
                }
                writes.push((st.uid.clone(), file, text));
            }
        }
    }
    // Contacts deleted in tend: their files go.
    for (uid, s) in &state {
        if !by_uid.contains_key(uid.as_str()) && seen_files.contains(&s.file) {
            let edited = in_cards.iter().any(|(n, ..)| *n == s.file);
            if !edited {
                removals.push((uid.clone(), s.file.clone()));
            }
        }
    }

    if dry_run {
        for (uid, file, _) in &writes {
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
        for (name, known, card, _) in &in_cards {
            match known {
                Some(_) => report.updated.push(format!("{} (from {name})", card.name)),
                None => report.created.push(format!("{} (from {name})", card.name)),
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
            &state,
            &mut report,
        )?;
    }
    for (id, uid) in archive {
        let (c, undo) = crate::commands::contacts::set_archived(store, clock, id, true)?;
        report.undo.push(undo);
        report.archived.push(c.name);
        store.write(|tx| vdir::forget(tx, KIND, &uid))?;
    }
    // Out of tend.
    for (uid, file, text) in writes {
        let (mtime, size) = write_file(dir, &file, &text)?;
        let stamp = by_uid
            .get(uid.as_str())
            .map_or(String::new(), |s| s.stamp.clone());
        store.write(|tx| {
            vdir::put(
                tx,
                KIND,
                &uid,
                &Synced {
                    file: file.clone(),
                    text: text.clone(),
                    mtime,
                    size,
                    stamp: stamp.clone(),
                },
            )
        })?;
        report.written.push(file);
    }
    for (uid, file) in removals {
        if !file.is_empty() {
            match std::fs::remove_file(dir.join(&file)) {
                Ok(()) => report.removed.push(file),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        store.write(|tx| vdir::forget(tx, KIND, &uid))?;
    }
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
    text: Option<String>,
    state: &HashMap<String, Synced>,
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
            let base = uid
                .as_ref()
                .and_then(|u| state.get(u))
                .and_then(|s| one_card(&s.text).ok())
                .unwrap_or_default();
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
    let id = match (r.created.first(), r.updated.first(), existing) {
        (Some(c), _, _) => {
            report.created.push(c.name.clone());
            c.id
        }
        (None, Some(u), _) => {
            report.updated.push(u.name.clone());
            u.id
        }
        (None, None, Some(id)) => id,
        (None, None, None) => return Ok(()),
    };
    if !conflicts.is_empty() {
        let body = format!(
            "From the contacts folder (vdir sync), changed there while tend changed it too; tend's kept: {}",
            conflicts.join("; ")
        );
        let added = notes::add(
            store,
            clock,
            AddNote {
                contact_id: id,
                kind: NoteKind::Note,
                body,
                at: None,
                next: None,
            },
        )?;
        report.undo.push(added.undo());
        let who = contacts::get(store.conn(), id)?.name;
        report
            .conflicts
            .push(format!("{who}: {}", conflicts.join("; ")));
    }
    // Written back as tend has it now, under the name tend gives it.
    let c = contacts::get(store.conn(), id)?;
    let text_now = render(&card_of(store, id)?);
    let file = state
        .get(&c.uid)
        .map_or_else(|| file_name(&c.uid), |s| s.file.clone());
    if file != name {
        // A new card from the phone named its own way, or one that matched a contact tend
        // already had: one file per contact, tend's.
        std::fs::remove_file(dir.join(name))?;
    }
    let (mtime, size) = if text.as_deref() == Some(text_now.as_str()) && file == name {
        meta(&dir.join(name))?
    } else {
        report.written.push(file.clone());
        write_file(dir, &file, &text_now)?
    };
    let stamp = vdir::stamp_of(store.conn(), id)?;
    store.write(|tx| {
        vdir::put(
            tx,
            KIND,
            &c.uid,
            &Synced {
                file: file.clone(),
                text: text_now.clone(),
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
