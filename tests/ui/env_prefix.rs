// `prefix = env("VAR", default = "prefix")`: a variable name, an optional
// default checked like any prefix; a builder configures only what exists.
use metric_group::prometheus::{Histogram, IntCounter};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = env(APP_PREFIX))]
struct NotALiteral {
    /// Jobs done
    jobs_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = env("APP=PREFIX"))]
struct BadVariable {
    /// Jobs done
    jobs_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = env("APP_PREFIX", fallback = "app"))]
struct UnknownArgument {
    /// Jobs done
    jobs_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = env("APP_PREFIX", default = "9app"))]
struct BadDefault {
    /// Jobs done
    jobs_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "app")]
struct Configurable {
    /// Jobs done
    jobs_total: IntCounter,
    /// Job latency
    #[metric(buckets = [0.1, 1.0], unit = "seconds")]
    latency_seconds: Histogram,
}

fn main() {
    // Only histograms have a buckets method.
    let _ = Configurable::builder().jobs_total_buckets([1.0]);
}
