//! Reading and writing design files (RON).
//!
//! First cut: plain load and save. The files issue hardens this module
//! (atomic writes, size limits, migrations, recovery files).

use std::path::Path;

use thiserror::Error;

use crate::model::Diagram;

/// Why a design file could not be loaded. The open diagram is never touched.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("could not read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the design is inconsistent: {0}")]
    Invalid(String),
}

/// Why a design could not be saved. The file on disk is left as it was.
#[derive(Debug, Error)]
pub enum SaveError {
    #[error("could not encode the design: {0}")]
    Encode(String),
    #[error("could not write the file: {0}")]
    Write(#[from] std::io::Error),
}

/// Parses a design from RON text and checks its integrity.
pub fn from_ron_str(text: &str) -> Result<Diagram, LoadError> {
    let mut diagram: Diagram = ron::from_str(text).map_err(|err| LoadError::Syntax {
        line: err.span.start.line,
        column: err.span.start.col,
        message: err.code.to_string(),
    })?;
    diagram.sort_items();
    diagram.check_integrity().map_err(LoadError::Invalid)?;
    Ok(diagram)
}

/// Encodes a design as pretty-printed RON.
pub fn to_ron_string(diagram: &Diagram) -> Result<String, SaveError> {
    let config = ron::ser::PrettyConfig::new().indentor("    ".to_owned());
    ron::ser::to_string_pretty(diagram, config).map_err(|err| SaveError::Encode(err.to_string()))
}

pub fn load(path: &Path) -> Result<Diagram, LoadError> {
    from_ron_str(&std::fs::read_to_string(path)?)
}

pub fn save(path: &Path, diagram: &Diagram) -> Result<(), SaveError> {
    let text = to_ron_string(diagram)?;
    std::fs::write(path, text)?;
    Ok(())
}
