//! Shared helpers of the UI tests: the app in a 1280×800 kittest harness.

use archboard::app::Document;
use archboard::model::Diagram;
use archboard::ui::ArchboardApp;
use egui_kittest::Harness;

/// The real app UI in a headless window, set up and settled.
pub fn harness(app: ArchboardApp) -> Harness<'static, ArchboardApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(0.02)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.ui_root(ui), app);
    harness.state().setup(&harness.ctx);
    harness.run();
    harness
}

/// The app on an unsaved `diagram`.
#[allow(dead_code)] // not every test file starts from a bare diagram
pub fn harness_on(diagram: Diagram) -> Harness<'static, ArchboardApp> {
    harness(ArchboardApp::new(Document::new(diagram)))
}
