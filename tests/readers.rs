//! tend's exports read by independent parsers: Python's vobject (vCard 3.0 and 4.0) and
//! icalendar (VTODO and VEVENT files), installed from PyPI into a virtual environment under
//! the build's temp folder on first run (needs python3 and network access once; later runs
//! reuse it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Env;

/// Pinned so that a new release of a reader cannot turn CI red on its own.
const PACKAGES: [&str; 2] = ["icalendar==6.1.3", "vobject==0.9.9"];

fn python_with_readers() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readers-venv");
    let python = venv.join("bin").join("python");
    let ready = venv.join("ready");
    if !ready.exists() {
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 is needed for this test: install Python 3 (python3 -m venv)");
        assert!(status.success(), "python3 -m venv failed");
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(PACKAGES)
            .status()
            .expect("pip runs");
        assert!(
            status.success(),
            "pip install {PACKAGES:?} failed (is PyPI reachable?)"
        );
        std::fs::write(&ready, PACKAGES.join("\n")).unwrap();
    }
    python
}

#[test]
fn vobject_and_icalendar_read_every_export() {
    let env = Env::new();
    env.ok(&["add", "Crumbs & Co", "--kind", "company"]);
    env.ok(&[
        "add",
        "Zoë O'Brien",
        "--company",
        "Crumbs & Co",
        "--email",
        "zoe@crumbs.test",
        "--field",
        "email (home)=zoe@home.test",
        "--tag",
        "wedding cakes",
        "--tag",
        "vip",
        "--field",
        "note=likes lemon; hates \"fondant\", really",
        "--field",
        "birthday=1990-02-28",
    ]);
    env.ok(&["add", "Ann Apple", "--phone", "+44 1"]);
    env.ok(&[
        "next",
        "Zoë",
        "fri 14:30",
        "call about the tasting; bring samples",
    ]);
    env.ok(&[
        "next",
        "Ann",
        "2026-11-28",
        "send the price list",
        "--every",
        "1m",
    ]);

    let out = env.dir.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    for (args, file) in [
        (vec!["export", "vcard"], "contacts-4.vcf"),
        (vec!["export", "vcard", "--v3"], "contacts-3.vcf"),
        (vec!["export", "csv"], "contacts.csv"),
        (vec!["export", "ics"], "todos.ics"),
        (vec!["export", "ics", "--events"], "events.ics"),
    ] {
        let path = out.join(file);
        let mut args = args.clone();
        args.extend(["-o", path.to_str().unwrap()]);
        env.ok(&args);
    }
    let zoe = env.json(&["show", "Zoë", "--json"]);
    let followups: Vec<String> = env.json(&["today", "--json"])["upcoming"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| format!("{}@tend", f["uid"].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    let expected = serde_json::json!({
        "names": ["Crumbs & Co", "Zoë O'Brien", "Ann Apple"],
        "zoe": {
            "name": "Zoë O'Brien",
            "uid": zoe["contact"]["uid"],
            "company": "Crumbs & Co",
            "emails": ["zoe@crumbs.test", "zoe@home.test"],
            "tags": ["vip", "wedding-cakes"],
            "note": "likes lemon; hates \"fondant\", really",
        },
        "followups": followups,
    });
    assert_eq!(followups.len(), 2, "{expected}");
    std::fs::write(out.join("expected.json"), expected.to_string()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/check_exports.py");
    let run = Command::new(python_with_readers())
        .arg(script)
        .arg(&out)
        .output()
        .expect("the reader script runs");
    assert!(
        run.status.success(),
        "the independent readers refused an export:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
