#[derive(MetricGroup)]
#[metric_group(prefix = "shop")]
struct BadNames {
    /// Open carts
    #[metric(name = "open-carts")]
    carts: Gauge,
    /// Orders placed
    #[metric(name = "orders_total")]
    orders: IntCounter,
    /// Orders placed, again
    #[metric(name = "orders_total")]
    orders_again: IntCounter,
    /// Empty name
    #[metric(name = "")]
    nothing: Gauge,
}