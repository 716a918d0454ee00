//! The inspector: the selected item's fields as proper widgets, or the
//! design's title and summary when nothing is selected. It reads the
//! session and returns commands, so every change is undoable; typing and
//! dragging a number merge into one undo step per field.

use egui::{ComboBox, DragValue, RichText, TextEdit, Ui};

use crate::app::{Command, Session};
use crate::catalog::Category;
use crate::interview::quantity::Quantity;
use crate::model::{
    Choice, Component, Connection, ConnectionKind, Group, GroupKind, Id, Item, Note, PropKey,
    PropValue, Retry,
};
use crate::ui::quantity::QuantityField;
use crate::ui::{PanelOutput, icons};

/// The inspector for the session's selection; returns what the user changed
/// and the item to reveal when a link was clicked.
pub fn inspector_ui(ui: &mut Ui, session: &Session) -> PanelOutput {
    let mut out = PanelOutput::default();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(4.0);
            let selection: Vec<Id> = session.selection().iter().copied().collect();
            let d = session.diagram();
            match selection.as_slice() {
                [] => design_ui(ui, d, &mut out),
                [id] => match d.item(*id).map(crate::model::ItemRef::to_owned) {
                    Some(Item::Component(c)) => component_ui(ui, d, c, &mut out),
                    Some(Item::Connection(c)) => connection_ui(ui, d, c, &mut out),
                    Some(Item::Group(g)) => group_ui(ui, g, &mut out),
                    Some(Item::Note(n)) => note_ui(ui, n, &mut out),
                    None => {}
                },
                many => {
                    ui.heading(format!("{} items selected", many.len()));
                    ui.add_space(6.0);
                    shared_properties_ui(ui, d, many, &mut out);
                    for &id in many.iter().take(30) {
                        // The default font has no arrow glyph; the icon font does.
                        if let Some(name) = d
                            .item_name(id)
                            .map(|n| n.replace('→', egui_phosphor::regular::ARROW_RIGHT))
                            && ui.link(name).clicked()
                        {
                            out.reveal = Some(id);
                        }
                    }
                    if many.len() > 30 {
                        ui.weak(format!("and {} more", many.len() - 30));
                    }
                    ui.add_space(8.0);
                    ui.weak("Drag any of them to move them together; Delete removes them all");
                }
            }
        });
    out
}

/// The properties every selected card has, edited for all of them at once
/// (one undo step per change); a property whose values differ shows as
/// mixed until it is set.
fn shared_properties_ui(
    ui: &mut Ui,
    d: &crate::model::Diagram,
    selection: &[Id],
    out: &mut PanelOutput,
) {
    let cards: Vec<&Component> = selection.iter().filter_map(|&id| d.component(id)).collect();
    let [first, rest @ ..] = cards.as_slice() else {
        return;
    };
    if rest.is_empty() {
        return;
    }
    let keys: Vec<PropKey> = first
        .kind
        .property_keys()
        .into_iter()
        .filter(|&key| rest.iter().all(|c| c.properties.value(key).is_some()))
        .collect();
    if keys.is_empty() {
        return;
    }
    section(ui, &format!("Shared by {} cards", cards.len()));
    let ids: Vec<Id> = cards.iter().map(|c| c.id).collect();
    form_grid("shared-props").striped(true).show(ui, |ui| {
        for key in keys {
            let values: Vec<PropValue> = cards
                .iter()
                .filter_map(|c| c.properties.value(key))
                .collect();
            let common = values
                .first()
                .filter(|v| values.iter().all(|w| w == *v))
                .cloned();
            ui.label(key.label()).on_hover_text(key.help());
            let new = match (&common, values.first()) {
                (Some(value), _) => property_widget(ui, key, value.clone()),
                (None, Some(PropValue::Bool(_))) => {
                    // Mixed: a click sets it on for all.
                    let mut on = false;
                    let r = ui.add(egui::Checkbox::new(&mut on, "").indeterminate(true));
                    crate::ui::label_for(&r, &format!("{} (mixed)", key.label()));
                    r.changed().then_some(PropValue::Bool(true))
                }
                (None, Some(sample)) => {
                    ui.horizontal(|ui| {
                        ui.weak("Mixed");
                        let set = ui.small_button("Set all").on_hover_text(
                            "Give every selected card the first card's value, then edit it",
                        );
                        crate::ui::label_for(&set, &format!("Set all {}", key.label()));
                        set.clicked().then(|| sample.clone())
                    })
                    .inner
                }
                (None, None) => None,
            };
            if let Some(value) = new {
                out.send(Command::SetPropertyOfMany {
                    ids: ids.clone(),
                    key,
                    value,
                });
            }
            ui.end_row();
        }
    });
}

/// The two-column label/widget grid every inspector form uses.
fn form_grid(id: impl std::hash::Hash + std::fmt::Debug) -> egui::Grid {
    egui::Grid::new(id).num_columns(2).spacing([12.0, 6.0])
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong());
    ui.separator();
}

fn design_ui(ui: &mut Ui, d: &crate::model::Diagram, out: &mut PanelOutput) {
    ui.heading("Design");
    ui.add_space(6.0);
    let mut title = d.title.clone();
    ui.label("Title");
    if ui
        .add(TextEdit::singleline(&mut title).desired_width(f32::INFINITY))
        .changed()
    {
        out.send(Command::SetTitle(title));
    }
    section(ui, "Summary");
    egui::Grid::new("design-summary")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.label("Components");
            ui.label(d.components.len().to_string());
            ui.end_row();
            ui.label("Connections");
            ui.label(d.connections.len().to_string());
            ui.end_row();
            ui.label("Groups");
            ui.label(d.groups.len().to_string());
            ui.end_row();
            ui.label("Notes");
            ui.label(d.notes.len().to_string());
            ui.end_row();
        });
    section(ui, "By category");
    egui::Grid::new("design-categories")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for category in Category::ALL {
                let count = d
                    .components
                    .iter()
                    .filter(|c| c.kind.category() == category)
                    .count();
                if count > 0 {
                    ui.label(category.label());
                    ui.label(count.to_string());
                    ui.end_row();
                }
            }
        });
    ui.add_space(12.0);
    ui.weak("Select an item to edit it. Add components from the palette on the left");
}

fn component_ui(ui: &mut Ui, d: &crate::model::Diagram, c: Component, out: &mut PanelOutput) {
    let info = c.kind.info();
    ui.horizontal(|ui| {
        ui.label(RichText::new(icons::glyph(info.icon)).size(22.0));
        ui.heading(info.name);
    });
    ui.weak(info.description);
    ui.add_space(6.0);
    ui.label("Name");
    let mut name = c.name.clone();
    let response = ui.add(TextEdit::singleline(&mut name).desired_width(f32::INFINITY));
    crate::ui::label_for(&response, "Name");
    if response.changed() {
        out.send(Command::Rename {
            id: c.id,
            text: name,
        });
    }

    let keys = c.kind.property_keys();
    if !keys.is_empty() {
        section(ui, "Properties");
        form_grid(("props", c.id.0)).striped(true).show(ui, |ui| {
            for key in keys {
                let Some(value) = c.properties.value(key) else {
                    continue;
                };
                ui.label(key.label()).on_hover_text(key.help());
                if let Some(value) = property_widget(ui, key, value) {
                    out.send(Command::SetProperty {
                        id: c.id,
                        key,
                        value,
                    });
                }
                ui.end_row();
            }
        });
    }

    let links: Vec<(Id, String)> = d
        .connections_of(c.id)
        .map(|conn| {
            let (arrow, other) = if conn.from == c.id {
                (egui_phosphor::regular::ARROW_RIGHT, conn.to)
            } else {
                (egui_phosphor::regular::ARROW_LEFT, conn.from)
            };
            let other = d.component(other).map_or("?", |o| o.name.as_str());
            (
                conn.id,
                format!("{arrow} {other}  ({})", conn.kind.label().to_lowercase()),
            )
        })
        .collect();
    if !links.is_empty() {
        section(ui, "Connections");
        for (id, text) in links {
            if ui.link(text).clicked() {
                out.reveal = Some(id);
            }
        }
    }
}

/// The widget for one property; returns the new value when it changed.
/// Each widget carries the property's label for assistive technology.
fn property_widget(ui: &mut Ui, key: PropKey, value: PropValue) -> Option<PropValue> {
    let label = key.label();
    let (response, new) = match value {
        PropValue::Bool(mut v) => {
            let r = ui.checkbox(&mut v, "");
            (r.clone(), r.changed().then_some(PropValue::Bool(v)))
        }
        PropValue::Count(mut v) => match duration_kind(key) {
            Some((kind, max)) => {
                // Durations are typed with their unit ("10 min", "30d").
                let field = QuantityField {
                    label,
                    kind,
                    range: 0.0..=max,
                    hint: "0",
                    width: 110.0,
                };
                let new = field.ui(ui, Some(f64::from(v)));
                return new.map(|n| PropValue::Count(n.map_or(0, |n| n.round() as u32)));
            }
            None => {
                let min = if key == PropKey::Instances { 1 } else { 0 };
                let r = ui.add(DragValue::new(&mut v).range(min..=1000).speed(0.2));
                (r.clone(), r.changed().then_some(PropValue::Count(v)))
            }
        },
        PropValue::Text(mut v) => {
            let hint = match key {
                PropKey::PartitionKey => "e.g. tenantId",
                PropKey::Sla => "e.g. 99.9%",
                _ => "",
            };
            let r = ui.add(
                TextEdit::singleline(&mut v)
                    .hint_text(hint)
                    .desired_width(140.0),
            );
            (r.clone(), r.changed().then_some(PropValue::Text(v)))
        }
        PropValue::Backplane(v) => choice(ui, key, v, PropValue::Backplane),
        PropValue::CachePattern(v) => choice(ui, key, v, PropValue::CachePattern),
        PropValue::Invalidation(v) => choice(ui, key, v, PropValue::Invalidation),
        PropValue::Eviction(v) => choice(ui, key, v, PropValue::Eviction),
        PropValue::Consistency(v) => choice(ui, key, v, PropValue::Consistency),
        PropValue::Redundancy(v) => choice(ui, key, v, PropValue::Redundancy),
    };
    crate::ui::label_for(&response.on_hover_text(key.help()), label);
    new
}

/// The unit a duration property is typed in, and its largest value.
fn duration_kind(key: PropKey) -> Option<(Quantity, f64)> {
    match key {
        PropKey::TtlSeconds => Some((Quantity::Seconds, 31_536_000.0)),
        PropKey::RetentionDays => Some((Quantity::Days, 3_650.0)),
        PropKey::TokenLifetimeMinutes => Some((Quantity::Minutes, 10_080.0)),
        _ => None,
    }
}

/// A combo box over every option of a [`Choice`].
fn choice<T: Choice>(
    ui: &mut Ui,
    key: PropKey,
    current: T,
    wrap: fn(T) -> PropValue,
) -> (egui::Response, Option<PropValue>) {
    let mut selected = current;
    let inner = ComboBox::from_id_salt(("prop", key))
        .selected_text(current.label())
        .width(150.0)
        .show_ui(ui, |ui| {
            for &option in T::ALL {
                ui.selectable_value(&mut selected, option, option.label());
            }
        });
    let changed = selected != current;
    (inner.response, changed.then(|| wrap(selected)))
}

/// A combo box for the plain enums of connections and groups.
fn enum_combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    id: &str,
    label: &str,
    value: &mut T,
    all: &[T],
    name: fn(T) -> &'static str,
) -> bool {
    let before = *value;
    let inner = ComboBox::from_id_salt(id)
        .selected_text(name(*value))
        .width(190.0)
        .show_ui(ui, |ui| {
            for &option in all {
                ui.selectable_value(value, option, name(option));
            }
        });
    crate::ui::label_for(&inner.response, label);
    *value != before
}

fn connection_ui(
    ui: &mut Ui,
    d: &crate::model::Diagram,
    original: Connection,
    out: &mut PanelOutput,
) {
    let name = |id: Id| {
        d.component(id)
            .map_or_else(|| "?".to_owned(), |c| c.name.clone())
    };
    let (from, to) = (name(original.from), name(original.to));
    ui.heading("Connection");
    ui.horizontal_wrapped(|ui| {
        if ui.link(&from).clicked() {
            out.reveal = Some(original.from);
        }
        ui.label(egui_phosphor::regular::ARROW_RIGHT);
        if ui.link(&to).clicked() {
            out.reveal = Some(original.to);
        }
    });
    ui.add_space(6.0);
    let mut conn = original.clone();
    form_grid(("conn", conn.id.0)).show(ui, |ui| {
        ui.label("Kind");
        enum_combo(
            ui,
            "conn-kind",
            "Kind",
            &mut conn.kind,
            &ConnectionKind::ALL,
            ConnectionKind::label,
        );
        ui.end_row();
        ui.label("Label");
        let r = ui.add(
            TextEdit::singleline(&mut conn.label)
                .hint_text("e.g. POST /orders")
                .desired_width(190.0),
        );
        crate::ui::label_for(&r, "Label");
        ui.end_row();
        ui.label("Idempotent")
            .on_hover_text("Repeating the call has no extra effect, so it is safe to retry");
        let r = ui.checkbox(&mut conn.idempotent, "");
        crate::ui::label_for(&r, "Idempotent");
        ui.end_row();
    });

    section(ui, "Resilience policy (caller side)");
    if !conn.kind.is_synchronous() {
        ui.weak("Asynchronous: the caller does not wait, so the broker and consumer settings matter more");
        ui.add_space(4.0);
    }
    form_grid(("policy", conn.id.0)).show(ui, |ui| {
        let policy = &mut conn.policy;
        ui.label("Timeout").on_hover_text(
            "Without a timeout a slow dependency holds the caller's threads forever",
        );
        ui.horizontal(|ui| {
            let mut has_timeout = policy.timeout_ms.is_some();
            let r = ui.checkbox(&mut has_timeout, "");
            crate::ui::label_for(&r, "Timeout");
            if r.changed() {
                policy.timeout_ms = has_timeout.then_some(2000);
            }
            if let Some(ms) = policy.timeout_ms {
                let field = QuantityField {
                    label: "Timeout in milliseconds",
                    kind: Quantity::Milliseconds,
                    range: 1.0..=600_000.0,
                    hint: "e.g. 2s",
                    width: 90.0,
                };
                if let Some(Some(new)) = field.ui(ui, Some(f64::from(ms))) {
                    policy.timeout_ms = Some(new.round() as u32);
                }
            }
        });
        ui.end_row();
        ui.label("Retry");
        enum_combo(
            ui,
            "policy-retry",
            "Retry",
            &mut policy.retry,
            &Retry::ALL,
            Retry::label,
        );
        ui.end_row();
        if policy.retry != Retry::None {
            ui.label("Max retries");
            let r = ui.add(DragValue::new(&mut policy.max_retries).range(0..=20));
            crate::ui::label_for(&r, "Max retries");
            ui.end_row();
        }
        for (label, help, value) in [
            (
                "Circuit breaker",
                "Stops calling a failing dependency for a while so it can recover",
                &mut policy.circuit_breaker,
            ),
            (
                "Fallback",
                "Answers with cached or default data when the call fails",
                &mut policy.fallback,
            ),
            (
                "Bulkhead",
                "Gives this call its own limited pool so it cannot starve the others",
                &mut policy.bulkhead,
            ),
        ] {
            ui.label(label).on_hover_text(help);
            let r = ui.checkbox(value, "");
            crate::ui::label_for(&r, label);
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    if ui
        .button(format!(
            "{}  Reverse direction",
            egui_phosphor::regular::ARROWS_LEFT_RIGHT
        ))
        .clicked()
    {
        std::mem::swap(&mut conn.from, &mut conn.to);
    }
    if conn != original {
        out.send(Command::Update(Item::Connection(conn)));
    }
}

fn group_ui(ui: &mut Ui, original: Group, out: &mut PanelOutput) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(icons::group_glyph(original.kind)).size(22.0));
        ui.heading("Group");
    });
    ui.add_space(6.0);
    let mut group = original.clone();
    form_grid(("group", group.id.0)).show(ui, |ui| {
        ui.label("Kind");
        enum_combo(
            ui,
            "group-kind",
            "Kind",
            &mut group.kind,
            &GroupKind::ALL,
            GroupKind::label,
        );
        ui.end_row();
        ui.label("Label");
        let r = ui.add(TextEdit::singleline(&mut group.label).desired_width(190.0));
        crate::ui::label_for(&r, "Label");
        ui.end_row();
        ui.label("Size");
        ui.label(format!("{:.0} × {:.0}", group.rect.w, group.rect.h));
        ui.end_row();
    });
    ui.add_space(8.0);
    ui.weak("Drag the title bar to move the group with everything inside it; drag the corner handle to resize");
    if group != original {
        out.send(Command::Update(Item::Group(group)));
    }
}

fn note_ui(ui: &mut Ui, original: Note, out: &mut PanelOutput) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(egui_phosphor::regular::NOTE).size(22.0));
        ui.heading("Sticky note");
    });
    ui.add_space(6.0);
    let mut note = original.clone();
    let r = ui.add(
        TextEdit::multiline(&mut note.text)
            .desired_rows(6)
            .desired_width(f32::INFINITY),
    );
    crate::ui::label_for(&r, "Note text");
    if note != original {
        out.send(Command::Update(Item::Note(note)));
    }
}
