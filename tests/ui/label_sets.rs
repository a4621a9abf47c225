use metric_group::prometheus::IntGauge;
use metric_group::{Family, LabelSet, LabelValue, MetricGroup};

#[derive(LabelValue)]
struct NotAnEnum {
    x: u8,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake-case")]
enum BadRule {
    A,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, LabelValue)]
enum Values {
    Decode,
    #[label_value(rename = "Decode")]
    AlsoDecode,
    #[label_value(rename = "")]
    Empty,
    WithData(u8),
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
#[allow(non_snake_case)]
struct BadNames {
    workerId: u64,
    __internal: u32,
    quantile: u8,
}

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct Rank {
    worker_id: u64,
}

#[derive(MetricGroup)]
struct Group {
    /// Queue depth
    #[metric(name = "queue_depth", labels(worker_id))]
    queue: Family<Rank, IntGauge>,
}

fn main() {}
