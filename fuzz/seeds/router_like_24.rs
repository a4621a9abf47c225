#[derive(MetricGroup)]
#[metric_group(prefix = names::PREFIX, const_labels(router_id))]
pub struct Overhead {
    /// Time spent computing block hashes in milliseconds
    #[metric(name = names::BLOCK_HASHING_MS, buckets = exponential(0.0001, 2.0, 18),
             unit = "milliseconds", allow(unit_abbreviation))]
    pub block_hashing: Histogram,
}