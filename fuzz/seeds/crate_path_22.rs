#[derive(MetricGroup)]
#[metric_group(crate = reexport::metrics, prefix = "")]
struct Renamed {
    /// Open carts
    open_carts: Gauge,
}