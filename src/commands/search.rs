//! Search: contacts by the words of their name or by what their details contain, notes by
//! full text (or by substring for CJK, which has no spaces to split at), newest first, and
//! follow-ups; a fuzzy match of names when nothing else matches.

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Candidate, Result};
use crate::find;
use crate::model::note::Note;
use crate::store::{contacts, notes};

#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub contacts: Vec<ContactHit>,
    pub notes: Vec<Note>,
    /// Follow-ups whose text contains the query (open ones first).
    pub follow_ups: Vec<crate::model::followup::FollowUp>,
}

/// A contact search found, and why: "name", or the detail that holds the text ("email: …",
/// "tag: vip", "likes: sourdough", "company: …").
#[derive(Debug, Clone, Serialize)]
pub struct ContactHit {
    #[serde(flatten)]
    pub contact: Candidate,
    pub matched: String,
}

/// Contacts whose name has words starting with the query's (from the index of names), then
/// those whose details hold it; notes; follow-ups. Only when all of that finds nothing are
/// all names matched fuzzily, for a typo ("alsmth"): reading every name is the one part of a
/// search that grows with the book, so it runs only when nothing else answered.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Found> {
    let q = query.trim();
    // Names that start so (from the index, in order), then names with a later word that does.
    let mut named = contacts::name_starts(conn, q, limit)?;
    if named.len() < limit {
        for c in contacts::prefix(conn, q)? {
            if named.len() < limit && !named.iter().any(|n| n.id == c.id) {
                named.push(c);
            }
        }
    }
    let mut hits: Vec<ContactHit> = named
        .into_iter()
        .map(|contact| ContactHit {
            contact,
            matched: "name".into(),
        })
        .collect();
    // Details fill what room the names left.
    if hits.len() < limit {
        for (contact, matched) in contacts::details_containing(conn, q, limit)? {
            if !hits.iter().any(|h| h.contact.id == contact.id) {
                hits.push(ContactHit { contact, matched });
            }
        }
        hits.truncate(limit);
    }
    let notes = notes::search(conn, q, limit)?;
    let follow_ups = crate::store::followups::containing(conn, q, limit)?;
    if hits.is_empty() && notes.is_empty() && follow_ups.is_empty() {
        let fuzzy = find::fuzzy_names(conn, q)?;
        hits = find::with_details(conn, fuzzy, limit)?
            .into_iter()
            .map(|contact| ContactHit {
                contact,
                matched: "name".into(),
            })
            .collect();
    }
    Ok(Found {
        contacts: hits,
        notes,
        follow_ups,
    })
}
