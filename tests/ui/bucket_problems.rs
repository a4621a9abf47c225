// Every problem of a bucket list, each at its bound; a negative argument is
// pointed at whole.
use metric_group::prometheus::Histogram;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Buckets {
    /// Unsorted, then repeated
    #[metric(buckets = [0.1, 0.5, 0.25, 1.0, 1.0])]
    a_seconds: Histogram,
    /// Negative width
    #[metric(buckets = linear(10.0, -1.0, 5))]
    b_seconds: Histogram,
}

fn main() {}
