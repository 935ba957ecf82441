//! Hygiene: who has no next step, leads gone quiet, likely duplicates, deals past their
//! expected close, and the database's own integrity. And `merge`, which mends duplicates.

use std::collections::HashMap;

use chrono::Days;
use rusqlite::Connection;
use serde::Serialize;

use crate::clock::Clock;
use crate::commands::agenda::total_of;
use crate::commands::undo::Undo;
use crate::error::{Error, Result};
use crate::model::Deal;
use crate::store::contacts::{self, Neglected};
use crate::store::reports::Identity;
use crate::store::{Store, reports};

#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub a: (i64, String),
    pub b: (i64, String),
    pub reason: String,
}

/// How many of a long list the checkup keeps; its count is of all.
pub const LISTED: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct Checkup {
    /// The first `LISTED`, longest neglected first.
    pub no_next_step: Vec<Neglected>,
    pub no_next_step_total: usize,
    /// The first `LISTED`, quiet longest first.
    pub stale_leads: Vec<(i64, String, Option<String>)>,
    pub stale_leads_total: usize,
    pub stale_after_days: u32,
    pub duplicates: Vec<Duplicate>,
    pub overdue_deals: Vec<Deal>,
    /// Whether the whole file was read for the integrity checks (`--full`); the cheap checks
    /// always run.
    pub full: bool,
    pub integrity: Vec<String>,
    /// Full-text indexes out of step with what they index (mended by a rebuild).
    pub search_indexes: Vec<String>,
    /// The money and time sums out of step with the entries (mended by a rebuild).
    pub sums: Vec<String>,
    /// Set when the database sits in a live-synced folder.
    pub location: Option<String>,
}

impl Checkup {
    pub fn problems(&self) -> usize {
        usize::from(self.location.is_some())
            + self.no_next_step_total
            + self.stale_leads_total
            + self.duplicates.len()
            + self.overdue_deals.len()
            + self.integrity.len()
            + self.search_indexes.len()
            + self.sums.len()
    }
}

/// The checkup. Without `full` it reads what is small or indexed, one pass over the contacts
/// for duplicates (holding a fingerprint of each, not the contact) and one over the money and
/// time entries for their sums, in bounded memory; `full` adds SQLite's integrity and
/// foreign-key checks, the search indexes' own check and the exact check of every sum, which
/// read the whole file.
pub fn checkup(
    conn: &Connection,
    clock: &Clock,
    stale_after_days: u32,
    full: bool,
) -> Result<Checkup> {
    let today = clock.today();
    let before = quiet_since(clock, stale_after_days);
    let no_next_step = contacts::without_next_step(conn, Some(LISTED))?;
    let no_next_step_total = total_of(no_next_step.len(), Some(LISTED), || {
        contacts::count_without_next_step(conn, None)
    })?;
    let stale_leads = reports::stale_leads(conn, &before, Some(LISTED))?;
    let stale_leads_total = total_of(stale_leads.len(), Some(LISTED), || {
        Ok(usize::try_from(reports::hygiene_counts(conn, &before, today)?.0).unwrap_or(0))
    })?;
    let mut sums = reports::rollup_total_problems(conn)?;
    if full && sums.is_empty() {
        sums = reports::rollup_differences(conn)?;
    }
    Ok(Checkup {
        no_next_step,
        no_next_step_total,
        stale_leads,
        stale_leads_total,
        stale_after_days,
        duplicates: duplicates_in(conn)?,
        overdue_deals: reports::open_deals(conn)?
            .into_iter()
            .filter(|d| d.expected_close.is_some_and(|e| e < today))
            .collect(),
        location: conn
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| crate::config::sync_risk(std::path::Path::new(p))),
        full,
        integrity: if full {
            reports::integrity(conn)?
        } else {
            Vec::new()
        },
        search_indexes: if full {
            reports::search_index_problems(conn)?
        } else {
            Vec::new()
        },
        sums,
    })
}

/// The timestamp before which a lead with no interaction counts as gone quiet.
fn quiet_since(clock: &Clock, days: u32) -> String {
    let today = clock.today();
    today
        .checked_sub_days(Days::new(days.into()))
        .unwrap_or(today)
        .format("%Y-%m-%dT00:00:00Z")
        .to_string()
}

/// Lower case, letters and digits only: "O'Neill, Jo" and "jo oneill" meet.
fn name_key(name: &str) -> String {
    let mut words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.join(" ")
}

fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    // Compare the last nine digits so "+44 7700 900123" and "07700 900123" meet.
    digits[digits.len().saturating_sub(9)..].to_string()
}

/// The three things that tell contacts apart, as the checks compare them: email (any case),
/// the last nine digits of the phone, and the name's words in any order.
fn keys(p: &Identity) -> [Option<String>; 3] {
    [
        p.email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty()),
        p.phone.as_deref().map(phone_key).filter(|k| k.len() >= 7),
        Some(name_key(&p.name)).filter(|k| !k.is_empty()),
    ]
}

const REASONS: [&str; 3] = ["same email", "same phone", "same name"];

/// Finds pairs that share a key, holding a 64-bit fingerprint of each key and the first
/// contact's id, not the contacts: a hundred thousand of them take a few megabytes. A
/// fingerprint match is a candidate, confirmed on the two contacts' own keys.
#[derive(Default)]
struct Finder {
    first: [HashMap<u64, i64>; 3],
    seen: std::collections::HashSet<(i64, i64)>,
    /// (first, later, which key)
    pairs: Vec<(i64, i64, usize)>,
}

impl Finder {
    fn add(&mut self, p: &Identity) {
        for (i, key) in keys(p).into_iter().enumerate() {
            let Some(key) = key else { continue };
            let print = {
                use std::hash::{Hash, Hasher};
                let mut h = std::hash::DefaultHasher::new();
                key.hash(&mut h);
                h.finish()
            };
            match self.first[i].get(&print) {
                Some(&first) if self.seen.insert((first, p.id)) => {
                    self.pairs.push((first, p.id, i));
                }
                Some(_) => {}
                None => {
                    self.first[i].insert(print, p.id);
                }
            }
        }
    }
}

/// Pairs that share an email or a phone number, or whose names are the same words (in any
/// order, case or punctuation). Grouping by key keeps this linear at 10,000 contacts.
pub fn duplicates(people: &[Identity]) -> Vec<Duplicate> {
    let mut f = Finder::default();
    for p in people {
        f.add(p);
    }
    let by_id: HashMap<i64, &Identity> = people.iter().map(|p| (p.id, p)).collect();
    confirmed(f.pairs, |id| Ok(by_id.get(&id).map(|p| (*p).clone()))).unwrap_or_default()
}

/// The duplicates among every unarchived contact of the database, read one at a time.
fn duplicates_in(conn: &Connection) -> Result<Vec<Duplicate>> {
    let mut f = Finder::default();
    reports::each_identity(conn, |p| f.add(&p))?;
    confirmed(f.pairs, |id| reports::identity(conn, id))
}

fn confirmed(
    pairs: Vec<(i64, i64, usize)>,
    mut get: impl FnMut(i64) -> Result<Option<Identity>>,
) -> Result<Vec<Duplicate>> {
    let mut out = Vec::new();
    for (a, b, i) in pairs {
        let (Some(a), Some(b)) = (get(a)?, get(b)?) else {
            continue;
        };
        if keys(&a)[i].is_some() && keys(&a)[i] == keys(&b)[i] {
            out.push(Duplicate {
                a: (a.id, a.name),
                b: (b.id, b.name),
                reason: REASONS[i].to_string(),
            });
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    pub kept: i64,
    pub name: String,
    pub notes: i64,
    pub follow_ups: i64,
    pub deals: i64,
    pub entries: i64,
    /// The duplicate's values that differed, and the fields they are kept in now.
    pub folded: Vec<String>,
    /// Splits them again.
    #[serde(skip)]
    pub undo: Undo,
}

/// Merge contact `from` into `into`: nothing of `from`'s is lost; `into`'s details win where
/// both have one.
pub fn merge(store: &mut Store, clock: &Clock, into: i64, from: i64) -> Result<Merged> {
    if into == from {
        return Err(Error::invalid("those are the same contact"));
    }
    let now = clock.stamp();
    let (counts, folded, undo) = store.write(|tx| {
        let kept = contacts::get(tx, into)?;
        let other = contacts::get(tx, from)?;
        if kept.kind != other.kind {
            return Err(Error::invalid_with_hint(
                format!(
                    "#{} {} is a {} and #{} {} a {}: a merge is for two records of the same one",
                    kept.id,
                    kept.name,
                    kept.kind.as_str(),
                    other.id,
                    other.name,
                    other.kind.as_str()
                ),
                "to say someone works at a company: tend edit PERSON --company COMPANY",
            ));
        }
        // Both as they were, whole, so that undo can split them again.
        let mut whole = Vec::new();
        for id in [into, from] {
            let (members, referred) = contacts::linked_to(tx, id)?;
            whole.push(crate::commands::undo::Whole {
                rows: crate::store::rows::contact_and_all(tx, id)?,
                members,
                referred,
            });
        }
        // Values that differ are kept beside the kept contact's own, as fields that say so.
        let fold = crate::model::merge::fold(&kept, &other);
        for (k, v) in &fold.extra_fields {
            contacts::set_field(tx, into, k, v)?;
        }
        let counts = contacts::merge_into(tx, into, from, &now)?;
        Ok((counts, fold.kept, Undo::Unmerge { into, whole }))
    })?;
    Ok(Merged {
        kept: into,
        name: contacts::get(store.conn(), into)?.name,
        notes: counts[0],
        follow_ups: counts[1],
        deals: counts[2],
        entries: counts[3],
        folded,
        undo,
    })
}

/// The one line Today shows, if anything needs a look: quiet leads and overdue deals, from
/// cheap counts (`tend doctor` has the full story, duplicates included).
pub fn summary_line(
    conn: &Connection,
    clock: &Clock,
    stale_after_days: u32,
) -> Result<Option<String>> {
    let today = clock.today();
    let before = quiet_since(clock, stale_after_days);
    let (stale, overdue) = reports::hygiene_counts(conn, &before, today)?;
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if stale > 0 {
        parts.push(plural(stale, "lead gone quiet", "leads gone quiet"));
    }
    if overdue > 0 {
        parts.push(plural(
            overdue,
            "deal past expected close",
            "deals past expected close",
        ));
    }
    Ok((!parts.is_empty()).then(|| format!("{}: tend doctor", parts.join(", "))))
}

/// Build what is derived from the data again, in one transaction: the full-text indexes from
/// the notes and names they index, and the money and time sums from the entries (`tend doctor
/// --rebuild`); returns what is still wrong afterwards (nothing, normally).
pub fn rebuild_derived(store: &mut crate::store::Store) -> Result<Vec<String>> {
    store.write(|tx| {
        reports::rebuild_search_indexes(tx)?;
        reports::rebuild_rollup(tx)
    })?;
    let mut left = reports::search_index_problems(store.conn())?;
    left.extend(reports::rollup_differences(store.conn())?);
    Ok(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64, name: &str, email: Option<&str>, phone: Option<&str>) -> Identity {
        Identity {
            id,
            name: name.into(),
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
        }
    }

    #[test]
    fn duplicates_by_email_phone_and_name_words() {
        let people = [
            p(1, "Jo O'Neill", Some("jo@x.com"), Some("+44 7700 900123")),
            p(2, "oneill jo", None, None),
            p(3, "Someone Else", Some("JO@x.com "), None),
            p(4, "Another", None, Some("07700 900123")),
            p(5, "Unrelated", Some("u@x.com"), Some("123")),
        ];
        let d = duplicates(&people);
        let pairs: Vec<(i64, i64, &str)> = d
            .iter()
            .map(|d| (d.a.0, d.b.0, d.reason.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                (1, 2, "same name"),
                (1, 3, "same email"),
                (1, 4, "same phone")
            ]
        );
    }
}
