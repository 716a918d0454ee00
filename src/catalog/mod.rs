//! The palette: every kind of component, with its category, icon, description
//! and the properties that matter for it (with their defaults).
//!
//! Defaults describe what a hurried candidate would draw: one instance, no
//! dead-letter queue, no tracing. The checklist then has something to say, and
//! the inspector shows exactly the switches that fix it.

pub use crate::model::ComponentKind;
use crate::model::{
    Backplane, CachePattern, Consistency, Eviction, Invalidation, PropKey, Properties, Redundancy,
};

/// Where a kind sits in the palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    ClientsAndEdge,
    Compute,
    Data,
    Messaging,
    Security,
    Observability,
    External,
}

impl Category {
    pub const ALL: [Self; 7] = [
        Self::ClientsAndEdge,
        Self::Compute,
        Self::Data,
        Self::Messaging,
        Self::Security,
        Self::Observability,
        Self::External,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::ClientsAndEdge => "Clients and edge",
            Self::Compute => "Compute",
            Self::Data => "Data",
            Self::Messaging => "Messaging",
            Self::Security => "Security",
            Self::Observability => "Observability",
            Self::External => "External and workflows",
        }
    }
}

/// What the palette, inspector and checklist know about a kind.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    pub kind: ComponentKind,
    /// Sentence-case name shown on cards and in the palette.
    pub name: &'static str,
    pub category: Category,
    /// A Phosphor icon name (kebab-case); the UI maps it to a glyph.
    pub icon: &'static str,
    /// One line on what it is for.
    pub description: &'static str,
    /// Typical products, for the tooltip.
    pub examples: &'static str,
}

use Category as Cat;
use ComponentKind as K;

const CATALOG: [KindInfo; 22] = [
    KindInfo {
        kind: K::Client,
        name: "Client",
        category: Cat::ClientsAndEdge,
        icon: "devices",
        description: "A browser, mobile or desktop app that people use",
        examples: "SPA, iOS/Android app, desktop client",
    },
    KindInfo {
        kind: K::TrafficManager,
        name: "Global traffic manager",
        category: Cat::ClientsAndEdge,
        icon: "globe-hemisphere-west",
        description: "DNS-level routing that sends users to a healthy region",
        examples: "Azure Front Door, Traffic Manager, Route 53",
    },
    KindInfo {
        kind: K::Cdn,
        name: "CDN",
        category: Cat::ClientsAndEdge,
        icon: "cloud-arrow-down",
        description: "Edge caches that serve static and cacheable content close to users",
        examples: "Azure CDN, Front Door, CloudFront",
    },
    KindInfo {
        kind: K::LoadBalancer,
        name: "Load balancer",
        category: Cat::ClientsAndEdge,
        icon: "arrows-split",
        description: "Spreads traffic across instances and skips unhealthy ones",
        examples: "Azure Load Balancer, Application Gateway, NGINX",
    },
    KindInfo {
        kind: K::ApiGateway,
        name: "API gateway",
        category: Cat::ClientsAndEdge,
        icon: "door-open",
        description: "The single public entry point: auth, rate limits, routing, TLS",
        examples: "Azure API Management, YARP, Kong, NGINX",
    },
    KindInfo {
        kind: K::Service,
        name: "Service",
        category: Cat::Compute,
        icon: "cube",
        description: "An API or microservice that handles requests",
        examples: "ASP.NET Core on AKS or App Service",
    },
    KindInfo {
        kind: K::Worker,
        name: "Background worker",
        category: Cat::Compute,
        icon: "gear-six",
        description: "Consumes messages or runs jobs outside the request path",
        examples: "Worker service, Azure Functions",
    },
    KindInfo {
        kind: K::RealtimeHub,
        name: "Real-time hub",
        category: Cat::Compute,
        icon: "broadcast",
        description: "Holds WebSocket connections and pushes messages to clients",
        examples: "ASP.NET Core SignalR, Azure SignalR Service",
    },
    KindInfo {
        kind: K::Cache,
        name: "Cache",
        category: Cat::Data,
        icon: "lightning",
        description: "In-memory copy of hot data in front of a slower store",
        examples: "Azure Cache for Redis, in-process memory cache",
    },
    KindInfo {
        kind: K::RelationalDb,
        name: "Relational database",
        category: Cat::Data,
        icon: "database",
        description: "Tables with transactions and joins",
        examples: "Azure SQL, SQL Server, PostgreSQL",
    },
    KindInfo {
        kind: K::DocumentDb,
        name: "Document database",
        category: Cat::Data,
        icon: "files",
        description: "Partitioned JSON documents with tunable consistency",
        examples: "Cosmos DB, MongoDB, DynamoDB",
    },
    KindInfo {
        kind: K::ObjectStorage,
        name: "Object storage",
        category: Cat::Data,
        icon: "archive",
        description: "Cheap, durable storage for files and blobs",
        examples: "Azure Blob Storage, S3",
    },
    KindInfo {
        kind: K::SearchIndex,
        name: "Search index",
        category: Cat::Data,
        icon: "magnifying-glass",
        description: "Full-text and faceted search over a copy of the data",
        examples: "Azure AI Search, Elasticsearch",
    },
    KindInfo {
        kind: K::Queue,
        name: "Queue or topic",
        category: Cat::Messaging,
        icon: "tray-arrow-down",
        description: "Buffers messages between producers and consumers",
        examples: "Azure Service Bus, Kafka, RabbitMQ, Event Hubs",
    },
    KindInfo {
        kind: K::EventStore,
        name: "Event store",
        category: Cat::Messaging,
        icon: "clock-counter-clockwise",
        description: "An append-only log of events that can be replayed",
        examples: "EventStoreDB, Kafka with long retention",
    },
    KindInfo {
        kind: K::IdentityProvider,
        name: "Identity provider",
        category: Cat::Security,
        icon: "identification-badge",
        description: "Signs users and services in and issues tokens (OAuth 2.0, OIDC)",
        examples: "Microsoft Entra ID, Auth0, Okta",
    },
    KindInfo {
        kind: K::LogSink,
        name: "Log store",
        category: Cat::Observability,
        icon: "scroll",
        description: "Central, searchable structured logs",
        examples: "Serilog to Elasticsearch or Application Insights",
    },
    KindInfo {
        kind: K::Metrics,
        name: "Metrics and alerts",
        category: Cat::Observability,
        icon: "chart-line-up",
        description: "Dashboards and alerts on latency, errors, throughput and saturation",
        examples: "Azure Monitor, Application Insights, Prometheus",
    },
    KindInfo {
        kind: K::Tracing,
        name: "Tracing backend",
        category: Cat::Observability,
        icon: "path",
        description: "Collects distributed traces across services",
        examples: "OpenTelemetry to Jaeger or Azure Monitor",
    },
    KindInfo {
        kind: K::ExternalService,
        name: "External service",
        category: Cat::External,
        icon: "plugs-connected",
        description: "A third-party dependency you do not control",
        examples: "Payment provider, email or SMS gateway",
    },
    KindInfo {
        kind: K::Analytics,
        name: "Analytics pipeline",
        category: Cat::External,
        icon: "chart-bar",
        description: "Stream processing and a warehouse, kept off the hot path",
        examples: "Event Hubs + Stream Analytics, Databricks",
    },
    KindInfo {
        kind: K::Workflow,
        name: "Workflow or saga",
        category: Cat::External,
        icon: "flow-arrow",
        description: "Coordinates a multi-step business transaction with compensation",
        examples: "Durable Functions, MassTransit saga",
    },
];

impl ComponentKind {
    /// Every kind, in palette order.
    pub fn all() -> impl Iterator<Item = ComponentKind> {
        CATALOG.iter().map(|info| info.kind)
    }

    pub fn info(self) -> &'static KindInfo {
        // CATALOG has one entry per variant (checked by a test), so the
        // fallback is never reached; it keeps this function total.
        CATALOG
            .iter()
            .find(|info| info.kind == self)
            .unwrap_or(&CATALOG[0])
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn category(self) -> Category {
        self.info().category
    }

    /// Kinds that run code and serve requests: the ones that need
    /// instances, health checks and telemetry.
    pub fn is_compute(self) -> bool {
        matches!(
            self,
            K::ApiGateway | K::Service | K::Worker | K::RealtimeHub
        )
    }

    /// Kinds that store data.
    pub fn is_store(self) -> bool {
        matches!(
            self,
            K::Cache
                | K::RelationalDb
                | K::DocumentDb
                | K::ObjectStorage
                | K::SearchIndex
                | K::EventStore
        )
    }

    /// The properties that apply to this kind, in inspector order.
    pub fn property_keys(self) -> Vec<PropKey> {
        let props = self.default_properties();
        PropKey::ALL
            .iter()
            .copied()
            .filter(|&key| props.value(key).is_some())
            .collect()
    }

    /// The properties a new component of this kind starts with.
    pub fn default_properties(self) -> Properties {
        let telemetry = Properties {
            logging: Some(false),
            metrics: Some(false),
            tracing: Some(false),
            ..Properties::default()
        };
        let compute = Properties {
            instances: Some(1),
            autoscaling: Some(false),
            health_checks: Some(false),
            ..telemetry.clone()
        };
        // Components that take balanced traffic: how they deploy and when
        // an instance is ready matter.
        let serving = Properties {
            zero_downtime_deploys: Some(false),
            readiness_checks: Some(false),
            ..compute.clone()
        };
        // Code that may mint ids or publish events next to its writes.
        let minting = |base: Properties| Properties {
            id_scheme: Some(String::new()),
            collision_handling: Some(false),
            outbox: Some(false),
            identity_propagation: Some(false),
            ..base
        };
        match self {
            K::Client => Properties::default(),
            K::TrafficManager => Properties {
                multi_region_routing: Some(false),
                health_checks: Some(false),
                ..Properties::default()
            },
            K::Cdn => Properties {
                ttl_s: Some(3600),
                invalidation: Some(Invalidation::Ttl),
                rate_limiting: Some(false),
                tls: Some(true),
                stampede_protection: Some(false),
                ..Properties::default()
            },
            K::LoadBalancer => Properties {
                health_checks: Some(false),
                sticky_sessions: Some(false),
                rate_limiting: Some(false),
                tls: Some(true),
                ..Properties::default()
            },
            K::ApiGateway => Properties {
                authentication: Some(false),
                rate_limiting: Some(false),
                tls: Some(true),
                ..serving
            },
            K::Service => Properties {
                stateless: Some(true),
                validates_tokens: Some(false),
                service_identity: Some(false),
                rate_limiting: Some(false),
                tls: Some(true),
                ..minting(serving)
            },
            K::Worker => Properties {
                idempotent: Some(false),
                service_identity: Some(false),
                ..minting(compute)
            },
            K::RealtimeHub => Properties {
                backplane: Some(Backplane::None),
                sticky_sessions: Some(false),
                validates_tokens: Some(false),
                rate_limiting: Some(false),
                tls: Some(true),
                presence: Some(false),
                offline_delivery: Some(false),
                ..serving
            },
            K::Cache => Properties {
                cache_pattern: Some(CachePattern::CacheAside),
                ttl_s: Some(0),
                invalidation: Some(Invalidation::None),
                eviction: Some(Eviction::Lru),
                replicas: Some(0),
                metrics: Some(false),
                hot_key_handling: Some(false),
                stampede_protection: Some(false),
                ..Properties::default()
            },
            K::RelationalDb => Properties {
                replicas: Some(0),
                failover: Some(false),
                backups: Some(true),
                metrics: Some(false),
                ..Properties::default()
            },
            K::DocumentDb => Properties {
                partition_key: Some(String::new()),
                consistency: Some(Consistency::Session),
                multi_region_writes: Some(false),
                replicas: Some(0),
                backups: Some(true),
                metrics: Some(false),
                hot_key_handling: Some(false),
                ..Properties::default()
            },
            K::ObjectStorage => Properties {
                redundancy: Some(Redundancy::Local),
                ..Properties::default()
            },
            K::SearchIndex => Properties {
                async_indexing: Some(false),
                replicas: Some(0),
                ..Properties::default()
            },
            K::Queue => Properties {
                dead_letter_queue: Some(false),
                max_delivery_count: Some(0),
                ordered: Some(false),
                duplicate_detection: Some(false),
                retention_days: Some(7),
                metrics: Some(false),
                alerts: Some(false),
                ..Properties::default()
            },
            K::EventStore => Properties {
                replay: Some(true),
                snapshots: Some(false),
                retention_days: Some(365),
                ..Properties::default()
            },
            K::IdentityProvider => Properties {
                token_lifetime_min: Some(60),
                refresh_tokens: Some(true),
                ..Properties::default()
            },
            K::ExternalService => Properties {
                sla: Some(String::new()),
                ..Properties::default()
            },
            K::LogSink => Properties::default(),
            K::Metrics => Properties {
                alerts: Some(false),
                ..Properties::default()
            },
            K::Tracing => Properties::default(),
            K::Analytics => Properties::default(),
            K::Workflow => Properties {
                compensation: Some(false),
                idempotent: Some(false),
                ..telemetry
            },
        }
    }
}

impl ComponentKind {
    /// What the what-if simulation assumes about a component of this kind
    /// when its file does not say: capacity, cache hit ratio, partitions,
    /// zones, a client's share of the traffic. docs/whatif.md gives the
    /// reasoning behind each number.
    ///
    /// These are kept apart from [`Self::default_properties`] on purpose:
    /// they are not filled into loaded files, so designs only carry the
    /// values someone chose, and a field left `None` means this default.
    pub fn simulation_defaults(self) -> Properties {
        let sized = |capacity_rps| Properties {
            capacity_rps: Some(capacity_rps),
            zones: Some(1),
            ..Properties::default()
        };
        let partitioned = |partitions, partition_ops| Properties {
            partitions: Some(partitions),
            partition_ops: Some(partition_ops),
            zones: Some(1),
            ..Properties::default()
        };
        match self {
            K::Client => Properties {
                traffic_share: Some(100),
                ..Properties::default()
            },
            K::Cdn => Properties {
                cache_hit_percent: Some(80),
                ..Properties::default()
            },
            K::LoadBalancer => Properties {
                zones: Some(1),
                ..Properties::default()
            },
            K::ApiGateway => sized(4_000),
            K::Service => sized(2_000),
            K::RealtimeHub => sized(5_000),
            K::Worker => Properties {
                consumer_rate: Some(500),
                zones: Some(1),
                ..Properties::default()
            },
            K::Workflow => Properties {
                consumer_rate: Some(500),
                ..Properties::default()
            },
            K::Cache => Properties {
                cache_hit_percent: Some(80),
                ..sized(50_000)
            },
            K::RelationalDb | K::EventStore => sized(5_000),
            K::SearchIndex => sized(1_000),
            K::DocumentDb => partitioned(1, 10_000),
            K::Queue => partitioned(4, 1_000),
            K::ObjectStorage => Properties {
                capacity_rps: Some(20_000),
                ..Properties::default()
            },
            K::ExternalService => Properties {
                capacity_rps: Some(1_000),
                ..Properties::default()
            },
            K::TrafficManager
            | K::IdentityProvider
            | K::LogSink
            | K::Metrics
            | K::Tracing
            | K::Analytics => Properties::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_defaults_stay_out_of_the_editable_defaults() {
        // Loading fills in `default_properties`; the simulation's own
        // defaults must not leak into files or the inspector.
        for kind in ComponentKind::all() {
            let editable = kind.default_properties();
            let simulation = kind.simulation_defaults();
            for &key in PropKey::ALL {
                assert!(
                    editable.value(key).is_none() || simulation.value(key).is_none(),
                    "{kind:?} has {key:?} in both"
                );
            }
        }
        assert_eq!(
            ComponentKind::Service.simulation_defaults().capacity_rps,
            Some(2_000)
        );
        assert_eq!(
            ComponentKind::LogSink.simulation_defaults(),
            Properties::default()
        );
    }

    #[test]
    fn catalog_lists_every_kind_exactly_once() {
        let mut kinds: Vec<_> = ComponentKind::all().collect();
        assert_eq!(kinds.len(), CATALOG.len());
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), CATALOG.len(), "a kind is listed twice");
        for kind in kinds {
            assert_eq!(kind.info().kind, kind);
        }
    }

    #[test]
    fn every_category_has_a_kind_and_texts_are_sentence_case() {
        for category in Category::ALL {
            assert!(ComponentKind::all().any(|k| k.category() == category));
        }
        for kind in ComponentKind::all() {
            let info = kind.info();
            assert!(!info.description.ends_with('.'), "{:?}", kind);
            assert!(!info.description.is_empty() && !info.examples.is_empty());
            assert!(!info.icon.is_empty());
        }
    }

    #[test]
    fn compute_kinds_start_with_the_properties_the_checklist_needs() {
        for kind in ComponentKind::all().filter(|k| k.is_compute()) {
            let keys = kind.property_keys();
            for key in [
                PropKey::Instances,
                PropKey::HealthChecks,
                PropKey::Logging,
                PropKey::Metrics,
                PropKey::Tracing,
            ] {
                assert!(keys.contains(&key), "{kind:?} lacks {key:?}");
            }
        }
        assert!(
            ComponentKind::Queue
                .property_keys()
                .contains(&PropKey::DeadLetterQueue)
        );
        assert!(
            ComponentKind::RealtimeHub
                .property_keys()
                .contains(&PropKey::Backplane)
        );
        assert!(
            ComponentKind::DocumentDb
                .property_keys()
                .contains(&PropKey::PartitionKey)
        );
    }
}

/// The connection kind a new arrow from `from` to `to` gets: what the user
/// most likely means, so they rarely have to change it.
pub fn default_connection_kind(
    from: ComponentKind,
    to: ComponentKind,
) -> crate::model::ConnectionKind {
    use crate::model::ConnectionKind as C;
    match (from, to) {
        (K::Queue | K::EventStore, _) => C::Consume,
        (_, K::Queue | K::EventStore | K::LogSink | K::Metrics | K::Tracing | K::Analytics) => {
            C::Publish
        }
        (K::RealtimeHub, K::Client) | (K::Client, K::RealtimeHub) => C::Push,
        (a, b) if a.is_store() && b.is_store() && a == b => C::Replication,
        (_, K::Cache | K::Cdn | K::SearchIndex) => C::Read,
        (_, K::RelationalDb | K::DocumentDb | K::ObjectStorage) => C::Write,
        _ => C::Request,
    }
}

#[cfg(test)]
mod connection_kind_tests {
    use super::*;
    use crate::model::ConnectionKind as C;

    #[test]
    fn defaults_follow_what_the_arrow_usually_means() {
        assert_eq!(default_connection_kind(K::Service, K::Queue), C::Publish);
        assert_eq!(default_connection_kind(K::Queue, K::Worker), C::Consume);
        assert_eq!(default_connection_kind(K::Service, K::Cache), C::Read);
        assert_eq!(
            default_connection_kind(K::Service, K::RelationalDb),
            C::Write
        );
        assert_eq!(default_connection_kind(K::RealtimeHub, K::Client), C::Push);
        assert_eq!(
            default_connection_kind(K::RelationalDb, K::RelationalDb),
            C::Replication
        );
        assert_eq!(
            default_connection_kind(K::ApiGateway, K::Service),
            C::Request
        );
        assert_eq!(default_connection_kind(K::Service, K::Tracing), C::Publish);
    }
}
