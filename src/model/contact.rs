//! Contacts: lifecycle status and kind (person or company).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Where a contact stands in the lifecycle lead → prospect → client (→ former), or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Lead,
    Prospect,
    Client,
    Former,
    Lost,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Lead,
        Status::Prospect,
        Status::Client,
        Status::Former,
        Status::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Lead => "lead",
            Status::Prospect => "prospect",
            Status::Client => "client",
            Status::Former => "former",
            Status::Lost => "lost",
        }
    }

    /// Active contacts are the ones that must always have a next step.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Lead | Status::Prospect | Status::Client)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "lead" => Ok(Status::Lead),
            "prospect" | "opportunity" => Ok(Status::Prospect),
            "client" | "customer" => Ok(Status::Client),
            "former" | "past" => Ok(Status::Former),
            "lost" => Ok(Status::Lost),
            other => Err(format!(
                "unknown status '{other}': use one of lead, prospect, client, former, lost"
            )),
        }
    }
}

/// A contact is a person or a company; a person may belong to a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    Person,
    Company,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Person => "person",
            ContactKind::Company => "company",
        }
    }
}

impl FromStr for ContactKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "person" => Ok(ContactKind::Person),
            "company" | "org" | "organisation" | "organization" => Ok(ContactKind::Company),
            other => Err(format!("unknown kind '{other}': use person or company")),
        }
    }
}

/// A contact with everything `tend show` prints about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub uid: String,
    pub kind: ContactKind,
    pub name: String,
    pub company_id: Option<i64>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub status: Status,
    pub source: Option<String>,
    pub referred_by_id: Option<i64>,
    pub referred_by: Option<String>,
    pub tags: Vec<String>,
    pub fields: BTreeMap<String, String>,
    pub last_note_at: Option<String>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
    /// How often to be in touch, as set on the contact ("2w", "off"); None: the defaults.
    pub cadence: Option<String>,
}

impl Contact {
    /// The details a profile shows, as (label, value), in order: kind (for a company),
    /// company, email, phone, address, source, who referred them, tags, then profile fields.
    pub fn details(&self) -> Vec<(String, String)> {
        let mut d: Vec<(String, String)> = Vec::new();
        if self.kind == ContactKind::Company {
            d.push(("kind".into(), "company".into()));
        }
        for (label, value) in [
            ("company", &self.company),
            ("email", &self.email),
            ("phone", &self.phone),
            ("address", &self.address),
            ("source", &self.source),
            ("referred by", &self.referred_by),
        ] {
            if let Some(v) = value {
                d.push((label.into(), v.clone()));
            }
        }
        if !self.tags.is_empty() {
            d.push(("tags".into(), self.tags.join(", ")));
        }
        d.extend(self.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        d
    }
}

/// A contact as a listing shows it: one line each.
/// A contact as the Clients list shows it, kept small because the list holds the whole book
/// (100,000 of these are about 8 MB): tags are numbers into the list's own `tag_names`.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: i64,
    pub kind: ContactKind,
    pub status: Status,
    pub needs_next_step: bool,
    pub next_due: Option<chrono::NaiveDate>,
    pub name: Box<str>,
    pub tags: Box<[u32]>,
}

/// Every unarchived contact as the Clients list shows them, and the tags they use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub rows: Vec<Listed>,
    pub tag_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactRow {
    pub id: i64,
    pub kind: ContactKind,
    pub name: String,
    pub status: Status,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: Vec<String>,
    pub next_due: Option<String>,
    pub last_note_at: Option<String>,
    pub archived: bool,
    /// Active, with no open follow-up: the store's one rule (`store::contacts::NO_NEXT_STEP`),
    /// which also leaves out a company whose people are looked after.
    pub needs_next_step: bool,
}

/// Normalise a tag as typed: trimmed, lower case, inner spaces as dashes, no leading '#' or
/// '+' (`tend tag bob +wholesale` is the habit of other tools).
pub fn normalize_tag(tag: &str) -> Option<String> {
    let t = tag
        .trim()
        .trim_start_matches(['#', '+'])
        .trim()
        .to_lowercase();
    if t.is_empty() {
        return None;
    }
    Some(t.split_whitespace().collect::<Vec<_>>().join("-"))
}

/// The tags in what was typed: `vip,wholesale` is two (a comma or semicolon separates tags,
/// as in every program's exports), each normalised.
pub fn tags_in(typed: &str) -> Vec<String> {
    typed.split([',', ';']).filter_map(normalize_tag).collect()
}

/// Split `key=value` as given to `--field`; the key is trimmed and lower-cased.
pub fn parse_field(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_lowercase(), v.trim().to_string())),
        _ => Err(format!(
            "'{arg}' is not a profile field: write it as key=value, e.g. --field likes=\"lemon cake\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_names_and_aliases() {
        assert_eq!("Client".parse::<Status>(), Ok(Status::Client));
        assert_eq!("customer".parse::<Status>(), Ok(Status::Client));
        assert!(
            "vip"
                .parse::<Status>()
                .unwrap_err()
                .contains("lead, prospect")
        );
    }

    #[test]
    fn only_lead_prospect_and_client_are_active() {
        let active: Vec<_> = Status::ALL.iter().filter(|s| s.is_active()).collect();
        assert_eq!(active, [&Status::Lead, &Status::Prospect, &Status::Client]);
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalize_tag(" #Cake Lover "), Some("cake-lover".into()));
        assert_eq!(normalize_tag("+wholesale"), Some("wholesale".into()));
        assert_eq!(normalize_tag("  "), None);
        assert_eq!(normalize_tag("+"), None);
        assert_eq!(tags_in("VIP, wholesale;;#x y"), ["vip", "wholesale", "x-y"]);
    }

    #[test]
    fn fields_need_a_key() {
        assert_eq!(
            parse_field("Likes = lemon cake"),
            Ok(("likes".into(), "lemon cake".into()))
        );
        assert!(parse_field("=x").is_err());
        assert!(parse_field("nokey").is_err());
    }
}
