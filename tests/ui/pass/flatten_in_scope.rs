//! A scoped group flattening a group whose labels the hierarchy does not
//! add: it compiles and its metrics are exposed behind the scope's prefix.
use metric_group::prometheus::IntCounterVec;
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
pub struct PerModel {
    /// Requests waiting per model
    #[metric(name = "waiting_total", labels(model))]
    pub waiting: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component)]
pub struct Router {
    /// Requests routed
    #[metric(name = "routed_total", labels(model))]
    pub routed: IntCounterVec,
    #[metric(flatten)]
    pub queue: PerModel,
}

fn main() -> Result<(), metric_group::Error> {
    let scope = Scope::runtime().namespace("dynamo")?.component("backend")?;
    let router = Router::for_scope(&scope)?;
    router.queue.waiting.with_label_values(&["llama"]).inc();
    let text = scope.encode_text()?;
    assert!(
        text.contains("dynamo_component_router_queue_waiting_total{"),
        "{text}"
    );
    Ok(())
}
