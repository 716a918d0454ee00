//! What a component card and a wire caption show, as plain data: the one
//! description of a card's content that the SVG export draws and the canvas
//! can draw too (it mirrors `ui/canvas/paint.rs` today).

use crate::catalog::Category;
use crate::model::{Backplane, Component, Connection, Retry};

/// Where things sit on a card, in canvas units from its top-left corner.
pub mod metrics {
    /// Top-left of the icon line.
    pub const ICON_X: f32 = 16.0;
    pub const ICON_Y: f32 = 12.0;
    /// Left edge of the name and kind lines.
    pub const TEXT_X: f32 = 50.0;
    /// Space kept free right of the text.
    pub const TEXT_RIGHT_PAD: f32 = 10.0;
    /// Tops of the name and kind lines.
    pub const NAME_Y: f32 = 10.0;
    pub const KIND_Y: f32 = 30.0;
    /// The chips: left edge, distance of their top from the card's bottom,
    /// inner padding, height, gap, and space kept free on the right.
    pub const CHIP_X: f32 = 16.0;
    pub const CHIP_FROM_BOTTOM: f32 = 22.0;
    pub const CHIP_PAD: f32 = 5.0;
    pub const CHIP_HEIGHT: f32 = 16.0;
    pub const CHIP_GAP: f32 = 4.0;
    pub const CHIP_RIGHT_PAD: f32 = 8.0;
}

/// The content of one card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardContent {
    /// The catalog's icon name (see [`super::icons::codepoint`]).
    pub icon: &'static str,
    /// The component's name.
    pub title: String,
    /// The kind line, e.g. "Relational database".
    pub kind: &'static str,
    /// Short tags for the properties that matter most, in display order.
    pub chips: Vec<String>,
    /// The palette category, which picks the accent colour.
    pub category: Category,
}

/// What the card of `c` shows.
pub fn card_content(c: &Component) -> CardContent {
    let info = c.kind.info();
    CardContent {
        icon: info.icon,
        title: c.name.clone(),
        kind: info.name,
        chips: chips(c),
        category: info.category,
    }
}

/// Short tags for the properties that matter most, shown under the name.
pub fn chips(c: &Component) -> Vec<String> {
    let p = &c.properties;
    let mut out = Vec::new();
    if let Some(n) = p.instances
        && n > 1
    {
        out.push(format!("×{n}"));
    }
    let flag = |v: Option<bool>| v == Some(true);
    if flag(p.autoscaling) {
        out.push("autoscale".to_owned());
    }
    if p.backplane.is_some_and(|b| b != Backplane::None) {
        out.push("backplane".to_owned());
    }
    if flag(p.dead_letter_queue) {
        out.push("DLQ".to_owned());
    }
    if let Some(n) = p.replicas
        && n > 0
    {
        out.push(format!("{n} replica{}", if n == 1 { "" } else { "s" }));
    }
    for (on, tag) in [
        (p.failover, "failover"),
        (p.authentication, "auth"),
        (p.rate_limiting, "rate limit"),
        (p.idempotent, "idempotent"),
    ] {
        if flag(on) {
            out.push(tag.to_owned());
        }
    }
    if let Some(key) = p.partition_key.as_deref()
        && !key.trim().is_empty()
    {
        // Cosmos DB writes partition keys as paths ("/customerId"); a key
        // typed without the slash gets one, a key typed with it keeps one.
        let key = key.trim();
        out.push(if key.starts_with('/') {
            key.to_owned()
        } else {
            format!("/{key}")
        });
    }
    if flag(p.tracing) {
        out.push("traced".to_owned());
    }
    out
}

/// What a wire's caption shows: its label and icons for the parts of its
/// policy that are set (timeout, retry, circuit breaker), in that order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireCaption {
    pub label: String,
    /// Icon names (see [`super::icons::codepoint`]).
    pub icons: Vec<&'static str>,
}

impl WireCaption {
    pub fn is_empty(&self) -> bool {
        self.label.is_empty() && self.icons.is_empty()
    }
}

/// The caption of a connection.
pub fn wire_caption(conn: &Connection) -> WireCaption {
    let icons = [
        (conn.policy.timeout_ms.is_some(), "timer"),
        (conn.policy.retry != Retry::None, "arrow-clockwise"),
        (conn.policy.circuit_breaker, "plugs"),
    ]
    .into_iter()
    .filter_map(|(on, icon)| on.then_some(icon))
    .collect();
    WireCaption {
        label: conn.label.clone(),
        icons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ComponentKind;
    use crate::model::{Id, Point, Policy};

    #[test]
    fn a_card_shows_name_kind_icon_and_the_properties_that_are_set() {
        let mut c = Component {
            id: Id(1),
            kind: ComponentKind::Queue,
            name: "Orders".to_owned(),
            position: Point::default(),
            properties: ComponentKind::Queue.default_properties(),
        };
        let plain = card_content(&c);
        assert_eq!(plain.icon, "tray-arrow-down");
        assert_eq!(plain.kind, "Queue or topic");
        assert_eq!(plain.category, Category::Messaging);
        assert!(!plain.chips.contains(&"DLQ".to_owned()));
        c.properties.dead_letter_queue = Some(true);
        c.properties.instances = Some(3);
        let chips = card_content(&c).chips;
        assert!(chips.contains(&"DLQ".to_owned()), "{chips:?}");
        if c.properties.instances.is_some() {
            assert_eq!(chips.first().map(String::as_str), Some("×3"));
        }
    }

    #[test]
    fn captions_list_the_policy_parts_in_order() {
        let mut conn = Connection {
            id: Id(1),
            from: Id(2),
            to: Id(3),
            kind: Default::default(),
            label: "orders".to_owned(),
            policy: Policy::default(),
            idempotent: false,
        };
        assert!(wire_caption(&conn).icons.is_empty());
        conn.policy.circuit_breaker = true;
        conn.policy.timeout_ms = Some(200);
        let caption = wire_caption(&conn);
        assert_eq!(caption.icons, vec!["timer", "plugs"]);
        assert_eq!(caption.label, "orders");
    }
}
