//! vCard, CSV and iCalendar through the real binary: every quirk lands where it should,
//! re-imports are idempotent, bad rows are skipped with a reason, and every export reads back.

mod common;

use std::path::PathBuf;

use common::Env;
use serde_json::Value;

fn write(env: &Env, name: &str, bytes: &[u8]) -> PathBuf {
    let p = env.dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn contact(env: &Env, who: &str) -> Value {
    env.json(&["show", who, "--json"])["contact"].clone()
}

/// Three exporters' habits in one folder: an old phone's 2.1 (quoted-printable, bare types,
/// an inline photo), Apple's 3.0 (itemN groups and labels, a year-less birthday), a 4.0 company.
const PHONE_21: &[u8] = b"BEGIN:VCARD\r\nVERSION:2.1\r\n\
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n\
FN;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n\
TEL;WORK;VOICE:+49 30 111\r\nTEL;CELL;PREF:+49 151 000\r\n\
EMAIL;INTERNET:juergen@example.de\r\n\
NOTE;ENCODING=QUOTED-PRINTABLE:mag =C3=84pfel=0D=0Aruft abends an\r\n\
PHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n /9j/4AAQSkZJRgABAQAAAQABAAD\r\n\r\n\
END:VCARD\r\n";

const APPLE_30: &[u8] = b"BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\n\
N:Apple;Ann;;;\nFN:Ann Apple\nORG:Apple Bakery;\nTITLE:Owner\n\
item1.EMAIL;type=INTERNET;type=pref:ann@bakery.test\nitem1.X-ABLabel:_$!<Work>!$_\n\
item2.EMAIL;type=INTERNET:ann@home.test\nitem2.X-ABLabel:Allotment\n\
TEL;type=CELL;type=VOICE;type=pref:+44 7700 900123\n\
item3.ADR;type=WORK;type=pref:;;1 Mill Lane;Bath;;BA1 1AA;United Kingdom\n\
item3.X-ABADR:gb\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-04-01\n\
CATEGORIES:Wholesale,VIP\nNOTE:Prefers email. Very long note that goes past the seventy-fiv\n e octet limit\\, folded.\n\
UID:8D2F6B1E-APPLE\nEND:VCARD\n";

const COMPANY_40: &[u8] = b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Crumbs & Co\r\n\
ORG:Crumbs & Co\r\nTEL;VALUE=uri;TYPE=work:tel:+44-20-7946-0000\r\nURL:https://crumbs.test\r\n\
EMAIL:orders@crumbs.test\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:nothing to know them by\r\nEND:VCARD\r\n";

#[test]
fn vcards_from_a_phone_an_iphone_and_a_server_land_field_by_field() {
    let env = Env::new();
    let folder = env.dir.path().join("cards");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("1-phone.vcf"), PHONE_21).unwrap();
    std::fs::write(folder.join("2-apple.vcf"), APPLE_30).unwrap();
    std::fs::write(folder.join("3-server.vcf"), COMPANY_40).unwrap();
    std::fs::write(folder.join("notes.txt"), b"not a card").unwrap();

    let out = env.ok(&["import", "vcard", folder.to_str().unwrap()]);
    assert!(
        out.contains("3 created, 0 updated, 0 unchanged, 1 skipped"),
        "{out}"
    );
    assert!(
        out.contains("skipped 3-server.vcf card 2: has no name, email or phone"),
        "{out}"
    );

    let j = contact(&env, "Jürgen");
    assert_eq!(j["name"], "Jürgen Müller");
    assert_eq!(j["phone"], "+49 151 000", "the PREF number is the main one");
    assert_eq!(j["fields"]["phone (work)"], "+49 30 111");
    assert_eq!(j["email"], "juergen@example.de");
    assert_eq!(j["fields"]["note"], "mag Äpfel\nruft abends an");

    let a = contact(&env, "Ann Apple");
    assert_eq!(a["uid"], "8D2F6B1E-APPLE");
    assert_eq!(a["company"], "Apple Bakery");
    assert_eq!(a["email"], "ann@bakery.test");
    assert_eq!(a["fields"]["email (allotment)"], "ann@home.test");
    assert_eq!(a["phone"], "+44 7700 900123");
    assert_eq!(a["address"], "1 Mill Lane, Bath, BA1 1AA, United Kingdom");
    assert_eq!(a["fields"]["birthday"], "--04-01");
    assert_eq!(a["fields"]["title"], "Owner");
    assert_eq!(a["tags"], serde_json::json!(["vip", "wholesale"]));
    assert!(
        a["fields"]["note"]
            .as_str()
            .unwrap()
            .ends_with("seventy-five octet limit, folded.")
    );

    let c = contact(&env, "Crumbs");
    assert_eq!(c["kind"], "company");
    assert_eq!(c["phone"], "+44-20-7946-0000");
    assert_eq!(c["fields"]["website"], "https://crumbs.test");
    // Ann's company was made for her; Crumbs came from its own card.
    assert_eq!(env.count("contacts"), 4);
}

#[test]
fn importing_the_same_file_again_creates_nothing_and_update_refreshes() {
    let env = Env::new();
    let file = write(&env, "a.vcf", APPLE_30);
    let f = file.to_str().unwrap();
    env.ok(&["import", "vcard", f]);
    let before = env.count("contacts");
    let again = env.ok(&["import", "vcard", f]);
    assert!(
        again.contains("0 created, 0 updated, 1 unchanged, 0 skipped"),
        "{again}"
    );
    assert_eq!(env.count("contacts"), before);

    // Without a UID, the email finds the contact; a changed card waits for --update.
    let changed = String::from_utf8_lossy(APPLE_30)
        .replace("UID:8D2F6B1E-APPLE\n", "")
        .replace("+44 7700 900123", "+44 7700 900999");
    let file = write(&env, "b.vcf", changed.as_bytes());
    let f = file.to_str().unwrap();
    let out = env.ok(&["import", "vcard", f]);
    assert!(
        out.contains("differs in phone; --update refreshes it"),
        "{out}"
    );
    assert_eq!(contact(&env, "Ann Apple")["phone"], "+44 7700 900123");
    let out = env.ok(&["import", "vcard", f, "--update"]);
    assert!(out.contains("1 updated"), "{out}");
    assert!(out.contains("updated #2 Ann Apple: phone"), "{out}");
    let a = contact(&env, "Ann Apple");
    assert_eq!(a["phone"], "+44 7700 900999");
    assert_eq!(
        a["uid"], "8D2F6B1E-APPLE",
        "matching by email keeps the contact"
    );
    assert_eq!(env.count("contacts"), before);
}

#[test]
fn a_bad_card_is_skipped_with_its_reason_and_never_half_written() {
    let env = Env::new();
    let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEMAIL:good@x.test\nEND:VCARD\n\
BEGIN:VCARD\nVERSION:3.0\nFN:Bad Email\nORG:Half Written Ltd\nCATEGORIES:x\nEMAIL:bad address\nEND:VCARD\n\
BEGIN:VCARD\nVERSION:3.0\nFN:After\nEND:VCARD\n";
    let file = write(&env, "mixed.vcf", text.as_bytes());
    let out = env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert!(out.contains("2 created"), "{out}");
    assert!(
        out.contains("skipped card 2 (Bad Email): 'bad address' does not look like an email"),
        "{out}"
    );
    let names: Vec<String> = env
        .conn()
        .prepare("SELECT name FROM contacts ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        names,
        ["Good One", "After"],
        "no company, no tag of the bad card"
    );
    assert_eq!(env.count("contact_tags"), 0);
}

#[test]
fn a_dry_run_shows_what_would_happen_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ann Apple", "--email", "ann@bakery.test"]);
    let file = write(&env, "a.vcf", APPLE_30);
    let out = env.ok(&[
        "import",
        "vcard",
        file.to_str().unwrap(),
        "--dry-run",
        "--update",
    ]);
    assert!(out.contains("would create 0, update 1"), "{out}");
    assert!(
        out.contains("would update Ann Apple (company, phone, address"),
        "{out}"
    );
    assert!(out.contains("Nothing was written"), "{out}");
    assert_eq!(env.count("contacts"), 1);
    assert_eq!(env.count("contact_fields"), 0);
    // Without --update too: all the card says is what tend does not have yet.
    let report = env.json(&["import", "vcard", file.to_str().unwrap(), "-n", "--json"]);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["updated"][0]["position"], "card 1");
    // Not even in the undo log: undo takes back the add, not a dry run.
    assert_eq!(env.count("undo_log WHERE what LIKE 'import%'"), 0);
    assert!(env.ok(&["undo"]).contains("Ann Apple"));
}

#[test]
fn csv_from_google_outlook_and_a_plain_sheet() {
    let env = Env::new();
    let google = "First Name,Middle Name,Last Name,Organization Name,Organization Title,Birthday,Notes,Labels,\
E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,\
Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City\n\
Gail,,Green,Green Grocers,Owner,1975-06-30,\"Met at the market\nLikes rye\",* myContacts ::: Trade,\
* Work,gail@green.test,* Home,gail@home.test,Mobile,+44 7700 1 ::: +44 1225 2,\
Work,\"3 Market Pl\nBath\",3 Market Pl,Bath\n";
    let file = write(&env, "google.csv", google.as_bytes());
    let out = env.ok(&["import", "csv", file.to_str().unwrap()]);
    assert!(out.contains("1 created"), "{out}");
    let g = contact(&env, "Gail");
    assert_eq!(g["name"], "Gail Green");
    assert_eq!(g["company"], "Green Grocers");
    assert_eq!(g["email"], "gail@green.test");
    assert_eq!(g["fields"]["email (home)"], "gail@home.test");
    assert_eq!(g["phone"], "+44 7700 1");
    assert_eq!(g["fields"]["phone (mobile)"], "+44 1225 2");
    assert_eq!(g["address"], "3 Market Pl, Bath");
    assert_eq!(g["fields"]["birthday"], "1975-06-30");
    assert_eq!(
        g["fields"]["note"], "Met at the market\nLikes rye",
        "its lines kept"
    );
    assert_eq!(g["fields"]["title"], "Owner");
    assert_eq!(g["tags"], serde_json::json!(["trade"]));

    // Outlook writes Windows-1252 ("Zoë" as 0xEB) and splits addresses into parts.
    let mut outlook = b"Title,First Name,Last Name,Company,Job Title,Business Street,Business City,\
Business Postal Code,Business Country/Region,Business Phone,Mobile Phone,E-mail Address,E-mail 2 Address,Categories\r\n"
        .to_vec();
    outlook.extend_from_slice(b"Ms,Zo\xeb,Oak,Oak Design,Director,2 Oven Rd,Leeds,LS1 1AA,UK,0113 000,07700 111,zoe@oak.test,,Design;Priority\r\n");
    let file = write(&env, "outlook.csv", &outlook);
    env.ok(&["import", "csv", file.to_str().unwrap()]);
    let z = contact(&env, "Zoë Oak");
    assert_eq!(z["address"], "2 Oven Rd, Leeds, LS1 1AA, UK");
    assert_eq!(z["phone"], "0113 000");
    assert_eq!(z["fields"]["phone (mobile)"], "07700 111");
    assert_eq!(
        z["fields"]["title"], "Director",
        "Outlook's Title is Ms, not a job"
    );
    assert_eq!(z["tags"], serde_json::json!(["design", "priority"]));

    // A plain sheet: unknown columns are profile fields; --map names what a guess cannot.
    let plain = "Who,Mail,Tel,Likes,Stage\nPat Plum,pat@plum.test,0123,\"lemon, drizzle\",client\n";
    let file = write(&env, "plain.csv", plain.as_bytes());
    let f = file.to_str().unwrap();
    let err = env.fails(&["import", "csv", f]);
    assert!(err.contains("no column holds a name"), "{err}");
    assert!(err.contains("--map"), "{err}");
    let mapped = [
        "import",
        "csv",
        f,
        "--map",
        "Who=name",
        "--map",
        "Stage=status",
    ];
    let out = env.ok(&[&mapped[..], &["-n"]].concat());
    assert!(out.contains("Who → name"), "{out}");
    assert!(out.contains("Likes → profile field 'Likes'"), "{out}");
    assert!(out.contains("would create Pat Plum"), "{out}");
    env.ok(&mapped);
    let p = contact(&env, "Pat");
    assert_eq!(p["status"], "client");
    assert_eq!(p["email"], "pat@plum.test");
    assert_eq!(p["phone"], "0123");
    assert_eq!(p["fields"]["likes"], "lemon, drizzle");
    let again = env.ok(&mapped);
    assert!(
        again.contains("0 created, 0 updated, 1 unchanged"),
        "{again}"
    );

    // A sorting column ("Last, First") beside the parts: the parts are the name; and a sheet
    // that has only "Plum, Pat" finds Pat Plum without renaming her.
    let sorted = "Name,Given Name,Family Name,E-mail 1 - Value\n\
\"O'Brien, Seán\",Seán,O'Brien,sean@obrien.test\n\"Plum, Pat\",,,pat@plum.test\n";
    let file = write(&env, "sorted.csv", sorted.as_bytes());
    let out = env.ok(&["import", "csv", file.to_str().unwrap(), "--update"]);
    assert!(
        out.contains("1 created") && out.contains("1 unchanged"),
        "{out}"
    );
    assert_eq!(contact(&env, "sean@obrien.test")["name"], "Seán O'Brien");
    assert_eq!(contact(&env, "pat@plum.test")["name"], "Pat Plum");
    // Refreshed with --update, she keeps her name and takes the new number.
    let sorted = "Name,Email,Phone\n\"Plum, Pat\",pat@plum.test,0999\n";
    let file = write(&env, "sorted2.csv", sorted.as_bytes());
    env.ok(&["import", "csv", file.to_str().unwrap(), "--update"]);
    let p = contact(&env, "pat@plum.test");
    assert_eq!(
        (p["name"].as_str(), p["phone"].as_str()),
        (Some("Pat Plum"), Some("0999"))
    );
}

#[test]
fn a_csv_with_bad_rows_imports_the_good_ones() {
    let env = Env::new();
    let text = "name,email,status\nAnn,ann@x.test,client\n,nameless@x.test,lead\nBob,bob@x.test,vip\n\"Cy\",cy@x.test,lead\n";
    let file = write(&env, "s.csv", text.as_bytes());
    let out = env.ok(&["import", "csv", file.to_str().unwrap()]);
    assert!(
        out.contains("2 created, 0 updated, 0 unchanged, 2 skipped"),
        "{out}"
    );
    assert!(out.contains("skipped row 3: has no name"), "{out}");
    assert!(
        out.contains("skipped row 4 (Bob)")
            || out.contains("skipped row 4: column status: unknown status 'vip'"),
        "{out}"
    );
    assert_eq!(env.count("contacts"), 2);
}

/// A database with a bit of everything an export carries.
fn filled() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "Crumbs & Co",
        "--kind",
        "company",
        "--email",
        "orders@crumbs.test",
    ]);
    env.ok(&[
        "add",
        "Zoë O'Brien",
        "--company",
        "Crumbs & Co",
        "--email",
        "zoe@crumbs.test",
        "--phone",
        "+44 1",
        "--address",
        "2 High St, Frome",
        "--status",
        "client",
        "--source",
        "market stall",
        "--tag",
        "wedding cakes",
        "--tag",
        "vip",
        "--field",
        "likes=lemon; drizzle",
        "--field",
        "birthday=1990-02-28",
        "--field",
        "note=a note, with commas; and \"quotes\"",
    ]);
    env.ok(&[
        "add",
        "Ann Apple",
        "--referred-by",
        "Zoë",
        "--email",
        "ann@apple.test",
        "--field",
        "email (work)=ann@work.test",
        "--field",
        "phone 2=+44 3",
    ]);
    env.ok(&["add", "Old Client", "--status", "former"]);
    env.ok(&["archive", "Old Client"]);
    // A sole trader named like their business, a fax, repeated and multi-line values, a
    // birthday as typed, a department.
    env.ok(&["add", "Acme Bakery", "--kind", "company"]);
    env.ok(&[
        "add",
        "Acme Bakery",
        "--company",
        "Acme Bakery",
        "--phone",
        "+44 5",
        "--field",
        "phone (work fax)=+44 6",
        "--field",
        "title=Owner",
        "--field",
        "title 2=Head baker",
        "--field",
        "note=first line\nsecond line\n\nafter a gap",
        "--field",
        "birthday=1 May",
        "--field",
        "department=Bread",
    ]);
    // A card from elsewhere: a structured name with a prefix and suffix, an address in its
    // parts, and properties tend does not read.
    let card = env.dir.path().join("jane.vcf");
    std::fs::write(
        &card,
        concat!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dr. Jane Q. Public Jr.\r\n",
            "N:Public;Jane;Quinn,Q.;Dr.;Jr.\r\n",
            "ADR;TYPE=work:;Suite 4;1 Mill Lane;Bath;Somerset;BA1 1AA;UK\r\n",
            "IMPP:xmpp:jane@example.test\r\nX-SKYPE:jane.public\r\n",
            "RELATED;TYPE=spouse:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n",
            "ANNIVERSARY:20090808\r\nEND:VCARD\r\n",
        ),
    )
    .unwrap();
    env.ok(&["import", "vcard", card.to_str().unwrap()]);
    env.ok(&["next", "Zoë", "fri 14:30", "call about the tasting"]);
    env.ok(&[
        "next",
        "Ann",
        "2026-12-01",
        "send the price list",
        "--every",
        "1m",
    ]);
    env
}

#[test]
fn every_contact_export_reads_back_into_an_empty_database_and_exports_the_same() {
    let env = filled();
    for (args, import) in [
        (vec!["export", "vcard"], vec!["import", "vcard"]),
        (vec!["export", "vcard", "--v3"], vec!["import", "vcard"]),
        (vec!["export", "csv"], vec!["import", "csv"]),
    ] {
        let first = env.ok(&args);
        let other = Env::new();
        let file = write(&other, "export", first.as_bytes());
        let mut import = import.clone();
        import.push(file.to_str().unwrap());
        let out = other.ok(&import);
        assert!(
            out.contains("7 created, 0 updated, 0 unchanged, 0 skipped"),
            "{args:?}: {out}"
        );
        assert_eq!(other.ok(&args), first, "{args:?} round trip");
        // Importing the same file again changes nothing.
        let again = other.ok(&import);
        assert!(
            again.contains("0 created, 0 updated, 7 unchanged"),
            "{args:?}: {again}"
        );
        let acme: Vec<String> = other
            .json(&["list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == "Acme Bakery")
            .map(|c| c["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            acme.len(),
            2,
            "{args:?}: the person and the business: {acme:?}"
        );
        let z = contact(&other, "Zoë");
        assert_eq!(z["referred_by"], Value::Null);
        assert_eq!(contact(&other, "Ann Apple")["referred_by"], "Zoë O'Brien");
        assert_eq!(z["company"], "Crumbs & Co");
        assert_eq!(z["status"], "client");
        assert_eq!(contact(&other, "Old Client")["archived"], true);
    }
}

#[test]
fn a_file_in_an_old_encoding_is_read_right_and_encoding_forces_one() {
    let env = Env::new();
    // "Zażółć Gęślą", Polish, in ISO-8859-2: one byte per letter.
    let mut bytes = b"Name,Email\nZa\xbf\xf3\xb3\xe6 G\xea\xb6l\xb1,z@x.test\n".to_vec();
    let file = write(&env, "polish.csv", &bytes);
    env.ok(&[
        "import",
        "csv",
        "--encoding",
        "iso-8859-2",
        file.to_str().unwrap(),
    ]);
    assert_eq!(env.count("contacts WHERE name = 'Zażółć Gęślą'"), 1);
    let err = env.fails(&[
        "import",
        "csv",
        "--encoding",
        "klingon",
        file.to_str().unwrap(),
    ]);
    assert!(err.contains("not an encoding tend knows"), "{err}");
    // A Shift_JIS sheet with no say of its own is recognised.
    bytes = b"Name,Email\n\x8eR\x93c\x91\xbe\x98Y,t@x.test\n".to_vec();
    let file = write(&env, "japanese.csv", &bytes);
    env.ok(&["import", "csv", file.to_str().unwrap()]);
    assert_eq!(env.count("contacts WHERE name = '山田太郎'"), 1);
}

#[test]
fn tends_own_exports_imported_again_with_update_change_nothing() {
    let env = filled();
    env.ok(&["tag", "Ann Apple", "trade,wholesale", "x y"]);
    env.ok(&["edit", "Ann Apple", "--field", "likes_food=rye"]);
    let before = env.json(&["export", "json"])["tables"].clone();
    for (export, import) in [
        (vec!["export", "csv"], "csv"),
        (vec!["export", "vcard"], "vcard"),
        (vec!["export", "vcard", "--v3"], "vcard"),
    ] {
        let file = write(&env, "again", env.ok(&export).as_bytes());
        let out = env.ok(&["import", import, "--update", file.to_str().unwrap()]);
        assert!(
            out.contains("0 created, 0 updated, 7 unchanged"),
            "{export:?}: {out}"
        );
    }
    let mut after = env.json(&["export", "json"])["tables"].clone();
    // The log of what was done is the one thing an import with nothing to do adds to.
    after.as_object_mut().unwrap().remove("undo_log");
    let mut before = before;
    before.as_object_mut().unwrap().remove("undo_log");
    assert_eq!(after, before);
}

#[test]
fn the_calendar_export_keeps_its_uids_so_a_calendar_updates_instead_of_duplicating() {
    let env = filled();
    let first = env.ok(&["export", "ics"]);
    assert_eq!(first.matches("BEGIN:VTODO").count(), 2);
    assert!(first.contains("DUE:20261127T143000"), "{first}");
    assert!(first.contains("DUE;VALUE=DATE:20261201"), "{first}");
    env.ok(&["snooze", "Zoë", "mon"]);
    let second = env.ok(&["export", "ics"]);
    let uids = |t: &str| -> Vec<String> {
        let mut u: Vec<String> = t
            .lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect();
        u.sort();
        u
    };
    assert_eq!(
        uids(&first),
        uids(&second),
        "a snoozed follow-up keeps its UID"
    );
    assert!(second.contains("DUE:20261130T143000"), "{second}");
    let events = env.ok(&["export", "ics", "--events"]);
    assert_eq!(events.matches("BEGIN:VEVENT").count(), 2);
    assert!(events.contains("DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202"));

    // A repeating one is one task for its whole series; a finished one says so.
    env.ok(&[
        "next",
        "Ann Apple",
        "2026-11-24",
        "monthly check-in",
        "--every",
        "1m",
    ]);
    let before = env.ok(&["export", "ics"]);
    let series_uid = before
        .split("BEGIN:VTODO")
        .find(|t| t.contains("monthly check-in"))
        .and_then(|t| t.lines().find(|l| l.starts_with("UID:")))
        .unwrap()
        .to_string();
    assert!(before.contains("RRULE:FREQ=MONTHLY"), "{before}");
    let err = env.fails(&["done", "Ann Apple"]);
    assert!(err.contains("e.g. f#3"), "the hint names a real id: {err}");
    env.ok(&["done", "f#3"]);
    env.ok(&["done", "Zoë"]);
    let after = env.ok(&["export", "ics"]);
    let check_in = after
        .split("BEGIN:VTODO")
        .find(|t| t.contains("monthly check-in"))
        .unwrap();
    assert!(
        check_in.contains(&series_uid),
        "same UID after done: {check_in}"
    );
    assert!(
        check_in.contains("DUE;VALUE=DATE:20261224"),
        "moved on: {check_in}"
    );
    assert!(check_in.contains("STATUS:NEEDS-ACTION"), "{check_in}");
    assert_eq!(
        after.matches("monthly check-in").count(),
        2,
        "one task (summary and alarm)"
    );
    let zoe = after
        .split("BEGIN:VTODO")
        .find(|t| t.contains("Zoë"))
        .unwrap();
    assert!(zoe.contains("STATUS:COMPLETED"), "{zoe}");
    let uids_after = uids(&after);
    for u in uids(&second) {
        assert!(
            uids_after.contains(&u),
            "{u} is still in the file, finished or not"
        );
    }
}

#[test]
fn exports_to_a_file_replace_it_whole_and_bad_paths_are_refused() {
    let env = filled();
    let path = env.dir.path().join("out.vcf");
    std::fs::write(&path, "old").unwrap();
    let out = env.ok(&["export", "vcard", "-o", path.to_str().unwrap()]);
    assert!(out.contains("Exported 7 contacts to"), "{out}");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("BEGIN:VCARD")
    );
    let err = env.fails(&["export", "csv", "-o", "/nonexistent/dir/x.csv"]);
    assert!(err.contains("cannot write /nonexistent/dir/x.csv"), "{err}");
    let err = env.fails(&["import", "vcard", "/nonexistent.vcf"]);
    assert!(err.contains("cannot read /nonexistent.vcf"), "{err}");
    let not_cards = write(&env, "x.vcf", b"hello\n");
    let err = env.fails(&["import", "vcard", not_cards.to_str().unwrap()]);
    assert!(err.contains("no BEGIN:VCARD found"), "{err}");
}

#[test]
fn cards_and_sheets_can_come_from_standard_input() {
    let env = Env::new();
    let out = env
        .tend()
        .args(["import", "vcard", "-"])
        .write_stdin(APPLE_30)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Imported standard input: 1 created"));
    let out = env
        .tend()
        .args(["import", "csv", "-"])
        .write_stdin("name,email\nBob Baker,bob@x.test\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(contact(&env, "Bob")["email"], "bob@x.test");
}

#[test]
fn the_main_numbers_label_survives_import_and_export() {
    let env = Env::new();
    // The old phone's mobile (TEL;CELL;PREF in 2.1) and a 3.0 card's work email.
    let file = write(&env, "phone.vcf", PHONE_21);
    env.ok(&["import", "vcard", file.to_str().unwrap()]);
    let file = write(
        &env,
        "work.vcf",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Wanda Work\r\nN:Work;Wanda;;;\r\n\
EMAIL;TYPE=INTERNET,WORK:wanda@firm.test\r\nTEL;TYPE=CELL:07700 900321\r\nEND:VCARD\r\n",
    );
    env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert_eq!(contact(&env, "Wanda")["phone"], "07700 900321");
    for version in [&["export", "vcard"][..], &["export", "vcard", "--v3"][..]] {
        let out = env.ok(version);
        let line = |value: &str| -> String {
            out.lines()
                .find(|l| l.contains(value))
                .unwrap_or_else(|| panic!("{value} in {out}"))
                .to_lowercase()
        };
        for (value, label) in [
            ("+49 151 000", "cell"),
            ("07700 900321", "cell"),
            ("wanda@firm.test", "work"),
        ] {
            let l = line(value);
            assert!(l.contains(label) && l.contains("pref"), "{version:?}: {l}");
            assert!(!l.contains("voice"), "{version:?}: {l}");
        }
        // The second number keeps its own label, and nothing is said twice.
        assert!(line("+49 30 111").contains("work"), "{out}");
        assert_eq!(out.matches("+49 151 000").count(), 1, "{out}");
    }
    // Importing the export again changes nothing.
    let out = env.ok(&["export", "vcard"]);
    let file = write(&env, "again.vcf", out.as_bytes());
    let again = env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert!(
        again.contains("0 created, 0 updated, 2 unchanged"),
        "{again}"
    );
}

#[test]
fn an_import_adds_what_tend_lacks_and_waits_for_update_to_change_what_it_has() {
    let env = Env::with_people();
    // Bob has no phone and no birthday; his email finds him.
    env.ok(&["edit", "bob", "--email", "bob@jones.test"]);
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Jones\r\nN:Jones;Bob;;;\r\n\
EMAIL:bob@jones.test\r\nTEL;TYPE=CELL:07700 900777\r\nBDAY:1980-04-02\r\n\
X-TEND-REFERRED-BY:Carol White\r\nEND:VCARD\r\n";
    let file = write(&env, "bob.vcf", card.as_bytes());
    let out = env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert!(out.contains("1 updated"), "{out}");
    assert!(out.contains("phone") && out.contains("birthday"), "{out}");
    let bob = contact(&env, "bob");
    assert_eq!(bob["phone"], "07700 900777");
    assert_eq!(bob["fields"]["birthday"], "1980-04-02");
    assert_eq!(
        bob["referred_by"], "Alice Smith",
        "a referrer tend has stays: {bob}"
    );
    // A different number for him is a change: it waits, and nothing of the card is taken.
    let card = card
        .replace("07700 900777", "07700 900888")
        .replace("1980-04-02", "1980-04-03");
    let file = write(&env, "bob2.vcf", card.as_bytes());
    let out = env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert!(
        out.contains("differs in phone, birthday; --update refreshes it"),
        "{out}"
    );
    let bob = contact(&env, "bob");
    assert_eq!(bob["phone"], "07700 900777");
    assert_eq!(bob["fields"]["birthday"], "1980-04-02");
    // And the additions are one change for undo.
    env.ok(&["undo"]);
    assert_eq!(contact(&env, "bob")["phone"], serde_json::Value::Null);
}
