// `#[metric(flatten)]` stands alone and takes no value; the field's type must
// be a `MetricGroup` without a scope or const labels of its own, and its
// metrics, behind the outer prefix, must not clash with the outer group's.
use metric_group::prometheus::IntCounter;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct Queue {
    /// Requests waiting
    #[metric(name = "waiting_total")]
    waiting: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(const_labels(pool))]
struct Pooled {
    /// Requests waiting
    waiting_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(scope = component)]
struct Scoped {
    /// Requests waiting
    waiting_total: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct Options {
    /// Requests routed
    routed_total: IntCounter,
    #[metric(flatten, name = "queue")]
    queue: Queue,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct FlattenWithValue {
    /// Requests routed
    routed_total: IntCounter,
    #[metric(flatten = true)]
    queue: Queue,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct NotAGroup {
    /// Requests routed
    routed_total: IntCounter,
    #[metric(flatten)]
    queue: Vec<u64>,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct WithConstLabels {
    /// Requests routed
    routed_total: IntCounter,
    #[metric(flatten)]
    pooled: Pooled,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct WithScope {
    /// Requests routed
    routed_total: IntCounter,
    #[metric(flatten)]
    scoped: Scoped,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct NameClash {
    /// Requests waiting, declared twice
    #[metric(name = "queue_waiting_total")]
    waiting: IntCounter,
    #[metric(flatten)]
    queue: Queue,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct TwiceFlattened {
    /// Requests routed
    routed_total: IntCounter,
    #[metric(flatten)]
    first: Queue,
    #[metric(flatten)]
    second: Queue,
}

fn main() {}
