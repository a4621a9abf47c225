//! A prefix ending in `_` would be joined with another `_`
//! (`router__requests_total`): refused at the prefix, however it is given.
use metric_group::prometheus::IntCounter;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "router_")]
struct Literal {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

const METRIC_PREFIX: &str = "router_";

#[derive(MetricGroup)]
#[metric_group(prefix = METRIC_PREFIX)]
struct Constant {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = env("ROUTER_PREFIX", default = "router_"))]
struct EnvDefault {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

fn main() {}
