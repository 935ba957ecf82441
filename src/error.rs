//! The library's errors. Each says what happened; `hint` says what to do about it.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One contact as an error lists it: id, name and something that tells it apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub detail: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no contact matches '{query}'")]
    NoSuchContact {
        query: String,
        suggestions: Vec<String>,
    },

    #[error("'{query}' matches {} contacts:{}", candidates.len(), list(candidates))]
    Ambiguous {
        query: String,
        candidates: Vec<Candidate>,
    },

    #[error("no open follow-up f#{0}")]
    NoSuchFollowUp(i64),

    #[error("{message}")]
    Invalid {
        message: String,
        hint: Option<String>,
    },

    #[error("{} was written by a newer tend (schema {found}; this tend knows up to {known})", path.display())]
    NewerDatabase {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("{} is not a tend database", path.display())]
    NotADatabase { path: PathBuf, detail: String },

    #[error("{} is read-only", path.display())]
    ReadOnly { path: PathBuf },

    #[error("cannot open {}: {reason}", path.display())]
    CannotOpen { path: PathBuf, reason: String },

    #[error("the database is busy: another program held it for longer than {seconds} s")]
    Busy { seconds: u64 },

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn list(candidates: &[Candidate]) -> String {
    candidates
        .iter()
        .map(|c| match &c.detail {
            Some(d) => format!("\n  #{:<5} {}  ({d})", c.id, c.name),
            None => format!("\n  #{:<5} {}", c.id, c.name),
        })
        .collect()
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid {
            message: message.into(),
            hint: None,
        }
    }

    pub fn invalid_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Invalid {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// What the person at the keyboard can do next.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoSuchContact { query, suggestions } => {
                let add = format!("to add them: tend add \"{query}\"");
                Some(if suggestions.is_empty() {
                    add
                } else {
                    format!("did you mean {}? Or, {add}", suggestions.join(", "))
                })
            }
            Error::Ambiguous { candidates, .. } => {
                let id = candidates.first().map_or(12, |c| c.id);
                Some(format!(
                    "use more of the name, the email, or the id: #{id} is {}",
                    candidates.first().map_or("the first above", |c| c.name.as_str())
                ))
            }
            Error::NoSuchFollowUp(_) => Some("`tend today` lists open follow-ups with their ids".into()),
            Error::Invalid { hint, .. } => hint.clone(),
            Error::NewerDatabase { .. } => Some(
                "upgrade tend to the newest version; this database was not changed".into(),
            ),
            Error::NotADatabase { detail, .. } => Some(format!(
                "{detail}; point --db (or TEND_DB) at a tend database, or at a new file to start one"
            )),
            Error::ReadOnly { path } => Some(format!(
                "make it writable (chmod u+w \"{}\") or use another file with --db",
                path.display()
            )),
            Error::CannotOpen { .. } => {
                Some("check the path and its permissions, or use another file with --db".into())
            }
            Error::Busy { .. } => Some(
                "nothing was saved; try again in a moment, or close the program holding the database".into(),
            ),
            Error::Sqlite(_) | Error::Io(_) => None,
        }
    }
}
