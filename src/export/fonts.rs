//! The bundled fonts and text measurement.
//!
//! Text is set in Ubuntu Light (the canvas's font, Ubuntu Font Licence,
//! `assets/fonts/UFL.txt`); icons come from the Phosphor font (MIT,
//! `assets/fonts/Phosphor-LICENSE.txt`), drawn as outlines. Both are
//! compiled into the binary, and PNG and PDF rendering load only these,
//! never the system's fonts, so an export looks the same on every machine.
//! Widths are measured from the font's advances without kerning, which is
//! close enough to fit names on cards and size chips and captions.

use std::sync::OnceLock;

use ttf_parser::Face;

/// Ubuntu Light, the text font.
pub const TEXT_FONT: &[u8] = include_bytes!("../../assets/fonts/Ubuntu-Light.ttf");
/// Phosphor Regular, the icon font.
pub const ICON_FONT: &[u8] = include_bytes!("../../assets/fonts/Phosphor.ttf");
/// The family name the SVG asks for (the font's typographic family).
pub const TEXT_FAMILY: &str = "Ubuntu";
/// Its weight: Ubuntu Light is 300.
pub const TEXT_WEIGHT: u16 = 300;

fn face(
    cell: &'static OnceLock<Option<Face<'static>>>,
    data: &'static [u8],
) -> Option<&'static Face<'static>> {
    cell.get_or_init(|| Face::parse(data, 0).ok()).as_ref()
}

pub(crate) fn text_face() -> Option<&'static Face<'static>> {
    static FACE: OnceLock<Option<Face<'static>>> = OnceLock::new();
    face(&FACE, TEXT_FONT)
}

pub(crate) fn icon_face() -> Option<&'static Face<'static>> {
    static FACE: OnceLock<Option<Face<'static>>> = OnceLock::new();
    face(&FACE, ICON_FONT)
}

/// The advance of one character at 1 em = 1 unit: from the text font, else
/// the icon font, else half an em.
fn advance_em(c: char) -> f32 {
    for face in [text_face(), icon_face()].into_iter().flatten() {
        if let Some(glyph) = face.glyph_index(c)
            && let Some(advance) = face.glyph_hor_advance(glyph)
        {
            return f32::from(advance) / f32::from(face.units_per_em().max(1));
        }
    }
    if c.is_control() { 0.0 } else { 0.5 }
}

/// The width of `text` set at `size` points.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(advance_em).sum::<f32>() * size
}

/// Distance from the top of a line to its baseline at `size` points (the
/// font's ascender, as egui places text).
pub fn ascent(size: f32) -> f32 {
    match text_face() {
        Some(face) => f32::from(face.ascender()) / f32::from(face.units_per_em().max(1)) * size,
        None => 0.93 * size,
    }
}

/// The height of one line at `size` points (ascender − descender + gap).
pub fn line_height(size: f32) -> f32 {
    match text_face() {
        Some(face) => {
            let units = i32::from(face.ascender()) - i32::from(face.descender())
                + i32::from(face.line_gap());
            units as f32 / f32::from(face.units_per_em().max(1)) * size
        }
        None => 1.2 * size,
    }
}

/// `text` cut to fit `max_width` at `size`, ending in `…` when cut.
pub fn fit(text: &str, size: f32, max_width: f32) -> String {
    if text_width(text, size) <= max_width {
        return text.to_owned();
    }
    let ellipsis = advance_em('…') * size;
    let mut width = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = advance_em(c) * size;
        if width + w + ellipsis > max_width {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Wraps `text` into at most `max_rows` lines of `max_width` at `size`,
/// breaking at spaces (inside a word only when the word alone is too
/// wide); the last row ends in `…` when text was left over.
pub fn wrap(text: &str, size: f32, max_width: f32, max_rows: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut truncated = false;
    'paragraphs: for paragraph in text.split('\n') {
        let mut row = String::new();
        for word in paragraph.split(' ') {
            let candidate = if row.is_empty() {
                word.to_owned()
            } else {
                format!("{row} {word}")
            };
            if text_width(&candidate, size) <= max_width {
                row = candidate;
                continue;
            }
            if !row.is_empty() {
                if rows.len() + 1 >= max_rows {
                    rows.push(row);
                    truncated = true;
                    break 'paragraphs;
                }
                rows.push(std::mem::take(&mut row));
            }
            // A word wider than a row is broken anywhere.
            let mut piece = String::new();
            for c in word.chars() {
                let mut next = piece.clone();
                next.push(c);
                if text_width(&next, size) > max_width && !piece.is_empty() {
                    if rows.len() + 1 >= max_rows {
                        rows.push(piece);
                        truncated = true;
                        break 'paragraphs;
                    }
                    rows.push(std::mem::take(&mut piece));
                    piece.push(c);
                } else {
                    piece = next;
                }
            }
            row = piece;
        }
        if rows.len() >= max_rows {
            truncated = true;
            break;
        }
        rows.push(row);
    }
    if rows.len() > max_rows {
        rows.truncate(max_rows);
        truncated = true;
    }
    if truncated && let Some(last) = rows.last_mut() {
        *last = fit(&format!("{last}…"), size, max_width);
    }
    rows
}

/// A font database holding only the bundled fonts, for usvg (PNG and PDF).
pub fn font_database() -> resvg::usvg::fontdb::Database {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(TEXT_FONT.to_vec());
    db.set_sans_serif_family(TEXT_FAMILY);
    db.set_serif_family(TEXT_FAMILY);
    db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_fonts_parse_and_measure() {
        assert!(text_face().is_some() && icon_face().is_some());
        let w = text_width("Orders service", 15.0);
        assert!(w > 60.0 && w < 150.0, "{w}");
        assert!(text_width("WWWW", 12.0) > text_width("iiii", 12.0));
        assert!(ascent(15.0) > 10.0 && line_height(15.0) > ascent(15.0));
        let db = font_database();
        assert_eq!(db.len(), 1);
        let face = db.faces().next().unwrap();
        assert!(
            face.families.iter().any(|(name, _)| name == TEXT_FAMILY),
            "{:?}",
            face.families
        );
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis_and_wrapping_keeps_rows() {
        let long = "A very long component name that cannot fit on one card";
        let cut = fit(long, 15.0, 140.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 15.0) <= 140.0,
            "{cut}"
        );
        assert_eq!(fit("Cache", 15.0, 140.0), "Cache");
        let rows = wrap(long, 13.0, 120.0, 3);
        assert_eq!(rows.len(), 3);
        assert!(
            rows.iter().all(|r| text_width(r, 13.0) <= 120.0),
            "{rows:?}"
        );
        assert!(rows[2].ends_with('…'));
        assert_eq!(wrap("one\ntwo", 13.0, 120.0, 5), vec!["one", "two"]);
    }
}
