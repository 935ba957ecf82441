//! Money and time entries: income (invoiced, then paid), expenses, hours.

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::entries::{self, MoneyKind, NewMoney, NewTime};
pub use crate::store::entries::{EntryKind, EntryRow};
use crate::store::{Store, contacts, deals};

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub contact: String,
    pub kind: &'static str,
    pub amount_minor: Option<i64>,
    pub minutes: Option<i64>,
    pub on_date: NaiveDate,
    pub paid: bool,
}

impl Entry {
    /// How to take it back.
    pub fn undo(&self) -> super::undo::Undo {
        super::undo::Undo::DeleteEntry {
            money: self.minutes.is_none(),
            entry_id: self.id,
        }
    }
}

pub struct NewEntry {
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub on_date: NaiveDate,
    pub memo: Option<String>,
}

fn check(store: &Store, e: &NewEntry) -> Result<String> {
    let name = contacts::get(store.conn(), e.contact_id)?.name;
    if let Some(d) = e.deal_id {
        check_deal(store.conn(), d, e.contact_id, &name)?;
    }
    Ok(name)
}

/// An entry can belong only to a deal of its own contact.
fn check_deal(conn: &rusqlite::Connection, d: i64, contact_id: i64, name: &str) -> Result<()> {
    match deals::get(conn, d)? {
        Some(deal) if deal.contact_id == contact_id => Ok(()),
        Some(deal) => Err(Error::invalid(format!(
            "deal d#{d} ('{}') belongs to {}, not {name}",
            deal.title, deal.contact
        ))),
        None => Err(Error::invalid_with_hint(
            format!("there is no deal d#{d}"),
            "tend deal list shows the deals and their ids",
        )),
    }
}

/// Income billed on `on_date`; `paid_on` when it has been paid.
pub fn income(
    store: &mut Store,
    clock: &Clock,
    e: NewEntry,
    amount_minor: i64,
    paid_on: Option<NaiveDate>,
) -> Result<Entry> {
    money(store, clock, e, MoneyKind::Income, amount_minor, paid_on)
}

pub fn expense(store: &mut Store, clock: &Clock, e: NewEntry, amount_minor: i64) -> Result<Entry> {
    money(store, clock, e, MoneyKind::Expense, amount_minor, None)
}

fn money(
    store: &mut Store,
    clock: &Clock,
    e: NewEntry,
    kind: MoneyKind,
    amount_minor: i64,
    paid_on: Option<NaiveDate>,
) -> Result<Entry> {
    if amount_minor <= 0 {
        return Err(Error::invalid("the amount must be more than zero"));
    }
    let name = check(store, &e)?;
    let now = clock.stamp();
    let id = store.write(|tx| {
        entries::insert_money(
            tx,
            &NewMoney {
                contact_id: e.contact_id,
                deal_id: e.deal_id,
                kind,
                amount_minor,
                on_date: e.on_date,
                paid_on,
                memo: e.memo.clone(),
            },
            &now,
        )
    })?;
    Ok(Entry {
        id,
        contact: name,
        kind: if kind == MoneyKind::Income {
            "income"
        } else {
            "expense"
        },
        amount_minor: Some(amount_minor),
        minutes: None,
        on_date: e.on_date,
        paid: paid_on.is_some(),
    })
}

pub fn time(store: &mut Store, clock: &Clock, e: NewEntry, minutes: i64) -> Result<Entry> {
    let name = check(store, &e)?;
    let now = clock.stamp();
    let id = store.write(|tx| {
        entries::insert_time(
            tx,
            &NewTime {
                contact_id: e.contact_id,
                deal_id: e.deal_id,
                minutes,
                on_date: e.on_date,
                memo: e.memo.clone(),
            },
            &now,
        )
    })?;
    Ok(Entry {
        id,
        contact: name,
        kind: "time",
        amount_minor: None,
        minutes: Some(minutes),
        on_date: e.on_date,
        paid: false,
    })
}

/// An entry as typed: `i#7` (income), `e#7` (expense), `t#3` (time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef {
    pub kind: EntryKind,
    pub id: i64,
}

impl EntryRef {
    pub fn letter(kind: EntryKind) -> char {
        match kind {
            EntryKind::Income => 'i',
            EntryKind::Expense => 'e',
            EntryKind::Time => 't',
        }
    }

    /// `i#7`, `e#7` or `t#3`: how entries are told apart from contacts (#7), notes (n#7),
    /// follow-ups (f#7) and deals (d#7) in everything tend prints.
    pub fn label(kind: EntryKind, id: i64) -> String {
        format!("{}#{id}", EntryRef::letter(kind))
    }

    pub fn parse(typed: &str) -> Result<EntryRef> {
        let t = typed.trim().to_lowercase();
        let bad = || {
            Error::invalid_with_hint(
                format!("'{typed}' is not an entry id"),
                "entry ids look like i#7 (income), e#7 (expense) or t#3 (time): tend entry list WHO shows them",
            )
        };
        let mut chars = t.chars();
        let kind = match chars.next() {
            Some('i') => EntryKind::Income,
            Some('e') => EntryKind::Expense,
            Some('t') => EntryKind::Time,
            _ => return Err(bad()),
        };
        let id = chars
            .as_str()
            .trim_start_matches('#')
            .parse()
            .map_err(|_| bad())?;
        Ok(EntryRef { kind, id })
    }
}

fn no_entry(r: EntryRef) -> Error {
    let what = match r.kind {
        EntryKind::Income => "income entry",
        EntryKind::Expense => "expense",
        EntryKind::Time => "time entry",
    };
    Error::invalid_with_hint(
        format!("there is no {what} {}", EntryRef::label(r.kind, r.id)),
        "tend entry list WHO shows a contact's entries and their ids",
    )
}

/// The entry `r` names, checked to be of that kind (`e#7` must not change income #7).
pub fn entry(conn: &rusqlite::Connection, r: EntryRef) -> Result<EntryRow> {
    match entries::get(conn, r.kind.is_money(), r.id)? {
        Some(e) if e.kind == r.kind => Ok(e),
        Some(e) => Err(Error::invalid_with_hint(
            format!(
                "{} is {}, not {}",
                EntryRef::label(r.kind, r.id),
                if e.kind == EntryKind::Income {
                    "income"
                } else {
                    "an expense"
                },
                if r.kind == EntryKind::Income {
                    "income"
                } else {
                    "an expense"
                }
            ),
            format!("it is {}", EntryRef::label(e.kind, e.id)),
        )),
        None => Err(no_entry(r)),
    }
}

/// Entries newest first, for one contact or everyone.
pub fn list(
    store: &Store,
    contact_id: Option<i64>,
    kinds: &[EntryKind],
    limit: usize,
) -> Result<Vec<EntryRow>> {
    entries::list(store.conn(), contact_id, kinds, limit)
}

/// What to change in an entry; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct EntryPatch {
    /// The amount (minor units) or the minutes.
    pub value: Option<i64>,
    pub on_date: Option<NaiveDate>,
    pub memo: Option<Option<String>>,
    pub deal_id: Option<Option<i64>>,
    /// Income: paid on this day, or (`Some(None)`) back to invoiced.
    pub paid_on: Option<Option<NaiveDate>>,
    /// Recorded for the wrong person: move it to this contact.
    pub contact_id: Option<i64>,
}

impl EntryPatch {
    pub fn is_empty(&self) -> bool {
        self.value.is_none()
            && self.on_date.is_none()
            && self.memo.is_none()
            && self.deal_id.is_none()
            && self.paid_on.is_none()
            && self.contact_id.is_none()
    }
}

/// Correct an entry: the entry before and after, and the undo that puts it back.
pub fn edit_entry(
    store: &mut Store,
    r: EntryRef,
    patch: &EntryPatch,
) -> Result<(EntryRow, EntryRow, super::undo::Undo)> {
    if patch.paid_on.is_some() && r.kind != EntryKind::Income {
        return Err(Error::invalid(
            "only income is paid; an expense or time has no paid date",
        ));
    }
    if patch.value == Some(0) {
        return Err(Error::invalid_with_hint(
            "an entry cannot be corrected to zero",
            format!(
                "to remove it: tend entry delete {}",
                EntryRef::label(r.kind, r.id)
            ),
        ));
    }
    store.write(|tx| {
        let before = entry(tx, r)?;
        let mut after = before.clone();
        if let Some(v) = patch.value {
            if r.kind.is_money() {
                after.amount_minor = Some(v);
            } else {
                after.minutes = Some(v);
            }
        }
        if let Some(d) = patch.on_date {
            after.on_date = d;
        }
        if let Some(m) = &patch.memo {
            after.memo = m.clone();
        }
        if let Some(c) = patch.contact_id {
            after.contact_id = c;
            after.contact = contacts::get(tx, c)?.name;
        }
        if let Some(d) = patch.deal_id {
            after.deal_id = d;
        }
        // Its deal must be one of its contact's, also after a move.
        if let Some(id) = after.deal_id {
            check_deal(tx, id, after.contact_id, &after.contact).map_err(|e| {
                if patch.contact_id.is_some() && patch.deal_id.is_none() {
                    Error::invalid_with_hint(
                        e.to_string(),
                        "to move it without its deal, add --deal none (or name one of theirs)",
                    )
                } else {
                    e
                }
            })?;
        }
        if let Some(p) = patch.paid_on {
            after.paid_on = p;
        }
        entries::update(tx, &after)?;
        let undo = super::undo::Undo::RestoreEntry {
            before: Box::new(before.clone()),
        };
        Ok((before, after, undo))
    })
}

/// Mark an invoiced income entry paid; the undo makes it invoiced again.
pub fn mark_paid(
    store: &mut Store,
    id: i64,
    on: NaiveDate,
) -> Result<(EntryRow, super::undo::Undo)> {
    let r = EntryRef {
        kind: EntryKind::Income,
        id,
    };
    let patch = EntryPatch {
        paid_on: Some(Some(on)),
        ..EntryPatch::default()
    };
    let (_, after, undo) = edit_entry(store, r, &patch)?;
    Ok((after, undo))
}

/// Delete an entry; its undo puts it back.
pub fn delete_entry(store: &mut Store, r: EntryRef) -> Result<(EntryRow, super::undo::Undo)> {
    let table = r.kind.table();
    store.write(|tx| {
        let before = entry(tx, r)?;
        let row = crate::store::rows::snapshot(tx, table, r.id)?.ok_or_else(|| no_entry(r))?;
        entries::delete(tx, r.kind.is_money(), r.id)?;
        Ok((
            before,
            super::undo::Undo::Reinsert {
                table: table.into(),
                row,
                steps: Vec::new(),
            },
        ))
    })
}
