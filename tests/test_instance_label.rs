//! The hierarchy's own labels beyond the level names: the process' instance
//! label (Dynamo's `worker_id`), namings of any depth, and label clashes
//! refused at creation and at scrape time. Every exposition produced goes
//! through promtool. (The compile-time half of the clash rules is
//! `tests/ui/scope_labels.rs`.)

mod common;

use metric_group::encode_text;
use metric_group::prometheus::{Encoder, Gauge, IntCounter, IntCounterVec, IntGauge, Opts};
use metric_group::scope::{DynamoLevels, InstanceNaming, LevelNaming, Naming, Scope};
use metric_group::{Error, MetricGroup};
use metric_group_router::RouterRequestMetrics;

#[derive(MetricGroup)]
#[metric_group(prefix = "process", scope = runtime)]
struct Process {
    /// Seconds since the process started
    #[metric(name = "uptime_seconds")]
    uptime: Gauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "queue", scope = namespace)]
struct NamespaceQueue {
    /// Jobs waiting in the namespace
    #[metric(name = "depth")]
    depth: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "queue", scope = endpoint)]
struct EndpointQueue {
    /// Jobs the endpoint served
    #[metric(name = "served_total")]
    served: IntCounter,
}

/// A runtime, a namespace, a component and an endpoint, each with a group.
fn populate(runtime: &Scope) -> Result<(), Error> {
    Process::for_scope(runtime)?.uptime.set(12.5);
    let namespace = runtime.namespace("dynamo")?;
    NamespaceQueue::for_scope(&namespace)?.depth.set(4);
    let component = namespace.component("backend")?;
    RouterRequestMetrics::for_scope(&component, 7u64)?.record_completed(30);
    EndpointQueue::for_scope(&component.endpoint("generate")?)?
        .served
        .inc();
    Ok(())
}

const GROUPS: [&metric_group::catalog::GroupDescriptor; 4] = [
    Process::GROUP,
    NamespaceQueue::GROUP,
    EndpointQueue::GROUP,
    RouterRequestMetrics::GROUP,
];

/// The sample lines (not `#` comments) of an exposition.
fn samples(exposition: &str) -> impl Iterator<Item = &str> {
    exposition.lines().filter(|line| !line.starts_with('#'))
}

#[test]
fn the_instance_label_reaches_component_level_and_below_only() -> Result<(), Error> {
    let runtime = Scope::builder().instance_id(0x1f3a).build()?;
    populate(&runtime)?;
    let component = runtime.namespace("dynamo")?.component("backend")?;
    assert_eq!(
        component.labels().last(),
        Some(&("worker_id".to_owned(), "1f3a".to_owned()))
    );
    assert!(runtime.namespace("dynamo")?.labels().len() == 1);

    let exposition = runtime.encode_text()?;
    let mut labelled = 0;
    for line in samples(&exposition) {
        let instance_labels = line.matches("worker_id=").count();
        if line.starts_with("dynamo_component_router_")
            || line.starts_with("dynamo_component_queue_served_total")
        {
            assert_eq!(instance_labels, 1, "{line}");
            assert!(line.contains("worker_id=\"1f3a\""), "{line}");
            labelled += 1;
        } else {
            assert_eq!(instance_labels, 0, "{line}");
        }
    }
    // Six router families (five histograms) and the endpoint counter.
    assert!(labelled > 7, "{exposition}");
    assert!(exposition.contains("dynamo_component_queue_depth{dynamo_namespace=\"dynamo\"} 4"));
    assert!(exposition.contains("dynamo_component_process_uptime_seconds 12.5"));
    common::assert_only_allowed_lints(&exposition, &GROUPS);
    Ok(())
}

#[test]
fn without_an_instance_id_the_exposition_is_unchanged() -> Result<(), Error> {
    let plain = Scope::runtime();
    populate(&plain)?;
    let plain = plain.encode_text()?;
    assert!(!plain.contains("worker_id"), "{plain}");
    for same in [
        Scope::builder().build()?,
        Scope::runtime_with(Naming::default())?,
    ] {
        populate(&same)?;
        assert_eq!(same.encode_text()?, plain);
    }
    // With an instance id, the label is the only difference.
    let with_instance = Scope::builder().instance_id(0xab).build()?;
    populate(&with_instance)?;
    let with_instance = with_instance.encode_text()?;
    assert_ne!(with_instance, plain);
    assert_eq!(with_instance.replace(",worker_id=\"ab\"", ""), plain);
    common::assert_only_allowed_lints(&plain, &GROUPS);
    common::assert_only_allowed_lints(&with_instance, &GROUPS);
    Ok(())
}

fn assert_invalid(result: Result<Scope, Error>, expected_reason: &str) {
    common::assert_err!(
        result,
        Error::InvalidName { reason, .. } => {
            assert!(reason.contains(expected_reason), "{reason}")
        }
    );
}

#[test]
fn the_instance_label_is_set_once_and_validated() {
    assert_invalid(
        Scope::builder().instance_id(1).instance_id(2).build(),
        "set once",
    );
    assert_invalid(Scope::builder().instance_value("").build(), "empty");
    let no_instance = Naming {
        instance: None,
        ..Naming::default()
    };
    assert_invalid(
        Scope::builder().naming(no_instance).instance_id(1).build(),
        "no instance label",
    );
    let unknown_level = Naming {
        instance: Some(InstanceNaming {
            label: "pod".into(),
            from_level: "pod".into(),
        }),
        ..Naming::default()
    };
    assert_invalid(Scope::runtime_with(unknown_level), "not a level");
    let same_as_a_level = Naming {
        instance: Some(InstanceNaming {
            label: "dynamo_component".into(),
            from_level: "component".into(),
        }),
        ..Naming::default()
    };
    assert_invalid(Scope::runtime_with(same_as_a_level), "level label");
    let bad_label = Naming {
        instance: Some(InstanceNaming {
            label: "worker-id".into(),
            from_level: "component".into(),
        }),
        ..Naming::default()
    };
    assert_invalid(
        Scope::runtime_with(bad_label),
        metric_group::rules::LabelError::Syntax.message(),
    );
    let root_again = Naming {
        levels: vec![LevelNaming::new("runtime", "rt")],
        instance: None,
        ..Naming::default()
    };
    assert_invalid(Scope::runtime_with(root_again), "level name");
    let bad_reserved = Naming {
        reserved_const_labels: vec!["9*".into()],
        ..Naming::default()
    };
    assert_invalid(Scope::runtime_with(bad_reserved), "prefix*");
}

/// A group that may be created at any level.
#[derive(MetricGroup)]
#[metric_group(prefix = "work", scope = hierarchy)]
struct Work {
    /// Work done
    #[metric(name = "done_total")]
    done: IntCounter,
}

fn five_levels() -> Naming {
    Naming {
        metric_prefix: "fleet".into(),
        levels: vec![
            LevelNaming::new("region", "fleet_region"),
            LevelNaming::new("namespace", "fleet_namespace"),
            LevelNaming::new("component", "fleet_component"),
            LevelNaming::new("endpoint", "fleet_endpoint"),
            LevelNaming::new("replica", "fleet_replica"),
        ],
        instance: Some(InstanceNaming {
            label: "pod".into(),
            from_level: "namespace".into(),
        }),
        reserved_const_labels: Vec::new(),
    }
}

#[test]
fn a_naming_may_have_any_depth() -> Result<(), Error> {
    let runtime = Scope::builder()
        .naming(five_levels())
        .instance_value("pod-7")
        .build()?;
    assert_invalid(runtime.namespace("ns"), "not `namespace`");
    let region = runtime.child("eu-west")?;
    assert_eq!((region.level(), region.depth()), ("region", 1));
    assert_invalid(
        region.child_at_level("component", "backend"),
        "not the one named",
    );
    let component = region.namespace("ns")?.component("backend")?;
    assert_eq!(component.level(), "component");
    let replica = component.endpoint("generate")?.child("r1")?;
    assert_eq!((replica.level(), replica.depth()), ("replica", 5));
    assert_invalid(replica.child("deeper"), "deepest level");

    // A component group goes where the naming says `component` is.
    RouterRequestMetrics::for_scope(&component, 7u64)?.record_completed(3);
    common::assert_err!(
        RouterRequestMetrics::for_scope(&region, 7u64),
        Error::WrongLevel { found, .. } => assert_eq!(found, "region")
    );
    Work::for_scope(&region)?.done.inc();
    Work::for_scope(&replica)?.done.inc_by(2);

    let exposition = runtime.encode_text()?;
    assert!(
        exposition.contains(
            "fleet_work_done_total{fleet_component=\"backend\",fleet_endpoint=\"generate\",\
             fleet_namespace=\"ns\",fleet_region=\"eu_west\",fleet_replica=\"r1\",pod=\"pod-7\"} 2"
        ),
        "{exposition}"
    );
    // Above the instance level: no instance label.
    assert!(
        exposition.contains("fleet_work_done_total{fleet_region=\"eu_west\"} 1"),
        "{exposition}"
    );
    assert!(
        exposition.contains(
            "fleet_router_requests_total{fleet_component=\"backend\",fleet_namespace=\"ns\",\
             fleet_region=\"eu_west\",pod=\"pod-7\",router_id=\"7\"} 1"
        ),
        "{exposition}"
    );
    // The catalog describes groups with the default naming, so only
    // promtool's verdict matters here: no complaint at all.
    assert_eq!(
        common::promtool_problems(&exposition).unwrap_or_default(),
        Vec::<String>::new()
    );
    Ok(())
}

/// Labelled `shard`, which the default naming does not add: the derive
/// accepts it, and a naming whose instance label is `shard` refuses it.
#[derive(MetricGroup)]
#[metric_group(prefix = "jobs", scope = component)]
struct ShardJobs {
    /// Jobs run per shard
    #[metric(name = "run_total", labels(shard))]
    run: IntCounterVec,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "jobs", scope = component, const_labels(shard))]
struct ShardConst {
    /// Jobs run by this shard
    #[metric(name = "own_total")]
    own: IntCounter,
}

/// Const labels the default naming reserves: refused at creation (the
/// derive checks only the labels a scope adds at the declared level).
#[derive(MetricGroup)]
#[metric_group(prefix = "pool", scope = namespace, const_labels(worker_id))]
struct PoolByWorker {
    /// Pool size
    #[metric(name = "size")]
    size: IntGauge,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool", scope = namespace, const_labels(dynamo_shard))]
struct PoolByShard {
    /// Pool size of the shard
    #[metric(name = "shard_size")]
    size: IntGauge,
}

fn sharded_naming() -> Naming {
    Naming {
        instance: Some(InstanceNaming {
            label: "shard".into(),
            from_level: "component".into(),
        }),
        ..Naming::default()
    }
}

fn assert_shadowed<G>(result: Result<G, Error>, metric: &str, label: &str) {
    common::assert_err!(
        result,
        error @ Error::LabelShadowed { .. } => {
            let message = error.to_string();
            assert!(message.contains(&format!("`{metric}`")), "{message}");
            assert!(message.contains(&format!("`{label}`")), "{message}");
        }
    );
}

#[test]
fn a_group_label_equal_to_the_instance_label_is_refused_at_creation() -> Result<(), Error> {
    // Refused whether or not this runtime has an instance id: the same
    // binary must not start failing when a deployment sets one.
    for instance in [None, Some("s3")] {
        let mut builder = Scope::builder().naming(sharded_naming());
        if let Some(value) = instance {
            builder = builder.instance_value(value);
        }
        let runtime = builder.build()?;
        let component = runtime.namespace("dynamo")?.component("backend")?;
        assert_shadowed(
            ShardJobs::for_scope(&component),
            "dynamo_component_jobs_run_total",
            "shard",
        );
        assert_shadowed(
            ShardConst::for_scope(&component, "a"),
            "dynamo_component_jobs_own_total",
            "shard",
        );
        // Nothing was registered; what is there still scrapes cleanly.
        RouterRequestMetrics::for_scope(&component, 1u64)?.record_completed(2);
        let exposition = runtime.encode_text()?;
        assert!(!exposition.contains("jobs_"), "{exposition}");
        assert_eq!(
            exposition.contains("shard=\"s3\""),
            instance.is_some(),
            "{exposition}"
        );
        common::assert_only_allowed_lints(&exposition, &[RouterRequestMetrics::GROUP]);
    }
    // With the default naming, `shard` is nobody's label.
    let runtime = Scope::builder().instance_id(3).build()?;
    let component = runtime.namespace("dynamo")?.component("backend")?;
    ShardJobs::for_scope(&component)?.inc_run("x")?;
    ShardConst::for_scope(&component, "a")?.own.inc();
    let exposition = runtime.encode_text()?;
    assert!(
        exposition.contains(
            "dynamo_component_jobs_run_total{dynamo_component=\"backend\",dynamo_namespace=\"dynamo\",shard=\"x\",worker_id=\"3\"} 1"
        ),
        "{exposition}"
    );
    common::assert_only_allowed_lints(&exposition, &[ShardJobs::GROUP, ShardConst::GROUP]);
    Ok(())
}

#[test]
fn reserved_const_labels_are_refused_at_creation() -> Result<(), Error> {
    let namespace = Scope::runtime().namespace("dynamo")?;
    for (result, metric, label) in [
        (
            PoolByWorker::for_scope(&namespace, 1u64).map(|_| ()),
            "dynamo_component_pool_size",
            "worker_id",
        ),
        (
            PoolByShard::for_scope(&namespace, 1u64).map(|_| ()),
            "dynamo_component_pool_shard_size",
            "dynamo_shard",
        ),
    ] {
        common::assert_err!(
            result,
            Error::LabelReserved {
                metric: found_metric,
                label: found_label,
            } => assert_eq!(
                (found_metric.as_str(), found_label.as_str()),
                (metric, label)
            )
        );
    }
    // A naming that reserves nothing lets them through.
    let open = Naming {
        reserved_const_labels: Vec::new(),
        ..Naming::default()
    };
    let runtime = Scope::runtime_with(open)?;
    let namespace = runtime.namespace("dynamo")?;
    PoolByWorker::for_scope(&namespace, 1u64)?.size.set(3);
    PoolByShard::for_scope(&namespace, 2u64)?.size.set(4);
    let exposition = runtime.encode_text()?;
    common::assert_only_allowed_lints(&exposition, &[PoolByWorker::GROUP, PoolByShard::GROUP]);
    Ok(())
}

#[test]
fn a_series_with_a_label_twice_is_never_exposed() -> Result<(), Error> {
    // What a new user gets from prometheus alone: a const and a variable
    // label of one name register without complaint.
    let runtime = Scope::builder().instance_id(0x7b).build()?;
    let component = runtime.namespace("dynamo")?.component("backend")?;
    let opts = Opts::new("handmade_total", "Registered by hand").const_label("worker_id", "123");
    let handmade = IntCounterVec::new(opts, &["worker_id"]).expect("prometheus accepts it");
    handmade.with_label_values(&["7"]).inc();
    component
        .registry()
        .register(Box::new(handmade.clone()))
        .expect("prometheus registers it");

    // The prometheus encoder would write it out; Prometheus (and promtool)
    // reject such a scrape.
    let mut raw = Vec::new();
    metric_group::prometheus::TextEncoder::new()
        .encode(&component.registry().gather(), &mut raw)
        .expect("prometheus encodes it");
    let raw = String::from_utf8(raw).expect("UTF-8");
    let series = samples(&raw).next().expect("one series");
    assert_eq!(series.matches("worker_id=").count(), 2, "{raw}");

    // The scope's gather and encode, and encode_text on a plain registry's
    // families, refuse it, naming the metric and the label.
    let refusals = [
        runtime.gather().map(|_| ()),
        runtime.encode_text().map(|_| ()),
        component.encode_text().map(|_| ()),
        encode_text(&component.registry().gather()).map(|_| ()),
    ];
    for refusal in refusals {
        common::assert_err!(
            refusal,
            error @ Error::DuplicateLabel { .. } => {
                let message = error.to_string();
                assert!(message.contains("`handmade_total`"), "{message}");
                assert!(message.contains("`worker_id`"), "{message}");
            }
        );
    }
    Ok(())
}
