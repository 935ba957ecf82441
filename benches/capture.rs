//! End-to-end timings of the real `tend` binary at DESIGN.md's scale: 10,000 contacts,
//! 100,000 notes, 20,000 follow-ups, 5,000 deals, 50,000 money and time entries.
//! Each iteration is a whole process: start, open, migrate check, work, durable commit, exit.
//!
//! Run: `cargo bench --bench capture`. The figures go in BENCHMARKS.md.

mod common;

use std::path::Path;

use common::{seeded, tend};
use criterion::{Criterion, criterion_group, criterion_main};

fn contact_name(db: &Path, id: i64) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT name FROM contacts WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .unwrap()
}

fn design_scale(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let name = contact_name(&db, 4_321);

    let mut g = c.benchmark_group("design scale");
    g.sample_size(60);
    g.bench_function("tend note (exact name, durable)", |b| {
        b.iter(|| tend(&db, &["note", &name, "called about the spring order"]))
    });
    g.bench_function("tend note --next (exact name, durable)", |b| {
        b.iter(|| {
            tend(
                &db,
                &[
                    "note",
                    &name,
                    "sent the quote",
                    "--next",
                    "fri: chase the quote",
                ],
            )
        })
    });
    g.bench_function("tend note (fuzzy name, durable)", |b| {
        // No exact or prefix match: every contact goes through the fuzzy matcher.
        let fuzzy = name.replace(' ', "");
        b.iter(|| tend(&db, &["note", &fuzzy, "left a voicemail"]))
    });
    g.bench_function("tend today", |b| b.iter(|| tend(&db, &["today"])));
    g.bench_function("tend today --json (all)", |b| {
        b.iter(|| tend(&db, &["today", "--json"]))
    });
    g.bench_function("tend show", |b| b.iter(|| tend(&db, &["show", &name])));
    g.bench_function("tend search (notes and contacts)", |b| {
        b.iter(|| tend(&db, &["search", "quote", "spring"]))
    });
    for (label, args) in [
        (
            "tend report profit --period all",
            &["report", "profit", "--period", "all"][..],
        ),
        (
            "tend report profit --period year --sort rate",
            &["report", "profit", "--period", "year", "--sort", "rate"][..],
        ),
        ("tend report pipeline", &["report", "pipeline"][..]),
        ("tend report funnel", &["report", "funnel"][..]),
        (
            "tend report sources --period all",
            &["report", "sources", "--period", "all"][..],
        ),
        (
            "tend report referrals --period all",
            &["report", "referrals", "--period", "all"][..],
        ),
        ("tend doctor", &["doctor"][..]),
    ] {
        g.bench_function(label, |b| b.iter(|| tend(&db, args)));
    }
    g.bench_function("tend list --status client", |b| {
        b.iter(|| tend(&db, &["list", "--status", "client"]))
    });
    g.finish();
}

/// `tend status` against the floor it is measured by: a bare `sqlite3 DB 'select 1'` on the
/// same database (DESIGN.md: within 1.5x of it). Skipped when there is no sqlite3 to compare.
fn status(c: &mut Criterion) {
    use std::process::{Command, Stdio};
    if Command::new("sqlite3").arg("-version").output().is_err() {
        eprintln!("no sqlite3 on this machine: the status comparison is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    // A status line exits 1 when something is due (the seed has plenty), so its exit is not
    // checked here; tests/status.rs checks what it prints.
    let run = |cmd: &mut Command| {
        cmd.stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
    };
    let mut g = c.benchmark_group("status");
    g.sample_size(100);
    g.bench_function("sqlite3 DB 'select 1'", |b| {
        b.iter(|| run(Command::new("sqlite3").arg(&db).arg("select 1")))
    });
    g.bench_function("tend status", |b| {
        b.iter(|| {
            run(Command::new(env!("CARGO_BIN_EXE_tend"))
                .arg("status")
                .env("TEND_DB", &db)
                .env("TEND_NOW", "2026-11-23T10:00:00"))
        })
    });
    g.finish();
}

/// `tend note` against its floor (DESIGN.md: within 1.3x): a bare `sqlite3` inserting the same
/// note with `synchronous=FULL` into the same seeded database (so the same indexes and
/// triggers run), one process per note. Skipped when there is no sqlite3 to compare.
fn capture_floor(c: &mut Criterion) {
    use std::process::{Command, Stdio};
    if Command::new("sqlite3").arg("-version").output().is_err() {
        eprintln!("no sqlite3 on this machine: the capture comparison is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path());
    let name = contact_name(&db, 4_321);
    let insert = "PRAGMA synchronous = FULL;
        INSERT INTO notes (uid, contact_id, kind, body, at, created_at)
        VALUES (lower(hex(randomblob(16))), 4321, 'note', 'called about the spring order',
                '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z');";
    let mut g = c.benchmark_group("capture floor");
    g.sample_size(60);
    g.bench_function("sqlite3 insert, synchronous=FULL", |b| {
        b.iter(|| {
            let ok = Command::new("sqlite3")
                .arg(&db)
                .arg(insert)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(ok.success());
        })
    });
    g.bench_function("tend note", |b| {
        b.iter(|| tend(&db, &["note", &name, "called about the spring order"]))
    });
    g.finish();
}

criterion_group!(benches, design_scale, status, capture_floor);
criterion_main!(benches);
