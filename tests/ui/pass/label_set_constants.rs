//! `#[label(name = ..)]` names a `LabelSet` field's label from a constant
//! (as upstream's `labels::WORKER_ID`) or a literal; the family exposes it.
use metric_group::prometheus::{IntGauge, Registry};
use metric_group::{Family, LabelSet, MetricGroup};

mod labels {
    pub const WORKER_ID: &str = "worker_id";
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct Worker {
    #[label(name = labels::WORKER_ID)]
    id: u64,
    #[label(name = "dp_rank")]
    rank: u32,
}

#[derive(MetricGroup)]
struct Pool {
    /// Active blocks per worker
    #[metric(name = "active_blocks")]
    active_blocks: Family<Worker, IntGauge>,
}

fn main() -> Result<(), metric_group::Error> {
    assert_eq!(<Worker as LabelSet>::NAMES, ["worker_id", "dp_rank"]);
    let registry = Registry::new();
    let pool = Pool::init(&registry)?;
    pool.set_active_blocks(&Worker { id: 7, rank: 0 }, 3)?;
    let text = metric_group::encode(&registry)?;
    assert!(text.contains("active_blocks{dp_rank=\"0\",worker_id=\"7\"} 3"), "{text}");
    Ok(())
}
