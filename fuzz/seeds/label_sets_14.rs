#[derive(MetricGroup)]
struct Group {
    /// Queue depth
    #[metric(name = "queue_depth", labels(worker_id))]
    queue: Family<Rank, IntGauge>,
}