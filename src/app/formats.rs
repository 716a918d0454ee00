//! The export formats the app and the CLI write, and the picture that
//! "Copy as image" puts on the clipboard. The drawing itself is
//! `crate::export`'s; this module only picks the options the app uses and
//! names the formats for menus, dialogs and file names.

use serde::{Deserialize, Serialize};

use crate::export::{self, ExportError, Scope, SvgOptions, Theme};
use crate::model::{Diagram, Id};

/// One way to write a design out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExportFormat {
    Svg,
    Png,
    /// One page per presentation step.
    Pdf,
    /// A Mermaid flowchart: keeps kinds, labels and groups, so it imports
    /// back.
    Mermaid,
    /// Mermaid architecture-beta: groups, services and edges, no labels.
    MermaidArchitecture,
    D2,
    Dot,
}

/// The scale of an exported PNG: sharp on high-density screens and in
/// documents, still small for a typical design.
pub const EXPORT_PNG_SCALE: f32 = 2.0;

impl ExportFormat {
    /// In menu order.
    pub const ALL: [Self; 7] = [
        Self::Svg,
        Self::Png,
        Self::Pdf,
        Self::Mermaid,
        Self::MermaidArchitecture,
        Self::D2,
        Self::Dot,
    ];

    /// The extension of the file it writes.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
            Self::Pdf => "pdf",
            Self::Mermaid | Self::MermaidArchitecture => "mmd",
            Self::D2 => "d2",
            Self::Dot => "dot",
        }
    }

    /// Its name in menus ("SVG…" is built from it).
    pub fn label(self) -> &'static str {
        match self {
            Self::Svg => "SVG",
            Self::Png => "PNG",
            Self::Pdf => "PDF",
            Self::Mermaid => "Mermaid",
            Self::MermaidArchitecture => "Mermaid architecture",
            Self::D2 => "D2",
            Self::Dot => "DOT",
        }
    }

    /// What the file is, for a dialog's file filter.
    pub fn file_kind(self) -> &'static str {
        match self {
            Self::Svg => "SVG images",
            Self::Png => "PNG images",
            Self::Pdf => "PDF documents",
            Self::Mermaid | Self::MermaidArchitecture => "Mermaid diagrams",
            Self::D2 => "D2 diagrams",
            Self::Dot => "Graphviz DOT files",
        }
    }

    /// One line for the menu's tooltip.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Svg => "A vector picture of the whole design, with selectable text",
            Self::Png => "A picture of the whole design at twice the canvas size",
            Self::Pdf => "A page per presentation step (the whole design when there are none)",
            Self::Mermaid => "A Mermaid flowchart that keeps kinds, labels and groups",
            Self::MermaidArchitecture => {
                "A Mermaid architecture-beta diagram: groups, services and edges, without labels"
            }
            Self::D2 => "A D2 diagram with containers for the groups",
            Self::Dot => "A Graphviz graph with clusters for the groups",
        }
    }

    /// Whether the file is text (the rest are binary).
    pub fn is_text(self) -> bool {
        !matches!(self, Self::Png | Self::Pdf)
    }

    /// The file's bytes. `options` matter to SVG, PNG and PDF; `png_scale`
    /// only to PNG. A standalone SVG carries its font when
    /// `options.embed_font` asks for it.
    pub fn render(
        self,
        diagram: &Diagram,
        options: &SvgOptions,
        png_scale: f32,
    ) -> Result<Vec<u8>, ExportError> {
        Ok(match self {
            Self::Svg => export::svg(diagram, options).into_bytes(),
            Self::Png => export::png(diagram, options, png_scale)?,
            Self::Pdf => export::pdf(diagram, options)?,
            Self::Mermaid => export::mermaid(diagram).into_bytes(),
            Self::MermaidArchitecture => export::mermaid_architecture(diagram).into_bytes(),
            Self::D2 => export::d2(diagram).into_bytes(),
            Self::Dot => export::dot(diagram).into_bytes(),
        })
    }

    /// The file name a dialog suggests for a design file (or title) stem.
    pub fn suggested_name(self, stem: &str) -> String {
        match self {
            Self::MermaidArchitecture => format!("{stem} architecture.mmd"),
            _ => format!("{stem}.{}", self.extension()),
        }
    }
}

/// How the app draws exports: the light theme (what documents and slides
/// expect), no checklist badges, and for a standalone SVG the font inside.
pub fn app_export_options(format: ExportFormat) -> SvgOptions {
    SvgOptions {
        theme: Theme::Light,
        embed_font: format == ExportFormat::Svg,
        ..SvgOptions::default()
    }
}

/// What "Copy as image" copies: the selected items when there are any,
/// else the whole design.
pub fn copy_scope(selection: &[Id]) -> Scope {
    if selection.is_empty() {
        Scope::All
    } else {
        Scope::Selection(selection.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_renders_the_example_and_names_its_file() {
        let diagram = crate::templates::example::example_design();
        for format in ExportFormat::ALL {
            let bytes = format
                .render(&diagram, &app_export_options(format), 1.0)
                .unwrap();
            assert!(!bytes.is_empty(), "{format:?}");
            let name = format.suggested_name("Chat");
            assert!(
                name.ends_with(&format!(".{}", format.extension())),
                "{name}"
            );
            if format.is_text() {
                let text = String::from_utf8(bytes).unwrap();
                assert!(
                    text.contains("Messages API"),
                    "{format:?} names the components"
                );
            }
        }
        let png = ExportFormat::Png
            .render(&diagram, &app_export_options(ExportFormat::Png), 1.0)
            .unwrap();
        assert_eq!(png.get(1..4), Some(&b"PNG"[..]));
        let pdf = ExportFormat::Pdf
            .render(&diagram, &app_export_options(ExportFormat::Pdf), 1.0)
            .unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn only_a_standalone_svg_embeds_the_font() {
        assert!(app_export_options(ExportFormat::Svg).embed_font);
        assert!(!app_export_options(ExportFormat::Png).embed_font);
        assert_eq!(copy_scope(&[]), Scope::All);
        assert_eq!(copy_scope(&[Id(3)]), Scope::Selection(vec![Id(3)]));
    }
}
