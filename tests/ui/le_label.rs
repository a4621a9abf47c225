// `le` holds a histogram's bucket bounds; promtool refuses it on other
// metrics ("non-histogram metrics should not have "le" label").
use metric_group::prometheus::{IntCounterVec, IntGauge, IntGaugeVec};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct VariableLe {
    /// Requests
    #[metric(labels(le))]
    requests_total: IntCounterVec,
    /// Queue depth
    #[metric(labels(route, le))]
    queue_depth: IntGaugeVec,
}

#[derive(MetricGroup)]
#[metric_group(const_labels(le))]
struct ConstLeWithoutHistograms {
    /// Queue depth
    depth: IntGauge,
}

fn main() {}

#[derive(Clone, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct Bound {
    le: u32,
}

#[derive(MetricGroup)]
struct FamilyLe {
    /// Hits by bound, through a label set (checked by const evaluation)
    hits_total: metric_group::Family<Bound, metric_group::prometheus::IntCounter>,
}

// A label set may hold `le`, as a literal or from a constant: its derive
// does not know which metrics the set labels. Every family using it
// refuses it, at the type argument: a histogram's `le` holds its bucket
// bounds, and promtool flags `le` on other metrics.
mod labels {
    pub const LE: &str = "le";
}

#[derive(Clone, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct ConstantBound {
    #[label(name = labels::LE)]
    size: u32,
}

#[derive(MetricGroup)]
struct ConstantLe {
    /// Request sizes
    request_size_bytes: metric_group::Family<ConstantBound, metric_group::prometheus::Histogram>,
    /// Queue depth by bound
    depth: metric_group::Family<ConstantBound, IntGauge>,
}
