//! A whole replica as one value: every synced row (uid-keyed, as rows travel), the clocks of
//! their fields, the tombstones and the evidence of writes that deletes are judged by, and
//! the batches it covers. A new replica starts from one instead of replaying every change
//! file, and old change files can be dropped once every replica has taken them in and a
//! snapshot holds what they did.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::{
    Applied, Applier, Clock, SPECS, Uids, applied, columns, meta, row_as_sent, set_applied,
    set_meta,
};
use crate::error::Result;
use crate::model::sync::{Hlc, Seen};

/// A row and its field clocks. `c`: for each clock (an index into [`Snapshot::clocks`]), the
/// fields it set, comma-separated ('' is the row's creation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub t: String,
    pub k: String,
    /// The row's columns, or None for a row deleted (its clocks kept for later edits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Map<String, Json>>,
    pub c: Vec<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tomb {
    pub t: String,
    pub k: String,
    pub hlc: String,
    pub seen: Seen,
    pub row: Map<String, Json>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// For each replica, the last of its batches the snapshot holds.
    pub covers: Seen,
    pub hlc: String,
    /// Every clock once: (hlc, replica, batch).
    pub clocks: Vec<(String, String, i64)>,
    pub rows: Vec<Row>,
    pub tombs: Vec<Tomb>,
    /// Evidence of writes: (table, key, replica, batch).
    pub written: Vec<(String, String, String, i64)>,
}

/// The clocks of every row, by table and key: (clock index, field).
type Clocks = (
    Vec<(String, String, i64)>,
    HashMap<(String, String), BTreeMap<usize, Vec<String>>>,
);

fn all_clocks(conn: &Connection) -> Result<Clocks> {
    let mut index: HashMap<(String, String, i64), usize> = HashMap::new();
    let mut list = Vec::new();
    let mut by_row: HashMap<(String, String), BTreeMap<usize, Vec<String>>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT tbl, key, col, hlc, replica, seq FROM sync_clock")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let clock: (String, String, i64) = (r.get(3)?, r.get(4)?, r.get(5)?);
        let i = *index.entry(clock.clone()).or_insert_with(|| {
            list.push(clock);
            list.len() - 1
        });
        by_row
            .entry((r.get(0)?, r.get(1)?))
            .or_default()
            .entry(i)
            .or_default()
            .push(r.get(2)?);
    }
    Ok((list, by_row))
}

fn grouped(cols: BTreeMap<usize, Vec<String>>) -> Vec<(usize, String)> {
    cols.into_iter().map(|(i, c)| (i, c.join(","))).collect()
}

/// This replica, whole.
pub fn take(conn: &Connection) -> Result<Snapshot> {
    let (clocks, mut by_row) = all_clocks(conn)?;
    let uids = Uids {
        conn,
        gone: HashMap::new(),
    };
    let mut rows = Vec::new();
    for spec in SPECS {
        let names = columns(conn, spec.name)?;
        let cols: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        let mut stmt = conn.prepare(&format!("SELECT {} FROM {}", cols.join(", "), spec.name))?;
        let mut found = stmt.query([])?;
        while let Some(r) = found.next()? {
            let mut row = HashMap::new();
            for (i, c) in cols.iter().enumerate() {
                row.insert(c.to_string(), r.get::<_, Value>(i)?);
            }
            if let Some((k, v)) = row_as_sent(&uids, spec, &row)? {
                let c = by_row
                    .remove(&(spec.name.to_string(), k.clone()))
                    .map(grouped)
                    .unwrap_or_default();
                rows.push(Row {
                    t: spec.name.into(),
                    k,
                    v: Some(v),
                    c,
                });
            }
        }
    }
    // Clocks of rows not here (deleted, or merged away): kept, so that a later edit is judged
    // the same on the new replica as here.
    let mut rest: Vec<_> = by_row.into_iter().collect();
    rest.sort();
    rows.extend(rest.into_iter().map(|((t, k), c)| Row {
        t,
        k,
        v: None,
        c: grouped(c),
    }));
    let mut tombs = Vec::new();
    let mut stmt =
        conn.prepare("SELECT tbl, key, hlc, seen, row FROM sync_tomb ORDER BY tbl, key")?;
    let mut found = stmt.query([])?;
    while let Some(r) = found.next()? {
        let seen: String = r.get(3)?;
        let row: String = r.get(4)?;
        tombs.push(Tomb {
            t: r.get(0)?,
            k: r.get(1)?,
            hlc: r.get(2)?,
            seen: serde_json::from_str(&seen).unwrap_or_default(),
            row: serde_json::from_str(&row).unwrap_or_default(),
        });
    }
    let mut written = Vec::new();
    let mut stmt =
        conn.prepare("SELECT tbl, key, replica, seq FROM sync_written ORDER BY tbl, key")?;
    let mut found = stmt.query([])?;
    while let Some(r) = found.next()? {
        written.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    }
    Ok(Snapshot {
        covers: applied(conn)?,
        hlc: meta(conn, "hlc")?.unwrap_or_default(),
        clocks,
        rows,
        tombs,
        written,
    })
}

/// Take a snapshot in, on a replica that has made and taken in nothing yet. Returns the rows
/// made.
pub fn load(conn: &Connection, snap: &Snapshot) -> Result<usize> {
    let me = super::replica(conn)?.unwrap_or_default();
    // The whole book in one transaction: a page cache big enough to hold what it writes
    // (instead of spilling to the WAL and reading it back), for this once.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA cache_size = -262144")?;
    conn.execute("INSERT INTO sync_applying (x) VALUES (1)", [])?;
    let mut a = Applier {
        conn,
        seen: Seen::new(),
        clock: Clock {
            hlc: String::new(),
            replica: String::new(),
            seq: 0,
        },
        out: Applied::default(),
        merging: Default::default(),
    };
    let mut set_clock = conn.prepare_cached(
        "INSERT INTO sync_clock (tbl, key, col, hlc, replica, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tbl, key, col) DO NOTHING",
    )?;
    // For the test that kills `tend sync` halfway through (tests/sync.rs).
    let abort_at = std::env::var_os("TEND_SYNC_TEST_ABORT_MID_APPLY").map(|_| snap.rows.len() / 2);
    for (i, row) in snap.rows.iter().enumerate() {
        if abort_at == Some(i) {
            std::process::abort();
        }
        if let (Some(v), Some((_, spec))) = (&row.v, super::spec(&row.t)) {
            a.insert(spec, &row.k, v)?;
        }
        for (i, cols) in &row.c {
            let Some((hlc, replica, seq)) = snap.clocks.get(*i) else {
                continue;
            };
            for col in cols.split(',') {
                set_clock.execute(params![row.t, row.k, col, hlc, replica, seq])?;
            }
        }
    }
    let mut put = conn.prepare_cached(
        "INSERT INTO sync_tomb (tbl, key, hlc, seen, row) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tbl, key) DO NOTHING",
    )?;
    for t in &snap.tombs {
        put.execute(params![
            t.t,
            t.k,
            t.hlc,
            serde_json::to_string(&t.seen).expect("maps serialise"),
            serde_json::to_string(&t.row).expect("rows serialise")
        ])?;
    }
    let mut put = conn.prepare_cached(
        "INSERT INTO sync_written (tbl, key, replica, seq) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tbl, key, replica) DO UPDATE SET seq = max(seq, excluded.seq)",
    )?;
    // Links between contacts (a person's company, who referred them) once all are here.
    let contacts = &SPECS[0];
    for row in snap.rows.iter().filter(|r| r.t == contacts.name) {
        let Some(v) = &row.v else { continue };
        for (col, _) in contacts.links {
            if let Some(Json::String(uid)) = v.get(*col)
                && let Some(id) = a.local("contacts", uid, false)?
            {
                conn.prepare_cached(&format!("UPDATE contacts SET {col} = ?1 WHERE uid = ?2"))?
                    .execute(params![id, row.k])?;
            }
        }
    }
    for (t, k, r, s) in &snap.written {
        put.execute(params![t, k, r, s])?;
    }
    conn.execute("DELETE FROM sync_applying", [])?;
    conn.execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
    let at = super::now_utc();
    for (replica, seq) in &snap.covers {
        if *replica != me {
            set_applied(conn, replica, *seq, &at)?;
        }
    }
    let hlc = Hlc::parse(&meta(conn, "hlc")?.unwrap_or_default()).unwrap_or_else(|| Hlc::zero(&me));
    if let Some(theirs) = Hlc::parse(&snap.hlc) {
        set_meta(conn, "hlc", &hlc.observe(&theirs).encode())?;
    }
    Ok(a.out.rows)
}
