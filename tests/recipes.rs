//! Recipes and checklists from the shell: the built-ins, user recipes, applying, ticking in
//! order, and sharing recipe files.

mod common;

use common::Env;

/// The test's own config folder, so user recipes never come from the real one.
fn with_config(env: &Env) -> std::path::PathBuf {
    env.dir.path().join("config")
}

fn tend(env: &Env) -> assert_cmd::Command {
    let mut c = env.tend();
    c.env("TEND_CONFIG_DIR", with_config(env));
    c
}

fn ok(env: &Env, args: &[&str]) -> String {
    let out = tend(env).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "tend {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(env: &Env, args: &[&str]) -> String {
    let out = tend(env).args(args).output().unwrap();
    assert!(!out.status.success(), "tend {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

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
    let list = ok(&env, &["recipe", "list"]);
    for name in BUILT_INS {
        assert!(list.contains(name), "{name} missing:\n{list}");
        let shown = ok(&env, &["recipe", "show", name]);
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
    let out = ok(
        &env,
        &["recipe", "apply", "alice", "nurture-lead", "--start", "mon"],
    );
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
    ok(&env, &["recipe", "apply", "alice", "onboarding"]);
    let err = fails(&env, &["tick", "alice", "3"]);
    assert!(
        err.contains("step 1 'Send a welcome email")
            && err.contains("still open")
            && err.contains("--force"),
        "{err}"
    );
    let out = ok(&env, &["tick", "alice"]);
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
    ok(
        &env,
        &[
            "tick",
            "alice",
            "kick-off",
            "--force",
            "--note",
            "great call",
        ],
    );
    assert_eq!(
        env.count("notes WHERE body = 'great call' AND kind = 'call'"),
        1
    );
    let progress = ok(&env, &["checklist", "alice"]);
    assert!(
        progress.contains("(2/6, in progress") && progress.contains("[x] 4. Kick-off"),
        "{progress}"
    );
    for step in ["2", "3", "5", "6"] {
        ok(&env, &["tick", "alice", step]);
    }
    let done = ok(&env, &["checklist", "alice"]);
    assert!(done.contains("(6/6, complete"), "{done}");
    assert!(fails(&env, &["tick", "alice"]).contains("no unfinished checklist"));
}

#[test]
fn several_checklists_need_a_name_to_tick_a_given_step() {
    let env = Env::with_people();
    ok(&env, &["recipe", "apply", "bob", "proposal"]);
    ok(&env, &["recipe", "apply", "bob", "ask-for-referral"]);
    let err = fails(&env, &["tick", "bob", "2"]);
    assert!(
        err.contains("2 checklists going") && err.contains("proposal, ask-for-referral"),
        "{err}"
    );
    let out = ok(&env, &["tick", "bob", "--checklist", "ask-for-referral"]);
    assert!(out.contains("Asking for a referral 1/4"), "{out}");
    assert!(
        fails(&env, &["tick", "bob", "9", "--checklist", "proposal"]).contains("has no step 9")
    );
}

#[test]
fn user_recipes_override_built_ins_and_running_checklists_keep_their_copy() {
    let env = Env::with_people();
    let dir = with_config(&env).join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("onboarding.toml"),
        "title = \"My onboarding\"\n[[step]]\ntext = \"Say hello\"\ndays = 1\n",
    )
    .unwrap();
    assert!(ok(&env, &["recipe", "list"]).contains("replaces the built-in"));
    ok(&env, &["recipe", "apply", "carol", "onboarding"]);
    std::fs::write(
        dir.join("onboarding.toml"),
        "title = \"Changed\"\n[[step]]\ntext = \"Something else\"\n",
    )
    .unwrap();
    let progress = ok(&env, &["checklist", "carol"]);
    assert!(
        progress.contains("My onboarding (0/1") && progress.contains("Say hello"),
        "{progress}"
    );
}

#[test]
fn a_new_recipe_starts_from_a_commented_file_that_reads() {
    let env = Env::new();
    let out = ok(&env, &["recipe", "new", "spring-menu"]);
    let path = with_config(&env).join("recipes").join("spring-menu.toml");
    assert!(out.contains(&path.display().to_string()), "{out}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("# Each [[step]] has a text")
    );
    assert!(ok(&env, &["recipe", "show", "spring-menu"]).contains("First thing to do"));
    assert!(fails(&env, &["recipe", "new", "spring-menu"]).contains("already exists"));
    assert!(fails(&env, &["recipe", "new", "Spring Menu"]).contains("not a recipe name"));
}

#[test]
fn a_broken_user_recipe_is_reported_with_file_and_line() {
    let env = Env::with_people();
    let dir = with_config(&env).join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("broken.toml"),
        "title = \"B\"\n\n[[step]]\ntext = \"a\"\ndays = 1\nafter = 2\n",
    )
    .unwrap();
    let out = tend(&env).args(["recipe", "list"]).output().unwrap();
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("broken.toml:3: step 1 has both days and after"),
        "{warning}"
    );
    let err = fails(&env, &["recipe", "apply", "alice", "broken"]);
    assert!(
        err.contains("does not read") && err.contains("broken.toml:3"),
        "{err}"
    );
    assert_eq!(env.count("checklists"), 0);
    assert!(fails(&env, &["recipe", "show", "nope"]).contains("the recipes are: ask-for-referral"));
}

#[test]
fn recipes_export_as_files_that_import_again() {
    let env = Env::new();
    let file = env.dir.path().join("shared.toml");
    ok(
        &env,
        &["recipe", "export", "proposal", "-o", file.to_str().unwrap()],
    );
    let exported = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        exported,
        ok(&env, &["recipe", "show", "proposal", "--toml"])
    );
    // Someone else drops the shared file into their recipes folder under a new name.
    let dir = with_config(&env).join("recipes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&file, dir.join("their-proposal.toml")).unwrap();
    let shown = ok(&env, &["recipe", "show", "their-proposal"]);
    assert!(
        shown.starts_with("Sending and following up a proposal"),
        "{shown}"
    );
}
