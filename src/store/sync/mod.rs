//! Two machines, one book: what `tend sync` records, sends and takes in.
//!
//! # Design
//!
//! **Capture.** Once a database is a replica (`tend sync init`), every write transaction
//! ([`super::Store::write`]) runs under an SQLite session ([`session`]), which records every row
//! it changed, including what triggers and foreign-key cascades did, so no write path can
//! forget to record a change. Before the commit, the recorded changes become one *batch* in
//! `sync_outbox`, in the same transaction: a change is never made without its record.
//!
//! **Identity.** A changeset names rows by primary key, and local integer ids differ between
//! machines; applying raw changesets elsewhere would touch the wrong rows. So batches are not
//! changesets: [`capture`] rewrites each change into a uid-keyed operation ([`RowOp`]): the
//! table, the row's stable key (its uid, or for rows without one the columns that name it,
//! such as a contact's uid and a tag), and the changed columns, with links written as the uid
//! of the row linked to. [`apply`] maps uids back to local ids. Derived columns
//! (`last_note_at`, `next_due`, `rev`) and indexes (full-text, names) are never sent: the
//! receiving side's triggers rebuild them.
//!
//! **Order.** Each batch carries a hybrid logical clock reading ([`crate::model::sync::Hlc`]), the
//! moment of the edit, not of the sync, and what its author had seen of every other replica
//! (`deps`). A batch is applied only after the batches it depends on (causal order), so a row
//! always exists before an edit of it arrives.
//!
//! **Conflicts.** Every field of every row is a last-writer-wins register: `sync_clock` holds
//! the clock of the change that last set it, and a change older than that loses, on every
//! replica alike. A change that loses to, or wins over, an edit its author had not seen is
//! reported (with both values) by the sync that meets it. Rows that are created (notes,
//! entries, follow-ups) are never in conflict: each side's survive.
//!
//! **Deletes** win only over what their author had seen (an observed-remove rule). Every
//! change is also noted as evidence in `sync_written`: for the row, and for every row it
//! belongs to (a note's contact, a step's checklist and its contact), the last batch of each
//! replica that made or changed it. A delete arriving where the row has evidence its author
//! had not seen leaves it (a contact archived, as of the delete); otherwise the row goes, and
//! `sync_tomb` keeps it with what its deleters had seen, so a change arriving later that they
//! had not seen brings it back (a contact archived). The outcome depends only on which
//! batches exist, never on the order they arrive in: the field clocks could not tell it (they
//! keep only the change that won each field, not one that lost it to a later one).
//!
//! **Merges.** A contact merged into another leaves an alias. A change made elsewhere to the
//! duplicate lands on the contact kept, if any merge of it had not seen the change: when the
//! change arrives after the merge, by the alias; when the merge arrives after it, by moving
//! the duplicate's fields (or, where another merge already took the duplicate away, its
//! tombstone's) onto the contact kept. A merge's deletes of the duplicate's tags and fields
//! touch only the duplicate, never the contact kept. Merging each of two contacts into the
//! other at once, offline, is not resolved (each machine keeps the other one).
//!
//! A repeating follow-up's next occurrence has a uid made from its series and date, so
//! completing it on both machines makes one.
//!
//! **Snapshots** ([`snapshot`]): a replica's rows, clocks, tombstones and evidence, whole, with
//! the batches it holds; a new replica starts from one instead of replaying every batch.
//!
//! **Undo** is local: `tend undo` undoes this machine's last change, and the undo travels as
//! a change like any other.

pub mod session;
pub mod snapshot;

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::export::{to_json, to_sql};
use crate::error::{Error, Result};
use crate::model::sync::{Hlc, Seen, has_seen, union};
use session::{Change, Op};

/// A synced table: how its rows are named across replicas and which columns travel.
pub struct Spec {
    pub name: &'static str,
    /// The columns that name a row; empty for tables whose rows have a `uid`.
    pub key: &'static [&'static str],
    /// The columns that travel, besides the key.
    pub cols: &'static [&'static str],
    /// Columns (in `key` or `cols`) holding the id of a row of another table, sent as its uid.
    pub links: &'static [(&'static str, &'static str)],
    /// The link the row cannot exist without.
    pub parent: Option<(&'static str, &'static str)>,
}

const TO_CONTACT: (&str, &str) = ("contact_id", "contacts");

/// Parents before children: operations that make rows run in this order, deletes in reverse.
pub const SPECS: &[Spec] = &[
    Spec {
        name: "contacts",
        key: &[],
        cols: &[
            "kind",
            "name",
            "company_id",
            "email",
            "phone",
            "address",
            "status",
            "source",
            "referred_by_id",
            "archived_at",
            "created_at",
            "updated_at",
            "cadence",
        ],
        links: &[("company_id", "contacts"), ("referred_by_id", "contacts")],
        parent: None,
    },
    Spec {
        name: "deals",
        key: &[],
        cols: &[
            "contact_id",
            "title",
            "value_minor",
            "stage",
            "probability",
            "expected_close",
            "closed_at",
            "lost_reason",
            "created_at",
            "updated_at",
        ],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "follow_ups",
        key: &[],
        cols: &[
            "contact_id",
            "deal_id",
            "text",
            "due_date",
            "due_time",
            "recurrence",
            "recur_anchor",
            "snoozes",
            "done_at",
            "created_at",
            "series",
        ],
        links: &[TO_CONTACT, ("deal_id", "deals")],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "notes",
        key: &[],
        cols: &["contact_id", "kind", "body", "at", "created_at"],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "money_entries",
        key: &[],
        cols: &[
            "contact_id",
            "deal_id",
            "kind",
            "amount_minor",
            "status",
            "on_date",
            "paid_on",
            "memo",
            "created_at",
        ],
        links: &[TO_CONTACT, ("deal_id", "deals")],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "time_entries",
        key: &[],
        cols: &[
            "contact_id",
            "deal_id",
            "minutes",
            "on_date",
            "memo",
            "created_at",
        ],
        links: &[TO_CONTACT, ("deal_id", "deals")],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "checklists",
        key: &[],
        cols: &[
            "contact_id",
            "recipe",
            "title",
            "started_on",
            "completed_at",
            "created_at",
        ],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "checklist_steps",
        key: &[],
        cols: &[
            "checklist_id",
            "position",
            "text",
            "kind",
            "offset_days",
            "offset_from",
            "note_template",
            "follow_up_id",
            "done_at",
        ],
        links: &[
            ("checklist_id", "checklists"),
            ("follow_up_id", "follow_ups"),
        ],
        parent: Some(("checklist_id", "checklists")),
    },
    Spec {
        name: "contact_tags",
        key: &["contact_id", "tag"],
        cols: &[],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "contact_fields",
        key: &["contact_id", "key"],
        cols: &["value"],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "contact_extras",
        key: &["contact_id", "position"],
        cols: &["line"],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "contact_aliases",
        key: &["alias"],
        cols: &["contact_id"],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "contact_status_history",
        key: &[],
        cols: &["contact_id", "status", "entered_at"],
        links: &[TO_CONTACT],
        parent: Some(TO_CONTACT),
    },
    Spec {
        name: "deal_stage_history",
        key: &[],
        cols: &["deal_id", "stage", "entered_at"],
        links: &[("deal_id", "deals")],
        parent: Some(("deal_id", "deals")),
    },
];

/// The tables a session records.
pub fn tables() -> Vec<&'static str> {
    SPECS.iter().map(|s| s.name).collect()
}

fn spec(table: &str) -> Option<(usize, &'static Spec)> {
    SPECS.iter().enumerate().find(|(_, s)| s.name == table)
}

fn link_of(spec: &Spec, col: &str) -> Option<&'static str> {
    spec.links.iter().find(|(c, _)| *c == col).map(|(_, t)| *t)
}

/// Parts of a composite key are joined by the unit separator, which no name or tag holds.
const SEP: char = '\u{1f}';

/// One uid-keyed change to one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowOp {
    pub t: String,
    pub k: String,
    /// The columns set (a new row: all of them); `None`: the row was deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Map<String, Json>>,
    /// A new row.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub n: bool,
}

/// One write transaction's changes, as they travel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub replica: String,
    pub seq: i64,
    pub hlc: String,
    pub deps: Seen,
    pub ops: Vec<RowOp>,
}

/// A value an edit elsewhere (or here) lost because another edit, made without seeing it,
/// was later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The contact the row belongs to, by name (or the table, for a row of none).
    pub contact: String,
    pub table: String,
    pub field: String,
    /// Which of the contact's rows, as a person would name it: the profile field's key
    /// ("likes"), the deal's or follow-up's title; none for the contact's own columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    pub kept: Json,
    pub discarded: Json,
}

/// What applying one batch did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Applied {
    pub rows: usize,
    pub conflicts: Vec<Conflict>,
    /// Rows brought back (contacts archived) because an edit their deleter had not seen
    /// reached them.
    pub kept_from_delete: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// This replica's state.

/// The wall clock as RFC 3339 UTC, for when syncs happened (bookkeeping of this machine's,
/// not what a change says happened, which is the command's clock).
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// This database's replica id, when it is one.
pub fn replica(conn: &Connection) -> Result<Option<String>> {
    meta(conn, "replica")
}

/// For each replica, the last of its batches applied (or made) here.
pub fn applied(conn: &Connection) -> Result<Seen> {
    let mut stmt = conn.prepare_cached("SELECT replica, seq FROM sync_applied")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When each replica's batches were last applied here (or, for this one, made).
pub fn applied_at(conn: &Connection) -> Result<Vec<(String, i64, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT replica, seq, at FROM sync_applied ORDER BY replica")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn set_applied(conn: &Connection, replica: &str, seq: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_applied (replica, seq, at) VALUES (?1, ?2, ?3)
         ON CONFLICT (replica) DO UPDATE SET seq = excluded.seq, at = excluded.at",
    )?
    .execute(params![replica, seq, at])?;
    Ok(())
}

/// Make this database a replica named `id`, with nothing sent yet.
pub fn init(conn: &Connection, id: &str, folder: &str) -> Result<()> {
    set_meta(conn, "replica", id)?;
    set_meta(conn, "folder", folder)?;
    set_meta(conn, "hlc", &Hlc::zero(id).encode())?;
    set_meta(conn, "written", "0")?;
    Ok(())
}

/// The batches made here not yet in the folder, oldest first.
pub fn outbox(conn: &Connection, replica: &str) -> Result<Vec<Batch>> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, hlc, deps, ops FROM sync_outbox ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, hlc, deps, ops) = row?;
        out.push(Batch {
            replica: replica.to_string(),
            seq,
            hlc,
            deps: serde_json::from_str(&deps).map_err(|e| Error::invalid(e.to_string()))?,
            ops: serde_json::from_str(&ops).map_err(|e| Error::invalid(e.to_string()))?,
        });
    }
    Ok(out)
}

/// The batches up to `seq` are in the folder: they need not be kept here.
pub fn sent(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute("DELETE FROM sync_outbox WHERE seq <= ?1", [seq])?;
    set_meta(conn, "written", &seq.to_string())
}

pub fn pending(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?)
}

// ---------------------------------------------------------------------------------------
// Capture: a transaction's changes, as a batch.

/// A table's columns in order, and which are its primary key.
fn columns(conn: &Connection, table: &str) -> Result<Vec<(String, bool)>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, pk > 0 FROM pragma_table_info(?1) ORDER BY cid")?;
    let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn uid_by_id(conn: &Connection, table: &str, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!("SELECT uid FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

fn id_by_uid(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

fn text(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Null => String::new(),
    }
}

/// Rewrites local ids into uids for one transaction's changes.
struct Uids<'a> {
    conn: &'a Connection,
    /// Rows deleted in the transaction, which the database no longer has.
    gone: HashMap<(&'static str, i64), String>,
}

impl Uids<'_> {
    fn of(&self, table: &'static str, id: i64) -> Result<Option<String>> {
        if let Some(u) = self.gone.get(&(table, id)) {
            return Ok(Some(u.clone()));
        }
        uid_by_id(self.conn, table, id)
    }

    /// A column's value as it travels: a link as the uid linked to.
    fn travel(&self, spec: &Spec, col: &str, v: &Value) -> Result<Json> {
        match (link_of(spec, col), v) {
            (Some(table), Value::Integer(id)) => {
                Ok(self.of(table, *id)?.map_or(Json::Null, Json::from))
            }
            (_, v) => Ok(to_json(v.into())),
        }
    }
}

/// A whole row (column name → local value) as it travels: its key and its columns.
fn row_as_sent(
    uids: &Uids,
    spec: &Spec,
    row: &HashMap<String, Value>,
) -> Result<Option<(String, Map<String, Json>)>> {
    let key = if spec.key.is_empty() {
        match row.get("uid") {
            Some(v) => text(v),
            None => return Ok(None),
        }
    } else {
        let mut parts = Vec::new();
        for col in spec.key {
            let v = row.get(*col).cloned().unwrap_or(Value::Null);
            match uids.travel(spec, col, &v)? {
                Json::Null => return Ok(None),
                Json::String(s) => parts.push(s),
                other => parts.push(other.to_string()),
            }
        }
        parts.join(&SEP.to_string())
    };
    let mut cols = Map::new();
    for col in spec.cols {
        let v = row.get(*col).cloned().unwrap_or(Value::Null);
        cols.insert(col.to_string(), uids.travel(spec, col, &v)?);
    }
    Ok(Some((key, cols)))
}

/// The current row whose primary key is `pk` (column → value).
fn current_row(
    conn: &Connection,
    table: &str,
    names: &[(String, bool)],
    pk: &[(String, Value)],
) -> Result<Option<HashMap<String, Value>>> {
    let cols: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    let filter: Vec<String> = pk
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", i + 1))
        .collect();
    let sql = format!(
        "SELECT {} FROM {table} WHERE {}",
        cols.join(", "),
        filter.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let row = stmt
        .query_row(params_from_iter(pk.iter().map(|(_, v)| v.clone())), |r| {
            let mut m = HashMap::new();
            for (i, c) in cols.iter().enumerate() {
                m.insert(c.to_string(), r.get::<_, Value>(i)?);
            }
            Ok(m)
        })
        .optional()?;
    Ok(row)
}

/// An operation captured, with where it sorts in its batch and, for a delete, the row as it
/// was (for its tombstone).
type Pending = (usize, RowOp, Option<Map<String, Json>>);

/// Record a transaction's `changes` as this replica's next batch (with its clocks and
/// tombstones), in the same transaction. Nothing when nothing that travels changed.
pub fn capture(conn: &Connection, replica: &str, changes: Vec<Change>, now_ms: i64) -> Result<()> {
    let mut names: HashMap<String, Vec<(String, bool)>> = HashMap::new();
    for c in &changes {
        if !names.contains_key(&c.table) {
            names.insert(c.table.clone(), columns(conn, &c.table)?);
        }
    }
    let index = |table: &str, col: &str| names[table].iter().position(|(n, _)| n == col);
    let mut gone = HashMap::new();
    for c in changes.iter().filter(|c| c.op == Op::Delete) {
        let Some((_, spec)) = spec(&c.table) else {
            continue;
        };
        if let (Some(i), Some(u)) = (index(&c.table, "id"), index(&c.table, "uid"))
            && let (Some(Value::Integer(id)), Some(Value::Text(uid))) = (&c.old[i], &c.old[u])
        {
            gone.insert((spec.name, *id), uid.clone());
        }
    }
    let uids = Uids { conn, gone };
    // (order, op, tombstone row)
    let mut ops: Vec<Pending> = Vec::new();
    for c in &changes {
        let Some((order, spec)) = spec(&c.table) else {
            continue;
        };
        let cols = &names[&c.table];
        let whole = |vals: &[Option<Value>]| -> HashMap<String, Value> {
            cols.iter()
                .zip(vals)
                .map(|((n, _), v)| (n.clone(), v.clone().unwrap_or(Value::Null)))
                .collect()
        };
        match c.op {
            Op::Insert => {
                if let Some((k, v)) = row_as_sent(&uids, spec, &whole(&c.new))? {
                    ops.push((
                        order,
                        RowOp {
                            t: spec.name.into(),
                            k,
                            v: Some(v),
                            n: true,
                        },
                        None,
                    ));
                }
            }
            Op::Delete => {
                if let Some((k, v)) = row_as_sent(&uids, spec, &whole(&c.old))? {
                    ops.push((
                        SPECS.len() * 2 - order,
                        RowOp {
                            t: spec.name.into(),
                            k,
                            v: None,
                            n: false,
                        },
                        Some(v),
                    ));
                }
            }
            Op::Update => {
                let pk: Vec<(String, Value)> = cols
                    .iter()
                    .zip(&c.old)
                    .filter(|((_, is_pk), _)| *is_pk)
                    .map(|((n, _), v)| (n.clone(), v.clone().unwrap_or(Value::Null)))
                    .collect();
                let Some(after) = current_row(conn, &c.table, cols, &pk)? else {
                    continue;
                };
                let mut before = after.clone();
                for ((n, _), v) in cols.iter().zip(&c.old) {
                    if let Some(v) = v {
                        before.insert(n.clone(), v.clone());
                    }
                }
                let Some((k_before, v_before)) = row_as_sent(&uids, spec, &before)? else {
                    continue;
                };
                let Some((k_after, v_after)) = row_as_sent(&uids, spec, &after)? else {
                    continue;
                };
                if k_before != k_after {
                    // A row named by its columns was renamed (a status history row moved to
                    // the contact a duplicate was merged into): the old one goes, a new one comes.
                    ops.push((
                        SPECS.len() * 2 - order,
                        RowOp {
                            t: spec.name.into(),
                            k: k_before,
                            v: None,
                            n: false,
                        },
                        Some(v_before),
                    ));
                    ops.push((
                        order,
                        RowOp {
                            t: spec.name.into(),
                            k: k_after,
                            v: Some(v_after),
                            n: true,
                        },
                        None,
                    ));
                    continue;
                }
                let changed: Map<String, Json> = v_after
                    .into_iter()
                    .filter(|(col, v)| v_before.get(col) != Some(v))
                    .collect();
                if !changed.is_empty() {
                    ops.push((
                        order,
                        RowOp {
                            t: spec.name.into(),
                            k: k_after,
                            v: Some(changed),
                            n: false,
                        },
                        None,
                    ));
                }
            }
        }
    }
    if ops.is_empty() {
        return Ok(());
    }
    ops.sort_by_key(|(order, _, _)| *order);
    let last =
        Hlc::parse(&meta(conn, "hlc")?.unwrap_or_default()).unwrap_or_else(|| Hlc::zero(replica));
    let hlc = last.tick(now_ms, replica).encode();
    let mut seen = applied(conn)?;
    let seq = seen.get(replica).copied().unwrap_or(0) + 1;
    seen.remove(replica);
    let deps = seen.clone();
    seen.insert(replica.to_string(), seq);
    let clock = Clock {
        hlc: hlc.clone(),
        replica: replica.to_string(),
        seq,
    };
    for (_, op, tomb) in &ops {
        match (&op.v, tomb) {
            (Some(v), _) => {
                set_clocks(
                    conn,
                    &op.t,
                    &op.k,
                    v.keys().map(String::as_str),
                    op.n,
                    &clock,
                )?;
                if op.n {
                    drop_tomb(conn, &op.t, &op.k)?;
                }
            }
            (None, Some(row)) => put_tomb(conn, &op.t, &op.k, &hlc, &seen, row)?,
            (None, None) => {}
        }
    }
    for (_, op, _) in ops.iter().filter(|(_, op, _)| op.v.is_some()) {
        if let Some((_, spec)) = spec(&op.t) {
            record_written(conn, spec, &op.k, replica, seq)?;
        }
    }
    let ops: Vec<RowOp> = ops.into_iter().map(|(_, op, _)| op).collect();
    conn.prepare_cached("INSERT INTO sync_outbox (seq, hlc, deps, ops) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            seq,
            hlc,
            serde_json::to_string(&deps).expect("maps serialise"),
            serde_json::to_string(&ops).expect("rows serialise")
        ])?;
    set_meta(conn, "hlc", &hlc)?;
    set_applied(
        conn,
        replica,
        seq,
        &Hlc::parse(&hlc).map(|h| h.moment()).unwrap_or_default(),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Clocks and tombstones.

/// The change that set a field: its clock reading, and the replica and batch it came in.
#[derive(Debug, Clone, PartialEq)]
struct Clock {
    hlc: String,
    replica: String,
    seq: i64,
}

impl Clock {
    fn seen_by(&self, seen: &Seen) -> bool {
        self.seq < 0 || has_seen(seen, &self.replica, self.seq)
    }
}

/// Note that change `c` set the fields `cols` of a row (and, when `new`, made it). A row's
/// clock ('' in `sync_clock`) stands for every field without a clock of its own: a row made
/// once and never edited has one clock, not one per field.
fn set_clocks<'a>(
    conn: &Connection,
    t: &str,
    k: &str,
    cols: impl Iterator<Item = &'a str>,
    new: bool,
    c: &Clock,
) -> Result<()> {
    let mut set = conn.prepare_cached(
        "INSERT INTO sync_clock (tbl, key, col, hlc, replica, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tbl, key, col) DO UPDATE SET hlc = excluded.hlc, replica = excluded.replica, seq = excluded.seq",
    )?;
    if !new {
        for col in cols {
            set.execute(params![t, k, col, c.hlc, c.replica, c.seq])?;
        }
        return Ok(());
    }
    // The row's clock changes: the fields it stood for and this change does not set keep
    // the clock they had, as clocks of their own.
    if clock_of(conn, t, k, "")?.is_some()
        && let Some((_, spec)) = spec(t)
    {
        let mut keep = conn.prepare_cached(
            "INSERT INTO sync_clock (tbl, key, col, hlc, replica, seq)
             SELECT tbl, key, ?3, hlc, replica, seq FROM sync_clock WHERE tbl = ?1 AND key = ?2 AND col = ''
             ON CONFLICT (tbl, key, col) DO NOTHING",
        )?;
        for col in spec.cols {
            keep.execute(params![t, k, col])?;
        }
    }
    set.execute(params![t, k, "", c.hlc, c.replica, c.seq])?;
    let cols: Vec<&str> = cols.collect();
    if spec(t).is_some_and(|(_, s)| s.cols.iter().all(|c| cols.contains(c))) {
        conn.prepare_cached("DELETE FROM sync_clock WHERE tbl = ?1 AND key = ?2 AND col <> ''")?
            .execute(params![t, k])?;
    } else {
        let mut drop =
            conn.prepare_cached("DELETE FROM sync_clock WHERE tbl = ?1 AND key = ?2 AND col = ?3")?;
        for col in cols {
            drop.execute(params![t, k, col])?;
        }
    }
    Ok(())
}

/// The clock of a field: its own, or else its row's.
fn clock_of(conn: &Connection, t: &str, k: &str, col: &str) -> Result<Option<Clock>> {
    Ok(conn
        .prepare_cached(
            "SELECT hlc, replica, seq FROM sync_clock WHERE tbl = ?1 AND key = ?2 AND col IN (?3, '')
             ORDER BY col DESC LIMIT 1",
        )?
        .query_row(params![t, k, col], |r| {
            Ok(Clock {
                hlc: r.get(0)?,
                replica: r.get(1)?,
                seq: r.get(2)?,
            })
        })
        .optional()?)
}

/// The row's clock ('' first), then the clock of every field that travels: its own, or else
/// the row's.
fn clocks_of(conn: &Connection, t: &str, k: &str) -> Result<Vec<(String, Clock)>> {
    let mut out = own_clocks(conn, t, k)?;
    if let Some((_, row)) = out.first().filter(|(c, _)| c.is_empty()).cloned()
        && let Some((_, spec)) = spec(t)
    {
        for col in spec.cols {
            if !out.iter().any(|(c, _)| c == col) {
                out.push((col.to_string(), row.clone()));
            }
        }
    }
    Ok(out)
}

/// The clocks kept for a row, '' first.
fn own_clocks(conn: &Connection, t: &str, k: &str) -> Result<Vec<(String, Clock)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT col, hlc, replica, seq FROM sync_clock WHERE tbl = ?1 AND key = ?2 ORDER BY col",
    )?;
    let rows = stmt.query_map(params![t, k], |r| {
        Ok((
            r.get(0)?,
            Clock {
                hlc: r.get(1)?,
                replica: r.get(2)?,
                seq: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

struct Tomb {
    hlc: String,
    seen: Seen,
    row: Map<String, Json>,
}

fn tomb(conn: &Connection, t: &str, k: &str) -> Result<Option<Tomb>> {
    let found: Option<(String, String, String)> = conn
        .prepare_cached("SELECT hlc, seen, row FROM sync_tomb WHERE tbl = ?1 AND key = ?2")?
        .query_row(params![t, k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(found.map(|(hlc, seen, row)| Tomb {
        hlc,
        seen: serde_json::from_str(&seen).unwrap_or_default(),
        row: serde_json::from_str(&row).unwrap_or_default(),
    }))
}

fn put_tomb(
    conn: &Connection,
    t: &str,
    k: &str,
    hlc: &str,
    seen: &Seen,
    row: &Map<String, Json>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_tomb (tbl, key, hlc, seen, row) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tbl, key) DO UPDATE SET hlc = max(hlc, excluded.hlc), seen = excluded.seen, row = excluded.row",
    )?
    .execute(params![
        t,
        k,
        hlc,
        serde_json::to_string(seen).expect("maps serialise"),
        serde_json::to_string(row).expect("rows serialise")
    ])?;
    Ok(())
}

fn drop_tomb(conn: &Connection, t: &str, k: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_tomb WHERE tbl = ?1 AND key = ?2")?
        .execute(params![t, k])?;
    Ok(())
}

/// The row a row cannot exist without (a note's contact, a step's checklist), by its key.
fn parent_key(conn: &Connection, spec: &Spec, k: &str) -> Result<Option<(&'static Spec, String)>> {
    let Some((col, table)) = spec.parent else {
        return Ok(None);
    };
    let Some((_, parent)) = self::spec(table) else {
        return Ok(None);
    };
    if spec.key.first() == Some(&col) {
        return Ok(k.split(SEP).next().map(|p| (parent, p.to_string())));
    }
    let by = spec.key.first().copied().unwrap_or("uid");
    let uid: Option<String> = conn
        .prepare_cached(&format!(
            "SELECT p.uid FROM {} r JOIN {table} p ON p.id = r.{col} WHERE r.{by} = ?1",
            spec.name
        ))?
        .query_row([k], |r| r.get(0))
        .optional()?;
    Ok(uid.map(|u| (parent, u)))
}

/// Batch `seq` of `replica` made or changed the row: evidence, on it and on every row it
/// belongs to, that a delete must have seen to go ahead.
fn record_written(conn: &Connection, spec: &Spec, k: &str, replica: &str, seq: i64) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sync_written (tbl, key, replica, seq) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tbl, key, replica) DO UPDATE SET seq = max(seq, excluded.seq)",
    )?;
    stmt.execute(params![spec.name, k, replica, seq])?;
    let mut at = parent_key(conn, spec, k)?;
    while let Some((parent, key)) = at {
        stmt.execute(params![parent.name, key, replica, seq])?;
        at = parent_key(conn, parent, &key)?;
    }
    Ok(())
}

/// Whether the row (or anything it has) was made or changed by a batch not in `seen`.
fn written_unseen(conn: &Connection, t: &str, k: &str, seen: &Seen) -> Result<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT replica, seq FROM sync_written WHERE tbl = ?1 AND key = ?2")?;
    let rows = stmt.query_map(params![t, k], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (replica, seq) = row?;
        if !has_seen(seen, &replica, seq) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The evidence of writes to one row counts for another (a merged duplicate's, for the
/// contact it was merged into).
fn move_written(conn: &Connection, t: &str, from: &str, to: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_written (tbl, key, replica, seq)
         SELECT tbl, ?3, replica, seq FROM sync_written WHERE tbl = ?1 AND key = ?2
         ON CONFLICT (tbl, key, replica) DO UPDATE SET seq = max(seq, excluded.seq)",
    )?
    .execute(params![t, from, to])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Apply: another replica's batch, here.

/// Where a row is: its table's WHERE clause and values, found from its travelling key.
struct Place {
    filter: String,
    values: Vec<Value>,
}

/// What a change to a merged duplicate does not carry onto the contact it was merged into:
/// when it was made, and its archiving (or its being kept archived after a delete), which is
/// about the duplicate, not the person.
const NOT_FOLDED: [&str; 2] = ["archived_at", "created_at"];

struct Applier<'a> {
    conn: &'a Connection,
    /// What the batch's author had seen, its own batch included.
    seen: Seen,
    clock: Clock,
    out: Applied,
    /// The contacts this batch merges into others (the aliases it makes), and into which.
    merging: HashMap<String, String>,
}

impl Applier<'_> {
    /// The uid of the contact the one named `uid` was merged into, if it was: by its alias,
    /// or by the alias's tombstone when that contact was deleted since (its aliases with it).
    fn merged_into(&self, uid: &str) -> Result<Option<String>> {
        let live: Option<String> = self
            .conn
            .prepare_cached("SELECT c.uid FROM contact_aliases a JOIN contacts c ON c.id = a.contact_id WHERE a.alias = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?;
        if live.is_some() {
            return Ok(live);
        }
        Ok(tomb(self.conn, "contact_aliases", uid)?.and_then(|t| {
            t.row
                .get("contact_id")
                .and_then(Json::as_str)
                .map(String::from)
        }))
    }

    /// The contact a uid stands for now: itself, or (through merges) the one it became.
    fn final_contact(&self, uid: &str) -> Result<String> {
        let mut uid = uid.to_string();
        for _ in 0..16 {
            if id_by_uid(self.conn, "contacts", &uid)?.is_some() {
                break;
            }
            match self.merged_into(&uid)? {
                Some(next) if next != uid => uid = next,
                _ => break,
            }
        }
        Ok(uid)
    }

    /// The local id a travelling link names, bringing a deleted parent back when `needed`.
    fn local(&mut self, table: &str, uid: &str, needed: bool) -> Result<Option<i64>> {
        let uid = if table == "contacts" {
            self.final_contact(uid)?
        } else {
            uid.to_string()
        };
        let found = id_by_uid(self.conn, table, &uid)?;
        if found.is_some() || !needed {
            return Ok(found);
        }
        if self.revive(table, &uid)? {
            return id_by_uid(self.conn, table, &uid);
        }
        Ok(None)
    }

    /// A travelling key, with the contact it names resolved through merges.
    fn resolve_key(&self, spec: &Spec, k: &str) -> Result<String> {
        if spec.name == "contacts" {
            return self.final_contact(k);
        }
        if spec.key.first() != Some(&"contact_id") {
            return Ok(k.to_string());
        }
        let mut parts: Vec<String> = k.split(SEP).map(String::from).collect();
        parts[0] = self.final_contact(&parts[0])?;
        Ok(parts.join(&SEP.to_string()))
    }

    /// Where the row a key names is; None when a row it needs (its contact) is not here.
    fn place(&mut self, spec: &Spec, k: &str, revive_parent: bool) -> Result<Option<Place>> {
        if spec.key.is_empty() {
            return Ok(Some(Place {
                filter: "uid = ?1".into(),
                values: vec![Value::Text(k.into())],
            }));
        }
        let parts: Vec<&str> = k.split(SEP).collect();
        if parts.len() != spec.key.len() {
            return Ok(None);
        }
        let mut filter = Vec::new();
        let mut values = Vec::new();
        for (i, (col, part)) in spec.key.iter().zip(parts).enumerate() {
            filter.push(format!("{col} = ?{}", i + 1));
            let v = match link_of(spec, col) {
                Some(table) => match self.local(table, part, revive_parent)? {
                    Some(id) => Value::Integer(id),
                    None => return Ok(None),
                },
                None if *col == "position" => Value::Integer(part.parse().unwrap_or(0)),
                None => Value::Text(part.into()),
            };
            values.push(v);
        }
        Ok(Some(Place {
            filter: filter.join(" AND "),
            values,
        }))
    }

    fn exists(&self, spec: &Spec, place: &Place) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT 1 FROM {} WHERE {}",
                spec.name, place.filter
            ))?
            .query_row(params_from_iter(place.values.iter()), |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn read(&self, spec: &Spec, place: &Place, col: &str) -> Result<Json> {
        let v: Value = self
            .conn
            .prepare_cached(&format!(
                "SELECT {col} FROM {} WHERE {}",
                spec.name, place.filter
            ))?
            .query_row(params_from_iter(place.values.iter()), |r| r.get(0))?;
        let uids = Uids {
            conn: self.conn,
            gone: HashMap::new(),
        };
        uids.travel(spec, col, &v)
    }

    /// A travelling value as the local one: a link as the local id (NULL when the row linked
    /// to is not here).
    fn local_value(&mut self, spec: &Spec, col: &str, v: &Json) -> Result<Value> {
        match (link_of(spec, col), v) {
            (Some(table), Json::String(uid)) => {
                let needed = spec.parent.is_some_and(|(c, _)| c == col);
                Ok(self
                    .local(table, uid, needed)?
                    .map_or(Value::Null, Value::Integer))
            }
            (_, v) => Ok(to_sql(v)),
        }
    }

    fn label(&self, spec: &Spec, k: &str) -> String {
        let contact = if spec.name == "contacts" {
            Some(k.to_string())
        } else if spec.key.first() == Some(&"contact_id") {
            k.split(SEP).next().map(String::from)
        } else {
            spec.parent
                .filter(|(c, _)| *c == "contact_id")
                .and_then(|_| {
                    self.conn
                        .query_row(&format!("SELECT c.uid FROM {} r JOIN contacts c ON c.id = r.contact_id WHERE r.uid = ?1", spec.name), [k], |r| r.get(0))
                        .ok()
                })
        };
        contact
            .and_then(|uid| {
                self.conn
                    .query_row("SELECT name FROM contacts WHERE uid = ?1", [uid], |r| {
                        r.get(0)
                    })
                    .ok()
            })
            .unwrap_or_else(|| spec.name.to_string())
    }

    /// The row a conflict is in, within its contact: see [`Conflict::row`].
    fn row_label(&self, spec: &Spec, k: &str) -> Option<String> {
        let text = |sql: &str| -> Option<String> {
            self.conn
                .query_row(sql, [k], |r| r.get::<_, Option<String>>(0))
                .ok()
                .flatten()
        };
        match spec.name {
            "contacts" => None,
            "contact_fields" => k.split(SEP).nth(1).map(String::from),
            "deals" => {
                text("SELECT title FROM deals WHERE uid = ?1").map(|t| format!("deal '{t}'"))
            }
            "follow_ups" => text("SELECT text FROM follow_ups WHERE uid = ?1")
                .map(|t| format!("follow-up '{t}'")),
            "notes" => text("SELECT substr(at, 1, 10) FROM notes WHERE uid = ?1")
                .map(|d| format!("note of {d}")),
            "money_entries" => {
                text("SELECT kind || ' of ' || on_date FROM money_entries WHERE uid = ?1")
            }
            "time_entries" => text("SELECT on_date FROM time_entries WHERE uid = ?1")
                .map(|d| format!("time of {d}")),
            other => Some(other.replace('_', " ")),
        }
    }

    /// Set the columns of `v` whose clocks are older than the change's, on a row that is here.
    fn set_fields(
        &mut self,
        spec: &Spec,
        k: &str,
        place: &Place,
        v: &Map<String, Json>,
        clock: &Clock,
        new: bool,
    ) -> Result<()> {
        let mut sets = Vec::new();
        let mut values = Vec::new();
        let mut won = Vec::new();
        for (col, val) in v {
            if !spec.cols.contains(&col.as_str()) {
                continue;
            }
            let mine = clock_of(self.conn, spec.name, k, col)?;
            let wins = mine.as_ref().is_none_or(|m| clock.hlc > m.hlc);
            let concurrent = mine
                .as_ref()
                .is_some_and(|m| !m.seen_by(&self.seen) && m.replica != clock.replica);
            if concurrent {
                let here = self.read(spec, place, col)?;
                if here != *val {
                    let (kept, discarded) = if wins {
                        (val.clone(), here)
                    } else {
                        (here, val.clone())
                    };
                    self.out.conflicts.push(Conflict {
                        contact: self.label(spec, k),
                        table: spec.name.into(),
                        field: col.clone(),
                        row: self.row_label(spec, k),
                        kept,
                        discarded,
                    });
                }
            }
            if wins {
                values.push(self.local_value(spec, col, val)?);
                sets.push(col.clone());
                won.push(col.as_str());
            }
        }
        if !sets.is_empty() {
            let n = place.values.len();
            let assign: Vec<String> = sets
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", n + i + 1))
                .collect();
            let sql = format!(
                "UPDATE {} SET {} WHERE {}",
                spec.name,
                assign.join(", "),
                place.filter
            );
            let mut all = place.values.clone();
            all.extend(values);
            self.conn
                .prepare_cached(&sql)?
                .execute(params_from_iter(all))?;
            self.out.rows += 1;
        }
        set_clocks(self.conn, spec.name, k, won.into_iter(), new, clock)?;
        Ok(())
    }

    /// Make the row a key names from travelling columns (all of them).
    fn insert(&mut self, spec: &Spec, k: &str, v: &Map<String, Json>) -> Result<bool> {
        let mut cols = Vec::new();
        let mut values = Vec::new();
        if spec.key.is_empty() {
            cols.push("uid".to_string());
            values.push(Value::Text(k.into()));
        } else {
            let Some(place) = self.place(spec, k, true)? else {
                return Ok(false);
            };
            cols.extend(spec.key.iter().map(|c| c.to_string()));
            values.extend(place.values);
        }
        for col in spec.cols {
            let val = v.get(*col).cloned().unwrap_or(Json::Null);
            let local = self.local_value(spec, col, &val)?;
            if spec.parent.is_some_and(|(c, _)| c == *col) && local == Value::Null {
                return Ok(false);
            }
            cols.push(col.to_string());
            values.push(local);
        }
        let mut marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        // A row from another replica is numbered here like one made here: never an id this
        // replica gave before and took back.
        if super::NEVER_REUSED.contains(&spec.name) {
            cols.push("id".into());
            marks.push(super::next_id(spec.name));
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            spec.name,
            cols.join(", "),
            marks.join(", ")
        );
        self.conn
            .prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
        self.out.rows += 1;
        Ok(true)
    }

    /// Bring a deleted row back from its tombstone, because a change its deleter had not seen
    /// reached it. A contact comes back archived, as of its deletion.
    fn revive(&mut self, table: &str, k: &str) -> Result<bool> {
        let Some((_, spec)) = spec(table) else {
            return Ok(false);
        };
        let Some(t) = tomb(self.conn, table, k)? else {
            return Ok(false);
        };
        if !self.insert(spec, k, &t.row)? {
            return Ok(false);
        }
        drop_tomb(self.conn, table, k)?;
        if table == "contacts" {
            self.archive_as_deleted(k, &t.hlc, &t.seen)?;
        }
        self.out.kept_from_delete.push(self.label(spec, k));
        Ok(true)
    }

    /// Archive a contact as of the delete that was not carried out (clock `hlc`).
    fn archive_as_deleted(&mut self, k: &str, hlc: &str, seen: &Seen) -> Result<()> {
        let spec = &SPECS[0];
        let Some(h) = Hlc::parse(hlc) else {
            return Ok(());
        };
        // Marked (a negative batch) as the mark of a delete, not an edit: a later delete need
        // not have seen it to go ahead.
        let clock = Clock {
            seq: -seen.get(&h.replica).copied().unwrap_or(0),
            replica: h.replica.clone(),
            hlc: hlc.to_string(),
        };
        let place = Place {
            filter: "uid = ?1".into(),
            values: vec![Value::Text(k.into())],
        };
        // Set as any edit is, so the later of two deletes' moments wins on every replica
        // alike, whichever came first.
        let v: Map<String, Json> = [("archived_at".to_string(), Json::from(h.moment()))]
            .into_iter()
            .collect();
        let keep = std::mem::take(&mut self.seen);
        self.set_fields(spec, k, &place, &v, &clock, false)?;
        self.seen = keep;
        Ok(())
    }

    /// Set (or make) a row, and note the change as evidence against deletes that had not
    /// seen it.
    fn upsert(&mut self, spec: &Spec, k: &str, v: &Map<String, Json>, new: bool) -> Result<()> {
        self.upsert_row(spec, k, v, new)?;
        let k = self.resolve_key(spec, k)?;
        record_written(self.conn, spec, &k, &self.clock.replica, self.clock.seq)
    }

    fn upsert_row(&mut self, spec: &Spec, k: &str, v: &Map<String, Json>, new: bool) -> Result<()> {
        let merged = self.resolve_key(spec, k)?;
        let mut folded;
        let v = if spec.name == "contacts" && merged != k {
            folded = v.clone();
            folded.retain(|col, _| !NOT_FOLDED.contains(&col.as_str()));
            &folded
        } else {
            v
        };
        let k = merged;
        let clock = self.clock.clone();
        if let Some(place) = self.place(spec, &k, false)?
            && self.exists(spec, &place)?
        {
            return self.set_fields(spec, &k, &place, v, &clock, new);
        }
        if let Some(t) = tomb(self.conn, spec.name, &k)? {
            if clock.seen_by(&t.seen) || !self.revive(spec.name, &k)? {
                return Ok(());
            }
            let place = self
                .place(spec, &k, false)?
                .expect("a revived row has its parents");
            return self.set_fields(spec, &k, &place, v, &clock, new);
        }
        if new && self.insert(spec, &k, v)? {
            set_clocks(
                self.conn,
                spec.name,
                &k,
                v.keys().map(String::as_str),
                true,
                &clock,
            )?;
        }
        Ok(())
    }

    /// Move what is left of a merged duplicate (what the merge had not seen) onto the contact
    /// it was merged into, as the merge would have.
    fn fold_into(&mut self, dup_uid: &str, dup: i64, into: i64) -> Result<()> {
        let into_uid = uid_by_id(self.conn, "contacts", into)?.unwrap_or_default();
        move_written(self.conn, "contacts", dup_uid, &into_uid)?;
        // Rows with uids, and the uids of contacts merged into the duplicate: they lead to
        // the contact kept now.
        for child in SPECS.iter().filter(|s| {
            s.parent == Some(TO_CONTACT) && (s.key.is_empty() || s.name == "contact_aliases")
        }) {
            self.conn.execute(
                &format!(
                    "UPDATE {} SET contact_id = ?1 WHERE contact_id = ?2",
                    child.name
                ),
                params![into, dup],
            )?;
        }
        // Rows named by the contact: each as if its change had been made to the other contact.
        let keep = std::mem::take(&mut self.seen);
        for child in SPECS
            .iter()
            .filter(|s| s.key.first() == Some(&"contact_id"))
        {
            let rest: Vec<&str> = child.key[1..].to_vec();
            let sql = format!(
                "SELECT {} FROM {} WHERE contact_id = ?1",
                rest.join(" || char(31) || "),
                child.name
            );
            let tails: Vec<String> = self
                .conn
                .prepare(&sql)?
                .query_map([dup], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for tail in tails {
                let old_key = format!("{dup_uid}{SEP}{tail}");
                let new_key = format!("{into_uid}{SEP}{tail}");
                move_written(self.conn, child.name, &old_key, &new_key)?;
                let Some(place) = self.place(child, &old_key, false)? else {
                    continue;
                };
                let mut v = Map::new();
                for col in child.cols {
                    v.insert(col.to_string(), self.read(child, &place, col)?);
                }
                for (col, c) in clocks_of(self.conn, child.name, &old_key)? {
                    let mut one = Map::new();
                    if !col.is_empty() {
                        one.insert(col.clone(), v[&col].clone());
                    }
                    match self.place(child, &new_key, false)? {
                        Some(p) if self.exists(child, &p)? => {
                            self.set_fields(child, &new_key, &p, &one, &c, col.is_empty())?
                        }
                        _ if col.is_empty() && self.insert(child, &new_key, &v)? => {
                            set_clocks(
                                self.conn,
                                child.name,
                                &new_key,
                                std::iter::empty(),
                                true,
                                &c,
                            )?;
                        }
                        _ => {}
                    }
                }
            }
        }
        self.seen = keep;
        // The duplicate's own fields changed since: onto the contact, as the change would.
        let dup_place = Place {
            filter: "uid = ?1".into(),
            values: vec![Value::Text(dup_uid.into())],
        };
        let mut row = Map::new();
        for col in SPECS[0].cols {
            row.insert(col.to_string(), self.read(&SPECS[0], &dup_place, col)?);
        }
        self.fold_fields(dup_uid, &into_uid, &row)
    }

    /// Carry the fields of a merged duplicate (`row`) that were set by changes this batch's
    /// merge had not seen onto the contact it was merged into. Whether the duplicate is still
    /// here when the merge arrives or was merged away already by another merge that had seen
    /// those changes, the change lands on the contact kept: every replica alike.
    fn fold_fields(
        &mut self,
        dup_uid: &str,
        into_uid: &str,
        row: &Map<String, Json>,
    ) -> Result<()> {
        let keep = std::mem::take(&mut self.seen);
        let place = Place {
            filter: "uid = ?1".into(),
            values: vec![Value::Text(into_uid.into())],
        };
        for (col, c) in clocks_of(self.conn, "contacts", dup_uid)? {
            if col.is_empty() || c.seen_by(&keep) || NOT_FOLDED.contains(&col.as_str()) {
                continue;
            }
            let val = row.get(&col).cloned().unwrap_or(Json::Null);
            let one: Map<String, Json> = [(col.clone(), val)].into_iter().collect();
            self.set_fields(&SPECS[0], into_uid, &place, &one, &c, false)?;
        }
        self.seen = keep;
        Ok(())
    }

    fn delete(&mut self, spec: &Spec, k: &str) -> Result<()> {
        // A merge moving a duplicate's tag or field to the contact kept deletes it from the
        // duplicate; where the duplicate is merged away already, the row is the kept
        // contact's own now, and stays.
        if spec.key.first() == Some(&"contact_id")
            && let Some(dup) = k.split(SEP).next()
            && self.merging.contains_key(dup)
            && id_by_uid(self.conn, "contacts", dup)?.is_none()
        {
            return Ok(());
        }
        // A tag or field of a contact merged away since is the kept contact's now: judged by
        // the evidence on it there. (A contact itself is never resolved: deleting a
        // duplicate is not deleting the contact it was merged into.)
        let resolved = self.resolve_key(spec, k)?;
        let k = if spec.key.first() == Some(&"contact_id") {
            resolved.as_str()
        } else {
            k
        };
        let Some(place) = self.place(spec, k, false)? else {
            return Ok(());
        };
        if !self.exists(spec, &place)? {
            if let Some(mut t) = tomb(self.conn, spec.name, k)? {
                // Into the contact this merge kept, even where another merge of the same
                // duplicate, into another contact, has the alias now.
                if spec.name == "contacts"
                    && let Some(into) = self.merging.get(k).cloned()
                {
                    let into = self.final_contact(&into)?;
                    if into != k && id_by_uid(self.conn, "contacts", &into)?.is_some() {
                        self.fold_fields(k, &into, &t.row)?;
                    }
                }
                t.seen = union(&t.seen, &self.seen);
                put_tomb(self.conn, spec.name, k, &self.clock.hlc, &t.seen, &t.row)?;
            }
            return Ok(());
        }
        let id = if spec.key.is_empty() {
            id_by_uid(self.conn, spec.name, k)?
        } else {
            None
        };
        if spec.name == "contacts"
            && let Some(id) = id
            && let Some(into) = self.merged_into(k)?
            && let Some(into) = id_by_uid(self.conn, "contacts", &self.final_contact(&into)?)?
            && into != id
        {
            self.fold_into(k, id, into)?;
        } else if written_unseen(self.conn, spec.name, k, &self.seen)? {
            // An edit the deleter had not seen: the row stays (a contact, archived).
            if spec.name == "contacts" {
                let (hlc, seen) = (self.clock.hlc.clone(), self.seen.clone());
                self.archive_as_deleted(k, &hlc, &seen)?;
            }
            self.out.kept_from_delete.push(self.label(spec, k));
            return Ok(());
        }
        let mut row = Map::new();
        for col in spec.cols {
            row.insert(col.to_string(), self.read(spec, &place, col)?);
        }
        put_tomb(self.conn, spec.name, k, &self.clock.hlc, &self.seen, &row)?;
        self.conn.execute(
            &format!("DELETE FROM {} WHERE {}", spec.name, place.filter),
            params_from_iter(place.values.iter()),
        )?;
        self.out.rows += 1;
        Ok(())
    }
}

/// Apply another replica's batch (the caller checked it is next in causal order), in the
/// caller's transaction.
pub fn apply(conn: &Connection, batch: &Batch) -> Result<Applied> {
    conn.execute("INSERT INTO sync_applying (x) VALUES (1)", [])?;
    let mut seen = batch.deps.clone();
    seen.insert(batch.replica.clone(), batch.seq);
    let mut a = Applier {
        conn,
        seen,
        clock: Clock {
            hlc: batch.hlc.clone(),
            replica: batch.replica.clone(),
            seq: batch.seq,
        },
        out: Applied::default(),
        merging: batch
            .ops
            .iter()
            .filter(|op| op.t == "contact_aliases" && op.n)
            .filter_map(|op| {
                let into = op.v.as_ref()?.get("contact_id")?.as_str()?;
                Some((op.k.clone(), into.to_string()))
            })
            .collect(),
    };
    // For the test that kills `tend sync` halfway through a batch (tests/sync.rs).
    let abort_at = std::env::var_os("TEND_SYNC_TEST_ABORT_MID_APPLY").map(|_| batch.ops.len() / 2);
    for (i, op) in batch.ops.iter().enumerate() {
        if abort_at == Some(i) {
            std::process::abort();
        }
        let Some((_, spec)) = spec(&op.t) else {
            continue;
        };
        match &op.v {
            Some(v) => a.upsert(spec, &op.k, v, op.n)?,
            None => a.delete(spec, &op.k)?,
        }
    }
    conn.execute("DELETE FROM sync_applying", [])?;
    let here = replica(conn)?.unwrap_or_default();
    let hlc =
        Hlc::parse(&meta(conn, "hlc")?.unwrap_or_default()).unwrap_or_else(|| Hlc::zero(&here));
    if let Some(theirs) = Hlc::parse(&batch.hlc) {
        set_meta(conn, "hlc", &hlc.observe(&theirs).encode())?;
    }
    set_applied(conn, &batch.replica, batch.seq, &now_utc())?;
    Ok(a.out)
}

/// Every row of the synced tables as one batch of new rows: what a database that becomes a
/// replica already holds, sent once so that the other replicas have it too.
pub fn everything(conn: &Connection) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for spec in SPECS {
        let names = columns(conn, spec.name)?;
        let cols: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        let mut stmt = conn.prepare(&format!("SELECT {} FROM {}", cols.join(", "), spec.name))?;
        let rows = stmt.query_map([], |r| {
            (0..cols.len())
                .map(|i| r.get::<_, Value>(i).map(Some))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        for row in rows {
            out.push(Change {
                table: spec.name.into(),
                op: Op::Insert,
                old: vec![None; cols.len()],
                new: row?,
            });
        }
    }
    Ok(out)
}

/// Forget the row clocks and tombstones (a replica starting afresh).
pub fn reset(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM sync_meta; DELETE FROM sync_outbox; DELETE FROM sync_applied;
         DELETE FROM sync_clock; DELETE FROM sync_tomb; DELETE FROM sync_written;",
    )?;
    Ok(())
}

/// Counts for `tend sync status`: rows tracked, tombstones kept.
pub fn sizes(conn: &Connection) -> Result<BTreeMap<&'static str, i64>> {
    let mut out = BTreeMap::new();
    out.insert(
        "clocks",
        conn.query_row("SELECT count(*) FROM sync_clock", [], |r| r.get(0))?,
    );
    out.insert(
        "deleted",
        conn.query_row("SELECT count(*) FROM sync_tomb", [], |r| r.get(0))?,
    );
    Ok(out)
}
