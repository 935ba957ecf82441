//! What a view or pop-up asks the app to do after a key: data, not closures, so the router
//! applies every one the same way and tests can read them.

use super::popups::Popup;
use crate::model::Stage;
use crate::model::Status;
use crate::when::When;

/// A tab of the app; its number is its place in `Tab::ALL` plus one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Today,
    Pipeline,
    Clients,
    Profit,
    Insights,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Today,
        Tab::Pipeline,
        Tab::Clients,
        Tab::Profit,
        Tab::Insights,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Today => "Today",
            Tab::Pipeline => "Pipeline",
            Tab::Clients => "Clients",
            Tab::Profit => "Profit",
            Tab::Insights => "Insights",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab `delta` places on, wrapping round.
    pub fn step(self, delta: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[(self.index() as isize + delta).rem_euclid(n) as usize]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    None,
    /// A line for the status bar.
    Flash(String),
    Popup(Box<Popup>),
    Profile(i64),
    /// Leave the profile, or end the review.
    Back,
    Tab(Tab),
    Review,
    Write(Write),
    /// A typed answer to a prompt.
    Answer(Ask, String),
    /// Show only contacts with this tag (None: everyone).
    TagFilter(Option<String>),
    /// Move the review on to its next card.
    ReviewNext,
    /// Hand this prompt's text to $EDITOR.
    Editor(Ask, String),
    /// A global key: help, palette, search, undo, quit.
    Global(super::keymap::Action),
}

impl Effect {
    pub fn popup(p: Popup) -> Effect {
        Effect::Popup(Box::new(p))
    }
}

/// A change, run through the command layer by `writes::run`.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Done {
        follow_up_id: i64,
    },
    /// An invoice to chase has been paid, today.
    Paid {
        entry_id: i64,
    },
    Snooze {
        follow_up_id: i64,
        until: When,
    },
    MoveDeal {
        deal_id: i64,
        to: Stage,
        reason: Option<String>,
    },
    SetStatus {
        contact_id: i64,
        status: Status,
    },
    ApplyRecipe {
        contact_id: i64,
        recipe: String,
    },
    Tick {
        contact_id: i64,
    },
}

/// What a prompt's text is for; `writes::answer` parses the text and makes the change, so a
/// mistake keeps the prompt open with what was typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    Note {
        contact_id: i64,
    },
    /// A new next step; `replaces` is an open follow-up it takes the place of.
    NextStep {
        contact_id: i64,
        replaces: Option<i64>,
    },
    AddContact,
    /// `WHO: TITLE VALUE`; without `WHO:` it is for `contact`.
    AddDeal {
        contact: Option<(i64, String)>,
    },
    LostReason {
        deal_id: i64,
    },
    CloseDate {
        deal_id: i64,
    },
    EditField {
        contact_id: i64,
    },
    SnoozeDate {
        follow_up_id: i64,
    },
    /// `income 120 deposit`, `paid 450`, `expense 35.50 flour`, `time 1h30 site visit`.
    Record {
        contact_id: i64,
    },
}
