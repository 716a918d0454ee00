//! The command palette (Ctrl+K): one search box over every action (with its
//! shortcut), every component kind ("add redis" adds a cache named Redis),
//! every item of the design ("Orders DB" selects it and shows it) and every
//! template. The same box, narrowed, picks the kind of a card added next to
//! the selected one (Tab, or the card's "+" handle) or where the empty
//! canvas was double-clicked (then what was typed names the card), finds
//! an item by name (Ctrl+F), and picks the kind of group to wrap the
//! selection in (Ctrl+G). Fully usable from the keyboard: type, Up/Down,
//! Enter, Escape. While adding cards it works like a mind-map editor: Tab
//! adds the card and goes on from it (a chain), Shift+Enter adds it and
//! goes on from the same card (a sibling), Enter adds it and stops.

use egui::{Key, RichText, Ui};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::actions::{Action, shortcut_text};
use crate::app::{Command, Session};
use crate::catalog::ComponentKind;
use crate::model::{GroupKind, Id, ItemRef, Point};

/// What the palette is open for.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// Everything: actions, kinds, items, templates.
    Everything,
    /// Items of the design, by name.
    Find,
    /// The kind of a card added beside `from`, connected from it.
    AddConnected { from: Id },
    /// The kind of a card added at a point of the canvas.
    AddAt { at: Point },
    /// The kind of group that wraps the selection.
    GroupKind,
}

impl Mode {
    fn hint(&self) -> &'static str {
        match self {
            Mode::Everything => "Type an action, a component to add, or an item to find",
            Mode::Find => "Find an item by name",
            Mode::AddConnected { .. } | Mode::AddAt { .. } => {
                "Name the new card (its kind follows the name, or pick one)"
            }
            Mode::GroupKind => "Wrap the selection in a…",
        }
    }

    /// Whether what is typed becomes the new card's name.
    fn names_a_card(&self) -> bool {
        matches!(self, Mode::AddConnected { .. } | Mode::AddAt { .. })
    }
}

/// What choosing an entry does.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    /// Run an action (as from the menu).
    Action(Action),
    /// Send a command to the session (boxed: commands are large).
    Command(Box<Command>),
    /// Add a card, then open the picker again to add the `next` one.
    AddAndContinue { command: Box<Command>, next: Next },
    /// Select an item and show it.
    Reveal(Id),
    /// Open a template (after the unsaved-changes question).
    Template(String),
}

/// Where the picker goes on after adding a card.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// From the card just added (Tab): the next one extends the chain.
    Child,
    /// From this card again (Shift+Enter): the next one is a sibling.
    Sibling(Id),
}

/// One line of the palette.
#[derive(Clone, Debug)]
struct Entry {
    label: String,
    /// What is matched besides the label (products, kind names).
    keywords: String,
    /// Shown at the right: a shortcut, a kind.
    detail: String,
    choice: EntryChoice,
}

/// An entry's effect before the typed text is known.
#[derive(Clone, Debug)]
enum EntryChoice {
    Fixed(Choice),
    /// A card of this kind (named from what was typed, in the add modes).
    Kind(ComponentKind),
}

/// The palette's state between frames.
#[derive(Default)]
pub struct CommandPalette {
    mode: Option<Mode>,
    query: String,
    selected: usize,
    focused: bool,
    /// The pass it was first drawn in: the click that opened it (the end
    /// of a double-click) must not close it again.
    first_pass: Option<u64>,
}

impl std::fmt::Debug for CommandPalette {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandPalette")
            .field("mode", &self.mode)
            .field("query", &self.query)
            .finish()
    }
}

/// How many matches are listed.
const SHOWN: usize = 12;

impl CommandPalette {
    pub fn open(&mut self, mode: Mode) {
        self.mode = Some(mode);
        self.query.clear();
        self.selected = 0;
        self.focused = false;
        self.first_pass = None;
    }

    pub fn is_open(&self) -> bool {
        self.mode.is_some()
    }

    pub fn close(&mut self) {
        self.mode = None;
    }

    /// Draws the palette while it is open; returns what the user chose.
    /// A card added from the everything mode goes near `add_at`.
    pub fn ui(&mut self, ctx: &egui::Context, session: &Session, add_at: Point) -> Option<Choice> {
        let mode = self.mode.clone()?;
        let entries = entries(&mode, session);
        let ranked = rank(&entries, &self.query, &mode);
        self.selected = self.selected.min(ranked.len().saturating_sub(1));
        let adding = mode.names_a_card();
        // Shift+Enter before Enter: a key without modifiers also matches
        // it with Shift held.
        let (shift_enter, up, down, enter, escape, tab) = ctx.input_mut(|i| {
            (
                adding && i.consume_key(egui::Modifiers::SHIFT, Key::Enter),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, Key::Enter),
                i.consume_key(egui::Modifiers::NONE, Key::Escape),
                adding && i.consume_key(egui::Modifiers::NONE, Key::Tab),
            )
        });
        let next = match mode {
            _ if tab => Some(Next::Child),
            Mode::AddConnected { from } if shift_enter => Some(Next::Sibling(from)),
            _ => None,
        };
        if escape {
            self.close();
            return None;
        }
        if down && self.selected + 1 < ranked.len() {
            self.selected += 1;
        }
        if up {
            self.selected = self.selected.saturating_sub(1);
        }
        let mut chosen = (enter || next.is_some()).then_some(self.selected);
        let screen = ctx.content_rect();
        let area = egui::Area::new(egui::Id::new("command-palette"))
            .order(egui::Order::Foreground)
            .fixed_pos(egui::pos2(screen.center().x - 260.0, screen.min.y + 72.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_width(520.0);
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.query)
                            .hint_text(mode.hint())
                            .desired_width(f32::INFINITY)
                            // Tab adds and goes on instead of moving the focus.
                            .lock_focus(adding),
                    );
                    super::label_for(&field, "Command palette");
                    if !self.focused {
                        field.request_focus();
                        self.focused = true;
                    }
                    if field.changed() {
                        self.selected = 0;
                    }
                    if adding {
                        ui.weak(match mode {
                            Mode::AddConnected { .. } => {
                                "Name: kind (Links store: cosmos) · Enter adds · Tab goes on from it · Shift+Enter adds a sibling"
                            }
                            _ => "Name: kind (Links store: cosmos) · Enter adds · Tab goes on from it",
                        });
                    }
                    ui.add_space(4.0);
                    if ranked.is_empty() {
                        ui.weak("Nothing matches");
                    }
                    for (row, &(index, _)) in ranked.iter().take(SHOWN).enumerate() {
                        let Some(entry) = entries.get(index) else {
                            continue;
                        };
                        if self.entry_ui(ui, entry, row == self.selected, &mode) {
                            chosen = Some(row);
                        }
                    }
                });
            });
        // A click anywhere else closes it, like any popup.
        let pass = ctx.cumulative_pass_nr();
        let first_pass = *self.first_pass.get_or_insert(pass);
        let clicked_outside = pass > first_pass
            && ctx.input(|i| {
                i.pointer.any_pressed()
                    && i.pointer
                        .press_origin()
                        .is_some_and(|p| !area.response.rect.contains(p))
            });
        if chosen.is_none() && clicked_outside {
            self.close();
            return None;
        }
        let index = chosen.and_then(|row| ranked.get(row)).map(|&(i, _)| i)?;
        let entry = entries.get(index)?;
        let choice = match (self.resolve(entry, &mode, add_at), next) {
            (Choice::Command(command), Some(next)) => Choice::AddAndContinue { command, next },
            (choice, _) => choice,
        };
        self.close();
        Some(choice)
    }

    /// One row; returns whether it was clicked.
    fn entry_ui(&self, ui: &mut Ui, entry: &Entry, selected: bool, mode: &Mode) -> bool {
        let label = match (&entry.choice, mode.names_a_card()) {
            (EntryChoice::Kind(_), true) if !split_name(&self.query).0.is_empty() => {
                format!(
                    "{} “{}”",
                    entry.label,
                    shown_name(split_name(&self.query).0)
                )
            }
            _ => entry.label.clone(),
        };
        let response = ui
            .horizontal(|ui| {
                let row = ui.selectable_label(selected, label);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new(&entry.detail).weak());
                });
                row
            })
            .inner;
        if selected {
            response.scroll_to_me(None);
        }
        response.clicked()
    }

    /// The effect of choosing `entry` with what was typed.
    fn resolve(&self, entry: &Entry, mode: &Mode, add_at: Point) -> Choice {
        let kind = match &entry.choice {
            EntryChoice::Fixed(choice) => return choice.clone(),
            EntryChoice::Kind(kind) => *kind,
        };
        let typed = self.query.trim();
        let name = match mode {
            Mode::AddConnected { .. } | Mode::AddAt { .. } => card_name(split_name(typed).0, kind),
            // "add redis" adds a cache named Redis.
            _ => card_name(typed.strip_prefix("add ").unwrap_or(""), kind),
        };
        match mode {
            Mode::AddConnected { from } => Choice::Command(Box::new(Command::AddConnected {
                from: *from,
                kind,
                name,
            })),
            Mode::AddAt { at } => Choice::Command(Box::new(match name {
                Some(name) => Command::AddNamed {
                    kind,
                    name,
                    near: *at,
                },
                None => Command::AddComponent { kind, near: *at },
            })),
            _ => Choice::Command(Box::new(match name {
                Some(name) => Command::AddNamed {
                    kind,
                    name,
                    near: add_at,
                },
                None => Command::AddComponent { kind, near: add_at },
            })),
        }
    }
}

/// What was typed in an add mode, split at the first colon: the card's
/// name, and the words that pick its kind ("Links store: cosmos" is a
/// document database named Links store), if any.
fn split_name(typed: &str) -> (&str, Option<&str>) {
    match typed.split_once(':') {
        Some((name, kind)) if !kind.trim().is_empty() => (name.trim(), Some(kind.trim())),
        Some((name, _)) => (name.trim(), None),
        None => (typed.trim(), None),
    }
}

/// The longest name a row shows whole, in characters; a longer one is cut
/// with an ellipsis so the row stays inside the palette.
const SHOWN_NAME_CHARS: usize = 32;

/// `name` as a row shows it.
fn shown_name(name: &str) -> String {
    // The ellipsis is the last of the characters.
    crate::rules::shorten(name, SHOWN_NAME_CHARS - 1)
}

/// A name from what was typed, unless it only names the kind.
fn card_name(typed: &str, kind: ComponentKind) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() || typed.eq_ignore_ascii_case(kind.name()) {
        return None;
    }
    let mut chars = typed.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The entries of a mode.
fn entries(mode: &Mode, session: &Session) -> Vec<Entry> {
    let kinds = || {
        ComponentKind::all().map(|kind| {
            let info = kind.info();
            Entry {
                label: format!("Add {}", info.name.to_lowercase()),
                keywords: format!("{} {} {}", info.name, info.examples, info.description),
                detail: info.category.label().to_owned(),
                choice: EntryChoice::Kind(kind),
            }
        })
    };
    match mode {
        Mode::AddConnected { .. } | Mode::AddAt { .. } => kinds().collect(),
        Mode::GroupKind => GroupKind::ALL
            .iter()
            .map(|&kind| Entry {
                label: kind.label().to_owned(),
                keywords: format!("group {}", kind.label()),
                detail: "Wrap the selection".to_owned(),
                choice: EntryChoice::Fixed(Choice::Command(Box::new(Command::AddGroup {
                    kind,
                    rect: crate::model::Rect::new(0.0, 0.0, 520.0, 320.0),
                }))),
            })
            .collect(),
        Mode::Find => items(session),
        Mode::Everything => {
            let actions = Action::ALL.iter().map(|&action| Entry {
                label: action.label().to_owned(),
                keywords: action.hint().to_owned(),
                detail: action
                    .shortcut()
                    .map(|s| shortcut_text(&s))
                    .unwrap_or_default(),
                choice: EntryChoice::Fixed(Choice::Action(action)),
            });
            let templates = crate::templates::all().iter().map(|t| Entry {
                label: format!("New from template: {} ({})", t.title, t.variant.as_str()),
                keywords: t.question.to_owned(),
                detail: "Template".to_owned(),
                choice: EntryChoice::Fixed(Choice::Template(t.name.to_owned())),
            });
            actions
                .chain(kinds())
                .chain(items(session))
                .chain(templates)
                .collect()
        }
    }
}

/// The items of the design as entries that select and show them.
fn items(session: &Session) -> Vec<Entry> {
    let d = session.diagram();
    d.items()
        .map(|item| {
            let detail = match item {
                ItemRef::Component(c) => c.kind.name().to_owned(),
                ItemRef::Connection(_) => "Connection".to_owned(),
                ItemRef::Group(g) => g.kind.label().to_owned(),
                ItemRef::Note(_) => "Note".to_owned(),
            };
            Entry {
                label: d.item_name(item.id()).unwrap_or_default(),
                keywords: detail.clone(),
                detail,
                choice: EntryChoice::Fixed(Choice::Reveal(item.id())),
            }
        })
        .filter(|e| !e.label.is_empty())
        .collect()
}

/// Entry indices with their scores, best first. An empty query lists the
/// entries in order.
fn rank(entries: &[Entry], query: &str, mode: &Mode) -> Vec<(usize, u32)> {
    let query = query.trim();
    if query.is_empty() {
        return (0..entries.len()).map(|i| (i, 0)).collect();
    }
    let mut ranked = if mode.names_a_card() {
        match split_name(query) {
            (_, Some(kind_words)) => rank_kind_words(entries, kind_words),
            (name, None) => rank_kinds_for_name(entries, name),
        }
    } else {
        rank_fuzzy(entries, query)
    };
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// The add modes: what is typed is the new card's name, so every kind stays
/// listed, and the kind the name suggests comes first ("Orders cache" is a
/// cache, "Payments DB" a relational database), then kinds whose names or
/// products start with one of its words. Fuzzy matching is no use here: a
/// name like "Order archive" would fuzzily match almost any description.
fn rank_kinds_for_name(entries: &[Entry], name: &str) -> Vec<(usize, u32)> {
    let suggested = crate::export::kind_from_name(name);
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let EntryChoice::Kind(kind) = e.choice else {
                return (i, 0);
            };
            let info = kind.info();
            let known = format!("{} {}", info.name, info.examples).to_lowercase();
            let starts = known
                .split(|c: char| !c.is_alphanumeric())
                .filter(|k| words.iter().any(|w| k.starts_with(w.as_str())))
                .count();
            let score = if Some(kind) == suggested { 10_000 } else { 0 }
                + 100 * u32::try_from(starts).unwrap_or(u32::MAX / 200)
                // With no clue in the name, a plain service is the likeliest.
                + u32::from(kind == ComponentKind::Service);
            (i, score)
        })
        .collect()
}

/// The words after the colon in an add mode: the kind they name outright
/// ("cosmos", "kafka", "redis") first, then fuzzy matches.
fn rank_kind_words(entries: &[Entry], words: &str) -> Vec<(usize, u32)> {
    let named = crate::export::kind_from_name(words).and_then(|kind| {
        entries
            .iter()
            .position(|e| matches!(e.choice, EntryChoice::Kind(k) if k == kind))
    });
    let mut ranked: Vec<(usize, u32)> = rank_fuzzy(entries, words)
        .into_iter()
        .filter(|&(i, _)| Some(i) != named)
        .collect();
    ranked.extend(named.map(|i| (i, u32::MAX)));
    ranked
}

/// The other modes: fuzzy matching over labels and keywords; "add redis"
/// also finds a kind by the products after "add".
fn rank_fuzzy(entries: &[Entry], query: &str) -> Vec<(usize, u32)> {
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let after_add = query
        .strip_prefix("add ")
        .map(|rest| Pattern::parse(rest, CaseMatching::Ignore, Normalization::Smart));
    let mut buf = Vec::new();
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let is_kind = matches!(e.choice, EntryChoice::Kind(_));
            let haystack = format!("{} {}", e.label, e.keywords);
            let score = pattern.score(Utf32Str::new(&haystack, &mut buf), &mut matcher);
            let kind_score = match (&after_add, is_kind) {
                (Some(p), true) => p.score(Utf32Str::new(&e.keywords, &mut buf), &mut matcher),
                _ => None,
            };
            let label_score = pattern.score(Utf32Str::new(&e.label, &mut buf), &mut matcher);
            let best = score.max(kind_score).max(label_score.map(|s| s + 50))?;
            Some((i, best))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Document;
    use crate::model::Diagram;

    fn labels(mode: &Mode, query: &str, session: &Session) -> Vec<String> {
        let entries = entries(mode, session);
        rank(&entries, query, mode)
            .iter()
            .take(3)
            .map(|&(i, _)| entries[i].label.clone())
            .collect()
    }

    #[test]
    fn add_redis_finds_the_cache_and_names_it() {
        let session = Session::new(Document::new(Diagram::new("t")));
        let top = labels(&Mode::Everything, "add redis", &session);
        assert_eq!(
            top.first().map(String::as_str),
            Some("Add cache"),
            "{top:?}"
        );
        assert_eq!(
            card_name("redis", ComponentKind::Cache).as_deref(),
            Some("Redis")
        );
        assert_eq!(card_name("cache", ComponentKind::Cache), None);
    }

    #[test]
    fn a_typed_name_suggests_its_kind() {
        let session = Session::new(Document::new(Diagram::new("t")));
        let mode = Mode::AddAt {
            at: Point::default(),
        };
        let top = labels(&mode, "Redis code cache", &session);
        assert_eq!(
            top.first().map(String::as_str),
            Some("Add cache"),
            "{top:?}"
        );
        let top = labels(&mode, "Click events queue", &session);
        assert_eq!(
            top.first().map(String::as_str),
            Some("Add queue or topic"),
            "{top:?}"
        );
        assert_eq!(
            rank(&entries(&mode, &session), "Zzz", &mode).len(),
            ComponentKind::all().count(),
            "every kind stays listed for a name that suggests none"
        );
    }

    #[test]
    fn words_after_a_colon_pick_the_kind_and_the_rest_names_the_card() {
        let session = Session::new(Document::new(Diagram::new("t")));
        let mode = Mode::AddConnected { from: Id(1) };
        let top = labels(&mode, "Links store: cosmos", &session);
        assert_eq!(
            top.first().map(String::as_str),
            Some("Add document database"),
            "{top:?}"
        );
        let palette = CommandPalette {
            mode: Some(mode.clone()),
            query: "Links store: cosmos".to_owned(),
            ..CommandPalette::default()
        };
        let entries = entries(&mode, &session);
        let best = rank(&entries, &palette.query, &mode)[0].0;
        let choice = palette.resolve(&entries[best], &mode, Point::default());
        assert_eq!(
            choice,
            Choice::Command(Box::new(Command::AddConnected {
                from: Id(1),
                kind: ComponentKind::DocumentDb,
                name: Some("Links store".to_owned()),
            }))
        );
        // A long name is cut in the row, whole in the card.
        let long = "x".repeat(200);
        assert_eq!(shown_name(&long).chars().count(), SHOWN_NAME_CHARS);
        assert!(shown_name(&long).ends_with('…'));
        assert_eq!(shown_name("Links store"), "Links store");
        // A colon with nothing after it is only punctuation.
        assert_eq!(split_name("Orders:"), ("Orders", None));
        assert_eq!(split_name(" a : b "), ("a", Some("b")));
    }

    #[test]
    fn actions_are_found_with_their_shortcuts() {
        let session = Session::new(Document::new(Diagram::new("t")));
        let entries = entries(&Mode::Everything, &session);
        let ranked = rank(&entries, "undo", &Mode::Everything);
        let top = &entries[ranked[0].0];
        assert_eq!(top.label, "Undo");
        assert_eq!(top.detail, "Ctrl+Z");
    }
}
