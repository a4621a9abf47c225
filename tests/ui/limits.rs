use std::time::Duration;

use metric_group::prometheus::{IntCounter, IntCounterVec, IntGauge};
use metric_group::{Family, LabelSet, LabelValue, MetricGroup};

#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
enum Phase {
    Prefill,
    Decode,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct Step {
    phase: Phase,
    cached: bool,
}

const NONE: usize = 0;
const NEVER: Duration = Duration::ZERO;

#[derive(MetricGroup)]
#[metric_group(prefix = "svc", max_series = 0)]
struct Limits {
    /// Requests by model
    #[metric(labels(model), max_series = 0)]
    requests_total: IntCounterVec,
    /// Queue depth
    #[metric(max_series = 100)]
    queued: IntGauge,
    /// Retries
    #[metric(expire_after = "90s")]
    retries_total: IntCounter,
    /// Steps: four label sets
    #[metric(max_series = 3)]
    steps_total: Family<Step, IntCounter>,
    /// Errors by model
    #[metric(labels(model), max_series = NONE, expire_after = NEVER)]
    errors_total: IntCounterVec,
    /// Timeouts by model
    #[metric(labels(model), expire_after = "90x")]
    timeouts_total: IntCounterVec,
    /// Drops by model
    #[metric(labels(model), expire_after = "0s")]
    drops_total: IntCounterVec,
    /// Overflowing by name
    #[metric(labels(metric_group_overflow))]
    overflowing_total: IntCounterVec,
}

fn main() {}
