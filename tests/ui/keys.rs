use metric_group::prometheus::{Gauge, IntCounter};
use metric_group::MetricGroup;

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

#[derive(MetricGroup)]
#[metric(name = "x")]
#[metric_group(prefix = "shop", prefix = "again")]
struct Misplaced {
    /// Open carts
    #[metric(name = 42)]
    carts: Gauge,
}

fn main() {}
