//! SQLite's session extension, as much of it as `tend sync` uses: record every change one
//! transaction makes to some tables (the changes its triggers and foreign-key cascades make
//! included), then read them back as rows.
//!
//! rusqlite's `session` feature would wrap this, but it turns on bindgen, which needs libclang
//! at build time, and a fresh machine has none. The bundled SQLite is built with the extension
//! (`.cargo/config.toml` sets `LIBSQLITE3_FLAGS`) and its bundled bindings already declare the
//! functions, so the few calls are made here directly.

use std::ffi::{CStr, CString, c_int};
use std::marker::PhantomData;
use std::ptr;

use rusqlite::Connection;
use rusqlite::ffi;
use rusqlite::types::Value;

use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

/// One row's net change over the transaction. `old` and `new` have one entry per column of
/// the table, in its order: for an insert only `new` is filled, for a delete only `old`; for an
/// update `old` holds the primary key and the changed columns' old values and `new` the
/// changed columns' new values, and the others are `None`.
#[derive(Debug, Clone)]
pub struct Change {
    pub table: String,
    pub op: Op,
    pub old: Vec<Option<Value>>,
    pub new: Vec<Option<Value>>,
}

/// A recording session on one connection. Dropped, it stops recording.
pub struct Session<'c> {
    raw: *mut ffi::sqlite3_session,
    _conn: PhantomData<&'c Connection>,
}

fn check(rc: c_int) -> Result<()> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None).into())
    }
}

impl<'c> Session<'c> {
    /// Start recording changes to `tables` (each must have a primary key) of `conn`'s main
    /// database.
    pub fn start(conn: &'c Connection, tables: &[&str]) -> Result<Session<'c>> {
        let mut raw = ptr::null_mut();
        // SAFETY: the handle is valid for 'c, and the session is deleted (Drop) before the
        // connection can be.
        check(unsafe { ffi::sqlite3session_create(conn.handle(), c"main".as_ptr(), &mut raw) })?;
        let session = Session {
            raw,
            _conn: PhantomData,
        };
        for table in tables {
            let name = CString::new(*table).expect("table names have no NUL");
            // SAFETY: raw is a live session; SQLite copies the name.
            check(unsafe { ffi::sqlite3session_attach(session.raw, name.as_ptr()) })?;
        }
        Ok(session)
    }

    /// Every change recorded so far, one per row.
    pub fn changes(&self) -> Result<Vec<Change>> {
        let mut size: c_int = 0;
        let mut buf: *mut std::ffi::c_void = ptr::null_mut();
        // SAFETY: raw is live; SQLite allocates buf, freed below with sqlite3_free.
        check(unsafe { ffi::sqlite3session_changeset(self.raw, &mut size, &mut buf) })?;
        let out = if size == 0 {
            Ok(Vec::new())
        } else {
            // SAFETY: buf holds `size` bytes of changeset until freed below.
            unsafe { read_changeset(size, buf) }
        };
        // SAFETY: buf came from SQLite (or is null, which sqlite3_free accepts).
        unsafe { ffi::sqlite3_free(buf) };
        out
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        // SAFETY: raw is live and not used after this.
        unsafe { ffi::sqlite3session_delete(self.raw) };
    }
}

/// # Safety
/// `buf` must hold a changeset of `size` bytes.
unsafe fn read_changeset(size: c_int, buf: *mut std::ffi::c_void) -> Result<Vec<Change>> {
    let mut iter = ptr::null_mut();
    check(unsafe { ffi::sqlite3changeset_start(&mut iter, size, buf) })?;
    let mut out = Vec::new();
    let result = loop {
        match unsafe { ffi::sqlite3changeset_next(iter) } {
            ffi::SQLITE_ROW => {}
            ffi::SQLITE_DONE => break Ok(()),
            rc => break check(rc),
        }
        let mut table: *const std::ffi::c_char = ptr::null();
        let (mut ncol, mut op, mut indirect) = (0, 0, 0);
        if let Err(e) = check(unsafe {
            ffi::sqlite3changeset_op(iter, &mut table, &mut ncol, &mut op, &mut indirect)
        }) {
            break Err(e);
        }
        let table = unsafe { CStr::from_ptr(table) }
            .to_string_lossy()
            .into_owned();
        let op = match op {
            ffi::SQLITE_INSERT => Op::Insert,
            ffi::SQLITE_UPDATE => Op::Update,
            _ => Op::Delete,
        };
        let column = |i: c_int, new: bool| -> Option<Value> {
            let mut v = ptr::null_mut();
            let rc = unsafe {
                if new {
                    ffi::sqlite3changeset_new(iter, i, &mut v)
                } else {
                    ffi::sqlite3changeset_old(iter, i, &mut v)
                }
            };
            if rc != ffi::SQLITE_OK || v.is_null() {
                return None;
            }
            Some(unsafe { value(v) })
        };
        let old = (0..ncol)
            .map(|i| {
                if op == Op::Insert {
                    None
                } else {
                    column(i, false)
                }
            })
            .collect();
        let new = (0..ncol)
            .map(|i| {
                if op == Op::Delete {
                    None
                } else {
                    column(i, true)
                }
            })
            .collect();
        out.push(Change {
            table,
            op,
            old,
            new,
        });
    };
    unsafe { ffi::sqlite3changeset_finalize(iter) };
    result.map(|()| out)
}

/// # Safety
/// `v` must be a live value of the iterator.
unsafe fn value(v: *mut ffi::sqlite3_value) -> Value {
    unsafe {
        match ffi::sqlite3_value_type(v) {
            ffi::SQLITE_INTEGER => Value::Integer(ffi::sqlite3_value_int64(v)),
            ffi::SQLITE_FLOAT => Value::Real(ffi::sqlite3_value_double(v)),
            ffi::SQLITE_TEXT => {
                let p = ffi::sqlite3_value_text(v);
                let n = ffi::sqlite3_value_bytes(v) as usize;
                let bytes = if p.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p, n)
                };
                Value::Text(String::from_utf8_lossy(bytes).into_owned())
            }
            ffi::SQLITE_BLOB => {
                let p = ffi::sqlite3_value_blob(v) as *const u8;
                let n = ffi::sqlite3_value_bytes(v) as usize;
                let bytes = if p.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p, n)
                };
                Value::Blob(bytes.to_vec())
            }
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_records_inserts_updates_deletes_and_cascades() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, n INTEGER);
             CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id) ON DELETE CASCADE);
             INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2);
             INSERT INTO c VALUES (10, 2);",
        )
        .unwrap();
        let s = Session::start(&conn, &["p", "c"]).unwrap();
        conn.execute_batch(
            "INSERT INTO p VALUES (3, 'c', 3);
             UPDATE p SET name = 'A' WHERE id = 1;
             DELETE FROM p WHERE id = 2;",
        )
        .unwrap();
        let mut changes = s.changes().unwrap();
        changes.sort_by_key(|c| {
            (
                c.table.clone(),
                format!("{:?}", c.old[0]),
                format!("{:?}", c.new[0]),
            )
        });
        let ops: Vec<_> = changes.iter().map(|c| (c.table.as_str(), c.op)).collect();
        assert_eq!(
            ops,
            [
                ("c", Op::Delete),
                ("p", Op::Insert),
                ("p", Op::Update),
                ("p", Op::Delete)
            ]
        );
        let update = changes.iter().find(|c| c.op == Op::Update).unwrap();
        assert_eq!(update.old[0], Some(Value::Integer(1)));
        assert_eq!(update.new[1], Some(Value::Text("A".into())));
        assert_eq!(update.new[2], None, "an unchanged column is not recorded");
    }
}
