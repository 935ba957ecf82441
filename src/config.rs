//! Paths: where the database lives (platform data dir, `TEND_DB`, or `--db`).

use std::path::PathBuf;

use directories::ProjectDirs;

use crate::error::{Error, Result};

pub const DB_VAR: &str = "TEND_DB";
pub const DB_FILE: &str = "tend.db";

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "tend")
}

/// The database tend opens when neither `--db` nor `TEND_DB` says otherwise.
pub fn default_db_path() -> Result<PathBuf> {
    dirs().map(|d| d.data_dir().join(DB_FILE)).ok_or_else(|| {
        Error::invalid_with_hint(
            "cannot find your home folder to keep the database in",
            "set HOME, or say where the database is with --db PATH or TEND_DB",
        )
    })
}

/// `--db` (which clap also fills from `TEND_DB`), else the platform default.
pub fn db_path(flag: Option<PathBuf>) -> Result<PathBuf> {
    match flag {
        Some(p) if !p.as_os_str().is_empty() => Ok(p),
        _ => default_db_path(),
    }
}
