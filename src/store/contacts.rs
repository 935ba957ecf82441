//! Contacts, their tags and profile fields.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};

use super::{like_escape, new_uid};
use crate::error::{Candidate, Error, Result};
use crate::model::{Contact, ContactKind, ContactRow, Status};

/// What `tend add` stores.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub kind: Option<ContactKind>,
    pub name: String,
    pub company_id: Option<i64>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub status: Option<Status>,
    pub source: Option<String>,
    pub referred_by_id: Option<i64>,
}

/// A change to some fields: `Some(None)` clears a field, `None` leaves it alone.
#[derive(Debug, Clone, Default)]
pub struct ContactPatch {
    pub name: Option<String>,
    pub kind: Option<ContactKind>,
    pub company_id: Option<Option<i64>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub status: Option<Status>,
    pub source: Option<Option<String>>,
    pub referred_by_id: Option<Option<i64>>,
}

impl ContactPatch {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.kind.is_none()
            && self.company_id.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.address.is_none()
            && self.status.is_none()
            && self.source.is_none()
            && self.referred_by_id.is_none()
    }
}

pub fn insert(conn: &Connection, c: &NewContact, now: &str) -> Result<i64> {
    insert_with_uid(conn, &new_uid(), c, now)
}

pub fn insert_with_uid(conn: &Connection, uid: &str, c: &NewContact, now: &str) -> Result<i64> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO contacts (id, uid, kind, name, company_id, email, phone, address, status,
                               source, referred_by_id, created_at, updated_at)
         VALUES ({}, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        super::next_id("contacts")
    ))?;
    stmt.execute(params![
        uid,
        c.kind.unwrap_or(ContactKind::Person).as_str(),
        c.name.trim(),
        c.company_id,
        c.email,
        c.phone,
        c.address,
        c.status.unwrap_or(Status::Lead).as_str(),
        c.source,
        c.referred_by_id,
        now,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, p: &ContactPatch, now: &str) -> Result<()> {
    let mut sets: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut set = |col: &'static str, v: Value| {
        sets.push(col);
        values.push(v);
    };
    if let Some(n) = &p.name {
        set("name", Value::Text(n.trim().to_string()));
    }
    if let Some(k) = p.kind {
        set("kind", Value::Text(k.as_str().into()));
    }
    if let Some(c) = p.company_id {
        set("company_id", c.map_or(Value::Null, Value::Integer));
    }
    for (col, v) in [
        ("email", &p.email),
        ("phone", &p.phone),
        ("address", &p.address),
        ("source", &p.source),
    ] {
        if let Some(v) = v {
            set(col, v.clone().map_or(Value::Null, Value::Text));
        }
    }
    if let Some(s) = p.status {
        set("status", Value::Text(s.as_str().into()));
    }
    if let Some(r) = p.referred_by_id {
        set("referred_by_id", r.map_or(Value::Null, Value::Integer));
    }
    set("updated_at", Value::Text(now.into()));
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, col)| format!("{col} = ?{}", i + 1))
        .collect();
    values.push(Value::Integer(id));
    let sql = format!(
        "UPDATE contacts SET {} WHERE id = ?{}",
        assignments.join(", "),
        values.len()
    );
    conn.execute(&sql, params_from_iter(values))?;
    Ok(())
}

pub fn touch(conn: &Connection, id: i64, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET updated_at = ?2 WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

pub fn set_archived(
    conn: &Connection,
    id: i64,
    archived_at: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, archived_at, now],
    )?;
    Ok(())
}

/// The card lines kept for a contact (see migration 9), in order.
pub fn extras(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT line FROM contact_extras WHERE contact_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every contact's kept card lines, for an export.
pub fn all_extras(conn: &Connection) -> Result<std::collections::HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, line FROM contact_extras ORDER BY contact_id, position",
    )?;
    let mut out: std::collections::HashMap<i64, Vec<String>> = Default::default();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(out)
}

/// Make a contact's kept card lines exactly these.
pub fn set_extras(conn: &Connection, id: i64, lines: &[String]) -> Result<()> {
    conn.execute("DELETE FROM contact_extras WHERE contact_id = ?1", [id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO contact_extras (contact_id, position, line) VALUES (?1, ?2, ?3)",
    )?;
    for (i, line) in lines.iter().enumerate() {
        stmt.execute(params![id, i as i64, line])?;
    }
    Ok(())
}

/// When the contact was archived, or None.
pub fn archived_at(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT archived_at FROM contacts WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// Make the contact's tags exactly these.
pub fn set_tags(conn: &Connection, id: i64, tags: &[String], now: &str) -> Result<()> {
    conn.execute("DELETE FROM contact_tags WHERE contact_id = ?1", [id])?;
    for t in tags {
        add_tag(conn, id, t)?;
    }
    touch(conn, id, now)
}

pub fn add_tag(conn: &Connection, id: i64, tag: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)")?
        .execute(params![id, tag])?;
    Ok(n > 0)
}

pub fn remove_tag(conn: &Connection, id: i64, tag: &str) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2",
        params![id, tag],
    )?;
    Ok(n > 0)
}

pub fn set_field(conn: &Connection, id: i64, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO contact_fields (contact_id, key, value) VALUES (?1, ?2, ?3)
         ON CONFLICT (contact_id, key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![id, key, value])?;
    Ok(())
}

pub fn unset_field(conn: &Connection, id: i64, key: &str) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM contact_fields WHERE contact_id = ?1 AND key = ?2",
        params![id, key],
    )?;
    Ok(n > 0)
}

const CONTACT_COLUMNS: &str =
    "c.id, c.uid, c.kind, c.name, c.company_id, co.name, c.email, c.phone,
     c.address, c.status, c.source, c.referred_by_id, rb.name, c.last_note_at,
     c.archived_at IS NOT NULL, c.created_at, c.updated_at, c.cadence";

pub fn get(conn: &Connection, id: i64) -> Result<Contact> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts c
           LEFT JOIN contacts co ON co.id = c.company_id
           LEFT JOIN contacts rb ON rb.id = c.referred_by_id
          WHERE c.id = ?1"
    );
    let mut contact = conn
        .query_row(&sql, [id], contact_from_row)
        .optional()?
        .ok_or_else(|| Error::invalid(format!("contact #{id} does not exist")))?;
    contact.tags = tags(conn, id)?;
    contact.fields = fields(conn, id)?;
    Ok(contact)
}

fn contact_from_row(r: &Row) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        uid: r.get(1)?,
        kind: parse_col(r, 2)?,
        name: r.get(3)?,
        company_id: r.get(4)?,
        company: r.get(5)?,
        email: r.get(6)?,
        phone: r.get(7)?,
        address: r.get(8)?,
        status: parse_col(r, 9)?,
        source: r.get(10)?,
        referred_by_id: r.get(11)?,
        referred_by: r.get(12)?,
        tags: Vec::new(),
        fields: BTreeMap::new(),
        last_note_at: r.get(13)?,
        archived: r.get(14)?,
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
        cadence: r.get(17)?,
    })
}

/// Read a TEXT column into anything that parses from it (status, kind, ...).
pub(crate) fn parse_col<T: std::str::FromStr>(r: &Row, i: usize) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    let s = r.get_ref(i)?.as_str()?;
    s.parse::<T>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            e.to_string().into(),
        )
    })
}

pub fn tags(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag")?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn fields(conn: &Connection, id: i64) -> Result<BTreeMap<String, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT key, value FROM contact_fields WHERE contact_id = ?1")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// People who belong to a company.
pub fn members(conn: &Connection, company_id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name FROM contacts WHERE company_id = ?1 ORDER BY name")?;
    let rows = stmt.query_map([company_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A company of exactly this name (any case).
pub fn company_named(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM contacts WHERE kind = 'company' AND name = ?1 COLLATE NOCASE
             ORDER BY archived_at IS NOT NULL, id LIMIT 1",
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?)
}

fn candidate_from_row(r: &Row) -> rusqlite::Result<Candidate> {
    let email: Option<String> = r.get(2)?;
    let status: String = r.get(3)?;
    let archived: bool = r.get(4)?;
    let mut detail = vec![status];
    if let Some(e) = email {
        detail.insert(0, e);
    }
    if archived {
        detail.push("archived".into());
    }
    Ok(Candidate {
        id: r.get(0)?,
        name: r.get(1)?,
        detail: Some(detail.join(", ")),
    })
}

const CANDIDATE_COLUMNS: &str = "id, name, email, status, archived_at IS NOT NULL";

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Candidate>> {
    let sql = format!("SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], candidate_from_row).optional()?)
}

/// Contacts whose name or email is exactly `q`, any case.
pub fn exact(conn: &Connection, q: &str) -> Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE name = ?1 COLLATE NOCASE
         UNION
         SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE email = ?1 COLLATE NOCASE
         ORDER BY 2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([q.trim()], candidate_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The contact with this uid (tend's own, or the one an imported vCard or sheet carried).
/// The contact with this uid, or the one a contact with this uid was merged into.
pub fn id_by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM contacts WHERE uid = ?1
             UNION ALL SELECT contact_id FROM contact_aliases WHERE alias = ?1 LIMIT 1",
        )?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

/// Contacts whose email is exactly `email`, any case.
pub fn with_email(conn: &Connection, email: &str) -> Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE email = ?1 COLLATE NOCASE ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([email.trim()], candidate_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Contacts that carry `q` exactly (any case) as a further email or as a name or email kept
/// by a merge ("other name", "email (work)"): who `tend note alex@home.example` means.
pub fn by_other_value(conn: &Connection, q: &str) -> Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE id IN (
             SELECT contact_id FROM contact_fields INDEXED BY contact_fields_other_values
              WHERE (key GLOB 'other *' OR key GLOB 'email*') AND value = ?1 COLLATE NOCASE)
          ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([q.trim()], candidate_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Contacts of this kind ("person", "company") whose name is exactly `name`, any case: a
/// sole trader and their business often share a name, and a card is one or the other.
pub fn named_as(conn: &Connection, name: &str, kind: ContactKind) -> Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE name = ?1 COLLATE NOCASE AND kind = ?2 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![name.trim(), kind.as_str()], candidate_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Contacts whose name is exactly `name`, any case.
pub fn named(conn: &Connection, name: &str) -> Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts WHERE name = ?1 COLLATE NOCASE ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([name.trim()], candidate_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every contact with its tags and profile fields, companies first, then by name: what an
/// export writes (companies first so that reading the file back finds each person's company).
pub fn everyone(conn: &Connection) -> Result<Vec<Contact>> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts c
           LEFT JOIN contacts co ON co.id = c.company_id
           LEFT JOIN contacts rb ON rb.id = c.referred_by_id
          ORDER BY c.kind = 'person', c.name COLLATE NOCASE, c.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut all: Vec<Contact> = stmt
        .query_map([], contact_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let at: std::collections::HashMap<i64, usize> =
        all.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut stmt =
        conn.prepare("SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
            all[i].tags.push(r.get(1)?);
        }
    }
    let mut stmt = conn.prepare("SELECT contact_id, key, value FROM contact_fields")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = at.get(&r.get::<_, i64>(0)?) {
            all[i].fields.insert(r.get(1)?, r.get(2)?);
        }
    }
    Ok(all)
}

/// Contacts whose name starts with `q` (any case), unarchived first, then by name, at most
/// `limit`: read in order from the index of names, so a common first name costs no more than
/// the rows shown.
pub fn name_starts(conn: &Connection, q: &str, limit: usize) -> Result<Vec<Candidate>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts INDEXED BY contacts_name
          WHERE name LIKE ?1 ESCAPE '\\' AND (archived_at IS NOT NULL) = ?2
          ORDER BY name COLLATE NOCASE LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let pattern = format!("{}%", like_escape(q));
    let mut out = Vec::new();
    for archived in [false, true] {
        let left = limit.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        let rows = stmt.query_map(params![pattern, archived, left as i64], candidate_from_row)?;
        for c in rows {
            out.push(c?);
        }
    }
    Ok(out)
}

/// Contacts with a word of their name starting with `q` ("ann", "o'bri"; several words are
/// matched in order: "ann app"), any case and accent, from the full-text index of names.
pub fn prefix(conn: &Connection, q: &str) -> Result<Vec<Candidate>> {
    if !q.chars().any(char::is_alphanumeric) {
        return Ok(Vec::new());
    }
    // One FTS5 phrase whose last word is a prefix: the tokenizer splits it as it split names.
    let phrase = format!("\"{}\"*", q.trim().replace('"', "\"\""));
    let sql = format!(
        "SELECT {CANDIDATE_COLUMNS} FROM contacts
          WHERE id IN (SELECT rowid FROM contact_names WHERE contact_names MATCH ?1)
          ORDER BY archived_at IS NOT NULL, name LIMIT 50"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([phrase], candidate_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every contact's id and name, from the index of names (a tenth of the table's size).
pub fn names(conn: &Connection) -> Result<Vec<(i64, Box<str>)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM contacts INDEXED BY contacts_name")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get::<_, String>(1)?.into_boxed_str()))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The contacts whose name `keep` accepts, read from the names packed 128 to a row (migration
/// 22): a few hundred rows to read for 100,000 names, where the index of names would be stepped
/// through entry by entry.
///
/// `holds` is an ASCII letter (or digit) that every ASCII name `keep` accepts contains, in
/// either case, if there is one: of the ASCII names only those holding it are looked at, found
/// with `memchr` instead of name by name. Names with other letters always reach `keep`, which
/// folds them ("e" is in "Zoë").
pub fn names_where(
    conn: &Connection,
    holds: Option<u8>,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached("SELECT names FROM contact_name_packs")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    let mut take = |names: &str, line: std::ops::Range<usize>| {
        if let Some((id, name)) = pack_line(&names[line])
            && keep(name)
        {
            out.push(Candidate {
                id,
                name: name.to_string(),
                detail: None,
            });
        }
    };
    while let Some(row) = rows.next()? {
        // Text another program wrote as bad UTF-8 is read as best it can be, not an error that
        // would end the whole fuzzy match.
        let names =
            String::from_utf8_lossy(row.get_ref(0)?.as_bytes().map_err(rusqlite::Error::from)?);
        let names = names.as_ref();
        pack_lines(names.as_bytes(), holds, |line| take(names, line));
    }
    Ok(out)
}

/// The lines of a pack to look at, as byte ranges: every line, or with `holds` only those
/// holding that letter (either case) or a letter that is not ASCII, found with `memchr`.
fn pack_lines(bytes: &[u8], holds: Option<u8>, mut line: impl FnMut(std::ops::Range<usize>)) {
    let Some(b) = holds else {
        let mut start = 0;
        for end in memchr::memchr_iter(RS, bytes).chain([bytes.len()]) {
            line(start..end);
            start = end + 1;
        }
        return;
    };
    // The next line holding the letter, or a letter that is not ASCII, whichever comes first;
    // each found once and kept until the walk has passed it.
    let (lower, upper) = (b.to_ascii_lowercase(), b.to_ascii_uppercase());
    let next_hit = |from: usize| memchr::memchr2(lower, upper, &bytes[from..]).map(|i| from + i);
    let next_wide = |from: usize| {
        bytes[from..]
            .iter()
            .position(|c| !c.is_ascii())
            .map(|i| from + i)
    };
    let (mut hit, mut wide) = (next_hit(0), next_wide(0));
    while let Some(at) = hit.into_iter().chain(wide).min() {
        let start = memchr::memrchr(RS, &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(RS, &bytes[at..]).map_or(bytes.len(), |i| at + i);
        line(start..end);
        let from = (end + 1).min(bytes.len());
        if hit.is_some_and(|h| h < from) {
            hit = next_hit(from);
        }
        if wide.is_some_and(|w| w < from) {
            wide = next_wide(from);
        }
    }
}

/// One contact's "id US name" of a pack. Both separators are ASCII, so the slices fall on
/// character boundaries.
fn pack_line(line: &str) -> Option<(i64, &str)> {
    let cut = memchr::memchr(US, line.as_bytes())?;
    Some((line[..cut].parse().ok()?, &line[cut + 1..]))
}

/// The separators of the packed names: after each id (unit separator), after each name
/// (record separator).
const US: u8 = 0x1f;
const RS: u8 = 0x1e;

/// What `tend list` filters on.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub statuses: Vec<Status>,
    pub tags: Vec<String>,
    pub include_archived: bool,
    pub only_archived: bool,
    pub without_next_step: bool,
    pub kind: Option<ContactKind>,
}

pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<ContactRow>> {
    let mut conds: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if f.only_archived {
        conds.push("c.archived_at IS NOT NULL".into());
    } else if !f.include_archived {
        conds.push("c.archived_at IS NULL".into());
    }
    if !f.statuses.is_empty() {
        let marks: Vec<String> = f
            .statuses
            .iter()
            .map(|s| {
                values.push(Value::Text(s.as_str().into()));
                format!("?{}", values.len())
            })
            .collect();
        conds.push(format!("c.status IN ({})", marks.join(", ")));
    }
    for t in &f.tags {
        values.push(Value::Text(t.clone()));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = ?{})",
            values.len()
        ));
    }
    if let Some(k) = f.kind {
        values.push(Value::Text(k.as_str().into()));
        conds.push(format!("c.kind = ?{}", values.len()));
    }
    if f.without_next_step {
        conds.push(NO_NEXT_STEP.to_string());
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    // One sequential pass over the table (NOT INDEXED: the planner would walk the partial
    // status index and look each row up at random), tags and company names from one pass over
    // theirs, and the sort done here (SQLite's sorter, carrying whole rows, is slower still). A subquery per
    // contact for its tags cost more than all of that together.
    let sql = format!(
        "SELECT c.id, c.kind, c.name, c.status, c.email, c.phone, c.company_id, c.next_due,
                c.last_note_at, c.archived_at IS NOT NULL, ({NO_NEXT_STEP})
           FROM contacts c NOT INDEXED {filter}"
    );
    let mut tags = all_tags(conn)?;
    let companies = company_names(conn)?;
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        let id: i64 = r.get(0)?;
        let company_id: Option<i64> = r.get(6)?;
        Ok(ContactRow {
            id,
            kind: parse_col(r, 1)?,
            name: r.get(2)?,
            status: parse_col(r, 3)?,
            email: r.get(4)?,
            phone: r.get(5)?,
            company: company_id.and_then(|c| companies.get(&c).cloned()),
            tags: tags.remove(&id).unwrap_or_default(),
            next_due: r.get(7)?,
            last_note_at: r.get(8)?,
            archived: r.get(9)?,
            needs_next_step: r.get(10)?,
        })
    })?;
    let mut rows: Vec<ContactRow> = rows.collect::<rusqlite::Result<_>>()?;
    // By name as people read it: Ångström with the As, not after Zoë.
    rows.sort_by_cached_key(|r| (crate::model::words::fold(&r.name), r.id));
    Ok(rows)
}

/// The names of every contact that has people, by id.
fn company_names(conn: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name FROM contacts WHERE id IN (SELECT company_id FROM contacts WHERE company_id IS NOT NULL)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every contact's tags, sorted, by contact id.
fn all_tags(conn: &Connection) -> Result<std::collections::HashMap<i64, Vec<String>>> {
    let mut map: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        map.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(map)
}

/// A company with people in the book (`c` is the contact): looked after, and counted, through
/// them. A company on its own (a business client with no one named) counts as any contact.
pub(crate) const WITH_PEOPLE: &str = "(c.kind = 'company' AND EXISTS (
        SELECT 1 FROM contacts p WHERE p.company_id = c.id))";

/// A contact has no next step when it has no open follow-up (`next_due`, kept by triggers, is
/// NULL). A company with active people is looked after through them (each of them is listed if
/// they have none), so it is not listed on its own.
pub(crate) const NO_NEXT_STEP: &str = "c.next_due IS NULL AND c.archived_at IS NULL
    AND c.status IN ('lead', 'prospect', 'client')
    AND NOT (c.kind = 'company' AND EXISTS (
        SELECT 1 FROM contacts p WHERE p.company_id = c.id AND p.archived_at IS NULL
           AND p.status IN ('lead', 'prospect', 'client')))";

/// An active contact with no next step, for Today.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Neglected {
    pub id: i64,
    pub name: String,
    pub status: Status,
    pub last_note_at: Option<String>,
}

/// Active, unarchived contacts with no next step: never contacted first, then longest since
/// the last contact. At most `limit` of them (all with `None`). The planner would rather use
/// `contacts_active`; the partial index made for this query is 50 times faster at 10,000
/// contacts, so it is named.
pub fn without_next_step(conn: &Connection, limit: Option<usize>) -> Result<Vec<Neglected>> {
    let sql = format!(
        "SELECT c.id, c.name, c.status, c.last_note_at FROM contacts c INDEXED BY contacts_no_next_step
          WHERE {NO_NEXT_STEP}
          ORDER BY c.last_note_at IS NOT NULL, coalesce(c.last_note_at, c.created_at), c.name
          LIMIT ?1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = limit.map_or(-1, |l| l as i64);
    let rows = stmt.query_map([limit], |r| {
        Ok(Neglected {
            id: r.get(0)?,
            name: r.get(1)?,
            status: parse_col(r, 2)?,
            last_note_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Set (or with None clear) how often to be in touch with a contact: "2w", "off".
pub fn set_cadence(conn: &Connection, id: i64, cadence: Option<&str>, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET cadence = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, cadence, now],
    )?;
    Ok(())
}

/// An unarchived contact a cadence may apply to, with what decides whether it is due.
#[derive(Debug, Clone)]
pub struct TouchCandidate {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub cadence: Option<String>,
    pub tags: Vec<String>,
    /// The last interaction: the newest note, or the newest follow-up done.
    pub last_note_at: Option<String>,
    pub created_at: String,
    /// The earliest open follow-up's date.
    pub next_due: Option<String>,
}

/// Unarchived contacts with a cadence of their own, or in one of `statuses`, or with one of
/// `tags` (the statuses and tags config.toml gives a default for). Only `tend today`, the
/// review and the digest ask, and only people with a cadence are read.
pub fn touch_candidates(
    conn: &Connection,
    statuses: &[String],
    tags: &[String],
) -> Result<Vec<TouchCandidate>> {
    let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.name, c.status, c.cadence, {LAST_INTERACTION},
                c.created_at,
                (SELECT min(f.due_date) FROM follow_ups f
                  WHERE f.contact_id = c.id AND f.done_at IS NULL),
                (SELECT json_group_array(t.tag) FROM contact_tags t WHERE t.contact_id = c.id)
           FROM contacts c
          WHERE c.id IN (
                SELECT id FROM contacts WHERE cadence IS NOT NULL AND archived_at IS NULL
                UNION
                SELECT id FROM contacts
                 WHERE status IN (SELECT value FROM json_each(?1)) AND archived_at IS NULL
                UNION
                SELECT t.contact_id FROM contact_tags t
                 WHERE t.tag IN (SELECT value FROM json_each(?2)))
            AND c.archived_at IS NULL"
    ))?;
    let rows = stmt.query_map(params![list(statuses), list(tags)], |r| {
        let tags: String = r.get(7)?;
        Ok(TouchCandidate {
            id: r.get(0)?,
            name: r.get(1)?,
            status: r.get(2)?,
            cadence: r.get(3)?,
            last_note_at: Some(r.get::<_, String>(4)?).filter(|s| !s.is_empty()),
            created_at: r.get(5)?,
            next_due: r.get(6)?,
            tags: serde_json::from_str(&tags).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether this one contact has no next step, by the same rule as Today's list.
pub fn needs_next_step(conn: &Connection, id: i64) -> Result<bool> {
    let sql = format!("SELECT ({NO_NEXT_STEP}) FROM contacts c WHERE c.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// Every tag in use, with how many unarchived contacts carry it, most used first.
pub fn tag_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.tag, count(*) FROM contact_tags t JOIN contacts c ON c.id = t.contact_id
          WHERE c.archived_at IS NULL GROUP BY t.tag ORDER BY count(*) DESC, t.tag",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest row of a contact's status history (0 for none), taken before an edit so that
/// undoing it can drop what the edit added.
pub fn status_mark(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(id), 0) FROM contact_status_history WHERE contact_id = ?1",
        )?
        .query_row([id], |r| r.get(0))?)
}

/// Put a contact's details back as `before` had them (undo of an edit): every column an edit
/// can change, the profile fields as a whole, and the status history as it was at `mark`.
pub fn restore(conn: &Connection, before: &Contact, mark: i64, now: &str) -> Result<()> {
    update(
        conn,
        before.id,
        &ContactPatch {
            name: Some(before.name.clone()),
            kind: Some(before.kind),
            company_id: Some(before.company_id),
            email: Some(before.email.clone()),
            phone: Some(before.phone.clone()),
            address: Some(before.address.clone()),
            status: Some(before.status),
            source: Some(before.source.clone()),
            referred_by_id: Some(before.referred_by_id),
        },
        now,
    )?;
    conn.execute(
        "DELETE FROM contact_fields WHERE contact_id = ?1",
        [before.id],
    )?;
    for (k, v) in &before.fields {
        set_field(conn, before.id, k, v)?;
    }
    conn.execute(
        "DELETE FROM contact_status_history WHERE contact_id = ?1 AND id > ?2",
        params![before.id, mark],
    )?;
    Ok(())
}

/// How many active contacts have no next step, counting no further than `cap`.
pub fn count_without_next_step(conn: &Connection, cap: Option<usize>) -> Result<usize> {
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM contacts c INDEXED BY contacts_no_next_step
          WHERE {NO_NEXT_STEP} LIMIT ?1)"
    );
    let cap = cap.map_or(-1, |c| c as i64);
    let n: i64 = conn.prepare_cached(&sql)?.query_row([cap], |r| r.get(0))?;
    Ok(n as usize)
}

/// Whether anything is recorded for a contact: notes, follow-ups, deals, entries, checklists.
pub fn has_history(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM notes WHERE contact_id = ?1)
             OR EXISTS (SELECT 1 FROM follow_ups WHERE contact_id = ?1)
             OR EXISTS (SELECT 1 FROM deals WHERE contact_id = ?1)
             OR EXISTS (SELECT 1 FROM money_entries WHERE contact_id = ?1)
             OR EXISTS (SELECT 1 FROM time_entries WHERE contact_id = ?1)
             OR EXISTS (SELECT 1 FROM checklists WHERE contact_id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub fn clear_status_history(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM contact_status_history WHERE contact_id = ?1",
        [id],
    )?;
    Ok(())
}

/// Who names this contact as their company, and as their referrer.
pub fn linked_to(conn: &Connection, id: i64) -> Result<(Vec<i64>, Vec<i64>)> {
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok((
        ids("SELECT id FROM contacts WHERE company_id = ?1")?,
        ids("SELECT id FROM contacts WHERE referred_by_id = ?1")?,
    ))
}

/// Point `members` at company `id` and `referred` at referrer `id` again.
pub fn relink(conn: &Connection, id: i64, members: &[i64], referred: &[i64]) -> Result<()> {
    for m in members {
        conn.execute(
            "UPDATE contacts SET company_id = ?1 WHERE id = ?2",
            params![id, m],
        )?;
    }
    for r in referred {
        conn.execute(
            "UPDATE contacts SET referred_by_id = ?1 WHERE id = ?2",
            params![id, r],
        )?;
    }
    Ok(())
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?)
}

/// Contacts whose details contain `q` anywhere (email, phone, company, tags, profile fields,
/// source), in list order (archived last, then by name), each with what matched ("email: …",
/// "tag: …", "likes: …", "company: …"): search says why a contact is in its list.
pub fn details_containing(
    conn: &Connection,
    q: &str,
    limit: usize,
) -> Result<Vec<(Candidate, String)>> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let indexed = super::trigrams_can_find(q);
    if indexed && !super::trigrams_may_hold(conn, "contact_details", "vals", q)? {
        return Ok(Vec::new());
    }
    let pattern = format!("%{}%", like_escape(q));
    // The first contacts of the list, each checked detail by detail: text that many hold (a
    // phone number's "0770", a mail domain) fills the list among them.
    let mut first = conn.prepare_cached(
        "SELECT id FROM contacts INDEXED BY contacts_listed WHERE archived_at IS NULL
          ORDER BY name COLLATE NOCASE LIMIT ?1",
    )?;
    let ids: Vec<i64> = first
        .query_map([FIRST_CHECKED], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Each one's details as one text (as the trigram index keeps them), matched as LIKE
    // matches: letters of ASCII in any case, anything else exactly.
    let mut text = conn.prepare_cached("SELECT vals FROM contact_details WHERE rowid = ?1")?;
    let wanted = q.to_ascii_lowercase();
    let mut holding = Vec::new();
    for id in ids {
        let vals: Option<String> = text.query_row([id], |r| r.get(0)).optional()?;
        if vals.is_some_and(|v| v.to_ascii_lowercase().contains(&wanted)) {
            holding.push(id);
        }
    }
    let found = details_of(conn, &pattern, holding, limit)?;
    if found.len() >= limit || !indexed {
        // A letter or two: the index could only be scanned whole; the first of the list are
        // answer enough.
        return Ok(found);
    }
    // Fewer among them, so few in all: the trigram index of details names the contacts whose
    // details may hold the text (it reads the pattern unescaped, so a typed % or _ only widens
    // it), in list order.
    let mut maybe = conn.prepare_cached(
        "SELECT c.id FROM contact_details d CROSS JOIN contacts c ON c.id = d.rowid
          WHERE d.vals LIKE ?1 ORDER BY c.archived_at IS NOT NULL, c.name COLLATE NOCASE",
    )?;
    let ids: Vec<i64> = maybe
        .query_map([format!("%{q}%")], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    details_of(conn, &pattern, ids, limit)
}

/// How many of the list's first contacts `details_containing` checks one by one.
const FIRST_CHECKED: i64 = 500;

/// Of `ids`, in order, the first `limit` with a detail like `pattern`, and which one.
fn details_of(
    conn: &Connection,
    pattern: &str,
    ids: Vec<i64>,
    limit: usize,
) -> Result<Vec<(Candidate, String)>> {
    // The first of one contact's details (in the order search tells them) that holds `q`.
    let mut why = conn.prepare_cached(
        "SELECT why FROM (
             SELECT 1 AS rank, 'email: ' || email AS why FROM contacts
                    WHERE id = ?2 AND email LIKE ?1 ESCAPE '\\'
             UNION ALL SELECT 2, 'phone: ' || phone FROM contacts
                    WHERE id = ?2 AND phone LIKE ?1 ESCAPE '\\'
             UNION ALL SELECT 3, 'company: ' || co.name FROM contacts p JOIN contacts co ON co.id = p.company_id
                    WHERE p.id = ?2 AND co.kind = 'company' AND co.name LIKE ?1 ESCAPE '\\'
             UNION ALL SELECT 4, 'tag: ' || tag FROM contact_tags
                    WHERE contact_id = ?2 AND tag LIKE ?1 ESCAPE '\\'
             UNION ALL SELECT 5, key || ': ' || value FROM contact_fields
                    WHERE contact_id = ?2 AND value LIKE ?1 ESCAPE '\\'
             UNION ALL SELECT 6, 'source: ' || source FROM contacts
                    WHERE id = ?2 AND source LIKE ?1 ESCAPE '\\')
          ORDER BY rank LIMIT 1",
    )?;
    let mut found = Vec::new();
    for id in ids {
        if found.len() >= limit {
            break;
        }
        let Some(matched) = why
            .query_row(params![pattern, id], |r| r.get::<_, String>(0))
            .optional()?
        else {
            continue;
        };
        if let Some(c) = by_id(conn, id)? {
            found.push((c, matched));
        }
    }
    Ok(found)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    Ok(())
}

/// Unarchived contacts for the TUI's Clients list (in no order): only what the list shows and
/// filters on (kind, name, status, next step, tags), in the list's compact form.
pub fn listing(conn: &Connection) -> Result<crate::model::contact::Listing> {
    use crate::model::contact::{Listed, Listing};
    let mut tag_names: Vec<String> = Vec::new();
    let mut tags: std::collections::HashMap<i64, Vec<u32>> = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, tag FROM contact_tags INDEXED BY contact_tags_tag ORDER BY tag",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let tag = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        if tag_names.last().is_none_or(|t| t != tag) {
            tag_names.push(tag.to_string());
        }
        let n = u32::try_from(tag_names.len() - 1).unwrap_or(u32::MAX);
        tags.entry(r.get(0)?).or_default().push(n);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.kind, c.name, c.status, c.next_due, ({NO_NEXT_STEP})
                    FROM contacts c NOT INDEXED WHERE c.archived_at IS NULL"
    ))?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        let next_due: Option<String> = r.get(4)?;
        Ok(Listed {
            id,
            kind: parse_col(r, 1)?,
            name: r.get::<_, String>(2)?.into_boxed_str(),
            status: parse_col(r, 3)?,
            next_due: next_due.and_then(|d| d.parse().ok()),
            needs_next_step: r.get(5)?,
            tags: tags.remove(&id).unwrap_or_default().into_boxed_slice(),
        })
    })?;
    Ok(Listing {
        rows: rows.collect::<rusqlite::Result<_>>()?,
        tag_names,
    })
}

/// Move everything of contact `from` onto `into`, fill `into`'s empty details from `from`,
/// and delete `from`. Returns how many notes, follow-ups, deals and entries moved. Run it in
/// a transaction.
pub fn merge_into(conn: &Connection, into: i64, from: i64, now: &str) -> Result<[i64; 4]> {
    let moved = |table: &str| -> Result<i64> {
        Ok(conn.execute(
            &format!("UPDATE {table} SET contact_id = ?1 WHERE contact_id = ?2"),
            params![into, from],
        )? as i64)
    };
    let notes = moved("notes")?;
    let follow_ups = moved("follow_ups")?;
    let deals = moved("deals")?;
    let entries = moved("money_entries")? + moved("time_entries")?;
    moved("checklists")?;
    moved("contact_status_history")?;
    conn.execute(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag) SELECT ?1, tag FROM contact_tags WHERE contact_id = ?2",
        params![into, from],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO contact_fields (contact_id, key, value) SELECT ?1, key, value FROM contact_fields WHERE contact_id = ?2",
        params![into, from],
    )?;
    // The duplicate's card lines follow the kept contact's.
    conn.execute(
        "INSERT INTO contact_extras (contact_id, position, line)
         SELECT ?1, position + 1 + coalesce((SELECT max(position) FROM contact_extras WHERE contact_id = ?1), -1), line
           FROM contact_extras WHERE contact_id = ?2",
        params![into, from],
    )?;
    // The duplicate's uid, and any it was itself given by earlier merges, now lead here.
    conn.execute(
        "UPDATE contact_aliases SET contact_id = ?1 WHERE contact_id = ?2",
        params![into, from],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO contact_aliases (alias, contact_id) SELECT uid, ?1 FROM contacts WHERE id = ?2",
        params![into, from],
    )?;
    conn.execute(
        "UPDATE contacts SET referred_by_id = ?1 WHERE referred_by_id = ?2 AND id <> ?1",
        params![into, from],
    )?;
    conn.execute(
        "UPDATE contacts SET company_id = ?1 WHERE company_id = ?2 AND id <> ?1",
        params![into, from],
    )?;
    conn.execute(
        "UPDATE contacts SET
            email = coalesce(email, (SELECT email FROM contacts WHERE id = ?2)),
            phone = coalesce(phone, (SELECT phone FROM contacts WHERE id = ?2)),
            address = coalesce(address, (SELECT address FROM contacts WHERE id = ?2)),
            source = coalesce(source, (SELECT source FROM contacts WHERE id = ?2)),
            company_id = coalesce(company_id, (SELECT company_id FROM contacts WHERE id = ?2 AND company_id <> ?1)),
            referred_by_id = coalesce(referred_by_id, (SELECT referred_by_id FROM contacts WHERE id = ?2 AND referred_by_id <> ?1)),
            updated_at = ?3
          WHERE id = ?1",
        params![into, from, now],
    )?;
    conn.execute("DELETE FROM contacts WHERE id = ?1", [from])?;
    Ok([notes, follow_ups, deals, entries])
}

/// A contact's last interaction, for cadences: the newest note that was one (sync notes are
/// not: migration 15 keeps them out of `last_note_at`) or the newest follow-up done; '' for
/// none. `c` is the contact.
const LAST_INTERACTION: &str = "max(coalesce(c.last_note_at, ''),
        coalesce((SELECT max(f.done_at) FROM follow_ups f
                   WHERE f.contact_id = c.id AND f.done_at IS NOT NULL), ''))";

/// One contact's last interaction, as `touch_candidates` reads it.
pub fn last_interaction(conn: &Connection, id: i64) -> Result<Option<String>> {
    let last: String = conn
        .prepare_cached(&format!(
            "SELECT {LAST_INTERACTION} FROM contacts c WHERE c.id = ?1"
        ))?
        .query_row([id], |r| r.get(0))?;
    Ok(Some(last).filter(|l| !l.is_empty()))
}
