//! Money and time entries: income (invoiced, then paid), expenses, hours.

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::entries::{self, MoneyKind, NewMoney, NewTime};
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
        match deals::get(store.conn(), d)? {
            Some(deal) if deal.contact_id == e.contact_id => {}
            Some(deal) => {
                return Err(Error::invalid(format!(
                    "deal #{d} ('{}') belongs to {}, not {name}",
                    deal.title, deal.contact
                )));
            }
            None => return Err(Error::invalid(format!("deal #{d} does not exist"))),
        }
    }
    Ok(name)
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

/// Mark an invoiced income entry paid.
pub fn mark_paid(store: &mut Store, id: i64, on: NaiveDate) -> Result<()> {
    match store.write(|tx| entries::mark_paid(tx, id, on))? {
        false => Err(Error::invalid_with_hint(
            format!("no income entry #{id}"),
            "the id is printed when income is recorded: tend income WHO AMOUNT",
        )),
        true => Ok(()),
    }
}

/// Which table an entry is in: income and expenses, or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Money,
    Time,
}

fn no_entry(kind: EntryKind, id: i64) -> Error {
    let what = match kind {
        EntryKind::Money => "income or expense",
        EntryKind::Time => "time entry",
    };
    Error::invalid_with_hint(
        format!("there is no {what} #{id}"),
        "the id is the one printed when it was recorded (Income #7, Time #3)",
    )
}

/// Delete an entry; its undo puts it back.
pub fn delete_entry(store: &mut Store, kind: EntryKind, id: i64) -> Result<super::undo::Undo> {
    let table = match kind {
        EntryKind::Money => "money_entries",
        EntryKind::Time => "time_entries",
    };
    store.write(|tx| {
        let row = crate::store::rows::snapshot(tx, table, id)?.ok_or_else(|| no_entry(kind, id))?;
        entries::delete(tx, kind == EntryKind::Money, id)?;
        Ok(super::undo::Undo::Reinsert {
            table: table.into(),
            row,
            steps: Vec::new(),
        })
    })
}

/// Correct an entry's amount (minor units) or minutes.
pub fn correct_entry(
    store: &mut Store,
    kind: EntryKind,
    id: i64,
    value: i64,
) -> Result<super::undo::Undo> {
    let money = kind == EntryKind::Money;
    store.write(|tx| {
        let before = entries::value(tx, money, id)?.ok_or_else(|| no_entry(kind, id))?;
        entries::set_value(tx, money, id, value)?;
        Ok(super::undo::Undo::RestoreAmount {
            money,
            entry_id: id,
            value: before,
        })
    })
}
