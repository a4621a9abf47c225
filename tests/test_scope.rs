//! The metrics hierarchy: levels, naming, shadowing, per-scope memoisation
//! and the combined scrape's merge rules.

mod common;

use metric_group::prometheus::{IntCounter, IntCounterVec};
use metric_group::scope::{DynamoLevels, LevelNaming, Naming, NamingPreset, Scope};
use metric_group::{Error, MetricGroup};
use metric_group_router::RouterRequestMetrics;

#[test]
fn levels_nest_in_order_and_carry_their_labels() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let endpoint = runtime
        .namespace("ns")?
        .component("backend")?
        .endpoint("generate")?;
    assert_eq!((endpoint.level(), endpoint.depth()), ("endpoint", 3));
    assert_eq!(
        runtime
            .child_at_level("namespace", "ns")?
            .child("backend")?
            .level(),
        "component"
    );
    let labels: Vec<(&str, &str)> = endpoint
        .labels()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("dynamo_namespace", "ns"),
            ("dynamo_component", "backend"),
            ("dynamo_endpoint", "generate")
        ]
    );
    // Asking again returns the same scope (same registry).
    let again = runtime.namespace("ns")?.component("backend")?;
    let metrics = RouterRequestMetrics::for_scope(&again, 1u64)?;
    assert!(std::sync::Arc::ptr_eq(
        &metrics,
        &RouterRequestMetrics::for_scope(&runtime.namespace("ns")?.component("backend")?, 1u64)?
    ));
    Ok(())
}

#[test]
fn a_group_declared_for_a_level_refuses_another() -> Result<(), Error> {
    let namespace = Scope::runtime().namespace("ns")?;
    common::assert_err!(
        RouterRequestMetrics::for_scope(&namespace, 1u64),
        Error::WrongLevel {
            group,
            expected,
            found,
        } => {
            assert_eq!(
                (group, expected, found),
                ("RouterRequestMetrics", "component", "namespace".to_owned())
            );
        }
    );
    Ok(())
}

#[test]
fn custom_naming_is_validated_and_shadowing_is_an_error() -> Result<(), Error> {
    let bad = Naming {
        metric_prefix: "9x".into(),
        ..Naming::default()
    };
    assert!(matches!(
        Scope::runtime_with(bad),
        Err(Error::InvalidName { .. })
    ));
    let twice = Naming {
        metric_prefix: "svc".into(),
        levels: vec![
            LevelNaming::new("namespace", "ns"),
            LevelNaming::new("component", "ns"),
            LevelNaming::new("endpoint", "ep"),
        ],
        ..Naming::default()
    };
    assert!(matches!(
        Scope::runtime_with(twice),
        Err(Error::InvalidName { .. })
    ));

    // A hierarchy whose component label is the group's own const label: only
    // known at run time, so an error then, naming both.
    let naming = Naming {
        metric_prefix: "svc".into(),
        levels: vec![
            LevelNaming::new("namespace", "ns"),
            LevelNaming::new("component", "router_id"),
            LevelNaming::new("endpoint", "ep"),
        ],
        ..Naming::default()
    };
    let component = Scope::runtime_with(naming)?
        .namespace("a")?
        .component("b")?;
    common::assert_err!(
        RouterRequestMetrics::for_scope(&component, 1u64),
        Error::LabelShadowed { metric, label } => {
            assert_eq!(label, "router_id");
            assert_eq!(metric, "svc_router_requests_total");
        }
    );
    Ok(())
}

/// A naming of the user's own: its preset names the labels a declaration
/// is checked against at compile time (`worker_id` is nobody's here) and
/// builds the `Naming` the hierarchy runs.
const POD_NAMING: NamingPreset = NamingPreset {
    metric_prefix: "svc",
    levels: &[
        ("namespace", "ns"),
        ("component", "comp"),
        ("endpoint", "ep"),
    ],
    instance: Some(("pod", "component")),
    reserved_const_labels: &["pod"],
};

#[derive(MetricGroup)]
#[metric_group(prefix = "router", scope = component, naming = POD_NAMING)]
struct PodRequests {
    /// Requests per worker
    #[metric(name = "requests_total", labels(worker_id))]
    requests: IntCounterVec,
}

#[test]
fn a_declaration_checked_against_its_preset_runs_under_the_preset() -> Result<(), Error> {
    let runtime = Scope::builder()
        .naming(Naming::from(&POD_NAMING))
        .instance_value("pod-1")
        .build()?;
    let component = runtime.namespace("ns1")?.component("router")?;
    PodRequests::for_scope(&component)?.inc_requests(7u64)?;
    let text = runtime.encode_text()?;
    assert!(
        text.contains(
            "svc_router_requests_total{comp=\"router\",ns=\"ns1\",pod=\"pod-1\",worker_id=\"7\"} 1"
        ),
        "{text}"
    );
    // The catalog and the docs read the same preset.
    let group = PodRequests::GROUP;
    assert_eq!(
        group.full_name(&group.metrics[0]),
        "svc_router_requests_total"
    );
    assert_eq!(group.scope_labels(), ["ns", "comp"]);
    assert_eq!(group.instance_label(), Some("pod"));
    // The default naming would add `worker_id` itself: the runtime refuses
    // the group there, whatever the declaration was checked against.
    let dynamo = Scope::builder().instance_id(1).build()?;
    let component = dynamo.namespace("ns1")?.component("router")?;
    common::assert_err!(
        PodRequests::for_scope(&component),
        Error::LabelShadowed { label, .. } => assert_eq!(label, "worker_id")
    );
    Ok(())
}

/// Two declarations of one name that disagree on help, in two components.
#[derive(MetricGroup)]
#[metric_group(scope = hierarchy)]
struct WorkA {
    /// Work done
    #[metric(name = "work_total")]
    work: IntCounter,
}

#[derive(MetricGroup)]
#[metric_group(scope = hierarchy)]
struct WorkB {
    /// Work finished
    #[metric(name = "work_total")]
    work: IntCounter,
}

#[test]
fn merging_refuses_families_that_disagree() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let ns = runtime.namespace("ns")?;
    WorkA::for_scope(&ns.component("a")?)?.work.inc();
    WorkB::for_scope(&ns.component("b")?)?.work.inc();
    common::assert_err!(
        runtime.gather(),
        Error::Inconsistent { metric, reason } => {
            assert_eq!(metric, "dynamo_component_work_total");
            assert!(reason.contains("help"), "{reason}");
        }
    );
    Ok(())
}

#[test]
fn merging_keeps_one_copy_of_identical_series_and_sorts_families() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let ns = runtime.namespace("ns")?;
    let work = WorkA::for_scope(&ns)?;
    work.work.inc();
    // The same collectors registered at a second level too: identical series.
    work.register(runtime.registry())?;
    let zeta = IntCounter::new("zeta_total", "Last").map_err(|source| Error::Create {
        metric: "zeta_total".into(),
        source,
    })?;
    let alpha = IntCounter::new("alpha_total", "First").map_err(|source| Error::Create {
        metric: "alpha_total".into(),
        source,
    })?;
    for (registry, counter) in [(runtime.registry(), &zeta), (ns.registry(), &alpha)] {
        registry
            .register(Box::new(counter.clone()))
            .map_err(|source| Error::Register {
                metric: "test".into(),
                source,
            })?;
    }
    let families = runtime.gather()?;
    let names: Vec<&str> = families.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        ["alpha_total", "dynamo_component_work_total", "zeta_total"]
    );
    assert_eq!(
        families[1].get_metric().len(),
        1,
        "identical series kept once"
    );
    Ok(())
}
