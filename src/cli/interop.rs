//! `tend export json` and `tend import json`: everything, versioned, restorable.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::{Error, Result};
use crate::store::{contacts, export};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub format: ExportFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// Everything, as one versioned JSON document (`tend import json` restores it)
    Json {
        /// Write to a file instead of stdout
        #[arg(short = 'o', long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
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
}

pub fn export_run(a: ExportArgs, ctx: &mut Ctx) -> Result<String> {
    match a.format {
        ExportFormat::Json { output } => {
            let doc = serde_json::json!({
                "format": "tend",
                "version": export::FORMAT_VERSION,
                "exported_at": ctx.clock.stamp(),
                "tables": export::export(ctx.store.conn())?,
            });
            let mut text =
                serde_json::to_string_pretty(&doc).map_err(|e| Error::invalid(e.to_string()))?;
            text.push('\n');
            match output {
                Some(path) => {
                    std::fs::write(&path, &text).map_err(|e| {
                        Error::invalid(format!("cannot write {}: {e}", path.display()))
                    })?;
                    Ok(format!("Exported everything to {}.\n", path.display()))
                }
                None => Ok(text),
            }
        }
    }
}

pub fn import_run(a: ImportArgs, ctx: &mut Ctx) -> Result<String> {
    match a.format {
        ImportFormat::Json { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::invalid(format!("cannot read {}: {e}", file.display())))?;
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
            Ok(format!("Restored {rows} rows from {}.\n", file.display()))
        }
    }
}
