//! Names judged as exposed: a name right on its own but wrong once joined
//! behind a prefix (a flattening group's, the metrics hierarchy's) is
//! refused at compile time by the same rules, at the field.
use metric_group::prometheus::{Histogram, IntCounter, IntGauge};
use metric_group::MetricGroup;

/// Right on its own: no prefix.
#[derive(MetricGroup)]
struct Blocks {
    /// Blocks in use
    total: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "kv_blocks")]
struct KvCache {
    /// Evictions
    evictions_total: IntCounter,
    #[metric(flatten)]
    blocks: Blocks,
}

#[derive(MetricGroup)]
struct Sizes {
    /// Prompt sizes
    #[metric(buckets = [16.0, 256.0, 4096.0])]
    count: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "prompt_tokens")]
struct Prompts {
    #[metric(flatten)]
    sizes: Sizes,
}

#[derive(MetricGroup)]
#[metric_group(scope = component)]
struct Component {
    /// Requests in flight
    count: IntGauge,
}

fn main() {}
