#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, const_labels(router_id))]
pub struct Requests {
    /// Total number of requests processed by the router
    #[metric(name = "requests_total")]
    pub requests: IntCounter,
}