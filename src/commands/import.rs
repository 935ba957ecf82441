//! Importing contacts from vCard and CSV: each card is matched against the database (by UID,
//! then email, then, for a card with no email, its exact name), then created, refreshed
//! (`--update`), left alone, or skipped with the reason. A bad card never stops the others and
//! never half-writes a contact; a dry run does all of it and rolls it back.

use rusqlite::{Connection, ErrorCode};
use serde::Serialize;

use crate::clock::Clock;
use crate::commands::contacts::{clean_email, company};
use crate::commands::undo::Undo;
use crate::error::{Candidate, Error, Result};
use crate::interop::{Card, Parsed, same_name_reversed};
use crate::model::contact::{Contact, Status};
use crate::store::contacts::{self as store_contacts, ContactPatch, NewContact};
use crate::store::{Store, all_or_nothing};

/// How many cards go into one transaction: big enough to be fast, small enough that other
/// writers (a `tend note` in another window) wait a moment at most.
const BATCH: usize = 1000;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Refresh the fields of contacts that are already here.
    pub update: bool,
    /// Work everything out, write nothing.
    pub dry_run: bool,
}

/// A contact an import created or refreshed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Imported {
    pub position: String,
    pub id: i64,
    pub name: String,
    /// What an update changed (empty for a new contact).
    pub changed: Vec<String>,
}

/// An entry that was not imported, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Skipped {
    pub position: String,
    pub name: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ImportReport {
    pub dry_run: bool,
    pub created: Vec<Imported>,
    pub updated: Vec<Imported>,
    /// Already here with nothing new.
    pub unchanged: usize,
    pub skipped: Vec<Skipped>,
    /// Things done differently from what the file said, e.g. a referrer not found.
    pub warnings: Vec<String>,
    /// What takes the whole import back: the contacts (and companies) it created deleted,
    /// the ones it refreshed put back as they were. Empty for a dry run.
    #[serde(skip)]
    pub undo: Vec<Undo>,
}

enum Outcome {
    Created(i64),
    Updated(i64, Vec<String>),
    Unchanged,
}

/// Import every parsed entry. `progress(done, total)` is called after each batch.
pub fn import(
    store: &mut Store,
    clock: &Clock,
    entries: Vec<Parsed>,
    opts: ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let now = clock.stamp();
    let total = entries.len();
    let mut report = ImportReport {
        dry_run: opts.dry_run,
        ..ImportReport::default()
    };
    let mut referrals: Vec<(i64, String)> = Vec::new();
    let mut done = 0;
    let batch = |tx: &Connection,
                 chunk: &[Parsed],
                 report: &mut ImportReport,
                 referrals: &mut Vec<(i64, String)>|
     -> Result<()> {
        for p in chunk {
            let card = match &p.card {
                Ok(card) => card,
                Err(reason) => {
                    report.skipped.push(Skipped {
                        position: p.position.clone(),
                        name: None,
                        reason: reason.clone(),
                    });
                    continue;
                }
            };
            let mut undo = Vec::new();
            match all_or_nothing(tx, || one(tx, card, opts.update, &now, &mut undo)) {
                Ok(outcome) => {
                    report.undo.append(&mut undo);
                    if let (Some(r), Outcome::Created(id) | Outcome::Updated(id, _)) =
                        (&card.referred_by, &outcome)
                    {
                        referrals.push((*id, r.clone()));
                    }
                    let imported = |id, changed| Imported {
                        position: p.position.clone(),
                        id,
                        name: card.name.clone(),
                        changed,
                    };
                    match outcome {
                        Outcome::Created(id) => report.created.push(imported(id, vec![])),
                        Outcome::Updated(id, changed) => report.updated.push(imported(id, changed)),
                        Outcome::Unchanged => report.unchanged += 1,
                    }
                }
                Err(e) if is_about_the_row(&e) => report.skipped.push(Skipped {
                    position: p.position.clone(),
                    name: Some(card.name.clone()),
                    reason: reason(&e),
                }),
                Err(e) => {
                    // This batch's transaction is rolled back with it; earlier batches stay.
                    let first = chunk.first().map_or("", |c| c.position.as_str());
                    let saved = if opts.dry_run {
                        "nothing was written (dry run)".to_string()
                    } else if std::ptr::eq(chunk.as_ptr(), entries.as_ptr()) {
                        "nothing was saved".to_string()
                    } else {
                        format!("what came before {first} is saved, nothing from it on")
                    };
                    return Err(Error::invalid_with_hint(
                        format!("the import stopped at {}: {e}", p.position),
                        format!(
                            "{saved}; fix the problem and run the same import again: contacts \
                             already imported are recognised, not doubled"
                        ),
                    ));
                }
            }
        }
        Ok(())
    };
    let link = |tx: &Connection,
                report: &mut ImportReport,
                referrals: &[(i64, String)]|
     -> Result<()> {
        for (id, name) in referrals {
            // Without --update an import only adds: a referrer tend has stays.
            if !opts.update && store_contacts::get(tx, *id)?.referred_by_id.is_some() {
                continue;
            }
            let found = store_contacts::named(tx, name)?;
            match found.as_slice() {
                [one] if one.id != *id => store_contacts::update(
                    tx,
                    *id,
                    &ContactPatch {
                        referred_by_id: Some(Some(one.id)),
                        ..ContactPatch::default()
                    },
                    &now,
                )?,
                [_] => {}
                [] => report.warnings.push(format!(
                    "#{id}: referred by '{name}', who is not in tend; the referral was left out"
                )),
                _ => report.warnings.push(format!(
                    "#{id}: referred by '{name}', which names {} contacts; the referral was left out",
                    found.len()
                )),
            }
        }
        Ok(())
    };
    if opts.dry_run {
        store.rehearse(|tx| {
            for chunk in entries.chunks(BATCH) {
                batch(tx, chunk, &mut report, &mut referrals)?;
                done += chunk.len();
                progress(done, total);
            }
            link(tx, &mut report, &referrals)
        })?;
    } else {
        for chunk in entries.chunks(BATCH) {
            store.write(|tx| batch(tx, chunk, &mut report, &mut referrals))?;
            done += chunk.len();
            progress(done, total);
        }
        if !referrals.is_empty() {
            store.write(|tx| link(tx, &mut report, &referrals))?;
        }
    }
    Ok(report)
}

/// Errors that belong to one card (bad email, a rule the database enforces), as opposed to
/// ones that would fail every card after it (disk full, file gone).
fn is_about_the_row(e: &Error) -> bool {
    match e {
        Error::Invalid { .. } | Error::Ambiguous { .. } => true,
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
            f.code == ErrorCode::ConstraintViolation
        }
        _ => false,
    }
}

fn reason(e: &Error) -> String {
    match e {
        Error::Invalid {
            message,
            hint: Some(h),
        } => format!("{message} ({h})"),
        other => other.to_string(),
    }
}

fn one(
    tx: &Connection,
    card: &Card,
    update: bool,
    now: &str,
    undo: &mut Vec<Undo>,
) -> Result<Outcome> {
    let email = clean_email(card.email.as_deref()).map_err(|_| {
        Error::invalid_with_hint(
            format!(
                "'{}' does not look like an email address",
                card.email.as_deref().unwrap_or_default().trim()
            ),
            "correct it in the file and import again; the other cards are not affected",
        )
    })?;
    let existing = match find(tx, card, email.as_deref())? {
        Some(id) => id,
        None => return create(tx, card, email, now, undo).map(Outcome::Created),
    };
    let contact = store_contacts::get(tx, existing)?;
    let mut changed = card.differences(&contact);
    let kept = store_contacts::extras(tx, existing)?;
    if card_details(&card.extras).next().is_some()
        && !card_details(&card.extras).eq(card_details(&kept))
    {
        changed.push("card details".to_string());
    }
    if changed.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    if update {
        refresh(tx, &contact, card, email, now, undo)?;
        return Ok(Outcome::Updated(existing, changed));
    }
    // Without --update, what tend does not have yet is added (a phone number, a tag, a
    // birthday); what it has and the card says otherwise waits for --update.
    let (filled, added) = additions_only(card, &contact, &kept);
    let conflicts: Vec<String> = changed.into_iter().filter(|c| !added.contains(c)).collect();
    if !conflicts.is_empty() {
        return Err(Error::invalid(format!(
            "already in tend as #{} {}, which differs in {}; --update refreshes it",
            contact.id,
            contact.name,
            conflicts.join(", ")
        )));
    }
    let email = contact.email.clone().or(email);
    refresh(tx, &contact, &filled, email, now, undo)?;
    Ok(Outcome::Updated(existing, added))
}

/// The card as far as it only adds to the contact: tend's own value wherever tend has one,
/// the card's where tend has none. With the names of what it adds.
fn additions_only(card: &Card, contact: &Contact, kept: &[String]) -> (Card, Vec<String>) {
    let mut added = Vec::new();
    let mut fill = |name: &str, tend: &Option<String>, theirs: &Option<String>| match (tend, theirs)
    {
        (None, Some(v)) if !v.trim().is_empty() => {
            added.push(name.to_string());
            Some(v.clone())
        }
        _ => tend.clone(),
    };
    let filled = Card {
        uid: card.uid.clone(),
        name: contact.name.clone(),
        kind: None,
        company: fill("company", &contact.company, &card.company),
        email: fill("email", &contact.email, &card.email),
        phone: fill("phone", &contact.phone, &card.phone),
        address: fill("address", &contact.address, &card.address),
        status: None,
        source: fill("source", &contact.source, &card.source),
        referred_by: None,
        archived: None,
        tags: card.tags.clone(),
        fields: card
            .fields
            .iter()
            .filter(|(k, _)| !contact.fields.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        // The card's own details only where tend keeps none; its labels always.
        extras: if card_details(kept).next().is_none() {
            card.extras.clone()
        } else {
            card.extras
                .iter()
                .filter(|l| is_label_line(l))
                .cloned()
                .collect()
        },
    };
    if card.tags.iter().any(|t| !contact.tags.contains(t)) {
        added.push("tags".into());
    }
    added.extend(filled.fields.keys().cloned());
    if card_details(kept).next().is_none() && card_details(&card.extras).next().is_some() {
        added.push("card details".into());
    }
    (filled, added)
}

/// The contact this card describes, if tend has it: same UID, else same email, else (for a
/// card with no email) the one contact with exactly its name.
fn find(tx: &Connection, card: &Card, email: Option<&str>) -> Result<Option<i64>> {
    if let Some(uid) = &card.uid
        && let Some(id) = store_contacts::id_by_uid(tx, uid)?
    {
        return Ok(Some(id));
    }
    let (by, matches): (&str, Vec<Candidate>) = match email {
        Some(e) => ("email", store_contacts::with_email(tx, e)?),
        None => (
            "name",
            store_contacts::named_as(
                tx,
                &card.name,
                card.kind
                    .unwrap_or(crate::model::contact::ContactKind::Person),
            )?,
        ),
    };
    match matches.len() {
        0 => Ok(None),
        1 => Ok(Some(matches[0].id)),
        _ => Err(Error::invalid(format!(
            "its {by} matches {} contacts ({}); merge them first (tend merge) or give the card a UID",
            matches.len(),
            matches
                .iter()
                .map(|c| format!("#{} {}", c.id, c.name))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The company named `name`, made if there is none yet (and then deleted by the undo).
fn company_for(
    tx: &Connection,
    name: &str,
    status: Status,
    now: &str,
    undo: &mut Vec<Undo>,
) -> Result<i64> {
    let existed = store_contacts::company_named(tx, name)?.is_some();
    let id = company(tx, name, status, now)?;
    if !existed {
        undo.push(Undo::DeleteContact { contact_id: id });
    }
    Ok(id)
}

fn create(
    tx: &Connection,
    card: &Card,
    email: Option<String>,
    now: &str,
    undo: &mut Vec<Undo>,
) -> Result<i64> {
    let status = card.status.unwrap_or(Status::Lead);
    let company_id = match card.company.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(company_for(tx, c, status, now, undo)?),
        _ => None,
    };
    let new = NewContact {
        kind: card.kind,
        name: card.name.clone(),
        company_id,
        email,
        phone: card.phone.clone(),
        address: card.address.clone(),
        status: Some(status),
        source: card.source.clone(),
        referred_by_id: None,
    };
    let id = match &card.uid {
        Some(uid) => store_contacts::insert_with_uid(tx, uid, &new, now)?,
        None => store_contacts::insert(tx, &new, now)?,
    };
    undo.push(Undo::DeleteContact { contact_id: id });
    extras(tx, id, card, now)?;
    store_contacts::set_extras(tx, id, &card.extras)?;
    Ok(id)
}

fn refresh(
    tx: &Connection,
    contact: &Contact,
    card: &Card,
    email: Option<String>,
    now: &str,
    undo: &mut Vec<Undo>,
) -> Result<()> {
    let company_id = match card.company.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() && contact.company.as_deref() != Some(c) => {
            Some(Some(company_for(tx, c, contact.status, now, undo)?))
        }
        _ => None,
    };
    undo.push(Undo::RestoreContact {
        before: Box::new(contact.clone()),
        mark: store_contacts::status_mark(tx, contact.id)?,
    });
    undo.push(Undo::RestoreTags {
        contact_id: contact.id,
        tags: contact.tags.clone(),
    });
    undo.push(Undo::RestoreArchived {
        contact_id: contact.id,
        archived_at: store_contacts::archived_at(tx, contact.id)?,
    });
    let kept = store_contacts::extras(tx, contact.id)?;
    let lines = refreshed_extras(&card.extras, &kept);
    if lines != kept {
        undo.push(Undo::RestoreExtras {
            contact_id: contact.id,
            lines: kept,
        });
        store_contacts::set_extras(tx, contact.id, &lines)?;
    }
    let set = |v: &Option<String>| v.clone().map(Some);
    store_contacts::update(
        tx,
        contact.id,
        &ContactPatch {
            // "Plum, Pat" from a sheet's sorting column is Pat Plum, not a new name.
            name: Some(card.name.clone())
                .filter(|n| *n != contact.name && !same_name_reversed(n, &contact.name)),
            kind: card.kind.filter(|k| *k != contact.kind),
            company_id,
            email: email.map(Some),
            phone: set(&card.phone),
            address: set(&card.address),
            status: card.status.filter(|s| *s != contact.status),
            source: set(&card.source),
            referred_by_id: None,
        },
        now,
    )?;
    extras(tx, contact.id, card, now)
}

/// Tags, profile fields and the archived mark: added and refreshed, never removed.
fn extras(tx: &Connection, id: i64, card: &Card, now: &str) -> Result<()> {
    for t in &card.tags {
        store_contacts::add_tag(tx, id, t)?;
    }
    for (k, v) in &card.fields {
        store_contacts::set_field(tx, id, k, v)?;
    }
    if let Some(archived) = card.archived {
        store_contacts::set_archived(tx, id, archived.then_some(now), now)?;
    }
    Ok(())
}

/// A kept TEL or EMAIL line only remembers the main one's label (a new number already differs
/// as "phone"); the other kept lines are the card's own details (its photo, its N, its ADR).
fn is_label_line(line: &str) -> bool {
    let name = line.split([':', ';']).next().unwrap_or_default();
    let name = name.rsplit('.').next().unwrap_or_default();
    name.eq_ignore_ascii_case("TEL") || name.eq_ignore_ascii_case("EMAIL")
}

fn card_details(lines: &[String]) -> impl Iterator<Item = &String> {
    lines.iter().filter(|l| !is_label_line(l))
}

/// The kept lines after a refresh: a card that says nothing of its details (only a label)
/// leaves the kept ones as they are, and its labels replace the old ones.
fn refreshed_extras(card: &[String], kept: &[String]) -> Vec<String> {
    if card_details(card).next().is_some() {
        return card.to_vec();
    }
    if card.is_empty() {
        return kept.to_vec();
    }
    card_details(kept)
        .chain(card.iter().filter(|l| is_label_line(l)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_with_only_a_label_keeps_the_photo_tend_had() {
        let kept = vec!["PHOTO:data".to_string(), "TEL;TYPE=CELL:1".to_string()];
        let label_only = vec!["TEL;TYPE=WORK:2".to_string()];
        assert_eq!(
            refreshed_extras(&label_only, &kept),
            vec!["PHOTO:data".to_string(), "TEL;TYPE=WORK:2".to_string()]
        );
        assert_eq!(refreshed_extras(&[], &kept), kept);
        let with_details = vec!["IMPP:x".to_string()];
        assert_eq!(refreshed_extras(&with_details, &kept), with_details);
        assert!(is_label_line("item1.TEL;TYPE=CELL:1"));
        assert!(!is_label_line("X-TELEGRAM:1"));
    }
}
