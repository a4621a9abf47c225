#[derive(MetricGroup)]
#[metric_group(prefx = "shop", scope = planet)]
struct Keys {
    /// Open carts
    #[metric(nmae = "carts", help = "Open carts", help = "again")]
    carts: Gauge,
    /// Orders
    #[metric(name = "orders_total", allow(unit_abbrev), frobnicate = 3)]
    orders: IntCounter,
    /// Misplaced
    #[metric_group(prefix = "x")]
    misplaced: Gauge,
}