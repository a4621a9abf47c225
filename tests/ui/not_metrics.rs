// A field that is not a metric type gets that one error: no lint on its name
// (which would judge it as a gauge), and aliases are not followed.
use std::sync::atomic::AtomicU64;

use metric_group::prometheus::IntCounterVec;
use metric_group::MetricGroup;

type Requests = IntCounterVec;

#[derive(MetricGroup)]
struct NotMetrics {
    /// Requests
    #[metric(labels(route))]
    requests_total: Requests,
    /// Bytes
    bytes_total: AtomicU64,
}

fn main() {}
