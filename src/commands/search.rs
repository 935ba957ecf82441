//! Search: contacts by fuzzy name or by what their details contain, notes by full text (or
//! by substring for CJK, which has no spaces to split at), newest first, and follow-ups.

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

pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Found> {
    let q = query.trim();
    let hits = find::fuzzy(q, &contacts::all_names(conn)?);
    let mut hits: Vec<ContactHit> = find::with_details(conn, hits, limit)?
        .into_iter()
        .map(|contact| ContactHit {
            contact,
            matched: "name".into(),
        })
        .collect();
    for (contact, matched) in contacts::details_containing(conn, q, limit)? {
        if !hits.iter().any(|h| h.contact.id == contact.id) {
            hits.push(ContactHit { contact, matched });
        }
    }
    hits.truncate(limit);
    Ok(Found {
        contacts: hits,
        notes: notes::search(conn, q, limit)?,
        follow_ups: crate::store::followups::containing(conn, q, limit)?,
    })
}
