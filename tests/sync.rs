//! Two and three machines, one book (`tend sync`): replicas that work offline and meet through
//! folders end with the same data, whatever each did and in whatever order the files reach
//! them; and each conflict rule, each failure of the folder, as the user would meet it.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::Env;
use proptest::prelude::*;
use rusqlite::Connection;
use serde_json::{Map, Value as Json};
use tend::clock::Clock;
use tend::commands::contacts::{self, AddContact, EditContact};
use tend::commands::money::{self, NewEntry};
use tend::commands::notes::{self, AddNote, NotePatch};
use tend::commands::sync::{self, SyncReport};
use tend::commands::{NextStep, deals, doctor, followups};
use tend::model::deal::Stage;
use tend::model::note::NoteKind;
use tend::store::Store;
use tend::when::When;

fn clock() -> Clock {
    Clock::parse(common::NOW).unwrap()
}

/// Everything a replica holds, as `tend export json` writes it, each table's rows in one
/// order (local ids differ between replicas, so the export's id order does too). Settings
/// are this machine's own (the folders it syncs), not the book's.
fn book(store: &Store) -> Map<String, Json> {
    let mut all = tend::store::export::export(store.conn()).unwrap();
    all.remove("settings");
    for rows in all.values_mut() {
        if let Json::Array(rows) = rows {
            rows.sort_by_key(|r| r.to_string());
        }
    }
    all
}

fn integrity(store: &Store) {
    let ok: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let fk: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "no row links to one that is not there");
}

fn add(store: &mut Store, name: &str) -> i64 {
    contacts::add(
        store,
        &clock(),
        AddContact {
            name: name.into(),
            ..AddContact::default()
        },
    )
    .unwrap()
    .contact
    .id
}

fn id_of(store: &Store, name: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT id FROM contacts WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

fn note(store: &mut Store, id: i64, body: &str) -> i64 {
    notes::add(
        store,
        &clock(),
        AddNote {
            contact_id: id,
            kind: NoteKind::Note,
            body: body.into(),
            at: None,
            next: None,
        },
    )
    .unwrap()
    .note_id
}

fn sync(store: &mut Store) -> SyncReport {
    sync::run(store, false).unwrap()
}

/// `n` replicas syncing through one folder; the first begins with Ann, Ben and Cat.
fn replicas(dir: &Path, n: usize) -> (Vec<Store>, PathBuf) {
    let folder = dir.join("folder");
    let mut out = Vec::new();
    for i in 0..n {
        let mut s = Store::open(&dir.join(format!("r{i}.db"))).unwrap();
        if i == 0 {
            for name in ["Ann", "Ben", "Cat"] {
                add(&mut s, name);
            }
        }
        sync::init(&mut s, &folder).unwrap();
        out.push(s);
    }
    for s in &mut out {
        sync(s);
    }
    (out, folder)
}

fn one_value(store: &Store, sql: &str) -> rusqlite::types::Value {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

// ---------------------------------------------------------------------------------------
// Random work on random replicas, random deliveries.

#[derive(Debug, Clone)]
enum Step {
    /// Replica, what, and two numbers to choose with.
    Work(usize, u8, usize, usize),
    /// A replica runs `tend sync` against its own copy of the folder.
    Sync(usize),
    /// A replica runs `tend sync --compact`, when its copy of the folder has every other
    /// replica's `replica.json` (what `--compact` asks of the user: every machine has synced).
    Compact(usize),
    /// The file syncer copies some files from one replica's folder to another's; `cut`: the
    /// last of them arrives only half copied, for now.
    Deliver {
        from: usize,
        to: usize,
        pick: u64,
        cut: bool,
    },
}

/// `merges`: whether the work includes merging contacts.
fn step(n: usize, merges: bool) -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..n, 0u8..12, 0usize..8, 0usize..8)
            .prop_map(move |(r, w, a, b)| Step::Work(r, if w == 5 && !merges { 1 } else { w }, a, b)),
        2 => (0..n).prop_map(Step::Sync),
        1 => (0..n).prop_map(Step::Compact),
        2 => (0..n, 0..n, any::<u64>(), any::<bool>()).prop_map(|(from, to, pick, cut)| Step::Deliver { from, to, pick, cut }),
    ]
}

fn live(store: &Store) -> Vec<i64> {
    let mut stmt = store
        .conn()
        .prepare("SELECT id FROM contacts ORDER BY uid")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn ids(store: &Store, sql: &str) -> Vec<i64> {
    let mut stmt = store.conn().prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn work(store: &mut Store, what: u8, a: usize, b: usize) {
    let c = clock();
    let people = live(store);
    if people.is_empty() {
        add(store, "Dee");
        return;
    }
    let who = people[a % people.len()];
    let day = NaiveDate::from_ymd_opt(2026, 11, 1 + (a + b) as u32 % 28).unwrap();
    // Each command may refuse (merging someone into themselves, a deal already won): a refused
    // command writes nothing, which is part of what is tested.
    match what {
        0 => {
            add(store, ["Eve", "Fay", "Gus", "Hal"][a % 4]);
        }
        1 => {
            note(store, who, &format!("called about job {b}"));
        }
        2 => {
            let e = match b % 4 {
                0 => EditContact {
                    phone: Some(format!("07700 90{a}{b}")),
                    ..EditContact::default()
                },
                1 => EditContact {
                    email: Some(format!("p{a}{b}@example.com")),
                    ..EditContact::default()
                },
                2 => EditContact {
                    status: Some(["lead", "prospect", "client"][a % 3].parse().unwrap()),
                    ..EditContact::default()
                },
                _ => EditContact {
                    set_fields: vec![("likes".into(), format!("tea {a}"))],
                    ..EditContact::default()
                },
            };
            let _ = contacts::edit(store, &c, who, e);
        }
        3 => {
            let t = ["vip", "local", "slow"][b % 3].to_string();
            let _ = if a.is_multiple_of(2) {
                contacts::tag(store, &c, who, &[t], &[])
            } else {
                contacts::tag(store, &c, who, &[], &[t])
            };
        }
        4 => {
            let _ = contacts::delete(store, who);
        }
        5 => {
            // The same pair merged on two machines is merged the same way round on both (the
            // contact made first kept): merging each into the other at once, offline, is the
            // one case that does not converge yet (see the sync module's notes).
            let (i, j) = (a % people.len(), b % people.len());
            let _ = doctor::merge(store, &c, people[i.min(j)], people[i.max(j)]);
        }
        6 => {
            let deals = ids(store, "SELECT id FROM deals ORDER BY uid");
            if deals.is_empty() || a.is_multiple_of(2) {
                let _ = deals::add(
                    store,
                    &c,
                    who,
                    &format!("job {b}"),
                    1000 * b as i64,
                    Stage::New,
                );
            } else {
                let stage = [Stage::Qualified, Stage::Proposal, Stage::Won][b % 3];
                let _ = deals::move_to(store, &c, deals[b % deals.len()], stage, None);
            }
        }
        7 => {
            let e = NewEntry {
                contact_id: who,
                deal_id: None,
                on_date: day,
                memo: None,
            };
            let _ = match b % 3 {
                0 => money::income(store, &c, e, 100 * (a as i64 + 1), None).map(drop),
                1 => money::expense(store, &c, e, 50 * (a as i64 + 1)).map(drop),
                _ => money::time(store, &c, e, 30 * (a as i64 + 1)).map(drop),
            };
        }
        8 => {
            let every = b
                .is_multiple_of(2)
                .then(|| tend::model::Recurrence::parse("2w").unwrap());
            let _ = followups::set_next(
                store,
                &c,
                who,
                NextStep {
                    when: When {
                        date: day,
                        time: None,
                    },
                    text: format!("ring {b}"),
                    every,
                },
            );
        }
        9 => {
            let open = ids(
                store,
                "SELECT id FROM follow_ups WHERE done_at IS NULL ORDER BY uid",
            );
            if !open.is_empty() {
                let _ = followups::done(store, &c, open[a % open.len()]);
            }
        }
        10 => {
            let all = ids(store, "SELECT id FROM notes ORDER BY uid");
            if !all.is_empty() {
                let patch = NotePatch {
                    body: Some(format!("rewritten {b}")),
                    ..NotePatch::default()
                };
                let _ = notes::edit(store, all[a % all.len()], &patch);
            }
        }
        _ => {
            let all = ids(store, "SELECT id FROM notes ORDER BY uid");
            if !all.is_empty() {
                let _ = notes::delete(store, all[b % all.len()]);
            }
        }
    }
}

/// Copy some of `from`'s change files (each replica's subfolder) into `to`'s folder.
fn deliver(from: &Path, to: &Path, pick: u64, cut: bool) {
    if from == to {
        return;
    }
    let mut files = Vec::new();
    for sub in std::fs::read_dir(from).unwrap() {
        let sub = sub.unwrap().path();
        for f in std::fs::read_dir(&sub).unwrap() {
            let f = f.unwrap().path();
            if f.extension()
                .is_some_and(|e| e == "chg" || e == "json" || e == "snap")
            {
                files.push(f);
            }
        }
    }
    files.sort();
    let mut chosen: Vec<&PathBuf> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| pick >> (i % 64) & 1 == 1)
        .map(|(_, f)| f)
        .collect();
    let half = if cut { chosen.pop() } else { None };
    for f in chosen.iter().copied().chain(half) {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let text = std::fs::read(f).unwrap();
        // A file syncer passes on only files it has whole.
        if f.extension().is_some_and(|e| e == "chg" || e == "snap")
            && !String::from_utf8_lossy(&text)
                .lines()
                .last()
                .is_some_and(|l| l.starts_with("end "))
        {
            continue;
        }
        if Some(f) == half && !dest.exists() {
            std::fs::write(&dest, &text[..text.len() / 2]).unwrap();
        } else if Some(f) != half {
            std::fs::write(&dest, &text).unwrap();
        }
    }
}

fn converge(dir: &Path, n: usize, steps: &[Step]) {
    let folders: Vec<PathBuf> = (0..n).map(|i| dir.join(format!("folder{i}"))).collect();
    let mut stores: Vec<Store> = Vec::new();
    for (i, folder) in folders.iter().enumerate() {
        let mut s = Store::open(&dir.join(format!("r{i}.db"))).unwrap();
        if i == 0 {
            for name in ["Ann", "Ben", "Cat"] {
                add(&mut s, name);
            }
        }
        sync::init(&mut s, folder).unwrap();
        stores.push(s);
    }
    for s in steps {
        match *s {
            Step::Work(r, w, a, b) => work(&mut stores[r], w, a, b),
            Step::Sync(r) => {
                // A new replica whose copy of the folder has a compacted replica's note but
                // not its snapshot yet is told to wait: it takes in nothing.
                if let Err(e) = sync::run(&mut stores[r], false) {
                    assert!(e.to_string().contains("not whole here yet"), "{e}");
                }
            }
            Step::Compact(r) => {
                // The user checks `tend sync status` lists every machine: their replica.json
                // files are here (what they have taken in may be old).
                for o in (0..n).filter(|&o| o != r) {
                    let id = stores[o].replica().unwrap().to_string();
                    let from = folders[o].join(&id).join("replica.json");
                    if from.exists() {
                        std::fs::create_dir_all(folders[r].join(&id)).unwrap();
                        std::fs::copy(from, folders[r].join(&id).join("replica.json")).unwrap();
                    }
                }
                let known = (0..n).filter(|&o| o != r).all(|o| {
                    folders[r]
                        .join(stores[o].replica().unwrap())
                        .join("replica.json")
                        .exists()
                });
                if known && let Err(e) = sync::run(&mut stores[r], true) {
                    assert!(e.to_string().contains("not whole here yet"), "{e}");
                }
            }
            Step::Deliver {
                from,
                to,
                pick,
                cut,
            } => deliver(&folders[from], &folders[to], pick, cut),
        }
    }
    // Then they meet: every file reaches every folder, and each syncs until nothing is left.
    for _ in 0..3 {
        for s in &mut stores {
            sync(s);
        }
        for from in 0..n {
            for to in 0..n {
                deliver(&folders[from], &folders[to], u64::MAX, false);
            }
        }
    }
    for s in &mut stores {
        let r = sync(s);
        assert_eq!(r.waiting, 0);
        assert!(r.incomplete.is_empty());
    }
    // Every machine has taken in everything: each may drop its change files, and a new one
    // joining the folder as the syncer then has it (each replica's own subfolder as that
    // replica left it) starts from a snapshot and ends the same.
    for s in &mut stores {
        sync::run(s, true).unwrap();
    }
    let joined = dir.join("joined");
    for (i, s) in stores.iter().enumerate() {
        let id = s.replica().unwrap();
        let (from, to) = (folders[i].join(id), joined.join(id));
        std::fs::create_dir_all(&to).unwrap();
        for f in std::fs::read_dir(&from).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
        }
    }
    let mut new = Store::open(&dir.join("joined.db")).unwrap();
    let r = sync::init(&mut new, &joined).unwrap();
    assert_eq!(r.waiting, 0);
    assert!(r.from_snapshot.is_some(), "{r:?}");
    stores.push(new);
    let first = book(&stores[0]);
    for (i, s) in stores.iter().enumerate() {
        integrity(s);
        let other = book(s);
        for (table, rows) in &first {
            let (a, b) = (rows.as_array().unwrap(), other[table].as_array().unwrap());
            let only_first: Vec<_> = a.iter().filter(|r| !b.contains(r)).collect();
            let only_other: Vec<_> = b.iter().filter(|r| !a.contains(r)).collect();
            assert!(
                a.len() == b.len() && only_first.is_empty() && only_other.is_empty(),
                "replica {i} differs from replica 0 in {table}: only in 0: {only_first:?}; only in {i}: {only_other:?}"
            );
        }
    }
}

proptest! {
    // A fixed seed: the same sequences on every run (set PROPTEST_CASES higher, and
    // PROPTEST_RNG_SEED, to search further; what a search finds goes in `found_cases_converge`).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24),
        rng_seed: proptest::test_runner::RngSeed::Fixed(
            std::env::var("PROPTEST_RNG_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(20261202),
        ),
        ..ProptestConfig::default()
    })]

    #[test]
    fn two_replicas_end_the_same(steps in prop::collection::vec(step(2, false), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        converge(dir.path(), 2, &steps);
    }

    #[test]
    fn three_replicas_end_the_same(steps in prop::collection::vec(step(3, false), 1..50)) {
        let dir = tempfile::tempdir().unwrap();
        converge(dir.path(), 3, &steps);
    }

    /// With merges as well, crossing deletes, edits and merges of the same contacts.
    #[test]
    fn replicas_with_merges_end_the_same(steps in prop::collection::vec(step(3, true), 1..50)) {
        let dir = tempfile::tempdir().unwrap();
        converge(dir.path(), 3, &steps);
    }
}

// ---------------------------------------------------------------------------------------
// The conflict rules, one by one.

#[test]
fn the_same_field_changed_on_both_keeps_the_later_and_says_what_went() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 2);
    let ann = [id_of(&r[0], "Ann"), id_of(&r[1], "Ann")];
    contacts::edit(
        &mut r[0],
        &clock(),
        ann[0],
        EditContact {
            phone: Some("01111 111111".into()),
            ..EditContact::default()
        },
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    contacts::edit(
        &mut r[1],
        &clock(),
        ann[1],
        EditContact {
            phone: Some("02222 222222".into()),
            ..EditContact::default()
        },
    )
    .unwrap();
    sync(&mut r[0]);
    let report = sync(&mut r[1]);
    let back = sync(&mut r[0]);
    for s in &r {
        assert_eq!(
            one_value(s, "SELECT phone FROM contacts WHERE name = 'Ann'"),
            rusqlite::types::Value::Text("02222 222222".into())
        );
    }
    // Each side says which value went: the one that took in the loser, and the one whose
    // value was replaced.
    for rep in [&report, &back] {
        let c = &rep.conflicts[0];
        assert_eq!((c.contact.as_str(), c.field.as_str()), ("Ann", "phone"));
        assert_eq!(c.kept, Json::from("02222 222222"));
        assert_eq!(c.discarded, Json::from("01111 111111"));
    }
    assert_eq!(book(&r[0]), book(&r[1]));
}

#[test]
fn notes_made_on_both_machines_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 2);
    let ben = [id_of(&r[0], "Ben"), id_of(&r[1], "Ben")];
    note(&mut r[0], ben[0], "from the desktop");
    note(&mut r[1], ben[1], "from the laptop");
    for _ in 0..2 {
        sync(&mut r[0]);
        sync(&mut r[1]);
    }
    for s in &r {
        assert_eq!(
            one_value(
                s,
                "SELECT group_concat(body, '|') FROM (SELECT body FROM notes ORDER BY body)"
            ),
            rusqlite::types::Value::Text("from the desktop|from the laptop".into())
        );
        // Full-text search is built here, from what arrived.
        assert_eq!(
            one_value(
                s,
                "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'laptop'"
            ),
            rusqlite::types::Value::Integer(1)
        );
    }
    assert_eq!(book(&r[0]), book(&r[1]));
}

#[test]
fn a_contact_deleted_on_one_and_changed_on_the_other_is_kept_archived_with_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 2);
    let cat = [id_of(&r[0], "Cat"), id_of(&r[1], "Cat")];
    contacts::delete(&mut r[0], cat[0]).unwrap();
    note(&mut r[1], cat[1], "wants the big job after all");
    contacts::edit(
        &mut r[1],
        &clock(),
        cat[1],
        EditContact {
            phone: Some("07700 900999".into()),
            ..EditContact::default()
        },
    )
    .unwrap();
    sync(&mut r[0]);
    let laptop = sync(&mut r[1]);
    let desktop = sync(&mut r[0]);
    assert_eq!(laptop.kept_from_delete, ["Cat"]);
    assert!(desktop.kept_from_delete.contains(&"Cat".to_string()));
    for s in &r {
        assert_eq!(
            one_value(s, "SELECT phone FROM contacts WHERE name = 'Cat'"),
            rusqlite::types::Value::Text("07700 900999".into())
        );
        assert_eq!(
            one_value(
                s,
                "SELECT archived_at IS NOT NULL FROM contacts WHERE name = 'Cat'"
            ),
            rusqlite::types::Value::Integer(1)
        );
        assert_eq!(
            one_value(s, "SELECT count(*) FROM notes"),
            rusqlite::types::Value::Integer(1)
        );
    }
    assert_eq!(book(&r[0]), book(&r[1]));
}

#[test]
fn a_delete_that_had_seen_everything_deletes_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 2);
    let ann = id_of(&r[1], "Ann");
    note(&mut r[1], ann, "old news");
    sync(&mut r[1]);
    sync(&mut r[0]);
    let gone = id_of(&r[0], "Ann");
    contacts::delete(&mut r[0], gone).unwrap();
    sync(&mut r[0]);
    let report = sync(&mut r[1]);
    assert!(report.kept_from_delete.is_empty());
    for s in &r {
        assert_eq!(
            one_value(s, "SELECT count(*) FROM contacts WHERE name = 'Ann'"),
            rusqlite::types::Value::Integer(0)
        );
        assert_eq!(
            one_value(s, "SELECT count(*) FROM notes"),
            rusqlite::types::Value::Integer(0)
        );
    }
}

#[test]
fn a_follow_up_completed_on_both_is_completed_once_and_repeats_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 2);
    let ann = id_of(&r[0], "Ann");
    let every = Some(tend::model::Recurrence::parse("2w").unwrap());
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    followups::set_next(
        &mut r[0],
        &clock(),
        ann,
        NextStep {
            when: When {
                date: day,
                time: None,
            },
            text: "check in".into(),
            every,
        },
    )
    .unwrap();
    sync(&mut r[0]);
    sync(&mut r[1]);
    for s in &mut r {
        let open: i64 = s
            .conn()
            .query_row("SELECT id FROM follow_ups WHERE done_at IS NULL", [], |r| {
                r.get(0)
            })
            .unwrap();
        followups::done(s, &clock(), open).unwrap();
    }
    for _ in 0..2 {
        sync(&mut r[0]);
        sync(&mut r[1]);
    }
    for s in &r {
        assert_eq!(
            one_value(
                s,
                "SELECT count(*) FROM follow_ups WHERE done_at IS NOT NULL"
            ),
            rusqlite::types::Value::Integer(1)
        );
        assert_eq!(
            one_value(s, "SELECT count(*) FROM follow_ups WHERE done_at IS NULL"),
            rusqlite::types::Value::Integer(1),
            "one next occurrence"
        );
    }
    assert_eq!(book(&r[0]), book(&r[1]));
}

#[test]
fn a_merge_travels_as_a_merge_and_takes_what_the_other_machine_added_since() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 2);
    let (ann, ben) = (id_of(&r[0], "Ann"), id_of(&r[0], "Ben"));
    note(&mut r[0], ben, "before the merge");
    sync(&mut r[0]);
    sync(&mut r[1]);
    doctor::merge(&mut r[0], &clock(), ann, ben).unwrap();
    let ben_there = id_of(&r[1], "Ben");
    note(&mut r[1], ben_there, "the laptop did not know of the merge");
    contacts::tag(&mut r[1], &clock(), ben_there, &["local".into()], &[]).unwrap();
    contacts::edit(
        &mut r[1],
        &clock(),
        ben_there,
        EditContact {
            email: Some("ben@example.com".into()),
            ..EditContact::default()
        },
    )
    .unwrap();
    for _ in 0..2 {
        sync(&mut r[0]);
        sync(&mut r[1]);
    }
    for s in &r {
        assert_eq!(
            one_value(s, "SELECT count(*) FROM contacts WHERE name = 'Ben'"),
            rusqlite::types::Value::Integer(0)
        );
        assert_eq!(
            one_value(
                s,
                "SELECT count(*) FROM notes n JOIN contacts c ON c.id = n.contact_id WHERE c.name = 'Ann'"
            ),
            rusqlite::types::Value::Integer(2)
        );
        assert_eq!(
            one_value(
                s,
                "SELECT count(*) FROM contact_tags t JOIN contacts c ON c.id = t.contact_id WHERE c.name = 'Ann' AND tag = 'local'"
            ),
            rusqlite::types::Value::Integer(1)
        );
        assert_eq!(
            one_value(s, "SELECT email FROM contacts WHERE name = 'Ann'"),
            rusqlite::types::Value::Text("ben@example.com".into())
        );
    }
    assert_eq!(book(&r[0]), book(&r[1]));
}

#[test]
fn a_change_file_still_being_copied_waits_for_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, folder) = replicas(dir.path(), 2);
    let ann = id_of(&r[0], "Ann");
    note(&mut r[0], ann, "half way there");
    sync(&mut r[0]);
    let me = r[0].replica().unwrap().to_string();
    let newest = std::fs::read_dir(folder.join(&me))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "chg"))
        .max()
        .unwrap();
    let whole = std::fs::read(&newest).unwrap();
    std::fs::write(&newest, &whole[..whole.len() - 10]).unwrap();
    let report = sync(&mut r[1]);
    assert_eq!(report.incomplete, std::slice::from_ref(&newest));
    assert_eq!(
        one_value(&r[1], "SELECT count(*) FROM notes"),
        rusqlite::types::Value::Integer(0)
    );
    std::fs::write(&newest, &whole).unwrap();
    let report = sync(&mut r[1]);
    assert!(report.incomplete.is_empty());
    assert_eq!(
        one_value(&r[1], "SELECT count(*) FROM notes"),
        rusqlite::types::Value::Integer(1)
    );
}

#[test]
fn changes_from_a_newer_tend_are_refused_whole_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, folder) = replicas(dir.path(), 2);
    let ann = id_of(&r[0], "Ann");
    note(&mut r[0], ann, "from the future");
    sync(&mut r[0]);
    // Rewrite the newest file as a later tend would write it: a higher database version.
    let me = r[0].replica().unwrap().to_string();
    let newest = std::fs::read_dir(folder.join(&me))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "chg"))
        .max()
        .unwrap();
    let text = std::fs::read_to_string(&newest).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let body = lines[1].replacen(
        &format!("\"schema\":{}", tend::store::LATEST_VERSION),
        "\"schema\":999",
        1,
    );
    assert_ne!(body, lines[1]);
    let trailer = format!("end {} {:08x}", body.len(), crc32fast_hash(body.as_bytes()));
    lines[1] = &body;
    lines[2] = &trailer;
    std::fs::write(&newest, lines.join("\n") + "\n").unwrap();
    let before = book(&r[1]);
    let e = sync::run(&mut r[1], false).unwrap_err();
    assert!(
        e.to_string()
            .contains("made by a newer tend (database version 999"),
        "{e}"
    );
    assert!(e.hint().unwrap().contains("upgrade tend"));
    assert_eq!(book(&r[1]), before, "nothing taken in");
}

/// CRC-32 (IEEE), as change files are checked; written out here so the test does not trust
/// the code it checks.
fn crc32fast_hash(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_database_inside_the_sync_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("shared/tend.db")).unwrap();
    let e = sync::init(&mut s, &dir.path().join("shared")).unwrap_err();
    assert!(e.to_string().contains("is inside"), "{e}");
    assert!(s.replica().is_none());
}

#[test]
fn a_copied_database_cannot_sync_as_the_one_it_was_copied_from() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, _) = replicas(dir.path(), 1);
    let copy = dir.path().join("copy.db");
    r[0].conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::copy(dir.path().join("r0.db"), &copy).unwrap();
    let ann = id_of(&r[0], "Ann");
    note(&mut r[0], ann, "on the original");
    sync(&mut r[0]);
    let mut c = Store::open(&copy).unwrap();
    let ben = id_of(&c, "Ben");
    note(&mut c, ben, "on the copy");
    let e = sync::run(&mut c, false).unwrap_err();
    assert!(e.to_string().contains("another database syncs as"), "{e}");
}

// ---------------------------------------------------------------------------------------
// The real binary.

fn tend_at(env: &Env, db: &Path, args: &[&str]) -> String {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    env.ok(&all)
}

#[test]
fn two_databases_one_folder_through_the_binary() {
    let env = Env::new();
    let desk = env.dir.path().join("desk/tend.db");
    let lap = env.dir.path().join("lap/tend.db");
    let folder = env.dir.path().join("Sync/tend");
    tend_at(&env, &desk, &["init"]);
    tend_at(
        &env,
        &desk,
        &["add", "Alice Smith", "--email", "alice@example.com"],
    );
    tend_at(
        &env,
        &desk,
        &[
            "note",
            "alice",
            "called, wants a quote",
            "--next",
            "fri: send quote",
        ],
    );
    let out = tend_at(&env, &desk, &["sync", "init", folder.to_str().unwrap()]);
    assert!(out.contains("now syncs through"), "{out}");
    tend_at(&env, &lap, &["init"]);
    let out = tend_at(&env, &lap, &["sync", "init", folder.to_str().unwrap()]);
    assert!(
        out.contains("Started from") && out.contains("snapshot"),
        "{out}"
    );
    assert!(tend_at(&env, &lap, &["show", "alice"]).contains("send quote"));
    // Offline on both, then they meet.
    tend_at(&env, &lap, &["note", "alice", "on site: measured up"]);
    tend_at(
        &env,
        &desk,
        &["income", "alice", "450", "--memo", "deposit"],
    );
    tend_at(&env, &lap, &["sync"]);
    tend_at(&env, &desk, &["sync"]);
    tend_at(&env, &lap, &["sync"]);
    // The laptop's own note is behind the desktop's entry now: undo does not step past it.
    assert_eq!(tend_at(&env, &lap, &["undo"]), "Nothing to undo.\n");
    for db in [&desk, &lap] {
        let shown = tend_at(&env, db, &["show", "alice"]);
        assert!(
            shown.contains("measured up") && shown.contains("450"),
            "{shown}"
        );
    }
    let status = tend_at(&env, &desk, &["sync", "status"]);
    assert!(
        status.contains("Not sent yet: 0 changes") && status.contains("Other:"),
        "{status}"
    );
    let json: Json =
        serde_json::from_str(&tend_at(&env, &lap, &["sync", "status", "--json"])).unwrap();
    assert_eq!(json["peers"].as_array().unwrap().len(), 1);
    assert_eq!(
        tend_at(&env, &lap, &["sync"]).trim(),
        "In step: nothing to send, nothing new from the other machines."
    );
    let a: Json = serde_json::from_str(&tend_at(&env, &desk, &["export", "json"])).unwrap();
    let b: Json = serde_json::from_str(&tend_at(&env, &lap, &["export", "json"])).unwrap();
    for table in ["contacts", "notes", "follow_ups", "money_entries"] {
        assert_eq!(
            a["tables"][table].as_array().unwrap().len(),
            b["tables"][table].as_array().unwrap().len(),
            "{table}"
        );
    }
}

/// `tend` at `db` with the sync passphrase `phrase` (None: not given); its output, and
/// whether it succeeded.
fn tend_with(env: &Env, db: &Path, phrase: Option<&str>, args: &[&str]) -> (bool, String) {
    let mut cmd = env.tend();
    cmd.args(["--db", db.to_str().unwrap()]).args(args);
    match phrase {
        Some(p) => cmd.env("TEND_SYNC_PASSPHRASE", p),
        None => cmd.env_remove("TEND_SYNC_PASSPHRASE"),
    };
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn files_text(dir: &Path) -> String {
    let mut all = String::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
            all.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
        }
    }
    all
}

#[test]
fn an_encrypted_folder_shows_nothing_and_joins_only_with_its_passphrase() {
    let env = Env::new();
    let desk = env.dir.path().join("desk/tend.db");
    let lap = env.dir.path().join("lap/tend.db");
    let folder = env.dir.path().join("Cloud/tend");
    let f = folder.to_str().unwrap();
    let phrase = Some("correct horse battery");
    tend_at(&env, &desk, &["init"]);
    tend_at(
        &env,
        &desk,
        &["add", "Alice Smith", "--email", "alice@example.com"],
    );
    tend_at(
        &env,
        &desk,
        &["note", "alice", "wants a quote for the kitchen"],
    );
    let (ok, out) = tend_with(&env, &desk, phrase, &["sync", "init", f, "--encrypt"]);
    assert!(ok, "{out}");
    assert!(tend_at(&env, &desk, &["sync", "status"]).contains("(encrypted)"));
    let seen = files_text(&folder);
    assert!(seen.contains("\"sealed\""), "replica.json says so");
    for secret in ["Alice", "alice@example.com", "kitchen"] {
        assert!(
            !seen.contains(secret),
            "{secret} is in the folder in the clear"
        );
    }

    // The laptop: a wrong passphrase, or none, changes nothing anywhere.
    tend_at(&env, &lap, &["init"]);
    let (ok, out) = tend_with(
        &env,
        &lap,
        Some("correct horse batterz"),
        &["sync", "init", f],
    );
    assert!(!ok && out.contains("not the passphrase"), "{out}");
    let (ok, out) = tend_with(&env, &lap, None, &["sync", "init", f]);
    assert!(!ok && out.contains("TEND_SYNC_PASSPHRASE"), "{out}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
    let (ok, _) = tend_with(&env, &lap, None, &["sync", "status"]);
    assert!(!ok, "the laptop does not sync yet");

    // The right one: it joins, and from then on neither machine needs it again.
    let (ok, out) = tend_with(&env, &lap, phrase, &["sync", "init", f]);
    assert!(ok && out.contains("Started from"), "{out}");
    assert!(tend_at(&env, &lap, &["show", "alice"]).contains("kitchen"));
    tend_at(&env, &lap, &["note", "alice", "measured the worktops"]);
    assert!(tend_with(&env, &lap, None, &["sync"]).0);
    assert!(tend_with(&env, &desk, None, &["sync"]).0);
    assert!(tend_at(&env, &desk, &["show", "alice"]).contains("worktops"));
    assert!(!files_text(&folder).contains("worktops"));

    // A folder already in use without encryption is not turned into an encrypted one.
    let plain = env.dir.path().join("Plain");
    let other = env.dir.path().join("other/tend.db");
    let third = env.dir.path().join("third/tend.db");
    tend_at(&env, &other, &["init"]);
    tend_at(&env, &other, &["add", "Bob"]);
    tend_at(&env, &other, &["sync", "init", plain.to_str().unwrap()]);
    tend_at(&env, &third, &["init"]);
    let (ok, out) = tend_with(
        &env,
        &third,
        phrase,
        &["sync", "init", plain.to_str().unwrap(), "--encrypt"],
    );
    assert!(!ok && out.contains("not encrypted"), "{out}");
}

#[test]
fn sync_before_init_says_how_to_begin() {
    let env = Env::new();
    env.ok(&["init"]);
    let err = env.fails(&["sync"]);
    assert!(
        err.contains("does not sync with another yet") && err.contains("tend sync init FOLDER"),
        "{err}"
    );
}

fn change_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".chg"))
        .collect();
    names.sort();
    names
}

#[test]
fn compacting_drops_only_what_every_machine_has_taken_in_and_a_new_one_starts_from_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, folder) = replicas(dir.path(), 2);
    let mine = folder.join(r[0].replica().unwrap());
    let ann = id_of(&r[0], "Ann");
    for i in 0..5 {
        note(&mut r[0], ann, &format!("call {i}"));
        sync(&mut r[0]);
    }
    assert_eq!(change_files(&mine).len(), 6);
    // The laptop has taken in only the first file: only that one goes.
    let behind = dir.path().join("laptop-backup.db");
    r[1].conn()
        .execute("VACUUM INTO ?1", [behind.to_str().unwrap()])
        .unwrap();
    let report = sync::run(&mut r[0], true).unwrap();
    assert_eq!(report.compacted, 1);
    assert_eq!(change_files(&mine).len(), 5);
    assert!(mine.join("snapshot.snap").exists());
    // Once it has taken in the rest, they go too.
    sync(&mut r[1]);
    assert_eq!(sync::run(&mut r[0], true).unwrap().compacted, 5);
    assert!(change_files(&mine).is_empty());
    // A plain sync drops nothing new: too few files, too young.
    note(&mut r[0], ann, "call 6");
    sync(&mut r[0]);
    sync(&mut r[1]);
    assert_eq!(sync(&mut r[0]).compacted, 0);
    assert_eq!(change_files(&mine).len(), 1);

    // A new machine starts from the snapshot, takes the file after it, and ends the same.
    let mut new = Store::open(&dir.path().join("new.db")).unwrap();
    let report = sync::init(&mut new, &folder).unwrap();
    assert!(report.from_snapshot.is_some(), "{report:?}");
    assert_eq!(report.waiting, 0);
    sync(&mut r[0]);
    sync(&mut r[1]);
    sync(&mut new);
    assert_eq!(book(&new), book(&r[0]));
    assert_eq!(book(&r[1]), book(&r[0]));
    integrity(&new);
    let notes: i64 = new
        .conn()
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, 6);

    // A database restored from before the compaction is told it is behind, and changes nothing.
    let mut old = Store::open(&behind).unwrap();
    let before = book(&old);
    let e = sync::run(&mut old, false).unwrap_err().to_string();
    assert!(
        e.contains("has dropped its change files") && e.contains("taken in only 1"),
        "{e}"
    );
    assert_eq!(book(&old), before);

    // A new machine whose copy of the folder has the note of the compaction but not the
    // snapshot yet waits for it, writing nothing.
    std::fs::remove_file(mine.join("snapshot.snap")).unwrap();
    let mut early = Store::open(&dir.path().join("early.db")).unwrap();
    let e = sync::init(&mut early, &folder).unwrap_err().to_string();
    assert!(e.contains("not whole here yet"), "{e}");
    let contacts: i64 = early
        .conn()
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(contacts, 0);
}

#[test]
fn killed_halfway_through_taking_changes_in_a_rerun_finishes_the_job() {
    let env = Env::new();
    let desk = env.dir.path().join("desk.db");
    let lap = env.dir.path().join("lap.db");
    let folder = env.dir.path().join("folder");
    for name in ["Ann", "Ben", "Cat", "Dee"] {
        tend_at(&env, &desk, &["add", name]);
        tend_at(&env, &desk, &["note", name, "met at the fair"]);
    }
    tend_at(&env, &desk, &["sync", "init", folder.to_str().unwrap()]);
    tend_at(&env, &lap, &["init"]);
    let killed_sync = |args: &[&str]| {
        let killed = env
            .tend()
            .args(["--db", lap.to_str().unwrap()])
            .args(args)
            .env("TEND_SYNC_TEST_ABORT_MID_APPLY", "1")
            .output()
            .unwrap();
        assert!(!killed.status.success());
        let conn = Connection::open(&lap).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    // Killed halfway through starting from the desktop's snapshot...
    let half = killed_sync(&["sync", "init", folder.to_str().unwrap()]);
    assert_eq!(half, 0, "a snapshot lands whole or not at all");
    let out = tend_at(&env, &lap, &["sync"]);
    assert!(out.contains("Started from"), "{out}");
    // ...and halfway through taking in a change made since.
    tend_at(&env, &desk, &["add", "Eve", "--email", "eve@example.com"]);
    tend_at(&env, &desk, &["sync"]);
    assert_eq!(
        killed_sync(&["sync"]),
        4,
        "a batch lands whole or not at all"
    );
    let out = tend_at(&env, &lap, &["sync"]);
    assert!(out.contains("Took in 1 change"), "{out}");
    assert_eq!(
        tend_at(&env, &lap, &["list"])
            .lines()
            .filter(|l| l.contains("lead"))
            .count(),
        5
    );
}

fn run_cases(cases: impl IntoIterator<Item = (usize, Vec<Step>)>) {
    for (n, steps) in cases {
        let dir = tempfile::tempdir().unwrap();
        converge(dir.path(), n, &steps);
    }
}

/// Cases the property tests once found, fixed, kept.
#[test]
fn found_cases_converge() {
    use Step::*;
    let cases: [(usize, Vec<Step>); 8] = [
        (
            2,
            vec![
                Deliver {
                    from: 0,
                    to: 1,
                    pick: 6335546366696938077,
                    cut: false,
                },
                Work(1, 0, 0, 0),
                Sync(1),
                Work(0, 2, 2, 0),
                Work(1, 5, 0, 6),
                Work(0, 5, 2, 1),
            ],
        ),
        (
            2,
            vec![
                Deliver {
                    from: 0,
                    to: 1,
                    pick: 1612993308199741475,
                    cut: false,
                },
                Work(0, 4, 3, 0),
                Work(1, 0, 0, 0),
                Work(0, 5, 1, 2),
                Sync(1),
                Work(0, 4, 0, 0),
                Work(1, 5, 4, 1),
            ],
        ),
        (
            2,
            vec![
                Deliver {
                    from: 0,
                    to: 1,
                    pick: 510443652247616615,
                    cut: false,
                },
                Sync(1),
                Work(0, 4, 1, 0),
                Work(0, 5, 2, 1),
                Work(1, 5, 1, 3),
                Work(1, 4, 2, 0),
            ],
        ),
        (
            3,
            vec![
                Deliver {
                    from: 0,
                    to: 2,
                    pick: 4866633288148770243,
                    cut: false,
                },
                Work(2, 0, 0, 0),
                Work(2, 0, 0, 0),
                Sync(2),
                Work(2, 5, 0, 1),
                Work(0, 5, 3, 1),
                Work(0, 4, 0, 0),
            ],
        ),
        (
            2,
            vec![
                Deliver {
                    from: 0,
                    to: 1,
                    pick: 4467451963274108275,
                    cut: false,
                },
                Work(0, 2, 2, 3),
                Work(1, 0, 0, 0),
                Sync(1),
                Work(1, 5, 6, 0),
                Work(0, 5, 0, 2),
            ],
        ),
        (
            2,
            vec![
                Deliver {
                    from: 0,
                    to: 1,
                    pick: 4467451963274108275,
                    cut: false,
                },
                Work(0, 2, 2, 2),
                Work(1, 0, 0, 0),
                Sync(1),
                Work(1, 5, 6, 0),
                Work(0, 5, 0, 2),
            ],
        ),
        (
            3,
            vec![
                Deliver {
                    from: 0,
                    to: 1,
                    pick: 3111220661259070279,
                    cut: false,
                },
                Work(0, 1, 4, 7),
                Sync(1),
                Work(1, 4, 1, 2),
                Work(0, 5, 3, 4),
            ],
        ),
        (
            2,
            vec![
                Work(1, 0, 0, 0),
                Sync(1),
                Deliver {
                    from: 1,
                    to: 0,
                    pick: 8665815680245511575,
                    cut: false,
                },
                Work(1, 6, 0, 0),
                Work(1, 4, 0, 0),
                Sync(0),
                Work(0, 4, 3, 0),
            ],
        ),
    ];
    run_cases(cases);
}

/// A desktop's book (made) and a laptop's (not yet), in one test's folder.
fn books(env: &Env) -> (PathBuf, PathBuf) {
    let desk = env.dir.path().join("desk/tend.db");
    tend_at(env, &desk, &["init"]);
    (desk, env.dir.path().join("lap/tend.db"))
}

/// The desktop starts syncing through a folder, and the laptop starts from it.
fn join(env: &Env, desk: &Path, lap: &Path) {
    let folder = env.dir.path().join("Sync/tend");
    tend_at(env, desk, &["sync", "init", folder.to_str().unwrap()]);
    tend_at(env, lap, &["init"]);
    tend_at(env, lap, &["sync", "init", folder.to_str().unwrap()]);
}

#[test]
fn a_conflict_is_told_in_the_words_it_was_typed_in() {
    let env = Env::new();
    let (desk, lap) = books(&env);
    tend_at(&env, &desk, &["add", "Alice Smith", "--field", "likes=tea"]);
    tend_at(
        &env,
        &desk,
        &["deal", "add", "alice", "wedding cake", "4,800"],
    );
    join(&env, &desk, &lap);
    // The same field and the same deal's value changed on both, the laptop's later.
    tend_at(&env, &desk, &["edit", "alice", "--field", "likes=coffee"]);
    tend_at(&env, &desk, &["deal", "edit", "d#1", "--value", "5,000"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    tend_at(&env, &lap, &["edit", "alice", "--field", "likes=cocoa"]);
    tend_at(&env, &lap, &["deal", "edit", "d#1", "--value", "4,900"]);
    tend_at(&env, &desk, &["sync"]);
    let out = tend_at(&env, &lap, &["sync"]);
    assert!(
        out.contains(
            r#"Both machines changed Alice Smith's "likes": kept "cocoa", the other was "coffee"."#
        ),
        "{out}"
    );
    assert!(
        out.contains(
            r#"Alice Smith's deal 'wedding cake' value: kept £4,900, the other was £5,000."#
        ),
        "{out}"
    );
    assert!(
        !out.contains("updated at") && !out.contains("minor"),
        "{out}"
    );
}

#[test]
fn a_delete_met_by_a_change_says_what_stays_deleted() {
    let env = Env::new();
    let (desk, lap) = books(&env);
    tend_at(&env, &desk, &["add", "Dan Dale"]);
    tend_at(&env, &desk, &["income", "dan", "999.99"]);
    join(&env, &desk, &lap);
    tend_at(&env, &desk, &["delete", "dan", "--yes"]);
    tend_at(&env, &lap, &["note", "dan", "he called back after all"]);
    let outs = [
        tend_at(&env, &desk, &["sync"]),
        tend_at(&env, &lap, &["sync"]),
        tend_at(&env, &desk, &["sync"]),
    ];
    let said = outs.join("");
    assert!(
        said.contains("Dan Dale was deleted on one machine and changed on another")
            && said.contains("stays deleted"),
        "{said}"
    );
    for db in [&desk, &lap] {
        let shown = tend_at(&env, db, &["show", "dan"]);
        assert!(shown.contains("he called back after all"), "{shown}");
    }
}
