//! What the workspace's uniqueness test (`test_catalog`) would report if a
//! group clashing with a router metric were linked in: this binary links one.

use metric_group::catalog::Catalog;
use metric_group::prometheus::{Histogram, IntCounter};
use metric_group::MetricGroup;
use metric_group_router::RoutingOverheadMetrics;

/// Same full name as the router's total overhead, another type.
#[derive(MetricGroup)]
#[metric_group(prefix = "dynamo_router")]
struct Clashing {
    /// Total routing overhead per request in milliseconds
    #[metric(name = "overhead_total_ms", allow(counter_total, unit_abbreviation))]
    total: IntCounter,
}

/// Same name, type and labels, another help text.
#[derive(MetricGroup)]
#[metric_group(prefix = "dynamo_router", const_labels(router_id))]
struct Reworded {
    /// Time spent hashing blocks, in milliseconds
    #[metric(name = "overhead_block_hashing_ms", allow(unit_abbreviation))]
    block_hashing: Histogram,
}

#[test]
fn the_linked_catalog_reports_both_declarations() {
    let _ = (
        RoutingOverheadMetrics::GROUP,
        Clashing::GROUP,
        Reworded::GROUP,
    );
    let conflicts = metric_group::catalog()
        .check_unique()
        .expect_err("the names clash");
    let messages: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "metric `dynamo_router_overhead_block_hashing_ms` is declared by \
             `metric_group_router::RoutingOverheadMetrics.block_hashing` and by \
             `test_catalog_clash::Reworded.block_hashing` with different help texts",
            "metric `dynamo_router_overhead_total_ms` is declared by \
             `metric_group_router::RoutingOverheadMetrics.total` and by \
             `test_catalog_clash::Clashing.total` with different types",
        ]
    );
}

#[test]
fn identical_declarations_are_not_a_conflict() {
    let catalog =
        Catalog::from_groups([RoutingOverheadMetrics::GROUP, RoutingOverheadMetrics::GROUP]);
    assert!(catalog.check_unique().is_ok());
}
