//! Recorded interview sessions in the Interview tab: the list (date,
//! duration, score), the session being recorded (end it, add a comment),
//! the scorecard window and the progress charts. Each part reads the
//! session and returns what it wants done.

use egui::{Color32, RichText, Ui};
use egui_plot::{Line, Plot, PlotPoints, Points};

use super::{label_for, theme};
use crate::app::{Command, Session, SessionCommand};
use crate::interview::progress::Progress;
use crate::interview::timer::format_clock;
use crate::interview::{Dimension, Scorecard, format_utc};

/// What the sessions list keeps between frames.
#[derive(Debug, Default)]
pub struct SessionsPanel {
    pub comment: String,
    pub curveball: bool,
}

/// What the list asks the app to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionsRequest {
    /// Replay session `number` from `offset_ms`.
    Replay {
        number: usize,
        offset_ms: u64,
    },
    Scorecard(usize),
    Progress,
}

#[derive(Debug, Default)]
pub struct SessionsOutput {
    pub commands: Vec<Command>,
    pub request: Option<SessionsRequest>,
}

/// The sessions section of the Interview tab.
pub fn sessions_ui(ui: &mut Ui, session: &Session, panel: &mut SessionsPanel) -> SessionsOutput {
    let mut out = SessionsOutput::default();
    if let Some(error) = session.sessions_error() {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    let summaries = session.session_summaries();
    if summaries.is_empty() {
        ui.weak("Start the timer or rate a probe to record an interview session. Each one is kept with the design, replayed and scored");
    }
    // Three narrow columns (when and score share one, on two lines) so a
    // row fits the side panel's default width.
    egui::Grid::new("sessions-list")
        .num_columns(3)
        .striped(true)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for s in &summaries {
                ui.label(format!("{}.", s.number));
                let when = format_utc(s.started_at_ms);
                let when = when.strip_suffix(" UTC").unwrap_or(&when).to_owned();
                let duration = format_clock(s.duration_ms as f64 / 1000.0);
                let score = match (s.recording, s.score) {
                    (true, _) => "recording".to_owned(),
                    (false, Some(score)) => format!("{score:.0}/100"),
                    (false, None) => "not ended".to_owned(),
                };
                ui.vertical(|ui| {
                    ui.label(when).on_hover_text("Started (UTC)");
                    ui.label(format!("{duration} · {score}"));
                });
                ui.horizontal(|ui| {
                    let replay = ui
                        .small_button(egui_phosphor::regular::PLAY_CIRCLE)
                        .on_hover_text("Replay");
                    label_for(&replay, &format!("Replay session {}", s.number));
                    if replay.clicked() {
                        out.request = Some(SessionsRequest::Replay {
                            number: s.number,
                            offset_ms: 0,
                        });
                    }
                    let card = ui
                        .small_button(egui_phosphor::regular::LIST_CHECKS)
                        .on_hover_text("Scorecard");
                    label_for(&card, &format!("Scorecard of session {}", s.number));
                    if card.clicked() {
                        out.request = Some(SessionsRequest::Scorecard(s.number));
                    }
                });
                ui.end_row();
            }
        });
    if let Some(recording) = session.recording() {
        ui.add_space(4.0);
        let elapsed =
            format_clock(session.now().0.saturating_sub(recording.started_at_ms) as f64 / 1000.0);
        ui.label(
            RichText::new(format!(
                "{}  Recording · {elapsed}",
                egui_phosphor::regular::RECORD
            ))
            .color(ui.visuals().error_fg_color),
        );
        // The comment takes the panel's width; its options go under it.
        let field = ui.add(
            egui::TextEdit::singleline(&mut panel.comment)
                .hint_text("Interviewer comment")
                .desired_width(ui.available_width()),
        );
        label_for(&field, "Interviewer comment");
        ui.horizontal(|ui| {
            ui.checkbox(&mut panel.curveball, "Curveball");
            let add = ui.add_enabled(!panel.comment.trim().is_empty(), egui::Button::new("Add"));
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (add.clicked() || entered) && !panel.comment.trim().is_empty() {
                out.commands.push(Command::Session(SessionCommand::Comment {
                    text: std::mem::take(&mut panel.comment).trim().to_owned(),
                    curveball: std::mem::take(&mut panel.curveball),
                }));
            }
        });
        if ui
            .button(format!("{}  End session", egui_phosphor::regular::STOP))
            .on_hover_text("Score and keep this session; the clock and probe notes start afresh")
            .clicked()
        {
            out.commands.push(Command::Session(SessionCommand::End));
        }
    }
    if summaries.iter().filter(|s| !s.recording).count() >= 1 {
        ui.add_space(4.0);
        if ui
            .button(format!("{}  Progress", egui_phosphor::regular::CHART_LINE))
            .on_hover_text("Each dimension's score over the sessions")
            .clicked()
        {
            out.request = Some(SessionsRequest::Progress);
        }
    }
    out
}

/// The scorecard window of one session.
#[derive(Debug)]
pub struct ScorecardWindow {
    pub number: usize,
    pub card: Scorecard,
}

/// Draws the scorecard; a click on a criterion's time asks to replay the
/// session from that moment.
pub fn scorecard_window_ui(
    ctx: &egui::Context,
    open: &mut Option<ScorecardWindow>,
) -> Option<SessionsRequest> {
    let window = open.as_ref()?;
    let mut keep_open = true;
    let mut request = None;
    let number = window.number;
    egui::Window::new(format!("Scorecard of session {number}"))
        .id(egui::Id::new("scorecard-window"))
        .open(&mut keep_open)
        .default_width(520.0)
        .default_height(560.0)
        .show(ctx, |ui| {
            let card = &window.card;
            ui.heading(format!("{} of 100", card.total_text()));
            egui::ScrollArea::vertical().show(ui, |ui| {
                for d in &card.dimensions {
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(d.dimension.label()).strong());
                        ui.weak(format!("{:.1} of {}", d.points, d.weight));
                    });
                    ui.add(egui::ProgressBar::new(d.fraction() as f32).desired_height(6.0));
                    for c in &d.criteria {
                        ui.horizontal_wrapped(|ui| {
                            let (icon, word) = if c.met {
                                (egui_phosphor::regular::CHECK_CIRCLE, "Met")
                            } else {
                                (egui_phosphor::regular::X_CIRCLE, "Missed")
                            };
                            ui.colored_label(
                                theme::criterion_color(c.met, ui.visuals()),
                                format!("{icon} {word}"),
                            );
                            let at = format_clock(c.offset_ms as f64 / 1000.0);
                            let link = ui.link(at.clone()).on_hover_text("Replay from this moment");
                            label_for(&link, &format!("Replay {} at {at}", c.id));
                            if link.clicked() {
                                request = Some(SessionsRequest::Replay {
                                    number,
                                    offset_ms: c.offset_ms,
                                });
                            }
                            ui.label(&c.title);
                            ui.weak(&c.evidence);
                        });
                    }
                    if !d.open_rules.is_empty() {
                        ui.weak(format!("Still open: {}", d.open_rules.join(", ")));
                    }
                }
            });
        });
    if !keep_open {
        *open = None;
    }
    request
}

/// A line colour per dimension.
fn dimension_color(d: Dimension, dark: bool) -> Color32 {
    let rgb = match d {
        Dimension::RequirementsAndScope => (59, 130, 246),
        Dimension::Estimation => (20, 184, 166),
        Dimension::HighLevelDesign => (139, 92, 246),
        Dimension::DeepDives => (234, 88, 12),
        Dimension::TradeOffsAndFailure => (220, 38, 38),
        Dimension::CommunicationAndTime => (34, 160, 94),
    };
    let c = Color32::from_rgb(rgb.0, rgb.1, rgb.2);
    if dark { c } else { c.gamma_multiply(0.85) }
}

/// The progress window: a chart per dimension (percent of its weight over
/// the sessions), and the weakest dimension named with its frequent rules.
pub fn progress_window_ui(ctx: &egui::Context, open: &mut bool, progress: &Progress) {
    egui::Window::new("Progress across sessions")
        .id(egui::Id::new("progress-window"))
        .open(open)
        .default_width(760.0)
        .show(ctx, |ui| {
            if let Some(summary) = progress.summary() {
                ui.label(RichText::new(summary).strong());
            }
            ui.add_space(4.0);
            let dark = ui.visuals().dark_mode;
            let width = (ui.available_width() - 12.0) / 2.0;
            egui::Grid::new("progress-charts")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    for (i, d) in Dimension::ALL.into_iter().enumerate() {
                        ui.vertical(|ui| {
                            let latest = progress
                                .points
                                .last()
                                .and_then(|p| p.percent.iter().find(|(x, _)| *x == d))
                                .map_or(0.0, |(_, v)| *v);
                            let title = ui.label(
                                RichText::new(format!(
                                    "{} ({}) · latest {latest:.0}%",
                                    d.label(),
                                    d.weight()
                                ))
                                .strong(),
                            );
                            label_for(&title, &format!("Progress of {}", d.label()));
                            let points: Vec<[f64; 2]> = progress
                                .points
                                .iter()
                                .filter_map(|p| {
                                    let (_, v) = p.percent.iter().find(|(x, _)| *x == d)?;
                                    Some([p.number as f64, *v])
                                })
                                .collect();
                            let color = dimension_color(d, dark);
                            Plot::new(("progress", i))
                                .width(width)
                                .height(theme::PROGRESS_CHART_HEIGHT)
                                .include_y(0.0)
                                .include_y(100.0)
                                .include_x(0.5)
                                .include_x(progress.points.len() as f64 + 0.5)
                                .allow_drag(false)
                                .allow_zoom(false)
                                .allow_scroll(false)
                                .x_axis_formatter(|mark, _| {
                                    if mark.value.fract() == 0.0 && mark.value >= 1.0 {
                                        format!("#{}", mark.value)
                                    } else {
                                        String::new()
                                    }
                                })
                                .y_axis_formatter(|mark, _| format!("{}%", mark.value))
                                .show(ui, |plot| {
                                    plot.line(
                                        Line::new(d.label(), PlotPoints::new(points.clone()))
                                            .color(color)
                                            .width(2.0),
                                    );
                                    plot.points(
                                        Points::new("", PlotPoints::new(points))
                                            .color(color)
                                            .radius(3.5),
                                    );
                                });
                        });
                        if i % 2 == 1 {
                            ui.end_row();
                        }
                    }
                });
            ui.weak(
                "Each chart shows the share of the dimension's weight earned, session by session",
            );
        });
}
