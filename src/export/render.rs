//! PNG and PDF, both rendered from the SVG of [`super::svg`] with only the
//! bundled fonts (usvg never sees the system's fonts), so output is the
//! same on every machine.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use super::ExportError;
use super::svg::{Scope, SvgOptions, svg};
use super::{fonts, style};
use crate::model::Diagram;

/// A PNG never holds more pixels than this: a larger design is drawn at a
/// smaller scale instead (a 5,000-card board at 1× would be ~300 MP; at
/// 16 MP its cards are still 45 pixels wide).
pub const MAX_PNG_PIXELS: f32 = 16.0e6;
/// Largest page side PDF readers accept without a user unit, in points.
const MAX_PDF_SIDE: f32 = 14_400.0;

fn usvg_options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| usvg::Options {
        font_family: fonts::TEXT_FAMILY.to_owned(),
        fontdb: Arc::new(fonts::font_database()),
        ..usvg::Options::default()
    })
}

/// Parses an SVG of ours into a render tree.
fn tree(svg_text: &str) -> Result<usvg::Tree, ExportError> {
    usvg::Tree::from_str(svg_text, usvg_options()).map_err(|e| ExportError::Svg(e.to_string()))
}

/// The scale a PNG of `width` × `height` units is drawn at when `wanted`
/// is asked: `wanted`, or less so the image stays under [`MAX_PNG_PIXELS`].
pub fn png_scale(width: f32, height: f32, wanted: f32) -> f32 {
    let wanted = if wanted.is_finite() && wanted > 0.0 {
        wanted.min(8.0)
    } else {
        1.0
    };
    let pixels = width * height * wanted * wanted;
    if pixels > MAX_PNG_PIXELS {
        wanted * (MAX_PNG_PIXELS / pixels).sqrt()
    } else {
        wanted
    }
}

/// A PNG of `diagram` at `scale` (1 or 2; see [`png_scale`] for the cap).
/// A design so large that it is drawn below [`style::LOD_SCALE`] uses the
/// simplified drawing.
pub fn png(diagram: &Diagram, options: &SvgOptions, scale: f32) -> Result<Vec<u8>, ExportError> {
    png_from_svg(&raster_svg(diagram, options, scale), scale)
}

/// The SVG a picture at `scale` is rendered from: no embedded font, and
/// the simplified drawing when the picture is too small for text.
fn raster_svg(diagram: &Diagram, options: &SvgOptions, scale: f32) -> String {
    let frame = super::svg::frame(diagram, options);
    let simplified = options.simplified || png_scale(frame.w, frame.h, scale) < style::LOD_SCALE;
    let svg_options = SvgOptions {
        embed_font: false,
        simplified,
        ..options.clone()
    };
    svg(diagram, &svg_options)
}

/// A picture as straight (not premultiplied) RGBA bytes, row by row, as
/// clipboards take it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// The picture [`png`] would encode, as pixels.
pub fn pixels(diagram: &Diagram, options: &SvgOptions, scale: f32) -> Result<Pixels, ExportError> {
    let pixmap = render(&raster_svg(diagram, options, scale), scale)?;
    Ok(Pixels {
        width: pixmap.width(),
        height: pixmap.height(),
        rgba: straight_rgba(&pixmap).into_owned(),
    })
}

/// Renders SVG text (ours) to PNG bytes.
pub fn png_from_svg(svg_text: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    encode_png(&render(svg_text, scale)?)
}

/// Renders SVG text (ours) at `scale` (capped by [`png_scale`]).
fn render(svg_text: &str, scale: f32) -> Result<tiny_skia::Pixmap, ExportError> {
    let tree = tree(svg_text)?;
    let size = tree.size();
    let scale = png_scale(size.width(), size.height(), scale);
    // Rounded down: a partly covered last row or column would be
    // see-through at a fractional scale.
    let width = (size.width() * scale).floor().max(1.0) as u32;
    let height = (size.height() * scale).floor().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(ExportError::TooLarge)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// The pixmap's pixels as straight RGBA.
fn straight_rgba(pixmap: &tiny_skia::Pixmap) -> std::borrow::Cow<'_, [u8]> {
    // Our pictures are opaque (the background fills the frame), and opaque
    // premultiplied pixels are already straight RGBA: use the buffer as it
    // is. Anything else is converted first.
    if pixmap.pixels().iter().all(|p| p.alpha() == 255) {
        return std::borrow::Cow::Borrowed(pixmap.data());
    }
    std::borrow::Cow::Owned(
        pixmap
            .pixels()
            .iter()
            .flat_map(|pixel| {
                let c = pixel.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect(),
    )
}

/// PNG bytes of a rendered pixmap, with the `png` crate's fast compression
/// (tiny-skia's own encoder uses the balanced level, which took three
/// quarters of the time of a whole export).
fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, ExportError> {
    let data = straight_rgba(pixmap);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let encode = |e: png::EncodingError| ExportError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(encode)?;
    writer.write_image_data(&data).map_err(encode)?;
    writer.finish().map_err(encode)?;
    Ok(out)
}

/// A PDF with one page per presentation step (what present mode shows at
/// that step, titled with the step's title), or one page of the whole
/// design when it has no steps. Text stays selectable.
pub fn pdf(diagram: &Diagram, options: &SvgOptions) -> Result<Vec<u8>, ExportError> {
    let mut pages: Vec<(String, SvgOptions)> = Vec::new();
    let base = SvgOptions {
        embed_font: false,
        ..options.clone()
    };
    if diagram.steps.is_empty() {
        pages.push((
            diagram.title.clone(),
            SvgOptions {
                heading: Some(diagram.title.clone()),
                ..base
            },
        ));
    } else {
        let count = diagram.steps.len();
        for (i, step) in diagram.steps.iter().enumerate() {
            let title = format!("Step {} of {count}: {}", i + 1, step.title);
            pages.push((
                title.clone(),
                SvgOptions {
                    scope: Scope::Step(i),
                    heading: Some(title),
                    ..base.clone()
                },
            ));
        }
    }
    let mut document = krilla::Document::new();
    let mut outline = krilla::outline::Outline::new();
    for (index, (title, page_options)) in pages.iter().enumerate() {
        let tree = tree(&svg(diagram, page_options))?;
        let (w, h) = (tree.size().width(), tree.size().height());
        let fit = (MAX_PDF_SIDE / w.max(h)).min(1.0);
        let size = krilla::geom::Size::from_wh(w * fit, h * fit).ok_or(ExportError::TooLarge)?;
        let mut page = document.start_page_with(krilla::page::PageSettings::new(size));
        let mut surface = page.surface();
        use krilla_svg::SurfaceExt as _;
        let drawn = surface.draw_svg(&tree, size, krilla_svg::SvgSettings::default());
        surface.finish();
        page.finish();
        drawn.ok_or_else(|| ExportError::Pdf("the drawing could not be converted".to_owned()))?;
        outline.push_child(krilla::outline::OutlineNode::new(
            super::escape::one_line(title),
            krilla::destination::XyzDestination::new(index, krilla::geom::Point::from_xy(0.0, 0.0)),
        ));
    }
    document.set_outline(outline);
    document.set_metadata(
        krilla::metadata::Metadata::new().title(super::escape::one_line(&diagram.title)),
    );
    document
        .finish()
        .map_err(|e| ExportError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_pictures_are_capped_and_bad_scales_fall_back_to_one() {
        assert_eq!(png_scale(1000.0, 500.0, 2.0), 2.0);
        let capped = png_scale(30_000.0, 10_000.0, 1.0);
        assert!(capped < 1.0);
        let pixels = 30_000.0 * 10_000.0 * capped * capped;
        assert!((pixels - MAX_PNG_PIXELS).abs() / MAX_PNG_PIXELS < 1e-3);
        assert_eq!(png_scale(100.0, 100.0, f32::NAN), 1.0);
        assert_eq!(png_scale(100.0, 100.0, -3.0), 1.0);
    }

    #[test]
    fn pixels_are_the_png_decoded() {
        let diagram = crate::templates::example::example_design();
        let options = SvgOptions::default();
        let picture = pixels(&diagram, &options, 1.0).unwrap();
        assert_eq!(
            picture.rgba.len(),
            picture.width as usize * picture.height as usize * 4
        );
        let bytes = png(&diagram, &options, 1.0).unwrap();
        let mut reader = ::png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut decoded).unwrap();
        assert_eq!((info.width, info.height), (picture.width, picture.height));
        assert_eq!(decoded, picture.rgba);
    }

    #[test]
    fn broken_svg_is_an_error_not_a_panic() {
        assert!(matches!(
            png_from_svg("<svg", 1.0),
            Err(ExportError::Svg(_))
        ));
    }
}
