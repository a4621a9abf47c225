// A histogram with a time unit observes an `f64` in its unit or a
// `Duration`: an integer, an `f32` or a string is refused at the argument,
// saying what it takes.
use metric_group::prometheus::{Histogram, Registry};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Timings {
    /// Request latency
    #[metric(unit = "seconds", buckets = [0.1, 1.0])]
    latency_seconds: Histogram,
}

fn main() {
    let timings = Timings::init(&Registry::new()).unwrap();
    let _ = timings.observe_latency_seconds(2);
    let _ = timings.observe_latency_seconds(0.5_f32);
    // Passing controls: an `f64` and a `Duration`.
    let _ = timings.observe_latency_seconds(0.5);
    let _ = timings.observe_latency_seconds(std::time::Duration::from_millis(5));
}
