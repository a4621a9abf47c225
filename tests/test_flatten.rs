//! `#[metric(flatten)]`: a nested group's metrics join the outer group's,
//! behind its prefix, with its const labels; registered, memoised and
//! catalogued with it.

mod common;

use std::sync::Arc;

use metric_group::catalog::Catalog;
use metric_group::encode_text;
use metric_group::prometheus::{Histogram, IntCounter, IntCounterVec, IntGauge, Registry};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, MetricGroup};

/// A queue's metrics, declared once and nested wherever a queue lives.
#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct QueueMetrics {
    /// Requests waiting
    depth: IntGauge,
    /// Requests rejected because the queue was full
    #[metric(name = "rejected_total", labels(model))]
    rejected: IntCounterVec,
    /// Time spent waiting
    #[metric(name = "wait_seconds", buckets = [0.01, 0.1], unit = "seconds")]
    wait: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "flat_router", const_labels(router_id))]
struct RouterMetrics {
    /// Requests routed
    #[metric(name = "requests_total")]
    requests: IntCounter,
    #[metric(flatten)]
    prefill_queue: QueueMetrics,
    /// Requests refused
    #[metric(name = "refused_total")]
    refused: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "flat_scoped", scope = component)]
struct ScopedRouterMetrics {
    /// Requests routed
    #[metric(name = "requests_total")]
    requests: IntCounter,
    #[metric(flatten)]
    queue: QueueMetrics,
}

#[test]
fn flattened_metrics_take_the_outer_prefix_and_const_labels() -> Result<(), Error> {
    let registry = Registry::new();
    let prefill = RouterMetrics::init(&registry, "prefill")?;
    let decode = RouterMetrics::init(&registry, "decode")?;
    prefill.prefill_queue.depth.set(3);
    decode.prefill_queue.depth.set(5);
    prefill.prefill_queue.inc_rejected("llama")?;
    prefill.prefill_queue.wait.observe(0.05);
    prefill.requests.inc();

    let text = encode_text(&registry.gather())?;
    for line in [
        "flat_router_queue_depth{router_id=\"prefill\"} 3",
        "flat_router_queue_depth{router_id=\"decode\"} 5",
        "flat_router_queue_rejected_total{model=\"llama\",router_id=\"prefill\"} 1",
        "flat_router_queue_wait_seconds_bucket{router_id=\"prefill\",le=\"0.1\"} 1",
        "flat_router_requests_total{router_id=\"prefill\"} 1",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    // The nested group's own names are not exposed.
    assert!(!text.contains("\nqueue_depth"), "{text}");
    common::assert_only_allowed_lints(&text, &[RouterMetrics::GROUP]);
    Ok(())
}

#[test]
fn flattened_group_is_memoised_with_the_outer_group() -> Result<(), Error> {
    let registry = Registry::new();
    let first = RouterMetrics::init(&registry, "memo")?;
    let again = RouterMetrics::init(&registry, "memo")?;
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    assert!(std::ptr::eq(
        &first.prefill_queue,
        &RouterMetrics::get("memo").expect("built").prefill_queue
    ));
    Ok(())
}

#[test]
fn the_descriptor_lists_flattened_metrics_at_their_field() {
    let metrics: Vec<(&str, &str)> = RouterMetrics::GROUP
        .metrics
        .iter()
        .map(|m| (m.field, m.name))
        .collect();
    assert_eq!(
        metrics,
        [
            ("requests", "flat_router_requests_total"),
            ("prefill_queue.depth", "flat_router_queue_depth"),
            ("prefill_queue.rejected", "flat_router_queue_rejected_total"),
            ("prefill_queue.wait", "flat_router_queue_wait_seconds"),
            ("refused", "flat_router_refused_total"),
        ]
    );
    let wait = &RouterMetrics::GROUP.metrics[3];
    assert_eq!(
        wait.buckets,
        Some(metric_group::catalog::BucketSpec::Explicit(&[0.01, 0.1]))
    );
    assert_eq!(wait.unit, Some("seconds"));
    assert_eq!(
        RouterMetrics::GROUP.metrics[2].labels,
        QueueMetrics::GROUP.metrics[1].labels
    );
}

#[test]
fn the_catalog_lists_flattened_metrics_with_the_outer_group() {
    let catalog = Catalog::from_groups([RouterMetrics::GROUP, QueueMetrics::GROUP]);
    assert!(catalog.check_unique().is_ok());
    let text = catalog.to_markdown();
    assert!(text.contains("flat_router_queue_wait_seconds"), "{text}");
}

#[test]
fn a_clash_with_a_flattened_name_registers_nothing() -> Result<(), Error> {
    let registry = Registry::new();
    let squatter = IntCounter::new("flat_router_queue_depth", "held by hand").expect("valid");
    registry.register(Box::new(squatter)).expect("registers");
    let refused = RouterMetrics::init(&registry, "clash");
    assert!(
        matches!(&refused, Err(Error::AlreadyRegistered { metric, declared_by, .. })
            if metric == "flat_router_queue_depth" && declared_by.ends_with("RouterMetrics.prefill_queue.depth")),
        "{:?}",
        refused.as_ref().err()
    );
    // Only the squatter remains.
    assert_eq!(registry.gather().len(), 1);
    Ok(())
}

#[test]
fn flattened_into_a_scoped_group_takes_the_scope_prefix() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let component = runtime.namespace("ns")?.component("router")?;
    let metrics = ScopedRouterMetrics::for_scope(&component)?;
    assert!(Arc::ptr_eq(
        &metrics,
        &ScopedRouterMetrics::for_scope(&component)?
    ));
    metrics.queue.depth.set(2);
    let text = runtime.encode_text()?;
    assert!(
        text.contains(
            "dynamo_component_flat_scoped_queue_depth{dynamo_component=\"router\",dynamo_namespace=\"ns\"} 2"
        ),
        "{text}"
    );
    Ok(())
}

#[test]
fn the_linked_catalog_lists_a_flattened_group_only_within_its_outer_group() {
    let catalog = metric_group::catalog();
    let names: Vec<&str> = catalog.groups().iter().map(|g| g.name).collect();
    assert!(names.contains(&"RouterMetrics"), "{names:?}");
    assert!(!names.contains(&"QueueMetrics"), "{names:?}");
    assert!(catalog.to_markdown().contains("flat_router_queue_depth"));
    assert!(RouterMetrics::GROUP.flattened[0].name == "QueueMetrics");
}

/// Nested twice: `Outer` flattens `Middle`, which flattens `QueueMetrics`.
#[derive(MetricGroup)]
#[metric_group(prefix = "middle")]
struct Middle {
    /// Requests seen by the middle layer
    #[metric(name = "seen_total")]
    seen: IntCounter,
    #[metric(flatten)]
    queue: QueueMetrics,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "outer", const_labels(pool))]
struct Outer {
    #[metric(flatten)]
    middle: Middle,
}

#[test]
fn groups_nest_at_any_depth() -> Result<(), Error> {
    let names: Vec<(&str, &str)> = Outer::GROUP
        .metrics
        .iter()
        .map(|m| (m.field, m.name))
        .collect();
    assert_eq!(
        names,
        [
            ("middle.seen", "outer_middle_seen_total"),
            ("middle.queue.depth", "outer_middle_queue_depth"),
            ("middle.queue.rejected", "outer_middle_queue_rejected_total"),
            ("middle.queue.wait", "outer_middle_queue_wait_seconds"),
        ]
    );
    let registry = Registry::new();
    let outer = Outer::builder().prefix("edge").init(&registry, "p")?;
    outer.middle.queue.depth.set(4);
    outer.middle.seen.inc();
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("edge_middle_queue_depth{pool=\"p\"} 4"),
        "{text}"
    );
    assert!(
        text.contains("edge_middle_seen_total{pool=\"p\"} 1"),
        "{text}"
    );
    common::assert_only_allowed_lints(&text, &[]);
    let catalog = metric_group::catalog();
    let groups: Vec<&str> = catalog.groups().iter().map(|g| g.name).collect();
    assert!(
        groups.contains(&"Outer") && !groups.contains(&"Middle"),
        "{groups:?}"
    );
    Ok(())
}
