//! The in-place rename field (double-click or F2): a text field laid over
//! the item's label; Enter keeps (Ctrl+Enter for notes), Escape cancels.

use egui::{Key, Ui};

use super::Canvas;
use super::geometry::Curve;
use super::layout;
use crate::app::{Command, Session};
use crate::model::{Diagram, Id, ItemRef};

/// An in-place rename in progress.
#[derive(Clone, Debug)]
pub(super) struct Rename {
    id: Id,
    text: String,
    focus_requested: bool,
}

/// Height of the rename field, in screen points.
const FIELD_HEIGHT: f32 = 24.0;

impl Canvas {
    /// Starts renaming `id` in place.
    pub fn start_rename(&mut self, diagram: &Diagram, id: Id) {
        let Some(item) = diagram.item(id) else {
            return;
        };
        self.rename = Some(Rename {
            id,
            text: item.text().to_owned(),
            focus_requested: false,
        });
    }

    pub fn is_renaming(&self) -> bool {
        self.rename.is_some()
    }

    /// Where the field goes, in screen points, and whether it is multi-line.
    fn rename_area(&self, diagram: &Diagram, id: Id) -> Option<(egui::Rect, bool)> {
        let view = self.view;
        Some(match diagram.item(id)? {
            ItemRef::Component(c) => {
                let name = view.rect_to_screen(layout::name_rect(c.rect()));
                let area = egui::Rect::from_min_size(
                    name.min - egui::vec2(4.0, 4.0),
                    egui::vec2((name.width() + 8.0).max(120.0), FIELD_HEIGHT),
                );
                (area, false)
            }
            ItemRef::Note(n) => (view.rect_to_screen(n.rect).shrink(2.0), true),
            ItemRef::Group(g) => {
                let r = view.rect_to_screen(g.rect);
                let area = egui::Rect::from_min_size(
                    r.min + egui::vec2(4.0, 2.0),
                    egui::vec2(r.width().clamp(160.0, 360.0), FIELD_HEIGHT),
                );
                (area, false)
            }
            ItemRef::Connection(conn) => {
                let (a, b) = (diagram.component(conn.from)?, diagram.component(conn.to)?);
                // Where its caption sits (placed clear of the cards), else
                // the middle of the wire.
                let at = diagram
                    .connections
                    .binary_search_by_key(&conn.id, |c| c.id)
                    .ok()
                    .and_then(|i| self.wires().placed_caption(i))
                    .map_or_else(
                        || Curve::between(a.rect(), b.rect()).sample(0.5),
                        |caption| caption.center,
                    );
                let area = egui::Rect::from_center_size(
                    view.screen_from_canvas * at,
                    egui::vec2(180.0, FIELD_HEIGHT),
                );
                (area, false)
            }
        })
    }

    /// The text field of an in-place rename, over the item's label.
    pub(super) fn rename_ui(&mut self, ui: &mut Ui, session: &mut Session) {
        let Some(id) = self.rename.as_ref().map(|r| r.id) else {
            return;
        };
        let Some((area, multiline)) = self.rename_area(session.diagram(), id) else {
            self.rename = None;
            return;
        };
        let Some(rename) = self.rename.as_mut() else {
            return;
        };
        let field_id = ui.make_persistent_id(("rename", rename.id));
        let edit = if multiline {
            egui::TextEdit::multiline(&mut rename.text).id(field_id)
        } else {
            egui::TextEdit::singleline(&mut rename.text).id(field_id)
        };
        let hint = match session.diagram().item(id) {
            Some(ItemRef::Connection(_) | ItemRef::Group(_)) => "Label",
            Some(ItemRef::Note(_)) => "Note",
            _ => "Name",
        };
        let response = ui.put(area, edit.hint_text(hint));
        crate::ui::label_for(&response, "Rename");
        if !rename.focus_requested {
            // Focus the field with its whole text selected, so typing replaces it.
            response.request_focus();
            let mut state = egui::TextEdit::load_state(ui.ctx(), field_id).unwrap_or_default();
            let all = egui::text::CCursorRange::two(
                egui::text::CCursor::new(0),
                egui::text::CCursor::new(rename.text.chars().count()),
            );
            state.cursor.set_char_range(Some(all));
            state.store(ui.ctx(), field_id);
            rename.focus_requested = true;
        }
        let cancel = ui.input(|i| i.key_pressed(Key::Escape));
        let commit_keys = if multiline {
            ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.command)
        } else {
            ui.input(|i| i.key_pressed(Key::Enter))
        };
        if cancel {
            self.rename = None;
        } else if commit_keys || response.lost_focus() {
            let text = rename.text.trim_end().to_owned();
            self.rename = None;
            let unchanged = session
                .diagram()
                .item(id)
                .is_some_and(|item| item.text() == text);
            if !unchanged {
                session.send(Command::Rename { id, text });
                session.send(Command::EndGesture);
            }
        }
    }
}
