//! Synthetic data at the design scale, for benchmarks and trying tend out: contacts that
//! moved through their statuses over three years, with tags and profile fields; notes and
//! follow-ups (overdue, due, ahead and done) within each contact's life; deals that moved
//! through their stages and were won or lost; money that follows won deals and clients.
//! Deterministic for a given seed. The demo builds its histories with the same helpers.

use chrono::{Days, NaiveDate};

use crate::clock::Clock;
use crate::error::Result;
use crate::model::deal::Stage;
use crate::model::{ContactKind, NoteKind, Status};
use crate::store::contacts::{self, ContactPatch, NewContact};
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

/// A contact's life as the seed tells it: its id, the day it was added, and the statuses it went
/// through.
struct Lived {
    id: i64,
    created: NaiveDate,
    status: Status,
    /// The day it became a client, for clients and former clients.
    client_since: Option<NaiveDate>,
}

/// Fill `store` (normally empty) at `scale`, around `clock`'s today. The data keeps the rules
/// of real work: every contact starts as a lead and moves on through its statuses over time
/// (so the status history tells conversion); deals move through their stages with believable
/// durations and are won about four times in ten; money follows won deals and clients; notes
/// and follow-ups fall between a contact's first day and today.
pub fn seed(store: &mut Store, clock: &Clock, scale: Scale, seed: u64) -> Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let today = clock.today();
    store.write(|tx| {
        let companies = (scale.contacts / 20).max(1);
        let mut lived: Vec<Lived> = Vec::with_capacity(scale.contacts);
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
            // Leads are mostly recent; those that moved on have been around a while.
            let age = match status {
                Status::Lead => rng.u64(0..400),
                _ => rng.u64(45..3 * 365),
            };
            let created = days_back(today, age);
            let company_id = (!is_company && rng.u8(0..100) < 30)
                .then(|| lived[rng.usize(0..companies.min(lived.len().max(1)))].id);
            let referred_by_id = (!lived.is_empty() && rng.u8(0..100) < 15)
                .then(|| lived[rng.usize(0..lived.len())].id);
            let email = format!(
                "{}@example.com",
                name.to_lowercase().replace([' ', '\''], ".")
            );
            let path = status_path(status, created, today, &mut rng);
            let client_since = path
                .iter()
                .find(|(s, _)| *s == Status::Client)
                .map(|(_, d)| *d);
            let id = insert_contact_with_history(
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
                    status: None,
                    source: Some(pick(&mut rng, SOURCES).to_string()),
                    referred_by_id,
                },
                &path,
            )?;
            if rng.u8(0..3) == 0 {
                contacts::add_tag(tx, id, pick(&mut rng, TAGS))?;
            }
            if rng.u8(0..4) == 0 {
                contacts::set_field(tx, id, "likes", pick(&mut rng, LIKES))?;
            }
            lived.push(Lived {
                id,
                created,
                status,
                client_since,
            });
        }
        if lived.is_empty() {
            return Ok(());
        }
        // Who the work is with: people still in play get most of the notes and next steps;
        // clients (and former clients, while they were) get the money.
        let active: Vec<usize> = (0..lived.len())
            .filter(|&i| lived[i].status.is_active())
            .collect();
        let clients: Vec<usize> = (0..lived.len())
            .filter(|&i| lived[i].client_since.is_some())
            .collect();
        // Mostly from `from`, sometimes (`others` in a hundred) anyone.
        let pick_from = |rng: &mut fastrand::Rng, from: &[usize], others: u8| -> usize {
            if from.is_empty() || rng.u8(0..100) < others {
                rng.usize(0..lived.len())
            } else {
                from[rng.usize(0..from.len())]
            }
        };
        for _ in 0..scale.notes {
            let c = &lived[pick_from(&mut rng, &active, 30)];
            let day = day_between(c.created, today, &mut rng);
            let at = working_moment(day, &mut rng);
            let kind = [
                NoteKind::Note,
                NoteKind::Call,
                NoteKind::Email,
                NoteKind::Meeting,
            ][rng.usize(0..4)];
            notes::insert(tx, c.id, kind, pick(&mut rng, NOTE_TEXT), &at, &at)?;
        }
        // Most follow-ups are history (done on the day); about one in five is open, for
        // someone still in play, and of those a few are overdue or due today, as in a busy
        // practice that keeps up.
        for _ in 0..scale.follow_ups {
            let open = rng.u8(0..100) < 20;
            let c = &lived[if open {
                pick_from(&mut rng, &active, 30)
            } else {
                rng.usize(0..lived.len())
            }];
            let due = if !open {
                day_between(c.created, days_back(today, 1), &mut rng)
            } else {
                match rng.u8(0..100) {
                    0..=1 => days_back(today, rng.u64(1..15)),
                    2 => today,
                    _ => today
                        .checked_add_days(Days::new(rng.u64(1..120)))
                        .unwrap_or(today),
                }
            };
            let made = working_moment(c.created.max(days_back(due, 14)), &mut rng);
            let id = followups::insert(
                tx,
                &NewFollowUp {
                    contact_id: c.id,
                    deal_id: None,
                    text: pick(&mut rng, STEPS).to_string(),
                    due_date: due,
                    due_time: None,
                    recurrence: (rng.u8(0..10) == 0).then(|| "3m".to_string()),
                    recur_anchor: None,
                    series: None,
                },
                &made,
            )?;
            if !open {
                followups::complete(tx, id, &working_moment(due, &mut rng))?;
            }
        }
        // Deals: each starts new on a day in its contact's life and moves on, or is lost, at
        // a believable pace; those started lately are still open. A won deal's contact is a
        // client, and its money comes in: an invoice on winning (a second a month on for the
        // bigger jobs), mostly paid, and the hours spent on it.
        let mut entries_left = scale.entries;
        for i in 0..scale.deals {
            let started = days_back(today, rng.u64(0..2 * 365));
            let path = deal_path(started, today, &mut rng);
            let (stage, closed) = *path.last().unwrap_or(&(Stage::New, started));
            let c = &lived[if stage == Stage::Won {
                pick_from(&mut rng, &clients, 0)
            } else {
                pick_from(&mut rng, &active, 30)
            }];
            let value_minor = i64::from(rng.u32(200..20_000)) * 100;
            let expected_close = if stage.is_closed() {
                Some(closed)
            } else {
                today.checked_add_days(Days::new(rng.u64(0..90)))
            };
            let deal_id = insert_deal_with_history(
                tx,
                &NewDeal {
                    contact_id: c.id,
                    title: format!("{} job {i}", pick(&mut rng, COMPANIES)),
                    value_minor,
                    stage: Stage::New,
                    probability: None,
                    expected_close,
                },
                &path,
            )?;
            if stage != Stage::Won {
                continue;
            }
            let invoices: &[(u64, i64)] = if value_minor > 500_000 {
                &[(0, 2), (30, 2)]
            } else {
                &[(0, 1)]
            };
            for &(after, share) in invoices {
                let on_date = closed.checked_add_days(Days::new(after)).unwrap_or(closed);
                if on_date > today || entries_left == 0 {
                    continue;
                }
                entries_left -= 1;
                let paid = (today - on_date).num_days() > 30 || rng.bool();
                entries::insert_money(
                    tx,
                    &NewMoney {
                        contact_id: c.id,
                        deal_id: Some(deal_id),
                        kind: MoneyKind::Income,
                        amount_minor: value_minor / share,
                        on_date,
                        paid_on: paid.then(|| {
                            on_date
                                .checked_add_days(Days::new(rng.u64(0..30)))
                                .unwrap_or(on_date)
                                .min(today)
                        }),
                        memo: Some("invoice".into()),
                    },
                    &working_moment(on_date, &mut rng),
                )?;
            }
            for _ in 0..rng.u8(1..4) {
                if entries_left == 0 {
                    break;
                }
                entries_left -= 1;
                let on_date = day_between(started, closed, &mut rng);
                entries::insert_time(
                    tx,
                    &NewTime {
                        contact_id: c.id,
                        deal_id: Some(deal_id),
                        minutes: i64::from(rng.u32(30..480)),
                        on_date,
                        memo: None,
                    },
                    &working_moment(on_date, &mut rng),
                )?;
            }
        }
        // The rest of the money and time: day-to-day work for clients, from the day they
        // became one (a few hours on others, quoting).
        for _ in 0..entries_left {
            let c = &lived[pick_from(&mut rng, &clients, 0)];
            let from = c.client_since.unwrap_or(c.created);
            let on_date = day_between(from, today, &mut rng);
            let made = working_moment(on_date, &mut rng);
            match rng.u8(0..10) {
                0..=3 if c.client_since.is_some() => {
                    entries::insert_money(
                        tx,
                        &NewMoney {
                            contact_id: c.id,
                            deal_id: None,
                            kind: MoneyKind::Income,
                            amount_minor: i64::from(rng.u32(50..5_000)) * 100,
                            on_date,
                            paid_on: ((today - on_date).num_days() > 45 || rng.u8(0..4) > 0)
                                .then_some(on_date),
                            memo: None,
                        },
                        &made,
                    )?;
                }
                4..=5 if c.client_since.is_some() => {
                    entries::insert_money(
                        tx,
                        &NewMoney {
                            contact_id: c.id,
                            deal_id: None,
                            kind: MoneyKind::Expense,
                            amount_minor: i64::from(rng.u32(5..500)) * 100,
                            on_date,
                            paid_on: None,
                            memo: Some("materials".into()),
                        },
                        &made,
                    )?;
                }
                _ => {
                    entries::insert_time(
                        tx,
                        &NewTime {
                            contact_id: c.id,
                            deal_id: None,
                            minutes: i64::from(rng.u32(15..480)),
                            on_date,
                            memo: None,
                        },
                        &made,
                    )?;
                }
            }
        }
        Ok(())
    })
}

/// The statuses a contact went through to reach `status`, oldest first, with the day of each:
/// every contact starts as a lead; a prospect was a lead, a client was a prospect, a former
/// client was a client, and a lost contact was a lead (sometimes a prospect). Each status
/// lasts a believable while, squeezed to fit when the contact is younger than its path.
pub(crate) fn status_path(
    status: Status,
    created: NaiveDate,
    today: NaiveDate,
    rng: &mut fastrand::Rng,
) -> Vec<(Status, NaiveDate)> {
    let mut steps: Vec<(Status, u64)> = vec![(Status::Lead, 0)];
    match status {
        Status::Lead => {}
        Status::Prospect => steps.push((Status::Prospect, rng.u64(3..40))),
        Status::Client | Status::Former => {
            steps.push((Status::Prospect, rng.u64(3..40)));
            steps.push((Status::Client, rng.u64(5..60)));
            if status == Status::Former {
                steps.push((Status::Former, rng.u64(90..500)));
            }
        }
        Status::Lost => {
            if rng.bool() {
                steps.push((Status::Prospect, rng.u64(3..40)));
            }
            steps.push((Status::Lost, rng.u64(10..90)));
        }
    }
    let age = u64::try_from((today - created).num_days()).unwrap_or(0);
    let total: u64 = steps.iter().map(|s| s.1).sum();
    let mut day = created;
    steps
        .into_iter()
        .map(|(s, d)| {
            let d = if total > age { d * age / total } else { d };
            day = day.checked_add_days(Days::new(d)).unwrap_or(day);
            (s, day)
        })
        .collect()
}

/// The stages of a deal started on `started`, oldest first: it moves on from each open stage
/// after some days or is lost there (about four in ten closed deals are won), and stops where
/// it is today when the next move would be in the future.
pub(crate) fn deal_path(
    started: NaiveDate,
    today: NaiveDate,
    rng: &mut fastrand::Rng,
) -> Vec<(Stage, NaiveDate)> {
    let mut path = vec![(Stage::New, started)];
    let mut day = started;
    for (next, days, lose) in [
        (Stage::Qualified, 2..14, 20),
        (Stage::Proposal, 3..21, 15),
        (Stage::Negotiation, 3..30, 20),
        (Stage::Won, 3..30, 25),
    ] {
        let Some(then) = day.checked_add_days(Days::new(rng.u64(days))) else {
            break;
        };
        if then > today {
            break;
        }
        day = then;
        if rng.u8(0..100) < lose {
            path.push((Stage::Lost, day));
            break;
        }
        path.push((next, day));
    }
    path
}

/// The path to a deal's `stage` (open, won or lost at negotiation), ending no later than today.
pub(crate) fn deal_path_to(
    stage: Stage,
    started: NaiveDate,
    today: NaiveDate,
    rng: &mut fastrand::Rng,
) -> Vec<(Stage, NaiveDate)> {
    let flow = [
        Stage::New,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Negotiation,
    ];
    let mut stages: Vec<Stage> = match stage {
        Stage::Won | Stage::Lost => flow.to_vec(),
        open => flow.iter().copied().take_while(|s| *s != open).collect(),
    };
    stages.push(stage);
    let span = u64::try_from((today - started).num_days()).unwrap_or(0);
    let gaps: Vec<u64> = (1..stages.len()).map(|_| rng.u64(2..21)).collect();
    let total: u64 = gaps.iter().sum();
    let mut day = started;
    let mut path = vec![(stages[0], started)];
    for (s, gap) in stages[1..].iter().zip(gaps) {
        let gap = if total > span {
            gap * span / total
        } else {
            gap
        };
        day = day.checked_add_days(Days::new(gap)).unwrap_or(day);
        path.push((*s, day));
    }
    path
}

/// Add a contact that has lived: made at the first step of `path` in its status, then moved
/// to each later status on its day, through the store's own status update (so the status
/// history is what the app itself would have written).
pub(crate) fn insert_contact_with_history(
    tx: &rusqlite::Connection,
    c: &NewContact,
    path: &[(Status, NaiveDate)],
) -> Result<i64> {
    let (first, created) = path
        .first()
        .copied()
        .unwrap_or((Status::Lead, NaiveDate::MIN));
    let id = contacts::insert(
        tx,
        &NewContact {
            status: Some(first),
            ..c.clone()
        },
        &step_moment(created, 0),
    )?;
    for (i, (status, day)) in path.iter().enumerate().skip(1) {
        let patch = ContactPatch {
            status: Some(*status),
            ..ContactPatch::default()
        };
        contacts::update(tx, id, &patch, &step_moment(*day, i))?;
    }
    Ok(id)
}

/// Add a deal that has lived: opened at the first step of `path`, then moved to each later
/// stage on its day (a won or lost deal closes then).
pub(crate) fn insert_deal_with_history(
    tx: &rusqlite::Connection,
    d: &NewDeal,
    path: &[(Stage, NaiveDate)],
) -> Result<i64> {
    let (first, started) = path
        .first()
        .copied()
        .unwrap_or((Stage::New, NaiveDate::MIN));
    let id = deals::insert(
        tx,
        &NewDeal {
            stage: first,
            ..d.clone()
        },
        &step_moment(started, 0),
    )?;
    for (i, (stage, day)) in path.iter().enumerate().skip(1) {
        let at = step_moment(*day, i);
        let closed = stage.is_closed().then_some(at.as_str());
        deals::set_stage(tx, id, *stage, closed, None, &at)?;
    }
    Ok(id)
}

/// The moment of step `i` of a path on `day`: later steps later in the day, so a history
/// with two steps on one day stays in order.
fn step_moment(day: NaiveDate, i: usize) -> String {
    format!("{day}T{:02}:{:02}:00Z", 9 + i.min(9), (i * 7) % 60)
}

/// A moment in the working day of `day`.
fn working_moment(day: NaiveDate, rng: &mut fastrand::Rng) -> String {
    format!("{day}T{:02}:{:02}:00Z", rng.u8(8..18), rng.u8(0..60))
}

/// A day from `from` to `to` (both included; `from` when they cross).
fn day_between(from: NaiveDate, to: NaiveDate, rng: &mut fastrand::Rng) -> NaiveDate {
    let span = u64::try_from((to - from).num_days()).unwrap_or(0);
    from.checked_add_days(Days::new(rng.u64(0..=span)))
        .unwrap_or(from)
}

fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
    from[rng.usize(0..from.len())]
}

fn days_back(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}
