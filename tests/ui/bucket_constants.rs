// `buckets = CONSTANT`: a `&[f64]`, `[f64; N]`, `&[f64; N]` or `BucketSpec`
// constant, judged by const evaluation by the rules literal buckets meet,
// each error at the constant; a constant of another type is one error.
use metric_group::prometheus::Histogram;
use metric_group::rules::BucketSpec;
use metric_group::MetricGroup;

mod defs {
    use super::BucketSpec;

    pub const UNSORTED: &[f64] = &[0.1, 0.01];
    pub const NOT_FINITE: [f64; 2] = [0.1, f64::INFINITY];
    pub const EMPTY: &[f64] = &[];
    pub const BAD_START: BucketSpec = BucketSpec::Exponential {
        start: 0.0,
        factor: 2.0,
        count: 4,
    };
    pub const OVERFLOWS: BucketSpec = BucketSpec::Exponential {
        start: 1.0,
        factor: 1e10,
        count: 40,
    };
    pub const BAD_WIDTH: BucketSpec = BucketSpec::Linear {
        start: 0.0,
        width: -1.0,
        count: 4,
    };
    pub const BAD_LOG: BucketSpec = BucketSpec::Log {
        min: 10.0,
        max: 1.0,
        count: 4,
    };
    pub const NO_COUNT: BucketSpec = BucketSpec::Linear {
        start: 0.0,
        width: 1.0,
        count: 0,
    };
    pub const NOT_BUCKETS: &str = "0.1,0.5";
}

#[derive(MetricGroup)]
struct BadConstants {
    /// Unsorted
    #[metric(buckets = defs::UNSORTED)]
    a_seconds: Histogram,
    /// Not finite
    #[metric(buckets = defs::NOT_FINITE)]
    b_seconds: Histogram,
    /// Empty
    #[metric(buckets = defs::EMPTY)]
    c_seconds: Histogram,
    /// Bad start
    #[metric(buckets = defs::BAD_START)]
    d_seconds: Histogram,
    /// Overflows
    #[metric(buckets = defs::OVERFLOWS)]
    e_seconds: Histogram,
    /// Bad width
    #[metric(buckets = defs::BAD_WIDTH)]
    f_seconds: Histogram,
    /// Bad log
    #[metric(buckets = defs::BAD_LOG)]
    g_seconds: Histogram,
    /// No count
    #[metric(buckets = defs::NO_COUNT)]
    h_seconds: Histogram,
}

#[derive(MetricGroup)]
struct WrongType {
    /// Not buckets
    #[metric(buckets = defs::NOT_BUCKETS)]
    latency_seconds: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(buckets = defs::UNSORTED)]
struct GroupDefault {
    /// Inherits the unsorted default
    latency_seconds: Histogram,
}

// One default, one error: at the group's specification, not once per
// histogram taking it.
#[derive(MetricGroup)]
#[metric_group(buckets = exponential(1.0, args::FACTOR, 400))]
struct OverflowingGroupDefault {
    /// Inherits it
    a_seconds: Histogram,
    /// Inherits it too
    b_seconds: Histogram,
    /// Inherits it as well
    c_seconds: Histogram,
    /// Its own buckets
    #[metric(buckets = [0.1, 1.0])]
    d_seconds: Histogram,
}

fn main() {}

mod args {
    pub const ZERO: f64 = 0.0;
    pub const FACTOR: f64 = 10.0;
    pub const BLOCK_SIZE: usize = 16;
    pub const BIG: f64 = 1e308;
}

#[derive(MetricGroup)]
struct ConstArguments {
    /// Start from a constant that is zero
    #[metric(buckets = exponential(args::ZERO, 2.0, 3))]
    a_seconds: Histogram,
    /// Bounds out of order
    #[metric(buckets = [args::BIG, 1.0])]
    c_seconds: Histogram,
}

#[derive(MetricGroup)]
struct MistypedArgument {
    /// An integer constant where a float goes: one type error (while it
    /// stands, the group's other const checks are not evaluated)
    #[metric(buckets = exponential(args::BLOCK_SIZE, 2.0, 3))]
    b_seconds: Histogram,
}
