use metric_group::prometheus::{Gauge, HistogramVec, IntCounterVec, IntGaugeVec};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "shop", const_labels(region, "bad-const"))]
struct BadLabels {
    /// Requests
    #[metric(name = "requests_total", labels("worker-id", __internal, quantile, method, method))]
    requests: IntCounterVec,
    /// Latency
    #[metric(name = "latency_seconds", labels(le))]
    latency: HistogramVec,
    /// Queue depth
    #[metric(labels(region))]
    queue: IntGaugeVec,
    /// Temperature
    #[metric(labels(room))]
    temperature: Gauge,
    /// Missing labels
    sizes: IntGaugeVec,
    /// Empty labels
    #[metric(labels())]
    depths: IntGaugeVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component)]
struct Shadowing {
    /// Requests
    #[metric(name = "requests_total", labels(dynamo_namespace))]
    requests: IntCounterVec,
}

fn main() {}
