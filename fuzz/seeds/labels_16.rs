#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component)]
struct Shadowing {
    /// Requests
    #[metric(name = "requests_total", labels(dynamo_namespace))]
    requests: IntCounterVec,
}