//! The commands that make drawing fast: add a connected card in one step,
//! tidy up the layout, align and distribute, edit many cards at once, and
//! apply every quick fix of a category. Each is one undo step.

use std::collections::HashSet;

use super::command::{Alignment, Axis};
use super::log::Change;
use super::session::{CommandError, Outcome, Session};
use crate::catalog::default_connection_kind;
use crate::model::edit::{Edit, EditError};
use crate::model::{
    COMPONENT_SIZE, ComponentKind, Connection, Id, Item, Items, Point, Policy, PropKey, PropValue,
    Rect,
};
use crate::rules::Category;

/// The gap between a card and the one added beside it, canvas units.
const BESIDE_GAP: f32 = 80.0;
/// How many rounds "apply all fixes" takes at most (each fix can reveal the
/// next: a new dead-letter queue gets its own findings).
const FIX_ROUNDS: usize = 8;

impl Session {
    /// A card of `kind` beside `from` and a connection from `from` to it, as
    /// one step; the new card is selected.
    pub(super) fn add_connected(
        &mut self,
        from: Id,
        kind: ComponentKind,
        name: Option<String>,
    ) -> Result<(Outcome, Change), CommandError> {
        let d = self.diagram();
        let Some(source) = d.component(from) else {
            return Err(EditError::UnknownId(from).into());
        };
        let r = source.rect();
        let [w, h] = COMPONENT_SIZE;
        let right = Point::new(r.x + r.w + BESIDE_GAP + w / 2.0, r.y + h / 2.0);
        let below = Point::new(r.x + w / 2.0, r.y + r.h + BESIDE_GAP / 2.0 + h / 2.0);
        let free = |center: Point| {
            let spot = Rect::new(center.x - w / 2.0, center.y - h / 2.0, w, h);
            !d.components.iter().any(|c| c.rect().intersects(spot))
        };
        let near = if free(right) || !free(below) {
            right
        } else {
            below
        };
        let source_kind = source.kind;
        let mut card = self.new_component(kind, near, name);
        let mut ids = d.peek_ids(2);
        let (Some(card_id), Some(link_id)) = (ids.next(), ids.next()) else {
            return Err(EditError::IdsExhausted.into());
        };
        card.id = card_id;
        let connection = Connection {
            id: link_id,
            from,
            to: card_id,
            kind: default_connection_kind(source_kind, kind),
            label: String::new(),
            policy: Policy::default(),
            idempotent: false,
        };
        let label = format!("Add connected {}", kind.name().to_lowercase());
        let items = Items {
            components: vec![card],
            connections: vec![connection],
            ..Items::default()
        };
        let change = self.apply(&label, Edit::Insert(items), None, Some([card_id].into()))?;
        Ok((
            Outcome {
                created: Some(card_id),
            },
            change,
        ))
    }

    pub(super) fn tidy(&mut self, ids: Option<&[Id]>) -> Result<(Outcome, Change), CommandError> {
        let tidy = crate::layout::tidy(self.diagram(), ids);
        if tidy.is_empty() {
            return Ok((Outcome::default(), Change::None));
        }
        let edit = tidy.edit(self.diagram());
        let change = self.apply("Tidy up", edit, None, None)?;
        self.set_status("Tidied up the layout (Ctrl+Z puts it back)");
        Ok((Outcome::default(), change))
    }

    /// The selected items that have a place on the canvas, with their
    /// rectangles.
    fn selected_rects(&self) -> Vec<(Id, Rect)> {
        let d = self.diagram();
        self.selection()
            .iter()
            .filter_map(|&id| Some((id, d.item(id)?.rect()?)))
            .collect()
    }

    pub(super) fn align(
        &mut self,
        alignment: Alignment,
    ) -> Result<(Outcome, Change), CommandError> {
        let rects = self.selected_rects();
        if rects.len() < 2 {
            return Err(CommandError::NothingSelected);
        }
        let bounds = rects
            .iter()
            .map(|(_, r)| *r)
            .reduce(Rect::union)
            .unwrap_or_default();
        let moves: Vec<(Id, Point)> = rects
            .iter()
            .map(|&(id, r)| {
                let to = match alignment {
                    Alignment::Left => Point::new(bounds.x, r.y),
                    Alignment::Right => Point::new(bounds.x + bounds.w - r.w, r.y),
                    Alignment::CenterX => Point::new(bounds.center().x - r.w / 2.0, r.y),
                    Alignment::Top => Point::new(r.x, bounds.y),
                    Alignment::Bottom => Point::new(r.x, bounds.y + bounds.h - r.h),
                    Alignment::CenterY => Point::new(r.x, bounds.center().y - r.h / 2.0),
                };
                (id, to)
            })
            .filter(|&(id, to)| rects.iter().any(|&(i, r)| i == id && r.min() != to))
            .collect();
        if moves.is_empty() {
            return Ok((Outcome::default(), Change::None));
        }
        self.apply("Align", Edit::SetPositions(moves), None, None)
            .map(|change| (Outcome::default(), change))
    }

    pub(super) fn distribute(&mut self, axis: Axis) -> Result<(Outcome, Change), CommandError> {
        let mut rects = self.selected_rects();
        if rects.len() < 3 {
            return Err(CommandError::NothingSelected);
        }
        let key = |r: &Rect| match axis {
            Axis::Horizontal => r.center().x,
            Axis::Vertical => r.center().y,
        };
        rects.sort_by(|a, b| key(&a.1).total_cmp(&key(&b.1)).then(a.0.cmp(&b.0)));
        let (Some(first), Some(last)) = (rects.first(), rects.last()) else {
            return Ok((Outcome::default(), Change::None));
        };
        let (start, end) = (key(&first.1), key(&last.1));
        let step = (end - start) / (rects.len() - 1) as f32;
        let moves: Vec<(Id, Point)> = rects
            .iter()
            .enumerate()
            .map(|(i, &(id, r))| {
                let center = start + step * i as f32;
                let to = match axis {
                    Axis::Horizontal => Point::new(center - r.w / 2.0, r.y),
                    Axis::Vertical => Point::new(r.x, center - r.h / 2.0),
                };
                (id, to)
            })
            .collect();
        self.apply("Distribute", Edit::SetPositions(moves), None, None)
            .map(|change| (Outcome::default(), change))
    }

    pub(super) fn set_property_of_many(
        &mut self,
        ids: &[Id],
        key: PropKey,
        value: &PropValue,
    ) -> Result<(Outcome, Change), CommandError> {
        let d = self.diagram();
        let mut edits = Vec::new();
        for &id in ids {
            let Some(c) = d.component(id) else {
                return Err(EditError::UnknownId(id).into());
            };
            if c.properties.value(key).is_none() || c.properties.value(key).as_ref() == Some(value)
            {
                continue;
            }
            let mut new = c.clone();
            if new.properties.set(key, value.clone()) {
                edits.push(Item::Component(new).into_update());
            }
        }
        if edits.is_empty() {
            return Ok((Outcome::default(), Change::None));
        }
        let label = format!(
            "Change {} of {} cards",
            key.label().to_lowercase(),
            edits.len()
        );
        let merge = super::history::MergeKey {
            item: None,
            field: key.label(),
        };
        self.apply(&label, Edit::Batch(edits), Some(merge), None)
            .map(|change| (Outcome::default(), change))
    }

    /// Every open finding's quick fix (of `category`), applied in turn on a
    /// copy so each fix sees the ones before it, then recorded as one step.
    pub(super) fn apply_all_fixes(
        &mut self,
        category: Option<Category>,
    ) -> Result<(Outcome, Change), CommandError> {
        let mut scratch = self.diagram().clone();
        let mut edits = Vec::new();
        let mut labels: Vec<&'static str> = Vec::new();
        // Findings already fixed (or whose fix failed): never tried twice.
        let mut done = HashSet::new();
        for _ in 0..FIX_ROUNDS {
            let findings = crate::rules::check(&scratch);
            let open: Vec<_> = crate::rules::review(&scratch, &findings)
                .open
                .into_iter()
                .filter(|f| category.is_none_or(|c| f.rule.category == c))
                .filter_map(|f| Some(((f.rule.id, f.subject), f.fix.clone()?)))
                .collect();
            // One fix per item per round: another fix of the same item is
            // worked out again next round, on top of the first.
            let mut touched = HashSet::new();
            let mut progressed = false;
            for (key, fix) in open {
                let subjects = fix_subjects(&fix.edit);
                if done.contains(&key) || subjects.iter().any(|id| touched.contains(id)) {
                    continue;
                }
                done.insert(key);
                if fix.edit.clone().apply(&mut scratch).is_ok() {
                    touched.extend(subjects);
                    edits.push(fix.edit);
                    labels.push(fix.label);
                    progressed = true;
                }
            }
            if !progressed {
                break;
            }
        }
        if edits.is_empty() {
            self.set_status("No open finding here has a quick fix");
            return Ok((Outcome::default(), Change::None));
        }
        let count = edits.len();
        let what = match category {
            Some(c) => format!("Apply {count} {} fixes", c.label().to_lowercase()),
            None => format!("Apply {count} quick fixes"),
        };
        let change = self.apply(&what, Edit::Batch(edits), None, None)?;
        labels.sort_unstable();
        labels.dedup();
        self.set_status(format!("{what}: {}", labels.join(", ").to_lowercase()));
        Ok((Outcome::default(), change))
    }
}

/// The items an edit changes (to keep two fixes of one item apart).
fn fix_subjects(edit: &Edit) -> Vec<Id> {
    match edit {
        Edit::UpdateComponent(c) => vec![c.id],
        Edit::UpdateConnection(c) => vec![c.id, c.from, c.to],
        Edit::UpdateGroup(g) => vec![g.id],
        Edit::UpdateNote(n) => vec![n.id],
        Edit::Batch(edits) => edits.iter().flat_map(fix_subjects).collect(),
        Edit::Insert(items) => items
            .connections
            .iter()
            .flat_map(|c| [c.from, c.to])
            .chain(items.ids())
            .collect(),
        _ => Vec::new(),
    }
}
