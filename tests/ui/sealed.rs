// `MetricGroup` is implemented by the derive only: a hand-written impl lacks
// the sealed supertrait, which lives in the versioned private module.
use metric_group::prometheus::core::Collector;
use metric_group::MetricGroup;

struct ByHand;

impl MetricGroup for ByHand {
    const GROUP: &'static metric_group::catalog::GroupDescriptor = todo!();

    fn collectors(&self) -> Vec<Box<dyn Collector>> {
        Vec::new()
    }
}

fn main() {}
