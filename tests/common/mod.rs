//! Shared test set-up: a temporary database, the real binary and a fixed clock
//! (Monday 23 November 2026, 10:00 UTC).

#![allow(dead_code)]

pub mod screen;

use std::path::PathBuf;

use assert_cmd::Command;
use rusqlite::Connection;
use tempfile::TempDir;

pub const NOW: &str = "2026-11-23T10:00:00";

pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        // An explicit TEND_DB must be in a folder that exists (tend init makes new ones).
        std::fs::create_dir(&data).expect("data folder");
        let db = data.join("tend.db");
        Env { dir, db }
    }

    /// `tend` on this database with the fixed clock, no colour, no editor, empty stdin.
    pub fn tend(&self) -> Command {
        let mut c = Command::cargo_bin("tend").expect("the tend binary");
        c.env("TEND_DB", &self.db)
            .env("TEND_NOW", NOW)
            .env("NO_COLOR", "1")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .env("HOME", self.dir.path())
            .env("TEND_CONFIG_DIR", self.config_dir())
            // The daily copy runs as a process of its own; tests that want it turn it on.
            .env("TEND_DAILY_BACKUP", "off")
            .write_stdin("");
        c
    }

    /// The test's own config folder (config.toml, recipes/), never the machine's.
    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// Run tend with these arguments; it must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.tend().args(args).output().expect("tend runs");
        assert!(
            out.status.success(),
            "tend {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Run tend with these arguments; it must fail; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.tend().args(args).output().expect("tend runs");
        assert!(
            !out.status.success(),
            "tend {args:?} should have failed but printed:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).expect("utf-8 errors")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).expect("valid JSON")
    }

    /// A direct connection to the database, to check what was stored.
    pub fn conn(&self) -> Connection {
        Connection::open(&self.db).expect("open the test database")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// The people of `with_people`, with a day to review: Alice overdue (send invoice), Bob
    /// due today (call back), Carol with no next step.
    pub fn day_to_review() -> Env {
        let env = Env::with_people();
        env.ok(&["next", "alice", "3d ago", "send invoice"]);
        env.ok(&["next", "bob", "today", "call back"]);
        env.ok(&["note", "carol", "met at the market", "--at", "2d ago"]);
        env
    }

    /// Alice (client, Acme Bakery), Bob (lead, referred by Alice), Carol (prospect).
    pub fn with_people() -> Env {
        let env = Env::new();
        env.ok(&[
            "add",
            "Alice Smith",
            "--email",
            "alice@example.com",
            "--company",
            "Acme Bakery",
            "--status",
            "client",
            "--tag",
            "vip",
            "--field",
            "likes=lemon cake",
        ]);
        env.ok(&[
            "add",
            "Bob Jones",
            "--referred-by",
            "alice",
            "--source",
            "website",
        ]);
        env.ok(&[
            "add",
            "Carol White",
            "--status",
            "prospect",
            "--phone",
            "07700 900123",
        ]);
        env
    }
}
