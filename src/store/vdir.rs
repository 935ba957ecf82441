//! The vdir sync's memory of each file (migration 10), and the contact stamps it compares.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// One file as the last sync left it: enough to tell whether it changed since, without its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub file: String,
    pub mtime: i64,
    pub size: i64,
    pub stamp: String,
}

/// One file as the last sync left it, with what it held then (`text`) and the version both
/// sides last agreed on (`base`, when that is older: see migration 12).
#[derive(Debug, Clone, PartialEq)]
pub struct Synced {
    pub file: String,
    pub text: String,
    pub base: Option<String>,
    pub mtime: i64,
    pub size: i64,
    pub stamp: String,
}

/// Every file of one kind ("contact", "follow_up"), by uid; texts are read only when needed.
pub fn state(conn: &Connection, kind: &str) -> Result<HashMap<String, Seen>> {
    let mut stmt = conn
        .prepare_cached("SELECT uid, file, mtime, size, stamp FROM vdir_state WHERE kind = ?1")?;
    let rows = stmt.query_map([kind], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Seen {
                file: r.get(1)?,
                mtime: r.get(2)?,
                size: r.get(3)?,
                stamp: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the file held at the last sync, and the version both sides last agreed on.
pub fn texts(conn: &Connection, kind: &str, uid: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT text, coalesce(base, text) FROM vdir_state WHERE kind = ?1 AND uid = ?2",
        )?
        .query_row(params![kind, uid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// One file's state, when the last sync left one.
pub fn state_of(conn: &Connection, kind: &str, uid: &str) -> Result<Option<Seen>> {
    Ok(conn
        .prepare_cached(
            "SELECT file, mtime, size, stamp FROM vdir_state WHERE kind = ?1 AND uid = ?2",
        )?
        .query_row(params![kind, uid], |r| {
            Ok(Seen {
                file: r.get(0)?,
                mtime: r.get(1)?,
                size: r.get(2)?,
                stamp: r.get(3)?,
            })
        })
        .optional()?)
}

pub fn put(conn: &Connection, kind: &str, uid: &str, s: &Synced) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO vdir_state (kind, uid, file, text, base, mtime, size, stamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (kind, uid) DO UPDATE SET file = ?3, text = ?4, base = ?5, mtime = ?6,
                                               size = ?7, stamp = ?8",
    )?
    .execute(params![
        kind,
        uid,
        s.file,
        s.text,
        s.base.as_ref().filter(|b| **b != s.text),
        s.mtime,
        s.size,
        s.stamp
    ])?;
    Ok(())
}

/// The file's mtime, size and stamp moved on, its content did not.
pub fn put_seen(conn: &Connection, kind: &str, uid: &str, s: &Seen) -> Result<()> {
    conn.prepare_cached(
        "UPDATE vdir_state SET file = ?3, mtime = ?4, size = ?5, stamp = ?6
          WHERE kind = ?1 AND uid = ?2",
    )?
    .execute(params![kind, uid, s.file, s.mtime, s.size, s.stamp])?;
    Ok(())
}

/// The folder the files of `kind` were last synced with (settings `vdir.KIND.folder`).
pub fn folder_of(conn: &Connection, kind: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([format!("vdir.{kind}.folder")], |r| r.get(0))
        .optional()?)
}

/// A new folder for `kind`: what tend remembers of the old one's files is dropped (nothing in
/// tend changes), so the next sync writes everything there afresh.
pub fn start_folder(conn: &Connection, kind: &str, folder: &str) -> Result<()> {
    conn.execute("DELETE FROM vdir_state WHERE kind = ?1", [kind])?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = ?2",
        params![format!("vdir.{kind}.folder"), folder],
    )?;
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
