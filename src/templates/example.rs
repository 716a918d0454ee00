//! A small real-time chat design, drawn the way a hurried candidate would:
//! the fixture of many UI tests and of `docs/example-session-report.md`.
//! The app itself starts on the chat starter template
//! (`ui::STARTUP_TEMPLATE`); this one stays in code so tests do not depend
//! on the template files.

use crate::catalog::ComponentKind as K;
use crate::model::{
    Component, Connection, ConnectionKind, Diagram, Group, GroupKind, Id, Note, Point, Policy, Rect,
};

pub fn example_design() -> Diagram {
    let mut d = Diagram::new("Real-time chat (starter)");
    d.requirements.functional = vec![
        "Users send messages to one-to-one and group chats".to_owned(),
        "Online users receive messages instantly".to_owned(),
    ];
    let mut next = 1;
    let mut add = |d: &mut Diagram, kind: K, name: &str, x: f32, y: f32| {
        let id = Id(next);
        next += 1;
        d.components.push(Component {
            id,
            kind,
            name: name.to_owned(),
            position: Point::new(x, y),
            properties: kind.default_properties(),
        });
        id
    };
    let client = add(&mut d, K::Client, "Chat app", 0.0, 200.0);
    let gateway = add(&mut d, K::ApiGateway, "API gateway", 300.0, 100.0);
    let hub = add(&mut d, K::RealtimeHub, "Chat hub", 300.0, 300.0);
    let api = add(&mut d, K::Service, "Messages API", 600.0, 100.0);
    let db = add(&mut d, K::DocumentDb, "Messages store", 900.0, 100.0);
    let queue = add(&mut d, K::Queue, "Message events", 900.0, 300.0);
    let worker = add(&mut d, K::Worker, "Fan-out worker", 600.0, 300.0);
    let idp = add(&mut d, K::IdentityProvider, "Entra ID", 0.0, 0.0);
    // A scaled-out hub with no backplane: the classic gap in this question.
    if let Some(c) = d.components.iter_mut().find(|c| c.id == hub) {
        c.properties.instances = Some(3);
    }
    if let Some(c) = d.components.iter_mut().find(|c| c.id == db) {
        c.properties.partition_key = Some("chatId".to_owned());
    }

    let links = [
        (client, gateway, ConnectionKind::Request, "REST"),
        (client, hub, ConnectionKind::Push, "WebSocket"),
        (client, idp, ConnectionKind::Request, "sign in"),
        (gateway, api, ConnectionKind::Request, ""),
        (api, db, ConnectionKind::Write, ""),
        (api, queue, ConnectionKind::Publish, "message sent"),
        (queue, worker, ConnectionKind::Consume, ""),
        (worker, hub, ConnectionKind::Request, "deliver"),
    ];
    for (from, to, kind, label) in links {
        d.connections.push(Connection {
            id: Id(next),
            from,
            to,
            kind,
            label: label.to_owned(),
            policy: Policy::default(),
            idempotent: false,
        });
        next += 1;
    }
    d.groups.push(Group {
        id: Id(next),
        kind: GroupKind::Region,
        label: "West Europe".to_owned(),
        rect: Rect::new(260.0, 40.0, 900.0, 380.0),
    });
    next += 1;
    d.notes.push(Note {
        id: Id(next),
        text: "Open question: how does a message reach a user connected to another hub instance?"
            .to_owned(),
        rect: Rect::new(0.0, 460.0, 300.0, 110.0),
    });
    next += 1;
    d.next_id = next;
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_is_consistent_and_non_trivial() {
        let d = super::example_design();
        assert_eq!(d.check_integrity(), Ok(()));
        assert!(d.components.len() >= 6 && d.connections.len() >= 6);
        assert_eq!(d.groups.len(), 1);
        let region = d.groups[0].rect;
        let inside = d
            .components
            .iter()
            .filter(|c| region.contains_rect(c.rect()))
            .count();
        assert!(inside >= 4, "the region holds the back end");
    }
}
