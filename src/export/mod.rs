//! Export of a design: the one SVG rendering (whole design, a selection or
//! a presentation step; also in pieces, `drawing`, for the live board), PNG
//! and PDF rendered from it with the bundled fonts, Mermaid / D2 / Graphviz
//! DOT text, and Mermaid import. No UI types.

pub mod card;
pub mod drawing;
pub mod escape;
pub mod fonts;
pub mod geometry;
pub mod icons;
pub mod style;
pub mod svg;

pub use drawing::{Changes, Drawing, Layer, Layers, Piece, Redrawer, drawing, needs_order};
pub use style::Theme;
pub use svg::{Scope, SvgOptions, frame, revealed, svg};
mod render;

pub use render::{MAX_PNG_PIXELS, Pixels, pdf, pixels, png, png_from_svg, png_scale};

use thiserror::Error;

/// Why an export could not be made.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ExportError {
    #[error("the drawing could not be read back: {0}")]
    Svg(String),
    #[error("the picture is too large to render")]
    TooLarge,
    #[error("the PNG could not be encoded: {0}")]
    Encode(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
mod d2;
mod dot;
mod mermaid;
mod mermaid_in;
mod tree;

pub use d2::d2;
pub use dot::dot;
pub use mermaid::{mermaid, mermaid_architecture};
pub use mermaid_in::{
    ImportError, MAX_INPUT_BYTES as MERMAID_MAX_BYTES, import_mermaid, kind_from_name,
};
