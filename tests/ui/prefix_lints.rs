//! A prefix that trips a promtool lint (a `:`, camelCase, an abbreviated
//! unit) is reported once, at the prefix, not once per metric: a literal,
//! an environment variable's default or a constant.
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

const PREFIX: &str = "myRouter";

// A constant too: once, at the constant, showing its value.
#[derive(MetricGroup)]
#[metric_group(prefix = PREFIX)]
struct CamelConstant {
    /// Requests
    requests_total: IntCounter,
    /// Requests in flight
    inflight: IntGauge,
}

// Allowed at the group: compiles.
#[derive(MetricGroup)]
#[metric_group(prefix = PREFIX, allow(camel_case))]
struct CamelConstantAllowed {
    /// Requests
    requests_total: IntCounter,
}

fn main() {}
