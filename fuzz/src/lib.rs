//! The egui-free layers of Archboard, compiled from the main crate's sources
//! for fuzzing (see `Cargo.toml` for why not depend on the whole crate).

#![allow(dead_code, unused_imports)]

#[path = "../../src/catalog/mod.rs"]
pub mod catalog;
#[path = "../../src/io/mod.rs"]
pub mod io;
#[path = "../../src/model/mod.rs"]
pub mod model;
