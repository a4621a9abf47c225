//! Labels the default naming's hierarchy adds or may add at the declared
//! level: the level labels and, at component level and below, the instance
//! label `worker_id` (added when the runtime has an instance id).
use metric_group::prometheus::{Histogram, IntCounter, IntCounterVec};
use metric_group::{Family, LabelSet, MetricGroup};

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component)]
struct VariableWorkerId {
    /// Requests per worker
    #[metric(name = "requests_total", labels(worker_id))]
    requests: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = endpoint, const_labels(worker_id))]
struct ConstWorkerId {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = hierarchy)]
struct AnyLevel {
    /// Requests per endpoint
    #[metric(name = "requests_total", labels(dynamo_endpoint, worker_id))]
    requests: IntCounterVec,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct Worker {
    worker_id: u64,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component)]
struct LabelSetWorkerId {
    /// Wait time per worker
    #[metric(name = "wait_seconds")]
    wait: Family<Worker, Histogram>,
}

// Above the instance level `worker_id` is nobody's label: this compiles
// (the runtime refuses it at creation as a const label, not as a variable one).
#[derive(MetricGroup)]
#[metric_group(prefix = "pool", scope = namespace)]
struct NamespaceWorkerId {
    /// Pool size per worker
    #[metric(name = "size", labels(worker_id))]
    size: metric_group::prometheus::IntGaugeVec,
}

fn main() {}
