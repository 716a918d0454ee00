//! The built-in templates: classic interview questions, each drawn twice.
//!
//! A *starter* is what a hurried candidate draws, so the checklist has plenty
//! to say; a *reference* is a strong answer with requirements, groups, notes
//! on the trade-offs and every remaining finding accepted with a reason. The
//! designs are the RON files in `examples/designs/`, embedded in the binary
//! with `include_str!`, so those files stay the one source of truth.
//!
//! No UI types here: the CLI (`archboard templates`, `archboard new`) and the
//! template picker both read this list.

pub mod example;

use crate::io::{self, LoadError};
use crate::model::Diagram;

/// Which of the two drawings of a question a template is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The naive first sketch, full of gaps for the checklist to find.
    Starter,
    /// A strong answer with no open errors or warnings.
    Reference,
}

impl Variant {
    /// Lower-case name, as in template names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Starter => "starter",
            Self::Reference => "reference",
        }
    }
}

/// One embedded design.
#[derive(Debug)]
pub struct Template {
    /// Stable name used on the command line, e.g. `url-shortener-starter`.
    pub name: &'static str,
    /// The interview question, as an interviewer would pose it.
    pub question: &'static str,
    /// Short title of the question, e.g. "URL shortener".
    pub title: &'static str,
    pub variant: Variant,
    /// One or two sentences on what this drawing shows.
    pub summary: &'static str,
    /// The RON text of the design.
    source: &'static str,
}

impl Template {
    /// Parses the embedded design. Every template is checked by the tests,
    /// so an error here means a broken build, but callers still get a
    /// `Result` rather than a panic.
    pub fn diagram(&self) -> Result<Diagram, LoadError> {
        io::from_ron_str(self.source)
    }

    /// The RON text exactly as shipped.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

macro_rules! template {
    ($file:literal, $title:literal, $question:literal, $variant:ident, $summary:literal) => {
        Template {
            name: $file,
            question: $question,
            title: $title,
            variant: Variant::$variant,
            summary: $summary,
            source: include_str!(concat!("../../examples/designs/", $file, ".ron")),
        }
    };
}

static TEMPLATES: [Template; 10] = [
    template!(
        "url-shortener-starter",
        "URL shortener",
        "Design a URL shortener that turns long links into short codes and redirects at scale",
        Starter,
        "One API in front of one database: no cache on a read-heavy path and click tracking in the middle of every redirect"
    ),
    template!(
        "url-shortener-reference",
        "URL shortener",
        "Design a URL shortener that turns long links into short codes and redirects at scale",
        Reference,
        "Collision-free ids, a CDN and Redis in front of a partitioned store, and click events kept off the redirect path"
    ),
    template!(
        "realtime-chat-starter",
        "Real-time chat",
        "Design a real-time chat with ASP.NET Core SignalR that scales past one server",
        Starter,
        "Three hub instances with no backplane, so a message only reaches users on the same instance"
    ),
    template!(
        "realtime-chat-reference",
        "Real-time chat",
        "Design a real-time chat with ASP.NET Core SignalR that scales past one server",
        Reference,
        "A Redis backplane with sticky sessions, presence, ordered per-conversation storage and push notifications for offline users"
    ),
    template!(
        "order-processing-starter",
        "Order processing",
        "Design order processing where payment, inventory and shipping are separate services",
        Starter,
        "A synchronous chain of services with no timeouts, no saga to undo a half-finished order and a queue with no dead-letter queue"
    ),
    template!(
        "order-processing-reference",
        "Order processing",
        "Design order processing where payment, inventory and shipping are separate services",
        Reference,
        "An outbox, a Service Bus topic with dead-lettering, and an orchestrated saga that compensates each step"
    ),
    template!(
        "multi-tenant-saas-starter",
        "Multi-tenant SaaS",
        "Design a multi-tenant SaaS back end and choose how tenants' data is isolated",
        Starter,
        "One shared database and an open gateway, with no stated isolation between tenants"
    ),
    template!(
        "multi-tenant-saas-reference",
        "Multi-tenant SaaS",
        "Design a multi-tenant SaaS back end and choose how tenants' data is isolated",
        Reference,
        "The three tenancy models side by side (shared schema, schema per tenant, database per tenant) behind a tenant catalogue"
    ),
    template!(
        "catalogue-caching-starter",
        "Catalogue caching",
        "Design the caching for a product catalogue that is read far more than it changes",
        Starter,
        "A cache that never expires and a pricing call with no timeout or breaker"
    ),
    template!(
        "catalogue-caching-reference",
        "Catalogue caching",
        "Design the caching for a product catalogue that is read far more than it changes",
        Reference,
        "CDN and cache-aside Redis with TTLs as a safety net, event-driven invalidation, and prices that are never served stale"
    ),
];

/// Every template, starter before reference for each question.
pub fn all() -> &'static [Template] {
    &TEMPLATES
}

/// The template with this name, if there is one.
pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// The names of all templates, one per line (for error messages).
pub fn names() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|t| t.name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique_and_match_their_variant() {
        let mut names: Vec<_> = super::names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), super::all().len());
        for t in super::all() {
            assert!(t.name.ends_with(t.variant.as_str()), "{}", t.name);
            assert!(super::find(t.name).is_some());
        }
    }
}
