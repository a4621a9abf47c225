//! The router groups keep the reference module's exposition: names, types,
//! help texts, labels and every bucket bound.

mod common;

use std::time::Duration;

use metric_group::encode_text;
use metric_group::prometheus::Registry;
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, MetricGroup};
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLabels, WorkerLoadMetrics, WorkerType,
};

fn text(registry: &Registry) -> String {
    encode_text(&registry.gather()).expect("encodable")
}

#[test]
fn worker_load_exposition_is_byte_identical() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = WorkerLoadMetrics::new()?;
    metrics.register(&registry)?;
    metrics.observe(123, 0, WorkerType::Decode, 42, 100)?;
    let expected = "\
# HELP dynamo_frontend_worker_active_decode_blocks Active KV cache decode blocks per worker
# TYPE dynamo_frontend_worker_active_decode_blocks gauge
dynamo_frontend_worker_active_decode_blocks{dp_rank=\"0\",worker_id=\"123\",worker_type=\"decode\"} 42
# HELP dynamo_frontend_worker_active_prefill_tokens Active prefill tokens queued per worker
# TYPE dynamo_frontend_worker_active_prefill_tokens gauge
dynamo_frontend_worker_active_prefill_tokens{dp_rank=\"0\",worker_id=\"123\",worker_type=\"decode\"} 100
";
    assert_eq!(text(&registry), expected);
    Ok(())
}

#[test]
fn bound_worker_handles_write_the_observed_series() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = WorkerLoadMetrics::new()?;
    metrics.register(&registry)?;
    let labels = WorkerLabels {
        worker_id: 123,
        dp_rank: 0,
        worker_type: WorkerType::Decode,
    };
    let handles = metrics.bind(&labels)?;
    handles.active_decode_blocks.set(42);
    handles.active_prefill_tokens.set(100);
    let bound = text(&registry);
    metrics.observe(123, 0, WorkerType::Decode, 7, 8)?;
    assert_eq!(handles.active_decode_blocks.get(), 7);
    assert_eq!(handles.active_prefill_tokens.get(), 8);
    metrics.observe(123, 0, WorkerType::Decode, 42, 100)?;
    assert_eq!(text(&registry), bound);
    assert!(bound.contains("dynamo_frontend_worker_active_decode_blocks{dp_rank=\"0\",worker_id=\"123\",worker_type=\"decode\"} 42"));
    Ok(())
}

#[test]
fn routing_overhead_names_and_router_id() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = RoutingOverheadMetrics::new(42u64)?;
    metrics.register(&registry)?;
    metrics.total.observe(1.5);
    let output = text(&registry);
    for name in [
        "block_hashing",
        "indexer_find_matches",
        "seq_hashing",
        "scheduling",
        "total",
    ] {
        let full = format!("dynamo_router_overhead_{name}_ms");
        assert!(
            output.contains(&format!("# TYPE {full} histogram\n")),
            "{full} missing:\n{output}"
        );
    }
    assert!(output.contains("dynamo_router_overhead_total_ms_count{router_id=\"42\"} 1\n"));
    assert!(output.contains(
        "# HELP dynamo_router_overhead_total_ms Total routing overhead per request in milliseconds\n"
    ));
    assert_eq!(
        RoutingOverheadMetrics::TOTAL_NAME,
        "dynamo_router_overhead_total_ms"
    );
    Ok(())
}

#[test]
fn routing_overhead_phases_saturate() -> Result<(), Error> {
    let metrics = RoutingOverheadMetrics::new(1u64)?;
    // Every mark earlier than the one before: would underflow without
    // saturating subtraction.
    metrics.observe(
        Duration::from_millis(10),
        Duration::from_millis(5),
        Duration::from_millis(3),
        Duration::from_millis(1),
    );
    assert_eq!(metrics.block_hashing.get_sample_sum(), 10.0);
    assert_eq!(metrics.indexer_find_matches.get_sample_sum(), 0.0);
    assert_eq!(metrics.seq_hashing.get_sample_sum(), 0.0);
    assert_eq!(metrics.scheduling.get_sample_sum(), 0.0);
    assert_eq!(metrics.total.get_sample_sum(), 1.0);
    for histogram in [
        &metrics.indexer_find_matches,
        &metrics.seq_hashing,
        &metrics.scheduling,
    ] {
        assert_eq!(histogram.get_sample_count(), 1);
    }
    // In order, each phase is the difference to the previous mark.
    let metrics = RoutingOverheadMetrics::new(2u64)?;
    metrics.observe(
        Duration::from_micros(100),
        Duration::from_micros(350),
        Duration::from_micros(400),
        Duration::from_micros(1000),
    );
    assert!((metrics.indexer_find_matches.get_sample_sum() - 0.25).abs() < 1e-12);
    assert!((metrics.scheduling.get_sample_sum() - 0.6).abs() < 1e-12);
    Ok(())
}

/// `le` bounds as the text format prints them, in order, per histogram.
fn le_bounds(exposition: &str, family: &str) -> Vec<String> {
    let prefix = format!("{family}_bucket{{");
    exposition
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .map(|line| {
            let start = line.find("le=\"").expect("le label") + 4;
            let end = start + line[start..].find('"').expect("closing quote");
            line[start..end].to_owned()
        })
        .collect()
}

fn split(bounds: &str) -> Vec<String> {
    bounds
        .split(", ")
        .map(str::to_owned)
        .chain(["+Inf".to_owned()])
        .collect()
}

#[test]
fn every_bucket_bound_matches_the_reference() -> Result<(), Error> {
    let scope = Scope::runtime().namespace("dynamo")?.component("backend")?;
    RouterRequestMetrics::for_scope(&scope, 7u64)?;
    RoutingOverheadMetrics::new(7u64)?.register(scope.registry())?;
    let output = scope.encode_text()?;

    let overhead = split(
        "0.0001, 0.0002, 0.0004, 0.0008, 0.0016, 0.0032, 0.0064, 0.0128, 0.0256, 0.0512, 0.1024, \
         0.2048, 0.4096, 0.8192, 1.6384, 3.2768, 6.5536, 13.1072",
    );
    for name in [
        "block_hashing",
        "indexer_find_matches",
        "seq_hashing",
        "scheduling",
        "total",
    ] {
        assert_eq!(
            le_bounds(&output, &format!("dynamo_router_overhead_{name}_ms")),
            overhead,
            "{name}"
        );
    }
    let expected = [
        (
            "time_to_first_token_seconds",
            "0, 0.0022, 0.0047, 0.01, 0.022, 0.047, 0.1, 0.22, 0.47, 1, 2.2, 4.7, 10, 22, 48, 100, 220, 480",
        ),
        (
            "inter_token_latency_seconds",
            "0, 0.0019, 0.0035, 0.0067, 0.013, 0.024, 0.045, 0.084, 0.16, 0.3, 0.56, 1.1, 2",
        ),
        ("input_sequence_tokens", "0, 100, 210, 430, 870, 1800, 3600, 7400, 15000, 31000, 63000, 130000"),
        ("output_sequence_tokens", "0, 100, 210, 430, 880, 1800, 3700, 7600, 16000, 32000"),
        (
            "kv_hit_rate",
            "0, 0.05, 0.1, 0.15000000000000002, 0.2, 0.25, 0.30000000000000004, 0.35000000000000003, \
             0.4, 0.45, 0.5, 0.55, 0.6000000000000001, 0.65, 0.7000000000000001, 0.75, 0.8, \
             0.8500000000000001, 0.9, 0.9500000000000001, 1",
        ),
    ];
    for (name, bounds) in expected {
        assert_eq!(
            le_bounds(&output, &format!("dynamo_component_router_{name}")),
            split(bounds),
            "{name}"
        );
    }
    Ok(())
}

#[test]
fn router_request_metrics_carry_the_hierarchy_labels() -> Result<(), Error> {
    let scope = Scope::runtime().namespace("my-ns")?.component("backend")?;
    let metrics = RouterRequestMetrics::for_scope(&scope, 9u64)?;
    metrics.record_completed(12);
    let output = scope.encode_text()?;
    assert!(output.contains(
        "# HELP dynamo_component_router_requests_total Total number of requests processed by the router\n\
         # TYPE dynamo_component_router_requests_total counter\n\
         dynamo_component_router_requests_total{dynamo_component=\"backend\",dynamo_namespace=\"my_ns\",router_id=\"9\"} 1\n"
    ), "{output}");
    assert!(!output.contains("dynamo_endpoint"));
    Ok(())
}

#[test]
fn two_components_get_their_own_request_metrics() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let namespace = runtime.namespace("dynamo")?;
    let prefill = namespace.component("prefill")?;
    let decode = namespace.component("decode")?;
    let prefill_metrics = RouterRequestMetrics::for_scope(&prefill, 1u64)?;
    let decode_metrics = RouterRequestMetrics::for_scope(&decode, 2u64)?;
    assert!(!std::sync::Arc::ptr_eq(&prefill_metrics, &decode_metrics));
    prefill_metrics.record_completed(10);
    decode_metrics.record_completed(10);
    decode_metrics.record_completed(10);

    // The same scope hands back its own instance.
    let again = RouterRequestMetrics::for_scope(&decode, 2u64)?;
    assert!(std::sync::Arc::ptr_eq(&decode_metrics, &again));
    // Another router id is another instance beside it.
    let third = RouterRequestMetrics::for_scope(&decode, 3u64)?;
    assert!(!std::sync::Arc::ptr_eq(&decode_metrics, &third));

    let output = runtime.encode_text()?;
    assert!(output.contains(
        "dynamo_component_router_requests_total{dynamo_component=\"decode\",dynamo_namespace=\"dynamo\",router_id=\"2\"} 2\n"
    ), "{output}");
    assert!(output.contains(
        "dynamo_component_router_requests_total{dynamo_component=\"prefill\",dynamo_namespace=\"dynamo\",router_id=\"1\"} 1\n"
    ), "{output}");
    // One family, merged from both components.
    assert_eq!(
        output
            .matches("# TYPE dynamo_component_router_requests_total")
            .count(),
        1
    );
    Ok(())
}

#[test]
fn registering_twice_on_one_registry_is_not_an_error() -> Result<(), Error> {
    let registry = Registry::new();
    let first = RoutingOverheadMetrics::init(&registry, 5u64)?;
    let second = RoutingOverheadMetrics::init(&registry, 5u64)?;
    assert!(std::sync::Arc::ptr_eq(&first, &second));
    first.register(&registry)?;
    assert!(std::sync::Arc::ptr_eq(
        &RoutingOverheadMetrics::get(5u64).expect("initialised"),
        &first
    ));
    assert!(RoutingOverheadMetrics::get(6u64).is_none());
    assert_eq!(registry.gather().len(), 5);

    // Another instance with the same names is a clash, named, and leaves
    // nothing of itself behind.
    let other = RoutingOverheadMetrics::new(5u64)?;
    common::assert_err!(
        other.register(&registry),
        Error::AlreadyRegistered {
            metric,
            declared_by,
            held_by,
        } => {
            assert_eq!(metric, "dynamo_router_overhead_block_hashing_ms");
            assert_eq!(
                declared_by,
                "metric_group_router::RoutingOverheadMetrics.block_hashing"
            );
            assert_eq!(
                held_by,
                "another instance of `metric_group_router::RoutingOverheadMetrics` \
                 or a collector registered outside metric-group"
            );
        }
    );
    assert_eq!(registry.gather().len(), 5);
    Ok(())
}

#[test]
fn worker_removal_deletes_its_series() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = WorkerLoadMetrics::new()?;
    metrics.register(&registry)?;
    for dp_rank in 0..2 {
        metrics.observe(1, dp_rank, WorkerType::Decode, 5, 50)?;
        metrics.observe(2, dp_rank, WorkerType::Prefill, 6, 60)?;
    }
    assert!(metrics.remove(1, 0, WorkerType::Decode));
    assert!(metrics.remove(1, 1, WorkerType::Decode));
    assert!(!metrics.remove(1, 1, WorkerType::Decode));
    let output = text(&registry);
    assert!(!output.contains("worker_id=\"1\""), "{output}");
    assert_eq!(output.matches("worker_id=\"2\"").count(), 4);
    Ok(())
}

#[test]
fn descriptors_list_all_thirteen_metrics() {
    let names: Vec<&str> = [
        WorkerLoadMetrics::GROUP,
        RoutingOverheadMetrics::GROUP,
        RouterRequestMetrics::GROUP,
    ]
    .iter()
    .flat_map(|group| group.metrics.iter().map(|m| m.name))
    .collect();
    assert_eq!(names.len(), 13);
    assert!(names.contains(&"router_kv_hit_rate"));
    assert!(names.contains(&"dynamo_frontend_worker_active_prefill_tokens"));
}
