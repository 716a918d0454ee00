//! Maps the catalog's icon names to Phosphor glyphs and installs the icon font.

use egui_phosphor::regular as ph;

/// The glyph for a catalog icon name; a cube for names this build does not know.
pub fn glyph(name: &str) -> &'static str {
    match name {
        "devices" => ph::DEVICES,
        "globe-hemisphere-west" => ph::GLOBE_HEMISPHERE_WEST,
        "cloud-arrow-down" => ph::CLOUD_ARROW_DOWN,
        "arrows-split" => ph::ARROWS_SPLIT,
        "door-open" => ph::DOOR_OPEN,
        "cube" => ph::CUBE,
        "gear-six" => ph::GEAR_SIX,
        "broadcast" => ph::BROADCAST,
        "lightning" => ph::LIGHTNING,
        "database" => ph::DATABASE,
        "files" => ph::FILES,
        "archive" => ph::ARCHIVE,
        "magnifying-glass" => ph::MAGNIFYING_GLASS,
        "tray-arrow-down" => ph::TRAY_ARROW_DOWN,
        "clock-counter-clockwise" => ph::CLOCK_COUNTER_CLOCKWISE,
        "identification-badge" => ph::IDENTIFICATION_BADGE,
        "scroll" => ph::SCROLL,
        "chart-line-up" => ph::CHART_LINE_UP,
        "path" => ph::PATH,
        "plugs-connected" => ph::PLUGS_CONNECTED,
        "chart-bar" => ph::CHART_BAR,
        "flow-arrow" => ph::FLOW_ARROW,
        _ => ph::CUBE,
    }
}

/// The glyph of a group kind.
pub fn group_glyph(kind: crate::model::GroupKind) -> &'static str {
    use crate::model::GroupKind;
    match kind {
        GroupKind::Region => ph::GLOBE,
        GroupKind::Zone => ph::BUILDINGS,
        GroupKind::Network => ph::SHIELD,
        GroupKind::Cluster => ph::STACK,
        GroupKind::Tenant => ph::USERS_THREE,
    }
}

/// Adds the Phosphor font as a fallback of the proportional family.
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    egui_phosphor::add_to_fonts(&mut fonts, egui_phosphor::Variant::Regular);
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ComponentKind;

    #[test]
    fn every_catalog_icon_has_its_own_glyph() {
        for kind in ComponentKind::all() {
            let name = kind.info().icon;
            assert!(
                name == "cube" || glyph(name) != ph::CUBE,
                "{kind:?} uses the unknown icon {name}"
            );
        }
    }
}
