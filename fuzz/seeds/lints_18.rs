#[derive(MetricGroup)]
#[metric_group(prefix = "shop")]
struct Allowed {
    /// Deliberate: kept for dashboards
    #[metric(name = "render_ms", allow(unit_abbreviation))]
    render: Histogram,
}