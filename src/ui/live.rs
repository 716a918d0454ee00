//! The interviewer link in the window: Interview → Invite interviewer…
//! (start, the links with copy buttons and a QR code, who is watching,
//! stop), the status-bar indicator, the curveball banner, and the comment
//! markers on the canvas. Once per frame [`ArchboardApp::live_frame`]
//! pumps the host: viewers' requests go through the session's door with
//! their origin, and what changed goes out.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use egui::{Align2, Color32, RichText, Sense, Ui, vec2};

use super::ArchboardApp;
use super::theme;
use crate::app::Command;
use crate::interview::Comment;
use crate::live::{Host, HostOptions, Link, Pointer, Role};
use crate::model::Id;

/// The window's share of the interviewer link.
#[derive(Debug, Default)]
pub struct LiveUi {
    /// While sharing.
    pub host: Option<Host>,
    /// Whether the invite window is open.
    pub window_open: bool,
    /// Accept other machines on the network (listen on every address).
    pub accept_others: bool,
    /// The port to listen on; empty or 0 picks a free one.
    pub port: String,
    /// A relay to connect out to (`http://host:port`), optional.
    pub relay: String,
    /// Why the last start failed.
    pub error: Option<String>,
    /// Which link the QR code shows.
    shown_link: usize,
    /// The QR code of a link: (link, modules per side, dark modules).
    qr: Option<(String, usize, Vec<bool>)>,
    /// The card whose comments are open in a popup, and where its marker is.
    open_comments: Option<Id>,
    open_at: egui::Pos2,
}

impl LiveUi {
    pub fn is_sharing(&self) -> bool {
        self.host.is_some()
    }

    /// The options the window's fields ask for.
    pub fn options(&self) -> Result<HostOptions, String> {
        let port = match self.port.trim() {
            "" => 0,
            text => text
                .parse::<u16>()
                .map_err(|_| format!("{text:?} is not a port number (0 to 65535)"))?,
        };
        let ip = if self.accept_others {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        };
        let relay = self.relay.trim();
        Ok(HostOptions {
            listen: Some(SocketAddr::new(ip, port)),
            relay: (!relay.is_empty()).then(|| relay.to_owned()),
            ..HostOptions::default()
        })
    }
}

impl ArchboardApp {
    /// Starts sharing with the window's options.
    pub fn start_sharing(&mut self, ctx: &egui::Context) {
        let options = match self.live.options() {
            Ok(options) => options,
            Err(err) => {
                self.live.error = Some(err);
                return;
            }
        };
        let repaint = ctx.clone();
        let waker = std::sync::Arc::new(move || repaint.request_repaint());
        match Host::start(&mut self.session, &options, waker) {
            Ok(host) => {
                self.live.host = Some(host);
                self.live.error = None;
                self.live.shown_link = 0;
            }
            Err(err) => self.live.error = Some(format!("Could not start sharing: {err}")),
        }
    }

    /// Stops sharing and disconnects everyone.
    pub fn stop_sharing(&mut self) {
        if let Some(host) = self.live.host.take() {
            host.stop();
        }
        self.live.qr = None;
    }

    /// Once per frame, after the frame's own commands: runs the viewers'
    /// requests and sends what changed, with the pointer, the cursor and
    /// the view of the canvas.
    pub(super) fn live_frame(&mut self) {
        let Some(host) = self.live.host.as_mut() else {
            return;
        };
        let round = |p: crate::model::Point| [p.x.round(), p.y.round()];
        let pointer = Pointer {
            laser: self.canvas.laser_point().map(round),
            cursor: self.canvas.pointer.map(round),
            view: self
                .canvas
                .visible_rect()
                .map(|r| [r.x.round(), r.y.round(), r.w.round(), r.h.round()]),
        };
        host.pump(&mut self.session, pointer);
    }

    /// The status bar's part: who is watching (a click opens the window).
    pub(super) fn live_status_ui(&mut self, ui: &mut Ui) {
        let Some(host) = &self.live.host else {
            return;
        };
        let viewers = host.viewers();
        let text = if viewers.is_empty() {
            "Live · nobody watching yet".to_owned()
        } else {
            let names: Vec<String> = viewers
                .iter()
                .map(|v| format!("{} ({})", v.name, v.role.label()))
                .collect();
            format!("Live · {}", names.join(", "))
        };
        ui.separator();
        let label = RichText::new(format!("{} {text}", egui_phosphor::regular::BROADCAST))
            .color(theme::LIVE_DOT);
        if ui
            .link(label)
            .on_hover_text("The interviewer link: who is connected. Click for the links")
            .clicked()
        {
            self.live.window_open = true;
        }
    }

    /// Interview → Invite interviewer…
    pub(super) fn invite_window_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.live.window_open;
        let mut start = false;
        let mut stop = false;
        egui::Window::new("Invite interviewer")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .min_width(600.0)
            .show(ctx, |ui| {
                if self.live.host.is_some() {
                    stop = self.sharing_ui(ui);
                } else {
                    start = self.setup_ui(ui);
                }
            });
        self.live.window_open = open;
        if start {
            self.start_sharing(ctx);
        }
        if stop {
            self.stop_sharing();
        }
    }

    /// Before sharing: where to listen. Returns whether to start.
    fn setup_ui(&mut self, ui: &mut Ui) -> bool {
        let live = &mut self.live;
        ui.label("A mock interviewer opens a link in a browser: they see the board live, rate probes, pin comments and throw curveballs. Nothing to install.");
        ui.add_space(6.0);
        ui.checkbox(
            &mut live.accept_others,
            "Accept other machines on this network",
        )
        .on_hover_text(
            "Off: only this computer can open the link (use it with an SSH tunnel or a relay)",
        );
        if live.accept_others {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Anyone on this network who has the link can watch; the link's secret is the only lock",
            );
        }
        ui.horizontal(|ui| {
            ui.label("Port");
            let r = ui.add(
                egui::TextEdit::singleline(&mut live.port)
                    .desired_width(70.0)
                    .hint_text("any"),
            );
            super::label_for(&r, "Port");
        });
        ui.horizontal(|ui| {
            ui.label("Relay (optional)");
            let r = ui.add(
                egui::TextEdit::singleline(&mut live.relay)
                    .desired_width(220.0)
                    .hint_text("http://relay.example:9000"),
            );
            super::label_for(&r, "Relay");
        });
        if let Some(error) = &live.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(6.0);
        ui.button("Start sharing").clicked()
    }

    /// While sharing: the links, the QR code, who is watching. Returns
    /// whether to stop.
    fn sharing_ui(&mut self, ui: &mut Ui) -> bool {
        let Some(host) = &self.live.host else {
            return false;
        };
        let links: Vec<Link> = host.links().to_vec();
        let viewers = host.viewers();
        let relay = links
            .iter()
            .any(|l| l.place == "relay")
            .then(|| relay_text(&host.relay_status()));
        for (role, title) in [
            (
                Role::Interviewer,
                "Interviewer link (can rate, comment and throw curveballs)",
            ),
            (Role::Observer, "Observer link (read-only)"),
        ] {
            ui.label(RichText::new(title).strong());
            for (index, link) in links.iter().enumerate().filter(|(_, l)| l.role == role) {
                ui.horizontal(|ui| {
                    ui.weak(&link.place);
                    let copy = ui
                        .button("Copy")
                        .on_hover_text("Copy the link to the clipboard");
                    super::label_for(
                        &copy,
                        &format!("Copy the {} link ({})", role.label(), link.place),
                    );
                    if copy.clicked() {
                        ui.ctx().copy_text(link.url.clone());
                    }
                    if role == Role::Interviewer
                        && ui
                            .selectable_label(self.live.shown_link == index, "QR")
                            .on_hover_text("Show this link as a QR code")
                            .clicked()
                    {
                        self.live.shown_link = index;
                    }
                });
                let mut url = link.url.clone();
                ui.add(
                    egui::TextEdit::singleline(&mut url)
                        .font(egui::TextStyle::Monospace)
                        .desired_width(f32::INFINITY)
                        .interactive(true),
                );
            }
            ui.add_space(4.0);
        }
        if let Some(status) = relay {
            ui.label(format!("Relay: {status}"));
        }
        if let Some(link) = links.get(self.live.shown_link) {
            qr_ui(ui, &mut self.live.qr, &link.url);
        }
        ui.separator();
        if viewers.is_empty() {
            ui.weak("Nobody is watching yet");
        } else {
            ui.label(RichText::new("Watching").strong());
            for v in &viewers {
                ui.horizontal(|ui| {
                    let how = if v.via_relay {
                        ", through the relay"
                    } else {
                        ""
                    };
                    ui.label(format!("{} ({}{how})", v.name, v.role.label()));
                    let mut can_act = v.role == Role::Interviewer;
                    let r = ui
                        .checkbox(&mut can_act, "Can rate and comment")
                        .on_hover_text("Observers watch only unless you allow more");
                    super::label_for(&r, &format!("{} can rate and comment", v.name));
                    if r.changed() {
                        let role = if can_act {
                            Role::Interviewer
                        } else {
                            Role::Observer
                        };
                        host.grant(v.id, role);
                    }
                });
            }
        }
        ui.add_space(6.0);
        ui.button("Stop sharing")
            .on_hover_text("End the session and disconnect everyone")
            .clicked()
    }

    /// The banner of curveballs the interviewer threw, above the canvas.
    pub(super) fn curveball_banner_ui(&mut self, ui: &mut Ui) {
        let open: Vec<_> = self
            .session
            .interview()
            .open_curveballs()
            .cloned()
            .collect();
        if open.is_empty() {
            return;
        }
        let mut dismiss = Vec::new();
        egui::Panel::top("curveball-banner")
            .frame(
                egui::Frame::new()
                    .fill(theme::CURVEBALL_FILL)
                    .inner_margin(8.0),
            )
            .show(ui, |ui| {
                for ball in &open {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(format!("Curveball: {}", ball.kind.label()))
                                .strong()
                                .color(theme::CURVEBALL_TEXT),
                        );
                        if !ball.detail.is_empty() {
                            ui.label(RichText::new(&ball.detail).color(theme::CURVEBALL_TEXT));
                        }
                        ui.label(
                            RichText::new(format!("— {}", ball.kind.prompt()))
                                .color(theme::CURVEBALL_TEXT),
                        );
                        ui.weak(format!("from {}", ball.author));
                        let r = ui.button("Dismiss");
                        super::label_for(&r, &format!("Dismiss curveball {}", ball.id));
                        if r.clicked() {
                            dismiss.push(ball.id);
                        }
                    });
                }
            });
        for id in dismiss {
            self.session.send(Command::DismissCurveball { id });
        }
    }

    /// Markers on the cards that carry open comments; a click shows them
    /// with a Resolve button each.
    pub(super) fn comment_markers_ui(&mut self, ctx: &egui::Context) {
        let comments: Vec<Comment> = self.session.interview().open_comments().cloned().collect();
        if comments.is_empty() {
            self.live.open_comments = None;
            return;
        }
        let screen = self.canvas.screen_rect;
        let mut by_card: std::collections::BTreeMap<Id, Vec<&Comment>> = Default::default();
        for c in &comments {
            by_card.entry(c.component).or_default().push(c);
        }
        for (&id, list) in &by_card {
            let Some(card) = self.session.diagram().component(id) else {
                continue;
            };
            if !self.canvas.shows(id) {
                continue;
            }
            let corner = self.canvas.view.to_screen(card.rect().min());
            if !screen.contains(corner) {
                continue;
            }
            let name = format!("Comments on {}", card.name);
            egui::Area::new(egui::Id::new(("comment-marker", id.0)))
                .fixed_pos(
                    corner - vec2(theme::COMMENT_MARKER_RADIUS, theme::COMMENT_MARKER_RADIUS),
                )
                .order(egui::Order::Middle)
                .show(ctx, |ui| {
                    let size = vec2(2.0, 2.0) * theme::COMMENT_MARKER_RADIUS;
                    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
                    let painter = ui.painter();
                    painter.circle_filled(
                        rect.center(),
                        theme::COMMENT_MARKER_RADIUS,
                        theme::COMMENT_MARKER,
                    );
                    painter.text(
                        rect.center(),
                        Align2::CENTER_CENTER,
                        list.len().to_string(),
                        egui::FontId::proportional(12.0),
                        Color32::WHITE,
                    );
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &name)
                    });
                    if response.on_hover_text(&name).clicked() {
                        self.live.open_comments =
                            (self.live.open_comments != Some(id)).then_some(id);
                        self.live.open_at = rect.right_bottom();
                    }
                });
        }
        let Some(open) = self.live.open_comments else {
            return;
        };
        let Some(list) = by_card.get(&open) else {
            self.live.open_comments = None;
            return;
        };
        let title = self.session.diagram().component(open).map_or_else(
            || "Comments".to_owned(),
            |c| format!("Comments on {}", c.name),
        );
        let mut resolve = Vec::new();
        let mut keep_open = true;
        egui::Window::new(title)
            .id(egui::Id::new(("comment-popup", open.0)))
            .default_pos(self.live.open_at)
            .open(&mut keep_open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                for c in list {
                    ui.label(RichText::new(&c.author).weak());
                    ui.label(&c.text);
                    let r = ui.button("Resolve");
                    super::label_for(&r, &format!("Resolve comment {}", c.id));
                    if r.clicked() {
                        resolve.push(c.id);
                    }
                    ui.separator();
                }
            });
        if !keep_open {
            self.live.open_comments = None;
        }
        for id in resolve {
            self.session
                .send(Command::ResolveComment { id, resolved: true });
        }
    }
}

/// How the relay link is doing, in words.
fn relay_text(status: &crate::live::relay::LinkStatus) -> String {
    use crate::live::relay::LinkStatus;
    match status {
        LinkStatus::Connecting => "connecting…".to_owned(),
        LinkStatus::Connected => "connected".to_owned(),
        LinkStatus::Refused(why) => format!("refused: {why}"),
        LinkStatus::Lost(why) => format!("lost, trying again: {why}"),
    }
}

/// A QR code of `url`, computed once per link.
fn qr_ui(ui: &mut Ui, cache: &mut Option<(String, usize, Vec<bool>)>, url: &str) {
    if cache.as_ref().is_none_or(|(u, _, _)| u != url) {
        *cache = qrcode::QrCode::new(url.as_bytes()).ok().map(|code| {
            let width = code.width();
            let dark = code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect();
            (url.to_owned(), width, dark)
        });
    }
    let Some((_, width, dark)) = cache.as_ref() else {
        return;
    };
    let quiet = 4.0;
    let side = (*width as f32 + 2.0 * quiet) * theme::QR_MODULE;
    let (rect, response) = ui.allocate_exact_size(vec2(side, side), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::WidgetType::Image, true, "QR code of the link")
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (i, &is_dark) in dark.iter().enumerate() {
        if !is_dark {
            continue;
        }
        let (x, y) = ((i % width) as f32, (i / width) as f32);
        let min = rect.min + vec2(x + quiet, y + quiet) * theme::QR_MODULE;
        painter.rect_filled(
            egui::Rect::from_min_size(min, vec2(theme::QR_MODULE, theme::QR_MODULE)),
            0.0,
            Color32::BLACK,
        );
    }
}
