//! The README quick start's shape: an `IntCounterVec` keyed by a method and
//! a numeric worker id, incremented through the generated helper and by hand
//! (`with_label_values` with the id formatted by `to_string()`).

use metric_group::prometheus::{IntCounterVec, Opts};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "shop")]
pub struct OrderMetrics {
    /// Orders taken, by method and worker
    #[metric(name = "orders_total", labels(method, worker_id))]
    pub orders: IntCounterVec,
}

pub struct HandwrittenOrders {
    pub orders: IntCounterVec,
}

impl HandwrittenOrders {
    pub fn new() -> prometheus::Result<Self> {
        Ok(HandwrittenOrders {
            orders: IntCounterVec::new(
                Opts::new("shop_orders_total", "Orders taken, by method and worker"),
                &["method", "worker_id"],
            )?,
        })
    }

    pub fn inc(&self, method: &str, worker_id: u64) {
        self.orders
            .with_label_values(&[method, &worker_id.to_string()])
            .inc();
    }
}

/// 4 methods x 16 worker ids, cycled by `i`.
pub fn label_set(i: u64) -> (&'static str, u64) {
    const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
    (METHODS[(i & 3) as usize], 1000 + ((i >> 2) & 15))
}
