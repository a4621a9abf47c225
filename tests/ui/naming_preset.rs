//! A scoped group's labels are checked against the naming preset it names
//! (`naming = PATH`), or the runtime's default preset: the derive knows no
//! naming of its own.
use metric_group::prometheus::{IntCounter, IntCounterVec};
use metric_group::scope::NamingPreset;
use metric_group::MetricGroup;

const POD_NAMING: NamingPreset = NamingPreset {
    metric_prefix: "svc",
    levels: &[("namespace", "ns"), ("component", "comp"), ("endpoint", "ep")],
    instance: Some(("pod", "component")),
    reserved_const_labels: &["pod"],
};

// `pod` is this naming's instance label, added at component level.
#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, naming = POD_NAMING)]
struct ShadowsPod {
    /// Requests per pod
    #[metric(name = "requests_total", labels(pod))]
    requests: IntCounterVec,
}

// Under this naming `worker_id` and `dynamo_component` are nobody's labels:
// this compiles.
#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, naming = POD_NAMING)]
struct DefaultNamesAreFree {
    /// Requests per worker
    #[metric(name = "requests_total", labels(worker_id, dynamo_component))]
    requests: IntCounterVec,
}

// A registry group has no naming.
#[derive(MetricGroup)]
#[metric_group(prefix = "router", naming = POD_NAMING)]
struct NoScope {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

const REGIONS: NamingPreset = NamingPreset {
    metric_prefix: "svc",
    levels: &[("region", "region"), ("zone", "zone")],
    instance: None,
    reserved_const_labels: &[],
};

// A level is a name of the preset: `zone` is one of this naming's.
#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = zone, naming = REGIONS)]
struct PerZone {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

// `component` is the default naming's level, not this one's.
#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, naming = REGIONS)]
struct NoSuchLevel {
    /// Requests
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

const NOT_A_PRESET: &str = "dynamo";

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, naming = NOT_A_PRESET)]
struct WrongType {
    /// Requests per worker
    #[metric(name = "requests_total", labels(model))]
    requests: IntCounterVec,
}

fn main() {}
