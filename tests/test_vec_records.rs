//! What the helpers of plain `*Vec` fields record goes with the group:
//! 3,000 hierarchies created and dropped, each with 1,000 series created
//! through a helper, hold what 300 did. A standalone group's records go
//! when it is dropped.

mod common;

use common::alloc::{held, start_counting, stop_counting};
use metric_group::prometheus::IntCounterVec;
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::MetricGroup;

#[global_allocator]
static ALLOCATOR: common::alloc::Counting = common::alloc::Counting;

#[derive(MetricGroup)]
#[metric_group(prefix = "records", scope = component)]
struct ComponentMetrics {
    /// Requests by method and worker
    #[metric(name = "requests_total", labels(method, backend_id))]
    requests: IntCounterVec,
}

const SERIES: u64 = 1_000;

/// How many hierarchies are alive at once: a service replaces a few at a
/// time, so a dropped family's address is not simply taken by the next one.
const ALIVE: u64 = 10;

/// A hierarchy with one component whose group got `SERIES` series through
/// a helper.
fn one_hierarchy(n: u64) -> (Scope, std::sync::Arc<ComponentMetrics>) {
    let runtime = Scope::runtime();
    let component = runtime
        .namespace("records")
        .and_then(|namespace| namespace.component(&format!("c{n}")))
        .expect("valid names");
    let metrics = ComponentMetrics::for_scope(&component).expect("valid");
    for worker in 0..SERIES {
        metrics.inc_requests("GET", worker).expect("no collision");
    }
    (runtime, metrics)
}

/// Creates hierarchies `range`, `ALIVE` at a time, and drops them all.
fn hierarchies(range: std::ops::Range<u64>) {
    let mut alive = Vec::new();
    for n in range {
        alive.push(one_hierarchy(n));
        if alive.len() as u64 == ALIVE {
            alive.clear();
        }
    }
}

#[test]
fn three_thousand_hierarchies_hold_what_three_hundred_did() {
    start_counting();
    hierarchies(0..300);
    let after_300 = held();
    hierarchies(300..3_000);
    let after_3_000 = held();
    stop_counting();
    println!("held after 300 hierarchies: {after_300} B; after 3,000: {after_3_000} B");
    assert!(
        after_3_000 - after_300 < 1 << 20,
        "{after_300} B -> {after_3_000} B"
    );
}

#[derive(MetricGroup)]
#[metric_group(prefix = "records_standalone")]
struct Standalone {
    /// Requests by worker
    #[metric(name = "requests_total", labels(worker_id))]
    requests: IntCounterVec,
}

#[test]
fn a_dropped_group_leaves_no_records() {
    start_counting();
    let group = Standalone::new().expect("valid");
    for worker in 0..SERIES {
        group.inc_requests(worker).expect("no collision");
    }
    let with_group = held();
    drop(group);
    let after = held();
    stop_counting();
    println!(
        "held by a group with {SERIES} helper series: {with_group} B; once dropped: {after} B"
    );
    // What stays is the shared tables' capacity, not the records.
    assert!(after < with_group / 8, "{with_group} B -> {after} B");
}
