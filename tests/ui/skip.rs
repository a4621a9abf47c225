// `#[metric(skip)]` stands alone and takes no value; a skipped field's type
// must implement `Default`.
use metric_group::prometheus::IntCounter;
use metric_group::MetricGroup;

struct NoDefault;

#[derive(MetricGroup)]
struct Skips {
    /// Requests
    requests_total: IntCounter,
    #[metric(skip, name = "cache")]
    cache: Vec<u64>,
    #[metric(skip = true)]
    flag: bool,
    #[metric(skip)]
    handle: NoDefault,
}

#[derive(MetricGroup)]
struct OnlySkipped {
    #[metric(skip)]
    cache: Vec<u64>,
}

fn main() {}
