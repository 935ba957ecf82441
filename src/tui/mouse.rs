//! The mouse: the wheel scrolls what is under the pointer, a click selects a row or a tab.

use crossterm::event::{MouseEvent, MouseEventKind};

use super::app::App;
use super::effect::Effect;
use super::keymap::Context;
use crate::error::Result;

impl App {
    pub fn mouse(&mut self, m: MouseEvent) {
        let result = self.route_mouse(m);
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn route_mouse(&mut self, m: MouseEvent) -> Result<()> {
        if let Some(mut popup) = self.popup.take() {
            let before = popup.clone();
            match popup.mouse(m) {
                None => self.popup = Some(popup),
                Some(effect) => self.apply_from(effect, before),
            }
            return Ok(());
        }
        if m.row == 0 && matches!(m.kind, MouseEventKind::Down(_)) {
            let hit = self
                .tab_spans
                .iter()
                .find(|(a, b, _)| (*a..*b).contains(&m.column));
            if let Some(&(_, _, tab)) = hit {
                return self.switch_tab(tab);
            }
        }
        let effect = match self.context() {
            Context::Profile => {
                if let Some(p) = &mut self.profile {
                    p.mouse(m);
                }
                Effect::None
            }
            Context::Review => {
                if let Some(r) = &mut self.review {
                    r.mouse(m);
                }
                Effect::None
            }
            Context::Today => self.today.mouse(&self.env, m)?,
            Context::Clients => self.clients.mouse(m),
            Context::Pipeline => {
                self.pipeline.mouse(m);
                Effect::None
            }
            Context::Profit => {
                self.profit.mouse(m);
                Effect::None
            }
            Context::Insights => {
                let down = m.kind == MouseEventKind::ScrollDown;
                let up = m.kind == MouseEventKind::ScrollUp;
                if down || up {
                    self.insights.scroll(if down { 3 } else { -3 });
                }
                Effect::None
            }
        };
        self.apply(effect)
    }
}
