//! Pop-ups over a view: prompts, choices, the command palette, contact search, help and a
//! whole note. Each owns its state, answers its keys (`None` keeps it open, an effect closes
//! it and is applied), draws itself, and says in the status line what its keys do.

mod choice;
mod finder;
mod prompt;
mod reader;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

pub use choice::Choice;
pub use finder::{COMMANDS, Finder, Names, palette_matches};
pub use prompt::Prompt;
pub use reader::Reader;

use super::context::{Env, Ui};
use super::effect::{Ask, Effect, Write};
use super::keymap::Binding;
use crate::error::Result;
use crate::model::Status;
use crate::recipes::Book;
use crate::store::contacts;
use crate::when::When;

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Prompt(Prompt),
    Choice(Choice),
    Finder(Finder),
    Reader(Reader),
}

impl Popup {
    pub fn handle_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match self {
            Popup::Prompt(p) => p.handle_key(key),
            Popup::Choice(c) => c.handle_key(key),
            Popup::Finder(f) => f.handle_key(key),
            Popup::Reader(r) => r.handle_key(key),
        }
    }

    pub fn mouse(&mut self, m: MouseEvent) -> Option<Effect> {
        match self {
            Popup::Choice(c) => c.mouse(m),
            Popup::Finder(f) => f.mouse(m),
            Popup::Reader(r) => r.mouse(m),
            Popup::Prompt(_) => None,
        }
    }

    pub fn draw(&mut self, frame: &mut Frame, body: Rect, ui: &Ui) {
        match self {
            Popup::Prompt(p) => p.draw(frame, body, ui),
            Popup::Choice(c) => c.draw(frame, body, ui),
            Popup::Finder(f) => f.draw(frame, body, ui),
            Popup::Reader(r) => r.draw(frame, body, ui),
        }
    }

    /// Whether it has a selected row (tests check it is on screen).
    pub fn has_selection(&self) -> bool {
        match self {
            Popup::Choice(c) => c.list.selected().is_some(),
            Popup::Finder(f) => f.list.selected().is_some(),
            _ => false,
        }
    }

    /// The status line while it is open.
    pub fn hints(&self) -> &'static str {
        match self {
            Popup::Prompt(_) => {
                "Enter save · Esc cancel · ←/→ Home/End · Ctrl-W word · Ctrl-U line"
            }
            Popup::Choice(_) => "letter or Enter choose · ↑/↓ move · Esc cancel",
            Popup::Finder(_) => "type to narrow · ↑/↓ move · Enter open · Esc close",
            Popup::Reader(_) => "↑/↓ PgUp/PgDn scroll · g/G top/bottom · Esc close",
        }
    }

    /// The prompt's text, to keep when an answer fails.
    pub fn with_error(self, error: String) -> Popup {
        match self {
            Popup::Prompt(mut p) => {
                p.error = Some(error);
                Popup::Prompt(p)
            }
            other => other,
        }
    }

    // ----- the pop-ups the views open ----------------------------------------------------

    pub fn ask(ask: Ask, value: &str) -> Popup {
        let (title, hint) = match &ask {
            Ask::AddContact => (
                "Add a contact".to_string(),
                "Name, optionally: Name <email>  (status lead)",
            ),
            Ask::AddDeal {
                contact: Some((_, name)),
            } => (
                format!("Add a deal for {name}"),
                "TITLE VALUE, e.g. kitchen cakes 1,200 · start with WHO: for someone else",
            ),
            Ask::AddDeal { contact: None } => (
                "Add a deal".to_string(),
                "WHO: TITLE VALUE, e.g. alice: kitchen cakes 1,200",
            ),
            Ask::EditField { .. } => (
                "Edit a field".to_string(),
                "key=value: email=…, phone=…, name=…, likes=lemon cake (empty value removes a profile field)",
            ),
            Ask::SnoozeDate { .. } => ("Snooze until".to_string(), crate::when::EXAMPLES),
            Ask::Record { .. } => (
                "Record money or time (today)".to_string(),
                "income 120 deposit · paid 450 (income already paid) · expense 35.50 flour · time 1h30 site visit",
            ),
            Ask::CloseDate { .. } => (
                "Expected to close".to_string(),
                "a date, e.g. end of month: eom, fri, 15 jan · none clears it",
            ),
            Ask::LostReason { .. } => (
                "Why was it lost?".to_string(),
                "e.g. went with a cheaper quote",
            ),
            Ask::Note { .. } | Ask::NextStep { .. } => (String::new(), ""),
        };
        Popup::Prompt(Prompt::new(ask, title, hint.to_string(), value))
    }

    pub fn titled(ask: Ask, title: String, hint: &str) -> Popup {
        Popup::Prompt(Prompt::new(ask, title, hint.to_string(), ""))
    }

    pub fn note(env: &Env, contact_id: i64) -> Popup {
        Popup::titled(
            Ask::Note { contact_id },
            format!("Note about {}", name(env, contact_id)),
            "what happened; start with call:, email: or meeting: for the kind · Ctrl-O opens $EDITOR",
        )
    }

    /// Ask for a next step; `replaces` is an open one (id, text) the answer takes the place of.
    /// After a completion (`after_done`) the title says why it is asked.
    pub fn next_step(
        env: &Env,
        contact_id: i64,
        replaces: Option<(i64, String)>,
        after_done: bool,
    ) -> Popup {
        let who = name(env, contact_id);
        let title = match (&replaces, after_done) {
            (Some((_, text)), _) => format!("Replace '{text}' for {who} with"),
            (None, true) => format!("{who} has no next step now. What and when?"),
            (None, false) => format!("Next step for {who}"),
        };
        let mut p = Prompt::new(
            Ask::NextStep {
                contact_id,
                replaces: replaces.map(|(id, _)| id),
            },
            title,
            "WHEN: WHAT, e.g. fri: send quote · Esc to leave it".into(),
            "",
        );
        if after_done {
            p.on_cancel = Effect::ReviewNext;
        }
        Popup::Prompt(p)
    }

    pub fn snooze(today: NaiveDate, follow_up_id: i64) -> Popup {
        let ahead = |days: u64| today.checked_add_days(Days::new(days));
        let monday = match today.weekday() {
            Weekday::Mon => ahead(7),
            w => ahead(7 - u64::from(w.num_days_from_monday())),
        };
        let mut options = Vec::new();
        for (key, label, date) in [
            ('1', "tomorrow", ahead(1)),
            ('w', "in a week", ahead(7)),
            ('m', "next Monday", monday),
        ] {
            if let Some(date) = date {
                let until = When { date, time: None };
                options.push((
                    key,
                    label.to_string(),
                    Effect::Write(Write::Snooze {
                        follow_up_id,
                        until,
                    }),
                ));
            }
        }
        options.push((
            't',
            "type a date…".to_string(),
            Effect::popup(Popup::ask(Ask::SnoozeDate { follow_up_id }, "")),
        ));
        Popup::Choice(Choice::new("Snooze until", options))
    }

    pub fn status(contact_id: i64) -> Popup {
        let options = Status::ALL
            .iter()
            .map(|s| {
                let key = match s {
                    Status::Lost => 'x',
                    s => s.as_str().chars().next().unwrap_or('?'),
                };
                let w = Write::SetStatus {
                    contact_id,
                    status: *s,
                };
                (key, s.as_str().to_string(), Effect::Write(w))
            })
            .collect();
        Popup::Choice(Choice::new("Change status", options))
    }

    /// The recipes to apply; one already running for the contact asks before a second starts.
    pub fn recipes(env: &Env, contact_id: i64) -> Popup {
        let book = Book::load(env.recipes_dir.as_deref());
        let running: Vec<String> =
            crate::commands::checklists::for_contact(env.store.conn(), contact_id)
                .unwrap_or_default()
                .into_iter()
                .filter(|l| l.completed_at.is_none())
                .map(|l| l.recipe)
                .collect();
        let keys = "123456789abcdefghijklmnoprsuvwyz";
        let mut keys = keys.chars();
        let options = book
            .entries
            .values()
            .map(|e| {
                let w = Effect::Write(Write::ApplyRecipe {
                    contact_id,
                    recipe: e.recipe.name.clone(),
                });
                let mut label = format!("{}  {}", e.recipe.name, e.recipe.title);
                let effect = if running.contains(&e.recipe.name) {
                    label.push_str("  (running)");
                    Effect::popup(Popup::confirm(
                        format!(
                            "'{}' is already running for them. Start another?",
                            e.recipe.title
                        ),
                        "yes, start a second one",
                        w,
                    ))
                } else {
                    w
                };
                (keys.next().unwrap_or(' '), label, effect)
            })
            .collect::<Vec<_>>();
        // A recipe of the user's that cannot be read is not left out without a word.
        let mut options = options;
        if !book.problems.is_empty() {
            let n = book.problems.len();
            let why = book
                .problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n\n");
            options.push((
                '!',
                format!(
                    "{n} recipe{} could not be read: why",
                    if n == 1 { "" } else { "s" }
                ),
                Effect::popup(Popup::text("Recipes that could not be read".into(), &why)),
            ));
        }
        Popup::Choice(Choice::new("Apply a recipe (starts today)", options))
    }

    /// The tags in use, most used first, and "everyone".
    pub fn tags(env: &Env) -> Result<Popup> {
        let mut options = vec![('*', "everyone".to_string(), Effect::TagFilter(None))];
        let keys = "123456789abcdefghijklmnoprsuvwxyz";
        let mut keys = keys.chars();
        for (tag, n) in contacts::tag_counts(env.store.conn())? {
            let label = format!("#{tag} ({n})");
            options.push((
                keys.next().unwrap_or(' '),
                label,
                Effect::TagFilter(Some(tag)),
            ));
        }
        Ok(Popup::Choice(Choice::new("Show contacts tagged", options)))
    }

    /// Ask before doing `effect`.
    pub fn confirm(question: String, yes: &str, effect: Effect) -> Popup {
        Popup::Choice(Choice::new(
            &question,
            vec![
                ('y', yes.to_string(), effect),
                ('n', "no, leave it".into(), Effect::None),
            ],
        ))
    }

    pub fn help(view: &'static [Binding], global: &'static [Binding]) -> Popup {
        Popup::Reader(Reader::help(view, global))
    }

    pub fn text(title: String, body: &str) -> Popup {
        Popup::Reader(Reader::text(title, body))
    }

    pub fn palette() -> Popup {
        Popup::Finder(Finder::palette())
    }

    pub fn search(env: &Env) -> Result<Popup> {
        Ok(Popup::Finder(Finder::contacts(std::sync::Arc::new(
            finder::Names::read(env.store.conn())?,
        ))))
    }
}

fn name(env: &Env, id: i64) -> String {
    contacts::by_id(env.store.conn(), id)
        .ok()
        .flatten()
        .map_or_else(|| format!("#{id}"), |c| c.name)
}
