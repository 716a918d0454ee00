//! `archboard export FILE --format svg|png|pdf|mermaid|mermaid-architecture|d2|dot
//! [-o OUT | -o -] [--step N] [--scale S] [--theme light|dark] [--findings]`.
//!
//! Without `-o` the export goes beside the design with the format's
//! extension; `-o -` prints it (PNG and PDF bytes too, for pipes). Files
//! are written to a temporary file and renamed, so a failed export never
//! leaves half a file. Exit codes: 0 written, 2 usage (a step the design
//! does not have, a scale out of range, an output that is the design
//! itself), 3 the design cannot be loaded, 4 the output cannot be written.

use std::path::{Path, PathBuf};

use super::output::{Stdout, eprint_line, terminal_safe};
use super::{EXIT_LOAD_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED};
use crate::app::ExportFormat;
use crate::export::{Scope, SvgOptions, Theme};

/// Output formats of `archboard export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Svg,
    Png,
    Pdf,
    /// A Mermaid flowchart (keeps kinds, labels and groups).
    Mermaid,
    /// Mermaid architecture-beta (groups, services, edges; no labels).
    MermaidArchitecture,
    D2,
    Dot,
}

impl Format {
    /// The app's name for the format (which renders it).
    fn app(self) -> ExportFormat {
        match self {
            Self::Svg => ExportFormat::Svg,
            Self::Png => ExportFormat::Png,
            Self::Pdf => ExportFormat::Pdf,
            Self::Mermaid => ExportFormat::Mermaid,
            Self::MermaidArchitecture => ExportFormat::MermaidArchitecture,
            Self::D2 => ExportFormat::D2,
            Self::Dot => ExportFormat::Dot,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

/// Arguments of `archboard export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The design file (.ron).
    pub path: PathBuf,
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where to write; `-` prints. Default: beside the design, with the
    /// format's extension (`design architecture.mmd` for architecture-beta,
    /// as the app suggests, so it never replaces the flowchart).
    #[arg(short = 'o', long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Only what present mode shows at this step (1 = the first). The PDF
    /// has a page per step anyway.
    #[arg(long, value_name = "N")]
    pub step: Option<usize>,
    /// PNG scale (1 or 2 for a sharp copy; at most 4).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f32,
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// Draw the checklist's open findings as badges (SVG, PNG, PDF).
    #[arg(long)]
    pub findings: bool,
}

/// Runs the command and returns the exit code.
pub fn run(args: &ExportArgs) -> u8 {
    let Some(diagram) = super::load_or_report(&args.path) else {
        return EXIT_LOAD_FAILED;
    };
    if !(0.1..=4.0).contains(&args.scale) {
        eprintln!("--scale must be between 0.1 and 4 (it is {})", args.scale);
        return EXIT_USAGE;
    }
    let scope = match args.step {
        None => Scope::All,
        Some(n) if n >= 1 && n <= diagram.steps.len() => Scope::Step(n - 1),
        Some(n) => {
            eprintln!(
                "the design has {} presentation step(s); --step {n} is not one of them",
                diagram.steps.len()
            );
            return EXIT_USAGE;
        }
    };
    let options = SvgOptions {
        scope,
        theme: match args.theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        },
        findings: args.findings,
        embed_font: args.format == Format::Svg,
        ..SvgOptions::default()
    };
    let output = args.output.clone().unwrap_or_else(|| {
        // The name the app suggests, beside the design.
        let stem = args.path.file_stem().unwrap_or_default().to_string_lossy();
        args.path
            .with_file_name(args.format.app().suggested_name(&stem))
    });
    let shown = terminal_safe(&output.display().to_string()).into_owned();
    if output != Path::new("-") && super::is_same_file(&args.path, &output) {
        eprint_line(&format!(
            "the export would overwrite the design itself; choose another output file: {shown}"
        ));
        return EXIT_USAGE;
    }
    let bytes: Vec<u8> = match args.format.app().render(&diagram, &options, args.scale) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprint_line(&terminal_safe(&format!(
                "could not render the design: {err}: {}",
                args.path.display()
            )));
            return EXIT_WRITE_FAILED;
        }
    };
    let mut out = Stdout::new();
    if output == Path::new("-") {
        out.write_bytes(&bytes);
        return out.finish(0);
    }
    match super::write_file(&output, &bytes) {
        Ok(()) => {
            out.line(&format!("wrote {shown}"));
            out.finish(0)
        }
        Err(message) => {
            eprint_line(&terminal_safe(&format!(
                "could not write the export: {message}"
            )));
            EXIT_WRITE_FAILED
        }
    }
}
