//! Security: who may call what, and how each hop knows who is calling.
//!
//! An entry point is a component that clients reach directly or through
//! edge components only (CDN, traffic manager, load balancer); services
//! behind a gateway are not entry points.

use super::context::{Context, off, update_component};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::GroupKind;

const CAT: Category = Category::Security;

/// Public traffic accepted without authentication.
pub static SEC_001: Rule = Rule {
    id: "SEC-001",
    category: CAT,
    severity: Severity::Error,
    title: "Public entry point without authentication",
    why: "Whatever clients can reach, anyone on the internet can reach. An entry point that does not check identity exposes every operation behind it.",
    fix: "Put an API gateway that authenticates callers in front of the services, or have the exposed service validate access tokens itself.",
    question: "What stops an anonymous script from calling this endpoint directly?",
};

/// Clients but no identity provider.
pub static SEC_002: Rule = Rule {
    id: "SEC-002",
    category: CAT,
    severity: Severity::Warning,
    title: "No identity provider",
    why: "Hand-rolled sign-in and token issuing is where security bugs live. A dedicated identity provider gives standard OAuth 2.0 and OpenID Connect flows, short-lived tokens and revocation.",
    fix: "Add an identity provider (Entra ID, Auth0, Okta…) that issues the tokens the gateway and services check.",
    question: "Where do users sign in, and who issues and signs the tokens your services trust?",
};

/// An internal service that trusts every caller.
pub static SEC_003: Rule = Rule {
    id: "SEC-003",
    category: CAT,
    severity: Severity::Warning,
    title: "Service that trusts every caller",
    why: "A service that relies only on the network or the gateway is open to anything that gets inside: a compromised neighbour, a misrouted request, a new path around the gateway.",
    fix: "Validate the signature, audience and expiry of the access token on every request (zero trust).",
    question: "An attacker gets a foothold on one internal service: what stops them from calling this one?",
};

/// Service-to-service calls with no identity.
pub static SEC_004: Rule = Rule {
    id: "SEC-004",
    category: CAT,
    severity: Severity::Warning,
    title: "Service calls another without its own identity",
    why: "Without a service identity the callee cannot tell which service is calling, so it cannot limit what each caller may do, and shared secrets end up in configuration files.",
    fix: "Give each service an identity (managed identity, client credentials or mutual TLS) and authorise calls by it.",
    question: "How does this service prove to the one it calls who it is?",
};

/// A multi-tenant design with no isolation model drawn.
pub static SEC_005: Rule = Rule {
    id: "SEC-005",
    category: CAT,
    severity: Severity::Warning,
    title: "Multi-tenant data without a stated isolation model",
    why: "Shared schema, schema per tenant and database per tenant trade cost against isolation, operational effort, noisy neighbours and compliance. Leaving it open means one tenant's data may leak to another.",
    fix: "Choose an isolation model and show it: draw tenant boundaries, or accept this finding with a note naming the model and why.",
    question: "How do you guarantee one tenant can never read another tenant's rows?",
};

pub(super) static RULES: &[&Rule] = &[&SEC_001, &SEC_002, &SEC_003, &SEC_004, &SEC_005];

/// Kinds whose token validation the security rules judge.
fn validates(kind: K) -> bool {
    matches!(kind, K::Service | K::RealtimeHub)
}

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut any_public = false;
    for (i, c, node) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;
        any_public |= node.public;

        if node.public && c.kind == K::ApiGateway && off(props.authentication) {
            sink.component(
                &SEC_001,
                c,
                format!("{name} lets clients in without authenticating them"),
                Some(QuickFix {
                    label: "Require authentication",
                    edit: update_component(c, |p| p.authentication = Some(true)),
                }),
            );
        } else if node.public && validates(c.kind) && off(props.validates_tokens) {
            sink.component(
                &SEC_001,
                c,
                format!("{name} is reachable by clients with no gateway in front and does not validate tokens"),
                Some(QuickFix {
                    label: "Validate access tokens",
                    edit: update_component(c, |p| p.validates_tokens = Some(true)),
                }),
            );
        } else if validates(c.kind)
            && off(props.validates_tokens)
            && ctx.incoming(i).any(|l| l.conn.kind.is_synchronous())
        {
            sink.component(
                &SEC_003,
                c,
                format!("{name} does not validate the tokens of its callers"),
                Some(QuickFix {
                    label: "Validate access tokens",
                    edit: update_component(c, |p| p.validates_tokens = Some(true)),
                }),
            );
        }

        if off(props.service_identity) {
            let callee = ctx.outgoing(i).find(|l| {
                l.conn.kind.is_synchronous() && matches!(l.to.kind, K::Service | K::ApiGateway)
            });
            if let Some(callee) = callee {
                sink.component(
                    &SEC_004,
                    c,
                    format!("{name} calls {} without a service identity", callee.to.name),
                    Some(QuickFix {
                        label: "Use a service identity",
                        edit: update_component(c, |p| p.service_identity = Some(true)),
                    }),
                );
            }
        }
    }

    if any_public && !ctx.has_kind(K::IdentityProvider) {
        sink.design(
            &SEC_002,
            "Clients reach the design but no identity provider issues their tokens".to_owned(),
        );
    }

    tenants(ctx, sink);
}

/// SEC-005: tenants mentioned in the requirements or title, none drawn.
fn tenants(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let d = ctx.diagram;
    let req = &d.requirements;
    let mentions = |text: &str| text.to_lowercase().contains("tenant");
    let multi_tenant = mentions(&d.title)
        || mentions(&req.compliance)
        || req.functional.iter().any(|f| mentions(f));
    if multi_tenant && !d.groups.iter().any(|g| g.kind == GroupKind::Tenant) {
        sink.design(
            &SEC_005,
            "The design serves several tenants but does not show how their data is kept apart"
                .to_owned(),
        );
    }
}
