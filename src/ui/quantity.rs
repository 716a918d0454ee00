//! A number field that takes numbers the way people say them ("10M",
//! "2.5k", "200ms", "99.95%"), says what it understood ("10 million") and
//! refuses nonsense with a visible message instead of truncating it.
//! Parsing is `interview::quantity`'s.

use std::ops::RangeInclusive;

use egui::{RichText, TextEdit, Ui};

use crate::interview::quantity::{self, Quantity};
use crate::ui::label_for;

/// One number field.
pub struct QuantityField<'a> {
    /// Accessible name (the grid's visible label is beside the field).
    pub label: &'a str,
    pub kind: Quantity,
    /// The values the field accepts.
    pub range: RangeInclusive<f64>,
    /// Shown while the field is empty.
    pub hint: &'a str,
    pub width: f32,
}

impl QuantityField<'_> {
    /// Draws the field for `value` (`None`: not stated). Returns the new
    /// value when the user typed a different valid one; an invalid text stays
    /// in the field with its message under it, and the value is unchanged.
    pub fn ui(&self, ui: &mut Ui, value: Option<f64>) -> Option<Option<f64>> {
        let id = ui.make_persistent_id(("quantity", self.label));
        let shown = |v: f64| quantity::editable(v, self.kind);
        let mut text = ui
            .data(|d| d.get_temp::<String>(id))
            .unwrap_or_else(|| value.map(shown).unwrap_or_default());
        let mut changed = None;
        ui.vertical(|ui| {
            let response = ui.add(
                TextEdit::singleline(&mut text)
                    .hint_text(self.hint)
                    .desired_width(self.width),
            );
            label_for(&response, self.label);
            let parsed = quantity::parse(&text, self.kind)
                .map_err(|err| err.to_string())
                .and_then(|v| self.check_range(v));
            match &parsed {
                Ok(Some(v)) if shown(*v) != text.trim() => {
                    ui.label(
                        RichText::new(quantity::describe(*v, self.kind))
                            .weak()
                            .small(),
                    );
                }
                Ok(_) => {}
                Err(message) => {
                    let message = RichText::new(message)
                        .small()
                        .color(ui.visuals().error_fg_color);
                    ui.add(egui::Label::new(message).wrap());
                }
            }
            if response.changed()
                && let Ok(new) = parsed
                && new != value
            {
                changed = Some(new);
            }
            // Keep what is typed while editing, and a rejected text until it
            // is fixed; otherwise show the stored value in words.
            if response.has_focus() || parsed.is_err() {
                ui.data_mut(|d| d.insert_temp(id, text.clone()));
            } else {
                ui.data_mut(|d| d.remove_temp::<String>(id));
            }
        });
        changed
    }

    fn check_range(&self, value: Option<f64>) -> Result<Option<f64>, String> {
        match value {
            Some(v) if !self.range.contains(&v) => {
                let (lo, hi) = (*self.range.start(), *self.range.end());
                Err(format!(
                    "Must be between {} and {}",
                    quantity::describe(lo, self.kind),
                    quantity::describe(hi, self.kind)
                ))
            }
            other => Ok(other),
        }
    }
}
