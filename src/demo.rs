//! `tend demo`: a throwaway database filled with a small bakery-and-catering business's
//! clients, so every view has something real-looking to show.

use chrono::{Days, NaiveDate};

use crate::clock::Clock;
use crate::error::Result;
use crate::model::{ContactKind, NoteKind, Stage, Status};
use crate::seed;
use crate::store::contacts::{self, NewContact};
use crate::store::deals::NewDeal;
use crate::store::entries::{self, MoneyKind, NewMoney, NewTime};
use crate::store::followups::{self, NewFollowUp};
use crate::store::{Store, notes};

/// What the demo's temporary folders are called, and the file in each that names the process
/// that made it.
pub const DIR_PREFIX: &str = "tend-demo-";
pub const OWNER: &str = "owner.pid";

/// Remove demo folders in `tmp` whose process is gone (a demo killed before it could clean
/// up). Without /proc to ask, a folder older than a day is taken as stale. Best effort: a
/// folder that cannot be read or removed is left alone.
pub fn sweep_stale(tmp: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    let proc = std::path::Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(DIR_PREFIX);
        if !ours || !path.is_dir() {
            continue;
        }
        let owner = std::fs::read_to_string(path.join(OWNER))
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok());
        let stale = match owner {
            Some(pid) if proc => !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            _ => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(86_400)),
        };
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// (name, company, status, source, email, tags, likes)
type Person = (
    &'static str,
    &'static str,
    Status,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
);

const PEOPLE: &[Person] = &[
    (
        "Maya Okafor",
        "Okafor & Daughters",
        Status::Client,
        "referral",
        "maya@okafor.example",
        &["vip", "wholesale"],
        "lemon drizzle",
    ),
    (
        "Tom Reid",
        "The Corner Cafe",
        Status::Client,
        "market stall",
        "tom@cornercafe.example",
        &["wholesale", "weekly"],
        "sourdough",
    ),
    (
        "Priya Nair",
        "",
        Status::Client,
        "instagram",
        "priya.nair@example.com",
        &["wedding"],
        "pistachio",
    ),
    (
        "James O'Neill",
        "Harbour Dental",
        Status::Client,
        "website",
        "james@harbourdental.example",
        &["corporate"],
        "no nuts (allergy)",
    ),
    (
        "Lena Kowalski",
        "",
        Status::Prospect,
        "referral",
        "lena.k@example.com",
        &["wedding"],
        "vanilla and berries",
    ),
    (
        "Sam Haddad",
        "Haddad Lettings",
        Status::Prospect,
        "website",
        "sam@haddadlettings.example",
        &["corporate"],
        "savoury platters",
    ),
    (
        "Chloe Martin",
        "",
        Status::Lead,
        "instagram",
        "chloe.martin@example.com",
        &[],
        "",
    ),
    (
        "Dev Patel",
        "Patel Architects",
        Status::Lead,
        "word of mouth",
        "dev@patelarch.example",
        &["corporate"],
        "flat whites",
    ),
    (
        "Rosa García",
        "",
        Status::Client,
        "market stall",
        "rosa.garcia@example.com",
        &["birthday"],
        "chocolate fudge",
    ),
    (
        "Oscar Silva",
        "Silva Books",
        Status::Client,
        "referral",
        "oscar@silvabooks.example",
        &["weekly"],
        "cinnamon buns",
    ),
    (
        "Hana Tanaka",
        "",
        Status::Lead,
        "google",
        "hana.t@example.com",
        &["wedding"],
        "matcha",
    ),
    (
        "George Evans",
        "Evans Garage",
        Status::Former,
        "market stall",
        "george@evansgarage.example",
        &[],
        "bacon rolls",
    ),
    (
        "Nia Brown",
        "",
        Status::Lost,
        "instagram",
        "nia.brown@example.com",
        &["wedding"],
        "",
    ),
    (
        "Farah Ahmed",
        "Bloom Florist",
        Status::Client,
        "referral",
        "farah@bloomflorist.example",
        &["partner"],
        "rose and cardamom",
    ),
    (
        "Ivan Novak",
        "",
        Status::Prospect,
        "google",
        "ivan.novak@example.com",
        &["birthday"],
        "honey cake",
    ),
    (
        "Zoe Larsen",
        "Larsen Yoga",
        Status::Lead,
        "instagram",
        "zoe@larsenyoga.example",
        &[],
        "vegan, oat milk",
    ),
    (
        "Kemal Costa",
        "",
        Status::Client,
        "word of mouth",
        "kemal.costa@example.com",
        &["repeat"],
        "baklava",
    ),
    (
        "Uma Rossi",
        "Rossi Deli",
        Status::Prospect,
        "market stall",
        "uma@rossideli.example",
        &["wholesale"],
        "focaccia",
    ),
    (
        "Wen Li",
        "",
        Status::Lead,
        "website",
        "wen.li@example.com",
        &["wedding"],
        "black sesame",
    ),
    (
        "Yusuf Jones",
        "Jones Joinery",
        Status::Former,
        "referral",
        "yusuf@jonesjoinery.example",
        &["corporate"],
        "",
    ),
    (
        "Quinn Walsh",
        "",
        Status::Client,
        "instagram",
        "quinn.walsh@example.com",
        &["birthday", "repeat"],
        "carrot cake",
    ),
    (
        "Alice Smith",
        "Acme Bakery Supplies",
        Status::Client,
        "market stall",
        "alice@acmesupplies.example",
        &["supplier"],
        "early calls",
    ),
    (
        "Ben Carter",
        "",
        Status::Lead,
        "google",
        "ben.carter@example.com",
        &[],
        "",
    ),
    (
        "Carla Mendes",
        "Mendes Events",
        Status::Prospect,
        "referral",
        "carla@mendesevents.example",
        &["partner", "corporate"],
        "canapés",
    ),
    (
        "Dan Whitaker",
        "",
        Status::Lost,
        "website",
        "dan.w@example.com",
        &[],
        "",
    ),
    (
        "Ella Fischer",
        "",
        Status::Client,
        "word of mouth",
        "ella.fischer@example.com",
        &["wedding"],
        "elderflower",
    ),
    (
        "Finn Murphy",
        "Murphy's Pub",
        Status::Lead,
        "market stall",
        "finn@murphyspub.example",
        &["wholesale"],
        "pies",
    ),
    (
        "Grace Kim",
        "",
        Status::Client,
        "instagram",
        "grace.kim@example.com",
        &["birthday"],
        "strawberry shortcake",
    ),
    (
        "Hugo Blanc",
        "Blanc Studio",
        Status::Prospect,
        "website",
        "hugo@blancstudio.example",
        &["corporate"],
        "croissants",
    ),
    (
        "Isla Grant",
        "",
        Status::Lead,
        "referral",
        "isla.grant@example.com",
        &["wedding"],
        "lemon and elderflower",
    ),
    (
        "Jack Thompson",
        "",
        Status::Former,
        "instagram",
        "jack.t@example.com",
        &[],
        "",
    ),
    (
        "Kira Ivanova",
        "Ivanova Dance",
        Status::Client,
        "word of mouth",
        "kira@ivanovadance.example",
        &["repeat"],
        "medovik",
    ),
    (
        "Leo Russo",
        "",
        Status::Lead,
        "google",
        "leo.russo@example.com",
        &[],
        "",
    ),
    (
        "Mia Schmidt",
        "",
        Status::Client,
        "market stall",
        "mia.schmidt@example.com",
        &["weekly"],
        "rye bread",
    ),
    (
        "Noah Clarke",
        "Clarke & Co Accountants",
        Status::Prospect,
        "referral",
        "noah@clarkeco.example",
        &["corporate"],
        "biscuits for meetings",
    ),
    (
        "Olivia Price",
        "",
        Status::Client,
        "instagram",
        "olivia.price@example.com",
        &["wedding", "vip"],
        "salted caramel",
    ),
    (
        "Pablo Ortiz",
        "",
        Status::Lead,
        "market stall",
        "pablo.ortiz@example.com",
        &[],
        "churros",
    ),
    (
        "Ruby Hughes",
        "Hughes Primary School",
        Status::Client,
        "website",
        "ruby@hughesprimary.example",
        &["school"],
        "nut-free everything",
    ),
    (
        "Sofia Conti",
        "",
        Status::Prospect,
        "instagram",
        "sofia.conti@example.com",
        &["birthday"],
        "tiramisu",
    ),
    (
        "Theo Baker",
        "",
        Status::Lead,
        "referral",
        "theo.baker@example.com",
        &[],
        "",
    ),
];

const NOTES: &[(NoteKind, &str)] = &[
    (
        NoteKind::Call,
        "Called about the order; happy with the last batch, wants the same again.",
    ),
    (
        NoteKind::Email,
        "Sent the price list and the seasonal menu.",
    ),
    (
        NoteKind::Meeting,
        "Tasting session at the kitchen. Loved the lemon drizzle, unsure about the ganache.",
    ),
    (
        NoteKind::Note,
        "Paid the last invoice on time. Mentioned a friend who is getting married.",
    ),
    (NoteKind::Call, "Left a voicemail about the quote."),
    (
        NoteKind::Email,
        "Asked for a quote for 120 guests, delivery to the venue by 11am.",
    ),
    (
        NoteKind::Meeting,
        "Met at the market; picked up a card and some samples.",
    ),
    (
        NoteKind::Note,
        "Complained the delivery was 20 minutes late; offered 10% off the next order.",
    ),
];

const STEPS: &[&str] = &[
    "send the quote",
    "call back about the tasting",
    "chase the unpaid invoice",
    "confirm the delivery time",
    "send samples",
    "ask for a referral",
    "quarterly check-in",
    "follow up on the proposal",
];

const DEALS: &[(&str, i64, Stage)] = &[
    ("Wedding cake, 3 tiers", 65_000, Stage::Proposal),
    ("Weekly bread order", 240_000, Stage::Won),
    ("Office breakfast platters", 90_000, Stage::Negotiation),
    ("Birthday cake", 12_000, Stage::New),
    ("Christmas hampers", 180_000, Stage::Qualified),
    ("Launch party canapés", 75_000, Stage::Proposal),
    ("School summer fair", 30_000, Stage::Lost),
    ("Deli wholesale pastries", 320_000, Stage::Qualified),
    ("Anniversary dessert table", 45_000, Stage::New),
    ("Yoga retreat catering", 110_000, Stage::Negotiation),
    ("Bookshop reading-night bakes", 25_000, Stage::Won),
    ("Wedding favours", 38_000, Stage::Lost),
];

/// Fill `store` (a fresh file) with the demo business, around `clock`'s today.
pub fn fill(store: &mut Store, clock: &Clock) -> Result<()> {
    let today = clock.today();
    let now = clock.stamp();
    let day = |offset: i64| -> NaiveDate {
        if offset >= 0 {
            today
                .checked_add_days(Days::new(offset as u64))
                .unwrap_or(today)
        } else {
            today
                .checked_sub_days(Days::new(offset.unsigned_abs()))
                .unwrap_or(today)
        }
    };
    let mut rng = fastrand::Rng::with_seed(7);
    store.write(|tx| {
        let mut ids = Vec::new();
        for (i, (name, company, status, source, email, tags, likes)) in PEOPLE.iter().enumerate() {
            // Everyone started as a lead and moved on to where they are now: leads lately,
            // the others months or years ago, so Insights' conversion and days in each status
            // tell the same story as the Clients tab.
            // A few of those who moved on did so lately, so this quarter has new clients.
            let age = if *status == Status::Lead {
                35 + (i as i64 % 30)
            } else if i % 5 == 1 {
                40 + (i as i64 % 10)
            } else {
                120 + (i as i64 * 37) % 600
            };
            let path = seed::status_path(*status, day(-age), today, &mut rng);
            let company_id = if company.is_empty() {
                None
            } else {
                Some(seed::insert_contact_with_history(
                    tx,
                    &NewContact {
                        kind: Some(ContactKind::Company),
                        name: company.to_string(),
                        ..NewContact::default()
                    },
                    &path,
                )?)
            };
            let referred_by_id =
                (*source == "referral" && !ids.is_empty()).then(|| ids[i % ids.len()]);
            let id = seed::insert_contact_with_history(
                tx,
                &NewContact {
                    kind: Some(ContactKind::Person),
                    name: name.to_string(),
                    company_id,
                    email: Some(email.to_string()),
                    phone: Some(format!("07700 900{:03}", 100 + i)),
                    address: None,
                    status: None,
                    source: Some(source.to_string()),
                    referred_by_id,
                },
                &path,
            )?;
            for t in tags.iter() {
                contacts::add_tag(tx, id, t)?;
            }
            if !likes.is_empty() {
                contacts::set_field(tx, id, "likes", likes)?;
            }
            if i % 7 == 0 {
                contacts::set_field(tx, id, "preferred channel", "phone, mornings")?;
            }
            for n in 0..(1 + i % 4) {
                let (kind, body) = NOTES[(i + n * 3) % NOTES.len()];
                let at = format!(
                    "{}T{:02}:{:02}:00Z",
                    day(-((n * 9 + i % 5 + 1) as i64)),
                    9 + (i + n) % 8,
                    (i * 7) % 60
                );
                notes::insert(tx, id, kind, body, &at, &now)?;
            }
            // Most active contacts have a next step: some overdue, some today, most ahead.
            // Every fifth active one has none, so the review has someone to give one to.
            if status.is_active() && i % 5 != 4 {
                let offset = match i % 6 {
                    0 => -3,
                    1 => 0,
                    2 => -1,
                    3 => 2,
                    _ => 5 + (i as i64 % 10),
                };
                followups::insert(
                    tx,
                    &NewFollowUp {
                        contact_id: id,
                        deal_id: None,
                        text: STEPS[i % STEPS.len()].to_string(),
                        due_date: day(offset),
                        due_time: None,
                        recurrence: (i % 9 == 0).then(|| "3m".to_string()),
                        recur_anchor: (i % 9 == 0).then(|| day(offset)),
                        series: None,
                    },
                    &now,
                )?;
            }
            if *status == Status::Client || *status == Status::Former {
                for m in 0..(1 + i % 3) {
                    let on = day(-((m * 30 + i) as i64));
                    entries::insert_money(
                        tx,
                        &NewMoney {
                            contact_id: id,
                            deal_id: None,
                            kind: MoneyKind::Income,
                            amount_minor: 8_000 + (i as i64 * 3_700) % 60_000,
                            on_date: on,
                            paid_on: (m > 0 || i % 2 == 0).then_some(on),
                            memo: Some("order".into()),
                        },
                        &now,
                    )?;
                    entries::insert_time(
                        tx,
                        &NewTime {
                            contact_id: id,
                            deal_id: None,
                            minutes: 60 + (i as i64 * 37) % 300,
                            on_date: on,
                            memo: Some("baking and delivery".into()),
                        },
                        &now,
                    )?;
                }
                entries::insert_money(
                    tx,
                    &NewMoney {
                        contact_id: id,
                        deal_id: None,
                        kind: MoneyKind::Expense,
                        amount_minor: 1_500 + (i as i64 * 900) % 9_000,
                        on_date: day(-(i as i64)),
                        paid_on: None,
                        memo: Some("ingredients".into()),
                    },
                    &now,
                )?;
            }
            ids.push(id);
        }
        // Deals moved through their stages over the last weeks and months.
        for (i, (title, value, stage)) in DEALS.iter().enumerate() {
            let path = seed::deal_path_to(*stage, day(-(20 + i as i64 * 13)), today, &mut rng);
            let expected_close = if stage.is_closed() {
                path.last().map(|(_, d)| *d)
            } else {
                Some(day(7 + i as i64 * 5))
            };
            seed::insert_deal_with_history(
                tx,
                &NewDeal {
                    contact_id: ids[(i * 3) % ids.len()],
                    title: title.to_string(),
                    value_minor: *value,
                    stage: Stage::New,
                    probability: None,
                    expected_close,
                },
                &path,
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn a_killed_demos_folder_is_removed_and_a_running_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let make = |name: &str, pid: u32| {
            let d = tmp.path().join(format!("{DIR_PREFIX}{name}"));
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("demo.db"), b"x").unwrap();
            std::fs::write(d.join(OWNER), pid.to_string()).unwrap();
            d
        };
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let gone = make("killed", dead);
        let running = make("running", std::process::id());
        let other = tmp.path().join("someone-elses");
        std::fs::create_dir(&other).unwrap();
        sweep_stale(tmp.path());
        assert!(!gone.exists(), "the killed demo's folder is removed");
        assert!(running.exists(), "a running demo's folder is kept");
        assert!(other.exists(), "other folders are never touched");
    }
}
