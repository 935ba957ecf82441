//! Whole rows as data, for undoing a delete: a row is read as column → value before it goes,
//! and put back as it was (same id, same uid), so links to it and exports stay the same.

use super::export::{to_json, to_sql};
use rusqlite::{Connection, params_from_iter};
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};

/// The tables whose rows a delete can be undone for.
const TABLES: [&str; 14] = [
    "contact_extras",
    "notes",
    "follow_ups",
    "money_entries",
    "time_entries",
    "contacts",
    "contact_tags",
    "contact_fields",
    "contact_aliases",
    "contact_status_history",
    "deals",
    "deal_stage_history",
    "checklists",
    "checklist_steps",
];

fn checked(table: &str) -> Result<&str> {
    TABLES
        .iter()
        .find(|t| **t == table)
        .copied()
        .ok_or_else(|| Error::invalid(format!("rows of '{table}' cannot be restored")))
}

/// The row `id` of `table`, every column, or None when there is none.
pub fn snapshot(conn: &Connection, table: &str, id: i64) -> Result<Option<Map<String, Json>>> {
    Ok(select(conn, table, "id = ?1", id)?.into_iter().next())
}

/// Every row of `table` matching `filter` (with `?1` bound to `id`), every column.
fn select(conn: &Connection, table: &str, filter: &str, id: i64) -> Result<Vec<Map<String, Json>>> {
    let table = checked(table)?;
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE {filter}"))?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = stmt.query([id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Map::new();
        for (i, name) in names.iter().enumerate() {
            row.insert(name.clone(), to_json(r.get_ref(i)?));
        }
        out.push(row);
    }
    Ok(out)
}

/// A checklist, the follow-ups its steps made that are still open, and its steps, in the order
/// they can be put back in.
pub fn checklist_and_steps(conn: &Connection, id: i64) -> Result<Vec<(String, Map<String, Json>)>> {
    let parts: [(&str, &str); 3] = [
        ("checklists", "id = ?1"),
        (
            "follow_ups",
            "done_at IS NULL AND id IN (SELECT follow_up_id FROM checklist_steps WHERE checklist_id = ?1)",
        ),
        ("checklist_steps", "checklist_id = ?1"),
    ];
    let mut out = Vec::new();
    for (table, filter) in parts {
        for row in select(conn, table, filter, id)? {
            out.push((table.to_string(), row));
        }
    }
    Ok(out)
}

/// A contact and everything recorded for it, table by table, in an order it can be put back
/// in (each row after the rows it points to).
pub fn contact_and_all(conn: &Connection, id: i64) -> Result<Vec<(String, Map<String, Json>)>> {
    let by_contact = "contact_id = ?1";
    let parts: [(&str, &str); 14] = [
        ("contacts", "id = ?1"),
        ("contact_tags", by_contact),
        ("contact_extras", by_contact),
        ("contact_fields", by_contact),
        ("contact_aliases", by_contact),
        ("contact_status_history", by_contact),
        ("deals", by_contact),
        (
            "deal_stage_history",
            "deal_id IN (SELECT id FROM deals WHERE contact_id = ?1)",
        ),
        ("checklists", by_contact),
        ("follow_ups", by_contact),
        (
            "checklist_steps",
            "checklist_id IN (SELECT id FROM checklists WHERE contact_id = ?1)",
        ),
        ("notes", by_contact),
        ("money_entries", by_contact),
        ("time_entries", by_contact),
    ];
    let mut out = Vec::new();
    for (table, filter) in parts {
        for row in select(conn, table, filter, id)? {
            out.push((table.to_string(), row));
        }
    }
    Ok(out)
}

/// Rows as data, table by table, in the order they can be put back in.
pub type Rows = Vec<(String, Map<String, Json>)>;

/// The tables whose rows may name a deal (`deal_id`, set to NULL when the deal goes).
const POINT_AT_DEALS: [&str; 3] = ["follow_ups", "money_entries", "time_entries"];

/// A deal and its stage history, in the order they can be put back in, and the rows of other
/// tables that name it (table, id).
pub fn deal_and_history(conn: &Connection, id: i64) -> Result<(Rows, Vec<(String, i64)>)> {
    let mut rows = Vec::new();
    for (table, filter) in [("deals", "id = ?1"), ("deal_stage_history", "deal_id = ?1")] {
        for row in select(conn, table, filter, id)? {
            rows.push((table.to_string(), row));
        }
    }
    let mut linked = Vec::new();
    for table in POINT_AT_DEALS {
        let mut stmt = conn.prepare(&format!("SELECT id FROM {table} WHERE deal_id = ?1"))?;
        let ids = stmt.query_map([id], |r| r.get::<_, i64>(0))?;
        for row in ids {
            linked.push((table.to_string(), row?));
        }
    }
    Ok((rows, linked))
}

/// Point a row of a table that names deals at `deal_id` again.
pub fn relink_deal(conn: &Connection, table: &str, id: i64, deal_id: i64) -> Result<()> {
    let table = POINT_AT_DEALS
        .iter()
        .find(|t| **t == table)
        .ok_or_else(|| Error::invalid(format!("rows of '{table}' do not name deals")))?;
    conn.execute(
        &format!("UPDATE {table} SET deal_id = ?2 WHERE id = ?1"),
        rusqlite::params![id, deal_id],
    )?;
    Ok(())
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
    let values = row.values().map(to_sql);
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
