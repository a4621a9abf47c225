// `fixed(label = "value")`: fields of one family must agree (reported at the
// later field); fixed labels are checked like any label.
use metric_group::prometheus::{IntCounter, IntCounterVec, IntGaugeVec};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Disagree {
    /// Backpressure by reason
    #[metric(name = "backpressure_total", labels(model), fixed(reason = "request_limit"))]
    request_limit: IntCounterVec,
    /// Another help text
    #[metric(name = "backpressure_total", labels(model), fixed(reason = "do_not_queue"))]
    do_not_queue: IntCounterVec,
    /// Backpressure by reason
    #[metric(name = "backpressure_total", labels(model), fixed(reason = "request_limit"))]
    same_value: IntCounterVec,
    /// Backpressure by reason
    #[metric(name = "backpressure_total", labels(model), fixed(reason = "queue_full"))]
    queue_full: IntCounterVec,
    /// Backpressure by reason
    #[metric(name = "backpressure_total", labels(model), fixed(reason = "queue_full"))]
    queue_full_again: IntCounterVec,
}

mod reasons {
    pub const CAMEL: &str = "rejectReason";
}

// A fixed label's name is judged as a variable label's is: promtool's
// lints (camel case) too, given as a literal or a constant.
#[derive(MetricGroup)]
struct FixedLints {
    /// Rejected when full
    #[metric(name = "rejected_total", labels(worker), fixed(rejectReason = "full"))]
    literal: IntCounterVec,
    /// Rejected when empty
    #[metric(name = "rejected_empty_total", labels(worker), fixed(reasons::CAMEL = "empty"))]
    constant: IntCounterVec,
}

#[derive(MetricGroup)]
struct FixedMisuse {
    /// Not a labelled family
    #[metric(name = "plain_total", fixed(reason = "x"))]
    plain: IntCounter,
    /// Fixed label repeats a variable one
    #[metric(name = "repeated", labels(reason), fixed(reason = "x"))]
    repeated: IntGaugeVec,
    /// Empty value
    #[metric(name = "empty_total", labels(model), fixed(reason = ""))]
    empty: IntCounterVec,
    /// Not `label = "value"`
    #[metric(name = "malformed_total", labels(model), fixed(reason))]
    malformed: IntCounterVec,
}

fn main() {}
