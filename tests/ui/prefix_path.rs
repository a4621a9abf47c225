// An invalid prefix given as a constant is reported at the prefix, once, not
// at every field whose name it makes invalid.
use metric_group::prometheus::{Gauge, IntCounter};
use metric_group::MetricGroup;

mod names {
    pub const PREFIX: &str = "open-shop";
}

#[derive(MetricGroup)]
#[metric_group(prefix = names::PREFIX)]
struct BadPrefix {
    /// Carts
    #[metric(name = "carts")]
    carts: Gauge,
    /// Orders
    orders_total: IntCounter,
}

fn main() {}
