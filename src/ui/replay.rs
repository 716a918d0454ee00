//! Replaying a recorded interview: a read-only canvas of the design at the
//! chosen moment and, under it, the scrubber: the session's timeline with
//! its phases, a tick per design change, play and pause at 1×, 4× and 16×,
//! and "Restore this version".
//!
//! The replay is view state of the window (an `app::ReplayView`, which
//! holds its own session of the replayed design); the open design changes
//! only when "Restore this version" sends its command.

use egui::{Align2, FontId, Sense, Stroke, Ui, pos2, vec2};

use super::canvas::Canvas;
use super::{label_for, theme};
use crate::app::{Command, ReplayView, Timestamp};
use crate::interview::timer::format_clock;

/// Playback speeds.
pub const SPEEDS: [u32; 3] = [1, 4, 16];

/// A replay on screen.
#[derive(Debug)]
pub struct ReplayState {
    pub view: ReplayView,
    pub canvas: Canvas,
    /// Playing since this clock time, from this offset; `None`: paused.
    playing: Option<(Timestamp, u64)>,
    pub speed: u32,
}

/// What the scrubber asks of the app.
#[derive(Debug, Default)]
pub struct ScrubberOutput {
    /// "Restore this version" was pressed: the command to send.
    pub restore: Option<Command>,
    pub close: bool,
}

impl ReplayState {
    pub fn new(view: ReplayView) -> Self {
        let mut canvas = Canvas::new();
        canvas.read_only = true;
        Self {
            view,
            canvas,
            playing: None,
            speed: 1,
        }
    }

    pub fn is_playing(&self) -> bool {
        self.playing.is_some()
    }

    /// Shows the moment `offset_ms`; playing goes on from there.
    pub fn seek(&mut self, offset_ms: u64, now: Timestamp) {
        self.view.seek(offset_ms);
        if self.playing.is_some() {
            self.playing = Some((now, self.view.offset_ms()));
        }
    }

    pub fn play(&mut self, now: Timestamp) {
        if self.view.offset_ms() >= self.view.duration_ms() {
            self.view.seek(0);
        }
        self.playing = Some((now, self.view.offset_ms()));
    }

    pub fn pause(&mut self) {
        self.playing = None;
    }

    pub fn set_speed(&mut self, speed: u32, now: Timestamp) {
        self.speed = speed;
        if self.playing.is_some() {
            self.playing = Some((now, self.view.offset_ms()));
        }
    }

    /// Moves the playhead while playing; stops at the end.
    pub fn advance(&mut self, now: Timestamp) {
        let Some((since, from)) = self.playing else {
            return;
        };
        let played = now
            .0
            .saturating_sub(since.0)
            .saturating_mul(u64::from(self.speed));
        let offset = from.saturating_add(played);
        self.view.seek(offset);
        if offset >= self.view.duration_ms() {
            self.playing = None;
        }
    }

    /// The moment of the change before (or after) the one shown.
    fn step(&self, forward: bool) -> Option<u64> {
        let now = self.view.offset_ms();
        let mut offsets = self.view.change_offsets();
        if forward {
            offsets.find(|&at| at > now)
        } else {
            offsets.filter(|&at| at < now).last()
        }
    }
}

/// The bar under the replay canvas. `now` is the session clock's time.
pub fn scrubber_ui(ui: &mut Ui, state: &mut ReplayState, now: Timestamp) -> ScrubberOutput {
    let mut out = ScrubberOutput::default();
    state.advance(now);
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let view = &state.view;
        ui.label(egui::RichText::new(format!("Replay of session {}", view.number())).strong());
        ui.separator();
        let (shown, total) = view.changes_shown();
        let phase = view.phase().map_or_else(
            || "before the clock started".to_owned(),
            |p| p.label().to_lowercase(),
        );
        ui.label(format!(
            "{} of {} · {phase} · {shown} of {total} changes",
            format_clock(view.offset_ms() as f64 / 1000.0),
            format_clock(view.duration_ms() as f64 / 1000.0),
        ));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let close = ui.button(format!("{}  Close replay", egui_phosphor::regular::X));
            label_for(&close, "Close replay");
            if close.clicked() {
                out.close = true;
            }
            let restore = ui
                .button(format!(
                    "{}  Restore this version",
                    egui_phosphor::regular::ARROW_U_UP_LEFT
                ))
                .on_hover_text(
                    "Make the open design what it was at this moment (one undoable step)",
                );
            label_for(&restore, "Restore this version");
            if restore.clicked() {
                out.restore = Some(state.view.restore_command());
            }
        });
    });
    ui.horizontal(|ui| {
        let back = ui
            .small_button(egui_phosphor::regular::SKIP_BACK)
            .on_hover_text("Previous change");
        label_for(&back, "Previous change");
        if back.clicked()
            && let Some(at) = state.step(false)
        {
            state.seek(at, now);
        }
        let (icon, name) = if state.is_playing() {
            (egui_phosphor::regular::PAUSE, "Pause replay")
        } else {
            (egui_phosphor::regular::PLAY, "Play replay")
        };
        let play = ui.button(icon).on_hover_text(name);
        label_for(&play, name);
        if play.clicked() {
            if state.is_playing() {
                state.pause();
            } else {
                state.play(now);
            }
        }
        let next = ui
            .small_button(egui_phosphor::regular::SKIP_FORWARD)
            .on_hover_text("Next change");
        label_for(&next, "Next change");
        if next.clicked()
            && let Some(at) = state.step(true)
        {
            state.seek(at, now);
        }
        for speed in SPEEDS {
            let r = ui.selectable_label(state.speed == speed, format!("{speed}×"));
            label_for(&r, &format!("Replay speed {speed}×"));
            if r.clicked() {
                state.set_speed(speed, now);
            }
        }
        timeline_ui(ui, state, now);
    });
    ui.add_space(4.0);
    if state.is_playing() {
        ui.ctx().request_repaint();
    }
    out
}

/// The timeline: phase bands, a tick per change, the playhead. Click or
/// drag to move through the session.
fn timeline_ui(ui: &mut Ui, state: &mut ReplayState, now: Timestamp) {
    // A little room on the right, where the panel clips.
    let size = vec2(
        (ui.available_width() - 8.0).max(80.0),
        theme::SCRUBBER_HEIGHT,
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    let view = &state.view;
    let duration = view.duration_ms().max(1);
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::WidgetType::Slider, true, "Replay position");
        info.value = Some(view.offset_ms() as f64 / 1000.0);
        info
    });
    let x_of = |offset: u64| rect.left() + rect.width() * (offset as f32 / duration as f32);
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
    let marks = view.phase_marks();
    let band = egui::Rect::from_min_max(
        pos2(rect.left(), rect.top() + 2.0),
        pos2(rect.right(), rect.top() + 16.0),
    );
    for (i, mark) in marks.iter().enumerate() {
        let end = marks.get(i + 1).map_or(duration, |m| m.offset_ms);
        let r = egui::Rect::from_min_max(
            pos2(x_of(mark.offset_ms), band.top()),
            pos2(x_of(end), band.bottom()),
        );
        painter.rect_filled(r, 2.0, theme::phase_color(mark.phase, visuals.dark_mode));
        let font = FontId::proportional(10.0);
        let full = mark.phase.label();
        let short = full.split(' ').next().unwrap_or(full);
        let fits = |text: &str| r.width() > 8.0 + 5.5 * text.chars().count() as f32;
        let name = if fits(full) {
            Some(full)
        } else {
            Some(short).filter(|s| fits(s))
        };
        if let Some(name) = name {
            painter.text(
                r.left_center() + vec2(4.0, 0.0),
                Align2::LEFT_CENTER,
                name,
                font,
                visuals.strong_text_color(),
            );
        }
        painter.line_segment(
            [pos2(r.left(), rect.top()), pos2(r.left(), rect.bottom())],
            Stroke::new(1.0, visuals.strong_text_color()),
        );
    }
    let tick_color = visuals.weak_text_color();
    for at in view.change_offsets() {
        let x = x_of(at);
        painter.line_segment(
            [pos2(x, rect.bottom() - 14.0), pos2(x, rect.bottom() - 3.0)],
            Stroke::new(1.0, tick_color),
        );
    }
    for (at, _, curveball) in view.recorded().comments() {
        let color = if curveball {
            visuals.warn_fg_color
        } else {
            visuals.hyperlink_color
        };
        painter.circle_filled(pos2(x_of(at), rect.bottom() - 9.0), 3.5, color);
    }
    let x = x_of(view.offset_ms());
    painter.line_segment(
        [pos2(x, rect.top()), pos2(x, rect.bottom())],
        Stroke::new(2.5, visuals.selection.stroke.color),
    );
    if (response.clicked() || response.dragged())
        && let Some(p) = response.interact_pointer_pos()
    {
        let fraction = ((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0);
        let offset = (f64::from(fraction) * duration as f64).round() as u64;
        state.seek(offset, now);
    }
}
