// A `LabelSet`'s fields are its label names and values: names must be valid
// label names, and floats cannot be label values.
use metric_group::prometheus::IntGauge;
use metric_group::{Family, LabelSet, MetricGroup};

#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct NonAsciiName {
    größe: u32,
}

#[derive(Clone, PartialEq, LabelSet)]
struct FloatValue {
    worker: u32,
    load: f64,
}

// One error from this derive, at the float, whatever uses the label set:
// the group and its helpers add none (the derives of `Eq` and `Hash` report
// the float too, each its own error).
#[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
struct FloatInFamily {
    worker: u32,
    load: f64,
}

#[derive(MetricGroup)]
struct Pool {
    /// Active blocks per worker
    #[metric(name = "active_blocks")]
    active_blocks: Family<FloatInFamily, IntGauge>,
}

fn main() {}
