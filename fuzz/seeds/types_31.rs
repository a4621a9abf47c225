#[derive(MetricGroup)]
struct Empty {}