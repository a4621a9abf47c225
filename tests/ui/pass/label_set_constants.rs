//! `#[label(name = ..)]` names a `LabelSet` field's label from a constant
//! (as upstream's `labels::WORKER_ID`, or a lone identifier) or a literal;
//! the family exposes it. A constant's name in snake_case (digits, a
//! leading underscore) passes. A prefix constant may be named `PREFIX`.
use metric_group::prometheus::{IntGauge, Registry};
use metric_group::{Family, LabelSet, MetricGroup};

mod labels {
    pub const WORKER_ID: &str = "worker_id";
    pub const SHARD: &str = "_shard2";
}

const NAME: &str = "dp_rank";
const PREFIX: &str = "pool";

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct Worker {
    #[label(name = labels::WORKER_ID)]
    id: u64,
    #[label(name = NAME)]
    rank: u32,
    #[label(name = "worker_type")]
    kind: &'static str,
    #[label(name = labels::SHARD)]
    shard: u8,
}

#[derive(MetricGroup)]
#[metric_group(prefix = PREFIX)]
struct Pool {
    /// Active blocks per worker
    #[metric(name = "active_blocks")]
    active_blocks: Family<Worker, IntGauge>,
}

fn main() -> Result<(), metric_group::Error> {
    assert_eq!(
        <Worker as LabelSet>::NAMES,
        ["worker_id", "dp_rank", "worker_type", "_shard2"]
    );
    let registry = Registry::new();
    let pool = Pool::init(&registry)?;
    let worker = Worker { id: 7, rank: 0, kind: "decode", shard: 1 };
    pool.set_active_blocks(&worker, 3)?;
    let text = metric_group::encode(&registry)?;
    assert!(
        text.contains("pool_active_blocks{_shard2=\"1\",dp_rank=\"0\",worker_id=\"7\",worker_type=\"decode\"} 3"),
        "{text}"
    );
    Ok(())
}
