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
