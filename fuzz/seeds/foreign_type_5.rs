#[derive(MetricGroup)]
struct Shop {
    /// Checkout latency
    #[metric(name = "checkout_seconds")]
    checkout: mine::Histogram,
}