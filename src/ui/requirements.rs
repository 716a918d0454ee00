//! The requirements panel: functional requirements as a short list, the
//! non-functional numbers as proper widgets, and the live back-of-the-envelope
//! estimates below them (formula on hover).
//!
//! [`requirements_ui`] edits a copy and hands it back when something changed,
//! so the app sends it as one `Command::SetRequirements` (merged into one undo
//! step per field while typing, like the inspector). Numbers are typed the
//! way people say them ("10M", "200ms", "99.95%"); see `ui::quantity`.

use egui::{ComboBox, RichText, TextEdit, Ui};

use crate::interview::estimates::Estimates;
use crate::interview::quantity::Quantity;
use crate::model::{Choice, ConsistencyNeed, Requirements};
use crate::ui::label_for;
use crate::ui::quantity::QuantityField;

/// Draws the requirements and their estimates. Returns the edited copy when
/// anything changed this frame.
pub fn requirements_ui(ui: &mut Ui, requirements: &Requirements) -> Option<Requirements> {
    let mut req = requirements.clone();
    functional_ui(ui, &mut req.functional);
    section(ui, "Scale and quality");
    egui::Grid::new("requirements-numbers")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .striped(true)
        .show(ui, |ui| non_functional_ui(ui, &mut req));
    section(ui, "Estimates");
    estimates_ui(ui, &Estimates::from_requirements(&req));
    (req != *requirements).then_some(req)
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).strong());
    ui.separator();
}

fn functional_ui(ui: &mut Ui, functional: &mut Vec<String>) {
    ui.label(RichText::new("Functional requirements").strong());
    ui.separator();
    let mut remove = None;
    for (index, line) in functional.iter_mut().enumerate() {
        let number = index + 1;
        ui.horizontal(|ui| {
            let remove_button = ui
                .small_button(egui_phosphor::regular::X)
                .on_hover_text("Remove this requirement");
            label_for(&remove_button, &format!("Remove requirement {number}"));
            if remove_button.clicked() {
                remove = Some(index);
            }
            let field = ui.add(
                TextEdit::singleline(line)
                    .hint_text("What a user can do")
                    .desired_width(f32::INFINITY),
            );
            label_for(&field, &format!("Requirement {number}"));
        });
    }
    if let Some(index) = remove
        && index < functional.len()
    {
        functional.remove(index);
    }
    let add = ui
        .button(format!(
            "{}  Add a requirement",
            egui_phosphor::regular::PLUS
        ))
        .on_hover_text(
            "Functional requirements say what users can do, e.g. \"users shorten a URL\"",
        );
    label_for(&add, "Add a requirement");
    if add.clicked() {
        functional.push(String::new());
    }
}

/// How one optional number is edited.
struct NumberSpec {
    label: &'static str,
    help: &'static str,
    kind: Quantity,
    max: f64,
    hint: &'static str,
}

/// One grid row with a number. Returns the new value when it changed.
fn number_row(ui: &mut Ui, spec: &NumberSpec, value: Option<f64>) -> Option<Option<f64>> {
    ui.label(spec.label).on_hover_text(spec.help);
    let field = QuantityField {
        label: spec.label,
        kind: spec.kind,
        range: 0.0..=spec.max,
        hint: spec.hint,
        // What the label column leaves, so a narrow panel is not widened.
        width: ui.available_width().clamp(64.0, 120.0),
    };
    let changed = field.ui(ui, value);
    ui.end_row();
    // Zero means "not stated" for every one of these numbers.
    changed.map(|new| new.filter(|v| *v > 0.0))
}

fn non_functional_ui(ui: &mut Ui, req: &mut Requirements) {
    let spec = |label, help, kind, max, hint| NumberSpec {
        label,
        help,
        kind,
        max,
        hint,
    };
    // Values are converted with `as`, which saturates; the ranges keep them
    // far inside every target type anyway.
    if let Some(v) = number_row(
        ui,
        &spec(
            "Daily active users",
            "Distinct users on a typical day",
            Quantity::Count,
            1e10,
            "e.g. 10M",
        ),
        req.daily_active_users.map(|u| u as f64),
    ) {
        req.daily_active_users = v.map(|v| v.round() as u64);
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Requests per user per day",
            "How many requests one active user makes on a typical day",
            Quantity::Count,
            1e6,
            "e.g. 20",
        ),
        req.requests_per_user_per_day,
    ) {
        req.requests_per_user_per_day = v;
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Peak factor",
            "How many times the average the busiest hour brings",
            Quantity::Count,
            1_000.0,
            "e.g. 3",
        ),
        req.peak_factor,
    ) {
        req.peak_factor = v;
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Read:write ratio",
            "Reads per write: 100:1 for a read-heavy redirect service, 1:1 for chat",
            Quantity::Ratio,
            1e6,
            "e.g. 100:1",
        ),
        req.read_write_ratio,
    ) {
        req.read_write_ratio = v;
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Payload size",
            "Bytes stored and sent per write or read",
            Quantity::Bytes,
            1e10,
            "e.g. 2KB",
        ),
        req.payload_bytes.map(|b| b as f64),
    ) {
        req.payload_bytes = v.map(|v| v.round() as u64);
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Retention",
            "How long data is kept",
            Quantity::Days,
            36_500.0,
            "e.g. 5 years",
        ),
        req.retention_days.map(f64::from),
    ) {
        req.retention_days = v.map(|v| v.round() as u32);
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Latency target",
            "The response time most requests must beat (p99)",
            Quantity::Milliseconds,
            600_000.0,
            "e.g. 200ms",
        ),
        req.latency_target_ms.map(f64::from),
    ) {
        req.latency_target_ms = v.map(|v| v.round() as u32);
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Availability target",
            "The share of time the system must be up, e.g. 99.95%",
            Quantity::Percent,
            100.0,
            "e.g. 99.95%",
        ),
        req.availability_percent,
    ) {
        req.availability_percent = v;
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Regions",
            "How many cloud regions serve users",
            Quantity::Count,
            50.0,
            "e.g. 2",
        ),
        req.regions.map(f64::from),
    ) {
        req.regions = v.map(|v| v.round() as u32);
    }

    ui.label("Consistency").on_hover_text(
        "How fresh reads must be: money and stock need strong, feeds can be eventual",
    );
    let mut need = req.consistency;
    let combo = ComboBox::from_id_salt("requirements-consistency")
        .selected_text(need.label())
        .width(ui.available_width().clamp(80.0, 140.0))
        .show_ui(ui, |ui| {
            for &option in ConsistencyNeed::ALL {
                ui.selectable_value(&mut need, option, option.label());
            }
        });
    label_for(&combo.response, "Consistency");
    req.consistency = need;
    ui.end_row();

    ui.label("Compliance")
        .on_hover_text("Rules the data must follow: GDPR, PCI DSS, data residency…");
    let field = ui.add(
        TextEdit::singleline(&mut req.compliance)
            .hint_text("e.g. GDPR, EU data stays in the EU")
            .desired_width(ui.available_width().clamp(80.0, 140.0)),
    );
    label_for(&field, "Compliance");
    ui.end_row();
}

fn estimates_ui(ui: &mut Ui, estimates: &Estimates) {
    if estimates.is_empty() {
        ui.weak("Fill in daily active users and requests per user to see the numbers");
        return;
    }
    egui::Grid::new("requirements-estimates")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (kind, estimate) in estimates.rows() {
                ui.label(kind.label());
                match estimate {
                    Some(e) => {
                        ui.label(RichText::new(e.display()).monospace().strong())
                            .on_hover_text(&e.formula);
                    }
                    None => {
                        ui.weak("—").on_hover_text(kind.needs());
                    }
                }
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.weak("Hover a number to see how it was worked out");
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    fn harness(req: Requirements) -> Harness<'static, Requirements> {
        Harness::new_ui_state(
            |ui, req: &mut Requirements| {
                if let Some(edited) = requirements_ui(ui, req) {
                    *req = edited;
                }
            },
            req,
        )
    }

    /// Types a number into a field, replacing what it held.
    fn set_number(h: &mut Harness<'_, Requirements>, label: &str, text: &str) {
        h.get_by_role_and_label(Role::TextInput, label).focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
        h.run();
    }

    #[test]
    fn setting_users_and_requests_shows_the_average_rate() {
        let mut h = harness(Requirements::default());
        assert!(h.query_by_label("11.6 k req/s").is_none());
        set_number(&mut h, "Daily active users", "10M");
        assert_eq!(h.state().daily_active_users, Some(10_000_000));
        assert!(
            h.query_by_label("11.6 k req/s").is_none(),
            "needs requests per user too"
        );
        set_number(&mut h, "Requests per user per day", "100");
        assert_eq!(h.state().requests_per_user_per_day, Some(100.0));
        h.get_by_label("11.6 k req/s");

        set_number(&mut h, "Peak factor", "3");
        h.get_by_label("34.7 k req/s");
        set_number(&mut h, "Availability target", "99.995%");
        assert_eq!(h.state().availability_percent, Some(99.995));
        set_number(&mut h, "Read:write ratio", "10:1");
        assert_eq!(h.state().read_write_ratio, Some(10.0));
        set_number(&mut h, "Payload size", "2KB");
        assert_eq!(h.state().payload_bytes, Some(2_000));
        set_number(&mut h, "Latency target", "0.2s");
        assert_eq!(h.state().latency_target_ms, Some(200));
        set_number(&mut h, "Retention", "7 years");
        assert_eq!(h.state().retention_days, Some(2_555));
        set_number(&mut h, "Daily active users", "0");
        assert_eq!(h.state().daily_active_users, None, "0 means not stated");
        assert!(h.query_by_label("11.6 k req/s").is_none());
    }

    #[test]
    fn functional_requirements_are_added_typed_and_removed() {
        let mut h = harness(Requirements::default());
        h.get_by_label("Add a requirement").click();
        h.run();
        assert_eq!(h.state().functional, vec![String::new()]);
        h.get_by_label("Requirement 1").focus();
        h.run();
        h.get_by_label("Requirement 1")
            .type_text("Users shorten a URL");
        h.run();
        assert_eq!(h.state().functional, vec!["Users shorten a URL".to_owned()]);
        h.get_by_label("Remove requirement 1").click();
        h.run();
        assert!(h.state().functional.is_empty());
    }

    #[test]
    fn every_input_has_an_accessible_name() {
        let h = harness(Requirements {
            functional: vec!["Users chat".to_owned()],
            ..Requirements::default()
        });
        for label in [
            "Daily active users",
            "Requests per user per day",
            "Peak factor",
            "Read:write ratio",
            "Payload size",
            "Retention",
            "Latency target",
            "Availability target",
            "Regions",
        ] {
            h.get_by_role_and_label(Role::TextInput, label);
        }
        h.get_by_role_and_label(Role::ComboBox, "Consistency");
        h.get_by_role_and_label(Role::TextInput, "Compliance");
        h.get_by_role_and_label(Role::TextInput, "Requirement 1");
    }

    #[test]
    fn nothing_changed_returns_nothing() {
        let mut h = Harness::new_ui_state(
            |ui, changes: &mut usize| {
                let req = Requirements {
                    daily_active_users: Some(1_000),
                    ..Requirements::default()
                };
                if requirements_ui(ui, &req).is_some() {
                    *changes += 1;
                }
            },
            0,
        );
        h.run();
        assert_eq!(*h.state(), 0);
    }
}
