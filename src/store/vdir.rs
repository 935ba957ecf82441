//! The vdir sync's memory of each file (migration 10), and the contact stamps it compares.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::error::Result;

/// One file as tend and the folder last agreed on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Synced {
    pub file: String,
    pub text: String,
    pub mtime: i64,
    pub size: i64,
    pub stamp: String,
}

/// Every file of one kind ("contact", "follow_up"), by uid.
pub fn state(conn: &Connection, kind: &str) -> Result<HashMap<String, Synced>> {
    let mut stmt = conn.prepare_cached(
        "SELECT uid, file, text, mtime, size, stamp FROM vdir_state WHERE kind = ?1",
    )?;
    let rows = stmt.query_map([kind], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Synced {
                file: r.get(1)?,
                text: r.get(2)?,
                mtime: r.get(3)?,
                size: r.get(4)?,
                stamp: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn put(conn: &Connection, kind: &str, uid: &str, s: &Synced) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO vdir_state (kind, uid, file, text, mtime, size, stamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (kind, uid) DO UPDATE SET file = ?3, text = ?4, mtime = ?5, size = ?6,
                                               stamp = ?7",
    )?
    .execute(params![kind, uid, s.file, s.text, s.mtime, s.size, s.stamp])?;
    Ok(())
}

pub fn forget(conn: &Connection, kind: &str, uid: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM vdir_state WHERE kind = ?1 AND uid = ?2",
        params![kind, uid],
    )?;
    Ok(())
}

/// A contact as the sync sees it: which it is, its revision with its company's and referrer's
/// (whose names its card carries; migration 11), and whether it is archived.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub id: i64,
    pub uid: String,
    pub stamp: String,
    pub archived: bool,
    pub tags: Vec<String>,
    pub status: String,
}

pub fn contact_stamps(conn: &Connection) -> Result<Vec<Stamp>> {
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached("SELECT contact_id, tag FROM contact_tags")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.uid, c.rev || '.' || coalesce(co.rev, '') || '.' || coalesce(re.rev, ''),
                c.archived_at IS NOT NULL, c.status
           FROM contacts c LEFT JOIN contacts co ON co.id = c.company_id
                LEFT JOIN contacts re ON re.id = c.referred_by_id",
    )?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok(Stamp {
            id,
            uid: r.get(1)?,
            stamp: r.get(2)?,
            archived: r.get(3)?,
            tags: Vec::new(),
            status: r.get(4)?,
        })
    })?;
    let mut out: Vec<Stamp> = rows.collect::<rusqlite::Result<_>>()?;
    for s in &mut out {
        s.tags = tags.remove(&s.id).unwrap_or_default();
    }
    Ok(out)
}

/// One contact's stamp, as `contact_stamps` gives it.
pub fn stamp_of(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.query_row(
        "SELECT c.rev || '.' || coalesce(co.rev, '') || '.' || coalesce(re.rev, '')
           FROM contacts c LEFT JOIN contacts co ON co.id = c.company_id
                LEFT JOIN contacts re ON re.id = c.referred_by_id WHERE c.id = ?1",
        [id],
        |r| r.get(0),
    )?)
}
