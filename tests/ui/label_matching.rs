// Labels are matched by name, a constant's name being its snake-case last
// segment; const evaluation then checks the constant holds that name. A
// `fixed(...)` item that is not `label = value` is one error.
use metric_group::prometheus::IntCounterVec;
use metric_group::MetricGroup;

mod labels {
    pub const MODEL: &str = "model_name";
}

#[derive(MetricGroup)]
#[metric_group(bind(model))]
struct BoundByName {
    /// Requests by model
    #[metric(labels(labels::MODEL))]
    requests_total: IntCounterVec,
}

#[derive(MetricGroup)]
struct OneFamily {
    /// Backpressure by reason
    #[metric(name = "backpressure_total", labels(model), fixed(reason = "request_limit"))]
    request_limit: IntCounterVec,
    #[metric(name = "backpressure_total", labels(labels::MODEL), fixed(reason = "queue_full"))]
    queue_full: IntCounterVec,
}

#[derive(MetricGroup)]
struct FixedSyntax {
    /// Backpressure by reason
    #[metric(name = "backpressure_total", labels(model), fixed(reason = 5, other = "x"))]
    request_limit: IntCounterVec,
    /// Backpressure by reason
    #[metric(name = "dropped_total", labels(model), fixed(reason))]
    dropped: IntCounterVec,
}

fn main() {}
