//! A first look at the library: load a design file and print what the
//! checklist finds in it.
//!
//! ```sh
//! cargo run --example check_design -- examples/designs/realtime-chat-starter.ron
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use archboard::rules;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: check_design PATH");
        return ExitCode::from(2);
    };

    // Loading checks size, syntax, version and ids; errors name the file.
    let diagram = match archboard::io::load(&path) {
        Ok(diagram) => diagram,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(3);
        }
    };

    // The checklist is a pure function of the diagram. `review` splits the
    // findings into open ones and those the design accepts as trade-offs.
    let findings = rules::check(&diagram);
    let review = rules::review(&diagram, &findings);

    println!("{}", diagram.title);
    for finding in &review.open {
        println!(
            "  {:7}  {:9}  {}",
            finding.severity.as_str(),
            finding.rule.id,
            finding.message
        );
    }
    for (finding, decision) in &review.accepted {
        println!("  accepted {}: {}", finding.rule.id, decision.note);
    }
    println!(
        "{} open, {} accepted",
        review.open.len(),
        review.accepted.len()
    );
    ExitCode::SUCCESS
}
