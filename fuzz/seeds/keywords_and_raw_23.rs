/// Labels named like Rust keywords and like the helpers' own parameters.
#[derive(MetricGroup)]
struct Keywords {
    /// Requests by type
    #[metric(name = "requests_total", labels(r#type, value))]
    requests: CounterVec,
    /// Temperature by room
    #[metric(name = "temperature_celsius", labels("self", duration))]
    r#temperature: GaugeVec,
    /// Latency by route
    #[metric(name = "latency_seconds", labels(route), unit = "seconds", buckets = log(0.001, 10.0, 9))]
    latency: HistogramVec,
}