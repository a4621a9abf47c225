//! A `LabelSet` field may take its label name from `#[label(name = ..)]`: a
//! literal, checked by the derive, or a constant, checked by const
//! evaluation with the same rules (a valid label name in snake_case, no name
//! twice), its error at the constant showing its value.
use metric_group::LabelSet;

mod labels {
    pub const WORKER_ID: &str = "worker_id";
    pub const RESERVED: &str = "__worker";
    pub const SPACED: &str = "dp rank";
    pub const CAMEL: &str = "workerId";
    pub const RANK: &str = "worker_id";
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct ReservedConstant {
    #[label(name = labels::RESERVED)]
    worker: u64,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct InvalidConstant {
    #[label(name = labels::SPACED)]
    rank: u32,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct ConstantTwice {
    worker_id: u64,
    #[label(name = labels::WORKER_ID)]
    worker: u64,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct LiteralTwice {
    worker_id: u64,
    #[label(name = "worker_id")]
    worker: u64,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct BadLiteral {
    #[label(name = "workerId")]
    worker: u64,
    #[label(nam = "rank")]
    rank: u32,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct CamelConstant {
    #[label(name = labels::CAMEL)]
    id: u64,
}

// Two constants holding one name: the message shows the value.
#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct ConstantsTwice {
    #[label(name = labels::WORKER_ID)]
    id: u64,
    #[label(name = labels::RANK)]
    rank: u32,
}

// A literal repeating a constant's value: the literal is the value.
#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct LiteralAfterConstant {
    #[label(name = labels::WORKER_ID)]
    id: u64,
    #[label(name = "worker_id")]
    worker: u64,
}

fn main() {}
