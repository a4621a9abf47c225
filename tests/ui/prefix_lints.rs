//! A prefix that trips a promtool lint (a `:`, camelCase, an abbreviated
//! unit) is reported once, at the prefix, not once per metric.
use metric_group::prometheus::{IntCounter, IntGauge};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "job:router")]
struct Colon {
    /// Requests
    requests_total: IntCounter,
    /// Requests in flight
    inflight: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = env("ROUTER_PREFIX", default = "myRouter"))]
struct CamelDefault {
    /// Requests
    requests_total: IntCounter,
    /// Requests in flight
    inflight: IntGauge,
}

fn main() {}
