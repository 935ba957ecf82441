//! Every key the TUI answers to, as data: one table per context. The help overlay (`?`) and the
//! status line are generated from these tables, so they never drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    Tab(usize),
    Help,
    Search,
    Palette,
    Undo,
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    Open,
    Back,
    Done,
    Snooze,
    Note,
    NextStep,
    Review,
    Skip,
    Previous,
    EditField,
    Status,
    Filter,
    FilterStatus,
    FilterTag,
    AddContact,
    AddDeal,
    StageForward,
    StageBack,
    Won,
    Lost,
    Tick,
    ApplyRecipe,
    ShowRecipe,
    /// Record income, an expense or time for the contact shown.
    Record,
    CyclePeriod,
    CycleSort,
    PageUp,
    PageDown,
    /// Move between a view's panes (the profile's details and timeline).
    SwitchPane,
    CloseDate,
    ClearFilter,
}

/// Where the keys are pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Today,
    Review,
    Clients,
    Profile,
    Pipeline,
    Profit,
    Insights,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the key is written in help: "d", "↑/k".
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the status line, not only in help.
    pub status: bool,
}

impl Binding {
    /// The status line's word for it: the help text up to the first comma or parenthesis.
    pub fn short(&self) -> &'static str {
        let end = self.help.find([',', '(']).unwrap_or(self.help.len());
        self.help[..end].trim_end()
    }
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    help: &'static str,
    status: bool,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        help,
        status,
    }
}

use KeyCode::{
    BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab as TabKey, Up,
};

const MOVE: [Binding; 4] = [
    b(&[Down, Char('j')], "↓/j", Action::Down, "next item", false),
    b(&[Up, Char('k')], "↑/k", Action::Up, "previous item", false),
    b(&[PageDown], "PgDn", Action::PageDown, "a page down", false),
    b(&[PageUp], "PgUp", Action::PageUp, "a page up", false),
];

const ENDS: [Binding; 2] = [
    b(&[Home, Char('g')], "g", Action::Top, "to the top", false),
    b(
        &[End, Char('G')],
        "G",
        Action::Bottom,
        "to the bottom",
        false,
    ),
];

pub const GLOBAL: &[Binding] = &[
    b(
        &[Char('1'), Char('2'), Char('3'), Char('4'), Char('5')],
        "1-5",
        Action::Tab(0),
        "switch tab",
        false,
    ),
    b(&[TabKey], "Tab", Action::NextTab, "next tab", false),
    b(&[BackTab], "S-Tab", Action::PrevTab, "previous tab", false),
    b(&[Char('/')], "/", Action::Search, "find", true),
    b(
        &[Char(':')],
        ":",
        Action::Palette,
        "run a command by name",
        false,
    ),
    b(
        &[Char('u')],
        "u",
        Action::Undo,
        "undo the last change",
        false,
    ),
    b(&[Char('?')], "?", Action::Help, "help", true),
    b(&[Char('q')], "q", Action::Quit, "quit", true),
];

pub const TODAY: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(
        &[Char('r')],
        "r",
        Action::Review,
        "review, one card at a time",
        true,
    ),
    b(&[Char('d')], "d", Action::Done, "done", true),
    b(&[Char('s')], "s", Action::Snooze, "snooze", true),
    b(&[Char('n')], "n", Action::Note, "note", true),
    b(&[Char('x')], "x", Action::NextStep, "next step", true),
    b(&[Enter, Char('o')], "Enter", Action::Open, "open", true),
    b(&[Char('a')], "a", Action::AddContact, "add contact", false),
    ENDS[0],
    ENDS[1],
];

pub const REVIEW: &[Binding] = &[
    b(
        &[Char('d')],
        "d",
        Action::Done,
        "done (then set the next step)",
        true,
    ),
    b(&[Char('s')], "s", Action::Snooze, "snooze", true),
    b(&[Char('n')], "n", Action::Note, "note", true),
    b(
        &[Char('x')],
        "x",
        Action::NextStep,
        "next step (replaces an overdue one)",
        true,
    ),
    b(&[Char('o'), Enter], "o", Action::Open, "open", true),
    b(
        &[Down, Char('j')],
        "↓/j",
        Action::Down,
        "scroll the card",
        false,
    ),
    b(&[Up, Char('k')], "↑/k", Action::Up, "scroll back", false),
    MOVE[2],
    MOVE[3],
    b(
        &[Char(' '), Right, Char('l')],
        "Space",
        Action::Skip,
        "skip",
        true,
    ),
    b(
        &[Left, Char('h')],
        "←/h",
        Action::Previous,
        "back one card",
        false,
    ),
    b(&[Esc, Char('q')], "q", Action::Back, "end", true),
];

pub const CLIENTS: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(&[Enter, Char('o')], "Enter", Action::Open, "open", true),
    b(&[Char('f')], "f", Action::Filter, "filter", true),
    b(
        &[Char('S')],
        "S",
        Action::FilterStatus,
        "status filter",
        true,
    ),
    b(&[Char('t')], "t", Action::FilterTag, "tag filter", true),
    b(
        &[Esc],
        "Esc",
        Action::ClearFilter,
        "clear the filters",
        true,
    ),
    b(&[Char('a')], "a", Action::AddContact, "add contact", true),
    b(&[Char('n')], "n", Action::Note, "note", false),
    b(&[Char('x')], "x", Action::NextStep, "next step", false),
    ENDS[0],
    ENDS[1],
];

pub const PROFILE: &[Binding] = &[
    b(
        &[Down, Char('j')],
        "↓/j",
        Action::Down,
        "scroll down (details) or next note (timeline)",
        false,
    ),
    b(
        &[Up, Char('k')],
        "↑/k",
        Action::Up,
        "scroll up or previous note",
        false,
    ),
    MOVE[2],
    MOVE[3],
    ENDS[0],
    ENDS[1],
    b(
        &[Left, Right, Char('h'), Char('l')],
        "←/→",
        Action::SwitchPane,
        "details or timeline",
        true,
    ),
    b(&[Enter], "Enter", Action::Open, "read the whole note", true),
    b(&[Char('n')], "n", Action::Note, "note", true),
    b(&[Char('x')], "x", Action::NextStep, "add follow-up", true),
    b(
        &[Char('d')],
        "d",
        Action::Done,
        "done (the first follow-up)",
        true,
    ),
    b(
        &[Char('e')],
        "e",
        Action::EditField,
        "edit (key=value)",
        true,
    ),
    b(&[Char('S')], "S", Action::Status, "status", true),
    b(
        &[Char('t')],
        "t",
        Action::Tick,
        "tick the next checklist step",
        true,
    ),
    b(
        &[Char('A')],
        "A",
        Action::ApplyRecipe,
        "apply a recipe",
        true,
    ),
    b(
        &[Char('R')],
        "R",
        Action::ShowRecipe,
        "read the checklist's recipe",
        false,
    ),
    b(
        &[Char('$')],
        "$",
        Action::Record,
        "record income, an expense or time",
        true,
    ),
    b(&[Esc, Char('q')], "Esc", Action::Back, "back", true),
];

pub const PIPELINE: &[Binding] = &[
    b(
        &[Left, Char('h')],
        "←/h",
        Action::Left,
        "previous stage",
        false,
    ),
    b(
        &[Right, Char('l')],
        "→/l",
        Action::Right,
        "next stage",
        false,
    ),
    MOVE[0],
    MOVE[1],
    b(
        &[Char('>'), Char('L')],
        ">",
        Action::StageForward,
        "move on",
        true,
    ),
    b(
        &[Char('<'), Char('H')],
        "<",
        Action::StageBack,
        "move back",
        true,
    ),
    b(&[Char('w')], "w", Action::Won, "won", true),
    b(&[Char('x')], "x", Action::Lost, "lost (asks why)", true),
    b(&[Char('a')], "a", Action::AddDeal, "add deal", true),
    b(
        &[Char('c')],
        "c",
        Action::CloseDate,
        "expected close date",
        true,
    ),
    b(
        &[Enter, Char('o')],
        "Enter",
        Action::Open,
        "open client",
        true,
    ),
];

pub const PROFIT: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    ENDS[0],
    ENDS[1],
    b(&[Char('p')], "p", Action::CyclePeriod, "period", true),
    b(&[Char('s')], "s", Action::CycleSort, "sort", true),
    b(
        &[Enter, Char('o')],
        "Enter",
        Action::Open,
        "open client",
        true,
    ),
];

pub const INSIGHTS: &[Binding] = &[
    b(
        &[Down, Char('j')],
        "↓/j",
        Action::Down,
        "scroll down",
        false,
    ),
    b(&[Up, Char('k')], "↑/k", Action::Up, "scroll up", false),
    MOVE[2],
    MOVE[3],
];

pub fn table(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Today => TODAY,
        Context::Review => REVIEW,
        Context::Clients => CLIENTS,
        Context::Profile => PROFILE,
        Context::Pipeline => PIPELINE,
        Context::Profit => PROFIT,
        Context::Insights => INSIGHTS,
    }
}

/// The action of `key` in `ctx`, falling back to the global keys. In a review or a profile,
/// `q` and Esc go back rather than quit.
pub fn lookup(ctx: Context, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    let find = |t: &[Binding]| {
        t.iter()
            .find(|b| b.keys.contains(&key.code))
            .map(|b| b.action)
    };
    if let Some(a) = find(table(ctx)) {
        return Some(a);
    }
    match find(GLOBAL)? {
        Action::Tab(_) => match key.code {
            Char(c) => c.to_digit(10).map(|d| Action::Tab(d as usize - 1)),
            _ => None,
        },
        a => Some(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn context_keys_win_over_global_ones() {
        assert_eq!(lookup(Context::Review, press('q')), Some(Action::Back));
        assert_eq!(lookup(Context::Today, press('q')), Some(Action::Quit));
        assert_eq!(lookup(Context::Today, press('3')), Some(Action::Tab(2)));
        assert_eq!(lookup(Context::Pipeline, press('x')), Some(Action::Lost));
        assert_eq!(lookup(Context::Today, press('x')), Some(Action::NextStep));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in [
            Context::Today,
            Context::Review,
            Context::Clients,
            Context::Profile,
            Context::Pipeline,
            Context::Profit,
            Context::Insights,
        ] {
            let keys: Vec<&KeyCode> = table(ctx).iter().flat_map(|b| b.keys.iter()).collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{ctx:?}: {k:?} twice");
            }
        }
    }
}
