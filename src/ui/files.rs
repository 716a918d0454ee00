//! The file workflow on screen: the session's dialog requests opened as file
//! dialogs, their answers sent back as commands, dropped files, the close
//! button, the recent-files menu, and the modal questions (unsaved changes,
//! restore, errors). The workflow itself is `app::Session`'s.

use std::path::Path;
use std::time::SystemTime;

use egui::{Modal, RichText, Ui};

use super::ArchboardApp;
use super::file_dialog::{DialogOutcome, DialogPurpose};
use crate::app::{Command, DialogRequest, DiskNotice, FileCommand, PromptAnswer, file_name};

/// How many recent files the File menu keeps.
const RECENT_LIMIT: usize = 8;

fn ago(saved_at: SystemTime) -> String {
    let secs = SystemTime::now()
        .duration_since(saved_at)
        .map_or(0, |d| d.as_secs());
    match secs {
        0..=59 => "less than a minute ago".to_owned(),
        60..=119 => "a minute ago".to_owned(),
        120..=3599 => format!("{} minutes ago", secs / 60),
        3600..=7199 => "an hour ago".to_owned(),
        7200..=86_399 => format!("{} hours ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

impl ArchboardApp {
    /// Sends a file command; a file that opened or saved joins the recent
    /// list.
    fn send_file(&mut self, command: FileCommand) {
        let path = match &command {
            FileCommand::OpenPath(path) | FileCommand::SaveTo(path) => Some(path.clone()),
            _ => None,
        };
        let before = self.session.key().document;
        if self.session.send(Command::File(command)).is_some()
            && let Some(path) = path
            && (self.session.key().document != before || self.session.path() == Some(&path))
        {
            self.remember_recent(&path);
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_LIMIT);
    }

    /// Per-frame file work: dialogs, dropped files, the close button,
    /// autosave, and the modal dialogs.
    pub(super) fn files_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if let Some(request) = self.session.take_dialog_request() {
            let purpose = match request {
                DialogRequest::Open => DialogPurpose::Open,
                DialogRequest::SaveAs {
                    suggested_name,
                    start_dir,
                } => {
                    self.dialogs.set_start_dir(start_dir);
                    DialogPurpose::SaveAs { suggested_name }
                }
                DialogRequest::ExportReport {
                    suggested_name,
                    start_dir,
                } => {
                    self.dialogs.set_start_dir(start_dir);
                    DialogPurpose::ExportReport { suggested_name }
                }
                DialogRequest::Export {
                    format,
                    suggested_name,
                    start_dir,
                } => {
                    self.dialogs.set_start_dir(start_dir);
                    DialogPurpose::Export {
                        format,
                        suggested_name,
                    }
                }
                DialogRequest::ImportMermaid { start_dir } => {
                    self.dialogs.set_start_dir(start_dir);
                    DialogPurpose::ImportMermaid
                }
            };
            self.dialogs.open(purpose);
        }
        if let Some(outcome) = self.dialogs.update(&ctx) {
            let command = match outcome {
                DialogOutcome::Picked {
                    purpose: DialogPurpose::Open,
                    path,
                } => FileCommand::OpenPath(path),
                DialogOutcome::Picked {
                    purpose: DialogPurpose::SaveAs { .. },
                    path,
                } => FileCommand::SaveTo(path),
                DialogOutcome::Picked {
                    purpose: DialogPurpose::ExportReport { .. },
                    path,
                } => FileCommand::ExportReport(path),
                DialogOutcome::Picked {
                    purpose: DialogPurpose::Export { format, .. },
                    path,
                } => FileCommand::Export { format, path },
                DialogOutcome::Picked {
                    purpose: DialogPurpose::ImportMermaid,
                    path,
                } => FileCommand::ImportMermaidFrom(path),
                DialogOutcome::Cancelled => FileCommand::DialogCancelled,
            };
            self.send_file(command);
        }

        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped {
            self.send_file(FileCommand::OpenPath(path));
        }

        if ctx.input(|i| i.viewport().close_requested()) && !self.session.quit_requested() {
            // Ask first when there is unsaved work; otherwise this agrees to quit.
            if self.session.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
            self.send_file(FileCommand::Quit);
        }

        if let Some(wait) = self.session.tick() {
            ctx.request_repaint_after(wait);
        }
        // Another program may have changed the file while the window was away.
        let focused = ctx.input(|i| i.viewport().focused);
        if focused == Some(true) && !self.was_focused {
            self.send_file(FileCommand::CheckDisk);
        }
        self.was_focused = focused == Some(true);
        self.prompt_ui(&ctx);
        self.recovery_ui(&ctx);
        self.disk_ui(&ctx);
        self.error_ui(&ctx);
    }

    fn prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = self.session.prompt() else {
            return;
        };
        let question = format!("Save the changes to “{}” {}?", prompt.name, prompt.reason());
        let mut answer = None;
        Modal::new(egui::Id::new("unsaved-changes")).show(ctx, |ui| {
            ui.set_max_width(380.0);
            ui.heading("Unsaved changes");
            ui.add_space(6.0);
            ui.label(question);
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Save").strong()).clicked() {
                    answer = Some(PromptAnswer::Save);
                }
                if ui.button("Discard").clicked() {
                    answer = Some(PromptAnswer::Discard);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(PromptAnswer::Cancel);
                }
            });
        });
        if let Some(answer) = answer {
            self.send_file(FileCommand::Answer(answer));
        }
    }

    /// Unsaved work of earlier runs: each with its name, file and age, to
    /// restore or discard; "Decide later" keeps them for the next start.
    fn recovery_ui(&mut self, ctx: &egui::Context) {
        let offers = self.session.recovery_offers();
        if offers.is_empty() {
            return;
        }
        let mut answer = None;
        Modal::new(egui::Id::new("recovery")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.heading("Restore unsaved work?");
            ui.add_space(6.0);
            ui.label(if offers.len() == 1 {
                "Archboard closed before this design was saved. A copy was kept.".to_owned()
            } else {
                format!(
                    "Archboard closed before {} designs were saved. A copy of each was kept.",
                    offers.len()
                )
            });
            for offer in offers {
                ui.separator();
                let when = ago(SystemTime::now() - offer.age);
                match &offer.recovered {
                    Ok(recovered) => {
                        let what = recovered.source_path.as_deref().map_or_else(
                            || format!("“{}”", recovered.diagram.title),
                            |p| format!("“{}” ({})", recovered.diagram.title, file_name(p)),
                        );
                        ui.label(RichText::new(what).strong());
                        ui.weak(format!("Kept {when}"));
                    }
                    Err(err) => {
                        ui.label(RichText::new("A copy that cannot be read").strong());
                        ui.weak(format!("Kept {when}: {err}"));
                    }
                }
                ui.horizontal(|ui| {
                    let name = offer.title().unwrap_or("unreadable copy");
                    let restore = ui.add_enabled(
                        offer.recovered.is_ok(),
                        egui::Button::new(RichText::new("Restore").strong()),
                    );
                    super::label_for(&restore, &format!("Restore {name}"));
                    if restore.clicked() {
                        answer = Some(FileCommand::Restore(offer.file.clone()));
                    }
                    let discard = ui.button("Discard");
                    super::label_for(&discard, &format!("Discard {name}"));
                    if discard.clicked() {
                        answer = Some(FileCommand::DiscardRecovery(offer.file.clone()));
                    }
                });
            }
            ui.separator();
            if ui
                .button("Decide later")
                .on_hover_text("Keep the copies and ask again at the next start")
                .clicked()
            {
                answer = Some(FileCommand::LaterRecovery);
            }
        });
        if let Some(command) = answer {
            self.send_file(command);
        }
    }

    /// A change made to the design's file by another program.
    fn disk_ui(&mut self, ctx: &egui::Context) {
        let Some(notice) = self.session.disk_notice() else {
            return;
        };
        let name = self.session.display_name();
        let (text, choices): (String, &[(&str, FileCommand)]) = match notice {
            DiskNotice::SaveConflict { deleted: false } => (
                format!(
                    "“{name}” was changed by another program since you opened or saved it. Saving now would overwrite that change."
                ),
                &[
                    ("Overwrite", FileCommand::Overwrite),
                    ("Save as…", FileCommand::SaveAs),
                    ("Reload theirs", FileCommand::Reload),
                    ("Cancel", FileCommand::KeepMine),
                ],
            ),
            DiskNotice::SaveConflict { deleted: true } => (
                format!(
                    "“{name}” was deleted by another program. Save it again there, or somewhere else?"
                ),
                &[
                    ("Save again", FileCommand::Overwrite),
                    ("Save as…", FileCommand::SaveAs),
                    ("Cancel", FileCommand::KeepMine),
                ],
            ),
            DiskNotice::Changed => (
                format!(
                    "“{name}” was changed by another program. You have no unsaved changes here."
                ),
                &[
                    ("Reload", FileCommand::Reload),
                    ("Keep this version", FileCommand::KeepMine),
                ],
            ),
            DiskNotice::Deleted => (
                format!(
                    "“{name}” was deleted from disk. It is still open here; save it to keep it."
                ),
                &[("OK", FileCommand::KeepMine)],
            ),
        };
        let mut answer = None;
        Modal::new(egui::Id::new("disk-change")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("The file changed on disk");
            ui.add_space(6.0);
            ui.label(text);
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                for (label, command) in choices {
                    if ui.button(*label).clicked() {
                        answer = Some(command.clone());
                    }
                }
            });
        });
        if let Some(command) = answer {
            if command == FileCommand::SaveAs {
                self.send_file(FileCommand::KeepMine);
            }
            self.send_file(command);
        }
    }

    fn error_ui(&mut self, ctx: &egui::Context) {
        let Some(message) = self.session.file_error().map(str::to_owned) else {
            return;
        };
        let mut close = false;
        Modal::new(egui::Id::new("file-error")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("Something went wrong");
            ui.add_space(6.0);
            ui.label(&message);
            ui.add_space(4.0);
            ui.weak("Your open design is unchanged.");
            ui.add_space(10.0);
            if ui.button("OK").clicked()
                || ui.input(|i| i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Escape))
            {
                close = true;
            }
        });
        if close {
            self.send_file(FileCommand::DismissError);
        }
    }

    /// The File menu's recent-files list.
    pub(super) fn recent_menu_ui(&mut self, ui: &mut Ui) {
        if self.prefs.recent.is_empty() {
            ui.weak("No recent designs");
            return;
        }
        let mut picked = None;
        for path in &self.prefs.recent {
            if ui
                .button(file_name(path))
                .on_hover_text(path.display().to_string())
                .clicked()
            {
                picked = Some(path.clone());
                ui.close();
            }
        }
        ui.separator();
        if ui.button("Clear recent designs").clicked() {
            self.prefs.recent.clear();
            ui.close();
        }
        if let Some(path) = picked {
            self.send_file(FileCommand::OpenPath(path));
        }
    }
}
