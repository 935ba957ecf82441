//! Adding, editing, tagging and archiving contacts; the profile `tend show` prints.

use rusqlite::Connection;
use serde::Serialize;

use super::undo::Undo;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::contact::{Contact, ContactKind, Status, tags_in};
use crate::model::followup::FollowUp;
use crate::model::note::Note;
use crate::store::contacts::{self as store_contacts, ContactPatch, NewContact};
use crate::store::{Store, followups, notes};

#[derive(Debug, Clone, Default)]
pub struct AddContact {
    pub name: String,
    pub kind: Option<ContactKind>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub company: Option<String>,
    pub status: Option<Status>,
    pub source: Option<String>,
    pub referred_by: Option<i64>,
    pub tags: Vec<String>,
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub contact: Contact,
    /// Things worth a second look, e.g. a contact with the same name already exists.
    pub warnings: Vec<String>,
}

impl Added {
    pub fn undo(&self) -> Undo {
        Undo::DeleteContact {
            contact_id: self.contact.id,
        }
    }
}

pub fn add(store: &mut Store, clock: &Clock, input: AddContact) -> Result<Added> {
    let name = crate::commands::required_text(
        &input.name,
        "the name",
        "give a name, e.g. tend add \"Alice Smith\"",
    )?;
    let email = clean_email(input.email.as_deref())?;
    let now = clock.stamp();
    let status = input.status.unwrap_or(Status::Lead);
    let id = store.write(|tx| {
        let mut warnings = Vec::new();
        for same in store_contacts::exact(tx, &name)? {
            warnings.push(format!(
                "#{} {} already exists; both are kept",
                same.id, same.name
            ));
        }
        if let Some(e) = &email {
            for same in store_contacts::exact(tx, e)?
                .into_iter()
                .filter(|c| c.name != name)
            {
                warnings.push(format!("#{} {} has the same email", same.id, same.name));
            }
        }
        let company_id = match input
            .company
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(c) => Some(company(tx, c, status, &now)?),
            None => None,
        };
        let id = store_contacts::insert(
            tx,
            &NewContact {
                kind: input.kind,
                name: name.clone(),
                company_id,
                email: email.clone(),
                phone: clean(input.phone.as_deref()),
                address: clean(input.address.as_deref()),
                status: Some(status),
                source: clean(input.source.as_deref()),
                referred_by_id: input.referred_by,
            },
            &now,
        )?;
        for t in input.tags.iter().flat_map(|t| tags_in(t)) {
            store_contacts::add_tag(tx, id, &t)?;
        }
        for (k, v) in &input.fields {
            store_contacts::set_field(tx, id, k, v)?;
        }
        Ok((id, warnings))
    })?;
    Ok(Added {
        contact: store_contacts::get(store.conn(), id.0)?,
        warnings: id.1,
    })
}

/// The company of that name, made on the spot (with the person's status) if new.
pub(crate) fn company(tx: &Connection, name: &str, status: Status, now: &str) -> Result<i64> {
    if let Some(id) = store_contacts::company_named(tx, name)? {
        return Ok(id);
    }
    store_contacts::insert(
        tx,
        &NewContact {
            kind: Some(ContactKind::Company),
            name: name.to_string(),
            status: Some(status),
            ..NewContact::default()
        },
        now,
    )
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub(crate) fn clean_email(s: Option<&str>) -> Result<Option<String>> {
    // Something before the @ and a domain after it: not a full check of the address (only
    // sending to it is), but "bad@" and "@x.com" are typos, not addresses.
    let looks_right = |e: &str| {
        e.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        }) && !e.contains(char::is_whitespace)
    };
    match clean(s) {
        Some(e) if !looks_right(&e) => Err(Error::invalid_with_hint(
            format!("'{e}' does not look like an email address"),
            "write it as name@example.com, or leave the email out",
        )),
        other => Ok(other),
    }
}

/// A change to a contact. For the text fields, `Some("")` clears the field.
#[derive(Debug, Clone, Default)]
pub struct EditContact {
    pub name: Option<String>,
    pub kind: Option<ContactKind>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub company: Option<String>,
    pub status: Option<Status>,
    pub source: Option<String>,
    /// `Some(None)` clears who referred them.
    pub referred_by: Option<Option<i64>>,
    pub set_fields: Vec<(String, String)>,
    pub unset_fields: Vec<String>,
}

/// A contact as an edit left it, and how to put it back.
#[derive(Debug, Clone)]
pub struct Edited {
    pub contact: Contact,
    pub undo: Undo,
}

pub fn edit(store: &mut Store, clock: &Clock, id: i64, e: EditContact) -> Result<Edited> {
    if let Some(n) = &e.name {
        crate::commands::required_text(n, "the new name", "give a name, or leave --name out")?;
    }
    if e.referred_by == Some(Some(id)) {
        return Err(Error::invalid("a contact cannot refer themselves"));
    }
    let email = match &e.email {
        Some(s) => Some(clean_email(Some(s))?),
        None => None,
    };
    let now = clock.stamp();
    let undo = store.write(|tx| {
        let current = store_contacts::get(tx, id)?;
        let mark = store_contacts::status_mark(tx, id)?;
        let company_id = match e.company.as_deref().map(str::trim) {
            Some("") => Some(None),
            Some(c) => Some(Some(company(tx, c, current.status, &now)?)),
            None => None,
        };
        if company_id == Some(Some(id)) {
            return Err(Error::invalid("a company cannot belong to itself"));
        }
        let patch = ContactPatch {
            name: e.name.clone(),
            kind: e.kind,
            company_id,
            email,
            phone: e.phone.as_deref().map(|p| clean(Some(p))),
            address: e.address.as_deref().map(|p| clean(Some(p))),
            status: e.status,
            source: e.source.as_deref().map(|p| clean(Some(p))),
            referred_by_id: e.referred_by,
        };
        let nothing = patch.is_empty() && e.set_fields.is_empty() && e.unset_fields.is_empty();
        if nothing {
            return Err(Error::invalid_with_hint(
                "nothing to change",
                "name a field, e.g. tend edit alice --phone \"07700 900123\" --field likes=\"lemon cake\"",
            ));
        }
        store_contacts::update(tx, id, &patch, &now)?;
        for (k, v) in &e.set_fields {
            store_contacts::set_field(tx, id, k, v)?;
        }
        for k in &e.unset_fields {
            if !store_contacts::unset_field(tx, id, k)? {
                return Err(Error::invalid(format!("{} has no field '{k}'; nothing was changed", current.name)));
            }
        }
        Ok(Undo::RestoreContact {
            before: Box::new(current),
            mark,
        })
    })?;
    Ok(Edited {
        contact: store_contacts::get(store.conn(), id)?,
        undo,
    })
}

/// Add and remove tags; returns the contact as it now is.
pub fn tag(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    add: &[String],
    remove: &[String],
) -> Result<(Contact, Undo)> {
    let add: Vec<String> = add.iter().flat_map(|t| tags_in(t)).collect();
    let remove: Vec<String> = remove.iter().flat_map(|t| tags_in(t)).collect();
    if add.is_empty() && remove.is_empty() {
        return Err(Error::invalid_with_hint(
            "no tags given",
            "e.g. tend tag alice vip bakery",
        ));
    }
    let now = clock.stamp();
    let before = store.write(|tx| {
        let before = store_contacts::get(tx, id)?.tags;
        for t in &add {
            store_contacts::add_tag(tx, id, t)?;
        }
        for t in &remove {
            store_contacts::remove_tag(tx, id, t)?;
        }
        store_contacts::touch(tx, id, &now)?;
        Ok(before)
    })?;
    Ok((
        store_contacts::get(store.conn(), id)?,
        Undo::RestoreTags {
            contact_id: id,
            tags: before,
        },
    ))
}

/// Archive a contact (or bring one back); the undo puts the mark back as it was.
pub fn set_archived(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    archived: bool,
) -> Result<(Contact, Undo)> {
    let now = clock.stamp();
    let before = store.write(|tx| {
        let before = store_contacts::archived_at(tx, id)?;
        store_contacts::set_archived(tx, id, archived.then_some(now.as_str()), &now)?;
        Ok(before)
    })?;
    Ok((
        store_contacts::get(store.conn(), id)?,
        Undo::RestoreArchived {
            contact_id: id,
            archived_at: before,
        },
    ))
}

/// Set how often to be in touch with a contact: a cadence of their own, `off`, or (None) back
/// to the defaults for their tags and status.
pub fn set_cadence(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    cadence: Option<crate::model::cadence::Cadence>,
) -> Result<(Contact, Undo)> {
    let now = clock.stamp();
    let code = cadence.map(|c| c.code());
    let before = store.write(|tx| {
        let before = store_contacts::get(tx, id)?.cadence;
        store_contacts::set_cadence(tx, id, code.as_deref(), &now)?;
        Ok(before)
    })?;
    Ok((
        store_contacts::get(store.conn(), id)?,
        Undo::RestoreCadence {
            contact_id: id,
            cadence: before,
        },
    ))
}

/// A contact deleted with everything recorded for it, how much that was, and its undo.
#[derive(Debug, Clone)]
pub struct Deleted {
    pub contact: Contact,
    /// Rows that went with it (notes, follow-ups, deals, entries, checklists, …).
    pub rows: usize,
    pub undo: Undo,
}

/// What deleting a contact would take with it, as "12 notes, 3 follow-ups" (for the question).
pub fn what_goes(conn: &Connection, id: i64) -> Result<String> {
    let all = crate::store::rows::contact_and_all(conn, id)?;
    let count = |t: &str| all.iter().filter(|(table, _)| table == t).count();
    let parts: Vec<String> = [
        ("notes", "note", "notes"),
        ("follow_ups", "follow-up", "follow-ups"),
        ("deals", "deal", "deals"),
        ("money_entries", "money entry", "money entries"),
        ("time_entries", "time entry", "time entries"),
        ("checklists", "checklist", "checklists"),
    ]
    .iter()
    .filter_map(|(t, one, many)| match count(t) {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    })
    .collect();
    Ok(if parts.is_empty() {
        "nothing else".into()
    } else {
        parts.join(", ")
    })
}

/// Delete a contact and everything recorded for it; the undo puts all of it back.
pub fn delete(store: &mut Store, id: i64) -> Result<Deleted> {
    store.write(|tx| {
        let contact = store_contacts::get(tx, id)?;
        let rows = crate::store::rows::contact_and_all(tx, id)?;
        let (members, referred) = store_contacts::linked_to(tx, id)?;
        store_contacts::delete(tx, id)?;
        Ok(Deleted {
            contact,
            rows: rows.len().saturating_sub(1),
            undo: Undo::RestoreContactWhole {
                rows,
                members,
                referred,
            },
        })
    })
}

/// Everything `tend show` prints about one contact.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub contact: Contact,
    pub members: Vec<Member>,
    pub open_follow_ups: Vec<FollowUp>,
    pub recent_notes: Vec<Note>,
    pub note_count: i64,
    /// How often to be in touch, and when next (filled by callers that read config.toml).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub touch: Option<crate::commands::agenda::Touch>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
}

pub fn profile(conn: &Connection, id: i64, notes_shown: usize) -> Result<Profile> {
    let contact = store_contacts::get(conn, id)?;
    let members = store_contacts::members(conn, id)?
        .into_iter()
        .map(|(id, name)| Member { id, name })
        .collect();
    Ok(Profile {
        contact,
        members,
        open_follow_ups: followups::open_for(conn, id)?,
        recent_notes: notes::recent_for(conn, id, notes_shown)?,
        note_count: notes::count_for(conn, id)?,
        touch: None,
    })
}
