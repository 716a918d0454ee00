//! The egui front end.

/// Opens the main window. Placeholder until the UI lands.
pub fn run_native(_file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!("the window is not built yet")
}
