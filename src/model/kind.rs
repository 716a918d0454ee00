//! The kinds of component a design can hold. The enum lives in the model
//! because every component stores one; what the palette, inspector and
//! checklist know about each kind (name, icon, defaults) is in `catalog`.

use serde::{Deserialize, Serialize};

/// The kind of a component. Saved in files by variant name: never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ComponentKind {
    Client,
    TrafficManager,
    Cdn,
    LoadBalancer,
    ApiGateway,
    Service,
    Worker,
    RealtimeHub,
    Cache,
    RelationalDb,
    DocumentDb,
    ObjectStorage,
    Queue,
    EventStore,
    IdentityProvider,
    ExternalService,
    LogSink,
    Metrics,
    Tracing,
    Analytics,
    SearchIndex,
    Workflow,
}
