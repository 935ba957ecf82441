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
    pub contacts: Vec<Candidate>,
    pub notes: Vec<Note>,
    /// Follow-ups whose text contains the query (open ones first).
    pub follow_ups: Vec<crate::model::followup::FollowUp>,
}

pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Found> {
    let q = query.trim();
    let hits = find::fuzzy(q, &contacts::all_names(conn)?);
    let mut hits = find::with_details(conn, hits, limit)?;
    for c in contacts::details_containing(conn, q, limit)? {
        if !hits.iter().any(|h| h.id == c.id) {
            hits.push(c);
        }
    }
    hits.truncate(limit);
    Ok(Found {
        contacts: hits,
        notes: notes::search(conn, q, limit)?,
        follow_ups: crate::store::followups::containing(conn, q, limit)?,
    })
}
