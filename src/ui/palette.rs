//! The component palette: categories, a search box, click or drag to add.

use egui::{Button, RichText, Sense, Ui};

use crate::catalog::{Category, ComponentKind};
use crate::model::GroupKind;
use crate::ui::canvas::PaletteItem;
use crate::ui::icons;
use crate::ui::theme::CanvasColors;

/// Palette state between frames.
#[derive(Debug, Default)]
pub struct Palette {
    pub search: String,
}

fn matches(query: &str, texts: &[&str]) -> bool {
    let query = query.trim().to_lowercase();
    query.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&query))
}

impl Palette {
    /// Draws the palette. Returns the item the user clicked (to add at the
    /// centre of the view); drags are picked up by the canvas.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<PaletteItem> {
        let mut clicked = None;
        ui.add_space(4.0);
        let mut enter = false;
        ui.horizontal(|ui| {
            ui.label(egui_phosphor::regular::MAGNIFYING_GLASS);
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("Search components")
                    .desired_width(f32::INFINITY),
            );
            crate::ui::label_for(&field, "Search components");
            // Enter adds the first match.
            enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        });
        let mut first = None;
        ui.add_space(4.0);
        let colors = CanvasColors::from_visuals(ui.visuals());
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            let mut any = false;
            for category in Category::ALL {
                let kinds: Vec<ComponentKind> = ComponentKind::all()
                    .filter(|k| k.category() == category)
                    .filter(|k| {
                        let info = k.info();
                        matches(&self.search, &[info.name, info.description, info.examples, category.label()])
                    })
                    .collect();
                if kinds.is_empty() {
                    continue;
                }
                any = true;
                let accent = colors.category(category);
                egui::CollapsingHeader::new(RichText::new(category.label()).strong())
                    .id_salt(("palette", category as u8))
                    .default_open(true)
                    .open(if self.search.trim().is_empty() { None } else { Some(true) })
                    .show(ui, |ui| {
                        for kind in kinds {
                            first.get_or_insert(PaletteItem::Component(kind));
                            let info = kind.info();
                            let text = format!("{}  {}", icons::glyph(info.icon), info.name);
                            let tooltip = format!("{}\n\nFor example: {}\n\nClick to add, or drag onto the canvas", info.description, info.examples);
                            if let Some(item) = item_button(ui, &text, info.name, &tooltip, accent, PaletteItem::Component(kind)) {
                                clicked = Some(item);
                            }
                        }
                    });
            }
            let annotations: Vec<(PaletteItem, String, &str, &str)> = GroupKind::ALL
                .iter()
                .map(|&g| (PaletteItem::Group(g), format!("{}  {}", icons::group_glyph(g), g.label()), g.label(), "A box drawn behind components; dragging its title moves what is inside"))
                .chain(std::iter::once((PaletteItem::Note, format!("{}  Sticky note", egui_phosphor::regular::NOTE), "Sticky note", "A note for trade-offs and assumptions")))
                .filter(|(_, _, name, hint)| matches(&self.search, &[name, hint, "group annotation"]))
                .collect();
            if !annotations.is_empty() {
                any = true;
                egui::CollapsingHeader::new(RichText::new("Groups and notes").strong())
                    .id_salt("palette-annotations")
                    .default_open(true)
                    .open(if self.search.trim().is_empty() { None } else { Some(true) })
                    .show(ui, |ui| {
                        for (item, label, name, hint) in annotations {
                            first.get_or_insert(item);
                            let tooltip = format!("{hint}\n\nClick to add, or drag onto the canvas");
                            if let Some(item) = item_button(ui, &label, name, &tooltip, ui.visuals().weak_text_color(), item) {
                                clicked = Some(item);
                            }
                        }
                    });
            }
            if !any {
                ui.weak("Nothing matches the search");
            }
        });
        if enter && !self.search.trim().is_empty() {
            clicked = clicked.or(first);
        }
        clicked
    }
}

/// One palette entry: a full-width button that adds on click and carries a
/// drag-and-drop payload when dragged.
/// Its accessible label is "Add NAME" (without the icon glyph).
fn item_button(
    ui: &mut Ui,
    text: &str,
    name: &str,
    tooltip: &str,
    accent: egui::Color32,
    item: PaletteItem,
) -> Option<PaletteItem> {
    let button = Button::new(RichText::new(text).color(ui.visuals().text_color()))
        .frame(false)
        .min_size(egui::vec2(ui.available_width(), 24.0))
        .sense(Sense::click_and_drag());
    let response = ui.add(button).on_hover_text(tooltip);
    crate::ui::label_for(&response, &format!("Add {name}"));
    if response.hovered() {
        let r = response.rect;
        ui.painter().rect_filled(
            egui::Rect::from_min_size(r.min, egui::vec2(3.0, r.height())),
            1.0,
            accent,
        );
    }
    if response.drag_started() {
        egui::DragAndDrop::set_payload(ui.ctx(), item);
    }
    if response.dragged() {
        // Show what is being carried next to the pointer.
        if let Some(p) = ui.ctx().pointer_latest_pos() {
            egui::Area::new(egui::Id::new("palette-drag-preview"))
                .fixed_pos(p + egui::vec2(12.0, 8.0))
                .order(egui::Order::Tooltip)
                .interactable(false)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| ui.label(text));
                });
        }
    }
    response.clicked().then_some(item)
}
