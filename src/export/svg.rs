//! The one vector rendering of a design. It draws what the canvas draws at
//! 100% (cards, wires, captions, groups, notes and optionally finding
//! badges) in the same order and colours, with text as real `<text>` and
//! icons as outlines defined once and reused.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use base64::Engine as _;

use super::card::{self, metrics};
use super::escape::{num, one_line, push_num, push_xml};
use super::fonts::{self, TEXT_FAMILY, TEXT_WEIGHT};
use super::geometry::{Curve, distance};
use super::icons;
use super::style::{self, LineStyle, Palette, Rgba, Theme};
use crate::model::{Component, Connection, Diagram, Group, Id, Note, Point, Rect, Subject};
use crate::rules::Severity;

/// Which part of a design to draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Everything.
    #[default]
    All,
    /// These items, plus the wires between the components among them.
    Selection(Vec<Id>),
    /// What present mode shows at this step (0-based): everything revealed
    /// by steps 0..=N. A design without steps shows everything; a step past
    /// the last shows what the last one shows.
    Step(usize),
}

/// How to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct SvgOptions {
    pub scope: Scope,
    pub theme: Theme,
    /// Draw the checklist's open findings as badges on cards and wires.
    pub findings: bool,
    /// Put the text font into the file (`@font-face`), so a browser shows
    /// the same letters without the font installed. Makes the file about
    /// 480 KB bigger; renderers of ours (PNG, PDF) never need it.
    pub embed_font: bool,
    /// A heading drawn above the design (PDF pages show the step's title).
    pub heading: Option<String>,
    /// Empty space around the drawing, in canvas units.
    pub margin: f32,
    /// The far-zoom drawing of the canvas: cards as coloured blocks,
    /// straight wires, no text. [`super::png`] switches to it when a
    /// design is so large that the picture is drawn below
    /// [`style::LOD_SCALE`], where text could not be read anyway.
    pub simplified: bool,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            scope: Scope::All,
            theme: Theme::Light,
            findings: false,
            embed_font: false,
            heading: None,
            margin: 24.0,
            simplified: false,
        }
    }
}

/// The items present mode shows at `step` (everything revealed by steps
/// 0..=step), or `None` (show everything) when the design has no steps.
pub fn revealed(diagram: &Diagram, step: usize) -> Option<HashSet<Id>> {
    if diagram.steps.is_empty() {
        return None;
    }
    Some(
        diagram
            .steps
            .iter()
            .take(step.saturating_add(1))
            .flat_map(|s| s.revealed.iter().copied())
            .collect(),
    )
}

/// What is drawn: visible items, in id order.
pub(crate) struct Scene<'a> {
    pub components: Vec<&'a Component>,
    pub connections: Vec<(&'a Connection, Curve)>,
    pub groups: Vec<&'a Group>,
    pub notes: Vec<&'a Note>,
}

impl<'a> Scene<'a> {
    pub fn new(diagram: &'a Diagram, scope: &Scope) -> Self {
        let shown: Option<HashSet<Id>> = match scope {
            Scope::All => None,
            Scope::Selection(ids) => Some(ids.iter().copied().collect()),
            Scope::Step(step) => revealed(diagram, *step),
        };
        let shows = |id: Id| shown.as_ref().is_none_or(|s| s.contains(&id));
        let components: Vec<&Component> =
            diagram.components.iter().filter(|c| shows(c.id)).collect();
        let rects: HashMap<Id, Rect> = components.iter().map(|c| (c.id, c.rect())).collect();
        let wire_shown = |c: &Connection| match scope {
            // A selection brings the wires between its cards.
            Scope::Selection(_) => true,
            _ => shows(c.id),
        };
        let connections = diagram
            .connections
            .iter()
            .filter(|c| wire_shown(c))
            .filter_map(|c| {
                let (a, b) = (rects.get(&c.from)?, rects.get(&c.to)?);
                Some((c, Curve::between(*a, *b)))
            })
            .collect();
        Self {
            components,
            connections,
            groups: diagram.groups.iter().filter(|g| shows(g.id)).collect(),
            notes: diagram.notes.iter().filter(|n| shows(n.id)).collect(),
        }
    }
}

/// A finding badge: the worst open severity on an item and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Badge {
    severity: Severity,
    count: usize,
}

fn badges(diagram: &Diagram, findings: &[crate::rules::Finding]) -> HashMap<Id, Badge> {
    let review = crate::rules::review(diagram, findings);
    let mut out: HashMap<Id, Badge> = HashMap::new();
    for f in review.open {
        let id = match f.subject {
            Subject::Component(id) | Subject::Connection(id) => id,
            Subject::Design | Subject::Group(_) => continue,
        };
        out.entry(id)
            .and_modify(|b| {
                b.severity = b.severity.min(f.severity);
                b.count += 1;
            })
            .or_insert(Badge {
                severity: f.severity,
                count: 1,
            });
    }
    out
}

/// Height of the heading band above the drawing.
const HEADING_BAND: f32 = 44.0;

/// The captions of the wires in `scene` (none in the simplified drawing).
fn captions_of(scene: &Scene, options: &SvgOptions) -> Vec<Caption> {
    if options.simplified {
        return Vec::new();
    }
    scene
        .connections
        .iter()
        .filter_map(|(conn, curve)| Caption::of(conn, curve))
        .collect()
}

/// The drawing's frame (its `viewBox`) in canvas units: everything drawn,
/// the margin and the heading band.
fn frame_of(scene: &Scene, captions: &[Caption], options: &SvgOptions) -> Rect {
    let content = scene_bounds(scene, captions).unwrap_or(Rect::new(0.0, 0.0, 320.0, 120.0));
    let margin = options.margin.max(0.0);
    let heading = options.heading.as_deref().map(one_line);
    let heading_h = if heading.is_some() { HEADING_BAND } else { 0.0 };
    let mut frame = Rect::new(
        content.x - margin,
        content.y - margin - heading_h,
        content.w + 2.0 * margin,
        content.h + 2.0 * margin + heading_h,
    );
    if let Some(h) = &heading {
        let wanted = fonts::text_width(h, style::HEADING_SIZE) + 2.0 * margin;
        frame.w = frame.w.max(wanted);
    }
    // Whole units, so a PNG at a whole scale has no half-covered edge.
    let (x, y) = (frame.x.floor(), frame.y.floor());
    Rect::new(
        x,
        y,
        (frame.x + frame.w - x).ceil(),
        (frame.y + frame.h - y).ceil(),
    )
}

/// The size of the SVG [`svg`] would write, in canvas units (1 unit is a
/// pixel at scale 1).
pub fn frame(diagram: &Diagram, options: &SvgOptions) -> Rect {
    let scene = Scene::new(diagram, &options.scope);
    frame_of(&scene, &captions_of(&scene, options), options)
}

/// The SVG document of `diagram` as `options` ask: the pieces of
/// [`super::drawing::drawing`] put together.
pub fn svg(diagram: &Diagram, options: &SvgOptions) -> String {
    super::drawing::drawing(diagram, options).to_svg()
}

/// Everything one drawing of a design is made of, measured once.
pub(super) struct Layout<'a> {
    pub scene: Scene<'a>,
    pub captions: Vec<Caption>,
    pub badges: HashMap<Id, Badge>,
    pub frame: Rect,
}

impl<'a> Layout<'a> {
    /// `findings`: the design's findings when the caller has them already
    /// (else they are checked here when badges are drawn).
    pub fn new(
        diagram: &'a Diagram,
        options: &SvgOptions,
        findings: Option<&[crate::rules::Finding]>,
    ) -> Self {
        let scene = Scene::new(diagram, &options.scope);
        let badges = if options.findings && !options.simplified {
            match findings {
                Some(findings) => badges(diagram, findings),
                None => badges(diagram, &crate::rules::check(diagram)),
            }
        } else {
            HashMap::new()
        };
        let captions = captions_of(&scene, options);
        let frame = frame_of(&scene, &captions, options);
        Self {
            scene,
            captions,
            badges,
            frame,
        }
    }

    /// The items of each layer in drawing order, in the order of
    /// [`super::drawing::Layer::ALL`].
    pub fn items(&self) -> [Vec<Item<'_>>; 6] {
        let scene = &self.scene;
        let groups = scene.groups.iter().map(|g| Item::Group(g)).collect();
        let wires = scene
            .connections
            .iter()
            .map(|(conn, curve)| Item::Wire(conn, *curve))
            .collect();
        let cards = scene.components.iter().map(|c| Item::Card(c)).collect();
        let captions = self.captions.iter().map(Item::Caption).collect();
        let notes = scene.notes.iter().map(|n| Item::Note(n)).collect();
        let mut badges = Vec::new();
        if !self.badges.is_empty() {
            for c in &scene.components {
                if let Some(b) = self.badges.get(&c.id) {
                    let r = c.rect();
                    let k = style::BADGE_RADIUS * 0.4;
                    badges.push(Item::Badge(c.id, Point::new(r.x + r.w - k, r.y + k), *b));
                }
            }
            for caption in &self.captions {
                if let Some(b) = self.badges.get(&caption.id) {
                    badges.push(Item::Badge(caption.id, caption.badge_point(), *b));
                }
            }
            let captioned: HashSet<Id> = self.captions.iter().map(|c| c.id).collect();
            for (conn, curve) in &scene.connections {
                if !captioned.contains(&conn.id)
                    && let Some(b) = self.badges.get(&conn.id)
                {
                    badges.push(Item::Badge(conn.id, curve.sample(0.5), *b));
                }
            }
        }
        [groups, wires, cards, captions, notes, badges]
    }
}

/// One item of the drawing, borrowed from a [`Layout`].
pub(super) enum Item<'a> {
    Group(&'a Group),
    Wire(&'a Connection, Curve),
    Card(&'a Component),
    Caption(&'a Caption),
    Note(&'a Note),
    Badge(Id, Point, Badge),
}

/// Everything an item's drawing depends on (besides the style), kept to
/// tell whether it must be drawn again.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Input {
    Group(Group),
    Wire(Connection, Curve),
    Card(Component),
    Caption(Caption),
    Note(Note),
    Badge(Point, Badge),
}

impl Item<'_> {
    pub fn id(&self) -> Id {
        match self {
            Item::Group(g) => g.id,
            Item::Wire(c, _) => c.id,
            Item::Card(c) => c.id,
            Item::Caption(c) => c.id,
            Item::Note(n) => n.id,
            Item::Badge(id, _, _) => *id,
        }
    }

    pub fn input(&self) -> Input {
        match self {
            Item::Group(g) => Input::Group((*g).clone()),
            Item::Wire(c, curve) => Input::Wire((*c).clone(), *curve),
            Item::Card(c) => Input::Card((*c).clone()),
            Item::Caption(c) => Input::Caption((*c).clone()),
            Item::Note(n) => Input::Note((*n).clone()),
            Item::Badge(_, at, b) => Input::Badge(*at, *b),
        }
    }

    /// Whether the item would be drawn as it was from `input`.
    pub fn drawn_from(&self, input: &Input) -> bool {
        match (self, input) {
            (Item::Group(a), Input::Group(b)) => *a == b,
            (Item::Wire(a, ca), Input::Wire(b, cb)) => *a == b && ca == cb,
            (Item::Card(a), Input::Card(b)) => *a == b,
            (Item::Caption(a), Input::Caption(b)) => *a == b,
            (Item::Note(a), Input::Note(b)) => *a == b,
            (Item::Badge(_, pa, a), Input::Badge(pb, b)) => pa == pb && a == b,
            _ => false,
        }
    }

    pub fn draw(&self, w: &mut Writer) {
        match self {
            Item::Group(g) => w.group(g),
            Item::Wire(c, curve) => w.wire(c, curve),
            Item::Card(c) => w.card(c),
            Item::Caption(c) => w.caption(c),
            Item::Note(n) => w.note(n),
            Item::Badge(id, at, b) => w.badge(*id, *at, *b),
        }
    }
}

/// The background and the heading of a drawing framed by `frame`.
pub(super) fn background(frame: Rect, options: &SvgOptions) -> String {
    let mut w = Writer::new(options);
    let palette = w.palette;
    let margin = options.margin.max(0.0);
    w.rect(frame, 0.0, palette.background, None, "");
    if let Some(h) = options.heading.as_deref().map(one_line) {
        let _ = write!(
            w.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">",
            num(frame.x + margin),
            num(frame.y + margin + fonts::ascent(style::HEADING_SIZE)),
            num(style::HEADING_SIZE),
            palette.text.hex()
        );
        push_xml(&mut w.out, &h);
        w.out.push_str("</text>\n");
    }
    w.out
}

/// The opening `<svg>` tag of a drawing framed by `frame`.
pub(super) fn open_tag(frame: Rect) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w_}\" height=\"{h_}\" viewBox=\"{x} {y} {w_} {h_}\" font-family=\"{TEXT_FAMILY}, sans-serif\" font-weight=\"{TEXT_WEIGHT}\">\n",
        x = num(frame.x),
        y = num(frame.y),
        w_ = num(frame.w),
        h_ = num(frame.h),
    )
}

/// The `<defs>` element: the font (when embedded) and the outlines of
/// `icons`.
pub(super) fn defs<'i>(icons: impl IntoIterator<Item = &'i str>, embed_font: bool) -> String {
    let mut out = String::from("<defs>\n");
    if embed_font {
        let data = base64::engine::general_purpose::STANDARD.encode(fonts::TEXT_FONT);
        let _ = writeln!(
            out,
            "<style>@font-face{{font-family:\"{TEXT_FAMILY}\";font-weight:{TEXT_WEIGHT};src:url(data:font/ttf;base64,{data}) format(\"truetype\");}}</style>"
        );
    }
    for name in icons {
        if let Some(outline) = icons::outline(name) {
            let _ = writeln!(out, "<path id=\"icon-{name}\" d=\"{}\"/>", outline.path);
        }
    }
    out.push_str("</defs>\n");
    out
}

/// The union of everything drawn.
fn scene_bounds(scene: &Scene, captions: &[Caption]) -> Option<Rect> {
    let badge_room = style::BADGE_RADIUS + 2.0;
    scene
        .components
        .iter()
        .map(|c| {
            let r = c.rect();
            Rect::new(
                r.x,
                r.y - badge_room,
                r.w + badge_room,
                r.h + badge_room + 2.0,
            )
        })
        .chain(scene.groups.iter().map(|g| g.rect))
        .chain(scene.notes.iter().map(|n| n.rect))
        .chain(scene.connections.iter().map(|(_, curve)| {
            let b = curve.bounds();
            Rect::new(b.x - 6.0, b.y - 6.0, b.w + 12.0, b.h + 12.0)
        }))
        .chain(captions.iter().map(|c| {
            let r = c.rect;
            let left = 2.0 * badge_room;
            Rect::new(r.x - left, r.y, r.w + left, r.h)
        }))
        .reduce(Rect::union)
}

/// A wire's caption, placed.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Caption {
    id: Id,
    rect: Rect,
    label: String,
    icons: Vec<&'static str>,
    kind: crate::model::ConnectionKind,
}

const CAPTION_PAD: [f32; 2] = [6.0, 3.0];

/// Width of the gap between a caption's label and its icons, and between icons.
fn caption_gaps() -> (f32, f32) {
    let space = fonts::text_width(" ", style::WIRE_LABEL_SIZE);
    (2.0 * space, space)
}

fn icon_width(name: &str, size: f32) -> f32 {
    icons::outline(name).map_or(size, |o| o.advance / 1000.0 * size)
}

impl Caption {
    fn of(conn: &Connection, curve: &Curve) -> Option<Self> {
        let caption = card::wire_caption(conn);
        if caption.is_empty() {
            return None;
        }
        let size = style::WIRE_LABEL_SIZE;
        let label = one_line(&caption.label);
        let (label_gap, icon_gap) = caption_gaps();
        let mut width = fonts::text_width(&label, size);
        for (i, icon) in caption.icons.iter().enumerate() {
            width += if i == 0 {
                if label.is_empty() { 0.0 } else { label_gap }
            } else {
                icon_gap
            };
            width += icon_width(icon, size);
        }
        let height = fonts::line_height(size);
        let mid = curve.sample(0.5);
        let (w, h) = (width + 2.0 * CAPTION_PAD[0], height + 2.0 * CAPTION_PAD[1]);
        Some(Self {
            id: conn.id,
            rect: Rect::new(mid.x - w / 2.0, mid.y - h / 2.0, w, h),
            label,
            icons: caption.icons,
            kind: conn.kind,
        })
    }

    /// Just left of the caption, where the canvas puts a wire's badge.
    fn badge_point(&self) -> Point {
        let c = self.rect.center();
        Point::new(self.rect.x - style::BADGE_RADIUS - 2.0, c.y)
    }
}

pub(super) struct Writer {
    pub out: String,
    palette: Palette,
    /// Icons used, defined once in `<defs>`.
    pub icons: BTreeSet<&'static str>,
    /// Far-zoom drawing (see [`SvgOptions::simplified`]).
    simplified: bool,
}

impl Writer {
    pub fn new(options: &SvgOptions) -> Self {
        Self {
            out: String::new(),
            palette: Palette::of(options.theme),
            icons: BTreeSet::new(),
            simplified: options.simplified,
        }
    }

    fn fill_attrs(&mut self, name: &str, color: Rgba) {
        let _ = write!(self.out, " {name}=\"{}\"", color.hex());
        if let Some(o) = color.opacity() {
            let _ = write!(self.out, " {name}-opacity=\"{}\"", num_opacity(o));
        }
    }

    /// A rectangle with corner radius `rx`, an optional stroke drawn inside
    /// its edge (as the canvas does), and extra attributes.
    fn rect(&mut self, r: Rect, rx: f32, fill: Rgba, stroke: Option<(f32, Rgba)>, extra: &str) {
        let inset = stroke.map_or(0.0, |(width, _)| width / 2.0);
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            num(r.x + inset),
            num(r.y + inset),
            num((r.w - 2.0 * inset).max(0.0)),
            num((r.h - 2.0 * inset).max(0.0))
        );
        if rx > 0.0 {
            let _ = write!(self.out, " rx=\"{}\"", num((rx - inset).max(0.0)));
        }
        if fill.a == 0 {
            self.out.push_str(" fill=\"none\"");
        } else {
            self.fill_attrs("fill", fill);
        }
        if let Some((width, color)) = stroke {
            self.fill_attrs("stroke", color);
            let _ = write!(self.out, " stroke-width=\"{}\"", num(width));
        }
        self.out.push_str(extra);
        self.out.push_str("/>\n");
    }

    /// One line of text with its top-left at `(x, top)`.
    fn text(&mut self, x: f32, top: f32, size: f32, color: Rgba, text: &str) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"",
            num(x),
            num(top + fonts::ascent(size)),
            num(size)
        );
        self.fill_attrs("fill", color);
        self.out.push('>');
        push_xml(&mut self.out, text);
        self.out.push_str("</text>\n");
    }

    /// An icon of `size` with the top of its line at `(x, top)`, as a
    /// reference to its outline.
    fn icon(&mut self, name: &'static str, x: f32, top: f32, size: f32, color: Rgba) {
        let name = if icons::is_known(name) {
            name
        } else {
            icons::FALLBACK
        };
        self.icons.insert(name);
        let baseline = top + icons::ascender() / 1000.0 * size;
        self.icon_at(name, x, baseline, size, color);
    }

    /// An icon whose ink is centred on `center`.
    fn icon_centered(&mut self, name: &'static str, center: Point, size: f32, color: Rgba) {
        let Some(outline) = icons::outline(name) else {
            return;
        };
        self.icons.insert(name);
        let k = size / 1000.0;
        let [l, t, r, b] = outline.bbox;
        let x = center.x - (l + r) / 2.0 * k;
        let y = center.y - (t + b) / 2.0 * k;
        self.icon_at(name, x, y, size, color);
    }

    fn icon_at(&mut self, name: &str, x: f32, baseline: f32, size: f32, color: Rgba) {
        let _ = write!(
            self.out,
            "<use href=\"#icon-{name}\" transform=\"translate({} {}) scale({})\"",
            num(x),
            num(baseline),
            num_scale(size / 1000.0)
        );
        self.fill_attrs("fill", color);
        self.out.push_str("/>\n");
    }

    fn group(&mut self, g: &Group) {
        let (fill, stroke) = self.palette.group(g.kind);
        let r = g.rect;
        let _ = writeln!(self.out, "<g class=\"group\" data-id=\"{}\">", g.id.0);
        self.rect(
            r,
            style::GROUP_RADIUS.min(12.0),
            fill,
            Some((1.0, stroke)),
            "",
        );
        if self.simplified {
            self.out.push_str("</g>\n");
            return;
        }
        let size = style::GROUP_TITLE_SIZE;
        let top = r.y + (style::GROUP_TITLE_HEIGHT - fonts::line_height(size)) / 2.0;
        let icon = icons::group_icon(g.kind);
        let icon_w = icon_width(icon, size) + 2.0 * fonts::text_width(" ", size);
        let room = r.w - 2.0 * style::PAD - icon_w;
        if room > 0.0 {
            self.icon(icon, r.x + style::PAD, top, size, stroke);
            let label = fonts::fit(&one_line(&g.label), size, room);
            self.text(r.x + style::PAD + icon_w, top, size, stroke, &label);
        }
        self.out.push_str("</g>\n");
    }

    fn note(&mut self, n: &Note) {
        let r = n.rect;
        let _ = writeln!(self.out, "<g class=\"note\" data-id=\"{}\">", n.id.0);
        self.rect(r, style::NOTE_RADIUS, self.palette.note_fill, None, "");
        if self.simplified {
            self.out.push_str("</g>\n");
            return;
        }
        let size = style::NOTE_SIZE;
        let pad = style::PAD;
        let max_rows = ((r.h - 2.0 * pad) / (size * 1.3)).floor().max(1.0) as usize;
        let text: String = n
            .text
            .chars()
            .filter(|&c| c == '\n' || !c.is_control())
            .collect();
        let rows = fonts::wrap(&text, size, (r.w - 2.0 * pad).max(1.0), max_rows);
        if !rows.is_empty() {
            let line = fonts::line_height(size);
            let _ = write!(self.out, "<text font-size=\"{}\"", num(size));
            self.fill_attrs("fill", self.palette.note_text);
            self.out.push('>');
            for (i, row) in rows.iter().enumerate() {
                let _ = write!(
                    self.out,
                    "<tspan x=\"{}\" y=\"{}\">",
                    num(r.x + pad),
                    num(r.y + pad + i as f32 * line + fonts::ascent(size))
                );
                push_xml(&mut self.out, &one_line(row));
                self.out.push_str("</tspan>");
            }
            self.out.push_str("</text>\n");
        }
        self.out.push_str("</g>\n");
    }

    fn card(&mut self, c: &Component) {
        let content = card::card_content(c);
        let r = c.rect();
        let p = self.palette;
        let accent = p.category(content.category);
        let radius = style::CARD_RADIUS;
        let _ = writeln!(self.out, "<g class=\"card\" data-id=\"{}\">", c.id.0);
        if self.simplified {
            self.rect(r, 1.0, accent, None, "");
            self.out.push_str("</g>\n");
            return;
        }
        self.rect(r.translated(0.0, 2.0), radius, p.shadow, None, "");
        self.rect(r, radius, p.card_fill, None, "");
        // The category strip follows the card's rounded left corners.
        let s = style::CARD_STRIP.min(radius);
        let dy = radius
            - (radius * radius - (radius - s) * (radius - s))
                .max(0.0)
                .sqrt();
        let _ = write!(
            self.out,
            "<path d=\"M{} {}A{r8} {r8} 0 0 0 {} {}L{} {}A{r8} {r8} 0 0 0 {} {}Z\"",
            num(r.x + s),
            num(r.y + dy),
            num(r.x),
            num(r.y + radius),
            num(r.x),
            num(r.y + r.h - radius),
            num(r.x + s),
            num(r.y + r.h - dy),
            r8 = num(radius),
        );
        self.fill_attrs("fill", accent);
        self.out.push_str("/>\n");
        self.rect(
            r,
            radius,
            Rgba::with_alpha(0, 0, 0, 0),
            Some((1.0, p.card_stroke)),
            " fill-opacity=\"0\"",
        );

        self.icon(
            content.icon,
            r.x + metrics::ICON_X,
            r.y + metrics::ICON_Y,
            style::ICON_SIZE,
            accent,
        );
        let text_x = r.x + metrics::TEXT_X;
        let text_w = r.x + r.w - text_x - metrics::TEXT_RIGHT_PAD;
        let title = fonts::fit(&one_line(&content.title), style::NAME_SIZE, text_w);
        self.text(
            text_x,
            r.y + metrics::NAME_Y,
            style::NAME_SIZE,
            p.text,
            &title,
        );
        let kind = fonts::fit(content.kind, style::KIND_SIZE, text_w);
        self.text(
            text_x,
            r.y + metrics::KIND_Y,
            style::KIND_SIZE,
            p.text_weak,
            &kind,
        );

        let mut x = r.x + metrics::CHIP_X;
        let y = r.y + r.h - metrics::CHIP_FROM_BOTTOM;
        let size = style::CHIP_SIZE;
        for chip in &content.chips {
            let chip = one_line(chip);
            let w = fonts::text_width(&chip, size) + 2.0 * metrics::CHIP_PAD;
            if x + w > r.x + r.w - metrics::CHIP_RIGHT_PAD {
                break;
            }
            let pill = Rect::new(x, y, w, metrics::CHIP_HEIGHT);
            self.rect(pill, metrics::CHIP_HEIGHT / 2.0, p.chip_fill, None, "");
            let top = pill.center().y - fonts::line_height(size) / 2.0;
            self.text(x + metrics::CHIP_PAD, top, size, p.text_weak, &chip);
            x += w + metrics::CHIP_GAP;
        }
        self.out.push_str("</g>\n");
    }

    fn wire(&mut self, conn: &Connection, curve: &Curve) {
        let color = self.palette.wire(conn.kind);
        let [a, b, c, d] = curve.points;
        if self.simplified {
            let _ = write!(
                self.out,
                "<path class=\"wire\" data-id=\"{}\" d=\"M{} {}L{} {}\" stroke-width=\"2\"",
                conn.id.0,
                num(a.x),
                num(a.y),
                num(d.x),
                num(d.y)
            );
            self.fill_attrs("stroke", color);
            self.out.push_str("/>\n");
            return;
        }
        let _ = write!(
            self.out,
            "<g class=\"wire\" data-id=\"{}\"><path d=\"M",
            conn.id.0
        );
        for (i, p) in [a, b, c, d].iter().enumerate() {
            if i == 1 {
                self.out.push('C');
            } else if i > 1 {
                self.out.push(' ');
            }
            push_num(&mut self.out, p.x);
            self.out.push(' ');
            push_num(&mut self.out, p.y);
        }
        self.out.push_str("\" fill=\"none\"");
        self.fill_attrs("stroke", color);
        match LineStyle::of(conn.kind) {
            LineStyle::Solid => {
                let _ = write!(self.out, " stroke-width=\"{}\"", num(style::WIRE_WIDTH));
            }
            LineStyle::Dashed => {
                let _ = write!(
                    self.out,
                    " stroke-width=\"{}\" stroke-dasharray=\"{} {}\"",
                    num(style::WIRE_WIDTH),
                    num(style::DASH[0]),
                    num(style::DASH[1])
                );
            }
            LineStyle::Dotted => {
                // Round caps on near-zero dashes draw the canvas's dots.
                let _ = write!(
                    self.out,
                    " stroke-width=\"{}\" stroke-linecap=\"round\" stroke-dasharray=\"0.01 {}\"",
                    num(style::WIRE_WIDTH * 1.6),
                    num(style::DOT_SPACING - 0.01)
                );
            }
        }
        self.out.push_str("/>");
        // The arrowhead, pointing along the curve's last stretch.
        let tip = d;
        let before = curve.sample(22.0 / 24.0);
        let len = distance(before, tip);
        if len > 1e-3 {
            let (dx, dy) = ((tip.x - before.x) / len, (tip.y - before.y) / len);
            let size = style::ARROW_SIZE;
            let half = size * 0.45;
            let base = Point::new(tip.x - dx * size, tip.y - dy * size);
            let _ = write!(
                self.out,
                "<path d=\"M{} {}L{} {}L{} {}Z\"",
                num(tip.x),
                num(tip.y),
                num(base.x - dy * half),
                num(base.y + dx * half),
                num(base.x + dy * half),
                num(base.y - dx * half)
            );
            self.fill_attrs("fill", color);
            self.out.push_str("/>");
        }
        self.out.push_str("</g>\n");
    }

    fn caption(&mut self, caption: &Caption) {
        let color = self.palette.wire(caption.kind);
        let _ = writeln!(
            self.out,
            "<g class=\"caption\" data-id=\"{}\">",
            caption.id.0
        );
        self.rect(
            caption.rect,
            4.0,
            self.palette.background,
            Some((1.0, color)),
            "",
        );
        let size = style::WIRE_LABEL_SIZE;
        let top = caption.rect.y + CAPTION_PAD[1];
        let mut x = caption.rect.x + CAPTION_PAD[0];
        if !caption.label.is_empty() {
            self.text(x, top, size, self.palette.text, &caption.label);
            x += fonts::text_width(&caption.label, size);
        }
        let (label_gap, icon_gap) = caption_gaps();
        for (i, icon) in caption.icons.iter().enumerate() {
            x += if i == 0 {
                if caption.label.is_empty() {
                    0.0
                } else {
                    label_gap
                }
            } else {
                icon_gap
            };
            self.icon(icon, x, top, size, self.palette.text);
            x += icon_width(icon, size);
        }
        self.out.push_str("</g>\n");
    }

    fn badge(&mut self, id: Id, center: Point, badge: Badge) {
        let color = self.palette.severity(badge.severity);
        let r = style::BADGE_RADIUS;
        let _ = write!(
            self.out,
            "<g class=\"badge\" data-id=\"{}\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
            id.0,
            num(center.x),
            num(center.y),
            num(r)
        );
        self.fill_attrs("fill", self.palette.badge_fill);
        self.fill_attrs("stroke", color);
        self.out.push_str(" stroke-width=\"1.5\"/>\n");
        self.icon_centered(icons::severity_icon(badge.severity), center, r * 1.5, color);
        if badge.count > 1 {
            let c = Point::new(center.x + r, center.y - r * 0.9);
            let _ = write!(
                self.out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"6.5\"",
                num(c.x),
                num(c.y)
            );
            self.fill_attrs("fill", color);
            let _ = write!(
                self.out,
                "/>\n<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#ffffff\">{}</text>\n",
                num(c.x),
                num(c.y + 3.2),
                badge.count.min(99)
            );
        }
        self.out.push_str("</g>\n");
    }
}

fn num_opacity(v: f32) -> String {
    format!("{:.3}", v)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_owned()
}

fn num_scale(v: f32) -> String {
    format!("{:.4}", v)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_owned()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `d` with two steps: the first half of the cards, then the rest with
    /// every wire.
    pub(crate) fn stepped(mut d: Diagram) -> Diagram {
        let half = d.components.len() / 2;
        let first = d.components.iter().take(half).map(|c| c.id).collect();
        let mut rest: Vec<Id> = d.components.iter().skip(half).map(|c| c.id).collect();
        rest.extend(d.connections.iter().map(|c| c.id));
        d.steps = vec![
            crate::model::Step {
                title: "The front".into(),
                revealed: first,
            },
            crate::model::Step {
                title: "The rest".into(),
                revealed: rest,
            },
        ];
        d
    }

    #[test]
    fn every_template_renders_every_card_and_wire_in_scope() {
        for t in crate::templates::all() {
            let d = t.diagram().unwrap();
            let svg = svg(&d, &SvgOptions::default());
            assert_eq!(
                svg.matches("class=\"card\"").count(),
                d.components.len(),
                "{}",
                t.name
            );
            assert_eq!(
                svg.matches("class=\"wire\"").count(),
                d.connections.len(),
                "{}",
                t.name
            );
            assert_eq!(svg.matches("class=\"group\"").count(), d.groups.len());
            assert_eq!(svg.matches("class=\"note\"").count(), d.notes.len());
            assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        }
    }

    #[test]
    fn a_step_shows_what_present_mode_reveals() {
        let d = stepped(
            crate::templates::find("url-shortener-starter")
                .unwrap()
                .diagram()
                .unwrap(),
        );
        let first = revealed(&d, 0).unwrap();
        let svg0 = svg(
            &d,
            &SvgOptions {
                scope: Scope::Step(0),
                ..Default::default()
            },
        );
        let cards = d
            .components
            .iter()
            .filter(|c| first.contains(&c.id))
            .count();
        assert_eq!(svg0.matches("class=\"card\"").count(), cards);
        let last = svg(
            &d,
            &SvgOptions {
                scope: Scope::Step(d.steps.len() - 1),
                ..Default::default()
            },
        );
        assert!(last.matches("class=\"card\"").count() >= cards);
    }

    #[test]
    fn a_selection_brings_the_wires_between_its_cards() {
        let d = crate::templates::find("url-shortener-starter")
            .unwrap()
            .diagram()
            .unwrap();
        let conn = d.connections.first().unwrap();
        let svg = svg(
            &d,
            &SvgOptions {
                scope: Scope::Selection(vec![conn.from, conn.to]),
                ..Default::default()
            },
        );
        assert_eq!(svg.matches("class=\"card\"").count(), 2);
        assert!(svg.contains(&format!("class=\"wire\" data-id=\"{}\"", conn.id.0)));
    }

    #[test]
    fn the_simplified_drawing_keeps_every_item_but_no_text() {
        let d = crate::templates::find("url-shortener-reference")
            .unwrap()
            .diagram()
            .unwrap();
        let full = svg(&d, &SvgOptions::default());
        let simple = svg(
            &d,
            &SvgOptions {
                simplified: true,
                ..Default::default()
            },
        );
        assert_eq!(simple.matches("class=\"card\"").count(), d.components.len());
        assert_eq!(
            simple.matches("class=\"wire\"").count(),
            d.connections.len()
        );
        assert!(full.contains("<text") && !simple.contains("<text"));
        assert!(simple.len() * 3 < full.len());
        let size = frame(&d, &SvgOptions::default());
        assert!(full.contains(&format!("width=\"{}\"", num(size.w))));
        assert_eq!(size.w, size.w.round());
    }

    #[test]
    fn findings_add_badges_and_dark_changes_the_palette() {
        let d = crate::templates::find("url-shortener-starter")
            .unwrap()
            .diagram()
            .unwrap();
        let plain = svg(&d, &SvgOptions::default());
        let with = svg(
            &d,
            &SvgOptions {
                findings: true,
                ..Default::default()
            },
        );
        assert!(!plain.contains("class=\"badge\"") && with.contains("class=\"badge\""));
        let dark = svg(
            &d,
            &SvgOptions {
                theme: Theme::Dark,
                ..Default::default()
            },
        );
        assert!(dark.contains(&Palette::of(Theme::Dark).background.hex()));
        assert!(!dark.contains(&Palette::of(Theme::Light).background.hex()));
        let embedded = svg(
            &d,
            &SvgOptions {
                embed_font: true,
                ..Default::default()
            },
        );
        assert!(embedded.contains("@font-face") && embedded.len() > plain.len() + 400_000);
    }
}
