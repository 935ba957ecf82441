//! Recipe files: the TOML format and its validation (errors name the file, the line and the
//! problem), the built-in recipes embedded from `assets/recipes`, and the user's own from the
//! config folder's `recipes/`, which override a built-in of the same name.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::recipe::{Offset, Recipe, RecipeStep, StepKind};

/// Set to use another config folder (tests do): recipes are read from `$TEND_CONFIG_DIR/recipes`.
pub const CONFIG_VAR: &str = "TEND_CONFIG_DIR";

const BUILT_IN: &[(&str, &str)] = &[
    (
        "onboarding",
        include_str!("../../assets/recipes/onboarding.toml"),
    ),
    (
        "nurture-lead",
        include_str!("../../assets/recipes/nurture-lead.toml"),
    ),
    (
        "proposal",
        include_str!("../../assets/recipes/proposal.toml"),
    ),
    (
        "deliver-job",
        include_str!("../../assets/recipes/deliver-job.toml"),
    ),
    (
        "quarterly-check-in",
        include_str!("../../assets/recipes/quarterly-check-in.toml"),
    ),
    (
        "ask-for-referral",
        include_str!("../../assets/recipes/ask-for-referral.toml"),
    ),
    (
        "win-back",
        include_str!("../../assets/recipes/win-back.toml"),
    ),
];

/// A recipe file that does not read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RecipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    title: toml::Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "step")]
    steps: Vec<toml::Spanned<StepDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepDef {
    text: String,
    kind: Option<String>,
    days: Option<i64>,
    after: Option<i64>,
    note: Option<String>,
}

/// The longest offset a step may have: ten years.
const MAX_DAYS: i64 = 3650;

/// Read one recipe. `file` is how errors name it (a path, or "built-in NAME").
pub fn parse(name: &str, source: &str, file: &str) -> Result<Recipe, RecipeError> {
    let err = |line: Option<usize>, message: String| RecipeError {
        file: file.to_string(),
        line,
        message,
    };
    valid_name(name).map_err(|m| err(None, m))?;
    let def: FileDef = toml::from_str(source).map_err(|e| {
        let line = e.span().map(|s| line_of(source, s.start));
        // serde's names for types are not the user's: days and after are whole numbers.
        let message = e
            .message()
            .trim()
            .replace("expected i64", "expected a whole number of days, like 3");
        err(line, message)
    })?;
    if def.title.get_ref().trim().is_empty() {
        return Err(err(
            Some(line_of(source, def.title.span().start)),
            "the title is empty".into(),
        ));
    }
    if def.steps.is_empty() {
        return Err(err(
            None,
            "no steps: add at least one [[step]] with a text".into(),
        ));
    }
    let mut steps = Vec::with_capacity(def.steps.len());
    for (i, spanned) in def.steps.iter().enumerate() {
        let line = Some(line_of(source, spanned.span().start));
        let s = spanned.get_ref();
        let n = i + 1;
        if s.text.trim().is_empty() {
            return Err(err(line, format!("step {n} has an empty text")));
        }
        let kind = match &s.kind {
            Some(k) => Some(
                k.parse::<StepKind>()
                    .map_err(|m| err(line, format!("step {n}: {m}")))?,
            ),
            None => None,
        };
        let offset = match (s.days, s.after) {
            (Some(_), Some(_)) => {
                return Err(err(
                    line,
                    format!(
                        "step {n} has both days and after: use days (from the start) or after (from the step before)"
                    ),
                ));
            }
            (Some(d), None) => Some(Offset::FromStart(days(d, n).map_err(|m| err(line, m))?)),
            (None, Some(d)) => Some(Offset::AfterPrevious(days(d, n).map_err(|m| err(line, m))?)),
            (None, None) => None,
        };
        steps.push(RecipeStep {
            text: s.text.trim().to_string(),
            kind,
            offset,
            note: s
                .note
                .as_ref()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
        });
    }
    Ok(Recipe {
        name: name.to_string(),
        title: def.title.into_inner().trim().to_string(),
        description: def.description.trim().to_string(),
        steps,
    })
}

fn days(d: i64, n: usize) -> Result<u32, String> {
    if !(0..=MAX_DAYS).contains(&d) {
        return Err(format!(
            "step {n}: days must be between 0 and {MAX_DAYS}, not {d}"
        ));
    }
    Ok(d as u32)
}

/// Recipe names are file names: lower-case letters, digits and dashes.
pub fn valid_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 60
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{name}' is not a recipe name: use lower-case letters, digits and dashes, e.g. spring-menu"
        ))
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// Where a recipe came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    User(PathBuf),
    /// A user file with the name of a built-in, which it replaces.
    Overrides(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub recipe: Recipe,
    pub origin: Origin,
    /// The file's text, for `recipe show --toml` and `recipe export`.
    pub source: String,
}

/// Every recipe tend knows, by name, and the user files that did not read.
#[derive(Debug, Default)]
pub struct Book {
    pub entries: BTreeMap<String, Entry>,
    pub problems: Vec<RecipeError>,
}

impl Book {
    /// The built-ins, then the user's folder (if any) on top.
    pub fn load(user_dir: Option<&Path>) -> Book {
        let mut book = Book::default();
        for (name, source) in BUILT_IN {
            match parse(name, source, &format!("built-in {name}")) {
                Ok(recipe) => {
                    book.entries.insert(
                        name.to_string(),
                        Entry {
                            recipe,
                            origin: Origin::BuiltIn,
                            source: source.to_string(),
                        },
                    );
                }
                Err(e) => book.problems.push(e),
            }
        }
        let Some(dir) = user_dir else { return book };
        let Ok(read) = std::fs::read_dir(dir) else {
            return book;
        };
        let mut paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let shown = path.display().to_string();
            let source = match std::fs::read_to_string(&path) {
                Ok(s) => s,
                Err(e) => {
                    book.problems.push(RecipeError {
                        file: shown,
                        line: None,
                        message: format!("cannot read it: {e}"),
                    });
                    continue;
                }
            };
            match parse(&name, &source, &shown) {
                Ok(recipe) => {
                    let origin = if book.entries.contains_key(&name) {
                        Origin::Overrides(path.clone())
                    } else {
                        Origin::User(path.clone())
                    };
                    book.entries.insert(
                        name,
                        Entry {
                            recipe,
                            origin,
                            source,
                        },
                    );
                }
                Err(e) => book.problems.push(e),
            }
        }
        book
    }

    /// The recipe called `name`, or an error that lists what there is (and says if the user's
    /// file of that name did not read).
    pub fn get(&self, name: &str) -> Result<&Entry, crate::error::Error> {
        let key = name.trim().to_lowercase();
        // A file of the user's that does not read is reported, even when a built-in of that
        // name exists: falling back to the built-in would run steps they had changed.
        if let Some(p) = self.problems.iter().find(|p| {
            Path::new(&p.file)
                .file_stem()
                .is_some_and(|s| s.to_string_lossy() == key)
        }) {
            return Err(crate::error::Error::invalid_with_hint(
                format!("recipe '{key}' does not read: {p}"),
                "fix the file and try again",
            ));
        }
        if let Some(e) = self.entries.get(&key) {
            return Ok(e);
        }
        let names: Vec<&str> = self.entries.keys().map(String::as_str).collect();
        Err(crate::error::Error::invalid_with_hint(
            format!("no recipe called '{key}'"),
            format!("the recipes are: {} (tend recipe list)", names.join(", ")),
        ))
    }
}

/// The folder of the user's recipes: `$TEND_CONFIG_DIR/recipes`, or the platform config
/// folder's `tend/recipes`.
pub fn user_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("recipes"));
    }
    directories::ProjectDirs::from("", "", "tend").map(|d| d.config_dir().join("recipes"))
}

/// A recipe as a sole trader reads it: title, what it is for, and the steps with their timing.
pub fn describe(r: &Recipe) -> String {
    let mut out = format!("{}\n", crate::model::text::one_line(&r.title));
    if !r.description.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            crate::model::text::block(&r.description)
        ));
    }
    out.push('\n');
    for (i, s) in r.steps.iter().enumerate() {
        let when = match s.offset {
            Some(Offset::FromStart(0)) => "on the day".to_string(),
            Some(Offset::FromStart(d)) => format!("day {d}"),
            Some(Offset::AfterPrevious(d)) => {
                format!("{d} day{} later", if d == 1 { "" } else { "s" })
            }
            None => "when ready".to_string(),
        };
        let kind = s.kind.map_or(String::new(), |k| format!("{k}: "));
        out.push_str(&format!(
            "{:>3}. {:<13} {kind}{}\n",
            i + 1,
            when,
            crate::model::text::one_line(&s.text)
        ));
        if let Some(n) = &s.note {
            out.push_str(&format!(
                "     {:<13} logs \"{}\"\n",
                "",
                crate::model::text::one_line(n)
            ));
        }
    }
    out.push_str(&format!("\nApply it: tend recipe apply WHO {}\n", r.name));
    out
}

/// A commented starter file for `tend recipe new NAME`.
pub fn starter(name: &str) -> String {
    format!(
        r#"# A tend recipe: a process you follow the same way for every client, step by step.
# Apply it with: tend recipe apply WHO {name}
# Tick steps with: tend tick WHO        (in order; --force to skip ahead)

title = "{title}"
description = """
What this process is for, and when to use it."""

# Each [[step]] has a text, and may have:
#   kind  = "call" | "email" | "meeting" | "task"
#   days  = N   due N days after the start (creates a follow-up)
#   after = N   due N days after the step before (creates a follow-up)
#   note  = "…" logged as a note when the step is ticked ({{name}} is the contact's name)

[[step]]
text = "First thing to do"
kind = "email"
days = 0
note = "Sent the first email to {{name}}"

[[step]]
text = "Follow up"
kind = "call"
after = 3
"#,
        title = name.replace(['-', '_'], " ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(src: &str) -> Result<Recipe, RecipeError> {
        parse("test", src, "test.toml")
    }

    #[test]
    fn every_built_in_reads_and_has_dated_steps() {
        let book = Book::load(None);
        assert!(book.problems.is_empty(), "{:?}", book.problems);
        assert_eq!(book.entries.len(), 7);
        for e in book.entries.values() {
            assert!(e.recipe.steps.len() >= 4, "{}", e.recipe.name);
            assert!(
                e.recipe.steps.iter().any(|s| s.offset.is_some()),
                "{}",
                e.recipe.name
            );
            assert!(!e.recipe.description.is_empty());
        }
    }

    #[test]
    fn a_valid_file_reads_every_field() {
        let r = parse_str(
            "title = \"T\"\ndescription = \"D\"\n[[step]]\ntext = \"a\"\nkind = \"call\"\ndays = 2\nnote = \"n\"\n[[step]]\ntext = \"b\"\nafter = 3\n",
        )
        .unwrap();
        assert_eq!(r.title, "T");
        assert_eq!(r.steps[0].kind, Some(StepKind::Call));
        assert_eq!(r.steps[0].offset, Some(Offset::FromStart(2)));
        assert_eq!(r.steps[0].note.as_deref(), Some("n"));
        assert_eq!(r.steps[1].offset, Some(Offset::AfterPrevious(3)));
    }

    #[test]
    fn every_invalid_case_names_the_file_line_and_problem() {
        let cases = [
            ("title = \n", Some(1), "string"),
            ("title = \"T\"\n", None, "no steps"),
            (
                "title = \"\"\n[[step]]\ntext = \"a\"\n",
                Some(1),
                "title is empty",
            ),
            (
                "title = \"T\"\n[[step]]\ntext = \" \"\n",
                Some(2),
                "empty text",
            ),
            (
                "title = \"T\"\n[[step]]\ntext = \"a\"\nkind = \"fax\"\n",
                Some(2),
                "unknown kind 'fax'",
            ),
            (
                "title = \"T\"\n[[step]]\ntext = \"a\"\ndays = 1\nafter = 2\n",
                Some(2),
                "both days and after",
            ),
            (
                "title = \"T\"\n[[step]]\ntext = \"a\"\ndays = -1\n",
                Some(2),
                "between 0 and 3650",
            ),
            (
                "title = \"T\"\n\n[[step]]\ntext = \"a\"\ncolour = \"red\"\n",
                Some(5),
                "unknown field `colour`",
            ),
            (
                "title = \"T\"\n[[step]]\nkind = \"call\"\n",
                Some(2),
                "missing field `text`",
            ),
        ];
        for (src, line, expected) in cases {
            let e = parse_str(src).unwrap_err();
            assert_eq!(e.file, "test.toml");
            assert!(e.message.contains(expected), "{src:?}: {e}");
            assert_eq!(e.line, line, "{src:?}: {e}");
        }
        assert!(
            parse("Bad Name", "title = \"T\"", "x")
                .unwrap_err()
                .message
                .contains("not a recipe name")
        );
    }

    #[test]
    fn user_files_override_built_ins_and_broken_ones_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("onboarding.toml"),
            "title = \"My onboarding\"\n[[step]]\ntext = \"hi\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("spring-menu.toml"), starter("spring-menu")).unwrap();
        std::fs::write(
            dir.path().join("broken.toml"),
            "title = \"B\"\n[[step]]\ntext = \n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a recipe").unwrap();
        let book = Book::load(Some(dir.path()));
        let onboarding = book.get("onboarding").unwrap();
        assert_eq!(onboarding.recipe.title, "My onboarding");
        assert!(matches!(onboarding.origin, Origin::Overrides(_)));
        assert_eq!(book.get("spring-menu").unwrap().recipe.steps.len(), 2);
        assert_eq!(book.problems.len(), 1);
        assert!(
            book.problems[0].to_string().contains("broken.toml:3:"),
            "{}",
            book.problems[0]
        );
        assert!(
            book.get("broken")
                .unwrap_err()
                .to_string()
                .contains("does not read")
        );
        assert!(
            book.get("nope")
                .unwrap_err()
                .hint()
                .unwrap()
                .contains("onboarding")
        );
    }
}
