#[derive(MetricGroup)]
#[metric(name = "x")]
#[metric_group(prefix = "shop", prefix = "again")]
struct Misplaced {
    /// Open carts
    #[metric(name = 42)]
    carts: Gauge,
}