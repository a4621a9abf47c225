//! Two families that would write one series (a histogram's `_bucket`,
//! `_count`, `_sum`; a counter's OpenMetrics family named without `_total`)
//! are refused at the later field, naming both, across the group and its
//! flattened groups, literals and constants alike. No `allow` permits it.
use metric_group::prometheus::{Histogram, IntCounter, IntGauge};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "api")]
struct GaugeBesideHistogram {
    /// Request latency
    #[metric(name = "latency_seconds", unit = "seconds")]
    latency: Histogram,
    /// Requests counted by hand
    #[metric(name = "latency_seconds_count", allow(reserved_suffix))]
    latency_count: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "api")]
struct HistogramAfterGauge {
    /// Requests counted by hand
    #[metric(name = "latency_seconds_count")]
    latency_count: IntGauge,
    /// Request latency
    #[metric(name = "latency_seconds", unit = "seconds")]
    latency: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct CounterBesideGauge {
    /// Jobs done
    #[metric(name = "jobs_total")]
    done: IntCounter,
    /// Jobs waiting
    #[metric(name = "jobs")]
    waiting: IntGauge,
}

mod names {
    pub const WAIT_COUNT: &str = "wait_seconds_count";
}

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct FromConstant {
    /// Time waited
    #[metric(name = "wait_seconds", unit = "seconds")]
    wait: Histogram,
    /// Waits counted by hand
    #[metric(name = names::WAIT_COUNT, allow(reserved_suffix))]
    waits: IntGauge,
}

#[derive(MetricGroup)]
struct Inner {
    /// Time waited
    #[metric(unit = "seconds")]
    wait_seconds: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool")]
struct AcrossFlatten {
    /// Waits counted by hand
    #[metric(name = "wait_seconds_sum", allow(reserved_suffix))]
    waited: IntGauge,
    #[metric(flatten)]
    inner: Inner,
}

fn main() {}
