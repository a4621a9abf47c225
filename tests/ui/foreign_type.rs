// A type named like a prometheus metric but not one: the error lands on the
// field's type, not on the derive: one error per field.
use metric_group::MetricGroup;

mod mine {
    #[derive(Clone)]
    pub struct Histogram;
    #[derive(Clone)]
    pub struct IntCounter;
}

#[derive(MetricGroup)]
struct Shop {
    /// Checkout latency
    #[metric(name = "checkout_seconds")]
    checkout: mine::Histogram,
    /// Orders placed
    orders_total: mine::IntCounter,
}

fn main() {}
