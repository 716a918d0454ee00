//! Canvas benchmark (issue 7, DESIGN.md §7): headless frames of the real
//! `ArchboardApp::ui_root` on generated designs of 100, 1,000 and 5,000
//! components, side by side with egui-snarl 0.12 drawing the same graphs in
//! the same harness. A frame is `Context::run_ui` + `Context::tessellate` at
//! 1280×800 and one pixel per point.
//!
//! Run: `cargo bench --bench canvas` (all sizes, both engines), or pass
//! `-- --sizes 100,1000 --engines ours --quick`. Each engine and size runs in
//! a child process of this binary, so the peak memory it reports (VmHWM) is
//! that engine's alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use archboard::app::Document;
use archboard::model::Diagram;
use archboard::ui::ArchboardApp;
use archboard::ui::canvas::camera::View;
use egui::emath::TSTransform;
use egui::{Event, Modifiers, PointerButton, Pos2, RawInput, Rect, Ui, pos2, vec2};
use egui_snarl::ui::{PinInfo, SnarlStyle, SnarlViewer, SnarlWidget};
use egui_snarl::{InPin, InPinId, NodeId, OutPin, OutPinId, Snarl};

const SCREEN: egui::Vec2 = vec2(1280.0, 800.0);
const SIZES: [usize; 3] = [100, 1_000, 5_000];
const CASES: [Case; 5] = [
    Case::Fitted,
    Case::Zoomed,
    Case::DragFitted,
    Case::DragZoomed,
    Case::Half,
];
/// Margin kept around the design when fitting, in screen points (as the app).
const FIT_MARGIN: f32 = 40.0;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    /// The whole design fitted to the canvas (at least 5% zoom).
    Fitted,
    /// 100% zoom on the top-left corner of the design.
    Zoomed,
    /// A card dragged in circles, fitted view.
    DragFitted,
    /// A card dragged in circles, 100% zoom.
    DragZoomed,
    /// 50% zoom on the corner: the most detail on screen (every card, text
    /// and wire caption is still drawn in full, on 4× the area of 100%).
    Half,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::Fitted => "fitted",
            Case::Zoomed => "zoomed 100%",
            Case::DragFitted => "drag, fitted",
            Case::DragZoomed => "drag, zoomed 100%",
            Case::Half => "zoomed 50%",
        }
    }

    fn zoomed(self) -> bool {
        matches!(self, Case::Zoomed | Case::DragZoomed)
    }

    fn drag(self) -> bool {
        matches!(self, Case::DragFitted | Case::DragZoomed)
    }
}

/// How long each case is measured.
#[derive(Clone, Copy)]
struct Budget {
    warmup_frames: usize,
    min_frames: usize,
    max_frames: usize,
    max_time: Duration,
}

/// One engine under test, driven frame by frame.
trait Engine {
    /// Draws one frame into `ui` (the whole window).
    fn ui(&mut self, ui: &mut Ui);
    /// Where the graph is shown on screen (known after the first frame).
    fn canvas_rect(&self) -> Rect;
    /// Shows the graph through `screen_from_canvas` from the next frame on.
    fn set_view(&mut self, screen_from_canvas: TSTransform);
    /// Screen point at which to grab the node made from component `index`.
    fn grab_point(&self, index: usize, screen_from_canvas: TSTransform) -> Pos2;
    /// Canvas position of the node made from component `index`.
    fn node_pos(&self, index: usize) -> Pos2;
}

// ---------------------------------------------------------------- ours

struct Ours {
    app: ArchboardApp,
}

impl Ours {
    fn new(diagram: Diagram, ctx: &egui::Context) -> Self {
        let app = ArchboardApp::new(Document::new(diagram));
        app.setup(ctx);
        Self { app }
    }
}

impl Engine for Ours {
    fn ui(&mut self, ui: &mut Ui) {
        self.app.ui_root(ui);
    }

    fn canvas_rect(&self) -> Rect {
        self.app.canvas.screen_rect
    }

    fn set_view(&mut self, screen_from_canvas: TSTransform) {
        self.app.canvas.view = View { screen_from_canvas };
    }

    fn grab_point(&self, index: usize, screen_from_canvas: TSTransform) -> Pos2 {
        let c = &self.app.session.diagram().components[index];
        // Middle of the card's lower half: away from ports and text.
        let p = c.position;
        screen_from_canvas * pos2(p.x + 100.0, p.y + 50.0)
    }

    fn node_pos(&self, index: usize) -> Pos2 {
        let p = self.app.session.diagram().components[index].position;
        pos2(p.x, p.y)
    }
}

// ---------------------------------------------------------------- peer

/// A snarl node: a title and two pins each way, like a card with ports.
struct PeerNode {
    title: String,
}

struct PeerViewer {
    /// Forced view, applied through `current_transform` every frame.
    view: Option<TSTransform>,
}

impl SnarlViewer<PeerNode> for PeerViewer {
    fn title(&mut self, node: &PeerNode) -> String {
        node.title.clone()
    }

    fn inputs(&mut self, _node: &PeerNode) -> usize {
        2
    }

    fn outputs(&mut self, _node: &PeerNode) -> usize {
        2
    }

    #[allow(refining_impl_trait)]
    fn show_input(&mut self, _pin: &InPin, ui: &mut Ui, _snarl: &mut Snarl<PeerNode>) -> PinInfo {
        ui.label("in");
        PinInfo::circle()
    }

    #[allow(refining_impl_trait)]
    fn show_output(&mut self, _pin: &OutPin, ui: &mut Ui, _snarl: &mut Snarl<PeerNode>) -> PinInfo {
        ui.label("out");
        PinInfo::circle()
    }

    fn current_transform(&mut self, to_global: &mut TSTransform, _snarl: &mut Snarl<PeerNode>) {
        if let Some(view) = self.view.take() {
            *to_global = view;
        }
    }
}

struct Peer {
    snarl: Snarl<PeerNode>,
    nodes: Vec<NodeId>,
    viewer: PeerViewer,
    /// The same screen area as our canvas (between the app's panels).
    area: Rect,
}

impl Peer {
    fn new(diagram: &Diagram, area: Rect) -> Self {
        let mut snarl = Snarl::new();
        let mut nodes = Vec::new();
        let mut index_of = std::collections::HashMap::new();
        for (i, c) in diagram.components.iter().enumerate() {
            let node = snarl.insert_node(
                pos2(c.position.x, c.position.y),
                PeerNode {
                    title: c.name.clone(),
                },
            );
            nodes.push(node);
            index_of.insert(c.id, i);
        }
        for (k, conn) in diagram.connections.iter().enumerate() {
            let (Some(&a), Some(&b)) = (index_of.get(&conn.from), index_of.get(&conn.to)) else {
                continue;
            };
            snarl.connect(
                OutPinId {
                    node: nodes[a],
                    output: k % 2,
                },
                InPinId {
                    node: nodes[b],
                    input: k % 2,
                },
            );
        }
        Self {
            snarl,
            nodes,
            viewer: PeerViewer { view: None },
            area,
        }
    }
}

impl Engine for Peer {
    fn ui(&mut self, ui: &mut Ui) {
        let style = SnarlStyle {
            min_scale: Some(0.01),
            max_scale: Some(4.0),
            ..SnarlStyle::new()
        };
        ui.scope_builder(egui::UiBuilder::new().max_rect(self.area), |ui| {
            SnarlWidget::new().id_salt("peer").style(style).show(
                &mut self.snarl,
                &mut self.viewer,
                ui,
            );
        });
    }

    fn canvas_rect(&self) -> Rect {
        self.area
    }

    fn set_view(&mut self, screen_from_canvas: TSTransform) {
        self.viewer.view = Some(screen_from_canvas);
    }

    fn grab_point(&self, index: usize, screen_from_canvas: TSTransform) -> Pos2 {
        let p = self.node_pos(index);
        // Just inside the node frame's top edge, left of centre: frame, not pin.
        screen_from_canvas * (p + vec2(30.0, 3.0))
    }

    fn node_pos(&self, index: usize) -> Pos2 {
        self.snarl
            .get_node_info(self.nodes[index])
            .map(|n| n.pos)
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------- harness

struct Driver {
    ctx: egui::Context,
    frame: u64,
    events: Vec<Event>,
    /// egui runs the UI twice in a frame when a pass asks for a discard.
    passes: usize,
}

impl Driver {
    fn new() -> Self {
        Self {
            ctx: egui::Context::default(),
            frame: 0,
            events: Vec::new(),
            passes: 0,
        }
    }

    /// One headless frame; returns its wall time.
    fn frame(&mut self, engine: &mut dyn Engine) -> Duration {
        self.frame += 1;
        let raw = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.frame as f64 / 60.0),
            predicted_dt: 1.0 / 60.0,
            events: std::mem::take(&mut self.events),
            ..RawInput::default()
        };
        let start = Instant::now();
        let mut output = self.ctx.run_ui(raw, |ui| engine.ui(ui));
        // No renderer: font atlas updates are dropped on purpose.
        output.textures_delta.clear();
        if std::env::var_os("CANVAS_BENCH_DEBUG").is_some() {
            eprintln!("shapes: {}", output.shapes.len());
        }
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        self.passes += output.platform_output.num_completed_passes;
        if std::env::var_os("CANVAS_BENCH_DEBUG").is_some()
            && !output.platform_output.request_discard_reasons.is_empty()
        {
            eprintln!(
                "discard: {:?}",
                output.platform_output.request_discard_reasons
            );
        }
        std::hint::black_box(primitives);
        elapsed
    }

    fn pointer_moved(&mut self, p: Pos2) {
        self.events.push(Event::PointerMoved(p));
    }

    fn button(&mut self, p: Pos2, pressed: bool) {
        self.events.push(Event::PointerButton {
            pos: p,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
}

/// The view that fits `bounds` into `screen` (as the app's fit).
fn fitted(bounds: archboard::model::Rect, screen: Rect) -> TSTransform {
    View::fitting(bounds, screen, FIT_MARGIN, 0.05, 1.0).screen_from_canvas
}

/// `zoom` with the design's top-left corner near the canvas's.
fn corner(bounds: archboard::model::Rect, screen: Rect, zoom: f32) -> TSTransform {
    let translation =
        screen.min.to_vec2() + vec2(FIT_MARGIN, FIT_MARGIN) - zoom * vec2(bounds.x, bounds.y);
    TSTransform::new(translation, zoom)
}

struct Stats {
    median_ms: f64,
    p10_ms: f64,
    p90_ms: f64,
    frames: usize,
    /// For drags: whether the dragged node really moved.
    moved: Option<bool>,
    /// egui passes per frame (2 when every frame is discarded and rerun).
    passes: f64,
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| {
        let i = ((samples.len() - 1) as f64 * q).round() as usize;
        samples[i].as_secs_f64() * 1e3
    };
    (at(0.5), at(0.1), at(0.9))
}

/// Index of a component near the middle of the design (fitted drags) or
/// near its top-left corner (zoomed drags).
fn drag_target(n: usize, case: Case) -> usize {
    let cols = common::columns(n);
    if case.zoomed() {
        (cols + 1).min(n - 1)
    } else {
        (n / 2 + cols / 2).min(n - 1)
    }
}

fn measure(
    mut driver: Driver,
    engine: &mut dyn Engine,
    diagram: &Diagram,
    case: Case,
    budget: Budget,
) -> Stats {
    // First frames lay out the panels and tell us where the canvas is.
    driver.frame(engine);
    driver.frame(engine);
    let screen = engine.canvas_rect();
    let bounds = diagram.bounds().unwrap();
    let view = if case == Case::Half {
        corner(bounds, screen, 0.5)
    } else if case.zoomed() {
        corner(bounds, screen, 1.0)
    } else {
        fitted(bounds, screen)
    };
    engine.set_view(view);
    driver.frame(engine);

    let target = drag_target(diagram.components.len(), case);
    let grab = engine.grab_point(target, view);
    let before = engine.node_pos(target);
    // Drags go round a circle of 60 points: the card moves every frame.
    let circle = |k: usize| {
        let a = k as f32 * 0.35;
        grab + vec2(60.0 * a.cos() - 60.0, 60.0 * a.sin())
    };
    if case.drag() {
        driver.pointer_moved(grab);
        driver.frame(engine);
        driver.button(grab, true);
        driver.frame(engine);
        driver.pointer_moved(grab + vec2(10.0, 0.0));
        driver.frame(engine);
    }
    let mut step = 0;
    let mut next_input = |driver: &mut Driver| {
        step += 1;
        if case.drag() {
            driver.pointer_moved(circle(step));
        }
    };
    for _ in 0..budget.warmup_frames {
        next_input(&mut driver);
        driver.frame(engine);
    }
    let mut samples = Vec::new();
    let passes_before = driver.passes;
    let started = Instant::now();
    while samples.len() < budget.max_frames
        && (samples.len() < budget.min_frames || started.elapsed() < budget.max_time)
    {
        next_input(&mut driver);
        samples.push(driver.frame(engine));
    }
    let passes = (driver.passes - passes_before) as f64 / samples.len() as f64;
    let moved = case.drag().then(|| {
        let end = circle(step) + vec2(17.0, 11.0);
        driver.pointer_moved(end);
        driver.frame(engine);
        driver.button(end, false);
        driver.frame(engine);
        driver.frame(engine);
        engine.node_pos(target) != before
    });
    let frames = samples.len();
    let (median_ms, p10_ms, p90_ms) = stats(samples);
    Stats {
        median_ms,
        p10_ms,
        p90_ms,
        frames,
        moved,
        passes,
    }
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs every case for one engine and size; prints `RESULT` lines.
fn child(engine_name: &str, n: usize, budget: Budget) {
    let diagram = common::generate(n);
    // Our canvas area decides the peer's area, so both show the same region.
    let area = {
        let mut driver = Driver::new();
        let mut ours = Ours::new(diagram.clone(), &driver.ctx);
        driver.frame(&mut ours);
        driver.frame(&mut ours);
        ours.canvas_rect()
    };
    // glibc malloc returns the top of the heap to the system whenever more
    // than 128 KiB is free there, so a frame that allocates and frees a few
    // MiB pays page faults every frame (measured: 2× slower frames) until
    // some chunk above the mmap threshold is freed, which raises both
    // thresholds for the rest of the process. A long-running app frees such
    // a chunk sooner or later (font atlas uploads, a big design); do it here
    // so every case starts in that steady state, for both engines alike.
    // (Zeroed, so the pages are never touched and VmHWM does not count them.)
    // CANVAS_BENCH_COLD_MALLOC=1 skips this, to see the cold-allocator cost.
    if std::env::var_os("CANVAS_BENCH_COLD_MALLOC").is_none() {
        drop(std::hint::black_box(vec![0u8; 8 << 20]));
    }
    let only = std::env::var("CANVAS_BENCH_CASE").ok();
    for case in CASES {
        if only.as_deref().is_some_and(|o| o != case.name()) {
            continue;
        }
        let driver = Driver::new();
        let mut engine: Box<dyn Engine> = match engine_name {
            "ours" => Box::new(Ours::new(diagram.clone(), &driver.ctx)),
            _ => Box::new(Peer::new(&diagram, area)),
        };
        let s = measure(driver, engine.as_mut(), &diagram, case, budget);
        println!(
            "RESULT\t{engine_name}\t{n}\t{}\t{:.3}\t{:.3}\t{:.3}\t{}\t{}\t{:.2}",
            case.name(),
            s.median_ms,
            s.p10_ms,
            s.p90_ms,
            s.frames,
            match s.moved {
                None => "-",
                Some(true) => "moved",
                Some(false) => "NOT-MOVED",
            },
            s.passes
        );
    }
    println!(
        "MEMORY\t{engine_name}\t{n}\t{}",
        peak_memory_kib().unwrap_or(0)
    );
}

/// What an edit costs the canvas besides the frame: rebuilding the card
/// index and the wire geometry for the new revision.
fn rebuild_bench() {
    use archboard::ui::canvas::geometry::{SpatialIndex, WireGeometry};
    use archboard::ui::canvas::paint::wire_caption;
    println!("\n| derived data rebuilt after an edit (5,000 components) | median ms | p10 | p90 |");
    println!("|---|---|---|---|");
    let diagram = common::generate(5_000);
    let mut index = SpatialIndex::default();
    let mut wires = WireGeometry::default();
    // Captions are measured with the app's fonts, as the canvas does.
    let ctx = egui::Context::default();
    archboard::ui::icons::install(&ctx);
    let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    let font = egui::FontId::proportional(12.0);
    let (mut cards, mut curves) = (Vec::new(), Vec::new());
    for _ in 1..=30 {
        let t = Instant::now();
        index.rebuild(&diagram);
        cards.push(t.elapsed());
        let t = Instant::now();
        ctx.fonts_mut(|fonts| {
            let mut measure = |text: &str| {
                fonts
                    .layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::WHITE)
                    .size()
            };
            wires.rebuild(&diagram, wire_caption, &mut measure);
        });
        curves.push(t.elapsed());
    }
    for (what, samples) in [
        ("card index (`SpatialIndex::rebuild`)", cards),
        (
            "wire geometry with caption placement (`WireGeometry::rebuild`)",
            curves,
        ),
    ] {
        let (m, p10, p90) = stats(samples);
        println!("| {what} | {m:.2} | {p10:.2} | {p90:.2} |");
    }
}

fn io_bench() {
    let diagram = common::generate(5_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.archboard.ron");
    let mut save = Vec::new();
    let mut load = Vec::new();
    let mut encode = Vec::new();
    let mut parse = Vec::new();
    let mut size = 0;
    for _ in 0..15 {
        let t = Instant::now();
        let text = archboard::io::to_ron_string(&diagram).unwrap();
        encode.push(t.elapsed());
        let t = Instant::now();
        let back = archboard::io::from_ron_str(&text).unwrap();
        parse.push(t.elapsed());
        assert_eq!(back, diagram);
        size = text.len();

        let t = Instant::now();
        archboard::io::save(&path, &diagram).unwrap();
        save.push(t.elapsed());
        let t = Instant::now();
        let loaded = archboard::io::load(&path).unwrap();
        load.push(t.elapsed());
        assert_eq!(loaded.components.len(), 5_000);
    }
    let show = |what: &str, samples: Vec<Duration>| {
        let (m, p10, p90) = stats(samples);
        println!("| {what} | {m:.1} | {p10:.1} | {p90:.1} |");
    };
    println!(
        "\nFile of 5,000 components and 10,000 connections: {:.1} MiB of RON\n",
        size as f64 / 1048576.0
    );
    println!("| operation | median ms | p10 | p90 |");
    println!("|---|---|---|---|");
    show("encode (`io::to_ron_string`)", encode);
    show("parse + check (`io::from_ron_str`)", parse);
    show("save to file (`io::save`)", save);
    show("load from file (`io::load`)", load);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let quick = args.iter().any(|a| a == "--quick");
    let budget = if quick {
        Budget {
            warmup_frames: 3,
            min_frames: 5,
            max_frames: 60,
            max_time: Duration::from_millis(700),
        }
    } else {
        Budget {
            warmup_frames: 10,
            min_frames: 15,
            max_frames: 400,
            max_time: Duration::from_secs(4),
        }
    };
    if let (Some(engine), Some(n)) = (value("--child"), value("--n")) {
        child(&engine, n.parse().unwrap(), budget);
        return;
    }
    if args.iter().any(|a| a == "--rebuild-only") {
        rebuild_bench();
        return;
    }
    let sizes: Vec<usize> = value("--sizes")
        .map(|s| s.split(',').map(|v| v.parse().unwrap()).collect())
        .unwrap_or(SIZES.to_vec());
    let engines: Vec<String> = value("--engines")
        .map(|s| s.split(',').map(str::to_owned).collect())
        .unwrap_or(vec!["ours".to_owned(), "snarl".to_owned()]);

    println!(
        "Canvas frames (Context::run_ui + tessellate, {}x{}, 1 px/pt). Load average at start: {}",
        SCREEN.x,
        SCREEN.y,
        load_average()
    );
    let exe = std::env::current_exe().unwrap();
    let mut results: Vec<Row> = Vec::new();
    let mut memory: Vec<(String, usize, u64)> = Vec::new();
    for &n in &sizes {
        for engine in &engines {
            let mut cmd = Command::new(&exe);
            cmd.args(["--child", engine, "--n", &n.to_string()]);
            if quick {
                cmd.arg("--quick");
            }
            let out = cmd.output().unwrap();
            if !out.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&out.stderr));
                panic!("child {engine} {n} failed");
            }
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let f: Vec<&str> = line.split('\t').collect();
                match f.first() {
                    Some(&"RESULT") => {
                        eprintln!("{}", f[1..].join("  "));
                        results.push((
                            f[1].to_owned(),
                            f[2].parse().unwrap(),
                            f[3].to_owned(),
                            f[4].parse().unwrap(),
                            f[5].parse().unwrap(),
                            f[6].parse().unwrap(),
                            f[7].parse().unwrap(),
                            f[8].to_owned(),
                        ));
                    }
                    Some(&"MEMORY") => memory.push((
                        f[1].to_owned(),
                        f[2].parse().unwrap(),
                        f[3].parse().unwrap(),
                    )),
                    _ => println!("{line}"),
                }
            }
        }
    }
    let find = |engine: &str, n: usize, case: &str| {
        results
            .iter()
            .find(|r| r.0 == engine && r.1 == n && r.2 == case)
    };
    println!(
        "\n| components / connections | case | ours median ms (p10–p90) | egui-snarl median ms (p10–p90) | snarl ÷ ours |"
    );
    println!("|---|---|---|---|---|");
    for &n in &sizes {
        for case in CASES {
            let ours = find("ours", n, case.name());
            let peer = find("snarl", n, case.name());
            let cell = |r: Option<&Row>| match r {
                Some(r) => format!(
                    "{:.3} ({:.3}–{:.3}){}",
                    r.3,
                    r.4,
                    r.5,
                    if r.7 == "NOT-MOVED" {
                        " (drag missed!)"
                    } else {
                        ""
                    }
                ),
                None => "-".to_owned(),
            };
            let ratio = match (ours, peer) {
                (Some(o), Some(p)) => format!("{:.0}×", p.3 / o.3),
                _ => "-".to_owned(),
            };
            println!(
                "| {n} / {} | {} | {} | {} | {ratio} |",
                2 * n,
                case.name(),
                cell(ours),
                cell(peer)
            );
        }
    }
    println!("\n| components | engine | peak memory of the process (VmHWM) |");
    println!("|---|---|---|");
    for (engine, n, kib) in &memory {
        println!("| {n} | {engine} | {:.1} MiB |", *kib as f64 / 1024.0);
    }
    rebuild_bench();
    if !args.iter().any(|a| a == "--no-io") {
        io_bench();
    }
    println!("\nLoad average at end: {}", load_average());
}

/// engine, components, case, median, p10, p90, frames, drag check.
type Row = (String, usize, String, f64, f64, f64, usize, String);

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
