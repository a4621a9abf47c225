// `fixed(...)` with constant label names and values (a `&str` constant or a
// `LabelValue` enum variant); later fields of a family take its help text;
// labels spelled as a constant and as an identifier match by name.
use metric_group::prometheus::{IntCounterVec, Registry};
use metric_group::{LabelValue, MetricGroup};

mod labels {
    pub const MODEL: &str = "model";
    pub const REASON: &str = "reason";
}

mod reasons {
    pub const REQUEST_LIMIT: &str = "request_limit";
}

#[derive(Clone, Copy, LabelValue)]
#[label_value(rename_all = "snake_case")]
enum Reason {
    QueueFull,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "router", bind(model))]
struct Backpressure {
    /// Requests refused, by reason
    #[metric(name = "backpressure_total", labels(model), fixed(labels::REASON = reasons::REQUEST_LIMIT))]
    request_limit: IntCounterVec,
    #[metric(name = "backpressure_total", labels(labels::MODEL), fixed(reason = Reason::QueueFull))]
    queue_full: IntCounterVec,
    #[metric(
        name = "backpressure_total",
        labels(model),
        fixed(reason = "do_not_queue")
    )]
    do_not_queue: IntCounterVec,
}

fn main() -> Result<(), metric_group::Error> {
    let registry = Registry::new();
    let metrics = Backpressure::init(&registry)?;
    metrics.inc_request_limit("llama")?;
    metrics.inc_queue_full("llama")?;
    let handles = metrics.bind("llama")?;
    handles.do_not_queue.inc();
    let text = metric_group::encode_text(&registry.gather())?;
    assert!(text.contains("router_backpressure_total{model=\"llama\",reason=\"queue_full\"} 1"));
    assert!(text.contains("router_backpressure_total{model=\"llama\",reason=\"request_limit\"} 1"));
    assert!(text.contains("router_backpressure_total{model=\"llama\",reason=\"do_not_queue\"} 1"));
    assert_eq!(
        text.matches("# HELP router_backpressure_total Requests refused, by reason")
            .count(),
        1
    );
    Ok(())
}
