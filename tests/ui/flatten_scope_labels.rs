//! A flattened group's labels meet the scope's as a direct field's do: a
//! variable label `worker_id` (the default naming's instance label from the
//! component level down) or a level's label is a compile error at the
//! flattened type, not only an `Err` from `for_scope`.
use metric_group::prometheus::IntCounterVec;
use metric_group::{Family, LabelSet, MetricGroup};

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct PerWorker {
    /// Requests waiting per worker
    #[metric(name = "waiting_total", labels(worker_id))]
    waiting: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component)]
struct Router {
    /// Requests routed
    #[metric(name = "routed_total", labels(model))]
    routed: IntCounterVec,
    #[metric(flatten)]
    queue: PerWorker,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct ByNamespace {
    dynamo_namespace: String,
}

#[derive(MetricGroup)]
struct Typed {
    /// Requests per namespace
    requests_total: Family<ByNamespace, metric_group::prometheus::IntCounter>,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "frontend", scope = namespace)]
struct Frontend {
    #[metric(flatten)]
    typed: Typed,
}

fn main() {}
