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