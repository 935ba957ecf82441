//! Synthetic data at the design scale, for benchmarks and trying tend out: contacts across
//! statuses with tags and profile fields, notes spread over three years, follow-ups (overdue,
//! due, ahead and done), deals in every stage, and money and time entries. Deterministic for a
//! given seed.

use chrono::{Days, NaiveDate};

use crate::clock::Clock;
use crate::error::Result;
use crate::model::deal::Stage;
use crate::model::{ContactKind, NoteKind, Status};
use crate::store::contacts::{self, NewContact};
use crate::store::deals::{self, NewDeal};
use crate::store::entries::{self, MoneyKind, NewMoney, NewTime};
use crate::store::followups::{self, NewFollowUp};
use crate::store::{Store, notes};

#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub contacts: usize,
    pub notes: usize,
    pub follow_ups: usize,
    pub deals: usize,
    pub entries: usize,
}

impl Scale {
    /// DESIGN.md's scale: 10,000 contacts, 100,000 notes, 20,000 follow-ups, 5,000 deals,
    /// 50,000 money and time entries.
    pub const DESIGN: Scale = Scale {
        contacts: 10_000,
        notes: 100_000,
        follow_ups: 20_000,
        deals: 5_000,
        entries: 50_000,
    };
}

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "Dan", "Erin", "Farah", "George", "Hana", "Ivan", "Jo", "Kemal",
    "Lena", "Mo", "Nia", "Oscar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vic", "Wen",
    "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Smith", "Jones", "Okafor", "Nguyen", "Patel", "García", "Müller", "Kowalski", "Brown",
    "Ahmed", "Rossi", "Tanaka", "O'Neill", "Silva", "Novak", "Evans", "Haddad", "Larsen", "Costa",
    "Reid",
];
const COMPANIES: &[&str] = &[
    "Bakehouse",
    "Studio",
    "Joinery",
    "Dental",
    "Cafe",
    "Garage",
    "Florist",
    "Architects",
    "Books",
    "Lettings",
];
const SOURCES: &[&str] = &[
    "referral",
    "website",
    "instagram",
    "market stall",
    "word of mouth",
    "google",
];
const TAGS: &[&str] = &[
    "vip",
    "local",
    "wholesale",
    "slow-payer",
    "repeat",
    "wedding",
    "corporate",
];
const LIKES: &[&str] = &[
    "lemon cake",
    "early calls",
    "email only",
    "dogs",
    "football",
    "oat milk",
];
const NOTE_TEXT: &[&str] = &[
    "called, wants a quote for the spring job",
    "sent the proposal and price list",
    "met for coffee; happy with the last delivery",
    "asked about payment terms, invoice overdue",
    "left a voicemail, will try again",
    "confirmed the booking for next month",
    "complained about the delay; offered a discount",
    "referred a friend who runs a cafe",
    "wants samples before committing",
    "quarterly check-in went well, more work in the new year",
];
const STEPS: &[&str] = &[
    "send quote",
    "chase invoice",
    "call back",
    "book site visit",
    "send samples",
    "ask for a referral",
    "quarterly check-in",
    "follow up on the proposal",
];

/// Fill `store` (normally empty) at `scale`, around `clock`'s today.
pub fn seed(store: &mut Store, clock: &Clock, scale: Scale, seed: u64) -> Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let today = clock.today();
    let now = clock.stamp();
    store.write(|tx| {
        let companies = (scale.contacts / 20).max(1);
        let mut ids = Vec::with_capacity(scale.contacts);
        for i in 0..scale.contacts {
            let is_company = i < companies;
            let name = if is_company {
                format!("{} {}", pick(&mut rng, LAST), pick(&mut rng, COMPANIES))
            } else {
                format!("{} {} {}", pick(&mut rng, FIRST), pick(&mut rng, LAST), i)
            };
            let status = match rng.u8(0..100) {
                0..=29 => Status::Lead,
                30..=44 => Status::Prospect,
                45..=79 => Status::Client,
                80..=91 => Status::Former,
                _ => Status::Lost,
            };
            let company_id = (!is_company && rng.u8(0..100) < 30)
                .then(|| ids[rng.usize(0..companies.min(ids.len().max(1)))]);
            let referred_by_id =
                (!ids.is_empty() && rng.u8(0..100) < 15).then(|| ids[rng.usize(0..ids.len())]);
            let email = format!(
                "{}@example.com",
                name.to_lowercase().replace([' ', '\''], ".")
            );
            let id = contacts::insert(
                tx,
                &NewContact {
                    kind: Some(if is_company {
                        ContactKind::Company
                    } else {
                        ContactKind::Person
                    }),
                    name,
                    company_id,
                    email: Some(email),
                    phone: Some(format!("07700 9{:05}", i % 100_000)),
                    address: None,
                    status: Some(status),
                    source: Some(pick(&mut rng, SOURCES).to_string()),
                    referred_by_id,
                },
                &now,
            )?;
            if rng.u8(0..3) == 0 {
                contacts::add_tag(tx, id, pick(&mut rng, TAGS))?;
            }
            if rng.u8(0..4) == 0 {
                contacts::set_field(tx, id, "likes", pick(&mut rng, LIKES))?;
            }
            ids.push(id);
        }
        if ids.is_empty() {
            return Ok(());
        }
        for _ in 0..scale.notes {
            let day = days_back(today, rng.u64(0..3 * 365));
            let at = format!("{day}T{:02}:{:02}:00Z", rng.u8(8..18), rng.u8(0..60));
            let kind = [
                NoteKind::Note,
                NoteKind::Call,
                NoteKind::Email,
                NoteKind::Meeting,
            ][rng.usize(0..4)];
            notes::insert(
                tx,
                ids[rng.usize(0..ids.len())],
                kind,
                pick(&mut rng, NOTE_TEXT),
                &at,
                &now,
            )?;
        }
        // Most follow-ups are history (done); about one in five is open, and of those a few
        // are overdue or due today, as in a busy practice that keeps up.
        for _ in 0..scale.follow_ups {
            let open = rng.u8(0..100) < 20;
            let due = if !open {
                days_back(today, rng.u64(1..3 * 365))
            } else {
                match rng.u8(0..100) {
                    0..=1 => days_back(today, rng.u64(1..15)),
                    2 => today,
                    _ => today
                        .checked_add_days(Days::new(rng.u64(1..120)))
                        .unwrap_or(today),
                }
            };
            let id = followups::insert(
                tx,
                &NewFollowUp {
                    contact_id: ids[rng.usize(0..ids.len())],
                    deal_id: None,
                    text: pick(&mut rng, STEPS).to_string(),
                    due_date: due,
                    due_time: None,
                    recurrence: (rng.u8(0..10) == 0).then(|| "3m".to_string()),
                    recur_anchor: None,
                    series: None,
                },
                &now,
            )?;
            if !open {
                followups::complete(tx, id, &now)?;
            }
        }
        for i in 0..scale.deals {
            let stage = Stage::ALL[rng.usize(0..Stage::ALL.len())];
            deals::insert(
                tx,
                &NewDeal {
                    contact_id: ids[rng.usize(0..ids.len())],
                    title: format!("{} job {i}", pick(&mut rng, COMPANIES)),
                    value_minor: i64::from(rng.u32(200..20_000)) * 100,
                    stage,
                    probability: None,
                    expected_close: today.checked_add_days(Days::new(rng.u64(0..120))),
                },
                &now,
            )?;
        }
        for _ in 0..scale.entries {
            let contact_id = ids[rng.usize(0..ids.len())];
            let on_date = days_back(today, rng.u64(0..2 * 365));
            match rng.u8(0..10) {
                0..=3 => {
                    entries::insert_money(
                        tx,
                        &NewMoney {
                            contact_id,
                            deal_id: None,
                            kind: MoneyKind::Income,
                            amount_minor: i64::from(rng.u32(50..5_000)) * 100,
                            on_date,
                            paid_on: (rng.u8(0..4) > 0).then_some(on_date),
                            memo: None,
                        },
                        &now,
                    )?;
                }
                4..=5 => {
                    entries::insert_money(
                        tx,
                        &NewMoney {
                            contact_id,
                            deal_id: None,
                            kind: MoneyKind::Expense,
                            amount_minor: i64::from(rng.u32(5..500)) * 100,
                            on_date,
                            paid_on: None,
                            memo: Some("materials".into()),
                        },
                        &now,
                    )?;
                }
                _ => {
                    entries::insert_time(
                        tx,
                        &NewTime {
                            contact_id,
                            deal_id: None,
                            minutes: i64::from(rng.u32(15..480)),
                            on_date,
                            memo: None,
                        },
                        &now,
                    )?;
                }
            }
        }
        Ok(())
    })
}

fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
    from[rng.usize(0..from.len())]
}

fn days_back(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}
