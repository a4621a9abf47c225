// A group's const labels are on every metric of the group: a lint a label
// trips (camel case, `job`/`instance`) is one error, at the label, however
// many metrics the group has, and also when all of them are flattened in.
use metric_group::prometheus::{IntCounter, IntGauge};
use metric_group::MetricGroup;

mod labels {
    pub const CAMEL: &str = "routerId";
    pub const JOB: &str = "job";
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", const_labels(routerId))]
struct Literal {
    /// Requests
    requests_total: IntCounter,
    /// Depth
    depth: IntGauge,
    /// Load
    load: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", const_labels(labels::CAMEL, labels::JOB))]
struct Constants {
    /// Requests
    requests_total: IntCounter,
    /// Depth
    depth: IntGauge,
}

#[derive(MetricGroup)]
struct Inner {
    /// Queue depth
    queue_depth: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", const_labels(workerId, instance))]
struct FlattenedOnly {
    #[metric(flatten)]
    inner: Inner,
}

// Allowed on the group: compiles.
#[derive(MetricGroup)]
#[metric_group(prefix = "router", const_labels(routerId), allow(camel_case))]
struct Allowed {
    /// Requests
    requests_total: IntCounter,
}

fn main() {}
