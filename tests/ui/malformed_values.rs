// A value that does not parse is the one error: the default name is not
// linted in its place, and the keys after it are still read.
use metric_group::prometheus::IntCounter;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Malformed {
    /// Requests
    #[metric(name = 5, unit = "requests")]
    requests: IntCounter,
    /// Errors
    #[metric(help = 5, nmae = "errors_total")]
    errors_total: IntCounter,
}

fn main() {}
