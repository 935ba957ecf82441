//! Merging a duplicate into a contact without losing a value: what the kept contact takes over
//! (details it lacks) and what is kept beside its own (a second email, a field that differs),
//! under a name that says so. Pure: the store applies it.

use std::collections::BTreeSet;

use super::contact::Contact;

/// The values of the duplicate that conflict with the kept contact's, as extra profile fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fold {
    /// (field key, value) to add to the kept contact.
    pub extra_fields: Vec<(String, String)>,
    /// One line per value folded in, for the summary.
    pub kept: Vec<String>,
}

/// What merging `from` into `into` keeps beside `into`'s own values. Details `into` lacks are
/// simply taken over (the store does that); equal ones need nothing.
pub fn fold(into: &Contact, from: &Contact) -> Fold {
    let mut taken: BTreeSet<String> = into.fields.keys().cloned().collect();
    taken.extend(from.fields.keys().cloned());
    let mut out = Fold::default();
    let mut keep = |key: &str, value: &str, what: &str| {
        let key = free_key(key, &mut taken);
        out.kept.push(format!("{what} '{value}' kept as '{key}'"));
        out.extra_fields.push((key, value.to_string()));
    };
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if !same(&into.name, &from.name) {
        keep("other name", &from.name, "name");
    }
    for (label, a, b) in [
        ("email", &into.email, &from.email),
        ("phone", &into.phone, &from.phone),
        ("address", &into.address, &from.address),
        ("source", &into.source, &from.source),
        ("company", &into.company, &from.company),
        ("referred by", &into.referred_by, &from.referred_by),
    ] {
        if let (Some(a), Some(b)) = (a, b)
            && !same(a, b)
        {
            keep(&format!("other {label}"), b, label);
        }
    }
    for (k, v) in &from.fields {
        if let Some(mine) = into.fields.get(k)
            && !same(mine, v)
        {
            keep(&format!("{k} (merged)"), v, k);
        }
    }
    out
}

/// `key`, or `key 2`, `key 3`… whichever is not taken yet (and take it).
fn free_key(key: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = key.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{key} {n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::contact::{ContactKind, Status};

    fn contact(name: &str, email: Option<&str>, fields: &[(&str, &str)]) -> Contact {
        Contact {
            id: 1,
            uid: "u".into(),
            kind: ContactKind::Person,
            name: name.into(),
            company_id: None,
            company: None,
            email: email.map(str::to_string),
            phone: None,
            address: None,
            status: Status::Lead,
            source: None,
            referred_by_id: None,
            referred_by: None,
            tags: Vec::new(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            last_note_at: None,
            archived: false,
            created_at: String::new(),
            updated_at: String::new(),
            cadence: None,
        }
    }

    #[test]
    fn conflicting_values_are_kept_under_names_that_say_so() {
        let a = contact(
            "Alex Morgan",
            Some("alex@work.example"),
            &[("likes", "tea")],
        );
        let mut b = contact(
            "A. Morgan",
            Some("alex@home.example"),
            &[("likes", "coffee")],
        );
        b.fields.insert("other email".into(), "already here".into());
        let f = fold(&a, &b);
        assert_eq!(
            f.extra_fields,
            [
                ("other name".to_string(), "A. Morgan".to_string()),
                ("other email 2".to_string(), "alex@home.example".to_string()),
                ("likes (merged)".to_string(), "coffee".to_string()),
            ]
        );
        assert_eq!(f.kept.len(), 3);
    }

    #[test]
    fn equal_or_missing_values_need_nothing() {
        let a = contact(
            "Alex Morgan",
            Some("Alex@Work.example"),
            &[("likes", "tea")],
        );
        let b = contact(
            "alex morgan",
            Some("alex@work.example"),
            &[("likes", "tea")],
        );
        assert_eq!(fold(&a, &b), Fold::default());
        let c = contact("Alex Morgan", None, &[]);
        assert_eq!(
            fold(&c, &b),
            Fold::default(),
            "what is missing is taken over, not kept aside"
        );
    }
}
