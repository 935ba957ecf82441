//! Whole rows as data, for undoing a delete: a row is read as column → value before it goes,
//! and put back as it was (same id, same uid), so links to it and exports stay the same.

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};

/// The tables whose rows a delete can be undone for.
const TABLES: [&str; 4] = ["notes", "follow_ups", "money_entries", "time_entries"];

fn checked(table: &str) -> Result<&str> {
    TABLES
        .iter()
        .find(|t| **t == table)
        .copied()
        .ok_or_else(|| Error::invalid(format!("rows of '{table}' cannot be restored")))
}

/// The row `id` of `table`, every column, or None when there is none.
pub fn snapshot(conn: &Connection, table: &str, id: i64) -> Result<Option<Map<String, Json>>> {
    let table = checked(table)?;
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE id = ?1"))?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = stmt.query([id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut row = Map::new();
    for (i, name) in names.iter().enumerate() {
        let v = match r.get_ref(i)? {
            ValueRef::Null => Json::Null,
            ValueRef::Integer(n) => Json::from(n),
            ValueRef::Real(f) => Json::from(f),
            ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).to_string()),
            ValueRef::Blob(_) => return Err(Error::invalid("a blob cannot be kept for undo")),
        };
        row.insert(name.clone(), v);
    }
    Ok(Some(row))
}

/// Put a row back exactly as `snapshot` read it.
pub fn reinsert(conn: &Connection, table: &str, row: &Map<String, Json>) -> Result<()> {
    let table = checked(table)?;
    let cols: Vec<&String> = row.keys().collect();
    // Column names come from the table itself (snapshot); refuse anything else.
    if cols
        .iter()
        .any(|c| !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
    {
        return Err(Error::invalid(
            "an undo record names a column that cannot exist",
        ));
    }
    let values = row.values().map(|v| match v {
        Json::Null => Value::Null,
        Json::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0)), Value::Integer),
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    });
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        (1..=cols.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    conn.execute(&sql, params_from_iter(values))?;
    Ok(())
}
