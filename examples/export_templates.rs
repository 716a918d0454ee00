//! Renders the 2× PNG of every reference template into `docs/export/`
//! (the pictures the README and issue 14 point at):
//! `cargo run --release --example export_templates [light|dark]`.

use archboard::export::{self, SvgOptions, Theme};

fn main() -> anyhow::Result<()> {
    let theme = match std::env::args().nth(1).as_deref() {
        Some("dark") => Theme::Dark,
        _ => Theme::Light,
    };
    std::fs::create_dir_all("docs/export")?;
    for t in archboard::templates::all() {
        if t.variant != archboard::templates::Variant::Reference {
            continue;
        }
        let diagram = t.diagram()?;
        let options = SvgOptions {
            theme,
            ..SvgOptions::default()
        };
        let png = export::png(&diagram, &options, 2.0)?;
        let name = t.name.trim_end_matches("-reference");
        let suffix = if theme == Theme::Dark { "-dark" } else { "" };
        let path = format!("docs/export/{name}{suffix}.png");
        std::fs::write(&path, png)?;
        println!("wrote {path}");
    }
    Ok(())
}
