//! The catalog: every derived group linked into a binary, rendered, and
//! checked for names declared twice with different meanings.

use metric_group::prometheus::Gauge;
use metric_group::MetricGroup;
use metric_group_router::{RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics};

/// A group of this test binary: it must show up in the catalog too.
#[derive(MetricGroup)]
#[metric_group(prefix = "catalog_test")]
struct LocalGroup {
    /// Open carts
    open_carts: Gauge,
}

#[test]
fn lists_every_linked_group() {
    let _ = (
        WorkerLoadMetrics::GROUP,
        RoutingOverheadMetrics::GROUP,
        RouterRequestMetrics::GROUP,
    );
    let catalog = metric_group::catalog();
    let names: Vec<&str> = catalog.groups().iter().map(|g| g.name).collect();
    for expected in [
        "LocalGroup",
        "RouterRequestMetrics",
        "RoutingOverheadMetrics",
        "WorkerLoadMetrics",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert_eq!(catalog.within("metric_group_router").groups().len(), 3);
}

#[test]
fn no_two_linked_groups_disagree_on_a_name() {
    let _ = LocalGroup::GROUP;
    if let Err(conflicts) = metric_group::catalog().check_unique() {
        let lines: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
        panic!("conflicting declarations:\n{}", lines.join("\n"));
    }
}

#[test]
fn markdown_lists_the_thirteen_router_metrics() {
    let markdown = metric_group::catalog()
        .within("metric_group_router")
        .to_markdown();
    let rows: Vec<&str> = markdown.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), 13, "{markdown}");
    assert!(markdown.contains(
        "| `dynamo_frontend_worker_active_decode_blocks` | gauge | `worker_id`, `dp_rank`, `worker_type` | \
         Active KV cache decode blocks per worker |  |  |  |"
    ));
    assert!(markdown.contains(
        "| `dynamo_component_router_requests_total` | counter | `dynamo_namespace` (scope), \
         `dynamo_component` (scope), `router_id` (const) | Total number of requests processed by the router |"
    ));
    assert!(markdown.contains("| `unit_abbreviation` |"));
}

#[test]
fn json_is_well_formed_and_complete() {
    let json = metric_group::catalog()
        .within("metric_group_router")
        .to_json();
    assert_eq!(json.matches("\"name\": ").count(), 13);
    assert!(json.contains("\"buckets\": [0.0, 0.05, 0.1, 0.15000000000000002,"));
    // Balanced brackets and braces outside strings.
    let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
    for c in json.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_string = !in_string,
            (false, _, '{' | '[') => depth += 1,
            (false, _, '}' | ']') => {
                depth -= 1;
                assert!(depth >= 0);
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0);
}

#[test]
fn docs_metrics_md_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/metrics.md");
    // The self-metrics (the library's own groups) and the router groups
    // (the workspace's router crate): what the catalog example links.
    let catalog = metric_group::catalog();
    let (library, router) = (
        catalog.within("metric_group"),
        catalog.within("metric_group_router"),
    );
    let both = library.groups().iter().chain(router.groups()).copied();
    let expected = metric_group::catalog::Catalog::from_groups(both).to_markdown();
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/metrics.md is stale: regenerate it with `cargo run --example catalog -- --format markdown > docs/metrics.md`"
    );
}

#[test]
fn the_catalog_states_each_familys_bound_and_the_worst_case() {
    let catalog = metric_group::catalog().within("metric_group_router");
    let worker_load = catalog
        .groups()
        .iter()
        .find(|group| group.name == "WorkerLoadMetrics")
        .expect("declared");
    // Worker ids are unbounded: the default budget and the overflow series.
    for metric in worker_load.metrics {
        assert_eq!(
            metric.series_at_most(),
            metric_group::limits::DEFAULT_MAX_SERIES + 1
        );
    }
    let json = catalog.to_json();
    assert!(json.contains(&format!("\"series_at_most\": {}", catalog.series_at_most())));
    let markdown = catalog.to_markdown();
    assert!(markdown.contains(&format!(
        "exposes at most {} series",
        catalog.series_at_most()
    )));
}
