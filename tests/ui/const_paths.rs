use metric_group::prometheus::{Gauge, Histogram, IntCounter};
use metric_group::MetricGroup;

mod names {
    pub const PREFIX: &str = "shop";
    pub const BAD: &str = "open-carts";
    pub const RENDER_MS: &str = "render_ms";
    pub const ORDERS: &str = "orders";
    pub const OPEN: &str = "open";
}

#[derive(MetricGroup)]
#[metric_group(prefix = names::PREFIX)]
struct ConstPaths {
    /// invalid name
    #[metric(name = names::BAD)]
    bad: Gauge,
    /// lint through a constant
    #[metric(name = names::RENDER_MS)]
    render: Histogram,
    /// counter without _total through a constant
    #[metric(name = names::ORDERS)]
    orders: IntCounter,
    /// same name as `open_again`
    #[metric(name = names::OPEN)]
    open: Gauge,
    /// same name as `open`
    #[metric(name = "open")]
    open_again: Gauge,
}

fn main() {}

#[derive(Clone, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct Rank {
    worker_id: u64,
    le: u32,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool", const_labels(worker_id))]
struct LabelSetClashes {
    /// Wait time
    #[metric(name = "wait_seconds")]
    wait: metric_group::Family<Rank, Histogram>,
}
