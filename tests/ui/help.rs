use metric_group::prometheus::{Gauge, IntCounter};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Help {
    undocumented: Gauge,
    /// Documented, but the explicit help is empty and wins
    #[metric(name = "hits_total", help = "  ")]
    hits: IntCounter,
}

fn main() {}
