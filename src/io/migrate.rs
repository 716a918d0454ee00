//! Upgrading designs written by older versions of the format.
//!
//! Every released format version must load forever (its fixture lives under
//! `tests/fixtures/vN/`). The loader parses a file into the current types and
//! then runs, in order, every [`Migration`] whose `from` is at least the
//! file's version. Most format changes need no parsing code of their own:
//!
//! - a new field gets `#[serde(default)]` (or a new property gets its kind's
//!   default, which the loader fills in for every version);
//! - a renamed field or variant keeps its old name as `#[serde(alias)]`;
//! - a change of meaning (a unit, a split field) is a migration function
//!   that rewrites the parsed diagram.
//!
//! Only a change the current types cannot parse at all (a different shape)
//! needs the old types frozen in a module `vN` that parses the old file and
//! converts it; this module then gains a match arm in `crate::io`. Nothing
//! like that exists yet: version 1 is the only version.

use crate::model::{Diagram, FORMAT_VERSION};

/// One step that upgrades a diagram from format version `from` to `from + 1`.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// The version this step upgrades from.
    pub from: u32,
    /// Rewrites a diagram read as version `from` into version `from + 1`.
    pub apply: fn(&mut Diagram),
}

/// Every migration, oldest first. Adding format version N+1 means adding the
/// step `Migration { from: N, apply: ... }` here and bumping
/// [`FORMAT_VERSION`].
pub const MIGRATIONS: &[Migration] = &[];

/// Runs the steps from `version` up to the current version, and stamps the
/// diagram with [`FORMAT_VERSION`] (it is saved in the current format).
pub fn upgrade(diagram: &mut Diagram, version: u32, steps: &[Migration]) {
    for step in steps.iter().filter(|step| step.from >= version) {
        (step.apply)(diagram);
    }
    diagram.format_version = FORMAT_VERSION;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_step_per_older_version_in_order() {
        let froms: Vec<u32> = MIGRATIONS.iter().map(|m| m.from).collect();
        let expected: Vec<u32> = (1..FORMAT_VERSION).collect();
        assert_eq!(froms, expected);
    }

    #[test]
    fn upgrade_runs_only_the_steps_at_or_after_the_file_version() {
        fn rename_v1(d: &mut Diagram) {
            d.title.push_str(" +v2");
        }
        fn rename_v2(d: &mut Diagram) {
            d.title.push_str(" +v3");
        }
        let steps = [
            Migration {
                from: 1,
                apply: rename_v1,
            },
            Migration {
                from: 2,
                apply: rename_v2,
            },
        ];
        let mut old = Diagram::new("old");
        old.format_version = 1;
        upgrade(&mut old, 1, &steps);
        assert_eq!(old.title, "old +v2 +v3");
        assert_eq!(old.format_version, FORMAT_VERSION);

        let mut newer = Diagram::new("newer");
        upgrade(&mut newer, 2, &steps);
        assert_eq!(newer.title, "newer +v3");

        let mut current = Diagram::new("current");
        upgrade(&mut current, 3, &steps);
        assert_eq!(current.title, "current");
    }
}
