#[derive(MetricGroup)]
struct Types {
    /// A string is no metric
    name: String,
    /// Generic forms are not recognised
    hits: GenericCounter<metric_group::prometheus::core::AtomicU64>,
    /// Fine
    open: Gauge,
}