// Group-level `buckets`, `unit` and `allow`: a bad default is reported once,
// at the group; a name that does not mention an inherited unit is reported at
// the name.
use metric_group::prometheus::{Histogram, IntCounter};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(buckets = exponential(0.0, 2.0, 3), unit = "milisecond", allow(unit_abbrev))]
struct BadDefaults {
    /// a
    #[metric(name = "a_milliseconds")]
    a: Histogram,
    /// b
    #[metric(name = "b_milliseconds")]
    b: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(buckets = [0.1, 1.0], unit = "seconds")]
struct InheritedUnit {
    /// the unit comes from the group
    #[metric(name = "wait_time")]
    wait: Histogram,
    /// a counter does not inherit the histograms' unit
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

fn main() {}
