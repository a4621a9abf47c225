use metric_group::prometheus::{Histogram, HistogramVec, IntCounterVec};
use metric_group::MetricGroup;

mod labels {
    pub const WORKER_ID: &str = "worker_id";
    pub const ROUTER_ID: &str = "router_id";
    pub const BAD: &str = "worker-id";
    pub const DUNDER: &str = "__name";
    pub const LE: &str = "le";
    pub const COMPONENT: &str = "dynamo_component";
    pub const CAMEL: &str = "workerId";
    pub const TRAILING_SPACE: &str = "model ";
    pub const EMPTY: &str = "";
    pub const RANK: &str = "worker_id";
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool", const_labels(labels::ROUTER_ID))]
struct ConstLabelRules {
    /// invalid label name through a constant
    #[metric(name = "invalid_total", labels(labels::BAD))]
    a: IntCounterVec,
    /// reserved
    #[metric(name = "reserved_total", labels(labels::DUNDER))]
    b: IntCounterVec,
    /// `le` on a counter
    #[metric(name = "le_total", labels(labels::LE))]
    c: IntCounterVec,
    /// repeated: constant then literal
    #[metric(name = "repeated_total", labels(labels::WORKER_ID, "worker_id"))]
    d: IntCounterVec,
    /// clashes with the const label through a literal
    #[metric(name = "clash_total", labels(router_id))]
    e: IntCounterVec,
    /// camel case through a constant is a promtool lint
    #[metric(name = "camel_total", labels(labels::CAMEL))]
    f: IntCounterVec,
    /// fine
    #[metric(name = "fine_seconds", labels(labels::WORKER_ID, "dp_rank", worker_type))]
    g: HistogramVec,
    /// the message shows the constant's value: a trailing space
    #[metric(name = "spaced_total", labels(labels::TRAILING_SPACE))]
    h: IntCounterVec,
    /// and an empty one
    #[metric(name = "empty_total", labels(labels::EMPTY))]
    i: IntCounterVec,
    /// two constants holding one name: the value shown
    #[metric(name = "twice_total", labels(labels::WORKER_ID, labels::RANK))]
    j: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool", scope = component, const_labels(labels::COMPONENT))]
struct ScopeClash {
    /// the const label is one the scope adds
    #[metric(name = "scoped_seconds")]
    h: Histogram,
}

mod buckets {
    pub const NOT_SLICE: f64 = 1.0;
}

#[derive(MetricGroup)]
struct BucketForms {
    /// a constant of the wrong type
    #[metric(name = "i_seconds", buckets = buckets::NOT_SLICE)]
    i: Histogram,
    /// a constant inside the arguments: accepted, judged by const evaluation
    #[metric(name = "j_seconds", buckets = exponential(buckets::NOT_SLICE, 2.0, 3))]
    j: Histogram,
    /// folded arguments are checked like literals
    #[metric(name = "k_seconds", buckets = exponential((1 << 3) as f64 - 8.0, 2.0, 3))]
    k: Histogram,
    /// mixed integer and float arithmetic
    #[metric(name = "l_seconds", buckets = linear(1 + 2.0, 1.0, 3))]
    l: Histogram,
}

fn main() {}
