//! Security: who may call what, and how each hop knows who is calling.
//!
//! An entry point is a component that clients reach directly or through
//! edge components only (CDN, traffic manager, load balancer); services
//! behind a gateway are not entry points.
//!
//! Calibration: where the requirements say access is anonymous ("without
//! an account", "no sign-in"), an entry point is not asked for sign-in (the
//! rate-limit rule asks about abuse instead), and only services that serve
//! a user's own data are asked to validate tokens. An identity provider is
//! asked for only when users or callers authenticate.

use super::context::{Context, off, on, update_component};
use super::scalability::authenticates;
use super::text::{self, has_any, verb};
use super::{Category, Gap, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{Component, GroupKind};

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

/// Client traffic in the clear.
pub static SEC_006: Rule = Rule {
    id: "SEC-006",
    category: CAT,
    severity: Severity::Error,
    title: "Public entry point without TLS",
    why: "Without TLS anyone on the path (a café network, an ISP, a compromised router) can read and change what clients send and receive: tokens, secret links, form data, and scripts injected into the pages. Where access is anonymous by requirement the finding is a warning.",
    fix: "Terminate TLS (HTTPS, WSS) at the first component clients reach, with HSTS, and keep the backend hops encrypted where the data is sensitive.",
    question: "Someone on the same Wi-Fi as your user watches the traffic: what can they read or change?",
};

/// A service that acts for a user with only its own identity.
pub static SEC_007: Rule = Rule {
    id: "SEC-007",
    category: CAT,
    severity: Severity::Warning,
    title: "User's identity not propagated to the service that holds their data",
    why: "When a service calls another with only its own identity and passes the user as a plain parameter (an e-mail, a user id), the callee cannot tell whose request it is: anything that can make the caller ask, a prompt injection or a forged parameter included, reads anybody's data. This is the confused-deputy problem.",
    fix: "Propagate the signed-in user's identity (OAuth token exchange or on-behalf-of, or a signed user claim) and authorise by it in the service that holds the data; anonymous callers get no user data.",
    question: "How does this service know the user asking for these orders is the one they belong to?",
};

pub(super) static RULES: &[&Rule] = &[
    &SEC_001, &SEC_002, &SEC_003, &SEC_004, &SEC_005, &SEC_006, &SEC_007,
];

/// Kinds whose token validation the security rules judge.
fn validates(kind: K) -> bool {
    matches!(kind, K::Service | K::RealtimeHub)
}

/// Words that say a component serves one user's own data.
const USER_DATA: &[&str] = &[
    "/me",
    "my ",
    "their own",
    "own orders",
    "profile",
    "account",
    "personal",
    "user's",
    "customer's",
    "per user",
    "per-user",
    "by user",
    "by customer",
    "token required",
    "signed-in",
];

/// Words that say a component checks tokens.
const TOKEN_WORDS: &[&str] = &[
    "validates token",
    "validates the token",
    "validate token",
    "checks the token",
    "jwt",
    "bearer token",
];

/// Words that say a component calls with an identity of its own.
const SERVICE_IDENTITY_WORDS: &[&str] = &[
    "managed identity",
    "service identity",
    "client credentials",
    "mtls",
    "mutual tls",
    "workload identity",
    "service principal",
];

/// Whether the component at `index` handles one user's own data, by its
/// name, its connections' labels and its notes.
fn serves_user_data(ctx: &Context<'_>, index: usize) -> bool {
    has_any(ctx.text(index), USER_DATA)
}

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let anonymous = ctx.said.anonymous.is_some();
    let authenticate = users_authenticate(ctx);
    let users_sign_in = ctx.said.sign_in || ctx.has_kind(K::IdentityProvider);
    let mut any_public = false;
    let mut trusting = (0, Vec::new());
    for (i, c, node) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;
        any_public |= node.public;
        // Anonymous by requirement: only a component that serves a user's
        // own data must know who is calling; a gateway must when it routes
        // to such a service that does not check tokens itself.
        let must_know_caller = !anonymous
            || if c.kind == K::ApiGateway {
                ctx.outgoing(i).any(|l| {
                    l.conn.kind.is_synchronous()
                        && !on(l.to.properties.validates_tokens)
                        && (serves_user_data(ctx, l.to_index) || has_any(&l.conn.label, USER_DATA))
                })
            } else {
                serves_user_data(ctx, i)
            };

        if node.public && c.kind == K::ApiGateway && off(props.authentication) {
            if must_know_caller {
                sink.component(
                    &SEC_001,
                    c,
                    format!(
                        "{name} {} clients in without authenticating them",
                        verb(name, "lets", "let")
                    ),
                    Some(QuickFix {
                        label: "Require authentication",
                        edit: update_component(c, |p| p.authentication = Some(true)),
                    }),
                );
            }
        } else if node.public && validates(c.kind) && off(props.validates_tokens) {
            if must_know_caller {
                sink.component(
                    &SEC_001,
                    c,
                    format!(
                        "{name} {} reachable by clients with no gateway in front and {} not validate tokens",
                        verb(name, "is", "are"),
                        verb(name, "does", "do")
                    ),
                    Some(QuickFix {
                        label: "Validate access tokens",
                        edit: update_component(c, |p| p.validates_tokens = Some(true)),
                    }),
                );
            }
        } else if validates(c.kind) && props.validates_tokens.is_some() {
            let called = ctx.incoming(i).any(|l| l.conn.kind.is_synchronous());
            if called && must_know_caller {
                trusting.0 += 1;
                if off(props.validates_tokens) {
                    let fix = Some(QuickFix {
                        label: "Validate access tokens",
                        edit: update_component(c, |p| p.validates_tokens = Some(true)),
                    });
                    match ctx.says(i, TOKEN_WORDS) {
                        Some(quote) => {
                            sink.written_but_unset(
                                &SEC_003,
                                c,
                                ("checks tokens", "check tokens"),
                                &quote,
                                "Validates tokens switch is off",
                                fix,
                            );
                        }
                        None => trusting.1.push(Gap {
                            component: c,
                            message: Box::new(move || {
                                format!(
                                    "{name} {} not validate the tokens of {} callers",
                                    verb(name, "does", "do"),
                                    if text::is_plural(name) {
                                        "their"
                                    } else {
                                        "its"
                                    }
                                )
                            }),
                            fix,
                        }),
                    }
                }
            }
        }

        if off(props.service_identity) {
            let callee = ctx.outgoing(i).find(|l| {
                l.conn.kind.is_synchronous() && matches!(l.to.kind, K::Service | K::ApiGateway)
            });
            if let Some(callee) = callee {
                let fix = Some(QuickFix {
                    label: "Use a service identity",
                    edit: update_component(c, |p| p.service_identity = Some(true)),
                });
                match ctx.says(i, SERVICE_IDENTITY_WORDS) {
                    Some(quote) => {
                        sink.component(
                            &SEC_004,
                            c,
                            text::written_but_unset(
                                name,
                                (
                                    "calls with an identity of its own",
                                    "call with an identity of their own",
                                ),
                                Some(&quote),
                                "Service identity switch is off",
                            ),
                            fix,
                        )
                        .at(Severity::Info);
                    }
                    None => {
                        sink.component(
                            &SEC_004,
                            c,
                            format!(
                                "{name} {} {} without a service identity",
                                verb(name, "calls", "call"),
                                callee.to.name
                            ),
                            fix,
                        );
                    }
                }
            }
        }

        transport(ctx, i, c, node, authenticate, sink);
        if users_sign_in {
            propagation(ctx, i, c, sink);
        }
    }
    sink.gaps(
        &SEC_003,
        SEC_003.severity,
        trusting.0,
        trusting.1,
        |n, names| format!("None of the {n} services behind the entry points validates the tokens of its callers: {names}"),
        "Validate access tokens everywhere",
    );

    if any_public && ctx.clients_request && !ctx.has_kind(K::IdentityProvider) && authenticate {
        sink.design(
            &SEC_002,
            "Clients reach the design but no identity provider issues their tokens: add one (Entra ID, Auth0…) that the gateway and services trust".to_owned(),
        );
    }

    tenants(ctx, sink);
}

/// Whether users or callers authenticate to the system: the requirements
/// or labels say they sign in, something checks tokens, or nothing says
/// access is anonymous.
fn users_authenticate(ctx: &Context<'_>) -> bool {
    ctx.said.sign_in
        || ctx.said.anonymous.is_none()
        || ctx.diagram.components.iter().any(authenticates)
}

/// Words in a client's connection that say the traffic is not encrypted.
const PLAIN_TEXT: &[&str] = &[
    "plain http",
    "http://",
    "port 80",
    "unencrypted",
    "plaintext",
    "ws://",
];

/// SEC-006: a component clients connect to directly that does not encrypt.
fn transport(
    ctx: &Context<'_>,
    i: usize,
    c: &Component,
    node: &super::context::Node,
    users_authenticate: bool,
    sink: &mut Sink<'_>,
) {
    if !node.client_hop {
        return;
    }
    let switched_off = off(c.properties.tls);
    let said_plain = if switched_off {
        None
    } else {
        ctx.touching(i)
            .filter(|l| l.from.kind == K::Client || l.to.kind == K::Client)
            .find_map(|l| {
                let label = l.conn.label.to_lowercase();
                text::affirmed(&label, PLAIN_TEXT)
                    .map(|r| text::quote_from(&l.conn.label, &label, r))
            })
    };
    if !switched_off && said_plain.is_none() {
        return;
    }
    let name = &c.name;
    let signs_in = users_authenticate && ctx.said.anonymous.is_none();
    let mut severity = if signs_in {
        SEC_006.severity
    } else {
        Severity::Warning
    };
    if on(c.properties.tls) {
        // The switch says TLS and a label says plain HTTP: one of them is
        // wrong, and only the candidate knows which.
        severity = Severity::Info;
    }
    let what = if signs_in {
        "tokens and everything users send"
    } else {
        "links, content and anything users send"
    };
    let message = match said_plain {
        Some(quote) => format!(
            "Clients reach {name} unencrypted (\"{quote}\"): {what} travel in the clear and can be changed on the way. Serve HTTPS/WSS with TLS at {name}"
        ),
        None => format!(
            "{name} {} client traffic without TLS: {what} travel in the clear and can be changed on the way. Turn TLS on at {name}",
            verb(name, "takes", "take")
        ),
    };
    let fix = switched_off.then(|| QuickFix {
        label: "Turn on TLS",
        edit: update_component(c, |p| p.tls = Some(true)),
    });
    sink.component(&SEC_006, c, message, fix).at(severity);
}

/// Words in a call's label that say it carries only the caller's identity.
const SERVICE_ONLY: &[&str] = &[
    "service identity only",
    "identity only",
    "its own identity",
    "own service identity",
    "app-only",
    "application permissions",
    "client credentials only",
    "shared api key",
    "api key only",
    "app-only token",
    "trusts the user id",
    "trusts the userid",
];

/// Words in a call's label that say the user is named by a parameter.
const USER_PARAMETER: &[&str] = &[
    "email=",
    "e-mail=",
    "?email",
    "userid=",
    "user_id=",
    "customerid=",
    "the visitor typed",
    "the user typed",
];

/// Words that say the user's identity travels with the call.
const PROPAGATES: &[&str] = &[
    "on behalf of",
    "on-behalf-of",
    "obo",
    "token exchange",
    "user's token",
    "user token",
    "forwards the token",
    "propagat",
    "delegat",
];

/// SEC-007: a call into a service that serves users' own data, carrying only
/// the caller's identity (or naming the user by a parameter), in a design
/// where users sign in (the caller checks that first).
fn propagation(ctx: &Context<'_>, i: usize, caller: &Component, sink: &mut Sink<'_>) {
    if !off(caller.properties.identity_propagation) {
        return;
    }
    for link in ctx
        .outgoing(i)
        .filter(|l| l.is_policy_call() && matches!(l.to.kind, K::Service | K::Workflow))
    {
        if link.conn.label.is_empty() {
            continue;
        }
        let label = link.conn.label.to_lowercase();
        if text::affirmed(&label, PROPAGATES).is_some() {
            continue;
        }
        let only_service = text::affirmed(&label, SERVICE_ONLY);
        let by_parameter = text::affirmed(&label, USER_PARAMETER);
        let Some(range) = only_service.or(by_parameter) else {
            continue;
        };
        let callee_words: Vec<&str> = ctx
            .text(link.to_index)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .collect();
        let holds_user_data = serves_user_data(ctx, link.to_index)
            || has_any(
                &label,
                &["order", "account", "balance", "profile", "history"],
            )
            || ctx
                .said
                .owned
                .iter()
                .any(|noun| callee_words.iter().any(|w| text::same_noun(w, noun)));
        if !holds_user_data {
            continue;
        }
        let anonymous_callers = ctx.said.anonymous.is_some();
        let severity = if anonymous_callers {
            Severity::Error
        } else {
            SEC_007.severity
        };
        let who = if anonymous_callers {
            "any visitor, signed in or not, can get"
        } else {
            "any user can get"
        };
        sink.connection(
            &SEC_007,
            link,
            format!(
                "{} calls {} with only its own identity and names the user by a parameter (\"{}\"): {} someone else's data by asking for it. Propagate the signed-in user's identity (token exchange, on-behalf-of) and authorise by it in {}",
                caller.name,
                link.to.name,
                text::quote_from(&link.conn.label, &label, range),
                who,
                link.to.name
            ),
            Some(QuickFix {
                label: "Propagate the user's identity",
                edit: update_component(caller, |p| p.identity_propagation = Some(true)),
            }),
        )
        .at(severity);
    }
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
            "The design serves several tenants but does not show how their data is kept apart: draw tenant boundaries or accept this with a note naming the model"
                .to_owned(),
        );
    }
}
