//! Property tests: the parsers of what people type never panic, whatever they type, and what
//! they accept is sane. (Scaled for `cargo test`; PROPTEST_CASES=100000 for a long run.)

use chrono::NaiveDate;
use proptest::prelude::*;
use tend::model::duration::parse_minutes;
use tend::model::followup::Recurrence;
use tend::model::money::parse_amount;
use tend::when::{self, Direction};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Text that looks a bit like dates and amounts, plus anything at all.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-z :+\\-./,£$€]{0,24}",
        "(in |next |last |this |\\+|-)?[0-9]{0,6} ?(d|w|m|y|days|weeks|months|years|mon|fri|dec|h|min)?( [0-9]{1,2}(:[0-9]{2})?(am|pm)?)?",
    ]
}

proptest! {
    #[test]
    fn dates_never_panic_and_land_within_reach(s in typed()) {
        for dir in [Direction::Future, Direction::Past] {
            if let Ok(w) = when::parse(&s, today(), dir) {
                // Whatever was accepted is a real date a few centuries either way at most.
                let years = (w.date - today()).num_days().abs() / 365;
                prop_assert!(years < 300, "{s:?} → {}", w.date);
            }
        }
        let words: Vec<String> = s.split_whitespace().map(str::to_string).collect();
        let _ = when::split_leading(&words, today(), Direction::Future);
        let _ = when::parse_next(&s, today());
    }

    #[test]
    fn amounts_never_panic_and_are_never_negative(s in typed()) {
        if let Ok(m) = parse_amount(&s) {
            prop_assert!(m >= 0);
        }
    }

    #[test]
    fn amounts_round_trip_through_their_display(m in 0i64..=tend::model::money::MAX_AMOUNT) {
        let shown = tend::model::money::format_amount(m);
        prop_assert_eq!(parse_amount(&shown), Ok(m));
    }

    #[test]
    fn durations_never_panic_and_are_positive(s in typed()) {
        if let Ok(m) = parse_minutes(&s) {
            prop_assert!(m > 0);
        }
    }

    #[test]
    fn repeats_never_panic_and_always_move_forward(s in typed(), day in 0u32..20_000) {
        if let Ok(r) = Recurrence::parse(&s) {
            let due = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(day.into());
            if let Some(next) = r.next_due(due, due, today()) {
                prop_assert!(next > due && next > today());
            }
        }
    }

    #[test]
    fn recipe_files_never_panic(s in any::<String>()) {
        let _ = tend::recipes::parse("fuzz", &s, "fuzz.toml");
    }

    #[test]
    fn recipe_like_files_never_panic(
        title in ".{0,20}",
        steps in proptest::collection::vec(("[a-z ]{0,10}", proptest::option::of(-5i64..5000), proptest::option::of("[a-z]{0,8}")), 0..5),
    ) {
        let mut src = format!("title = {title:?}\n");
        for (text, days, kind) in steps {
            src.push_str(&format!("[[step]]\ntext = {text:?}\n"));
            if let Some(d) = days { src.push_str(&format!("days = {d}\n")); }
            if let Some(k) = kind { src.push_str(&format!("kind = {k:?}\n")); }
        }
        if let Ok(r) = tend::recipes::parse("fuzz", &src, "fuzz.toml") {
            prop_assert!(!r.steps.is_empty());
            let dates = tend::model::recipe::schedule(&r.steps, today());
            prop_assert_eq!(dates.len(), r.steps.len());
        }
    }

    #[test]
    fn config_files_never_panic(s in any::<String>()) {
        let _ = tend::config::Settings::parse(&s, std::path::Path::new("config.toml"));
    }

    #[test]
    fn display_text_never_carries_control_characters(s in any::<String>()) {
        let shown = tend::model::text::one_line(&s);
        prop_assert!(!shown.chars().any(|c| c.is_control()));
        let block = tend::model::text::block(&s);
        prop_assert!(!block.chars().any(|c| c.is_control() && c != '\n'));
    }
}

/// Lines a vCard is made of, some well-formed, some broken, in any order.
fn vcard_lines() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("BEGIN:VCARD".to_string()),
        Just("END:VCARD".to_string()),
        Just("VERSION:2.1".to_string()),
        Just("VERSION:4.0".to_string()),
        "FN:[^\r\n]{0,20}",
        "N:[a-z;]{0,12}",
        "EMAIL(;TYPE=[a-z,]{0,8})?:[^\r\n]{0,16}",
        "TEL;[A-Z=;]{0,12}:[0-9 +]{0,10}",
        "ADR:[a-z;,\\\\]{0,16}",
        "item[0-9]\\.X-ABLabel:_\\$!<[A-Za-z]{0,6}>!\\$_",
        "NOTE;ENCODING=QUOTED-PRINTABLE:[=0-9A-F a-z]{0,20}",
        "BDAY(;X-APPLE-OMIT-YEAR=1604)?:[0-9\\-]{0,10}",
        "CATEGORIES:[a-z,]{0,12}",
        " [^\r\n]{0,10}",
        "[^\r\n]{0,20}",
    ];
    proptest::collection::vec(line, 0..24).prop_map(|l| l.join("\r\n"))
}

proptest! {
    #[test]
    fn vcard_files_never_panic_and_every_entry_is_a_card_or_a_reason(
        s in prop_oneof![vcard_lines(), any::<String>()]
    ) {
        for p in tend::interop::vcard::parse(&s) {
            if let Ok(card) = p.card {
                prop_assert!(!card.name.trim().is_empty(), "{s:?}");
            }
        }
    }

    #[test]
    fn csv_files_never_panic(
        header in "[a-zA-Z ,;\\-\"0-9]{0,40}",
        rows in proptest::collection::vec("[^\r\n]{0,40}", 0..6),
    ) {
        let text = format!("{header}\n{}", rows.join("\n"));
        if let Ok((_, parsed)) = tend::interop::csv::parse(&text, &[]) {
            for p in parsed {
                if let Ok(card) = p.card {
                    prop_assert!(!card.name.trim().is_empty(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn csv_maps_never_panic(s in any::<String>()) {
        let _ = tend::interop::csv::parse_map(&s);
    }

    #[test]
    fn bytes_in_any_encoding_decode(b in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = tend::interop::decode(&b);
        let _ = tend::interop::repair_mojibake(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A JSON document that is not quite a tend export restores nothing and never panics.
    #[test]
    fn json_imports_never_panic_and_fail_whole(
        doc in prop_oneof![
            any::<String>(),
            "\\{\"format\":\"tend\",\"version\":1,\"tables\":\\{\"contacts\":\\[\\{\"uid\":\"[a-z]{0,3}\",\"name\":[\"a-z0-9]{0,5}(,\"status\":\"[a-z]{0,6}\")?\\}\\]\\}\\}",
        ]
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("doc.json");
        std::fs::write(&file, &doc).unwrap();
        let db = dir.path().join("t.db");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tend"))
            .args(["import", "json"])
            .arg(&file)
            .env("TEND_DB", &db)
            .env("TEND_DAILY_BACKUP", "off")
            .env("TEND_CONFIG_DIR", dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "{doc:?}: {stderr}");
        if !out.status.success() {
            prop_assert!(stderr.starts_with("error: "), "{stderr}");
            let conn = rusqlite::Connection::open(&db).unwrap();
            let n: i64 = conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0)).unwrap();
            prop_assert_eq!(n, 0, "a failed restore left rows behind");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Whatever the cards say, importing them twice never panics, the second time creates
    /// nothing, every entry is counted once, and the database stays sound.
    #[test]
    fn importing_any_cards_twice_is_sound_and_idempotent(text in vcard_lines()) {
        use tend::commands::import::{ImportOptions, import};
        let dir = tempfile::tempdir().unwrap();
        let mut store = tend::store::Store::open(&dir.path().join("t.db")).unwrap();
        let clock = tend::clock::Clock::parse("2026-11-23T10:00:00").unwrap();
        let entries = tend::interop::vcard::parse(&text);
        let n = entries.len();
        let first = import(&mut store, &clock, entries, ImportOptions::default(), &mut |_, _| {}).unwrap();
        prop_assert_eq!(first.created.len() + first.updated.len() + first.unchanged + first.skipped.len(), n);
        let again = import(&mut store, &clock, tend::interop::vcard::parse(&text), ImportOptions::default(), &mut |_, _| {}).unwrap();
        prop_assert!(again.created.is_empty(), "{text:?}: {again:?}");
        let check: String = store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(check, "ok");
        let fk: i64 = store.conn().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(fk, 0);
    }
}
