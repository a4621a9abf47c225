//! Every exposition the project produces passes `promtool check metrics`,
//! but for the lints a declaration explicitly allows. (The `router` example's
//! output is checked in `test_router_example`.)

mod common;

use std::time::Duration;

use metric_group::encode_text;
use metric_group::prometheus::{IntCounter, IntCounterVec, Registry};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, Family, LabelSet, MetricGroup};
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};

fn text(registry: &Registry) -> String {
    encode_text(&registry.gather()).expect("encodable")
}

#[test]
fn each_router_group_alone() -> Result<(), Error> {
    let registry = Registry::new();
    let load = WorkerLoadMetrics::new()?;
    load.register(&registry)?;
    load.observe(1, 0, WorkerType::Decode, 3, 30)?;
    load.observe(2, 1, WorkerType::Prefill, 4, 40)?;
    common::assert_only_allowed_lints(&text(&registry), &[WorkerLoadMetrics::GROUP]);

    let registry = Registry::new();
    let overhead = RoutingOverheadMetrics::new(3u64)?;
    overhead.register(&registry)?;
    overhead.observe(
        Duration::from_micros(10),
        Duration::from_micros(30),
        Duration::from_micros(35),
        Duration::from_micros(90),
    );
    let exposition = text(&registry);
    common::assert_only_allowed_lints(&exposition, &[RoutingOverheadMetrics::GROUP]);

    let scope = Scope::runtime().namespace("dynamo")?.component("backend")?;
    let requests = RouterRequestMetrics::for_scope(&scope, 3u64)?;
    requests.record_routed(900, 0.4);
    requests.record_first_token(Duration::from_millis(120));
    requests.record_completed(64);
    common::assert_only_allowed_lints(&scope.encode_text()?, &[RouterRequestMetrics::GROUP]);
    Ok(())
}

#[test]
fn the_combined_hierarchy_scrape() -> Result<(), Error> {
    let runtime = Scope::runtime();
    WorkerLoadMetrics::new()?.register(runtime.registry())?;
    let overhead = RoutingOverheadMetrics::new(8u64)?;
    overhead.register(runtime.registry())?;
    overhead.observe(
        Duration::from_micros(5),
        Duration::from_micros(9),
        Duration::from_micros(12),
        Duration::from_micros(30),
    );
    for namespace in ["dynamo", "team-b"] {
        let ns = runtime.namespace(namespace)?;
        for (i, component) in ["prefill", "decode"].iter().enumerate() {
            let metrics = RouterRequestMetrics::for_scope(&ns.component(component)?, i as u64)?;
            metrics.record_completed(10 + i);
        }
    }
    let exposition = runtime.encode_text()?;
    assert_eq!(
        exposition
            .matches("# TYPE dynamo_component_router_requests_total")
            .count(),
        1
    );
    assert!(exposition.contains("dynamo_namespace=\"team_b\""));
    common::assert_only_allowed_lints(
        &exposition,
        &[
            WorkerLoadMetrics::GROUP,
            RoutingOverheadMetrics::GROUP,
            RouterRequestMetrics::GROUP,
        ],
    );
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Route {
    path: String,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "edge", scope = endpoint)]
struct Edge {
    /// Requests by path
    #[metric(name = "requests_total")]
    requests: Family<Route, IntCounter>,
    /// Requests by path, on a plain vec
    #[metric(name = "plain_requests_total", labels(path))]
    plain: IntCounterVec,
}

#[test]
fn awkward_label_values_and_scope_names_are_escaped_or_sanitised() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let endpoint = runtime
        .namespace("ns \"quoted\"\nnewline")?
        .component("cömpønent")?
        .endpoint("gen/v1")?;
    let edge = Edge::for_scope(&endpoint)?;
    let awkward = [
        "a \"quoted\" path",
        "line\nbreak",
        "back\\slash",
        "ünïcødé ✓",
        "{braces}=,",
    ];
    for path in awkward {
        edge.inc_requests(&Route {
            path: path.to_owned(),
        })?;
        edge.inc_plain(path)?;
    }
    let exposition = runtime.encode_text()?;
    assert!(
        exposition.contains("dynamo_namespace=\"ns__quoted__newline\""),
        "{exposition}"
    );
    assert!(
        exposition.contains("dynamo_component=\"c_mp_nent\""),
        "{exposition}"
    );
    assert!(
        exposition.contains("dynamo_endpoint=\"gen_v1\""),
        "{exposition}"
    );
    assert!(
        exposition.contains("path=\"a \\\"quoted\\\" path\""),
        "{exposition}"
    );
    assert!(exposition.contains("path=\"line\\nbreak\""), "{exposition}");
    assert!(
        exposition.contains("path=\"back\\\\slash\""),
        "{exposition}"
    );
    assert!(exposition.contains("path=\"ünïcødé ✓\""), "{exposition}");
    common::assert_only_allowed_lints(&exposition, &[Edge::GROUP]);
    Ok(())
}

#[test]
fn scope_names_that_sanitise_alike_are_refused() -> Result<(), Error> {
    let runtime = Scope::runtime();
    runtime.namespace("my-ns")?;
    assert!(matches!(
        runtime.namespace("my_ns"),
        Err(Error::InvalidName { .. })
    ));
    assert!(matches!(
        runtime.namespace(""),
        Err(Error::InvalidName { .. })
    ));
    assert!(matches!(
        runtime.component("x"),
        Err(Error::InvalidName { .. })
    ));
    Ok(())
}

mod other_team {
    use metric_group::prometheus::Histogram;
    use metric_group::MetricGroup;

    /// Another team's group, reusing a router name by mistake.
    #[derive(MetricGroup)]
    #[metric_group(prefix = "dynamo_router")]
    pub struct Scheduling {
        /// Time spent in scheduler worker selection in milliseconds
        #[metric(name = "overhead_scheduling_ms", allow(unit_abbreviation))]
        pub scheduling: Histogram,
        /// Queue wait
        #[metric(name = "queue_wait_seconds")]
        pub queue_wait: Histogram,
    }
}

#[test]
fn a_clash_between_two_groups_names_both_and_registers_nothing() -> Result<(), Error> {
    let registry = Registry::new();
    RoutingOverheadMetrics::new(1u64)?.register(&registry)?;
    let before = text(&registry);
    let other = other_team::Scheduling::new()?;
    other.queue_wait.observe(0.5);
    common::assert_err!(
        other.register(&registry),
        error @ Error::AlreadyRegistered { .. } => {
            let message = error.to_string();
            assert!(
                message.contains("`test_promtool::other_team::Scheduling.scheduling`"),
                "{message}"
            );
            assert!(
                message.contains("`metric_group_router::RoutingOverheadMetrics.scheduling`"),
                "{message}"
            );
            assert!(
                message.contains("dynamo_router_overhead_scheduling_ms"),
                "{message}"
            );
        }
    );
    // All or nothing: the group's other metric is not registered either.
    assert_eq!(text(&registry), before);
    assert!(!text(&registry).contains("queue_wait"));
    Ok(())
}
