//! The app must be idle when nothing changes (DESIGN.md §7): after the UI
//! settles, a frame without input asks egui for no repaint at all. These
//! tests play the event loop by hand on a raw `egui::Context`: a frame is
//! run only when the previous one asked for a repaint (or input arrived),
//! and the frames are counted.

use std::time::Duration;

use archboard::app::Document;
use archboard::app::example::example_design;
use archboard::ui::ArchboardApp;
use egui::{Event, Modifiers, PointerButton, Pos2, RawInput, Rect, ViewportId, vec2};

/// A window's worth of app, driven frame by frame.
struct Loop {
    ctx: egui::Context,
    app: ArchboardApp,
    time: f64,
    frames: usize,
}

impl Loop {
    fn new() -> Self {
        let ctx = egui::Context::default();
        let app = ArchboardApp::new(Document::new(example_design()));
        app.setup(&ctx);
        Self {
            ctx,
            app,
            time: 0.0,
            frames: 0,
        }
    }

    /// Runs one frame with `events`; returns the repaint delay it asked for.
    fn frame(&mut self, events: Vec<Event>) -> Duration {
        self.time += 1.0 / 60.0;
        self.frames += 1;
        let raw = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
            time: Some(self.time),
            events,
            ..RawInput::default()
        };
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(raw, |ui| app.ui_root(ui));
        // No renderer here: the font atlas updates are dropped on purpose.
        output.textures_delta.clear();
        output
            .viewport_output
            .get(&ViewportId::ROOT)
            .map_or(Duration::ZERO, |v| v.repaint_delay)
    }

    /// Runs frames for as long as the app asks for an immediate repaint,
    /// the way eframe's event loop would, and returns how many it took.
    /// Timed repaints (tooltips, animations) are waited for; a frame that
    /// asks for nothing ends the loop.
    fn settle(&mut self) -> usize {
        let mut frames = 0;
        let mut delay = self.frame(Vec::new());
        while delay != Duration::MAX {
            frames += 1;
            assert!(
                frames < 60,
                "the UI keeps repainting without input (last delay {delay:?})"
            );
            // Let any timed repaint come due.
            self.time += delay.as_secs_f64().min(1.0);
            delay = self.frame(Vec::new());
        }
        frames
    }

    /// Asserts that several frames without input request no repaint.
    fn assert_idle(&mut self) {
        for _ in 0..5 {
            assert_eq!(
                self.frame(Vec::new()),
                Duration::MAX,
                "a frame without input asked for a repaint"
            );
        }
    }

    fn center_of_first_card(&self) -> Pos2 {
        let c = &self.app.session.diagram().components[0];
        let view = self.app.canvas.view;
        view.to_screen(c.rect().center())
    }
}

#[test]
fn the_app_is_idle_after_start() {
    let mut app = Loop::new();
    // The palette's scroll bar fades in over about 0.2 s of 60 Hz frames.
    let frames = app.settle();
    assert!(frames <= 30, "took {frames} frames to settle");
    app.assert_idle();
}

#[test]
fn hovering_a_card_does_not_keep_repainting() {
    let mut app = Loop::new();
    app.settle();
    let p = app.center_of_first_card();
    app.frame(vec![Event::PointerMoved(p)]);
    app.settle();
    app.assert_idle();
    assert!(
        app.app.canvas.pointer.is_some(),
        "the pointer should be over the canvas"
    );
}

#[test]
fn the_app_is_idle_again_after_a_drag() {
    let mut app = Loop::new();
    app.settle();
    let from = app.center_of_first_card();
    let before = app.app.session.diagram().components[0].position;
    let button = |pos: Pos2, pressed: bool| Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    app.frame(vec![Event::PointerMoved(from)]);
    app.frame(vec![button(from, true)]);
    let mut at = from;
    for _ in 0..10 {
        at += vec2(12.0, 7.0);
        app.frame(vec![Event::PointerMoved(at)]);
    }
    app.frame(vec![button(at, false)]);
    let frames_before = app.frames;
    app.settle();
    app.assert_idle();
    assert_ne!(
        app.app.session.diagram().components[0].position,
        before,
        "the drag should have moved the card"
    );
    assert!(app.frames - frames_before < 20);
}
