//! One instance per const-label value set: `init` and `for_scope` memoise per
//! values, and a scrape shows every instance's series in one family.

mod common;

use std::sync::Arc;

use metric_group::encode_text;
use metric_group::prometheus::{Histogram, IntCounter, Registry};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, MetricGroup};

#[derive(MetricGroup)]
#[metric_group(prefix = "instances", const_labels(router_id, pool))]
struct Router {
    /// Requests routed
    #[metric(name = "requests_total")]
    requests: IntCounter,
    /// Time spent choosing a worker
    #[metric(name = "decision_seconds", buckets = [0.001, 0.01], unit = "seconds")]
    decision: Histogram,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "scoped", scope = component, const_labels(router_id))]
struct ScopedRouter {
    /// Requests routed
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

/// Each metric's `# HELP` and `# TYPE` lines appear exactly once.
fn assert_one_family(exposition: &str, family: &str) {
    for header in ["# HELP", "# TYPE"] {
        let line = format!("{header} {family} ");
        assert_eq!(
            exposition.matches(&line).count(),
            1,
            "{line} in\n{exposition}"
        );
    }
}

fn assert_promtool_clean(exposition: &str) {
    assert_eq!(
        common::promtool_problems(exposition).unwrap_or_default(),
        Vec::<String>::new(),
        "{exposition}"
    );
}

#[test]
fn init_builds_one_instance_per_value_set() -> Result<(), Error> {
    let registry = Registry::new();
    let prefill = Router::init(&registry, 1u64, "prefill")?;
    let decode = Router::init(&registry, 2u64, "decode")?;
    assert!(!std::sync::Arc::ptr_eq(&prefill, &decode));
    // The same values again: the same instance, registered once.
    assert!(std::sync::Arc::ptr_eq(
        &prefill,
        &Router::init(&registry, 1u64, "prefill")?
    ));
    assert!(std::sync::Arc::ptr_eq(
        &decode,
        &Router::init(&registry, 2u64, "decode")?
    ));
    // `get` answers per value set, and only for values built before.
    assert!(std::sync::Arc::ptr_eq(
        &prefill,
        &Router::get(1u64, "prefill").expect("built")
    ));
    assert!(std::sync::Arc::ptr_eq(
        &decode,
        &Router::get(2u64, "decode").expect("built")
    ));
    assert!(Router::get(1u64, "decode").is_none());

    prefill.requests.inc();
    decode.requests.inc_by(2);
    decode.decision.observe(0.005);

    let exposition = encode_text(&registry.gather())?;
    assert!(
        exposition.contains("instances_requests_total{pool=\"prefill\",router_id=\"1\"} 1\n"),
        "{exposition}"
    );
    assert!(
        exposition.contains("instances_requests_total{pool=\"decode\",router_id=\"2\"} 2\n"),
        "{exposition}"
    );
    assert!(
        exposition.contains(
            "instances_decision_seconds_bucket{pool=\"decode\",router_id=\"2\",le=\"0.01\"} 1\n"
        ),
        "{exposition}"
    );
    assert!(
        exposition
            .contains("instances_decision_seconds_count{pool=\"prefill\",router_id=\"1\"} 0\n"),
        "{exposition}"
    );
    assert_one_family(&exposition, "instances_requests_total");
    assert_one_family(&exposition, "instances_decision_seconds");
    assert_promtool_clean(&exposition);

    // Another registry gets the same instances registered on it too.
    let other = Registry::new();
    assert!(std::sync::Arc::ptr_eq(
        &prefill,
        &Router::init(&other, 1u64, "prefill")?
    ));
    assert_eq!(
        encode_text(&other.gather())?
            .matches("instances_requests_total{")
            .count(),
        1
    );
    Ok(())
}

#[test]
fn for_scope_builds_one_instance_per_value_set() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let component = runtime.namespace("ns")?.component("router")?;
    let prefill = ScopedRouter::for_scope(&component, 1u64)?;
    let decode = ScopedRouter::for_scope(&component, 2u64)?;
    assert!(!Arc::ptr_eq(&prefill, &decode));
    assert!(Arc::ptr_eq(
        &prefill,
        &ScopedRouter::for_scope(&component, 1u64)?
    ));
    assert!(Arc::ptr_eq(
        &decode,
        &ScopedRouter::for_scope(&component, 2u64)?
    ));
    prefill.requests.inc();
    decode.requests.inc_by(2);

    let exposition = runtime.encode_text()?;
    for (router_id, count) in [(1, 1), (2, 2)] {
        let series = format!(
            "dynamo_component_scoped_requests_total{{dynamo_component=\"router\",dynamo_namespace=\"ns\",\
             router_id=\"{router_id}\"}} {count}\n"
        );
        assert!(exposition.contains(&series), "{series} in\n{exposition}");
    }
    assert_one_family(&exposition, "dynamo_component_scoped_requests_total");
    assert_promtool_clean(&exposition);
    Ok(())
}

#[test]
fn a_failed_init_leaves_no_instance_for_get() -> Result<(), Error> {
    let registry = Registry::new();
    // Something else already holds the name on this registry.
    let squatter =
        IntCounter::new("instances_requests_total", "Not the group's").map_err(|source| {
            Error::Create {
                metric: "instances_requests_total".to_owned(),
                source,
            }
        })?;
    registry
        .register(Box::new(squatter))
        .map_err(|source| Error::Create {
            metric: "instances_requests_total".to_owned(),
            source,
        })?;
    assert!(Router::init(&registry, 91u64, "clash").is_err());
    // No registry holds an instance for these values: none is handed out.
    assert!(Router::get(91u64, "clash").is_none());
    // Registered elsewhere afterwards, it is built anew and found.
    let elsewhere = Registry::new();
    let built = Router::init(&elsewhere, 91u64, "clash")?;
    let found = Router::get(91u64, "clash").expect("registered now");
    assert!(Arc::ptr_eq(&built, &found));
    // A later clash on another registry keeps the registered instance.
    assert!(Router::init(&registry, 91u64, "clash").is_err());
    assert!(Router::get(91u64, "clash").is_some_and(|again| Arc::ptr_eq(&again, &built)));
    Ok(())
}

#[test]
fn a_service_registry_joins_the_scope_scrape_and_the_scope_tells_its_instance() -> Result<(), Error>
{
    let runtime = Scope::builder().instance_id(0x2a).build()?;
    assert_eq!(runtime.instance_value(), Some("2a"));
    assert_eq!(Scope::runtime().instance_value(), None);
    let component = runtime.namespace("ns")?.component("frontend")?;
    assert_eq!(component.instance_value(), Some("2a"));
    ScopedRouter::for_scope(&component, 5u64)?.requests.inc();

    let frontend = Registry::new();
    let up = IntCounter::new("frontend_starts_total", "Frontend starts").map_err(|source| {
        Error::Create {
            metric: "frontend_starts_total".to_owned(),
            source,
        }
    })?;
    frontend
        .register(Box::new(up.clone()))
        .map_err(|source| Error::Create {
            metric: "frontend_starts_total".to_owned(),
            source,
        })?;
    up.inc();
    component.include_registry(&frontend);
    for exposition in [runtime.encode_text()?, component.encode_text()?] {
        assert!(
            exposition.contains("frontend_starts_total 1\n"),
            "{exposition}"
        );
        assert!(
            exposition.contains("scoped_requests_total{"),
            "{exposition}"
        );
        assert_promtool_clean(&exposition);
    }
    assert!(runtime
        .encode_openmetrics()?
        .contains("frontend_starts_total 1\n"));
    let gathered = runtime.gather()?;
    assert!(gathered
        .iter()
        .any(|family| family.name() == "frontend_starts_total"));
    Ok(())
}
