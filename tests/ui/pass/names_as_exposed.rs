//! Names judged as exposed that pass: families beside each other whose
//! series stay apart, and names that stay right once joined behind a prefix.
use metric_group::prometheus::{Histogram, IntCounter, IntGauge, Registry};
use metric_group::MetricGroup;

/// A histogram beside a gauge and a counter named from the same stem, none
/// writing one of the histogram's series.
#[derive(MetricGroup)]
#[metric_group(prefix = "api")]
pub struct Stems {
    /// Request latency
    #[metric(name = "latency_seconds", unit = "seconds")]
    pub latency: Histogram,
    /// The slowest request of the last minute
    #[metric(name = "latency_seconds_max", unit = "seconds")]
    pub latency_max: IntGauge,
    /// Jobs done
    #[metric(name = "jobs_total")]
    pub done: IntCounter,
    /// Jobs waiting
    #[metric(name = "jobs_waiting")]
    pub waiting: IntGauge,
}

/// Flattened below, with no prefix of its own.
#[derive(MetricGroup)]
pub struct Waits {
    /// Time waited
    #[metric(unit = "seconds")]
    pub wait_seconds: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool")]
pub struct Pool {
    /// The longest wait
    #[metric(name = "wait_seconds_max", unit = "seconds")]
    pub longest: IntGauge,
    #[metric(flatten)]
    pub waits: Waits,
}

/// Right on its own and behind `kv_blocks`.
#[derive(MetricGroup)]
pub struct Blocks {
    /// Blocks in use
    pub in_use: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "kv_blocks")]
pub struct KvCache {
    /// Evictions
    pub evictions_total: IntCounter,
    #[metric(flatten)]
    pub blocks: Blocks,
}

/// Exposed as `dynamo_component_requests_inflight`.
#[derive(MetricGroup)]
#[metric_group(scope = component)]
pub struct Component {
    /// Requests in flight
    pub requests_inflight: IntGauge,
    /// Requests served
    pub requests_total: IntCounter,
}

/// A prefix tripping a lint, allowed once for the group.
#[derive(MetricGroup)]
#[metric_group(prefix = "job:router", allow(reserved_chars))]
pub struct RecordingRuleStyle {
    /// Requests
    pub requests_total: IntCounter,
    /// Requests in flight
    pub inflight: IntGauge,
}

fn main() -> Result<(), metric_group::Error> {
    let registry = Registry::new();
    Stems::init(&registry)?.latency.observe(0.1);
    Pool::init(&registry)?.waits.wait_seconds.observe(0.2);
    KvCache::init(&registry)?.blocks.in_use.set(3);
    Ok(())
}
