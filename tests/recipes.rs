//! Recipes and checklists from the shell: the built-ins, user recipes, applying, ticking in
//! order, and sharing recipe files.

mod common;

use common::Env;

const BUILT_INS: [&str; 7] = [
    "ask-for-referral",
    "deliver-job",
    "nurture-lead",
    "onboarding",
    "proposal",
    "quarterly-check-in",
    "win-back",
];

#[test]
fn every_built_in_is_listed_and_reads_well() {
    let env = Env::new();
    let list = env.ok(&["recipe", "list"]);
    for name in BUILT_INS {
        assert!(list.contains(name), "{name} missing:\n{list}");
        let shown = env.ok(&["recipe", "show", name]);
        let lines: Vec<&str> = shown.lines().collect();
        assert!(
            !lines[0].is_empty() && lines[0].chars().next().unwrap().is_uppercase(),
            "a title first:\n{shown}"
        );
        assert!(
            shown.contains("  1. ") && shown.contains("  2. "),
            "numbered steps:\n{shown}"
        );
        assert!(
            shown.contains("on the day") || shown.contains("day "),
            "timing:\n{shown}"
        );
        assert!(
            shown.contains(&format!("tend recipe apply WHO {name}")),
            "{shown}"
        );
    }
}

#[test]
fn applying_copies_the_steps_and_dates_the_follow_ups() {
    let env = Env::with_people();
    let out = env.ok(&["recipe", "apply", "alice", "nurture-lead", "--start", "mon"]);
    assert!(
        out.contains("Started 'Qualifying and nurturing a lead' for Alice Smith on Mon 30 Nov"),
        "{out}"
    );
    let conn = env.conn();
    let steps: Vec<(i64, String, Option<String>)> = conn
        .prepare(
            "SELECT s.position, s.text, f.due_date FROM checklist_steps s
               LEFT JOIN follow_ups f ON f.id = s.follow_up_id ORDER BY s.position",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let dates: Vec<Option<&str>> = steps.iter().map(|s| s.2.as_deref()).collect();
    // days 0 and 3 from the start; then 4, 7 and 7 days after the step before.
    assert_eq!(
        dates,
        [
            Some("2026-11-30"),
            Some("2026-12-03"),
            Some("2026-12-07"),
            Some("2026-12-14"),
            Some("2026-12-21")
        ]
    );
    assert_eq!(
        steps[0].1,
        "Reply within a day: thank them and ask one question about what they need"
    );
}

#[test]
fn ticking_goes_in_order_completes_the_follow_up_and_logs_the_note() {
    let env = Env::with_people();
    let out = env.ok(&["recipe", "apply", "alice", "onboarding"]);
    assert!(out.contains("for Alice Smith today."), "{out}");
    let err = env.fails(&["tick", "alice", "3"]);
    assert!(
        err.contains("step 1 'Send a welcome email")
            && err.contains("still open")
            && err.contains("--force"),
        "{err}"
    );
    let out = env.ok(&["tick", "alice"]);
    assert!(
        out.contains("Ticked 1.") && out.contains("1/6") && out.contains("Logged a note"),
        "{out}"
    );
    assert!(out.contains("Next: 2. Send the invoice"), "{out}");
    assert_eq!(
        env.count("notes WHERE body = 'Sent the welcome email' AND kind = 'email'"),
        1
    );
    assert_eq!(
        env.count("follow_ups WHERE text LIKE 'Send a welcome email%' AND done_at IS NOT NULL"),
        1
    );
    env.ok(&[
        "tick",
        "alice",
        "kick-off",
        "--force",
        "--note",
        "great call",
    ]);
    assert_eq!(
        env.count("notes WHERE body = 'great call' AND kind = 'call'"),
        1
    );
    let progress = env.ok(&["checklist", "alice"]);
    assert!(
        progress.contains("(2/6, in progress") && progress.contains("[x] 4. Kick-off"),
        "{progress}"
    );
    for step in ["2", "3", "5", "6"] {
        env.ok(&["tick", "alice", step]);
    }
    let done = env.ok(&["checklist", "alice"]);
    assert!(done.contains("(6/6, complete"), "{done}");
    assert!(
        env.fails(&["tick", "alice"])
            .contains("no unfinished checklist")
    );
}

#[test]
fn several_checklists_need_a_name_to_tick_a_given_step() {
    let env = Env::with_people();
    env.ok(&["recipe", "apply", "bob", "proposal"]);
    env.ok(&["recipe", "apply", "bob", "ask-for-referral"]);
    let err = env.fails(&["tick", "bob", "2"]);
    assert!(
        err.contains("2 checklists going") && err.contains("proposal, ask-for-referral"),
        "{err}"
    );
    let out = env.ok(&["tick", "bob", "--checklist", "ask-for-referral"]);
    assert!(out.contains("Asking for a referral 1/4"), "{out}");
    assert!(
        env.fails(&["tick", "bob", "9", "--checklist", "proposal"])
            .contains("has no step 9")
    );
}

#[test]
fn user_recipes_override_built_ins_and_running_checklists_keep_their_copy() {
    let env = Env::with_people();
    let dir = env.config_dir().join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("onboarding.toml"),
        "title = \"My onboarding\"\n[[step]]\ntext = \"Say hello\"\ndays = 1\n",
    )
    .unwrap();
    assert!(
        env.ok(&["recipe", "list"])
            .contains("replaces the built-in")
    );
    env.ok(&["recipe", "apply", "carol", "onboarding"]);
    std::fs::write(
        dir.join("onboarding.toml"),
        "title = \"Changed\"\n[[step]]\ntext = \"Something else\"\n",
    )
    .unwrap();
    let progress = env.ok(&["checklist", "carol"]);
    assert!(
        progress.contains("My onboarding (0/1") && progress.contains("Say hello"),
        "{progress}"
    );
}

#[test]
fn a_new_recipe_starts_from_a_commented_file_that_reads() {
    let env = Env::new();
    let out = env.ok(&["recipe", "new", "spring-menu"]);
    let path = env.config_dir().join("recipes").join("spring-menu.toml");
    assert!(out.contains(&path.display().to_string()), "{out}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("# Each [[step]] has a text")
    );
    assert!(
        env.ok(&["recipe", "show", "spring-menu"])
            .contains("First thing to do")
    );
    assert!(
        env.fails(&["recipe", "new", "spring-menu"])
            .contains("already exists")
    );
    assert!(
        env.fails(&["recipe", "new", "Spring Menu"])
            .contains("not a recipe name")
    );
}

#[test]
fn a_broken_user_recipe_is_reported_with_file_and_line() {
    let env = Env::with_people();
    let dir = env.config_dir().join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("broken.toml"),
        "title = \"B\"\n\n[[step]]\ntext = \"a\"\ndays = 1\nafter = 2\n",
    )
    .unwrap();
    let out = env.tend().args(["recipe", "list"]).output().unwrap();
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("broken.toml:3: step 1 has both days and after"),
        "{warning}"
    );
    let err = env.fails(&["recipe", "apply", "alice", "broken"]);
    assert!(
        err.contains("does not read") && err.contains("broken.toml:3"),
        "{err}"
    );
    assert_eq!(env.count("checklists"), 0);
    assert!(
        env.fails(&["recipe", "show", "nope"])
            .contains("the recipes are: ask-for-referral")
    );
}

#[test]
fn recipes_export_as_files_that_import_again() {
    let env = Env::new();
    let file = env.dir.path().join("shared.toml");
    env.ok(&["recipe", "export", "proposal", "-o", file.to_str().unwrap()]);
    let exported = std::fs::read_to_string(&file).unwrap();
    assert_eq!(exported, env.ok(&["recipe", "show", "proposal", "--toml"]));
    // Someone else drops the shared file into their recipes folder under a new name.
    let dir = env.config_dir().join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&file, dir.join("their-proposal.toml")).unwrap();
    let shown = env.ok(&["recipe", "show", "their-proposal"]);
    assert!(
        shown.starts_with("Sending and following up a proposal"),
        "{shown}"
    );
}

#[test]
fn done_on_a_steps_follow_up_ticks_the_step_and_undo_unticks_it() {
    let env = Env::with_people();
    env.ok(&["recipe", "apply", "alice", "onboarding"]);
    let (fid, step): (i64, i64) = env
        .conn()
        .query_row(
            "SELECT follow_up_id, id FROM checklist_steps WHERE follow_up_id IS NOT NULL ORDER BY position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let out = env.ok(&["done", &fid.to_string()]);
    assert!(out.contains("ticked"), "{out}");
    let ticked = |id: i64| -> bool {
        env.conn()
            .query_row(
                "SELECT done_at IS NOT NULL FROM checklist_steps WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(ticked(step));
    assert_eq!(
        env.count(&format!(
            "follow_ups WHERE id = {fid} AND done_at IS NOT NULL"
        )),
        1
    );
    env.ok(&["undo"]);
    assert!(!ticked(step));
    assert_eq!(
        env.count(&format!("follow_ups WHERE id = {fid} AND done_at IS NULL")),
        1
    );
}

#[test]
fn a_users_recipe_that_does_not_read_is_reported_not_replaced_by_the_built_in() {
    let env = Env::with_people();
    let dir = env.config_dir().join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("onboarding.toml"),
        "title = \"Mine\"\n[[step]\ntext = 1\n",
    )
    .unwrap();
    for args in [
        &["recipe", "apply", "alice", "onboarding"][..],
        &["recipe", "show", "onboarding"][..],
    ] {
        let err = env.fails(args);
        assert!(
            err.contains("recipe 'onboarding' does not read"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(env.count("checklists"), 0);
}
