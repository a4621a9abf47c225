// Const labels named like the constructors' own parameters.
use metric_group::prometheus::{IntCounter, IntGauge};
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

fn main() {
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
