#[derive(Clone, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct Rank {
    worker_id: u64,
    le: u32,
}