use metric_group::prometheus::{CounterVec, GaugeVec, HistogramVec};
use metric_group::MetricGroup;

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

fn main() -> Result<(), metric_group::Error> {
    let m = Keywords::global()?;
    m.inc_requests("get", true)?;
    m.set_temperature("kitchen", 3, 21.5)?;
    m.observe_latency("/", std::time::Duration::from_millis(3))?;
    assert!(m.remove_latency("/"));
    Ok(())
}
