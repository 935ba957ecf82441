//! Import and export at scale, through the real binary: 10,000 vCards as an iPhone or Google
//! writes them (folded notes, itemN groups, several emails and phones), into an empty
//! database and again into the filled one (every card found, nothing new); and the exports
//! of a design-scale database.
//!
//! Run: `cargo bench --bench interop`. The figures go in BENCHMARKS.md.

mod common;

use std::fmt::Write as _;

use common::{seeded, tend};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const CARDS: usize = 10_000;

const FIRST: [&str; 12] = [
    "Ann", "Bob", "Cara", "Dev", "Ema", "Finn", "Gail", "Hugo", "Isla", "Jon", "Kemi", "Zoë",
];
const LAST: [&str; 10] = [
    "Apple", "Baker", "Crumb", "Dough", "Ember", "Flour", "Grain", "Honey", "Icing", "Müller",
];

fn vcards(n: usize) -> String {
    let mut s = String::with_capacity(n * 600);
    for i in 0..n {
        let (f, l) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
        let _ = write!(
            s,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n\
N:{l};{f};;;\r\nFN:{f} {l} {i}\r\nORG:{l} & Co {o};\r\nTITLE:Owner\r\n\
item1.EMAIL;type=INTERNET;type=pref:{f}.{i}@example.test\r\nitem1.X-ABLabel:_$!<Work>!$_\r\n\
item2.EMAIL;type=INTERNET:{f}{i}@home.test\r\nitem2.X-ABLabel:_$!<Home>!$_\r\n\
TEL;type=CELL;type=VOICE;type=pref:+44 7700 {i:06}\r\nTEL;type=WORK:+44 1225 {i:06}\r\n\
item3.ADR;type=WORK;type=pref:;;{i} Mill Lane;Bath;;BA1 1AA;United Kingdom\r\n\
BDAY:19{y:02}-0{m}-1{d}\r\nCATEGORIES:wholesale,tier-{t}\r\n\
NOTE:Met at the market in spring; orders sourdough and rye every week\\, pays on \r\n time. Prefers email.\r\n\
UID:card-{i}\r\nEND:VCARD\r\n",
            o = i % 700,
            y = 50 + i % 50,
            m = 1 + i % 9,
            d = i % 9,
            t = i % 4,
        );
    }
    s
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.vcf");
    std::fs::write(&file, vcards(CARDS)).unwrap();
    let file = file.to_str().unwrap().to_string();

    let mut g = c.benchmark_group("interop");
    g.sample_size(10);
    let mut n = 0;
    g.bench_function("import 10,000 vCards into an empty database", |b| {
        b.iter_batched(
            || {
                n += 1;
                dir.path().join(format!("fresh-{n}.db"))
            },
            |db| tend(&db, &["import", "vcard", &file]),
            BatchSize::PerIteration,
        )
    });
    let full = dir.path().join("full.db");
    tend(&full, &["import", "vcard", &file]);
    g.bench_function("import the same 10,000 vCards again (all unchanged)", |b| {
        b.iter(|| tend(&full, &["import", "vcard", &file]))
    });

    let seeded = seeded(dir.path());
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for (label, format) in [
        ("export vcard (design scale, 10,000 contacts)", "vcard"),
        ("export csv (design scale)", "csv"),
        ("export ics (design scale, open follow-ups)", "ics"),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| tend(&seeded, &["export", format, "-o", out]))
        });
    }
    g.finish();
}

/// `tend vdir sync` at design scale: the first sync writes 10,000 cards and a file per open
/// (or recently finished) follow-up; then one changed contact costs one file.
fn vdir(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seeded(dir.path());
    let mut g = c.benchmark_group("vdir");
    g.sample_size(10);
    let mut n = 0;
    // Each run on its own copy of the seeded database, with empty folders.
    let fresh = |n: usize| {
        let db = dir.path().join(format!("sync-{n}.db"));
        std::fs::copy(&seeded, &db).unwrap();
        let config = db.with_extension("config");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(
            config.join("config.toml"),
            format!(
                "[vdir]\ncontacts = \"{0}/contacts-{n}\"\ncalendar = \"{0}/calendar-{n}\"\n",
                dir.path().display()
            ),
        )
        .unwrap();
        db
    };
    g.bench_function(
        "first sync (10,000 contacts, open and recent follow-ups)",
        |b| {
            b.iter_batched(
                || {
                    n += 1;
                    fresh(n)
                },
                |db| tend(&db, &["vdir", "sync"]),
                BatchSize::PerIteration,
            )
        },
    );
    let db = fresh(0);
    tend(&db, &["vdir", "sync"]);
    g.bench_function("sync with nothing changed", |b| {
        b.iter(|| tend(&db, &["vdir", "sync"]))
    });
    let mut k = 0;
    g.bench_function("sync after one contact changed", |b| {
        b.iter_batched(
            || {
                k += 1;
                tend(&db, &["edit", "#5", "--phone", &format!("07700 {k:06}")]);
            },
            |()| tend(&db, &["vdir", "sync"]),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// `tend sync` at design scale: a new machine's first catch-up from the folder (from the
/// snapshot the first machine wrote when it became a replica), a day's work (25 changes made
/// on each machine) both ways, and a capture's cost on a replica.
fn sync(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let desk = seeded(dir.path());
    let folder = dir.path().join("folder");
    let folder = folder.to_str().unwrap().to_string();
    tend(&desk, &["sync", "init", &folder]);
    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    let mut n = 0;
    g.bench_function("a new machine catches up (design scale)", |b| {
        b.iter_batched(
            || {
                n += 1;
                dir.path().join(format!("new-{n}.db"))
            },
            |db| tend(&db, &["sync", "init", &folder]),
            BatchSize::PerIteration,
        )
    });
    let lap = dir.path().join("lap.db");
    tend(&lap, &["sync", "init", &folder]);
    let mut k = 0;
    g.bench_function(
        "a day's work both ways (25 changes each side, 3 syncs)",
        |b| {
            b.iter_batched(
                || {
                    for i in 0..25 {
                        k += 1;
                        let who = format!("#{}", 1 + (k * 7) % 9000);
                        match i % 3 {
                            0 => tend(&desk, &["note", &who, "rang about the order"]),
                            1 => tend(&lap, &["edit", &who, "--phone", &format!("07700 {k:06}")]),
                            _ => tend(&lap, &["note", &who, "on site, measured up"]),
                        }
                        if i % 2 == 0 {
                            tend(&desk, &["next", &who, "fri", "send the quote"]);
                        }
                    }
                },
                |()| {
                    tend(&desk, &["sync"]);
                    tend(&lap, &["sync"]);
                    tend(&desk, &["sync"]);
                },
                BatchSize::PerIteration,
            )
        },
    );
    let mut m = 0;
    g.bench_function("tend note on a replica (design scale)", |b| {
        b.iter(|| {
            m += 1;
            tend(
                &desk,
                &["note", &format!("#{}", 1 + m % 9000), "called back"],
            )
        })
    });
    g.finish();
}

criterion_group!(benches, import, vdir, sync);
criterion_main!(benches);
