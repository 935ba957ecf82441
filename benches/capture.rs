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

criterion_group!(benches, design_scale);
criterion_main!(benches);
