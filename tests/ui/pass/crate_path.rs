use metric_group::prometheus::Gauge;
use metric_group::MetricGroup;

mod reexport {
    pub use metric_group as metrics;
}

#[derive(MetricGroup)]
#[metric_group(crate = reexport::metrics, prefix = "")]
struct Renamed {
    /// Open carts
    open_carts: Gauge,
}

fn main() {
    assert_eq!(Renamed::OPEN_CARTS_NAME, "open_carts");
}
