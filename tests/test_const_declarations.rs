//! Declarations that take label names and buckets from constants: what they
//! expose. Constants that break a rule are compile errors (tests/ui/
//! bucket_constants.rs).

mod common;

use metric_group::encode_text;
use metric_group::prometheus::{Histogram, HistogramVec, Registry};
use metric_group::rules::BucketSpec;
use metric_group::{Error, MetricGroup};

mod labels {
    pub const WORKER_ID: &str = "worker_id";
    pub const ROUTER_ID: &str = "router_id";
}

const QUEUE_BUCKETS: &[f64] = &[0.001, 0.01, 0.1];
const OVERHEAD_BUCKETS: BucketSpec = BucketSpec::Exponential {
    start: 0.5,
    factor: 4.0,
    count: 3,
};
const LOG_BUCKETS: BucketSpec = BucketSpec::Log {
    min: 1.0,
    max: 1000.0,
    count: 4,
};

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl", const_labels(labels::ROUTER_ID))]
struct Queue {
    /// Time spent queued
    #[metric(name = "queue_wait_seconds", labels(labels::WORKER_ID, "dp_rank", worker_type),
             buckets = QUEUE_BUCKETS, unit = "seconds")]
    wait: HistogramVec,
    /// Prompt sizes
    #[metric(name = "prompt_tokens", buckets = exponential((4 * (1 << 10)) as f64, 2.0, 2))]
    prompt: Histogram,
}

const BLOCK_SIZE: usize = 16;
const PROMPT_BUCKETS: usize = 3;
const BASE_SECONDS: f64 = 0.25;

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl")]
struct ConstArguments {
    /// Prompt sizes in blocks' worth of tokens
    #[metric(name = "prompt_blocks_tokens", unit = "tokens",
             buckets = exponential((4 * BLOCK_SIZE) as f64, 2.0, PROMPT_BUCKETS))]
    prompt: Histogram,
    /// Waits as multiples of a base
    #[metric(name = "wait_seconds", unit = "seconds",
             buckets = [BASE_SECONDS, BASE_SECONDS * 4.0, 10])]
    wait: Histogram,
}

#[test]
fn bucket_arguments_may_name_constants() -> Result<(), Error> {
    use metric_group::rules::BucketSpec;
    assert_eq!(
        ConstArguments::GROUP.metrics[0].buckets,
        Some(BucketSpec::Exponential {
            start: 64.0,
            factor: 2.0,
            count: 3
        })
    );
    assert_eq!(
        ConstArguments::GROUP.metrics[1].buckets,
        Some(BucketSpec::Explicit(&[0.25, 1.0, 10.0]))
    );
    let registry = Registry::new();
    ConstArguments::new()?.register(&registry)?;
    let text = encode_text(&registry.gather())?;
    for bound in ["64", "128", "256"] {
        let line = format!("constdecl_prompt_blocks_tokens_bucket{{le=\"{bound}\"}} 0");
        assert!(text.contains(&line), "{line} missing from\n{text}");
    }
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl", buckets = OVERHEAD_BUCKETS, unit = "seconds")]
struct Specs {
    /// Time spent hashing, buckets from the group's `BucketSpec` constant
    #[metric(name = "hashing_seconds")]
    hashing: Histogram,
    /// Prompt sizes, buckets from a `BucketSpec::Log` constant
    #[metric(name = "prompt_size_tokens", buckets = LOG_BUCKETS, unit = "tokens")]
    prompt: Histogram,
}

#[test]
fn constants_name_labels_and_buckets() -> Result<(), Error> {
    let registry = Registry::new();
    let queue = Queue::new(3u64)?;
    queue.register(&registry)?;
    queue.observe_wait(1u64, 0u32, "decode", 0.005)?;
    queue.prompt.observe(5000.0);
    let text = encode_text(&registry.gather())?;
    assert!(text.contains(
        "constdecl_queue_wait_seconds_bucket{dp_rank=\"0\",router_id=\"3\",worker_id=\"1\",worker_type=\"decode\",le=\"0.01\"} 1"
    ), "{text}");
    assert!(
        text.contains("constdecl_prompt_tokens_bucket{router_id=\"3\",le=\"4096\"} 0"),
        "{text}"
    );
    assert!(
        text.contains("constdecl_prompt_tokens_bucket{router_id=\"3\",le=\"8192\"} 1"),
        "{text}"
    );
    Ok(())
}

#[test]
fn bucket_spec_constants_are_computed_when_built() -> Result<(), Error> {
    let registry = Registry::new();
    let specs = Specs::new()?;
    specs.register(&registry)?;
    specs.hashing.observe(1.0);
    specs.prompt.observe(50.0);
    let text = encode_text(&registry.gather())?;
    for line in [
        "constdecl_hashing_seconds_bucket{le=\"0.5\"} 0",
        "constdecl_hashing_seconds_bucket{le=\"2\"} 1",
        "constdecl_hashing_seconds_bucket{le=\"8\"} 1",
        "constdecl_prompt_size_tokens_bucket{le=\"0\"} 0",
        "constdecl_prompt_size_tokens_bucket{le=\"10\"} 0",
        "constdecl_prompt_size_tokens_bucket{le=\"100\"} 1",
        "constdecl_prompt_size_tokens_bucket{le=\"1000\"} 1",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    // The catalog shows the bounds the specification computes.
    let hashing = Specs::GROUP.metrics[0].buckets.expect("declared");
    assert_eq!(hashing.bounds(), Ok(vec![0.5, 2.0, 8.0]));
    Ok(())
}

const ARRAY_BUCKETS: [f64; 2] = [1.0, 2.0];

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl")]
struct Borrowed {
    /// Bounds from an array constant, borrowed
    #[metric(name = "borrowed_seconds", buckets = &ARRAY_BUCKETS)]
    borrowed: Histogram,
}

#[test]
fn an_array_constant_is_borrowed() -> Result<(), Error> {
    let registry = Registry::new();
    Borrowed::new()?.register(&registry)?;
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("constdecl_borrowed_seconds_bucket{le=\"2\"} 0"),
        "{text}"
    );
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl")]
struct WithState {
    /// Routed requests
    #[metric(name = "routed_total")]
    routed: metric_group::prometheus::IntCounter,
    /// Not a metric: built with `Default`, never registered
    #[metric(skip)]
    recent: std::sync::Mutex<Vec<u64>>,
}

#[test]
fn a_skipped_field_is_default_and_not_exposed() -> Result<(), Error> {
    let registry = Registry::new();
    let group = WithState::new()?;
    group.register(&registry)?;
    group.recent.lock().expect("not poisoned").push(3);
    group.routed.inc();
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        text,
        "# HELP constdecl_routed_total Routed requests\n# TYPE constdecl_routed_total counter\nconstdecl_routed_total 1\n"
    );
    assert_eq!(WithState::GROUP.metrics.len(), 1);
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl")]
struct Backpressure {
    /// Requests refused or delayed by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(model, labels::WORKER_ID),
        fixed(reason = "request_limit")
    )]
    request_limit: metric_group::prometheus::IntCounterVec,
    /// Requests refused or delayed by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(model, labels::WORKER_ID),
        fixed(reason = "do_not_queue")
    )]
    do_not_queue: metric_group::prometheus::IntCounterVec,
    /// Queue depth
    #[metric(name = "queue_depth")]
    depth: metric_group::prometheus::IntGauge,
}

#[test]
fn fields_with_fixed_labels_are_one_family() -> Result<(), Error> {
    let registry = Registry::new();
    let group = Backpressure::new()?;
    group.register(&registry)?;
    group.inc_request_limit("llama", 3u64)?;
    group.inc_request_limit("llama", 3u64)?;
    group.inc_do_not_queue("llama", 3u64)?;
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        text,
        "# HELP constdecl_backpressure_total Requests refused or delayed by backpressure, by reason\n\
         # TYPE constdecl_backpressure_total counter\n\
         constdecl_backpressure_total{model=\"llama\",reason=\"do_not_queue\",worker_id=\"3\"} 1\n\
         constdecl_backpressure_total{model=\"llama\",reason=\"request_limit\",worker_id=\"3\"} 2\n\
         # HELP constdecl_queue_depth Queue depth\n\
         # TYPE constdecl_queue_depth gauge\n\
         constdecl_queue_depth 0\n"
    );
    // One descriptor per family: the catalog and registration see one metric.
    assert_eq!(Backpressure::GROUP.metrics.len(), 2);
    assert_eq!(
        Backpressure::GROUP.metrics[0].labels,
        ["model", "worker_id", "reason"]
    );
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "constdecl_sched", bind(model, labels::WORKER_ID))]
pub struct Scheduler {
    /// Requests queued by the scheduler
    #[metric(name = "queued_total", labels(model, labels::WORKER_ID))]
    queued: metric_group::prometheus::IntCounterVec,
    /// Requests refused by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(model, labels::WORKER_ID),
        fixed(reason = "request_limit")
    )]
    request_limit: metric_group::prometheus::IntCounterVec,
    /// Requests refused by backpressure, by reason
    #[metric(
        name = "backpressure_total",
        labels(model, labels::WORKER_ID),
        fixed(reason = "do_not_queue")
    )]
    do_not_queue: metric_group::prometheus::IntCounterVec,
    /// Queue wait
    #[metric(name = "wait_seconds", labels(model, labels::WORKER_ID), buckets = [0.1, 1.0])]
    wait: HistogramVec,
    /// Not bound: other labels
    #[metric(name = "depth", labels(model))]
    depth: metric_group::prometheus::IntGaugeVec,
}

#[test]
fn bound_handles_update_the_same_series_as_the_helpers() -> Result<(), Error> {
    let registry = Registry::new();
    let group = Scheduler::new()?;
    group.register(&registry)?;
    let handles: SchedulerHandles = group.bind("llama", 7u64)?;
    handles.queued.inc();
    handles.request_limit.inc();
    handles.do_not_queue.inc_by(2);
    handles.wait.observe(0.5);
    group.inc_queued("llama", 7u64)?;
    group.set_depth("llama", 3)?;
    let text = encode_text(&registry.gather())?;
    for series in [
        "constdecl_sched_queued_total{model=\"llama\",worker_id=\"7\"} 2",
        "constdecl_sched_backpressure_total{model=\"llama\",reason=\"do_not_queue\",worker_id=\"7\"} 2",
        "constdecl_sched_backpressure_total{model=\"llama\",reason=\"request_limit\",worker_id=\"7\"} 1",
        "constdecl_sched_wait_seconds_bucket{model=\"llama\",worker_id=\"7\",le=\"1\"} 1",
        "constdecl_sched_depth{model=\"llama\"} 3",
    ] {
        assert!(text.contains(series), "missing {series} in\n{text}");
    }
    Ok(())
}

#[test]
fn every_new_declaration_passes_promtool() -> Result<(), Error> {
    let registry = Registry::new();
    let queue = Queue::new(3u64)?;
    queue.register(&registry)?;
    queue.observe_wait(1u64, 0u32, "decode", 0.005)?;
    let backpressure = Backpressure::new()?;
    backpressure.register(&registry)?;
    backpressure.inc_request_limit("llama", 3u64)?;
    backpressure.inc_do_not_queue("llama", 3u64)?;
    let scheduler = Scheduler::new()?;
    scheduler.register(&registry)?;
    let handles = scheduler.bind("llama", 7u64)?;
    handles.queued.inc();
    handles.request_limit.inc();
    handles.wait.observe(0.2);
    let state = WithState::new()?;
    state.register(&registry)?;
    common::assert_only_allowed_lints(
        &encode_text(&registry.gather())?,
        &[
            Queue::GROUP,
            Backpressure::GROUP,
            Scheduler::GROUP,
            WithState::GROUP,
        ],
    );
    Ok(())
}
