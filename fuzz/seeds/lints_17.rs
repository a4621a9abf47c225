#[derive(MetricGroup)]
#[metric_group(prefix = "shop")]
struct Lints {
    /// counter_total
    #[metric(name = "orders")]
    orders: IntCounter,
    /// non_counter_total
    #[metric(name = "queue_total")]
    queue: Gauge,
    /// base_unit
    #[metric(name = "latency_milliseconds")]
    latency: Histogram,
    /// unit_abbreviation
    #[metric(name = "size_kb")]
    size: Gauge,
    /// type_in_name
    #[metric(name = "depth_gauge")]
    depth: Gauge,
    /// reserved_suffix
    #[metric(name = "carts_count")]
    carts: Gauge,
    /// reserved_chars
    #[metric(name = "job:carts")]
    job_carts: Gauge,
    /// camel_case in the name
    #[metric(name = "openCarts")]
    open_carts: Gauge,
    /// camel_case in a label
    #[metric(name = "workers", labels(workerId))]
    workers: IntGaugeVec,
    /// an allow that does not apply
    #[metric(name = "temperature_celsius", allow(base_unit))]
    temperature: Gauge,
}