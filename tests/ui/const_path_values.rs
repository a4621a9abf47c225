// Constants in label lists and buckets (an array constant is taken by
// value); bad list items are reported each at its token, with no second
// error about missing labels.
use metric_group::prometheus::{Histogram, IntCounterVec};
use metric_group::MetricGroup;

mod defs {
    pub const ROUTE: &str = "route";
    pub const BUCKETS: [f64; 2] = [0.1, 1.0];
}

#[derive(MetricGroup)]
struct ConstValues {
    /// Requests
    #[metric(labels(defs::ROUTE))]
    requests_total: IntCounterVec,
    /// Latency
    #[metric(buckets = defs::BUCKETS)]
    latency_seconds: Histogram,
    /// NaN bound
    #[metric(buckets = [0.1, f64::NAN])]
    wait_seconds: Histogram,
    /// Infinite bound
    #[metric(buckets = [0.1, f64::INFINITY])]
    idle_seconds: Histogram,
}

fn main() {}

#[derive(MetricGroup)]
struct ListErrors {
    /// Two bad items in one list: both reported, and nothing about the list
    #[metric(labels(route, 5, defs::ROUTE, "method"))]
    calls_total: IntCounterVec,
}
