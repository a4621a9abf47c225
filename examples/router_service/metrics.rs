//! The metrics of an LLM router service, ported as a new user would: nine
//! groups declared with the derive, label names and bucket bounds from
//! constants, group-level defaults, four fixed `reason` values of one
//! backpressure family, bound scheduler-queue handles for the hot path, a
//! skipped non-metric field, typed label sets, a nested group (`flatten`)
//! and prefixes configured at start-up (from the environment, and through a
//! builder). Nothing is registered by hand: every group comes from `init`
//! (or its builder's `init`).
//!
//! Groups labelled with `router_id` get one instance per router: the prefill
//! and decode routers of one process share each family.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use metric_group::prometheus::{
    Histogram, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Registry,
};
use metric_group::{Error, Family, LabelSet, LabelValue, MetricGroup};

/// Label names shared by the groups, as the service's dashboards know them.
pub mod labels {
    pub const MODEL: &str = "model";
    pub const WORKER_TYPE: &str = "worker_type";
    pub const ROUTER_ID: &str = "router_id";
}

/// Prefixes of the groups: one per subsystem of the service.
pub mod names {
    pub const FRONTEND: &str = "router_frontend";
    pub const SCHEDULER: &str = "router_scheduler";
    pub const WORKER: &str = "router_worker";
    pub const OVERHEAD: &str = "router_overhead";
    pub const KV_CACHE: &str = "router_kv_cache";
    /// The service's own prefix; `ROUTER_METRICS_PREFIX` overrides it.
    pub const SERVICE: &str = "router";
    pub const STREAM: &str = "router_stream";
    pub const DISCOVERY: &str = "router_discovery";
    /// The default of the model-loading group's configured prefix.
    pub const MODEL: &str = "router_model";
    /// Below the frontend's prefix.
    pub const HTTP: &str = "http";
}

/// End-to-end request latency, seconds.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Time a request waits in the scheduler queue, seconds.
pub const QUEUE_WAIT_BUCKETS: &[f64] = &[0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0];
/// KV cache block size in tokens.
pub const BLOCK_SIZE: usize = 16;

/// The role of a worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "lowercase")]
pub enum WorkerType {
    Decode,
    Prefill,
}

/// How the scheduler treats a request (`policy_class` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
pub enum PolicyClass {
    Interactive,
    Batch,
}

/// How a request ended (`status` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Rejected,
    Cancelled,
}

/// What happened to a worker (`event` label).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
pub enum WorkerEvent {
    Joined,
    Left,
    HealthCheckFailed,
}

/// One worker's data-parallel rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct WorkerLabels {
    pub worker_id: u64,
    pub dp_rank: u32,
    pub worker_type: WorkerType,
}

/// What every HTTP service of the fleet records per request, nested in the
/// groups that serve HTTP.
#[derive(MetricGroup)]
#[metric_group(prefix = names::HTTP, buckets = LATENCY_BUCKETS, unit = "seconds")]
pub struct HttpMetrics {
    /// Requests received, by model, endpoint and outcome
    #[metric(name = "requests_total", labels(labels::MODEL, "endpoint", status))]
    pub requests: IntCounterVec,
    /// End-to-end request latency
    #[metric(name = "request_duration_seconds", labels(labels::MODEL))]
    pub request_duration: HistogramVec,
}

/// The HTTP frontend: its requests, and those it is serving.
#[derive(MetricGroup)]
#[metric_group(prefix = names::FRONTEND, const_labels(labels::ROUTER_ID))]
pub struct FrontendMetrics {
    #[metric(flatten)]
    pub http: HttpMetrics,
    /// Requests currently being served
    #[metric(name = "inflight_requests", labels(labels::MODEL))]
    pub inflight: IntGaugeVec,
}

/// The scheduler queue. The hot path resolves the children of one
/// (model, worker type, policy class) once and then touches only atomics.
#[derive(MetricGroup)]
#[metric_group(prefix = names::SCHEDULER, const_labels(labels::ROUTER_ID),
               bind(labels::MODEL, labels::WORKER_TYPE, "policy_class"))]
pub struct SchedulerQueueMetrics {
    /// Requests admitted to the scheduler queue
    #[metric(
        name = "enqueued_total",
        labels(labels::MODEL, labels::WORKER_TYPE, "policy_class")
    )]
    pub enqueued: IntCounterVec,
    /// Requests taken from the scheduler queue and dispatched to a worker
    #[metric(
        name = "dispatched_total",
        labels(labels::MODEL, labels::WORKER_TYPE, "policy_class")
    )]
    pub dispatched: IntCounterVec,
    /// Requests waiting in the scheduler queue
    #[metric(
        name = "queue_depth",
        labels(labels::MODEL, labels::WORKER_TYPE, "policy_class")
    )]
    pub depth: IntGaugeVec,
    /// Time a request waited in the scheduler queue
    #[metric(name = "queue_wait_seconds", labels(labels::MODEL, labels::WORKER_TYPE, "policy_class"),
             buckets = QUEUE_WAIT_BUCKETS, unit = "seconds")]
    pub wait: HistogramVec,
}

/// Worker load, per worker rank; shared by the routers of the process.
#[derive(MetricGroup)]
#[metric_group(prefix = names::WORKER)]
pub struct WorkerLoadMetrics {
    /// Active KV cache blocks per worker rank
    #[metric(name = "active_blocks")]
    pub active_blocks: Family<WorkerLabels, IntGauge>,
    /// Prefill tokens queued per worker rank
    #[metric(name = "queued_prefill_tokens")]
    pub queued_prefill_tokens: Family<WorkerLabels, IntGauge>,
}

/// Routing overhead per decision, in milliseconds as the existing
/// dashboards read it (the `_ms` names are kept deliberately).
#[derive(MetricGroup)]
#[metric_group(prefix = names::OVERHEAD, const_labels(labels::ROUTER_ID),
               buckets = exponential(1.0 / 10_000.0, 2.0, 18), unit = "milliseconds",
               allow(unit_abbreviation))]
pub struct RoutingOverheadMetrics {
    /// Time spent hashing the prompt's blocks in milliseconds
    #[metric(name = "block_hashing_ms")]
    pub block_hashing: Histogram,
    /// Time spent matching prefixes in the indexer in milliseconds
    #[metric(name = "find_matches_ms")]
    pub find_matches: Histogram,
    /// Time spent selecting a worker in milliseconds
    #[metric(name = "scheduling_ms")]
    pub scheduling: Histogram,
    /// Total routing overhead per request in milliseconds
    #[metric(name = "total_ms")]
    pub total: Histogram,
}

/// KV cache prefix hits as the router predicts them.
#[derive(MetricGroup)]
#[metric_group(prefix = names::KV_CACHE)]
pub struct KvCacheMetrics {
    /// Prefix lookups in the KV indexer
    #[metric(name = "lookups_total", labels(labels::MODEL))]
    pub lookups: IntCounterVec,
    /// Prompt blocks found cached on the chosen worker
    #[metric(name = "hit_blocks_total", labels(labels::MODEL), unit = "blocks")]
    pub hit_blocks: IntCounterVec,
    /// Share of the prompt's blocks found cached on the chosen worker
    #[metric(name = "hit_ratio", labels(labels::MODEL), buckets = linear(0.0, 0.1, 11), unit = "ratio")]
    pub hit_ratio: HistogramVec,
    /// Prompt length in tokens
    // From four blocks up.
    #[metric(name = "prompt_tokens", buckets = exponential((4 * BLOCK_SIZE) as f64, 2.0, 12), unit = "tokens")]
    pub prompt_tokens: Histogram,
    /// Distinct blocks the indexer tracks
    #[metric(name = "indexed_blocks")]
    pub indexed_blocks: IntGauge,
}

/// Backpressure: one family, four fixed reasons, named after the service
/// (`ROUTER_METRICS_PREFIX` at start-up, `router` without it).
#[derive(MetricGroup)]
#[metric_group(prefix = env("ROUTER_METRICS_PREFIX", default = names::SERVICE),
               const_labels(labels::ROUTER_ID))]
pub struct BackpressureMetrics {
    /// Requests refused or delayed by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(labels::MODEL, labels::WORKER_TYPE),
        fixed(reason = "request_limit")
    )]
    pub request_limit: IntCounterVec,
    /// Requests refused or delayed by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(labels::MODEL, labels::WORKER_TYPE),
        fixed(reason = "do_not_queue")
    )]
    pub do_not_queue: IntCounterVec,
    /// Requests refused or delayed by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(labels::MODEL, labels::WORKER_TYPE),
        fixed(reason = "queue_full")
    )]
    pub queue_full: IntCounterVec,
    /// Requests refused or delayed by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(labels::MODEL, labels::WORKER_TYPE),
        fixed(reason = "worker_overloaded")
    )]
    pub worker_overloaded: IntCounterVec,
}

/// Token streaming back to the client.
#[derive(MetricGroup)]
#[metric_group(prefix = names::STREAM, const_labels(labels::ROUTER_ID))]
pub struct TokenStreamingMetrics {
    /// Time to first token streamed to the client
    #[metric(name = "time_to_first_token_seconds", labels(labels::MODEL),
             buckets = log(0.001, 480, 18), unit = "seconds")]
    pub time_to_first_token: HistogramVec,
    /// Average latency between streamed tokens
    #[metric(name = "inter_token_latency_seconds", labels(labels::MODEL),
             buckets = log(0.001, 2, 13), unit = "seconds")]
    pub inter_token_latency: HistogramVec,
    /// Tokens generated per worker rank
    #[metric(name = "generated_tokens_total", unit = "tokens")]
    pub generated_tokens: Family<WorkerLabels, IntCounter>,
}

/// Worker discovery and health. Keeps the workers it has seen beside its
/// metrics (not a metric: skipped).
#[derive(MetricGroup)]
#[metric_group(prefix = names::DISCOVERY)]
pub struct WorkerDiscoveryMetrics {
    /// Workers currently registered, by type
    #[metric(name = "workers", labels(labels::WORKER_TYPE))]
    pub workers: IntGaugeVec,
    /// Worker lifecycle events, by type and event
    #[metric(name = "worker_events_total", labels(labels::WORKER_TYPE, event))]
    pub events: IntCounterVec,
    /// The workers discovery knows, by id
    #[metric(skip)]
    pub known: Mutex<BTreeMap<u64, WorkerType>>,
}

/// Model loading on the workers. Its prefix is configured at start-up
/// (`SharedMetrics::init`).
#[derive(MetricGroup)]
#[metric_group(prefix = names::MODEL)]
pub struct ModelLoadingMetrics {
    /// Time to load a model onto a worker
    #[metric(name = "load_duration_seconds", labels(labels::MODEL),
             buckets = exponential(0.5, 2.0, 10), unit = "seconds")]
    pub load_duration: HistogramVec,
    /// Models loaded on at least one worker
    #[metric(name = "loaded_models")]
    pub loaded: IntGauge,
    /// Model loads that failed
    #[metric(name = "load_failures_total", labels(labels::MODEL))]
    pub load_failures: IntCounterVec,
}

impl WorkerDiscoveryMetrics {
    /// A worker joined: counted once, however often it is announced.
    ///
    /// # Errors
    ///
    /// The helpers' errors (`Error::LabelCollision`, `Error::Labels`).
    pub fn joined(&self, worker_id: u64, worker_type: WorkerType) -> Result<(), Error> {
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.insert(worker_id, worker_type).is_none() {
            self.workers_with_labels(worker_type)?.inc();
            self.inc_events(worker_type, WorkerEvent::Joined)?;
        }
        Ok(())
    }

    /// A worker left; unknown ids are ignored.
    ///
    /// # Errors
    ///
    /// The helpers' errors (`Error::LabelCollision`, `Error::Labels`).
    pub fn left(&self, worker_id: u64) -> Result<(), Error> {
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(worker_type) = known.remove(&worker_id) {
            self.workers_with_labels(worker_type)?.dec();
            self.inc_events(worker_type, WorkerEvent::Left)?;
        }
        Ok(())
    }
}

/// The groups of one router: one instance per `router_id`.
pub struct RouterMetrics {
    pub frontend: Arc<FrontendMetrics>,
    pub scheduler: Arc<SchedulerQueueMetrics>,
    pub overhead: Arc<RoutingOverheadMetrics>,
    pub backpressure: Arc<BackpressureMetrics>,
    pub streaming: Arc<TokenStreamingMetrics>,
}

impl RouterMetrics {
    /// The router `router_id`'s groups, registered on `registry`.
    ///
    /// # Errors
    ///
    /// A group that cannot be built or registered.
    pub fn init(registry: &Registry, router_id: &str) -> Result<Self, Error> {
        Ok(RouterMetrics {
            frontend: FrontendMetrics::init(registry, router_id)?,
            scheduler: SchedulerQueueMetrics::init(registry, router_id)?,
            overhead: RoutingOverheadMetrics::init(registry, router_id)?,
            backpressure: BackpressureMetrics::init(registry, router_id)?,
            streaming: TokenStreamingMetrics::init(registry, router_id)?,
        })
    }
}

/// The groups every router of the process shares.
pub struct SharedMetrics {
    pub load: Arc<WorkerLoadMetrics>,
    pub kv_cache: Arc<KvCacheMetrics>,
    pub discovery: Arc<WorkerDiscoveryMetrics>,
    pub models: Arc<ModelLoadingMetrics>,
}

impl SharedMetrics {
    /// The shared groups, registered on `registry`; the model-loading group
    /// named with `model_prefix`.
    ///
    /// # Errors
    ///
    /// A group that cannot be built or registered (an invalid prefix).
    pub fn init(registry: &Registry, model_prefix: &str) -> Result<Self, Error> {
        Ok(SharedMetrics {
            load: WorkerLoadMetrics::init(registry)?,
            kv_cache: KvCacheMetrics::init(registry)?,
            discovery: WorkerDiscoveryMetrics::init(registry)?,
            models: ModelLoadingMetrics::builder()
                .prefix(model_prefix)
                .init(registry)?,
        })
    }
}
