#[derive(MetricGroup)]
#[metric_group(prefix = "dynamo_frontend")]
pub struct Load {
    /// Active KV cache decode blocks per worker
    #[metric(name = "worker_active_decode_blocks", labels(worker_id, dp_rank, worker_type))]
    pub active_decode_blocks: IntGaugeVec,
}