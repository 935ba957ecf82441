//! Notes (interactions): what kind of contact it was.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    Note,
    Call,
    Email,
    Meeting,
    /// Written by tend itself (what a sync could not merge): kept, but not an interaction.
    Sync,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Note => "note",
            NoteKind::Call => "call",
            NoteKind::Email => "email",
            NoteKind::Meeting => "meeting",
            NoteKind::Sync => "sync",
        }
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NoteKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "note" => Ok(NoteKind::Note),
            "call" | "phone" => Ok(NoteKind::Call),
            "email" | "mail" => Ok(NoteKind::Email),
            "meeting" | "meet" | "visit" => Ok(NoteKind::Meeting),
            // tend's own, read back from the database.
            "sync" => Ok(NoteKind::Sync),
            other => Err(format!(
                "unknown kind '{other}': use one of note, call, email, meeting"
            )),
        }
    }
}

/// A logged interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub uid: String,
    pub contact_id: i64,
    pub contact: String,
    pub kind: NoteKind,
    pub body: String,
    /// When it happened (UTC, RFC 3339).
    pub at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_with_aliases() {
        assert_eq!("Phone".parse::<NoteKind>(), Ok(NoteKind::Call));
        assert_eq!("meeting".parse::<NoteKind>(), Ok(NoteKind::Meeting));
        assert!("fax".parse::<NoteKind>().is_err());
    }
}
