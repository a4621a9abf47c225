// `bind(...)` must name labels some `*Vec` field carries exactly.
use metric_group::prometheus::IntCounterVec;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(bind(model, worker_type))]
struct NothingBound {
    /// Labels in another order
    #[metric(name = "queued_total", labels(worker_type, model))]
    queued: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(bind())]
struct EmptyBind {
    /// Queued
    #[metric(name = "queued_total", labels(model))]
    queued: IntCounterVec,
}

fn main() {}

#[derive(Clone, Copy, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct Worker {
    worker_id: u64,
}

#[derive(MetricGroup)]
#[metric_group(bind(Workers))]
struct FamilyBindTypo {
    /// Load per worker
    load: metric_group::Family<Worker, metric_group::prometheus::IntGauge>,
}
