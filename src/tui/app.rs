//! The app: a router. It knows which tab, view and pop-up has the keys, hands each key to it,
//! and applies the effect that comes back: a pop-up to open, a view to show, or a change to
//! run through the command layer (whose undo it keeps). Each view lives in its own module.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::context::Env;
use super::effect::{Ask, Effect, Tab};
use super::jobs::Jobs;
use super::keymap::{self, Action, Binding, Context};
use super::popups::Popup;
use super::theme::Theme;
use super::views::{
    clients::Clients, insights::Insights, pipeline::Pipeline, profile::Profile, profit::Profit,
    review::Review, today::Today,
};
use super::writes::{self, Event, Outcome};
use crate::clock::Clock;
use crate::commands::undo;
use crate::error::{Error, Result};
use crate::recipes;
use crate::store::Store;

/// A request for the event loop: leave the screen, edit this text in $EDITOR, come back.
#[derive(Debug, Clone)]
pub struct EditorRequest {
    pub text: String,
    pub ask: Ask,
}

pub struct App {
    pub env: Env,
    pub tab: Tab,
    pub today: Today,
    pub pipeline: Pipeline,
    pub clients: Clients,
    pub profit: Profit,
    pub insights: Insights,
    pub profile: Option<Profile>,
    pub review: Option<Review>,
    pub popup: Option<Popup>,
    /// A line for the status bar, and whether it is an error.
    pub status: Option<(String, bool)>,
    pub quit: bool,
    /// Ctrl-Z: the event loop gives the terminal back and stops the process.
    pub suspend: bool,
    pub editor: Option<EditorRequest>,
    /// The title bar says so: a throwaway demo database.
    pub demo: bool,
    /// Work the Profit and Insights figures, the board, the Clients list and the names the
    /// search filters out on another thread (the event loop sets this; tests keep it off and
    /// get them straight away).
    pub background: bool,
    /// The names the contact search (`/`) read, kept for the next search until something
    /// changes.
    pub(super) names: Option<std::sync::Arc<crate::tui::popups::Names>>,
    pub(super) jobs: Jobs,
    pub(super) data_version: i64,
    /// Which tabs must load again before they are shown, by `Tab::index`.
    pub(super) stale: [bool; 5],
    /// Where each tab's label was drawn in the tab bar, for clicks.
    pub tab_spans: Vec<(u16, u16, Tab)>,
}

impl App {
    pub fn new(store: Store, clock: Clock) -> Result<App> {
        let data_version = store.data_version()?;
        let env = Env {
            store,
            clock,
            theme: Theme::from_env(),
            settings: crate::config::Settings::load()?,
            recipes_dir: recipes::user_dir(),
        };
        let mut app = App {
            env,
            tab: Tab::Today,
            today: Today::default(),
            pipeline: Pipeline::default(),
            clients: Clients::default(),
            profit: Profit::default(),
            insights: Insights::default(),
            profile: None,
            review: None,
            popup: None,
            status: None,
            quit: false,
            suspend: false,
            editor: None,
            demo: false,
            background: false,
            names: None,
            jobs: Jobs::default(),
            data_version,
            stale: [true; 5],
            tab_spans: Vec::new(),
        };
        app.refresh_visible()?;
        Ok(app)
    }

    /// The review, while it is showing cards (not its summary).
    fn reviewing(&self) -> bool {
        self.profile.is_none() && self.review.as_ref().is_some_and(|r| !r.is_over())
    }

    pub fn context(&self) -> Context {
        if self.profile.is_some() {
            Context::Profile
        } else if self.reviewing() {
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

    /// The keys of the view that has them now, and whether each does something now.
    pub fn bindings(&self) -> Vec<(&'static Binding, bool)> {
        let table: &'static [Binding] = match self.context() {
            Context::Profile => self.profile.as_ref().map_or(&[][..], Profile::keys),
            Context::Review => self.review.as_ref().map_or(&[][..], Review::keys),
            Context::Today => self.today.keys(),
            Context::Pipeline => self.pipeline.keys(),
            Context::Clients => self.clients.keys(),
            Context::Profit => self.profit.keys(),
            Context::Insights => self.insights.keys(),
        };
        table.iter().map(|b| (b, self.applies(b.action))).collect()
    }

    fn applies(&self, action: Action) -> bool {
        match self.context() {
            Context::Profile => self.profile.as_ref().is_some_and(|p| p.applies(action)),
            Context::Review => self.review.as_ref().is_some_and(|r| r.applies(action)),
            Context::Today => self.today.applies(action),
            Context::Pipeline => self.pipeline.applies(action),
            Context::Clients => self.clients.applies(action),
            Context::Profit => self.profit.applies(action),
            Context::Insights => true,
        }
    }

    /// Whether the view that has the keys has a row selected (tests check it is on screen).
    pub fn has_selection(&self) -> bool {
        if self.profile.is_none() && self.review.is_some() {
            // The review (or its summary) is drawn over the tab.
            return false;
        }
        match self.context() {
            Context::Today => self.today.has_selection(),
            Context::Pipeline => self.pipeline.has_selection(),
            Context::Clients => self.clients.has_selection(),
            Context::Profit => self.profit.has_selection(),
            _ => false,
        }
    }

    pub(super) fn flash(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), false));
    }

    pub(super) fn fail(&mut self, e: &Error) {
        self.status = Some((describe(e), true));
    }

    // ----- keys ----------------------------------------------------------------------------

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => return self.quit = true,
            KeyCode::Char('z') if ctrl => return self.suspend = true,
            _ => {}
        }
        self.status = None;
        if let Some(mut popup) = self.popup.take() {
            // In place: a contact search holds every name, too many to copy per key. A prompt
            // whose answer is refused comes back as the key left it, with what was typed.
            match popup.handle_key(key) {
                None => self.popup = Some(popup),
                Some(effect) => self.apply_from(effect, popup),
            }
            return;
        }
        let result = self.route_key(key);
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn route_key(&mut self, key: KeyEvent) -> Result<()> {
        if self.profile.is_none()
            && self.review.is_none()
            && self.tab == Tab::Clients
            && self.clients.filter_key(key)
        {
            return Ok(());
        }
        if self.profile.is_none()
            && let Some(r) = self.review.as_mut().filter(|r| r.is_over())
        {
            let effect = r.summary_key(key);
            return self.apply(effect);
        }
        match keymap::lookup(self.context(), key) {
            Some(action) => self.act(action),
            None => Ok(()),
        }
    }

    /// Apply what a pop-up asked for; a refused answer puts the prompt back with the reason.
    pub(super) fn apply_from(&mut self, effect: Effect, popup: Popup) {
        let answer = matches!(effect, Effect::Answer(..));
        if let Err(e) = self.apply(effect) {
            if answer && self.popup.is_none() {
                // The prompt shows why, and keeps what was typed.
                self.popup = Some(popup.with_error(describe(&e)));
            } else {
                self.fail(&e);
            }
        }
    }

    /// Do what `action` means here: a global key, or the focused view's.
    fn act(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => {
                let view: &'static [Binding] = keymap::table(self.context());
                self.popup = Some(Popup::help(view, keymap::GLOBAL));
            }
            Action::Palette => self.popup = Some(Popup::palette()),
            Action::Search => self.open_search()?,
            Action::Undo => self.undo_last()?,
            Action::Tab(i) => self.switch_tab(Tab::ALL[i.min(Tab::ALL.len() - 1)])?,
            Action::NextTab => self.switch_tab(self.tab.step(1))?,
            Action::PrevTab => self.switch_tab(self.tab.step(-1))?,
            _ => {
                let effect = self.view_act(action)?;
                let effect = match effect {
                    Effect::None => self.fallback(action),
                    e => e,
                };
                self.apply(effect)?;
            }
        }
        Ok(())
    }

    pub(super) fn view_act(&mut self, action: Action) -> Result<Effect> {
        let env = &self.env;
        Ok(match self.context() {
            Context::Profile => match &mut self.profile {
                Some(p) => p.act(action, env)?,
                None => Effect::None,
            },
            Context::Review => match &mut self.review {
                Some(r) => r.act(action, env)?,
                None => Effect::None,
            },
            Context::Today => self.today.act(action, env)?,
            Context::Pipeline => self.pipeline.act(action, env)?,
            Context::Clients => self.clients.act(action, env)?,
            Context::Profit => {
                let (effect, reload) = self.profit.act(action);
                if reload {
                    self.stale[Tab::Profit.index()] = true;
                    self.refresh_visible()?;
                }
                effect
            }
            Context::Insights => {
                self.insights.act(action);
                Effect::None
            }
        })
    }

    /// What the palette's commands do in a view that has no key of its own for them.
    fn fallback(&self, action: Action) -> Effect {
        let contact = self.focused_contact();
        match (action, contact) {
            (Action::Review, _) => Effect::Review,
            (Action::AddContact, _) => Effect::popup(Popup::ask(Ask::AddContact, "")),
            (Action::AddDeal, c) => {
                let contact = c.and_then(|id| {
                    crate::store::contacts::by_id(self.env.store.conn(), id)
                        .ok()
                        .flatten()
                        .map(|c| (c.id, c.name))
                });
                Effect::popup(Popup::ask(Ask::AddDeal { contact }, ""))
            }
            (Action::Note, Some(id)) => Effect::popup(Popup::note(&self.env, id)),
            (Action::NextStep, Some(id)) => {
                Effect::popup(Popup::next_step(&self.env, id, None, false))
            }
            (Action::Note | Action::NextStep, None) => Effect::Flash("Pick a contact first".into()),
            (Action::Done | Action::Snooze, _) => {
                Effect::Flash("Nothing to complete or snooze here".into())
            }
            _ => Effect::None,
        }
    }

    /// The contact the current view is about: the profile, the review's card, the selected row.
    fn focused_contact(&self) -> Option<i64> {
        match self.context() {
            Context::Profile => self.profile.as_ref().map(Profile::contact_id),
            Context::Review => self.review.as_ref()?.current().map(|i| i.contact_id()),
            Context::Today => self.today.focused_contact(),
            Context::Pipeline => self.pipeline.focused_contact(),
            Context::Clients => self.clients.focused_contact(),
            Context::Profit => self.profit.selected_id(),
            Context::Insights => None,
        }
    }

    pub fn apply(&mut self, effect: Effect) -> Result<()> {
        match effect {
            Effect::None => {}
            Effect::Flash(msg) => self.flash(msg),
            Effect::Popup(p) => self.popup = Some(*p),
            Effect::Profile(id) => self.profile = Some(Profile::load(&self.env, id)?),
            Effect::Back => self.back()?,
            Effect::Tab(tab) => self.switch_tab(tab)?,
            Effect::Review => {
                self.profile = None;
                self.review = Some(Review::start(&self.env)?);
            }
            Effect::Write(w) => {
                let outcome = writes::run(&mut self.env, &w)?;
                self.record(outcome)?;
            }
            Effect::Answer(ask, text) => {
                let outcome = writes::answer(&mut self.env, &ask, &text)?;
                self.record(outcome)?;
            }
            Effect::TagFilter(tag) => self.clients.set_tag(tag),
            Effect::ReviewNext => {
                if let Some(r) = self.review.as_mut().filter(|r| !r.is_over()) {
                    r.advance(&self.env)?;
                }
            }
            Effect::Editor(ask, text) => self.editor = Some(EditorRequest { text, ask }),
            Effect::Global(action) => self.act(action)?,
        }
        Ok(())
    }

    /// Leave the profile, or the review (its summary). Every change already reloaded what is
    /// underneath, so nothing is loaded again here.
    fn back(&mut self) -> Result<()> {
        if self.profile.take().is_some() {
            return Ok(());
        }
        if let Some(r) = &mut self.review {
            if r.is_over() {
                self.review = None;
                return Ok(());
            }
            r.finish(&self.env)?;
        }
        Ok(())
    }

    pub(super) fn switch_tab(&mut self, tab: Tab) -> Result<()> {
        self.profile = None;
        if self.review.as_ref().is_some_and(Review::is_over) {
            self.review = None;
        }
        self.tab = tab;
        self.refresh_visible()
    }

    // ----- changes -------------------------------------------------------------------------

    /// Keep a change's undo, count it in the review, reload, and follow up on what happened.
    fn record(&mut self, outcome: Outcome) -> Result<()> {
        let Outcome {
            undo,
            message,
            event,
        } = outcome;
        // The undo goes in the database's log, shared with `tend undo` in the shell.
        let what = undo.describe();
        // The change is saved: a failure to keep its undo must not look like a failed change
        // (the prompt would come back and the change be made twice).
        let (seq, message) =
            match undo::record(&mut self.env.store, &self.env.clock, "app", what, &undo) {
                Ok(seq) => (seq, format!("{message}  (u undoes)")),
                Err(e) => (0, format!("{message} (it cannot be undone: {e})")),
            };
        let in_review = self.reviewing();
        let advance = in_review
            && self
                .review
                .as_mut()
                .is_some_and(|r| r.on_write(seq, &event));
        self.flash(message);
        self.changed()?;
        match event {
            // Nobody leaves without a next step: ask for one when none is left.
            Event::Completed {
                contact_id,
                left_open: false,
            } => self.popup = Some(Popup::next_step(&self.env, contact_id, None, true)),
            Event::ContactAdded { contact_id } => {
                self.profile = Some(Profile::load(&self.env, contact_id)?)
            }
            Event::DealAdded { deal_id } => self.pipeline.focus(deal_id),
            _ => {}
        }
        if advance && let Some(r) = &mut self.review {
            r.advance(&self.env)?;
        }
        Ok(())
    }

    /// Undo the newest change, made here or by `tend` in another terminal.
    fn undo_last(&mut self) -> Result<()> {
        let Some((seq, what)) = undo::undo_last(&mut self.env.store, &self.env.clock, None)? else {
            self.flash("Nothing to undo");
            return Ok(());
        };
        self.flash(format!("Undid: {what}"));
        if let Some(r) = &mut self.review {
            r.on_undo(seq, &self.env)?;
        }
        self.changed()
    }

    /// The event loop hands back what the editor produced.
    pub fn editor_done(&mut self, req: EditorRequest, text: Option<String>) {
        match text {
            Some(t) if !t.trim().is_empty() => {
                let prompt = Popup::ask(req.ask.clone(), &t);
                self.apply_from(Effect::Answer(req.ask, t), prompt);
            }
            Some(_) => self.flash("Empty note: nothing saved"),
            None => self.flash("The editor failed: nothing saved"),
        }
    }
}

/// An error as one line, with its hint.
fn describe(e: &Error) -> String {
    let msg = match e.hint() {
        Some(h) => format!("{e} ({h})"),
        None => e.to_string(),
    };
    crate::model::text::one_line(&msg)
}
