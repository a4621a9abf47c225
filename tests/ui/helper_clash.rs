// Every histogram `latency` gets `observe_latency_with_exemplar`, which is
// also the observe helper of a histogram `latency_with_exemplar`.
use metric_group::prometheus::{Histogram, HistogramVec};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Clash {
    /// Latency
    #[metric(name = "latency_seconds", unit = "seconds")]
    latency: Histogram,
    /// Latency by route
    #[metric(name = "latency_by_route_seconds", labels(route))]
    latency_with_exemplar: HistogramVec,
}

fn main() {}
