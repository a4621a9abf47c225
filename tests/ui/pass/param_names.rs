// Const labels named like the constructors' own parameters.
use metric_group::prometheus::{IntCounter, IntCounterVec, IntGauge};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(const_labels(registry))]
struct ByRegistry {
    /// Requests
    requests_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(scope = component, const_labels(scope))]
struct ByScope {
    /// Depth
    depth: IntGauge,
}

/// A constant of the label's name, in scope: the helper's parameter is
/// `model`, not a pattern for the constant.
const MODEL: &str = "gpt";

#[derive(MetricGroup)]
struct UpperCaseLabel {
    /// Requests by model
    #[metric(name = "requests_total", labels("MODEL"))]
    requests: IntCounterVec,
}

fn main() {
    let upper = UpperCaseLabel::new().unwrap();
    upper.inc_requests(MODEL).unwrap();
    let registry = metric_group::prometheus::Registry::new();
    let group = ByRegistry::init(&registry, "main").unwrap();
    group.requests_total.inc();
    let component = Scope::runtime()
        .namespace("ns")
        .unwrap()
        .component("backend")
        .unwrap();
    let scoped = ByScope::for_scope(&component, "outer").unwrap();
    scoped.depth.set(1);
}
