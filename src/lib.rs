//! tend: an offline-first terminal CRM for sole traders. One binary, one SQLite file.
//!
//! Data flows one way: the CLI (and later the TUI) parse what a person typed, call the
//! [`commands`] layer, which uses the pure [`model`] rules and the [`store`] (the only place with
//! SQL).

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod demo;
pub mod error;
pub mod find;
pub mod interop;
pub mod model;
pub mod recipes;
pub mod seed;
pub mod store;
pub mod tui;
pub mod when;
