#[derive(MetricGroup)]
struct Help {
    undocumented: Gauge,
    /// Documented, but the explicit help is empty and wins
    #[metric(name = "hits_total", help = "  ")]
    hits: IntCounter,
}