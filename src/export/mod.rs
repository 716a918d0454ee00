//! Export of a design: the one SVG rendering (whole design, a selection or
//! a presentation step), PNG and PDF rendered from it with the bundled
//! fonts, Mermaid / D2 / Graphviz DOT text, and Mermaid import. No UI types.

pub mod card;
pub mod escape;
pub mod fonts;
pub mod geometry;
pub mod icons;
pub mod style;
