#[derive(MetricGroup)]
#[metric_group(prefix = "9shop")]
struct BadPrefix {
    /// Open carts
    carts: Gauge,
}