//! Icons without an installed font: the catalog's icon names mapped to
//! Phosphor code points (a UI-free table the canvas can share), and each
//! glyph's outline read from the bundled font as SVG path data.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ttf_parser::OutlineBuilder;

use super::escape::push_num;
use super::fonts::icon_face;
use crate::model::GroupKind;
use crate::rules::Severity;

/// Phosphor code points by icon name (kebab-case, as in the catalog).
const CODEPOINTS: &[(&str, char)] = &[
    ("archive", '\u{E00C}'),
    ("arrow-clockwise", '\u{E036}'),
    ("arrows-split", '\u{ED3C}'),
    ("broadcast", '\u{E0F2}'),
    ("buildings", '\u{E102}'),
    ("chart-bar", '\u{E150}'),
    ("chart-line-up", '\u{E156}'),
    ("clock-counter-clockwise", '\u{E1A0}'),
    ("cloud-arrow-down", '\u{E1AC}'),
    ("cube", '\u{E1DA}'),
    ("database", '\u{E1DE}'),
    ("devices", '\u{EBA4}'),
    ("door-open", '\u{E7E6}'),
    ("files", '\u{E710}'),
    ("flow-arrow", '\u{E6EC}'),
    ("gear-six", '\u{E272}'),
    ("globe", '\u{E288}'),
    ("globe-hemisphere-west", '\u{E28C}'),
    ("identification-badge", '\u{E6F6}'),
    ("info", '\u{E2CE}'),
    ("lightning", '\u{E2DE}'),
    ("magnifying-glass", '\u{E30C}'),
    ("path", '\u{E39C}'),
    ("plugs", '\u{EB56}'),
    ("plugs-connected", '\u{EB5A}'),
    ("scroll", '\u{EB7A}'),
    ("shield", '\u{E40A}'),
    ("stack", '\u{E466}'),
    ("timer", '\u{E492}'),
    ("tray-arrow-down", '\u{E010}'),
    ("users-three", '\u{E68E}'),
    ("warning", '\u{E4E0}'),
    ("x-circle", '\u{E4F8}'),
];

/// The icon used for names this build does not know.
pub const FALLBACK: &str = "cube";

/// The Phosphor code point of an icon name; the cube's for unknown names.
pub fn codepoint(name: &str) -> char {
    lookup(name)
        .or_else(|| lookup(FALLBACK))
        .unwrap_or('\u{E1DA}')
}

fn lookup(name: &str) -> Option<char> {
    CODEPOINTS
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| CODEPOINTS.get(i))
        .map(|(_, c)| *c)
}

/// Whether the table knows this name (unknown names draw the cube).
pub fn is_known(name: &str) -> bool {
    lookup(name).is_some()
}

/// The icon of a group kind.
pub fn group_icon(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Region => "globe",
        GroupKind::Zone => "buildings",
        GroupKind::Network => "shield",
        GroupKind::Cluster => "stack",
        GroupKind::Tenant => "users-three",
    }
}

/// The icon of a finding's severity.
pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "x-circle",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A glyph as SVG path data in em units ×1000 (y down, origin on the
/// baseline at the glyph's left), with its advance in the same units.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub path: String,
    pub advance: f32,
    /// The ink's box: left, top, right, bottom (y down, like `path`).
    pub bbox: [f32; 4],
}

/// Font units to the outline's units (1 em = 1000).
struct PathWriter {
    out: String,
    scale: f32,
}

impl PathWriter {
    fn point(&mut self, x: f32, y: f32) {
        push_num(&mut self.out, x * self.scale);
        self.out.push(' ');
        push_num(&mut self.out, -y * self.scale);
    }
}

impl OutlineBuilder for PathWriter {
    fn move_to(&mut self, x: f32, y: f32) {
        self.out.push('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.out.push('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.out.push('Q');
        self.point(x1, y1);
        self.out.push(' ');
        self.point(x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.out.push('C');
        self.point(x1, y1);
        self.out.push(' ');
        self.point(x2, y2);
        self.out.push(' ');
        self.point(x, y);
    }

    fn close(&mut self) {
        self.out.push('Z');
    }
}

/// The outline of the icon `name` (the cube for unknown names), read from
/// the bundled Phosphor font once and cached.
pub fn outline(name: &str) -> Option<Outline> {
    static CACHE: OnceLock<Mutex<HashMap<char, Option<Outline>>>> = OnceLock::new();
    let c = codepoint(name);
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = cache.lock()
        && let Some(found) = map.get(&c)
    {
        return found.clone();
    }
    let built = build_outline(c);
    if let Ok(mut map) = cache.lock() {
        map.insert(c, built.clone());
    }
    built
}

fn build_outline(c: char) -> Option<Outline> {
    let face = icon_face()?;
    let glyph = face.glyph_index(c)?;
    let scale = 1000.0 / f32::from(face.units_per_em().max(1));
    let mut writer = PathWriter {
        out: String::new(),
        scale,
    };
    let ink = face.outline_glyph(glyph, &mut writer)?;
    let advance = f32::from(face.glyph_hor_advance(glyph).unwrap_or(0)) * scale;
    Some(Outline {
        path: writer.out,
        advance,
        bbox: [
            f32::from(ink.x_min) * scale,
            -f32::from(ink.y_max) * scale,
            f32::from(ink.x_max) * scale,
            -f32::from(ink.y_min) * scale,
        ],
    })
}

/// The icon font's ascender in outline units (1 em = 1000): where the
/// baseline sits below the top of a line of icons.
pub fn ascender() -> f32 {
    icon_face().map_or(800.0, |face| {
        f32::from(face.ascender()) * 1000.0 / f32::from(face.units_per_em().max(1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ComponentKind;

    #[test]
    fn the_table_is_sorted_so_lookups_find_every_name() {
        assert!(CODEPOINTS.windows(2).all(|w| w[0].0 < w[1].0));
        for (name, c) in CODEPOINTS {
            assert_eq!(codepoint(name), *c);
        }
        assert_eq!(codepoint("no-such-icon"), codepoint(FALLBACK));
    }

    #[test]
    fn every_catalog_icon_has_its_own_outline() {
        let mut paths = Vec::new();
        for kind in ComponentKind::all() {
            let name = kind.info().icon;
            assert!(is_known(name), "{kind:?} uses the unknown icon {name}");
            let outline = outline(name).unwrap();
            assert!(outline.path.starts_with('M') && outline.path.ends_with('Z'));
            assert!(outline.advance > 0.0);
            paths.push(outline.path);
        }
        paths.sort();
        let before = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), before, "two kinds draw the same glyph");
    }
}
