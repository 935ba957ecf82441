//! Listing, showing, editing, tagging, archiving and searching contacts.

mod common;

use common::Env;

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_filters_by_status_tag_kind_and_next_step() {
    let env = Env::with_people();
    assert_eq!(
        names(&env.json(&["list", "--json"])),
        ["Acme Bakery", "Alice Smith", "Bob Jones", "Carol White"]
    );
    assert_eq!(
        names(&env.json(&["list", "--status", "lead,prospect", "--json"])),
        ["Bob Jones", "Carol White"]
    );
    assert_eq!(
        names(&env.json(&["list", "--tag", "VIP", "--json"])),
        ["Alice Smith"]
    );
    assert_eq!(
        names(&env.json(&["list", "--kind", "company", "--json"])),
        ["Acme Bakery"]
    );
    env.ok(&["next", "bob", "fri", "call"]);
    assert_eq!(
        names(&env.json(&["list", "--no-next-step", "--json"])),
        ["Alice Smith", "Carol White"]
    );
    let text = env.ok(&["list"]);
    assert!(
        text.contains("next Fri 27 Nov")
            && text.contains("no next step")
            && text.contains("4 contacts"),
        "{text}"
    );
}

#[test]
fn show_prints_details_follow_ups_and_notes_newest_first() {
    let env = Env::with_people();
    env.ok(&["note", "alice", "first chat", "--at", "3d ago"]);
    env.ok(&["note", "alice", "sent the quote", "-k", "email"]);
    env.ok(&["next", "alice", "fri", "chase the quote"]);
    let out = env.ok(&["show", "Alice"]);
    for expected in [
        "Alice Smith",
        "client",
        "Acme Bakery",
        "alice@example.com",
        "likes",
        "lemon cake",
        "chase the quote",
        "Notes (2)",
    ] {
        assert!(out.contains(expected), "missing {expected}:\n{out}");
    }
    assert!(
        out.find("sent the quote").unwrap() < out.find("first chat").unwrap(),
        "newest first:\n{out}"
    );
    let company = env.ok(&["show", "acme"]);
    assert!(
        company.contains("Alice Smith (#2)"),
        "a company lists its people:\n{company}"
    );
}

#[test]
fn edit_changes_and_clears_fields() {
    let env = Env::with_people();
    env.ok(&[
        "edit",
        "carol",
        "--email",
        "carol@example.com",
        "--status",
        "client",
        "--field",
        "allergies=nuts",
        "--field",
        "likes=tea",
    ]);
    env.ok(&[
        "edit",
        "carol",
        "--phone",
        "",
        "--unset",
        "likes",
        "--referred-by",
        "alice",
    ]);
    let c = &env.json(&["show", "carol", "--json"])["contact"];
    assert_eq!(c["email"], "carol@example.com");
    assert_eq!(c["status"], "client");
    assert!(c["phone"].is_null());
    assert_eq!(c["fields"], serde_json::json!({"allergies": "nuts"}));
    assert_eq!(c["referred_by"], "Alice Smith");
    let err = env.fails(&["edit", "carol"]);
    assert!(err.contains("nothing to change"), "{err}");
    let err = env.fails(&["edit", "carol", "--unset", "shoe size"]);
    assert!(err.contains("no field 'shoe size'"), "{err}");
}

#[test]
fn tags_are_added_normalised_and_removed() {
    let env = Env::with_people();
    let out = env.ok(&["tag", "bob", "Wholesale", "#Repeat Buyer"]);
    assert!(out.contains("#repeat-buyer #wholesale"), "{out}");
    env.ok(&["tag", "bob", "--remove", "wholesale"]);
    assert_eq!(
        env.json(&["show", "bob", "--json"])["contact"]["tags"],
        serde_json::json!(["repeat-buyer"])
    );
}

#[test]
fn archive_hides_from_lists_and_today_and_undo_brings_back() {
    let env = Env::with_people();
    env.ok(&["next", "carol", "today", "call"]);
    env.ok(&["archive", "carol"]);
    assert!(!names(&env.json(&["list", "--json"])).contains(&"Carol White".to_string()));
    assert_eq!(
        names(&env.json(&["list", "--archived", "--json"])),
        ["Carol White"]
    );
    assert!(!env.ok(&["today"]).contains("Carol"));
    assert!(
        env.fails(&["archive", "carol"])
            .contains("already archived")
    );
    env.ok(&["archive", "carol", "--undo"]);
    assert!(env.ok(&["today"]).contains("Carol White: call"));
    assert_eq!(env.count("notes"), 0);
}

#[test]
fn search_finds_contacts_fuzzily_and_notes_by_full_text_newest_first() {
    let env = Env::with_people();
    env.ok(&[
        "note",
        "bob",
        "wants a quote for the wedding cake",
        "--at",
        "5d ago",
    ]);
    env.ok(&["note", "carol", "Quoted for catering", "--at", "yesterday"]);
    env.ok(&["note", "alice", "nothing relevant"]);
    let found = env.json(&["search", "quot", "--json"]);
    let bodies: Vec<&str> = found["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        ["Quoted for catering", "wants a quote for the wedding cake"]
    );
    let found = env.json(&["search", "alsmth", "--json"]);
    assert_eq!(found["contacts"][0]["name"], "Alice Smith");
    assert_eq!(found["contacts"][0]["matched"], "name");
    let found = env.json(&["search", "lemon", "--json"]);
    assert_eq!(
        found["contacts"][0]["name"], "Alice Smith",
        "profile fields are searched"
    );
    let likes = found["contacts"][0]["matched"].as_str().unwrap();
    assert!(
        likes.contains("lemon"),
        "search says which field matched: {likes}"
    );
    let text = env.ok(&["search", "lemon"]);
    assert!(text.contains(&format!("(matched {likes})")), "{text}");
    let text = env.ok(&["search", "wedding", "cake"]);
    assert!(
        text.contains("Bob Jones") && text.contains("wedding cake"),
        "{text}"
    );
    assert!(env.ok(&["search", "zebra"]).contains("Nothing matches"));
}

#[test]
fn search_treats_query_syntax_as_plain_words() {
    let env = Env::with_people();
    env.ok(&["note", "bob", "NEAR the AND gate"]);
    let found = env.json(&["search", "\"NEAR(", "AND*", "--json"]);
    assert_eq!(found["notes"].as_array().unwrap().len(), 1);
}

#[test]
fn contacts_are_found_by_email_prefix_word_and_id() {
    let env = Env::with_people();
    for who in [
        "alice@example.com",
        "ali",
        "smith",
        "#2",
        "2",
        "ALICE SMITH",
    ] {
        let v = env.json(&["show", who, "--json"]);
        assert_eq!(v["contact"]["name"], "Alice Smith", "{who}");
    }
}

#[test]
fn the_start_of_any_word_finds_a_contact_whatever_its_case_and_accents() {
    let env = Env::new();
    env.ok(&["add", "Zoë O'Brien"]);
    env.ok(&["add", "Ann Apple"]);
    env.ok(&["add", "Åsa Öberg"]);
    for (typed, found) in [
        ("zoe", "Zoë O'Brien"),
        ("o'bri", "Zoë O'Brien"),
        ("BRIEN", "Zoë O'Brien"),
        ("ann app", "Ann Apple"),
        ("app", "Ann Apple"),
        ("asa", "Åsa Öberg"),
        ("oberg", "Åsa Öberg"),
    ] {
        let out = env.ok(&["show", typed]);
        assert!(out.starts_with(found), "{typed}: {out}");
    }
    // Punctuation or quotes alone are not a query, and never an error from the index.
    let err = env.fails(&["show", "\"\"*"]);
    assert!(err.contains("no contact matches"), "{err}");
    let out = env.ok(&["show", "ann \"apple"]);
    assert!(out.starts_with("Ann Apple"), "{out}");
}

#[test]
fn list_lines_up_its_columns_by_display_width() {
    let env = Env::new();
    env.ok(&["add", "Alice Smith", "--email", "alice@example.com"]);
    env.ok(&["add", "山田太郎", "--email", "taro@example.jp"]);
    env.ok(&["add", "👩‍👩‍👧 Family Bakers", "--email", "fam@example.com"]);
    let out = env.ok(&["list"]);
    let column_of = |needle: &str| -> usize {
        let line = out.lines().find(|l| l.contains(needle)).expect(needle);
        let before = &line[..line.find("lead").expect("a status")];
        unicode_width::UnicodeWidthStr::width(before)
    };
    let alice = column_of("Alice");
    assert_eq!(column_of("山田"), alice, "{out}");
    assert_eq!(column_of("Family"), alice, "{out}");
}

/// Everything a contact's details say, as (label, value), with labels the merge may have given.
fn details(env: &Env, who: &str) -> Vec<String> {
    let j = env.json(&["show", who, "--json"]);
    let c = &j["contact"];
    let mut out: Vec<String> = ["name", "email", "phone", "address", "source", "company"]
        .iter()
        .filter_map(|k| c[*k].as_str().map(str::to_string))
        .collect();
    if let Some(fields) = c["fields"].as_object() {
        out.extend(
            fields
                .values()
                .filter_map(|v| v.as_str().map(str::to_string)),
        );
    }
    out
}

#[test]
fn merge_keeps_every_value_of_both_and_the_duplicates_uid() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Alex Morgan",
        "--email",
        "alex@work.example",
        "--phone",
        "07700 900001",
        "--source",
        "website",
        "--field",
        "likes=tea",
    ]);
    env.ok(&[
        "add",
        "A. Morgan",
        "--email",
        "alex@home.example",
        "--phone",
        "07700 900002",
        "--source",
        "referral",
        "--address",
        "1 High St",
        "--field",
        "likes=coffee",
        "--field",
        "birthday=1 May",
    ]);
    let card = env.ok(&["export", "vcard"]);
    let dup_card: String = card
        .split_inclusive("END:VCARD\r\n")
        .find(|c| c.contains("A. Morgan"))
        .expect("the duplicate's card")
        .to_string();
    let before: Vec<String> = details(&env, "#1")
        .into_iter()
        .chain(details(&env, "#2"))
        .collect();

    let out = env.ok(&["merge", "#1", "#2"]);
    assert!(
        out.contains("email 'alex@home.example' kept as 'other email'"),
        "{out}"
    );
    assert!(
        out.contains("likes 'coffee' kept as 'likes (merged)'"),
        "{out}"
    );
    assert_eq!(env.count("contacts"), 1);
    let after = details(&env, "#1");
    for value in &before {
        assert!(
            after.contains(value),
            "{value:?} was lost in the merge: {after:?}"
        );
    }

    // The duplicate's name and email still find the merged contact.
    for who in ["alex@home.example", "A. Morgan", "a. morgan"] {
        assert!(
            env.ok(&["show", who]).starts_with("Alex Morgan"),
            "{who} finds the merged contact"
        );
    }
    // The duplicate's card, imported again, finds the merged contact by its old uid.
    let file = env.dir.path().join("dup.vcf");
    std::fs::write(&file, dup_card).unwrap();
    env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert_eq!(env.count("contacts"), 1, "no second A. Morgan");
    // And the alias survives a JSON round trip.
    let doc = env.ok(&["export", "json"]);
    assert!(
        doc.contains("contact_aliases"),
        "the export carries the aliases"
    );
}

#[test]
fn a_merge_is_undone_whole_and_a_person_is_not_merged_into_a_company() {
    let env = Env::new();
    env.ok(&["add", "Acme Bakery", "--kind", "company"]);
    env.ok(&[
        "add",
        "Alex Morgan",
        "--email",
        "alex@work.example",
        "--company",
        "Acme Bakery",
    ]);
    env.ok(&[
        "add",
        "A. Morgan",
        "--email",
        "alex@home.example",
        "--referred-by",
        "Alex Morgan",
    ]);
    env.ok(&["add", "Cleo", "--referred-by", "A. Morgan"]);
    env.ok(&[
        "note",
        "A. Morgan",
        "met at the fair",
        "--next",
        "fri: send prices",
    ]);
    env.ok(&["note", "Alex Morgan", "called"]);
    env.ok(&["income", "A. Morgan", "120"]);
    env.ok(&["tag", "A. Morgan", "vip"]);
    env.ok(&["recipe", "apply", "A. Morgan", "onboarding"]);
    let whole = |env: &Env| {
        let mut v = env.json(&["export", "json"]);
        v.as_object_mut().unwrap().remove("exported_at");
        v
    };
    let before = whole(&env);
    let err = env.fails(&["merge", "Alex Morgan", "Acme Bakery"]);
    assert!(
        err.contains("is a person") && err.contains("--company"),
        "{err}"
    );
    assert_eq!(whole(&env), before, "a refused merge writes nothing");

    let out = env.ok(&["merge", "Alex Morgan", "A. Morgan"]);
    assert!(out.contains("tend undo splits them again"), "{out}");
    assert_eq!(env.count("contacts WHERE name = 'A. Morgan'"), 0);
    let undone = env.ok(&["undo"]);
    assert!(undone.contains("merge into Alex Morgan"), "{undone}");
    assert_eq!(
        whole(&env),
        before,
        "both contacts, their notes, entries, tags, checklist and links are back as they were"
    );
}

#[test]
fn search_finds_follow_up_text_and_cjk_inside_a_sentence() {
    let env = Env::with_people();
    env.ok(&["next", "bob", "fri", "send the revised quote"]);
    env.ok(&["note", "carol", "山田さんと打ち合わせをしました"]);
    env.ok(&["tag", "bob", "+wholesale"]);
    let out = env.ok(&["search", "wholesale"]);
    assert!(
        out.contains("Bob Jones") && out.contains("(matched tag: wholesale)"),
        "{out}"
    );
    let out = env.ok(&["search", "revised"]);
    assert!(
        out.contains("Follow-ups (1)") && out.contains("send the revised quote"),
        "{out}"
    );
    let out = env.ok(&["search", "打ち合わせ"]);
    assert!(
        out.contains("Notes (1)") && out.contains("Carol White"),
        "{out}"
    );
    let j = env.json(&["search", "revised", "--json"]);
    assert_eq!(j["follow_ups"][0]["text"], "send the revised quote");
}

#[test]
fn a_note_of_several_lines_is_shown_with_its_lines() {
    let env = Env::with_people();
    env.ok(&["edit", "alice", "--field", "note=line one\nline two"]);
    let shown = env.ok(&["show", "alice"]);
    let note: Vec<&str> = shown
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("note"))
        .take(2)
        .collect();
    assert!(note[0].ends_with("line one"), "{shown}");
    assert!(note[1].trim() == "line two", "under its label: {shown}");
}

#[test]
fn a_list_sorts_accented_names_with_their_letters() {
    let env = Env::new();
    for name in ["Zoë Zane", "Ångström Ann", "Émile Early", "Bob Brown"] {
        env.ok(&["add", name]);
    }
    let listed = env.ok(&["list"]);
    let order: Vec<usize> = ["Ångström", "Bob", "Émile", "Zoë"]
        .iter()
        .map(|n| listed.find(n).unwrap_or_else(|| panic!("{n} in {listed}")))
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted, "{listed}");
}
