//! Compiles `src/ui/file_dialog.rs` and runs its unit tests until the file
//! is wired into `ui` (then this file goes: the tests run with the library's).

#[allow(dead_code)]
#[path = "../src/ui/file_dialog.rs"]
mod file_dialog;
