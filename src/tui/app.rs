//! The app: which tab and overlay are showing, what each view holds, and what every key does.
//! Every change goes through the command layer (the same code as the CLI) and is pushed on the
//! undo stack.

use chrono::{Datelike, Days, Weekday};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::input::TextInput;
use super::keymap::{self, Action, Context};
use super::state::{
    ClientsState, InsightsData, InsightsState, PipelineState, ProfileState, ProfitState,
    ReviewItem, ReviewState, Row, TodayState,
};
use super::theme::Theme;
use crate::clock::Clock;
use crate::commands::checklists as checklist_cmds;
use crate::commands::contacts::{self as contact_cmds, AddContact, EditContact};
use crate::commands::undo::{self, Undo};
use crate::commands::{
    NextStep, deals as deal_cmds, followups as followup_cmds, notes as note_cmds,
};
use crate::error::{Candidate, Error, Result};
use crate::find;
use crate::model::contact::parse_field;
use crate::model::money::parse_amount;
use crate::model::{NoteKind, Stage, Status};
use crate::recipes::{self, Book};
use crate::store::Store;
use crate::store::contacts;
use crate::when::{self, Direction, When};

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

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// What a text prompt's answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Note { contact_id: i64 },
    NextStep { contact_id: i64, after_done: bool },
    AddContact,
    AddDeal,
    LostReason { deal_id: i64 },
    EditField { contact_id: i64 },
    SnoozeDate { follow_up_id: i64 },
    TagFilter,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub title: String,
    pub hint: String,
    pub input: TextInput,
    pub purpose: Purpose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoicePurpose {
    Snooze { follow_up_id: i64 },
    Status { contact_id: i64 },
    Recipe { contact_id: i64 },
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub title: String,
    pub options: Vec<(char, String)>,
    pub selected: usize,
    pub purpose: ChoicePurpose,
}

/// The contact search lists at most this many matches.
pub const SEARCH_SHOWN: usize = 200;

/// `:` runs any of these by name.
pub const COMMANDS: &[(&str, Action)] = &[
    ("review the day", Action::Review),
    ("add contact", Action::AddContact),
    ("add deal", Action::AddDeal),
    ("add note", Action::Note),
    ("set next step", Action::NextStep),
    ("done", Action::Done),
    ("snooze", Action::Snooze),
    ("find contact", Action::Search),
    ("undo", Action::Undo),
    ("today", Action::Tab(0)),
    ("pipeline", Action::Tab(1)),
    ("clients", Action::Tab(2)),
    ("profit", Action::Tab(3)),
    ("insights", Action::Tab(4)),
    ("help", Action::Help),
    ("quit", Action::Quit),
];

#[derive(Debug, Clone)]
pub enum Modal {
    Help,
    Prompt(Prompt),
    Choice(Choice),
    Palette {
        input: TextInput,
        selected: usize,
    },
    Search {
        input: TextInput,
        names: Vec<Candidate>,
        hits: Vec<usize>,
        selected: usize,
    },
    Text {
        title: String,
        body: String,
    },
}

/// Figures worked out on another thread.
enum Loaded {
    Profit(crate::commands::reports::ProfitReport),
    Insights(Box<InsightsData>),
}

struct Job {
    generation: u64,
    rx: std::sync::mpsc::Receiver<Result<Loaded>>,
}

/// A request for the event loop: leave the screen, edit this text in $EDITOR, come back.
#[derive(Debug, Clone)]
pub struct EditorRequest {
    pub text: String,
    pub purpose: Purpose,
}

pub struct App {
    pub store: Store,
    pub clock: Clock,
    pub theme: Theme,
    pub tab: Tab,
    pub today: TodayState,
    pub clients: ClientsState,
    pub pipeline: PipelineState,
    pub profit: ProfitState,
    pub insights: InsightsState,
    /// Today's hygiene line (quiet leads, duplicates, overdue deals), if any.
    pub hygiene: Option<String>,
    pub profile: Option<ProfileState>,
    pub review: Option<ReviewState>,
    pub modal: Option<Modal>,
    pub status: Option<(String, bool)>,
    pub undo: Vec<Undo>,
    pub quit: bool,
    pub editor: Option<EditorRequest>,
    /// The title bar says so: a throwaway demo database.
    pub demo: bool,
    /// Where the user's own recipes are read from.
    pub recipes_dir: Option<std::path::PathBuf>,
    /// Work the Profit and Insights figures out on another thread, so the key that opens them
    /// gets its frame at once (the event loop sets this; tests keep it off and get the
    /// figures straight away).
    pub background: bool,
    jobs: Vec<Job>,
    generation: u64,
    /// The generation of the newest Profit and Insights jobs.
    latest: [u64; 2],
    data_version: i64,
    stale: [bool; 5],
}

const TODAY_VIEW: usize = 0;
const CLIENTS_VIEW: usize = 1;
const PIPELINE_VIEW: usize = 2;
const PROFIT_VIEW: usize = 3;
const INSIGHTS_VIEW: usize = 4;

impl App {
    pub fn new(store: Store, clock: Clock) -> Result<App> {
        let data_version = store.data_version()?;
        let mut app = App {
            store,
            clock,
            theme: Theme::from_env(),
            tab: Tab::Today,
            today: TodayState::default(),
            clients: ClientsState::default(),
            pipeline: PipelineState::default(),
            profit: ProfitState::default(),
            insights: InsightsState::default(),
            hygiene: None,
            profile: None,
            review: None,
            modal: None,
            status: None,
            undo: Vec::new(),
            quit: false,
            editor: None,
            demo: false,
            recipes_dir: recipes::user_dir(),
            background: false,
            jobs: Vec::new(),
            generation: 0,
            latest: [0; 2],
            data_version,
            stale: [true; 5],
        };
        let settings = crate::config::Settings::load()?;
        app.profit.settings = settings.clone();
        app.insights.settings = settings;
        app.refresh_visible()?;
        Ok(app)
    }

    pub fn context(&self) -> Context {
        if self.profile.is_some() {
            Context::Profile
        } else if self.review.as_ref().is_some_and(|r| r.summary.is_none()) {
            Context::Review
        } else {
            match self.tab {
                Tab::Today => Context::Today,
                Tab::Pipeline => Context::Pipeline,
                Tab::Clients => Context::Clients,
                Tab::Profit => Context::Profit,
                Tab::Insights => Context::Insights,
            }
        }
    }

    // ----- loading -------------------------------------------------------------------------

    /// Load what is on screen if it is stale; the other views wait until they are shown.
    fn refresh_visible(&mut self) -> Result<()> {
        let conn = self.store.conn();
        let today = self.clock.today();
        match self.tab {
            Tab::Today if self.stale[TODAY_VIEW] => {
                self.today.load(conn, today)?;
                self.hygiene = crate::commands::doctor::summary_line(
                    conn,
                    &self.clock,
                    self.profit.settings.stale_lead_days,
                )?;
                self.stale[TODAY_VIEW] = false;
            }
            Tab::Clients if self.stale[CLIENTS_VIEW] => {
                self.clients.load(conn)?;
                self.stale[CLIENTS_VIEW] = false;
            }
            Tab::Pipeline if self.stale[PIPELINE_VIEW] => {
                self.pipeline.load(conn, today)?;
                self.stale[PIPELINE_VIEW] = false;
            }
            Tab::Profit if self.stale[PROFIT_VIEW] => {
                self.stale[PROFIT_VIEW] = false;
                if self.background {
                    self.spawn_profit();
                } else {
                    self.profit.load(conn, today)?;
                }
            }
            Tab::Insights if self.stale[INSIGHTS_VIEW] => {
                self.stale[INSIGHTS_VIEW] = false;
                if self.background {
                    self.spawn_insights();
                } else {
                    self.insights.load(conn, today, &self.clock.stamp())?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// After a change: everything is stale; reload what shows, keeping selections.
    fn changed(&mut self) -> Result<()> {
        self.stale = [true; 5];
        self.refresh_visible()?;
        if let Some(p) = &self.profile {
            let selected = p.selected_note;
            let mut fresh = ProfileState::load(self.store.conn(), p.contact_id())?;
            fresh.selected_note = selected.min(fresh.profile.recent_notes.len().saturating_sub(1));
            self.profile = Some(fresh);
        }
        if let Some(r) = &mut self.review
            && r.summary.is_none()
        {
            r.load_card(self.store.conn())?;
        }
        self.data_version = self.store.data_version()?;
        Ok(())
    }

    /// Called between events: picks up writes from other processes (`tend note` in another
    /// terminal) and a new day.
    pub fn tick(&mut self) -> Result<()> {
        let before = self.clock.today();
        self.clock.tick();
        let version = self.store.data_version()?;
        if version != self.data_version || self.clock.today() != before {
            self.changed()?;
        }
        Ok(())
    }

    fn flash(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), false));
    }

    fn fail(&mut self, e: &Error) {
        let msg = match e.hint() {
            Some(h) => format!("{e} ({h})"),
            None => e.to_string(),
        };
        self.status = Some((crate::model::text::one_line(&msg), true));
    }

    // ----- keys ----------------------------------------------------------------------------

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        self.status = None;
        let result = if let Some(modal) = self.modal.take() {
            self.modal_key(modal, key)
        } else if self.tab == Tab::Clients && self.clients.filtering && self.profile.is_none() {
            self.filter_key(key);
            Ok(())
        } else if let Some(r) = &self.review
            && r.summary.is_some()
            && self.profile.is_none()
        {
            // Any key closes the summary.
            self.review = None;
            self.changed()
        } else {
            match keymap::lookup(self.context(), key) {
                Some(action) => self.act(action),
                None => Ok(()),
            }
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn filter_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Enter | KeyCode::Down => self.clients.filtering = false,
            KeyCode::Esc => {
                self.clients.filtering = false;
                self.clients.filter = TextInput::default();
                self.clients.refilter();
            }
            _ => {
                if self.clients.filter.handle(key) {
                    self.clients.selected = 0;
                    self.clients.refilter();
                }
            }
        }
    }

    /// The contact the current view is about: the selected row, card or profile.
    fn focused_contact(&self) -> Option<i64> {
        if let Some(p) = &self.profile {
            return Some(p.contact_id());
        }
        if let Some(r) = &self.review {
            return r.current().map(ReviewItem::contact_id);
        }
        match self.tab {
            Tab::Today => self.today.selected_row().and_then(Row::contact_id),
            Tab::Clients => self.clients.selected_row().map(|r| r.id),
            Tab::Pipeline => self.pipeline.selected().map(|d| d.contact_id),
            Tab::Profit => self.profit.selected_id(),
            _ => None,
        }
    }

    /// The follow-up the current view is about.
    fn focused_follow_up(&self) -> Option<i64> {
        if let Some(p) = &self.profile {
            return p.profile.open_follow_ups.first().map(|f| f.id);
        }
        if let Some(r) = &self.review {
            return match r.current() {
                Some(ReviewItem::FollowUp(f)) => Some(f.id),
                _ => None,
            };
        }
        match self.tab {
            Tab::Today => self
                .today
                .selected_row()
                .and_then(Row::follow_up)
                .map(|f| f.id),
            _ => None,
        }
    }

    fn act(&mut self, action: Action) -> Result<()> {
        let ctx = self.context();
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.modal = Some(Modal::Help),
            Action::Palette => {
                self.modal = Some(Modal::Palette {
                    input: TextInput::default(),
                    selected: 0,
                })
            }
            Action::Search => self.open_search()?,
            Action::Undo => self.undo_last()?,
            Action::Tab(i) => self.switch_tab(Tab::ALL[i.min(4)])?,
            Action::NextTab => self.switch_tab(Tab::ALL[(self.tab.index() + 1) % 5])?,
            Action::PrevTab => self.switch_tab(Tab::ALL[(self.tab.index() + 4) % 5])?,
            Action::Review => self.start_review()?,
            Action::Note => match self.focused_contact() {
                Some(id) => self.prompt_note(id)?,
                None => self.flash("Pick a contact first"),
            },
            Action::NextStep => match self.focused_contact() {
                Some(id) => self.prompt_next(id, false)?,
                None => self.flash("Pick a contact first"),
            },
            Action::Done => match self.focused_follow_up() {
                Some(id) => self.complete(id)?,
                None => self.flash("Nothing to complete here: x sets a next step"),
            },
            Action::Snooze => match self.focused_follow_up() {
                Some(id) => self.choose_snooze(id),
                None => self.flash("Nothing to snooze here"),
            },
            Action::Open => self.open(ctx)?,
            Action::Back => match ctx {
                Context::Profile => self.profile = None,
                Context::Review => self
                    .review
                    .as_mut()
                    .map_or(Ok(()), |r| r.finish(self.store.conn()))?,
                _ => {}
            },
            Action::Up | Action::Down => {
                let delta = if action == Action::Up { -1 } else { 1 };
                self.move_selection(ctx, delta)?;
            }
            Action::Top | Action::Bottom => {
                let end = action == Action::Bottom;
                match ctx {
                    Context::Today => {
                        self.today.jump(end);
                        self.today.load_card(self.store.conn())?;
                    }
                    Context::Clients => {
                        self.clients.selected = if end {
                            self.clients.visible.len().saturating_sub(1)
                        } else {
                            0
                        }
                    }
                    _ => {}
                }
            }
            Action::CyclePeriod => {
                self.profit.period = self.profit.period.next();
                self.stale[PROFIT_VIEW] = true;
                self.refresh_visible()?;
            }
            Action::CycleSort => {
                self.profit.sort = self.profit.sort.next();
                self.profit.resort();
            }
            Action::Left => self.pipeline.move_column(-1),
            Action::Right => self.pipeline.move_column(1),
            Action::Skip => self.review_step(true)?,
            Action::Previous => self.review_step(false)?,
            Action::Filter => self.clients.filtering = true,
            Action::FilterStatus => self.clients.cycle_status(),
            Action::FilterTag => {
                let current = self.clients.tag.clone().unwrap_or_default();
                self.prompt(
                    Purpose::TagFilter,
                    "Show contacts tagged",
                    "a tag, e.g. vip · empty shows everyone",
                    &current,
                )
            }
            Action::AddContact => self.prompt(
                Purpose::AddContact,
                "Add a contact",
                "Name, optionally: Name <email>  (status lead)",
                "",
            ),
            Action::AddDeal => {
                let who = self
                    .focused_contact()
                    .and_then(|id| contacts::get(self.store.conn(), id).ok())
                    .map(|c| format!("{}: ", c.name))
                    .unwrap_or_default();
                self.prompt(
                    Purpose::AddDeal,
                    "Add a deal",
                    "WHO: TITLE VALUE, e.g. alice: kitchen cakes 1,200",
                    &who,
                )
            }
            Action::StageForward | Action::StageBack | Action::Won | Action::Lost => {
                self.move_deal(action)?
            }
            Action::EditField => {
                if let Some(id) = self.focused_contact() {
                    self.prompt(
                        Purpose::EditField { contact_id: id },
                        "Edit a field",
                        "key=value: email=…, phone=…, name=…, likes=lemon cake (empty value removes a profile field)",
                        "",
                    )
                }
            }
            Action::Tick => match self.focused_contact() {
                Some(id) => self.tick_step(id)?,
                None => self.flash("Pick a contact first"),
            },
            Action::ApplyRecipe => {
                if let Some(id) = self.focused_contact() {
                    let book = Book::load(self.recipes_dir.as_deref());
                    let keys = "123456789abcdefghijklmnoprsuvwyz";
                    let options = book
                        .entries
                        .values()
                        .zip(keys.chars())
                        .map(|(e, k)| (k, format!("{}  {}", e.recipe.name, e.recipe.title)))
                        .collect();
                    self.modal = Some(Modal::Choice(Choice {
                        title: "Apply a recipe (starts today)".into(),
                        options,
                        selected: 0,
                        purpose: ChoicePurpose::Recipe { contact_id: id },
                    }));
                }
            }
            Action::ShowRecipe => {
                if let Some(id) = self.focused_contact() {
                    let lists = checklist_cmds::for_contact(self.store.conn(), id)?;
                    match lists
                        .iter()
                        .find(|l| l.completed_at.is_none())
                        .or(lists.first())
                    {
                        Some(l) => {
                            let book = Book::load(self.recipes_dir.as_deref());
                            let body = match book.get(&l.recipe) {
                                Ok(e) => recipes::describe(&e.recipe),
                                Err(e) => e.to_string(),
                            };
                            self.modal = Some(Modal::Text {
                                title: format!("Recipe: {}", l.recipe),
                                body,
                            });
                        }
                        None => self.flash("No checklist yet: A applies a recipe"),
                    }
                }
            }
            Action::Status => {
                if let Some(id) = self.focused_contact() {
                    let options = Status::ALL
                        .iter()
                        .map(|s| {
                            (
                                s.as_str().chars().next().unwrap_or('?'),
                                s.as_str().to_string(),
                            )
                        })
                        .map(|(c, s)| (if s == "lost" { 'x' } else { c }, s))
                        .collect();
                    self.modal = Some(Modal::Choice(Choice {
                        title: "Change status".into(),
                        options,
                        selected: 0,
                        purpose: ChoicePurpose::Status { contact_id: id },
                    }));
                }
            }
        }
        Ok(())
    }

    fn switch_tab(&mut self, tab: Tab) -> Result<()> {
        self.profile = None;
        self.tab = tab;
        self.refresh_visible()
    }

    fn move_selection(&mut self, ctx: Context, delta: isize) -> Result<()> {
        match ctx {
            Context::Today => {
                self.today.step(delta);
                self.today.load_card(self.store.conn())?;
            }
            Context::Clients => {
                let len = self.clients.visible.len();
                if len > 0 {
                    self.clients.selected = (self.clients.selected as isize + delta)
                        .clamp(0, len as isize - 1)
                        as usize;
                }
            }
            Context::Pipeline => self.pipeline.move_row(delta),
            Context::Profit => {
                let len = self.profit.report.as_ref().map_or(0, |r| r.rows.len());
                if len > 0 {
                    self.profit.selected =
                        (self.profit.selected as isize + delta).clamp(0, len as isize - 1) as usize;
                }
            }
            Context::Profile => {
                if let Some(p) = &mut self.profile {
                    let len = p.profile.recent_notes.len();
                    if len > 0 {
                        p.selected_note =
                            (p.selected_note as isize + delta).clamp(0, len as isize - 1) as usize;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, ctx: Context) -> Result<()> {
        if ctx == Context::Profile {
            if let Some(p) = &self.profile
                && let Some(n) = p.profile.recent_notes.get(p.selected_note)
            {
                self.modal = Some(Modal::Text {
                    title: format!(
                        "{} · {} · {}",
                        n.contact,
                        n.kind,
                        n.at.get(..10).unwrap_or("")
                    ),
                    body: n.body.clone(),
                });
            }
            return Ok(());
        }
        match self.focused_contact() {
            Some(id) => self.open_profile(id),
            None => Ok(()),
        }
    }

    pub fn open_profile(&mut self, contact_id: i64) -> Result<()> {
        self.profile = Some(ProfileState::load(self.store.conn(), contact_id)?);
        Ok(())
    }

    fn open_search(&mut self) -> Result<()> {
        let names = contacts::all_names(self.store.conn())?;
        let hits = (0..names.len().min(SEARCH_SHOWN)).collect();
        self.modal = Some(Modal::Search {
            input: TextInput::default(),
            names,
            hits,
            selected: 0,
        });
        Ok(())
    }

    // ----- background figures --------------------------------------------------------------

    /// Start `work` on its own thread and connection; returns its generation.
    fn spawn(&mut self, work: impl FnOnce(&Store) -> Result<Loaded> + Send + 'static) -> u64 {
        self.generation += 1;
        let generation = self.generation;
        let path = self.store.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // A connection of its own: SQLite in WAL mode lets it read while the app writes.
            let result = Store::open(&path).and_then(|store| work(&store));
            let _ = tx.send(result);
        });
        self.jobs.push(Job { generation, rx });
        generation
    }

    fn spawn_profit(&mut self) {
        let today = self.clock.today();
        let (period, sort, settings) = (
            self.profit.period,
            self.profit.sort,
            self.profit.settings.clone(),
        );
        self.profit.loading = true;
        self.latest[0] = self.spawn(move |store| {
            let r = crate::commands::reports::profit(store.conn(), today, period, sort, &settings)?;
            Ok(Loaded::Profit(r))
        });
    }

    fn spawn_insights(&mut self) {
        let today = self.clock.today();
        let now = self.clock.stamp();
        let settings = self.insights.settings.clone();
        self.insights.loading = true;
        self.latest[1] = self.spawn(move |store| {
            Ok(Loaded::Insights(Box::new(InsightsData::compute(
                store.conn(),
                today,
                &now,
                &settings,
            )?)))
        });
    }

    /// Figures still being worked out.
    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Take in whatever background work has finished; true when something changed on screen.
    pub fn collect(&mut self) -> bool {
        let mut changed = false;
        let mut pending = Vec::new();
        for job in std::mem::take(&mut self.jobs) {
            match job.rx.try_recv() {
                Ok(result) => {
                    changed = true;
                    match result {
                        // Only the newest job of each kind counts: an older one may have read
                        // data that has changed since.
                        Ok(Loaded::Profit(r)) if job.generation == self.latest[0] => {
                            self.profit.apply(r)
                        }
                        Ok(Loaded::Insights(data)) if job.generation == self.latest[1] => {
                            self.insights.data = Some(*data);
                            self.insights.loading = false;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            self.profit.loading = false;
                            self.insights.loading = false;
                            self.fail(&e);
                        }
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => pending.push(job),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => changed = true,
            }
        }
        self.jobs = pending;
        changed
    }

    // ----- changes -------------------------------------------------------------------------

    fn record(&mut self, undo: Undo, msg: String) -> Result<()> {
        self.undo.push(undo);
        self.flash(format!("{msg}  (u undoes)"));
        self.changed()
    }

    fn undo_last(&mut self) -> Result<()> {
        match self.undo.pop() {
            Some(u) => {
                undo::apply(&mut self.store, &self.clock, &u)?;
                self.flash(format!("Undid: {}", u.describe()));
                self.changed()
            }
            None => {
                self.flash("Nothing to undo");
                Ok(())
            }
        }
    }

    fn complete(&mut self, follow_up_id: i64) -> Result<()> {
        let c = followup_cmds::done(&mut self.store, &self.clock, follow_up_id)?;
        let contact_id = c.done.contact_id;
        let msg = match &c.next {
            Some(n) => format!(
                "Done: {}. Next time: {}",
                c.done.text,
                when::describe(n.due_date, self.clock.today())
            ),
            None => format!("Done: {}", c.done.text),
        };
        let undo = c.undo();
        if let Some(r) = &mut self.review {
            r.stats.done += 1;
            r.handled[r.pos] = true;
        }
        self.record(undo, msg)?;
        // Nobody leaves without a next step: ask for one when none is left.
        if crate::store::followups::open_for(self.store.conn(), contact_id)?.is_empty() {
            self.prompt_next(contact_id, true)?;
        } else if self.review.is_some() {
            self.review_step(true)?;
        }
        Ok(())
    }

    fn tick_step(&mut self, contact_id: i64) -> Result<()> {
        let t = checklist_cmds::tick(
            &mut self.store,
            &self.clock,
            checklist_cmds::Tick {
                contact_id,
                which: checklist_cmds::Which::Next,
                checklist: None,
                force: false,
                note: None,
            },
        )?;
        let msg = match t.checklist.next_step() {
            Some(n) => format!("Ticked: {}. Next: {}", t.step.text, n.text),
            None => format!(
                "Ticked: {}. '{}' is complete",
                t.step.text, t.checklist.title
            ),
        };
        self.record(t.undo, msg)
    }

    fn choose_snooze(&mut self, follow_up_id: i64) {
        self.modal = Some(Modal::Choice(Choice {
            title: "Snooze until".into(),
            options: vec![
                ('1', "tomorrow".into()),
                ('w', "in a week".into()),
                ('m', "next Monday".into()),
                ('t', "type a date…".into()),
            ],
            selected: 0,
            purpose: ChoicePurpose::Snooze { follow_up_id },
        }));
    }

    fn snooze(&mut self, follow_up_id: i64, until: When) -> Result<()> {
        let s = followup_cmds::snooze(&mut self.store, follow_up_id, until)?;
        let msg = format!(
            "Snoozed to {}: {}",
            when::describe(until.date, self.clock.today()),
            s.follow_up.text
        );
        if let Some(r) = &mut self.review {
            r.stats.snoozed += 1;
            r.handled[r.pos] = true;
        }
        self.record(s.undo, msg)?;
        if self.review.is_some() {
            self.review_step(true)?;
        }
        Ok(())
    }

    fn move_deal(&mut self, action: Action) -> Result<()> {
        let Some(deal) = self.pipeline.selected().cloned() else {
            self.flash("No deal selected: a adds one");
            return Ok(());
        };
        let to = match action {
            Action::StageForward => deal.stage.next(),
            Action::StageBack => deal.stage.previous(),
            Action::Won => Some(Stage::Won),
            _ => {
                self.prompt(
                    Purpose::LostReason { deal_id: deal.id },
                    &format!("Why was '{}' lost?", deal.title),
                    "e.g. went with a cheaper quote",
                    "",
                );
                return Ok(());
            }
        };
        let Some(to) = to else {
            self.flash(format!("'{}' cannot move further that way", deal.title));
            return Ok(());
        };
        let moved = deal_cmds::move_to(&mut self.store, &self.clock, deal.id, to, None)?;
        self.record(
            moved.undo,
            format!("'{}' moved to {}", moved.deal.title, to.title()),
        )
    }

    fn start_review(&mut self) -> Result<()> {
        self.profile = None;
        let r = ReviewState::start(self.store.conn(), self.clock.today())?;
        self.review = Some(r);
        Ok(())
    }

    fn review_step(&mut self, forward: bool) -> Result<()> {
        let conn = self.store.conn();
        if let Some(r) = &mut self.review
            && r.summary.is_none()
        {
            if forward {
                r.advance(conn)?
            } else {
                r.back(conn)?
            }
        }
        Ok(())
    }

    // ----- prompts -------------------------------------------------------------------------

    fn prompt(&mut self, purpose: Purpose, title: &str, hint: &str, value: &str) {
        self.modal = Some(Modal::Prompt(Prompt {
            title: title.into(),
            hint: hint.into(),
            input: TextInput::with_value(value),
            purpose,
        }));
    }

    fn contact_name(&self, id: i64) -> String {
        contacts::by_id(self.store.conn(), id)
            .ok()
            .flatten()
            .map_or_else(|| format!("#{id}"), |c| c.name)
    }

    fn prompt_note(&mut self, contact_id: i64) -> Result<()> {
        let name = self.contact_name(contact_id);
        self.prompt(
            Purpose::Note { contact_id },
            &format!("Note about {name}"),
            "what happened; start with call:, email: or meeting: for the kind · Ctrl-O opens $EDITOR",
            "",
        );
        Ok(())
    }

    fn prompt_next(&mut self, contact_id: i64, after_done: bool) -> Result<()> {
        let name = self.contact_name(contact_id);
        let title = if after_done {
            format!("{name} has no next step now. What and when?")
        } else {
            format!("Next step for {name}")
        };
        self.prompt(
            Purpose::NextStep {
                contact_id,
                after_done,
            },
            &title,
            "WHEN: WHAT, e.g. fri: send quote · Esc to leave it",
            "",
        );
        Ok(())
    }

    fn modal_key(&mut self, modal: Modal, key: KeyEvent) -> Result<()> {
        match modal {
            Modal::Help | Modal::Text { .. } => Ok(()),
            Modal::Prompt(mut p) => match key.code {
                KeyCode::Esc => {
                    if let Purpose::NextStep {
                        after_done: true, ..
                    } = p.purpose
                        && self.review.is_some()
                    {
                        self.review_step(true)?;
                    }
                    Ok(())
                }
                KeyCode::Enter => {
                    let text = p.input.value().to_string();
                    match self.submit(p.purpose, &text) {
                        Ok(()) => Ok(()),
                        Err(e) => {
                            // Keep what was typed: show the error and let them fix it.
                            self.modal = Some(Modal::Prompt(p));
                            Err(e)
                        }
                    }
                }
                KeyCode::Char('o')
                    if key.modifiers.contains(KeyModifiers::CONTROL)
                        && matches!(p.purpose, Purpose::Note { .. }) =>
                {
                    self.editor = Some(EditorRequest {
                        text: p.input.value().to_string(),
                        purpose: p.purpose,
                    });
                    Ok(())
                }
                _ => {
                    p.input.handle(key);
                    self.modal = Some(Modal::Prompt(p));
                    Ok(())
                }
            },
            Modal::Choice(mut c) => match key.code {
                KeyCode::Esc => Ok(()),
                KeyCode::Down | KeyCode::Char('j') | KeyCode::Up | KeyCode::Char('k') => {
                    let code = if matches!(key.code, KeyCode::Down | KeyCode::Char('j')) {
                        KeyCode::Down
                    } else {
                        KeyCode::Up
                    };
                    c.selected = step(c.selected, code, c.options.len());
                    self.modal = Some(Modal::Choice(c));
                    Ok(())
                }
                KeyCode::Enter => self.choose(c.purpose, c.selected),
                KeyCode::Char(ch) => match c.options.iter().position(|(k, _)| *k == ch) {
                    Some(i) => self.choose(c.purpose, i),
                    None => {
                        self.modal = Some(Modal::Choice(c));
                        Ok(())
                    }
                },
                _ => {
                    self.modal = Some(Modal::Choice(c));
                    Ok(())
                }
            },
            Modal::Palette {
                mut input,
                mut selected,
            } => {
                let matches = palette_matches(input.value());
                match key.code {
                    KeyCode::Esc => return Ok(()),
                    KeyCode::Enter => {
                        return match matches.get(selected) {
                            Some(&(_, action)) => self.act(action),
                            None => Ok(()),
                        };
                    }
                    KeyCode::Down | KeyCode::Up => {
                        selected = step(selected, key.code, matches.len())
                    }
                    _ => {
                        if input.handle(key) {
                            selected = 0;
                        }
                    }
                }
                self.modal = Some(Modal::Palette { input, selected });
                Ok(())
            }
            Modal::Search {
                mut input,
                names,
                mut hits,
                mut selected,
            } => {
                match key.code {
                    KeyCode::Esc => return Ok(()),
                    KeyCode::Enter => {
                        return match hits.get(selected) {
                            Some(&i) => self.open_profile(names[i].id),
                            None => Ok(()),
                        };
                    }
                    KeyCode::Down | KeyCode::Up => selected = step(selected, key.code, hits.len()),
                    _ => {
                        if input.handle(key) {
                            let list: Vec<&str> = names.iter().map(|c| c.name.as_str()).collect();
                            hits = find::filter(input.value(), &list);
                            hits.truncate(SEARCH_SHOWN);
                            selected = 0;
                        }
                    }
                }
                self.modal = Some(Modal::Search {
                    input,
                    names,
                    hits,
                    selected,
                });
                Ok(())
            }
        }
    }

    fn choose(&mut self, purpose: ChoicePurpose, index: usize) -> Result<()> {
        let today = self.clock.today();
        match purpose {
            ChoicePurpose::Snooze { follow_up_id } => {
                let date = match index {
                    0 => today.succ_opt(),
                    1 => today.checked_add_days(Days::new(7)),
                    2 => {
                        let ahead = 7 - u64::from(today.weekday().num_days_from_monday());
                        today.checked_add_days(Days::new(if today.weekday() == Weekday::Mon {
                            7
                        } else {
                            ahead
                        }))
                    }
                    _ => {
                        self.prompt(
                            Purpose::SnoozeDate { follow_up_id },
                            "Snooze until",
                            when::EXAMPLES,
                            "",
                        );
                        return Ok(());
                    }
                };
                match date {
                    Some(date) => self.snooze(follow_up_id, When { date, time: None }),
                    None => Ok(()),
                }
            }
            ChoicePurpose::Recipe { contact_id } => {
                let book = Book::load(self.recipes_dir.as_deref());
                let Some(entry) = book.entries.values().nth(index) else {
                    return Ok(());
                };
                let recipe = entry.recipe.clone();
                let list = checklist_cmds::apply(
                    &mut self.store,
                    &self.clock,
                    contact_id,
                    &recipe,
                    today,
                )?;
                self.record(
                    Undo::DeleteChecklist {
                        checklist_id: list.id,
                    },
                    format!("Started '{}' ({} steps)", list.title, list.steps.len()),
                )
            }
            ChoicePurpose::Status { contact_id } => {
                let status = Status::ALL[index.min(Status::ALL.len() - 1)];
                let before = contacts::get(self.store.conn(), contact_id)?.status;
                let c = contact_cmds::edit(
                    &mut self.store,
                    &self.clock,
                    contact_id,
                    EditContact {
                        status: Some(status),
                        ..EditContact::default()
                    },
                )?;
                self.record(
                    Undo::RestoreStatus {
                        contact_id,
                        status: before,
                    },
                    format!("{} is now a {}", c.name, status),
                )
            }
        }
    }

    /// Act on a prompt's answer; an error keeps the prompt open with the text.
    pub fn submit(&mut self, purpose: Purpose, text: &str) -> Result<()> {
        let today = self.clock.today();
        match purpose {
            Purpose::Note { contact_id } => {
                let (kind, body) = split_kind(text);
                let added = note_cmds::add(
                    &mut self.store,
                    &self.clock,
                    note_cmds::AddNote {
                        contact_id,
                        kind,
                        body: body.to_string(),
                        at: None,
                        next: None,
                    },
                )?;
                if let Some(r) = &mut self.review {
                    r.stats.notes += 1;
                }
                let undo = added.undo();
                self.record(undo, format!("Noted for {}", added.contact))
            }
            Purpose::NextStep {
                contact_id,
                after_done,
            } => {
                let (when, what) = when::parse_next(text, today).map_err(Error::invalid)?;
                let f = followup_cmds::set_next(
                    &mut self.store,
                    &self.clock,
                    contact_id,
                    NextStep {
                        when,
                        text: what,
                        every: None,
                    },
                )?;
                let mut advance = after_done;
                if let Some(r) = &mut self.review {
                    r.stats.new_next_steps += 1;
                    if matches!(r.current(), Some(ReviewItem::NoNextStep(_))) {
                        r.handled[r.pos] = true;
                        advance = true;
                    }
                }
                self.record(
                    Undo::DeleteFollowUp { follow_up_id: f.id },
                    format!(
                        "Next step for {}: {} ({})",
                        f.contact,
                        f.text,
                        when::describe(f.due_date, today)
                    ),
                )?;
                if advance && self.review.is_some() {
                    self.review_step(true)?;
                }
                Ok(())
            }
            Purpose::TagFilter => {
                self.clients.tag = crate::model::contact::normalize_tag(text);
                self.clients.selected = 0;
                self.clients.refilter();
                Ok(())
            }
            Purpose::SnoozeDate { follow_up_id } => {
                let until = when::parse(text, today, Direction::Future).map_err(Error::invalid)?;
                self.snooze(follow_up_id, until)
            }
            Purpose::AddContact => {
                let (name, email) = match text.split_once('<') {
                    Some((n, rest)) => (
                        n.trim(),
                        Some(rest.trim_end_matches('>').trim().to_string()),
                    ),
                    None => (text.trim(), None),
                };
                let added = contact_cmds::add(
                    &mut self.store,
                    &self.clock,
                    AddContact {
                        name: name.to_string(),
                        email,
                        ..AddContact::default()
                    },
                )?;
                let id = added.contact.id;
                self.record(
                    Undo::DeleteContact { contact_id: id },
                    format!("Added {}", added.contact.name),
                )?;
                self.open_profile(id)
            }
            Purpose::AddDeal => {
                let (who, rest) = text.split_once(':').ok_or_else(|| {
                    Error::invalid("write it as WHO: TITLE VALUE, e.g. alice: kitchen cakes 1,200")
                })?;
                let contact = find::resolve(self.store.conn(), who)?;
                let rest = rest.trim();
                let (title, value) = match rest.rsplit_once(' ') {
                    Some((t, v)) if parse_amount(v).is_ok() => (t, parse_amount(v).unwrap_or(0)),
                    _ => (rest, 0),
                };
                let deal = deal_cmds::add(
                    &mut self.store,
                    &self.clock,
                    contact.id,
                    title,
                    value,
                    Stage::New,
                )?;
                self.record(
                    Undo::DeleteDeal { deal_id: deal.id },
                    format!("Added deal '{}' for {}", deal.title, deal.contact),
                )
            }
            Purpose::LostReason { deal_id } => {
                let moved = deal_cmds::move_to(
                    &mut self.store,
                    &self.clock,
                    deal_id,
                    Stage::Lost,
                    Some(text),
                )?;
                self.record(moved.undo, format!("'{}' marked lost", moved.deal.title))
            }
            Purpose::EditField { contact_id } => {
                let (key, value) = parse_field(text).map_err(Error::invalid)?;
                let mut edit = EditContact::default();
                match key.as_str() {
                    "name" => edit.name = Some(value),
                    "email" => edit.email = Some(value),
                    "phone" => edit.phone = Some(value),
                    "address" => edit.address = Some(value),
                    "source" => edit.source = Some(value),
                    "company" => edit.company = Some(value),
                    _ if value.is_empty() => edit.unset_fields.push(key.clone()),
                    _ => edit.set_fields.push((key.clone(), value)),
                }
                let c = contact_cmds::edit(&mut self.store, &self.clock, contact_id, edit)?;
                self.flash(format!("Updated {} of {}", key, c.name));
                self.changed()
            }
        }
    }

    /// The event loop hands back what the editor produced.
    pub fn editor_done(&mut self, req: EditorRequest, text: Option<String>) {
        match text {
            Some(t) if !t.trim().is_empty() => {
                if let Err(e) = self.submit(req.purpose, &t) {
                    self.fail(&e);
                }
            }
            Some(_) => self.flash("Empty note: nothing saved"),
            None => self.flash("The editor failed: nothing saved"),
        }
    }
}

/// Move a list selection one row with Down or Up, staying within `len` rows.
fn step(selected: usize, code: KeyCode, len: usize) -> usize {
    match code {
        KeyCode::Down => (selected + 1).min(len.saturating_sub(1)),
        _ => selected.saturating_sub(1),
    }
}

/// "call: rang back" is a call; plain text is a note.
fn split_kind(text: &str) -> (NoteKind, &str) {
    if let Some((head, rest)) = text.split_once(':')
        && let Ok(kind) = head.parse::<NoteKind>()
    {
        return (kind, rest.trim());
    }
    (NoteKind::Note, text)
}

/// Palette entries whose name contains every typed word.
pub fn palette_matches(typed: &str) -> Vec<(&'static str, Action)> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    COMMANDS
        .iter()
        .filter(|(name, _)| words.iter().all(|w| name.contains(w.as_str())))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_kinds_can_lead_the_text() {
        assert_eq!(split_kind("call: rang back"), (NoteKind::Call, "rang back"));
        assert_eq!(
            split_kind("time: 14:00 works"),
            (NoteKind::Note, "time: 14:00 works")
        );
        assert_eq!(split_kind("plain"), (NoteKind::Note, "plain"));
    }

    #[test]
    fn the_palette_filters_by_words() {
        let names: Vec<&str> = palette_matches("add").iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["add contact", "add deal", "add note"]);
        assert_eq!(palette_matches("rev day")[0].1, Action::Review);
        assert!(palette_matches("zzz").is_empty());
    }
}
