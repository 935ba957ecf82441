//! The whole database as one JSON document, and back. Rows carry their stable uids; links
//! between rows are written as the uid of the row linked to, so a document restores into any
//! empty database. Derived columns (last_note_at, next_due) are left out: triggers rebuild them.

use std::collections::HashMap;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde_json::{Map, Value as Json};

use crate::error::{Error, Result};

pub const FORMAT_VERSION: i64 = 1;

/// A table, its columns as exported, and which of them link to which table.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    links: &'static [(&'static str, &'static str)],
}

/// In the order they are restored: a row only links to rows restored before it (contacts'
/// links to other contacts are set in a second pass).
const TABLES: &[Table] = &[
    Table {
        name: "contacts",
        columns: &[
            "uid",
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
    },
    Table {
        name: "contact_tags",
        columns: &["contact_id", "tag"],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "contact_fields",
        columns: &["contact_id", "key", "value"],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "contact_extras",
        columns: &["contact_id", "position", "line"],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "deals",
        columns: &[
            "uid",
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
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "deal_stage_history",
        columns: &["deal_id", "stage", "entered_at"],
        links: &[("deal_id", "deals")],
    },
    Table {
        name: "follow_ups",
        columns: &[
            "uid",
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
        links: &[("contact_id", "contacts"), ("deal_id", "deals")],
    },
    Table {
        name: "notes",
        columns: &["uid", "contact_id", "kind", "body", "at", "created_at"],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "money_entries",
        columns: &[
            "uid",
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
        links: &[("contact_id", "contacts"), ("deal_id", "deals")],
    },
    Table {
        name: "time_entries",
        columns: &[
            "uid",
            "contact_id",
            "deal_id",
            "minutes",
            "on_date",
            "memo",
            "created_at",
        ],
        links: &[("contact_id", "contacts"), ("deal_id", "deals")],
    },
    Table {
        name: "checklists",
        columns: &[
            "uid",
            "contact_id",
            "recipe",
            "title",
            "started_on",
            "completed_at",
            "created_at",
        ],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "checklist_steps",
        columns: &[
            "uid",
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
    },
    Table {
        name: "contact_status_history",
        columns: &["contact_id", "status", "entered_at"],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "contact_aliases",
        columns: &["alias", "contact_id"],
        links: &[("contact_id", "contacts")],
    },
    Table {
        name: "settings",
        columns: &["key", "value"],
        links: &[],
    },
];

/// A column's value as JSON (shared with `rows`, which keeps rows for undo).
pub(crate) fn to_json(v: ValueRef) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => Json::from(f),
        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).to_string()),
        ValueRef::Blob(b) => Json::from(b.to_vec()),
    }
}

/// Every table's rows, in id order, with links as uids.
pub fn export(conn: &Connection) -> Result<Map<String, Json>> {
    let mut uids: HashMap<&str, HashMap<i64, String>> = HashMap::new();
    for t in TABLES.iter().filter(|t| t.columns[0] == "uid") {
        let mut stmt = conn.prepare(&format!("SELECT id, uid FROM {}", t.name))?;
        let map = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<i64, String>>>()?;
        uids.insert(t.name, map);
    }
    let mut tables = Map::new();
    for t in TABLES {
        // Tags, fields and settings have no rowid: their keys give a stable order.
        let order = match t.name {
            "contact_tags" | "contact_fields" | "contact_aliases" | "contact_extras"
            | "settings" => "1, 2",
            _ => "id",
        };
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {order}",
            t.columns.join(", "),
            t.name
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut obj = Map::new();
            for (i, col) in t.columns.iter().enumerate() {
                let mut v = to_json(r.get_ref(i)?);
                if let Some((_, target)) = t.links.iter().find(|(c, _)| c == col)
                    && let Some(id) = v.as_i64()
                {
                    v = uids[target]
                        .get(&id)
                        .cloned()
                        .map_or(Json::Null, Json::from);
                }
                let key = col
                    .strip_suffix("_id")
                    .filter(|_| t.links.iter().any(|(c, _)| c == col))
                    .unwrap_or(col);
                obj.insert(key.to_string(), v);
            }
            out.push(Json::Object(obj));
        }
        tables.insert(t.name.to_string(), Json::Array(out));
    }
    Ok(tables)
}

/// A JSON value back as a column's value.
pub(crate) fn to_sql(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0)), Value::Integer),
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// Restore `tables` into an empty database (inside the caller's transaction). A missing link
/// or a malformed row is an error that names the table and row; nothing is kept then.
pub fn import(conn: &Connection, tables: &Map<String, Json>) -> Result<usize> {
    let mut ids: HashMap<&str, HashMap<String, i64>> = HashMap::new();
    let mut later: Vec<(i64, &'static str, String)> = Vec::new();
    let mut count = 0;
    for t in TABLES {
        let Some(rows) = tables.get(t.name) else {
            continue;
        };
        let rows = rows
            .as_array()
            .ok_or_else(|| Error::invalid(format!("'{}' should be a list of rows", t.name)))?;
        let mut cols: Vec<String> = t.columns.iter().map(|c| c.to_string()).collect();
        let mut marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        // Numbered above every id this book gave before it was emptied.
        if super::NEVER_REUSED.contains(&t.name) {
            cols.push("id".into());
            marks.push(super::next_id(t.name));
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            t.name,
            cols.join(", "),
            marks.join(", ")
        );
        let mut stmt = conn.prepare(&sql)?;
        for (n, row) in rows.iter().enumerate() {
            let bad = |what: String| Error::invalid(format!("{} row {}: {what}", t.name, n + 1));
            let obj = row.as_object().ok_or_else(|| bad("not an object".into()))?;
            let mut values = Vec::with_capacity(t.columns.len());
            for col in t.columns {
                match t.links.iter().find(|(c, _)| c == col) {
                    Some((_, target)) => {
                        let key = col.trim_end_matches("_id");
                        let uid = obj.get(key).and_then(Json::as_str);
                        let id = match uid {
                            None => None,
                            Some(u) => match ids.get(target).and_then(|m| m.get(u)) {
                                Some(id) => Some(*id),
                                None if t.name == "contacts" => {
                                    later.push((0, col, u.to_string()));
                                    None
                                }
                                None => {
                                    return Err(bad(format!("{key} '{u}' is not in the document")));
                                }
                            },
                        };
                        values.push(id.map_or(Value::Null, Value::Integer));
                    }
                    None => values.push(to_sql(obj.get(*col).unwrap_or(&Json::Null))),
                }
            }
            stmt.execute(params_from_iter(values))
                .map_err(|e| bad(e.to_string()))?;
            let id = conn.last_insert_rowid();
            for pending in later.iter_mut().filter(|l| l.0 == 0) {
                pending.0 = id;
            }
            if t.columns[0] == "uid" {
                let uid = obj
                    .get("uid")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string();
                ids.entry(t.name).or_default().insert(uid, id);
            }
            count += 1;
        }
        if t.name == "contacts" {
            // Links between contacts, now that every contact has an id.
            for (id, col, uid) in later.drain(..) {
                let target = ids
                    .get("contacts")
                    .and_then(|m| m.get(&uid))
                    .copied()
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "contacts: {} '{uid}' is not in the document",
                            col.trim_end_matches("_id")
                        ))
                    })?;
                conn.execute(
                    &format!("UPDATE contacts SET {col} = ?1 WHERE id = ?2"),
                    [target, id],
                )?;
            }
            // The insert trigger wrote each contact's status; the document has the real history.
            if tables.contains_key("contact_status_history") {
                conn.execute("DELETE FROM contact_status_history", [])?;
            }
        }
    }
    Ok(count)
}
