#[derive(MetricGroup)]
struct Tuple(Gauge);