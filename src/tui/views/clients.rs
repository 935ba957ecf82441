//! Clients: everyone, filtered as you type, by status and by tag, in a table whose columns are
//! measured in display width and give way on a narrow terminal.

use crossterm::event::{KeyCode, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use crate::error::Result;
use crate::find;
use crate::model::contact::Listed;
use crate::model::text::{fit, one_line};
use crate::model::{ContactKind, Status};
use crate::store::contacts;
use crate::tui::context::{Env, Ui};
use crate::tui::effect::{Ask, Effect};
use crate::tui::input::TextInput;
use crate::tui::keymap::{self, Action, Binding};
use crate::tui::popups::Popup;
use crate::tui::widgets::{cut, panel, row_at, window};
use crate::when;

/// Everyone the list shows, by name, with the names as the filter compares them.
#[derive(Debug)]
pub struct Roster {
    rows: Vec<Listed>,
    keys: find::Keys,
    tag_names: Vec<String>,
}

impl Roster {
    /// Read on whichever thread holds `conn` (the app's own, or a background one).
    pub fn read(conn: &rusqlite::Connection) -> Result<Roster> {
        let listing = contacts::listing(conn)?;
        // Each name folded once, for the order and for the filter.
        let mut keyed: Vec<(String, Listed)> = listing
            .rows
            .into_iter()
            .map(|r| (find::key(&r.name), r))
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        let mut keys = find::Keys::default();
        let mut rows = Vec::with_capacity(keyed.len());
        for (key, row) in keyed {
            keys.push_key(&key);
            rows.push(row);
        }
        Ok(Roster {
            rows,
            keys,
            tag_names: listing.tag_names,
        })
    }
}

#[derive(Debug, Default)]
pub struct Clients {
    pub rows: Vec<Listed>,
    tag_names: Vec<String>,
    /// Each row's name as the filter compares it (`find::key`), made once per load.
    keys: find::Keys,
    /// A fresh list is being read in the background; the one shown stays until it comes.
    pub loading: bool,
    pub visible: Vec<usize>,
    pub table: TableState,
    pub filter: TextInput,
    pub filtering: bool,
    pub status: Option<Status>,
    pub tag: Option<String>,
    /// Where the rows were drawn (below the header), for the mouse.
    rows_area: Rect,
}

impl Clients {
    pub fn load(&mut self, env: &Env) -> Result<()> {
        let roster = Roster::read(env.store.conn())?;
        self.install(roster);
        Ok(())
    }

    /// Show a freshly read list, keeping the selected contact.
    pub fn install(&mut self, roster: Roster) {
        let keep = self.selected_row().map(|r| r.id);
        self.rows = roster.rows;
        self.keys = roster.keys;
        self.tag_names = roster.tag_names;
        self.loading = false;
        self.refilter();
        if let Some(id) = keep
            && let Some(pos) = self.visible.iter().position(|&i| self.rows[i].id == id)
        {
            self.table.select(Some(pos));
        }
    }

    pub fn refilter(&mut self) {
        // A tag nobody has (any more) matches nobody.
        let tag = self
            .tag
            .as_ref()
            .map(|t| self.tag_names.iter().position(|n| n == t).map(|i| i as u32));
        let q = self.filter.value();
        self.visible = if tag.is_none() && self.status.is_none() {
            find::filter_keys(q, &self.keys.all())
        } else {
            let candidates: Vec<usize> = (0..self.rows.len())
                .filter(|&i| self.status.is_none_or(|s| self.rows[i].status == s))
                .filter(|&i| match tag {
                    None => true,
                    Some(None) => false,
                    Some(Some(t)) => self.rows[i].tags.contains(&t),
                })
                .collect();
            let keys: Vec<&str> = candidates.iter().map(|&i| self.keys.get(i)).collect();
            find::filter_keys(q, &keys)
                .into_iter()
                .map(|j| candidates[j])
                .collect()
        };
        let last = self.visible.len().checked_sub(1);
        let sel = match (self.table.selected(), last) {
            (_, None) => None,
            (Some(s), Some(l)) => Some(s.min(l)),
            (None, Some(_)) => Some(0),
        };
        self.table.select(sel);
    }

    fn refilter_from_top(&mut self) {
        self.table.select(Some(0));
        *self.table.offset_mut() = 0;
        self.refilter();
    }

    pub fn selected_row(&self) -> Option<&Listed> {
        self.table
            .selected()
            .and_then(|s| self.visible.get(s))
            .map(|&i| &self.rows[i])
    }

    pub fn focused_contact(&self) -> Option<i64> {
        self.selected_row().map(|r| r.id)
    }

    pub fn has_selection(&self) -> bool {
        self.selected_row().is_some()
    }

    fn filtered(&self) -> bool {
        !self.filter.value().is_empty() || self.status.is_some() || self.tag.is_some()
    }

    pub fn set_tag(&mut self, tag: Option<String>) {
        self.tag = tag;
        self.refilter_from_top();
    }

    fn cycle_status(&mut self) {
        self.status = match self.status {
            None => Some(Status::Lead),
            Some(Status::Lead) => Some(Status::Prospect),
            Some(Status::Prospect) => Some(Status::Client),
            Some(Status::Client) => Some(Status::Former),
            Some(Status::Former) => Some(Status::Lost),
            Some(Status::Lost) => None,
        };
        self.refilter_from_top();
    }

    pub fn keys(&self) -> &'static [Binding] {
        keymap::CLIENTS
    }

    pub fn applies(&self, action: Action) -> bool {
        match action {
            Action::Open | Action::Note | Action::NextStep => self.has_selection(),
            Action::ClearFilter => self.filtered(),
            _ => true,
        }
    }

    /// Keys while typing a filter; false when not typing (the key is the view's).
    pub fn filter_key(&mut self, key: KeyEvent) -> bool {
        if !self.filtering {
            return false;
        }
        match key.code {
            KeyCode::Enter | KeyCode::Down => self.filtering = false,
            KeyCode::Esc => {
                self.filtering = false;
                self.filter = TextInput::default();
                self.refilter_from_top();
            }
            _ => {
                if self.filter.handle(key) {
                    self.refilter_from_top();
                }
            }
        }
        true
    }

    fn step(&mut self, delta: isize) {
        if let Some(last) = self.visible.len().checked_sub(1) {
            let s = self.table.selected().unwrap_or(0);
            self.table
                .select(Some(s.saturating_add_signed(delta).min(last)));
        }
    }

    pub fn act(&mut self, action: Action, env: &Env) -> Result<Effect> {
        let page = self.rows_area.height.max(1) as isize;
        let contact = self.focused_contact();
        Ok(match action {
            Action::Down => {
                self.step(1);
                Effect::None
            }
            Action::Up => {
                self.step(-1);
                Effect::None
            }
            Action::PageDown => {
                self.step(page);
                Effect::None
            }
            Action::PageUp => {
                self.step(-page);
                Effect::None
            }
            Action::Top => {
                self.step(isize::MIN / 2);
                Effect::None
            }
            Action::Bottom => {
                self.step(isize::MAX / 2);
                Effect::None
            }
            Action::Open => contact.map_or(Effect::None, Effect::Profile),
            Action::Filter => {
                self.filtering = true;
                Effect::None
            }
            Action::FilterStatus => {
                self.cycle_status();
                Effect::None
            }
            Action::FilterTag => Effect::popup(Popup::tags(env)?),
            Action::ClearFilter => {
                self.filter = TextInput::default();
                self.status = None;
                self.tag = None;
                self.refilter_from_top();
                Effect::None
            }
            Action::AddContact => Effect::popup(Popup::ask(Ask::AddContact, "")),
            Action::Note => contact.map_or(Effect::None, |id| Effect::popup(Popup::note(env, id))),
            Action::NextStep => contact.map_or(Effect::None, |id| {
                Effect::popup(Popup::next_step(env, id, None, false))
            }),
            _ => Effect::None,
        })
    }

    pub fn mouse(&mut self, m: MouseEvent) -> Effect {
        match m.kind {
            MouseEventKind::ScrollDown => self.step(3),
            MouseEventKind::ScrollUp => self.step(-3),
            MouseEventKind::Down(_) => {
                if let Some(i) = row_at(self.rows_area, self.table.offset(), m.column, m.row)
                    .filter(|&i| i < self.visible.len())
                {
                    self.table.select(Some(i));
                }
            }
            _ => {}
        }
        Effect::None
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        let inner = panel(frame, area, &self.title(), t.border(), t);
        // On a short terminal the filter line shows only while typing, the header only with
        // room for rows below it.
        let filter_h = u16::from(self.filtering || inner.height >= 4);
        let [filter_area, table_area] =
            Layout::vertical([Constraint::Length(filter_h), Constraint::Min(0)]).areas(inner);
        if filter_h > 0 {
            self.draw_filter(frame, filter_area, ui);
        }
        let header_h = u16::from(table_area.height >= 3);
        if self.visible.is_empty() {
            let msg = if self.loading {
                "Reading the list…"
            } else if self.rows.is_empty() {
                "No contacts yet: a adds one."
            } else {
                "Nobody matches: Esc clears the filters."
            };
            frame.render_widget(Paragraph::new(Span::styled(msg, t.dim())), table_area);
            return;
        }
        let cols = Columns::for_width(table_area.width as usize);
        let (header, widths) = cols.header();
        let rows_h = table_area.height.saturating_sub(header_h) as usize;
        let selected = self.table.selected();
        let shown = window(
            self.table.offset_mut(),
            selected,
            self.visible.len(),
            rows_h,
        );
        let rows = self.visible[shown.clone()]
            .iter()
            .map(|&i| cols.row(&self.rows[i], &self.tag_names, ui));
        let mut table = Table::new(rows, widths).row_highlight_style(t.selected());
        if header_h > 0 {
            table = table.header(Row::new(header).style(t.heading()));
        }
        self.rows_area = Rect {
            y: table_area.y.saturating_add(header_h),
            height: table_area.height.saturating_sub(header_h),
            ..table_area
        };
        let mut state =
            TableState::default().with_selected(selected.map(|s| s.saturating_sub(shown.start)));
        frame.render_stateful_widget(table, table_area, &mut state);
    }

    fn title(&self) -> String {
        let status = self.status.map_or("all".to_string(), |s| s.to_string());
        let tag = self
            .tag
            .as_ref()
            .map_or(String::new(), |t| format!(" · tag: #{}", one_line(t)));
        if self.loading && self.rows.is_empty() {
            // Nothing read yet: "0 of 0" would say the book is empty.
            return format!("Clients · reading… · status: {status}{tag}");
        }
        let updating = if self.loading { " · updating…" } else { "" };
        format!(
            "Clients · {} of {} · status: {status}{tag}{updating}",
            self.visible.len(),
            self.rows.len()
        )
    }

    fn draw_filter(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let t = ui.theme;
        let room = area.width.saturating_sub(9) as usize;
        let (shown, col) = self.filter.visible(room.saturating_sub(1));
        let line = if self.filtering || !self.filter.value().is_empty() {
            Line::from(vec![
                Span::styled("filter: ", t.key()),
                Span::raw(cut(&shown, room)),
            ])
        } else {
            Line::from(Span::styled(
                "f filter · S status · t tag · a add · Enter open",
                t.dim(),
            ))
        };
        frame.render_widget(Paragraph::new(line), area);
        let x = area.x + 8 + col as u16;
        if self.filtering && area.height > 0 && x < area.right() {
            frame.set_cursor_position((x, area.y));
        }
    }
}

/// Which columns fit: the name always; the next step, the status and the tags as room allows.
struct Columns {
    name: usize,
    status: bool,
    next: usize,
    tags: Option<usize>,
}

const STATUS_WIDTH: usize = 9;

impl Columns {
    fn for_width(width: usize) -> Columns {
        let next = if width >= 40 { 18 } else { 12 };
        let status = width >= 50;
        let show_tags = width >= 70;
        let fixed = next + if status { STATUS_WIDTH + 1 } else { 0 } + 1;
        let cap = if show_tags { 32 } else { usize::MAX };
        let name = width.saturating_sub(fixed).min(cap).max(4);
        let tags = show_tags.then(|| width.saturating_sub(name + fixed + 1));
        Columns {
            name,
            status,
            next,
            tags,
        }
    }

    fn header(&self) -> (Vec<Cell<'static>>, Vec<Constraint>) {
        let mut cells = vec![Cell::from("name")];
        let mut widths = vec![Constraint::Length(self.name as u16)];
        if self.status {
            cells.push(Cell::from("status"));
            widths.push(Constraint::Length(STATUS_WIDTH as u16));
        }
        cells.push(Cell::from("next step"));
        widths.push(Constraint::Length(self.next as u16));
        if self.tags.is_some() {
            cells.push(Cell::from("tags"));
            widths.push(Constraint::Min(0));
        }
        (cells, widths)
    }

    fn row(&self, r: &Listed, tag_names: &[String], ui: &Ui) -> Row<'static> {
        let t = ui.theme;
        let marker = if r.kind == ContactKind::Company {
            " ▪"
        } else {
            ""
        };
        let name = fit(&format!("{}{marker}", one_line(&r.name)), self.name);
        let mut cells = vec![Cell::from(name)];
        if self.status {
            cells.push(Cell::from(Span::styled(r.status.as_str(), t.dim())));
        }
        let next = match r.next_due {
            Some(d) => Span::styled(when::short(d, ui.today), t.dim()),
            None if r.needs_next_step => Span::styled("no next step", t.overdue()),
            None => Span::raw(""),
        };
        cells.push(Cell::from(next));
        if let Some(w) = self.tags {
            let tags: Vec<String> = r
                .tags
                .iter()
                .filter_map(|&t| tag_names.get(t as usize))
                .map(|t| format!("#{t}"))
                .collect();
            let tags = fit(&one_line(&tags.join(" ")), w);
            cells.push(Cell::from(Span::styled(tags, t.dim())));
        }
        Row::new(cells)
    }
}
