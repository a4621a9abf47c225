//! Start-up configuration: `<Group>::builder()` (prefix, buckets) and
//! `prefix = env(...)`. What is configured is checked at construction by the
//! rules the derive applies to declarations; a failure is an `Err` naming
//! the metric and the rule, and nothing is registered.

mod common;

use std::sync::Arc;

use metric_group::encode_text;
use metric_group::prometheus::core::Collector;
use metric_group::prometheus::{Histogram, IntCounter, IntCounterVec, Registry};
use metric_group::rules::{self, BucketSpec};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, MetricGroup};

#[derive(MetricGroup)]
#[metric_group(prefix = "configured", const_labels(router_id))]
struct Configured {
    /// Requests routed
    #[metric(name = "requests_total", labels(model))]
    requests: IntCounterVec,
    /// Time spent choosing a worker
    #[metric(name = "decision_seconds", buckets = [0.001, 0.01], unit = "seconds")]
    decision: Histogram,
}

#[test]
fn a_configured_prefix_renames_every_metric() -> Result<(), Error> {
    let registry = Registry::new();
    let edge = Configured::builder()
        .prefix("edge_router")
        .init(&registry, "a")?;
    edge.inc_requests("llama")?;
    edge.decision.observe(0.005);
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("edge_router_requests_total{model=\"llama\",router_id=\"a\"} 1"),
        "{text}"
    );
    assert!(text.contains("# TYPE edge_router_decision_seconds histogram"));
    assert!(!text.contains("configured_"), "{text}");
    common::assert_only_allowed_lints(&text, &[]);
    Ok(())
}

#[test]
fn instances_are_memoised_per_values_and_configuration() -> Result<(), Error> {
    let registry = Registry::new();
    let declared = Configured::init(&registry, "memo")?;
    let renamed = Configured::builder()
        .prefix("memo_edge")
        .init(&registry, "memo")?;
    assert!(!Arc::ptr_eq(&declared, &renamed));
    let again = Configured::builder()
        .prefix("memo_edge")
        .init(&registry, "memo")?;
    assert!(Arc::ptr_eq(&renamed, &again));
    // The declared prefix given explicitly is the declared configuration.
    let explicit = Configured::builder()
        .prefix("configured")
        .init(&registry, "memo")?;
    assert!(Arc::ptr_eq(&declared, &explicit));
    assert!(Arc::ptr_eq(
        &Configured::builder()
            .prefix("memo_edge")
            .get("memo")
            .expect("built"),
        &renamed
    ));
    assert!(Arc::ptr_eq(
        &Configured::get("memo").expect("built"),
        &declared
    ));
    assert!(Configured::builder()
        .prefix("never_built")
        .get("memo")
        .is_none());
    Ok(())
}

#[test]
fn an_invalid_prefix_is_an_error_naming_the_metric_and_nothing_is_registered() {
    let registry = Registry::new();
    let refused = Configured::builder()
        .prefix("9lives")
        .init(&registry, "bad");
    common::assert_err!(
        refused,
        Error::InvalidMetricName { metric, rule } => {
            assert_eq!(metric, "9lives_requests_total");
            assert!(
                rule.contains(&rules::NameError::PrefixSyntax.to_string()),
                "{rule}"
            );
        }
    );
    assert!(registry.gather().is_empty());
}

#[test]
fn a_prefix_ending_in_an_underscore_is_refused_as_a_declared_one_is() {
    let registry = Registry::new();
    common::assert_err!(
        Configured::builder().prefix("router_").init(&registry, "underscore"),
        Error::InvalidMetricName { metric, rule } => {
            assert_eq!(metric, "router__requests_total");
            assert!(
                rule.contains(&rules::NameError::PrefixTrailingUnderscore.to_string()),
                "{rule}"
            );
        }
    );
    assert!(registry.gather().is_empty());
}

#[test]
fn a_prefix_that_trips_a_promtool_lint_is_refused_by_the_same_rules() {
    let registry = Registry::new();
    let refused = Configured::builder()
        .prefix("router_ms")
        .init(&registry, "lint");
    common::assert_err!(
        refused,
        Error::InvalidMetricName { metric, rule } => {
            assert_eq!(metric, "router_ms_requests_total");
            assert!(rule.contains("unit_abbreviation"), "{rule}");
        }
    );
    assert!(registry.gather().is_empty());
}

/// No prefix: a histogram named `count` is right on its own.
#[derive(MetricGroup)]
struct Unprefixed {
    /// Prompt sizes
    #[metric(buckets = [16.0, 256.0])]
    count: Histogram,
}

#[test]
fn a_prefix_that_names_a_histogram_like_its_own_series_is_refused() {
    let registry = Registry::new();
    common::assert_err!(
        Unprefixed::builder().prefix("prompt_tokens").init(&registry),
        Error::InvalidMetricName { metric, rule } => {
            assert_eq!(metric, "prompt_tokens_count");
            assert!(
                rule.contains(&rules::NameError::HistogramSuffix.to_string()),
                "{rule}"
            );
        }
    );
    assert!(registry.gather().is_empty());
}

#[test]
fn configured_buckets_replace_the_declared_ones() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = Configured::builder()
        .decision_buckets(BucketSpec::Exponential {
            start: 0.5,
            factor: 2.0,
            count: 3,
        })
        .init(&registry, "buckets")?;
    metrics.decision.observe(0.7);
    let text = encode_text(&registry.gather())?;
    for bound in ["0.5", "1", "2"] {
        let line =
            format!("configured_decision_seconds_bucket{{router_id=\"buckets\",le=\"{bound}\"}}");
        assert!(text.contains(&line), "{line} missing from\n{text}");
    }
    assert!(!text.contains("le=\"0.001\""), "{text}");
    let plain = Configured::builder()
        .decision_buckets([0.25, 4.0])
        .build("unregistered")?;
    plain.decision.observe(1.0);
    assert_eq!(plain.decision.get_sample_count(), 1);
    Ok(())
}

#[test]
fn invalid_buckets_are_an_error_naming_the_metric_and_nothing_is_registered() {
    let registry = Registry::new();
    // 200,000 increasing bounds given at run time: capped as declared
    // specifications and constants are.
    #[allow(clippy::cast_precision_loss)] // exact below 2^53
    let too_many: Vec<f64> = (1..=200_000).map(|i| i as f64).collect();
    for (bounds, reason) in [
        (vec![1.0, 0.5], "strictly increasing"),
        (vec![0.1, f64::NAN], "finite"),
        (too_many, "at most 10000 bucket bounds"),
    ] {
        let refused = Configured::builder()
            .decision_buckets(bounds)
            .init(&registry, "bad_buckets");
        common::assert_err!(
            refused,
            Error::InvalidBuckets {
                metric,
                reason: why,
            } => {
                assert_eq!(metric, "configured_decision_seconds");
                assert!(why.contains(reason), "{why}");
            }
        );
    }
    let bad_spec = Configured::builder()
        .decision_buckets(BucketSpec::Exponential {
            start: 0.0,
            factor: 2.0,
            count: 3,
        })
        .init(&registry, "bad_spec");
    assert!(
        matches!(&bad_spec, Err(Error::InvalidBuckets { metric, .. }) if metric == "configured_decision_seconds"),
        "{:?}",
        bad_spec.as_ref().err()
    );
    assert!(registry.gather().is_empty());
}

/// Its variable is read by this test only: tests run in parallel threads of
/// one process, and no other test reads it.
#[derive(MetricGroup)]
#[metric_group(prefix = env("METRIC_GROUP_TEST_ENV_PREFIX", default = "env_default"))]
struct FromEnvironment {
    /// Jobs done
    #[metric(name = "jobs_total")]
    jobs: IntCounter,
}

#[test]
fn an_env_prefix_is_read_at_construction_and_checked() -> Result<(), Error> {
    const VAR: &str = "METRIC_GROUP_TEST_ENV_PREFIX";
    assert_eq!(FromEnvironment::JOBS_NAME, "env_default_jobs_total");

    std::env::remove_var(VAR);
    let declared = FromEnvironment::new()?;
    assert_eq!(declared.jobs.desc()[0].fq_name, "env_default_jobs_total");

    std::env::set_var(VAR, "");
    let empty = FromEnvironment::new()?;
    assert_eq!(empty.jobs.desc()[0].fq_name, "env_default_jobs_total");

    std::env::set_var(VAR, "from_env");
    let registry = Registry::new();
    let configured = FromEnvironment::init(&registry)?;
    configured.jobs.inc();
    let text = encode_text(&registry.gather())?;
    assert!(text.contains("from_env_jobs_total 1"), "{text}");
    // A builder's prefix wins over the environment.
    let built = FromEnvironment::builder().prefix("explicit").build()?;
    assert_eq!(built.jobs.desc()[0].fq_name, "explicit_jobs_total");

    std::env::set_var(VAR, "not valid");
    let other = Registry::new();
    let refused = FromEnvironment::init(&other);
    std::env::remove_var(VAR);
    common::assert_err!(
        refused,
        Error::InvalidMetricName { metric, rule } => {
            assert_eq!(metric, "not valid_jobs_total");
            assert!(rule.contains("prefix `not valid`"), "{rule}");
        }
    );
    assert!(other.gather().is_empty());
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "scoped_configured", scope = component)]
struct ScopedConfigured {
    /// Requests routed
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

#[test]
fn scoped_groups_take_a_configured_prefix_below_the_scope_prefix() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let component = runtime.namespace("ns")?.component("router")?;
    let metrics = ScopedConfigured::builder()
        .prefix("edge")
        .for_scope(&component)?;
    metrics.requests.inc();
    let text = runtime.encode_text()?;
    assert!(
        text.contains("dynamo_component_edge_requests_total{dynamo_component=\"router\",dynamo_namespace=\"ns\"} 1"),
        "{text}"
    );
    let refused = ScopedConfigured::builder()
        .prefix("a b")
        .for_scope(&component);
    assert!(
        matches!(&refused, Err(Error::InvalidMetricName { metric, .. }) if metric == "a b_requests_total"),
        "{:?}",
        refused.as_ref().err()
    );
    Ok(())
}
