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
    // Every page the main one names is written with it.
    let dir = env.dir.path().join("man1");
    assert!(
        env.fails(&["man", "--dir", dir.to_str().unwrap()])
            .contains("not a folder")
    );
    std::fs::create_dir(&dir).unwrap();
    let out = env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.contains("man pages into"), "{out}");
    let main = std::fs::read_to_string(dir.join("tend.1")).unwrap();
    let named: Vec<&str> = main
        .split("tend\\-")
        .skip(1)
        .filter_map(|rest| rest.split('(').next())
        .collect();
    assert!(named.len() > 10, "{named:?}");
    for page in named {
        let file = dir.join(format!("tend-{}.1", page.replace("\\-", "-")));
        assert!(file.exists(), "{} is named but not written", file.display());
    }
    assert!(dir.join("tend-note.1").exists());
    assert!(!env.db.exists(), "neither needs the database");
}

#[test]
fn a_json_export_restores_into_an_empty_database_and_exports_the_same() {
    let env = Env::with_people();
    env.ok(&["note", "alice", "called", "--next", "fri: send quote"]);
    env.ok(&["next", "bob", "mon", "check in", "--every", "monthly"]);
    env.ok(&[
        "edit",
        "bob",
        "--status",
        "prospect",
        "--field",
        "likes=tea",
    ]);
    env.ok(&["income", "alice", "1,200", "--paid"]);
    env.ok(&["time", "alice", "1h30"]);
    env.ok(&["recipe", "apply", "carol", "proposal"]);
    env.ok(&["tick", "carol"]);
    env.ok(&["archive", "carol"]);
    let first = env.dir.path().join("export.json");
    env.ok(&["export", "json", "-o", first.to_str().unwrap()]);

    let restored = env.dir.path().join("restored.db");
    let r = restored.to_str().unwrap();
    let out = env.ok(&["--db", r, "import", "json", first.to_str().unwrap()]);
    assert!(out.contains("Restored"), "{out}");
    let again = env.ok(&["--db", r, "export", "json"]);
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    let b: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(a, b, "export → import → export gives the same document");
    assert_eq!(
        a["tables"]["notes"][0]["contact"], a["tables"]["contacts"][1]["uid"],
        "links are uids"
    );

    // The restored database works like the original: follow-ups, history, archive, derived columns.
    let show = env.ok(&["--db", r, "show", "alice"]);
    assert!(
        show.contains("send quote")
            && show.contains("called")
            && show.contains("last contact today"),
        "{show}"
    );
    assert!(
        env.ok(&["--db", r, "list", "--archived"])
            .contains("Carol White")
    );
    let funnel = env.json(&["--db", r, "report", "funnel", "--json"]);
    assert_eq!(funnel["became_prospects"], 1);

    // Not into a database that has data; not from something else.
    let err = env.fails(&["--db", r, "import", "json", first.to_str().unwrap()]);
    assert!(
        err.contains("already has contacts") && err.contains("new file"),
        "{err}"
    );
    let junk = env.dir.path().join("junk.json");
    std::fs::write(&junk, "{\"format\": \"other\"}").unwrap();
    let empty = env.dir.path().join("empty.db");
    assert!(
        env.fails(&[
            "--db",
            empty.to_str().unwrap(),
            "import",
            "json",
            junk.to_str().unwrap()
        ])
        .contains("not a tend export")
    );
}

#[test]
fn a_broken_document_restores_nothing() {
    let env = Env::with_people();
    let first = env.dir.path().join("export.json");
    env.ok(&["export", "json", "-o", first.to_str().unwrap()]);
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    doc["tables"]["contact_tags"][0]["contact"] = serde_json::json!("no-such-uid");
    std::fs::write(&first, doc.to_string()).unwrap();
    let target = env.dir.path().join("half.db");
    let err = env.fails(&[
        "--db",
        target.to_str().unwrap(),
        "import",
        "json",
        first.to_str().unwrap(),
    ]);
    assert!(
        err.contains("contact_tags row 1") && err.contains("no-such-uid"),
        "{err}"
    );
    let conn = rusqlite::Connection::open(&target).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "all or nothing");
}

#[test]
fn a_daily_copy_is_made_in_the_background_and_only_a_week_is_kept() {
    let env = Env::new();
    env.ok(&["add", "Ann Apple"]);
    let daily = env.db.parent().unwrap().join("backups").join("daily");
    let today = daily.join("tend-2026-11-23.db");
    assert!(!today.exists(), "TEND_DAILY_BACKUP=off made no copy");

    let out = env
        .tend()
        .env_remove("TEND_DAILY_BACKUP")
        .args(["add", "Bob Baker"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // The copy is made by a process of its own, after `tend add` has already answered.
    let start = std::time::Instant::now();
    while !today.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(today.exists(), "no daily copy at {}", today.display());
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&today), 0o600, "a copy is as private as the database");
    assert_eq!(mode(&daily), 0o700);
    assert_eq!(mode(daily.parent().unwrap()), 0o700);
    assert!(
        daily.join(".started-2026-11-23").exists(),
        "the day's start is claimed, so the commands that follow do not start more copies"
    );
    let copy = rusqlite::Connection::open(&today).unwrap();
    let n: i64 = copy
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    drop(copy);

    // Nine older copies: `backup --daily` keeps today's and the six before it.
    for day in 10..=18 {
        std::fs::copy(&today, daily.join(format!("tend-2026-11-{day}.db"))).unwrap();
    }
    std::fs::write(daily.join("notes.txt"), "mine").unwrap();
    let out = env.ok(&["backup", "--daily"]);
    assert!(out.contains("Today's copy is already there"), "{out}");
    assert!(out.contains("tend-2026-11-10.db"), "{out}");
    let mut left: Vec<String> = std::fs::read_dir(&daily)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".started-2026-11-23",
            "notes.txt",
            "tend-2026-11-13.db",
            "tend-2026-11-14.db",
            "tend-2026-11-15.db",
            "tend-2026-11-16.db",
            "tend-2026-11-17.db",
            "tend-2026-11-18.db",
            "tend-2026-11-23.db",
        ],
        "other files in the folder are never touched"
    );
}

#[test]
fn the_daily_copy_can_be_turned_off_or_kept_longer() {
    let env = Env::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    let config = env.config_dir().join("config.toml");
    std::fs::write(&config, "[backup]\ndaily = false\n").unwrap();
    let out = env
        .tend()
        .env_remove("TEND_DAILY_BACKUP")
        .args(["add", "Ann Apple"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let daily = env.db.parent().unwrap().join("backups").join("daily");
    assert!(!daily.exists(), "backup.daily = false made a copy");

    std::fs::write(&config, "[backup]\nkeep = 0\n").unwrap();
    let err = env.fails(&["backup", "--daily"]);
    assert!(err.contains("backup.keep must be 1 or more"), "{err}");
    std::fs::write(&config, "[backup]\nkeep = 30\n").unwrap();
    let out = env.ok(&["backup", "--daily"]);
    assert!(out.contains("Today's copy: "), "{out}");
}
