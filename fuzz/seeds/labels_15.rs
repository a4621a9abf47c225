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