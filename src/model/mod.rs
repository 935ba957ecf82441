//! Plain types and pure rules: no I/O, no SQL. Everything here is unit-tested in place.

pub mod cadence;
pub mod checklist;
pub mod contact;
pub mod deal;
pub mod duration;
pub mod followup;
pub mod insights;
pub mod merge;
pub mod money;
pub mod note;
pub mod profit;
pub mod recipe;
pub mod sync;
pub mod text;
pub mod words;

pub use contact::{Contact, ContactKind, ContactRow, Status};
pub use deal::{Deal, Stage};
pub use followup::Recurrence;
pub use note::{Note, NoteKind};
