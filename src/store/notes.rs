//! Notes (interactions) and their full-text index.

use rusqlite::{Connection, Row, params};

use super::contacts::parse_col;
use super::new_uid;
use crate::error::Result;
use crate::model::{Note, NoteKind};

pub fn insert(
    conn: &Connection,
    contact_id: i64,
    kind: NoteKind,
    body: &str,
    at: &str,
    now: &str,
) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO notes (id, uid, contact_id, kind, body, at, created_at)
         VALUES ({}, ?1, ?2, ?3, ?4, ?5, ?6)",
        super::next_id("notes")
    ))?
    .execute(params![new_uid(), contact_id, kind.as_str(), body, at, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM notes WHERE id = ?1", [id])? > 0)
}

fn note_from_row(r: &Row) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        uid: r.get(1)?,
        contact_id: r.get(2)?,
        contact: r.get(3)?,
        kind: parse_col(r, 4)?,
        body: r.get(5)?,
        at: r.get(6)?,
    })
}

/// The latest `limit` notes for one contact, newest first.
pub fn recent_for(conn: &Connection, contact_id: i64, limit: usize) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.uid, n.contact_id, c.name, n.kind, n.body, n.at
           FROM notes n JOIN contacts c ON c.id = n.contact_id
          WHERE n.contact_id = ?1 ORDER BY n.at DESC, n.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![contact_id, limit as i64], note_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_for(conn: &Connection, contact_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM notes WHERE contact_id = ?1",
        [contact_id],
        |r| r.get(0),
    )?)
}

/// How many of the newest notes search reads and matches itself before it asks the full-text
/// index. A common word is found among them (a tenth of all notes say "quote"), and the index
/// would hand over every one of its matches to be sorted by date; a rare word is not, and then
/// the index's matches are few. Each is a page read of its own (notes by date are spread over
/// the table), so this is kept to what a word in one note of fifty fills.
const NEWEST_READ: i64 = 1000;

/// Notes matching every word of `query` (prefixes count), newest first.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<Note>> {
    if query.chars().any(is_cjk) {
        return containing(conn, query, limit);
    }
    let Some(fts) = fts_query(query) else {
        return Ok(Vec::new());
    };
    // An answer from the index that nothing matches is quicker than reading the newest notes
    // to find none (a typo, or a word only a contact's name holds).
    let mut any =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM notes_fts WHERE notes_fts MATCH ?1)")?;
    if !any.query_row([&fts], |r| r.get::<_, bool>(0))? {
        return Ok(Vec::new());
    }
    let prefixes = crate::model::words::words(query);
    let (newest, complete) = newest_matching(conn, &prefixes, limit)?;
    if newest.len() >= limit || complete {
        return Ok(newest);
    }
    // Fewer than `limit` among the newest: the index's matches are few, so sort them all.
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.uid, n.contact_id, c.name, n.kind, n.body, n.at
           FROM notes_fts CROSS JOIN notes n ON n.id = notes_fts.rowid
                JOIN contacts c ON c.id = n.contact_id
          WHERE notes_fts MATCH ?1
          ORDER BY n.at DESC, n.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![fts, limit as i64], note_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest notes (up to `limit`) among the `NEWEST_READ` newest that have every prefix, and
/// whether those were all the notes there are.
fn newest_matching(
    conn: &Connection,
    prefixes: &[String],
    limit: usize,
) -> Result<(Vec<Note>, bool)> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.uid, n.contact_id, '', n.kind, n.body, n.at
           FROM notes n INDEXED BY notes_at ORDER BY n.at DESC, n.id DESC LIMIT ?1",
    )?;
    let mut rows = stmt.query([NEWEST_READ])?;
    let mut read = 0;
    let mut found: Vec<Note> = Vec::new();
    while let Some(r) = rows.next()? {
        read += 1;
        let body: String = r.get(5)?;
        if crate::model::words::has_every_prefix(&body, prefixes) {
            found.push(note_from_row(r)?);
            if found.len() >= limit {
                break;
            }
        }
    }
    let mut name = conn.prepare_cached("SELECT name FROM contacts WHERE id = ?1")?;
    for n in &mut found {
        n.contact = name.query_row([n.contact_id], |r| r.get(0))?;
    }
    Ok((found, read < NEWEST_READ))
}

/// Quote each word so FTS5 reads what a person typed as words, never as query syntax.
fn fts_query(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Chinese, Japanese and Korean script: written without spaces, so the full-text index (which
/// splits at spaces) never finds a word inside a sentence.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Notes containing `query` as a substring, newest first (for CJK text): walks the notes by
/// date and stops after `limit` hits.
fn containing(conn: &Connection, query: &str, limit: usize) -> Result<Vec<Note>> {
    let pattern = format!("%{}%", super::like_escape(query.trim()));
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.uid, n.contact_id, c.name, n.kind, n.body, n.at
           FROM notes n INDEXED BY notes_at JOIN contacts c ON c.id = n.contact_id
          WHERE n.body LIKE ?1 ESCAPE '\\'
          ORDER BY n.at DESC, n.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![pattern, limit as i64], note_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?)
}

/// Write a note's contact, kind, text and time as given.
pub fn update(conn: &Connection, n: &Note) -> Result<()> {
    conn.execute(
        "UPDATE notes SET contact_id = ?2, kind = ?3, body = ?4, at = ?5 WHERE id = ?1",
        rusqlite::params![n.id, n.contact_id, n.kind.as_str(), n.body, n.at],
    )?;
    Ok(())
}

pub fn set_body(conn: &Connection, id: i64, body: &str) -> Result<()> {
    conn.execute(
        "UPDATE notes SET body = ?2 WHERE id = ?1",
        rusqlite::params![id, body],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Note>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT n.id, n.uid, n.contact_id, c.name, n.kind, n.body, n.at
               FROM notes n JOIN contacts c ON c.id = n.contact_id WHERE n.id = ?1",
            [id],
            note_from_row,
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn query_syntax_is_quoted_away() {
        assert_eq!(
            fts_query("quote NEAR(x)").unwrap(),
            "\"quote\"* \"NEAR\"* \"x\"*"
        );
        assert_eq!(fts_query("\"*:^"), None);
    }
}
