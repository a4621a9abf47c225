// `latency` with a time unit gets `observe_latency_duration`, which is also
// the observe helper of a labelled field `latency_duration`.
use metric_group::prometheus::{Histogram, HistogramVec};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Clash {
    /// Latency
    #[metric(name = "latency_seconds", unit = "seconds")]
    latency: Histogram,
    /// Latency by route
    #[metric(name = "latency_by_route_seconds", labels(route))]
    latency_duration: HistogramVec,
}

fn main() {}
