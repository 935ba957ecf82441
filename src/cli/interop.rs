//! `tend export` and `tend import`: vCard, CSV and iCalendar for other tools, JSON for
//! everything.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::Ctx;
use crate::commands::import::{self, ImportOptions, ImportReport};
use crate::error::{Error, Result};
use crate::interop::{Card, Parsed, csv, ics, vcard};
use crate::model::text::one_line;
use crate::store::{contacts, export, followups};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub format: ExportFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// Everything, as one versioned JSON document (`tend import json` restores it)
    Json(Output),
    /// Contacts as vCard 4.0 (or 3.0 with --v3), for phones, address books and CardDAV
    Vcard {
        #[command(flatten)]
        output: Output,
        /// Write vCard 3.0, which every CardDAV server and older phone accepts
        #[arg(long)]
        v3: bool,
    },
    /// Contacts as CSV: one row each, a column per profile field
    Csv(Output),
    /// Open follow-ups as an iCalendar file of tasks (VTODO), or events with --events
    Ics {
        #[command(flatten)]
        output: Output,
        /// Write events on the due day instead of tasks
        #[arg(long)]
        events: bool,
    },
}

#[derive(Debug, Args)]
pub struct Output {
    /// Write to a file instead of stdout
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub format: ImportFormat,
}

#[derive(Debug, Subcommand)]
pub enum ImportFormat {
    /// Restore a `tend export json` document into an empty database
    Json { file: PathBuf },
    /// Contacts from vCard files (2.1, 3.0, 4.0): a .vcf file or a folder of them
    Vcard {
        /// A .vcf file, a folder whose .vcf files are all read, or - for standard input
        path: PathBuf,
        #[command(flatten)]
        how: HowToImport,
    },
    /// Contacts from a CSV file: Google Contacts, Outlook, or any sheet with a name column
    Csv {
        /// The file, or - for standard input
        file: PathBuf,
        /// Say what a column holds, overriding the guess: --map "Full Name=name"
        /// (name, first, last, email, phone, company, address, tags, note, birthday, status,
        /// source, uid, field:KEY, ignore)
        #[arg(long = "map", value_name = "COLUMN=TARGET", value_parser = parse_map)]
        map: Vec<(String, csv::Target)>,
        #[command(flatten)]
        how: HowToImport,
    },
}

#[derive(Debug, Args)]
pub struct HowToImport {
    /// Refresh the details of contacts that are already in tend
    #[arg(long)]
    pub update: bool,
    /// Show what would be created, updated and skipped, and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
    /// The file's text encoding when it is not UTF-8 and tend guesses wrong: windows-1252,
    /// shift_jis, iso-8859-2, utf-16le…
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

fn parse_encoding(s: &str) -> std::result::Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(s.trim().as_bytes()).ok_or_else(|| {
        format!(
            "'{s}' is not an encoding tend knows: try windows-1252, iso-8859-1, shift_jis, gb18030, big5, utf-16le"
        )
    })
}

/// How long a finished follow-up stays in a calendar export (as completed).
const FINISHED_SHOWN_DAYS: i64 = 60;

fn parse_map(s: &str) -> std::result::Result<(String, csv::Target), String> {
    csv::parse_map(s)
}

pub fn export_run(a: ExportArgs, ctx: &mut Ctx) -> Result<String> {
    let conn = ctx.store.conn();
    let cards = || -> Result<Vec<Card>> {
        let mut extras = contacts::all_extras(conn)?;
        Ok(contacts::everyone(conn)?
            .iter()
            .map(|c| {
                let mut card = Card::from_contact(c);
                card.extras = extras.remove(&c.id).unwrap_or_default();
                card
            })
            .collect())
    };
    let (text, output, what) = match a.format {
        ExportFormat::Json(o) => {
            let doc = serde_json::json!({
                "format": "tend",
                "version": export::FORMAT_VERSION,
                "exported_at": ctx.clock.stamp(),
                "tables": export::export(conn)?,
            });
            let mut text =
                serde_json::to_string_pretty(&doc).map_err(|e| Error::invalid(e.to_string()))?;
            text.push('\n');
            (text, o.output, "everything".to_string())
        }
        ExportFormat::Vcard { output, v3 } => {
            let cards = cards()?;
            let version = if v3 {
                vcard::Version::V3
            } else {
                vcard::Version::V4
            };
            let what = format!("{} contacts", cards.len());
            (vcard::write_all(&cards, version), output.output, what)
        }
        ExportFormat::Csv(o) => {
            let cards = cards()?;
            let what = format!("{} contacts", cards.len());
            (csv::write(&cards), o.output, what)
        }
        ExportFormat::Ics { output, events } => {
            let settings = crate::config::Settings::load()?;
            // Finished in the last two months: a calendar synced now and then still hears.
            let since = ctx.clock.now() - chrono::Duration::days(FINISHED_SHOWN_DAYS);
            let items = followups::for_calendar(conn, &crate::clock::stamp(since))?;
            let opts = ics::Options {
                shape: if events {
                    ics::Shape::Event
                } else {
                    ics::Shape::Todo
                },
                alarm_minutes: settings.calendar_alarm_minutes,
                all_day_alarm: settings.calendar_all_day_alarm,
            };
            let open = items.iter().filter(|f| f.done_at.is_none()).count();
            let what = format!("{open} open follow-ups");
            (
                ics::write(&items, &opts, ctx.clock.now()),
                output.output,
                what,
            )
        }
    };
    match output {
        Some(path) => {
            write_whole(&path, &text)?;
            Ok(format!("Exported {what} to {}.\n", path.display()))
        }
        None => Ok(text),
    }
}

/// Write a file so that it is either the old one or the whole new one, never half of it.
fn write_whole(path: &Path, text: &str) -> Result<()> {
    let cannot = |e: std::io::Error| {
        Error::invalid_with_hint(
            format!("cannot write {}: {e}", path.display()),
            "check that the folder exists and that you can write there",
        )
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
    tmp.write_all(text.as_bytes()).map_err(cannot)?;
    tmp.as_file().sync_all().map_err(cannot)?;
    tmp.persist(path).map_err(|e| cannot(e.error))?;
    Ok(())
}

pub fn import_run(a: ImportArgs, ctx: &mut Ctx) -> Result<String> {
    match a.format {
        ImportFormat::Vcard { path, how } => {
            let entries = read_vcards(&path, how.encoding)?;
            import_entries(entries, &path, how, ctx)
        }
        ImportFormat::Csv { file, map, how } => {
            let text = read_text(&file, how.encoding)?;
            let (layout, entries) = csv::parse(&text, &map).map_err(|e| {
                Error::invalid_with_hint(
                    format!("{}: {e}", file.display()),
                    "the first row must name the columns; --map \"Header=target\" says what one holds",
                )
            })?;
            let mut out = String::new();
            if how.dry_run && !how.json {
                out.push_str(&format!(
                    "Columns ({}):\n",
                    match layout.dialect {
                        csv::Dialect::Google => "a Google Contacts export",
                        csv::Dialect::Outlook => "an Outlook export",
                        csv::Dialect::Thunderbird => "a Thunderbird export",
                        csv::Dialect::LinkedIn => "a LinkedIn connections export",
                        csv::Dialect::Plain => "a plain sheet",
                    }
                ));
                for line in csv::describe(&layout) {
                    out.push_str(&format!("  {}\n", one_line(&line)));
                }
            }
            out.push_str(&import_entries(entries, &file, how, ctx)?);
            Ok(out)
        }
        ImportFormat::Json { file } => {
            let text = read_text(&file, None)?;
            let doc: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Error::invalid(format!("{} is not JSON: {e}", file.display())))?;
            if doc.get("format").and_then(|f| f.as_str()) != Some("tend") {
                return Err(Error::invalid_with_hint(
                    format!("{} is not a tend export", file.display()),
                    "make one with: tend export json -o FILE",
                ));
            }
            let version = doc.get("version").and_then(|v| v.as_i64()).unwrap_or(0);
            if version > export::FORMAT_VERSION {
                return Err(Error::invalid_with_hint(
                    format!(
                        "{} was exported by a newer tend (format {version})",
                        file.display()
                    ),
                    "upgrade tend to import it",
                ));
            }
            if contacts::count(ctx.store.conn())? > 0 {
                return Err(Error::invalid_with_hint(
                    format!(
                        "{} already has contacts; a JSON import restores into an empty database",
                        ctx.store.path().display()
                    ),
                    "import into a new file: tend --db restored.db import json FILE",
                ));
            }
            let tables = doc
                .get("tables")
                .and_then(|t| t.as_object())
                .ok_or_else(|| Error::invalid(format!("{} has no tables", file.display())))?;
            let rows = ctx.store.write(|tx| export::import(tx, tables))?;
            // What was undoable in this (empty) database no longer is.
            ctx.cannot_undo();
            Ok(format!("Restored {rows} rows from {}.\n", file.display()))
        }
    }
}

/// A file's text, or standard input's for `-` (`curl … | tend import vcard -`).
fn read_text(path: &Path, encoding: Option<&'static encoding_rs::Encoding>) -> Result<String> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| Error::invalid(format!("cannot read standard input: {e}")))?;
        return Ok(crate::interop::decode_as(&bytes, encoding));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Error::invalid_with_hint(
            format!("cannot read {}: {e}", path.display()),
            "check the path; nothing was imported",
        )
    })?;
    Ok(crate::interop::decode_as(&bytes, encoding))
}

/// The cards of one .vcf file, or of every .vcf file in a folder (in name order).
fn read_vcards(
    path: &Path,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<Vec<Parsed>> {
    if !path.is_dir() {
        let text = read_text(path, encoding)?;
        let entries = vcard::parse(&text);
        if entries.is_empty() {
            return Err(Error::invalid_with_hint(
                format!("{}: no BEGIN:VCARD found", path.display()),
                "a vCard file has BEGIN:VCARD … END:VCARD blocks; export one from your address book",
            ));
        }
        return Ok(entries);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Error::invalid(format!("cannot read {}: {e}", path.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("vcf") || x.eq_ignore_ascii_case("vcard"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::invalid_with_hint(
            format!("{} has no .vcf files", path.display()),
            "give the folder your address book exported to, or one .vcf file",
        ));
    }
    let mut all = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for mut p in vcard::parse(&read_text(&f, encoding)?) {
            p.position = format!("{name} {}", p.position);
            all.push(p);
        }
    }
    Ok(all)
}

fn import_entries(
    entries: Vec<Parsed>,
    path: &Path,
    how: HowToImport,
    ctx: &mut Ctx,
) -> Result<String> {
    let opts = ImportOptions {
        update: how.update,
        dry_run: how.dry_run,
    };
    // Progress on a terminal only, on stderr, so pipes and scripts get the report alone.
    let show = std::io::stderr().is_terminal() && entries.len() >= 1000;
    let mut progress = |done: usize, total: usize| {
        if show {
            eprint!("\rImporting… {done} of {total}");
            if done == total {
                eprint!("\r\x1b[K");
            }
        }
    };
    let mut report = match import::import(&mut ctx.store, &ctx.clock, entries, opts, &mut progress)
    {
        Ok(r) => r,
        Err(e) => {
            // Part of it may be saved, with no way to take that part back: older changes
            // must not be undone over it.
            if !how.dry_run {
                ctx.cannot_undo();
            }
            return Err(e);
        }
    };
    let undo = std::mem::take(&mut report.undo);
    // A dry run wrote nothing, so there is nothing to take back.
    if !undo.is_empty() && !how.dry_run {
        let what = format!(
            "import of {}: {} created, {} updated",
            source_name(path),
            report.created.len(),
            report.updated.len()
        );
        ctx.remember(&what, &crate::commands::undo::Undo::Together(undo))?;
    }
    if how.json {
        return super::json(&report);
    }
    let mut out = describe_report(&report, path);
    if !how.dry_run && (!report.created.is_empty() || !report.updated.is_empty()) {
        out.push_str("tend undo takes the whole import back.\n");
    }
    Ok(out)
}

/// The file as a report names it.
fn source_name(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// How many names a dry run lists before it just counts.
const LISTED: usize = 20;

fn describe_report(r: &ImportReport, path: &Path) -> String {
    let mut out = String::new();
    let head = if r.dry_run {
        format!(
            "Dry run of {}: would create {}, update {}; {} already here unchanged; {} skipped. Nothing was written.\n",
            source_name(path),
            r.created.len(),
            r.updated.len(),
            r.unchanged,
            r.skipped.len()
        )
    } else {
        format!(
            "Imported {}: {} created, {} updated, {} unchanged, {} skipped.\n",
            source_name(path),
            r.created.len(),
            r.updated.len(),
            r.unchanged,
            r.skipped.len()
        )
    };
    out.push_str(&head);
    if r.dry_run {
        for (verb, list) in [("create", &r.created), ("update", &r.updated)] {
            for i in list.iter().take(LISTED) {
                let changed = if i.changed.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", one_line(&i.changed.join(", ")))
                };
                out.push_str(&format!(
                    "  would {verb} {}{}  [{}]\n",
                    one_line(&i.name),
                    changed,
                    i.position
                ));
            }
            if list.len() > LISTED {
                out.push_str(&format!("  … and {} more to {verb}\n", list.len() - LISTED));
            }
        }
    } else {
        for i in &r.updated {
            out.push_str(&format!(
                "  updated #{} {}: {}\n",
                i.id,
                one_line(&i.name),
                one_line(&i.changed.join(", "))
            ));
        }
    }
    for k in &r.skipped {
        let who = k
            .name
            .as_deref()
            .map(|n| format!(" ({})", one_line(n)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  skipped {}{who}: {}\n",
            k.position,
            one_line(&k.reason)
        ));
    }
    for w in &r.warnings {
        out.push_str(&format!("  note: {}\n", one_line(w)));
    }
    out
}
