use metric_group::prometheus::{Histogram, IntCounter, IntGaugeVec, Registry};
use metric_group::scope::DynamoLevels;
use metric_group::MetricGroup;

mod names {
    pub const PREFIX: &str = "dynamo_router";
    pub const BLOCK_HASHING_MS: &str = "overhead_block_hashing_ms";
}

mod labels {
    pub const WORKER_ID: &str = "worker_id";
    pub const ROUTER_ID: &str = "router_id";
}

const QUEUE_BUCKETS: &[f64] = &[0.001, 0.01, 0.1, 1.0];

#[derive(MetricGroup)]
#[metric_group(prefix = "dynamo_router", const_labels(labels::ROUTER_ID))]
pub struct Queue {
    /// Time spent queued, in seconds
    #[metric(name = "queue_wait_seconds", labels(labels::WORKER_ID, "dp_rank", worker_type),
             buckets = QUEUE_BUCKETS, unit = "seconds")]
    pub wait: metric_group::prometheus::HistogramVec,
    /// Prompt sizes
    #[metric(name = "prompt_tokens", buckets = exponential((4 * (1 << 10)) as f64, 2.0, 20),
             unit = "tokens")]
    pub prompt: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = names::PREFIX, const_labels(router_id))]
pub struct Overhead {
    /// Time spent computing block hashes in milliseconds
    #[metric(name = names::BLOCK_HASHING_MS, buckets = exponential(0.0001, 2.0, 18),
             unit = "milliseconds", allow(unit_abbreviation))]
    pub block_hashing: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "dynamo_frontend")]
pub struct Load {
    /// Active KV cache decode blocks per worker
    #[metric(
        name = "worker_active_decode_blocks",
        labels(worker_id, dp_rank, worker_type)
    )]
    pub active_decode_blocks: IntGaugeVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, const_labels(router_id))]
pub struct Requests {
    /// Total number of requests processed by the router
    #[metric(name = "requests_total")]
    pub requests: IntCounter,
}

fn main() -> Result<(), metric_group::Error> {
    let registry = Registry::new();
    let overhead = Overhead::init(&registry, 7u64)?;
    overhead.observe_block_hashing(std::time::Duration::from_micros(3))?;
    Load::init(&registry)?.set_active_decode_blocks(1u64, 0u32, "decode", 4)?;
    let scope = metric_group::scope::Scope::runtime()
        .namespace("ns")?
        .component("router")?;
    Requests::for_scope(&scope, 7u64)?.requests.inc();
    let queue = Queue::init(&registry, 7u64)?;
    queue.observe_wait(1u64, 0u32, "decode", 0.5)?;
    queue.prompt.observe(8192.0);
    Ok(())
}
