//! The one list of user actions. Menus, keyboard shortcuts and the shortcut
//! help window all read label, hint and shortcut from here; the app queues
//! actions and applies them once per frame.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::ExportFormat;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    New,
    NewFromTemplate,
    Open,
    Save,
    SaveAs,
    Quit,
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    Duplicate,
    Delete,
    SelectAll,
    Rename,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ZoomToFit,
    ToggleSnap,
    TogglePalette,
    ToggleInspector,
    ShowShortcuts,
    Present,
    AudienceWindow,
    ExportReport,
    NewStep,
    ToggleTimer,
    InviteInterviewer,
    CommandPalette,
    Find,
    AddConnected,
    TidyUp,
    GroupSelection,
    ZoomToSelection,
    ApplyAllFixes,
    AlignLeft,
    AlignCenter,
    AlignRight,
    AlignTop,
    AlignMiddle,
    AlignBottom,
    DistributeHorizontally,
    DistributeVertically,
    /// File → Export ▸ one format.
    Export(ExportFormat),
    ImportMermaid,
    CopyAsImage,
    /// Enters what-if mode, or leaves it.
    WhatIf,
    /// What if the selected component, zone or region fails?
    FailSelection,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, in menu order.
    pub const ALL: [Action; 55] = [
        Action::New,
        Action::NewFromTemplate,
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::Cut,
        Action::Copy,
        Action::Paste,
        Action::Duplicate,
        Action::Delete,
        Action::SelectAll,
        Action::Rename,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomReset,
        Action::ZoomToFit,
        Action::ToggleSnap,
        Action::TogglePalette,
        Action::ToggleInspector,
        Action::ShowShortcuts,
        Action::Present,
        Action::AudienceWindow,
        Action::ExportReport,
        Action::NewStep,
        Action::ToggleTimer,
        Action::InviteInterviewer,
        Action::CommandPalette,
        Action::Find,
        Action::AddConnected,
        Action::TidyUp,
        Action::GroupSelection,
        Action::ZoomToSelection,
        Action::ApplyAllFixes,
        Action::AlignLeft,
        Action::AlignCenter,
        Action::AlignRight,
        Action::AlignTop,
        Action::AlignMiddle,
        Action::AlignBottom,
        Action::DistributeHorizontally,
        Action::DistributeVertically,
        Action::Export(ExportFormat::Svg),
        Action::Export(ExportFormat::Png),
        Action::Export(ExportFormat::Pdf),
        Action::Export(ExportFormat::Mermaid),
        Action::Export(ExportFormat::MermaidArchitecture),
        Action::Export(ExportFormat::D2),
        Action::Export(ExportFormat::Dot),
        Action::ImportMermaid,
        Action::CopyAsImage,
        Action::WhatIf,
        Action::FailSelection,
    ];

    /// Menu label, sentence case. "…" marks actions that ask for more.
    pub fn label(self) -> &'static str {
        match self {
            Action::New => "New design",
            Action::NewFromTemplate => "New from template…",
            Action::Open => "Open…",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Cut => "Cut",
            Action::Copy => "Copy",
            Action::Paste => "Paste",
            Action::Duplicate => "Duplicate",
            Action::Delete => "Delete",
            Action::SelectAll => "Select all",
            Action::Rename => "Rename",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ZoomReset => "Actual size",
            Action::ZoomToFit => "Zoom to fit",
            Action::ToggleSnap => "Snap to grid",
            Action::TogglePalette => "Palette",
            Action::ToggleInspector => "Side panel",
            Action::ShowShortcuts => "Keyboard shortcuts",
            Action::Present => "Present",
            Action::AudienceWindow => "Open audience window",
            Action::ExportReport => "Export session report…",
            Action::NewStep => "New step from selection",
            Action::ToggleTimer => "Interview timer",
            Action::InviteInterviewer => "Invite interviewer…",
            Action::CommandPalette => "Command palette…",
            Action::Find => "Find…",
            Action::AddConnected => "Add connected card…",
            Action::TidyUp => "Tidy up",
            Action::GroupSelection => "Group selection…",
            Action::ZoomToSelection => "Zoom to selection",
            Action::ApplyAllFixes => "Apply all quick fixes",
            Action::AlignLeft => "Align left edges",
            Action::AlignCenter => "Align centres",
            Action::AlignRight => "Align right edges",
            Action::AlignTop => "Align top edges",
            Action::AlignMiddle => "Align middles",
            Action::AlignBottom => "Align bottom edges",
            Action::DistributeHorizontally => "Distribute horizontally",
            Action::DistributeVertically => "Distribute vertically",
            Action::Export(format) => match format {
                ExportFormat::Svg => "SVG…",
                ExportFormat::Png => "PNG…",
                ExportFormat::Pdf => "PDF…",
                ExportFormat::Mermaid => "Mermaid…",
                ExportFormat::MermaidArchitecture => "Mermaid architecture…",
                ExportFormat::D2 => "D2…",
                ExportFormat::Dot => "DOT…",
            },
            Action::ImportMermaid => "Import Mermaid…",
            Action::CopyAsImage => "Copy as image",
            Action::WhatIf => "What if…",
            Action::FailSelection => "What if it fails?",
        }
    }

    /// One line for tooltips and the shortcut window.
    pub fn hint(self) -> &'static str {
        match self {
            Action::New => "Start an empty design",
            Action::NewFromTemplate => {
                "Start from a classic interview question, as a starter or a reference answer"
            }
            Action::Open => "Open a design file (.ron)",
            Action::Save => "Save the design to its file",
            Action::SaveAs => "Save the design to a new file",
            Action::Quit => "Close Archboard",
            Action::Undo => "Take back the last change",
            Action::Redo => "Apply the last undone change again",
            Action::Cut => "Copy the selection and delete it",
            Action::Copy => "Copy the selected items (with the connections between them)",
            Action::Paste => "Paste copied items, offset from the originals",
            Action::Duplicate => "Copy the selection in place",
            Action::Delete => "Delete the selection and its connections",
            Action::SelectAll => "Select every item on the canvas",
            Action::Rename => "Rename the selected item in place",
            Action::ZoomIn => "Zoom in around the centre",
            Action::ZoomOut => "Zoom out around the centre",
            Action::ZoomReset => "Show the canvas at 100%",
            Action::ZoomToFit => "Fit the whole design in the window",
            Action::ToggleSnap => "Snap moved and added items to a 20-unit grid",
            Action::TogglePalette => "Show or hide the component palette",
            Action::ToggleInspector => {
                "Show or hide the side panel (inspector, interview, checklist)"
            }
            Action::ShowShortcuts => "List every keyboard shortcut (F1 again or Esc closes it)",
            Action::Present => "Show the design full-window, one step at a time (Esc leaves)",
            Action::AudienceWindow => {
                "Present in a second window to share on a call, keeping your notes here"
            }
            Action::ExportReport => {
                "Write a Markdown report of the requirements, design, findings, probes and timing"
            }
            Action::NewStep => "Add a presentation step that reveals the selected items",
            Action::ToggleTimer => "Show or hide the interview timer bar",
            Action::InviteInterviewer => {
                "Share the board with a mock interviewer through a link they open in a browser"
            }
            Action::CommandPalette => {
                "Search every action, component kind, item and template (also Ctrl+Shift+P)"
            }
            Action::Find => "Find an item of the design by name and show it",
            Action::AddConnected => {
                "Add a card beside the selected one, connected from it (Tab); type its name"
            }
            Action::TidyUp => {
                "Lay the design (or the selection) out left to right along the data flow"
            }
            Action::GroupSelection => {
                "Wrap the selection in a region, zone, network, cluster or tenant"
            }
            Action::ZoomToSelection => "Fit the selected items in the window",
            Action::ApplyAllFixes => "Apply the quick fix of every open finding that has one",
            Action::AlignLeft => "Line the selected items up on their left edges",
            Action::AlignCenter => "Line the selected items up on their vertical centre line",
            Action::AlignRight => "Line the selected items up on their right edges",
            Action::AlignTop => "Line the selected items up on their top edges",
            Action::AlignMiddle => "Line the selected items up on their horizontal centre line",
            Action::AlignBottom => "Line the selected items up on their bottom edges",
            Action::DistributeHorizontally => "Space three or more selected items evenly across",
            Action::DistributeVertically => "Space three or more selected items evenly down",
            Action::Export(format) => format.hint(),
            Action::ImportMermaid => {
                "Open a Mermaid flowchart or architecture-beta diagram as a new design, laid out automatically"
            }
            Action::CopyAsImage => {
                "Copy a picture of the selection (or of the whole design) to paste into notes or a chat"
            }
            Action::WhatIf => {
                "Fail a component, lose a zone or region, multiply the traffic, and see what the design does"
            }
            Action::FailSelection => {
                "Show in what-if mode what happens when the selected component, zone or region fails"
            }
        }
    }

    /// The main shortcut (shown in menus).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let s = |modifiers, key| Some(KeyboardShortcut::new(modifiers, key));
        match self {
            Action::New => s(CMD, Key::N),
            Action::Open => s(CMD, Key::O),
            Action::Save => s(CMD, Key::S),
            Action::SaveAs => s(CMD_SHIFT, Key::S),
            Action::Quit => s(CMD, Key::Q),
            Action::Undo => s(CMD, Key::Z),
            Action::Redo => s(CMD_SHIFT, Key::Z),
            Action::Cut => s(CMD, Key::X),
            Action::Copy => s(CMD, Key::C),
            Action::Paste => s(CMD, Key::V),
            Action::Duplicate => s(CMD, Key::D),
            Action::Delete => s(Modifiers::NONE, Key::Delete),
            Action::SelectAll => s(CMD, Key::A),
            Action::Rename => s(Modifiers::NONE, Key::F2),
            Action::ZoomIn => s(CMD, Key::Equals),
            Action::ZoomOut => s(CMD, Key::Minus),
            Action::ZoomReset => s(CMD, Key::Num0),
            Action::ZoomToFit => s(Modifiers::SHIFT, Key::Num1),
            Action::ToggleSnap => s(CMD_SHIFT, Key::G),
            Action::TogglePalette => s(CMD, Key::B),
            Action::ToggleInspector => s(CMD, Key::I),
            Action::ShowShortcuts => s(Modifiers::NONE, Key::F1),
            Action::Present => s(Modifiers::NONE, Key::F5),
            Action::ToggleTimer => s(CMD, Key::T),
            Action::AudienceWindow | Action::ExportReport | Action::InviteInterviewer => None,
            Action::CopyAsImage => s(CMD_SHIFT, Key::C),
            Action::Export(_) | Action::ImportMermaid | Action::WhatIf | Action::FailSelection => {
                None
            }
            Action::NewFromTemplate => None,
            Action::NewStep => s(CMD_SHIFT, Key::N),
            Action::CommandPalette => s(CMD, Key::K),
            Action::Find => s(CMD, Key::F),
            Action::AddConnected => s(Modifiers::NONE, Key::Tab),
            Action::TidyUp => s(CMD, Key::L),
            Action::GroupSelection => s(CMD, Key::G),
            Action::ZoomToSelection => s(Modifiers::SHIFT, Key::Num2),
            Action::ApplyAllFixes
            | Action::AlignLeft
            | Action::AlignCenter
            | Action::AlignRight
            | Action::AlignTop
            | Action::AlignMiddle
            | Action::AlignBottom
            | Action::DistributeHorizontally
            | Action::DistributeVertically => None,
        }
    }

    /// Further shortcuts that do the same (not shown in menus).
    pub fn alternative_shortcuts(self) -> &'static [KeyboardShortcut] {
        const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(CMD, Key::Y);
        const BACKSPACE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Backspace);
        const PLUS: KeyboardShortcut = KeyboardShortcut::new(CMD, Key::Plus);
        // On most layouts Shift+1 arrives as the "!" key.
        const BANG: KeyboardShortcut =
            KeyboardShortcut::new(Modifiers::SHIFT, Key::Exclamationmark);
        const PALETTE_P: KeyboardShortcut = KeyboardShortcut::new(CMD_SHIFT, Key::P);
        const SLASH: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Slash);
        match self {
            Action::CommandPalette => &[PALETTE_P, SLASH],
            Action::ZoomToFit => &[BANG],
            Action::Redo => &[REDO_Y],
            Action::Delete => &[BACKSPACE],
            Action::ZoomIn => &[PLUS],
            _ => &[],
        }
    }

    /// Actions that act on the canvas and must not fire while typing.
    pub fn is_canvas_action(self) -> bool {
        !matches!(
            self,
            Action::New
                | Action::NewFromTemplate
                | Action::Open
                | Action::Save
                | Action::SaveAs
                | Action::Quit
                | Action::ShowShortcuts
                | Action::Present
                | Action::AudienceWindow
                | Action::ExportReport
                | Action::ToggleTimer
                | Action::InviteInterviewer
                | Action::CommandPalette
                | Action::Export(_)
                | Action::ImportMermaid
                | Action::WhatIf
        )
    }
}

/// How a shortcut is written in menus and the shortcut window: the
/// modifiers, then the key as printed on it ("Ctrl+=", "Shift+1", "F2").
pub fn shortcut_text(shortcut: &KeyboardShortcut) -> String {
    let m = shortcut.modifiers;
    let mut text = String::new();
    if m.ctrl || m.command || m.mac_cmd {
        text.push_str("Ctrl+");
    }
    if m.alt {
        text.push_str("Alt+");
    }
    if m.shift {
        text.push_str("Shift+");
    }
    let key = shortcut.logical_key;
    let printed = match key {
        Key::Equals => "=",
        Key::Plus => "+",
        Key::Minus => "-",
        Key::Exclamationmark => "!",
        Key::Slash => "/",
        Key::Comma => ",",
        Key::Period => ".",
        _ => key.name(),
    };
    text.push_str(printed);
    text
}

/// Whether the shortcut is a plain key that writes a character in a text
/// field ("/", "A"), as opposed to Ctrl+A or F2.
fn types_a_character(shortcut: &KeyboardShortcut) -> bool {
    let m = shortcut.modifiers;
    !(m.ctrl || m.command || m.mac_cmd || m.alt)
        && shortcut.logical_key.symbol_or_name().chars().count() == 1
}

/// Reads the keyboard (and the copy/cut/paste events the platform sends
/// instead of keys) and returns the actions pressed this frame. Shortcuts
/// with more modifiers are matched first, so Ctrl+Shift+Z is not taken
/// for Ctrl+Z.
pub fn actions_from_input(ctx: &egui::Context) -> Vec<Action> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut pairs: Vec<(Action, KeyboardShortcut)> = Action::ALL
        .iter()
        .filter(|action| !typing || !action.is_canvas_action())
        .flat_map(|&action| {
            action
                .shortcut()
                .into_iter()
                .chain(action.alternative_shortcuts().iter().copied())
                .map(move |shortcut| (action, shortcut))
        })
        // A key that types a character ("/") types it in a text field.
        .filter(|(_, shortcut)| !typing || !types_a_character(shortcut))
        .collect();
    let modifier_count = |m: Modifiers| {
        [m.alt, m.shift, m.ctrl || m.command, m.mac_cmd]
            .iter()
            .filter(|b| **b)
            .count()
    };
    pairs.sort_by_key(|(_, s)| std::cmp::Reverse(modifier_count(s.modifiers)));

    let mut actions = Vec::new();
    ctx.input_mut(|input| {
        for (action, shortcut) in &pairs {
            if input.consume_shortcut(shortcut) && !actions.contains(action) {
                actions.push(*action);
            }
        }
        if !typing {
            for event in &input.events {
                let action = match event {
                    // The platform sends Ctrl+Shift+C as a copy event too.
                    egui::Event::Copy if input.modifiers.shift => Some(Action::CopyAsImage),
                    egui::Event::Copy => Some(Action::Copy),
                    egui::Event::Cut => Some(Action::Cut),
                    egui::Event::Paste(_) => Some(Action::Paste),
                    _ => None,
                };
                if let Some(action) = action
                    && !actions.contains(&action)
                {
                    actions.push(action);
                }
            }
        }
    });
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen = Vec::new();
        for action in Action::ALL {
            for shortcut in action
                .shortcut()
                .into_iter()
                .chain(action.alternative_shortcuts().iter().copied())
            {
                assert!(!seen.contains(&shortcut), "{action:?} reuses {shortcut:?}");
                seen.push(shortcut);
            }
        }
    }

    #[test]
    fn shortcuts_read_as_printed_on_the_keys() {
        let text = |action: Action| shortcut_text(&action.shortcut().unwrap());
        assert_eq!(text(Action::ZoomIn), "Ctrl+=");
        assert_eq!(text(Action::ZoomOut), "Ctrl+-");
        assert_eq!(text(Action::ZoomReset), "Ctrl+0");
        assert_eq!(text(Action::Redo), "Ctrl+Shift+Z");
        assert_eq!(text(Action::ZoomToFit), "Shift+1");
        assert_eq!(text(Action::Rename), "F2");
    }

    #[test]
    fn labels_are_sentence_case_without_trailing_period() {
        for action in Action::ALL {
            let label = action.label();
            assert!(
                label.chars().next().is_some_and(char::is_uppercase),
                "{label}"
            );
            assert!(
                !label.ends_with('.') && !action.hint().ends_with('.'),
                "{label}"
            );
        }
    }
}
