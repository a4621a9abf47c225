#[derive(MetricGroup)]
struct Units {
    /// a
    #[metric(name = "render_seconds", unit = "Seconds")]
    a: Histogram,
    /// b
    #[metric(name = "render_duration", unit = "seconds")]
    b: Histogram,
}