//! Follow-ups (next steps).

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::new_uid;
use crate::error::Result;
use crate::model::followup::FollowUp;

#[derive(Debug, Clone)]
pub struct NewFollowUp {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub text: String,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub recurrence: Option<String>,
    pub recur_anchor: Option<NaiveDate>,
    /// The uid of the series' first occurrence, for a later one.
    pub series: Option<String>,
}

/// A new follow-up's uid. A later occurrence of a series has one made from the series and its
/// date, the same on every machine: completing the same occurrence on two replicas makes one
/// next occurrence, not two (`tend sync`).
/// (Should that occurrence be here already, a fresh uid.)
fn occurrence_uid(conn: &Connection, f: &NewFollowUp) -> Result<String> {
    let Some(series) = &f.series else {
        return Ok(new_uid());
    };
    let ns = uuid::Uuid::parse_str(series).unwrap_or(uuid::Uuid::NAMESPACE_OID);
    let uid = uuid::Uuid::new_v5(&ns, f.due_date.to_string().as_bytes()).to_string();
    let taken = conn
        .prepare_cached("SELECT 1 FROM follow_ups WHERE uid = ?1")?
        .query_row([&uid], |_| Ok(()))
        .optional()?
        .is_some();
    Ok(if taken { new_uid() } else { uid })
}

pub fn insert(conn: &Connection, f: &NewFollowUp, now: &str) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO follow_ups (id, uid, contact_id, deal_id, text, due_date, due_time, recurrence,
                                 recur_anchor, created_at, series)
         VALUES ({}, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        super::next_id("follow_ups")
    ))?
    .execute(params![
        occurrence_uid(conn, f)?,
        f.contact_id,
        f.deal_id,
        f.text.trim(),
        f.due_date,
        f.due_time.map(|t| t.format("%H:%M").to_string()),
        f.recurrence,
        f.recur_anchor,
        now,
        f.series,
    ])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str =
    "f.id, f.uid, f.contact_id, c.name, f.deal_id, f.text, f.due_date, f.due_time,
     f.recurrence, f.recur_anchor, f.snoozes, f.done_at, f.series";

fn from_row(r: &Row) -> rusqlite::Result<FollowUp> {
    let time: Option<String> = r.get(7)?;
    Ok(FollowUp {
        id: r.get(0)?,
        uid: r.get(1)?,
        contact_id: r.get(2)?,
        contact: r.get(3)?,
        deal_id: r.get(4)?,
        text: r.get(5)?,
        due_date: r.get(6)?,
        due_time: time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
        recurrence: r.get(8)?,
        recur_anchor: r.get(9)?,
        snoozes: r.get(10)?,
        done_at: r.get(11)?,
        series: r.get(12)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id WHERE f.id = ?1"
    );
    Ok(conn.query_row(&sql, [id], from_row).optional()?)
}

pub fn complete(conn: &Connection, id: i64, now: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE follow_ups SET done_at = ?2 WHERE id = ?1 AND done_at IS NULL",
        params![id, now],
    )? > 0)
}

/// Move an open follow-up to a new date; `snoozed` counts it as a snooze.
pub fn reschedule(
    conn: &Connection,
    id: i64,
    date: NaiveDate,
    time: Option<NaiveTime>,
    snoozed: bool,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE follow_ups SET due_date = ?2, due_time = ?3, snoozes = snoozes + ?4
          WHERE id = ?1 AND done_at IS NULL",
        params![
            id,
            date,
            time.map(|t| t.format("%H:%M").to_string()),
            i64::from(snoozed)
        ],
    )? > 0)
}

/// Give an open follow-up new text and a new date (a replaced next step), or put the old ones
/// back (its undo).
pub fn rewrite(
    conn: &Connection,
    id: i64,
    text: &str,
    date: NaiveDate,
    time: Option<NaiveTime>,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE follow_ups SET text = ?2, due_date = ?3, due_time = ?4 WHERE id = ?1 AND done_at IS NULL",
        params![id, text, date, time.map(|t| t.format("%H:%M").to_string())],
    )? > 0)
}

/// Open follow-ups of one contact, soonest first.
pub fn open_for(conn: &Connection, contact_id: i64) -> Result<Vec<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE f.contact_id = ?1 AND f.done_at IS NULL
          ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([contact_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open follow-ups of unarchived contacts due on or before `until`, soonest first.
pub fn open_due_by(conn: &Connection, until: NaiveDate) -> Result<Vec<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE f.done_at IS NULL AND f.due_date <= ?1 AND c.archived_at IS NULL
          ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([until], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open follow-ups of unarchived contacts due from `from` (or any time before) to `to`,
/// soonest first, at most `limit` of them: read in order from the open index.
pub fn open_due_in(
    conn: &Connection,
    from: Option<NaiveDate>,
    to: NaiveDate,
    limit: Option<usize>,
) -> Result<Vec<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f INDEXED BY follow_ups_open_order
           JOIN contacts c ON c.id = f.contact_id
          WHERE f.done_at IS NULL AND f.due_date BETWEEN ?1 AND ?2 AND c.archived_at IS NULL
          ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let from = from.map_or_else(|| "0000-01-01".to_string(), |d| d.to_string());
    let limit = limit.map_or(-1, |l| l as i64);
    let rows = stmt.query_map(params![from, to, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many open follow-ups of unarchived contacts fall due from `from` to `to`, counting no
/// further than `cap`.
pub fn count_open_due_in(
    conn: &Connection,
    from: Option<NaiveDate>,
    to: NaiveDate,
    cap: Option<usize>,
) -> Result<usize> {
    let from = from.map_or_else(|| "0000-01-01".to_string(), |d| d.to_string());
    // Counted from the index alone, less those of archived contacts (few, and found from
    // their own index): checking each follow-up's contact cost a lookup per row counted.
    let archived: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM contacts c INDEXED BY contacts_archived
               CROSS JOIN follow_ups f INDEXED BY follow_ups_open_contact
                 ON f.contact_id = c.id AND f.done_at IS NULL AND f.due_date BETWEEN ?1 AND ?2
              WHERE c.archived_at IS NOT NULL",
        )?
        .query_row(params![from, to], |r| r.get(0))?;
    let all: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM follow_ups INDEXED BY follow_ups_open_due_contact
              WHERE done_at IS NULL AND due_date BETWEEN ?1 AND ?2 LIMIT ?3)",
        )?
        .query_row(
            params![from, to, cap.map_or(-1, |c| c as i64 + archived)],
            |r| r.get(0),
        )?;
    Ok(super::within(all - archived, cap))
}

/// What a calendar export shows: every open follow-up, and those completed since `since` (a
/// timestamp), so that a calendar that imported them open sees them finished. Archived
/// contacts' are left out. One scan of the table: an export, not a hot path.
pub fn for_calendar(conn: &Connection, since: &str) -> Result<Vec<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE (f.done_at IS NULL OR f.done_at >= ?1) AND c.archived_at IS NULL
          ORDER BY f.due_date, f.due_time IS NULL, f.due_time, f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([since], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the calendar folder of `tend vdir sync` holds: every open follow-up of an unarchived
/// contact, and those finished since `since` of the series the folder already has (a series is
/// named by its first occurrence's uid, which the later ones carry in `series`). Found through
/// the open index and the folder's own list, not by reading every finished follow-up.
pub fn for_vdir(conn: &Connection, since: &str) -> Result<Vec<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE f.done_at IS NULL AND c.archived_at IS NULL
         UNION ALL
         SELECT {COLUMNS} FROM vdir_state v
           JOIN follow_ups f ON f.uid = v.uid JOIN contacts c ON c.id = f.contact_id
          WHERE v.kind = 'follow_up' AND f.done_at >= ?1 AND c.archived_at IS NULL
         UNION ALL
         SELECT {COLUMNS} FROM vdir_state v
           JOIN follow_ups f ON f.series = v.uid JOIN contacts c ON c.id = f.contact_id
          WHERE v.kind = 'follow_up' AND f.done_at >= ?1 AND c.archived_at IS NULL"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([since], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest occurrence of the series (or single follow-up) named `uid`, if tend has it.
pub fn latest_of_series(conn: &Connection, uid: &str) -> Result<Option<FollowUp>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE f.id IN (SELECT id FROM follow_ups WHERE uid = ?1
                         UNION ALL SELECT id FROM follow_ups WHERE series = ?1)
          ORDER BY f.id DESC LIMIT 1"
    );
    Ok(conn.query_row(&sql, [uid], from_row).optional()?)
}

/// How many open follow-ups of unarchived contacts are overdue, and how many due `today`: one
/// range of the open-due index.
pub fn due_counts(conn: &Connection, today: NaiveDate) -> Result<(i64, i64)> {
    // One pass over the index (migration 14), the few archived contacts set aside first.
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(due_date < ?1), 0), coalesce(sum(due_date = ?1), 0)
               FROM follow_ups INDEXED BY follow_ups_open_due_contact
              WHERE done_at IS NULL AND due_date <= ?1
                AND contact_id NOT IN (SELECT id FROM contacts INDEXED BY contacts_archived
                                        WHERE archived_at IS NOT NULL)",
        )?
        .query_row([today], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub fn count_open(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM follow_ups WHERE done_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM follow_ups WHERE id = ?1", [id])?;
    Ok(())
}

/// Undo a completion.
pub fn reopen(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("UPDATE follow_ups SET done_at = NULL WHERE id = ?1", [id])?;
    Ok(())
}

/// Undo a snooze: the old date and time back, one snooze fewer.
pub fn unsnooze(
    conn: &Connection,
    id: i64,
    date: NaiveDate,
    time: Option<NaiveTime>,
) -> Result<()> {
    conn.execute(
        "UPDATE follow_ups SET due_date = ?2, due_time = ?3, snoozes = max(snoozes - 1, 0) WHERE id = ?1",
        params![id, date, time.map(|t| t.format("%H:%M").to_string())],
    )?;
    Ok(())
}

/// Set or clear a follow-up's repeat.
pub fn set_repeat(
    conn: &Connection,
    id: i64,
    recurrence: Option<&str>,
    anchor: Option<NaiveDate>,
) -> Result<()> {
    conn.execute(
        "UPDATE follow_ups SET recurrence = ?2, recur_anchor = ?3 WHERE id = ?1",
        params![id, recurrence, anchor],
    )?;
    Ok(())
}

/// Follow-ups whose text contains `q` anywhere (open ones first, then the latest): what
/// `tend search` shows besides notes. A substring that no index serves: ~20,000 short rows.
pub fn containing(conn: &Connection, q: &str, limit: usize) -> Result<Vec<FollowUp>> {
    let indexed = super::trigrams_can_find(q.trim());
    if indexed && !super::trigrams_may_hold(conn, "follow_ups_text", "text", q.trim())? {
        return Ok(Vec::new());
    }
    let pattern = format!("%{}%", super::like_escape(q.trim()));
    // The newest first: a common word ("send") is found among them without sorting the tens of
    // thousands of follow-ups that hold it.
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE f.id IN (SELECT id FROM (
                    SELECT id, text FROM follow_ups INDEXED BY follow_ups_search_order
                     ORDER BY done_at IS NOT NULL, due_date DESC, id DESC LIMIT ?3)
                  WHERE text LIKE ?1 ESCAPE '\\')
          ORDER BY f.done_at IS NOT NULL, f.due_date DESC, f.id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![pattern, limit as i64, NEWEST_READ], from_row)?;
    let newest: Vec<FollowUp> = rows.collect::<rusqlite::Result<_>>()?;
    if newest.len() >= limit || !indexed {
        // A letter or two: the index could only be scanned whole, and they are in most
        // follow-ups anyway; the newest are answer enough.
        return Ok(newest);
    }
    // Fewer among the newest, so few in all: the trigram index names the follow-ups that may
    // hold the text (it reads the pattern unescaped, which only widens it), and the exact LIKE
    // runs on those alone.
    let wide = format!("%{}%", q.trim());
    let sql = format!(
        "SELECT {COLUMNS} FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
          WHERE f.id IN (SELECT rowid FROM follow_ups_text WHERE text LIKE ?3)
            AND f.text LIKE ?1 ESCAPE '\\'
          ORDER BY f.done_at IS NOT NULL, f.due_date DESC, f.id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![pattern, limit as i64, wide], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many of the newest follow-ups search reads before it asks the trigram index.
const NEWEST_READ: i64 = 2000;
