//! A bare upper-case identifier in a label list reads as a constant but
//! would be the label's own name: an error at it, saying what to write.
use metric_group::prometheus::{IntCounter, IntCounterVec};
use metric_group::MetricGroup;

const MODEL: &str = "model";

#[derive(MetricGroup)]
struct ConstantInScope {
    /// Requests by model
    #[metric(name = "requests_total", labels(MODEL))]
    requests: IntCounterVec,
}

#[derive(MetricGroup)]
struct NoSuchConstant {
    /// Requests by worker
    #[metric(name = "requests_total", labels(WORKER_ID))]
    requests: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(const_labels(ROUTER))]
struct ConstLabel {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

fn main() {
    let _ = MODEL;
}
