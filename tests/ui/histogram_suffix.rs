// A histogram exposes `<name>_bucket`, `<name>_count` and `<name>_sum`: a name
// ending in one of those collides with its own series. promtool does not
// flag this; the derive refuses it, for literal and const names alike.
use metric_group::prometheus::{Histogram, HistogramVec};
use metric_group::MetricGroup;

mod names {
    pub const WAIT: &str = "queue_wait_seconds_sum";
}

#[derive(MetricGroup)]
struct SeriesSuffixes {
    /// Tokens per request
    #[metric(name = "request_tokens_count")]
    tokens: Histogram,
    /// Latency
    #[metric(name = "latency_seconds_bucket", labels(route))]
    latency: HistogramVec,
    /// Sizes
    size_bytes_sum: Histogram,
    /// Through a constant
    #[metric(name = names::WAIT)]
    wait: Histogram,
}

fn main() {}
