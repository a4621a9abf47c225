#[derive(MetricGroup)]
#[metric_group(prefix = "shop", const_labels(region))]
struct Shop {
    /// Checkout latency
    #[metric(name = "checkout_seconds", labels(method), bukets = [0.1, 1.0])]
    checkout: HistogramVec,
}