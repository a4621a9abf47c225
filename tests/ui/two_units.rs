// A base unit followed by a prefixed form of the same unit: promtool 2.42
// flags these on every run, later promtools do not. The derive refuses every
// name any of them flags.
use metric_group::prometheus::Gauge;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct TwoUnits {
    /// Seconds then milliseconds
    x_seconds_milliseconds: Gauge,
    /// Bytes then kilobytes
    app_bytes_kilobytes: Gauge,
    /// Two base units: fine
    x_seconds_bytes: Gauge,
}

fn main() {}
