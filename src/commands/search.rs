//! Search: contacts by fuzzy name or by what their details contain, and notes by full text
//! (newest first).

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
    })
}
