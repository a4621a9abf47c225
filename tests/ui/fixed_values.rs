//! Fixed label values are compared by value, by const evaluation where they
//! are constants or `LabelValue` variants: an empty constant is refused like
//! the literal `""`, and two fields of one family whose values are the same
//! string, however written, would write one series (at the later field).
use metric_group::prometheus::IntCounterVec;
use metric_group::{LabelValue, MetricGroup};

mod reasons {
    pub const EMPTY: &str = "";
    pub const QUEUE_FULL: &str = "queue_full";
    pub const ALSO_QUEUE_FULL: &str = "queue_full";
}

#[derive(Clone, Copy, LabelValue)]
#[label_value(rename_all = "snake_case")]
enum Reason {
    QueueFull,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct Empty {
    /// Requests refused, by reason
    #[metric(name = "refused_total", labels(model), fixed(reason = reasons::EMPTY))]
    empty: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct TwoConstants {
    /// Requests refused, by reason
    #[metric(name = "refused_total", labels(model), fixed(reason = reasons::QUEUE_FULL))]
    queue_full: IntCounterVec,
    #[metric(name = "refused_total", labels(model), fixed(reason = reasons::ALSO_QUEUE_FULL))]
    also_queue_full: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router")]
struct VariantAndLiteral {
    /// Requests refused, by reason
    #[metric(name = "refused_total", labels(model), fixed(reason = Reason::QueueFull))]
    queue_full: IntCounterVec,
    #[metric(name = "refused_total", labels(model), fixed(reason = "queue_full"))]
    spelled_out: IntCounterVec,
}

fn main() {}
