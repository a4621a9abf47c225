#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct Rank {
    worker_id: u64,
}