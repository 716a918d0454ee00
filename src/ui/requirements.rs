//! The requirements panel: functional requirements as a short list, the
//! non-functional numbers as proper widgets, and the live back-of-the-envelope
//! estimates below them (formula on hover).
//!
//! [`requirements_ui`] edits a copy and hands it back when something changed,
//! so the app applies it as one undoable `Edit::SetRequirements` (merged per
//! field while typing or dragging, like the inspector).

use egui::{ComboBox, DragValue, RichText, TextEdit, Ui};

use crate::interview::estimates::{Estimates, plain};
use crate::model::{Choice, ConsistencyNeed, Requirements};
use crate::ui::label_for;

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

/// How one optional number is edited: 0 in the widget means "not stated".
struct NumberSpec {
    label: &'static str,
    help: &'static str,
    suffix: &'static str,
    max: f64,
    decimals: usize,
}

/// One grid row with a number. Returns the new value when it changed.
fn number_row(ui: &mut Ui, spec: &NumberSpec, value: Option<f64>) -> Option<Option<f64>> {
    ui.label(spec.label).on_hover_text(spec.help);
    let mut number = value.unwrap_or(0.0);
    let stated = number > 0.0;
    // Dragging moves about 1% of the value per point, so both 3 and
    // 30,000,000 are reachable without typing.
    let speed = (number.abs() * 0.01).max(if spec.decimals > 0 { 0.1 } else { 1.0 });
    let decimals = spec.decimals;
    let response = ui
        .add(
            DragValue::new(&mut number)
                .range(0.0..=spec.max)
                .speed(speed)
                .max_decimals(decimals)
                .suffix(if stated { spec.suffix } else { "" })
                .custom_formatter(move |n, _| {
                    if n == 0.0 {
                        "not stated".to_owned()
                    } else if decimals == 0 {
                        plain(n)
                    } else {
                        let text = format!("{n:.decimals$}");
                        text.trim_end_matches('0').trim_end_matches('.').to_owned()
                    }
                })
                .custom_parser(|text| {
                    let cleaned: String = text
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '.')
                        .collect();
                    if cleaned.is_empty() {
                        Some(0.0)
                    } else {
                        cleaned.parse().ok()
                    }
                }),
        )
        .on_hover_text(format!("{}. Leave at 0 when not stated", spec.help));
    label_for(&response, spec.label);
    ui.end_row();
    let new = (number > 0.0).then_some(number);
    (response.changed() && new != value).then_some(new)
}

fn non_functional_ui(ui: &mut Ui, req: &mut Requirements) {
    let spec = |label, help, suffix, max, decimals| NumberSpec {
        label,
        help,
        suffix,
        max,
        decimals,
    };
    // Values are converted with `as`, which saturates; the ranges keep them
    // far inside every target type anyway.
    if let Some(v) = number_row(
        ui,
        &spec(
            "Daily active users",
            "Distinct users on a typical day",
            " users",
            1e10,
            0,
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
            " per day",
            1e6,
            2,
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
            "×",
            1_000.0,
            1,
        ),
        req.peak_factor,
    ) {
        req.peak_factor = v;
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Read:write ratio",
            "Reads per write: 100 for a read-heavy redirect service, 1 for chat",
            " reads per write",
            1e6,
            1,
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
            " bytes",
            1e10,
            0,
        ),
        req.payload_bytes.map(|b| b as f64),
    ) {
        req.payload_bytes = v.map(|v| v.round() as u64);
    }
    if let Some(v) = number_row(
        ui,
        &spec("Retention", "How long data is kept", " days", 36_500.0, 0),
        req.retention_days.map(f64::from),
    ) {
        req.retention_days = v.map(|v| v.round() as u32);
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Latency target",
            "The response time most requests must beat (p99)",
            " ms",
            600_000.0,
            0,
        ),
        req.latency_target_ms.map(f64::from),
    ) {
        req.latency_target_ms = v.map(|v| v.round() as u32);
    }
    if let Some(v) = number_row(
        ui,
        &spec(
            "Availability target",
            "The share of time the system must be up, e.g. 99.95",
            "%",
            100.0,
            3,
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
            " regions",
            50.0,
            0,
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
        .width(140.0)
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
            .desired_width(140.0),
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
    use egui::accesskit::{self, Role};
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

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

    /// Sets a number the way assistive technology does.
    fn set_number(h: &mut Harness<'_, Requirements>, label: &str, value: f64) {
        let node = h.get_by_role_and_label(Role::SpinButton, label);
        let (target_node, target_tree) = node.accesskit_node().locate();
        h.event(egui::Event::AccessKitActionRequest(
            accesskit::ActionRequest {
                action: accesskit::Action::SetValue,
                target_node,
                target_tree,
                data: Some(accesskit::ActionData::NumericValue(value)),
            },
        ));
        h.run();
    }

    #[test]
    fn setting_users_and_requests_shows_the_average_rate() {
        let mut h = harness(Requirements::default());
        assert!(h.query_by_label("11.6 k req/s").is_none());
        set_number(&mut h, "Daily active users", 10_000_000.0);
        assert_eq!(h.state().daily_active_users, Some(10_000_000));
        assert!(
            h.query_by_label("11.6 k req/s").is_none(),
            "needs requests per user too"
        );
        set_number(&mut h, "Requests per user per day", 100.0);
        assert_eq!(h.state().requests_per_user_per_day, Some(100.0));
        h.get_by_label("11.6 k req/s");

        set_number(&mut h, "Peak factor", 3.0);
        h.get_by_label("34.7 k req/s");
        set_number(&mut h, "Availability target", 99.995);
        assert_eq!(h.state().availability_percent, Some(99.995));
        assert_eq!(
            h.get_by_role_and_label(Role::SpinButton, "Availability target")
                .value()
                .as_deref(),
            Some("99.995%")
        );
        set_number(&mut h, "Daily active users", 0.0);
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
            h.get_by_role_and_label(Role::SpinButton, label);
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
