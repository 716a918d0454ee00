//! Replay scrubbing benchmark (issue 16): a 60-minute recorded session with
//! 2,000 recorded changes (adds, connects, renames, deletes, moves), scrubbed in the real app. Each measured frame moves the
//! replay to a new moment (what a drag on the timeline does) and then runs a
//! whole headless frame of `ArchboardApp::ui_root` with the replay open:
//! `Context::run_ui` + `Context::tessellate` at 1280×800. Budget: 16 ms.
//!
//! Two ways of scrubbing: a sweep (a drag across the timeline, a small step
//! per frame, there and back) and jumps (clicks anywhere, in a fixed
//! pseudo-random order). The seek alone (rebuilding the design at the
//! moment) is reported too.
//!
//! Run: `cargo bench --bench replay`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Only the random generator is used here.
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use archboard::app::{
    Command, Document, ManualClock, Session, SessionCommand, TimerCommand, Timestamp,
};
use archboard::catalog::ComponentKind;
use archboard::model::{Id, Point};
use archboard::ui::ArchboardApp;
use archboard::ui::replay::ReplayState;
use common::Lcg;
use egui::{Pos2, RawInput, Rect, vec2};

const COMMANDS: usize = 2_000;
const MINUTES: u64 = 60;
const FRAMES: usize = 400;

/// Plays a 60-minute interview of `COMMANDS` design commands on the chat
/// reference design and ends it; returns the session.
fn recorded_session() -> Session {
    let start = 1_773_478_800_000;
    let clock = ManualClock::at(Timestamp(start));
    let design = archboard::templates::find("realtime-chat-reference")
        .unwrap()
        .diagram()
        .unwrap();
    let mut s = Session::new(Document::new(design)).with_clock(Arc::new(clock.clone()));
    s.execute(Command::Timer(TimerCommand::Start)).unwrap();
    let kinds = [
        ComponentKind::Service,
        ComponentKind::Queue,
        ComponentKind::Cache,
        ComponentKind::Worker,
        ComponentKind::DocumentDb,
    ];
    let step_ms = MINUTES * 60_000 / COMMANDS as u64;
    let mut rng = Lcg(7);
    let changes = |s: &Session| s.recording().map_or(0, |r| r.change_count());
    let mut tries = 0;
    let mut phases = 0;
    while changes(&s) < COMMANDS && tries < COMMANDS * 3 {
        tries += 1;
        let applied = changes(&s);
        clock.set(Timestamp(start + (applied as u64 + 1) * step_ms));
        // The next phase every fifth of the session.
        let phase = applied * 5 / COMMANDS;
        while phases < phase {
            s.execute(Command::Timer(TimerCommand::Next)).unwrap();
            phases += 1;
        }
        let ids: Vec<Id> = s.diagram().components.iter().map(|c| c.id).collect();
        let pick = |rng: &mut Lcg| ids[rng.below(ids.len())];
        let command = match rng.below(20) {
            0..=1 => Command::AddComponent {
                kind: kinds[rng.below(kinds.len())],
                near: Point::new(rng.below(3000) as f32, rng.below(2000) as f32),
            },
            2 => Command::Connect {
                from: pick(&mut rng),
                to: pick(&mut rng),
            },
            3..=5 => Command::Rename {
                id: pick(&mut rng),
                text: format!("Component {}", rng.below(10_000)),
            },
            6 => Command::Delete(vec![pick(&mut rng)]),
            _ => Command::MoveBy {
                ids: vec![pick(&mut rng)],
                dx: rng.below(200) as f32 - 100.0,
                dy: rng.below(200) as f32 - 100.0,
            },
        };
        if s.execute(command).is_ok() {
            s.execute(Command::EndGesture).unwrap();
        }
    }
    s.execute(Command::Session(SessionCommand::End)).unwrap();
    s
}

fn frame(ctx: &egui::Context, app: &mut ArchboardApp, n: usize) {
    let raw = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1280.0, 800.0))),
        time: Some(n as f64 / 60.0),
        predicted_dt: 1.0 / 60.0,
        ..RawInput::default()
    };
    let mut output = ctx.run_ui(raw, |ui| app.ui_root(ui));
    output.textures_delta.clear();
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} median {:>6.2} ms   p95 {:>6.2} ms   max {:>6.2} ms   ({} frames)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        times.len()
    );
}

fn main() {
    let built = Instant::now();
    let session = recorded_session();
    let recorded = session.recorded_session(1).unwrap();
    let duration = recorded.duration_ms();
    println!(
        "Recorded session: {} changes over {}:{:02}, {} events, final design {} components; built in {:.1} s",
        recorded.change_count(),
        duration / 60_000,
        duration / 1000 % 60,
        recorded.events.len(),
        session.diagram().components.len(),
        built.elapsed().as_secs_f64()
    );
    let file = archboard::interview::SessionFile::new(vec![recorded.clone()]);
    let text = archboard::io::sessions::to_ron_string(&file).unwrap();
    println!(
        "Its sessions file: {:.1} MiB",
        text.len() as f64 / 1048576.0
    );
    let opened = Instant::now();
    let view = session.replay(1).unwrap().unwrap();
    println!(
        "Opening the replay (checking every change, checkpoints): {:.2} ms",
        opened.elapsed().as_secs_f64() * 1000.0
    );

    let mut app = ArchboardApp::with_session(session);
    app.replay = Some(ReplayState::new(view));
    let ctx = egui::Context::default();
    app.setup(&ctx);
    for n in 0..10 {
        frame(&ctx, &mut app, n);
    }

    let mut rng = Lcg(11);
    let sweep: Vec<u64> = (0..FRAMES)
        .map(|i| {
            let half = FRAMES / 2;
            let k = if i < half { i } else { FRAMES - 1 - i };
            duration * k as u64 / half as u64
        })
        .collect();
    let jumps: Vec<u64> = (0..FRAMES).map(|_| rng.next() % duration.max(1)).collect();
    for (name, moments) in [
        ("sweep (drag across the timeline)", &sweep),
        ("jumps (clicks anywhere)", &jumps),
    ] {
        let mut frames = Vec::with_capacity(moments.len());
        let mut seeks = Vec::with_capacity(moments.len());
        for (n, &at) in moments.iter().enumerate() {
            let start = Instant::now();
            let state = app.replay.as_mut().unwrap();
            state.seek(at, Timestamp(0));
            let sought = start.elapsed();
            frame(&ctx, &mut app, 10 + n);
            frames.push(start.elapsed());
            seeks.push(sought);
        }
        summary(&format!("frame, {name}"), frames);
        summary(&format!("seek only, {name}"), seeks);
    }
}
