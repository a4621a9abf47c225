#[derive(MetricGroup)]
#[metric_group(prefix = "pool", const_labels(worker_id))]
struct LabelSetClashes {
    /// Wait time
    #[metric(name = "wait_seconds")]
    wait: metric_group::Family<Rank, Histogram>,
}