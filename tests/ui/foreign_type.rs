// A type named like a prometheus metric but not one: the error lands on the
// field's type, not on the derive.
use metric_group::MetricGroup;

mod mine {
    #[derive(Clone)]
    pub struct Histogram;
}

#[derive(MetricGroup)]
struct Shop {
    /// Checkout latency
    #[metric(name = "checkout_seconds")]
    checkout: mine::Histogram,
}

fn main() {}
