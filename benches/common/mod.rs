//! What the end-to-end benches share: the release binary run as a user runs it, on a
//! database of its own, with the fixed clock and the default settings.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TEND: &str = env!("CARGO_BIN_EXE_tend");
const NOW: &str = "2026-11-23T10:00:00";

pub fn tend(db: &Path, args: &[&str]) {
    let status = Command::new(TEND)
        .args(args)
        .env("TEND_DB", db)
        .env("TEND_NOW", NOW)
        // The default settings, whatever the machine's own config says.
        .env("TEND_CONFIG_DIR", db.with_extension("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("tend runs");
    assert!(status.success(), "tend {args:?} failed");
}

/// A database at the design scale, made once per run with `tend dev seed`.
pub fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("tend.db");
    tend(&db, &["dev", "seed"]);
    db
}
