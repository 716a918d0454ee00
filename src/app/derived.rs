//! Derived data keyed by the document it was derived from.
//!
//! Findings, probes, the canvas's spatial index and wire geometry, and the
//! autosave state are all functions of one document at one revision. A
//! [`DocKey`] names exactly that: the document's identity, which changes
//! whenever the open document is replaced (new, open, template, restore,
//! reload), and its revision, which changes on every edit. [`Derived`]
//! holds one value with the key it was computed for, so replacing the
//! document can never show the previous one's data.

use std::sync::atomic::{AtomicU64, Ordering};

/// The identity of one open document. Unique within the process: a fresh one
/// is handed out every time a document is created or replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(u64);

impl DocumentId {
    /// A new identity, never handed out before in this process.
    pub fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

/// One state of one document: what derived data is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocKey {
    pub document: DocumentId,
    pub revision: u64,
}

/// A value computed from the document state named by its key.
#[derive(Debug, Default)]
pub struct Derived<T> {
    key: Option<DocKey>,
    value: T,
}

impl<T> Derived<T> {
    /// The value for `key`, recomputed by `compute` when it was derived from
    /// another document or revision (or never).
    pub fn get(&mut self, key: DocKey, compute: impl FnOnce() -> T) -> &T {
        if self.key != Some(key) {
            self.value = compute();
            self.key = Some(key);
        }
        &self.value
    }

    /// Like [`Derived::get`], but updates the value in place (for caches that
    /// reuse their allocations).
    pub fn update(&mut self, key: DocKey, refresh: impl FnOnce(&mut T)) -> &T {
        if self.key != Some(key) {
            refresh(&mut self.value);
            self.key = Some(key);
        }
        &self.value
    }

    /// The value if it was derived from `key`.
    pub fn fresh(&self, key: DocKey) -> Option<&T> {
        (self.key == Some(key)).then_some(&self.value)
    }

    /// The value, whatever it was derived from (for readers that have just
    /// refreshed it).
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The key the value was derived from, if any.
    pub fn key(&self) -> Option<DocKey> {
        self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_document_with_the_same_revision_recomputes() {
        let first = DocKey {
            document: DocumentId::fresh(),
            revision: 1,
        };
        let second = DocKey {
            document: DocumentId::fresh(),
            revision: 1,
        };
        let mut derived = Derived::default();
        assert_eq!(*derived.get(first, || 10), 10);
        assert_eq!(*derived.get(first, || 20), 10, "same key: cached");
        assert_eq!(*derived.get(second, || 30), 30, "replaced document");
        assert_eq!(derived.fresh(first), None);
        assert_eq!(derived.fresh(second), Some(&30));
    }
}
