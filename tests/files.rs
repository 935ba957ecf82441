//! Backups, shell completions and the man page.

mod common;

use common::Env;

#[test]
fn a_backup_is_a_checked_copy_even_while_notes_are_being_written() {
    let env = Env::with_people();
    env.ok(&["note", "alice", "before the backup"]);
    // Writers keep capturing while the backup is taken.
    let db = env.db.clone();
    let writer = std::thread::spawn(move || {
        let bin = assert_cmd::cargo::cargo_bin("tend");
        for i in 0..20 {
            let ok = std::process::Command::new(&bin)
                .args(["note", "bob", &format!("during {i}")])
                .env("TEND_DB", &db)
                .env("TEND_NOW", common::NOW)
                .status()
                .unwrap()
                .success();
            assert!(ok);
        }
    });
    let target = env.dir.path().join("copies").join("tend-copy.db");
    let out = env.ok(&["backup", target.to_str().unwrap()]);
    writer.join().unwrap();
    assert!(
        out.contains("Backed up to") && out.contains("checked"),
        "{out}"
    );
    let copy = rusqlite::Connection::open(&target).unwrap();
    let check: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let before: i64 = copy
        .query_row(
            "SELECT count(*) FROM notes WHERE body = 'before the backup'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(before, 1);
    let during: i64 = copy
        .query_row(
            "SELECT count(*) FROM notes WHERE body LIKE 'during %'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((0..=20).contains(&during));
    // The copy is a tend database that tend opens.
    assert!(
        env.ok(&["--db", target.to_str().unwrap(), "show", "alice"])
            .contains("before the backup")
    );
    let leftovers = std::fs::read_dir(target.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "no partial file is left behind");
}

#[test]
fn a_backup_without_a_path_goes_beside_the_database_and_bad_targets_are_refused() {
    let env = Env::with_people();
    let out = env.ok(&["backup"]);
    let backups = env.db.parent().unwrap().join("backups");
    let files: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(
        files[0].to_string_lossy().starts_with("tend-2026-11-23-"),
        "{files:?}"
    );
    assert!(out.contains("backups"), "{out}");
    let err = env.fails(&["backup", env.dir.path().to_str().unwrap()]);
    assert!(
        err.contains("it is a folder") && err.contains("nothing was replaced"),
        "{err}"
    );
}

#[test]
fn completions_and_the_man_page_cover_the_commands() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(
        bash.contains("_tend") && bash.contains("note") && bash.contains("recipe"),
        "bash"
    );
    assert!(env.ok(&["completions", "zsh"]).contains("#compdef tend"));
    assert!(
        env.ok(&["completions", "fish"])
            .contains("complete -c tend")
    );
    let err = env.fails(&["completions", "tcsh"]);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    let man = env.ok(&["man"]);
    assert!(
        man.contains(".TH tend") && man.contains("offline\\-first CRM"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(!env.db.exists(), "neither needs the database");
}
