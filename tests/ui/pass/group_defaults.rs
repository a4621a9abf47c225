use metric_group::prometheus::{Histogram, IntCounter, Registry};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "overhead", buckets = exponential(0.0001, 2.0, 18),
               unit = "milliseconds", allow(unit_abbreviation))]
pub struct Overhead {
    /// Time hashing, in milliseconds
    #[metric(name = "hashing_ms")]
    pub hashing: Histogram,
    /// Time scheduling, in milliseconds
    #[metric(name = "scheduling_ms")]
    pub scheduling: Histogram,
    /// Own buckets and unit win over the group's
    #[metric(name = "wait_seconds", buckets = [0.1, 1.0], unit = "seconds")]
    pub wait: Histogram,
    /// Not a histogram: keeps no unit
    #[metric(name = "decisions_total")]
    pub decisions: IntCounter,
}

fn main() -> Result<(), metric_group::Error> {
    let overhead = Overhead::init(&Registry::new())?;
    overhead.observe_hashing(std::time::Duration::from_micros(3))?;
    overhead.observe_wait(std::time::Duration::from_millis(3))?;
    overhead.observe_wait(0.003)?; // seconds, as declared
    overhead.decisions.inc();
    Ok(())
}
