//! A `#[label(name = PATH)]` constant must be a `&str`: a constant of
//! another type is one error, at the constant, whatever uses the set.
use metric_group::prometheus::IntGauge;
use metric_group::{Family, LabelSet, MetricGroup};

mod labels {
    pub const WORKER_ID: &str = "worker_id";
    pub const RANK: u32 = 0;
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct NumberConstant {
    #[label(name = labels::WORKER_ID)]
    id: u64,
    #[label(name = labels::RANK)]
    rank: u32,
    worker_type: u32,
}

#[derive(MetricGroup)]
struct Pool {
    /// Active blocks per worker
    #[metric(name = "active_blocks")]
    active_blocks: Family<NumberConstant, IntGauge>,
}

fn main() {}
