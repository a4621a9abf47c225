//! Generated helpers refuse values that would poison a series for good: a
//! NaN observation leaves a histogram's `_sum` NaN from then on, and so do
//! `+Inf` and `-Inf` once both are recorded. The error
//! names the metric and nothing is recorded (no series is even created).

mod common;

use metric_group::encode_text;
use metric_group::prometheus::{Histogram, HistogramVec, Registry};
use metric_group::{Error, Family, LabelSet, MetricGroup};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Route {
    route: &'static str,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "api")]
struct Latencies {
    /// Latency by route
    #[metric(name = "latency_seconds", labels(route), buckets = [0.1, 1.0], unit = "seconds")]
    by_route: HistogramVec,
    /// Latency by typed route
    #[metric(name = "typed_latency_seconds", buckets = [0.1, 1.0], unit = "seconds")]
    typed: Family<Route, Histogram>,
    /// Latency of every route
    #[metric(name = "overall_latency_seconds", buckets = [0.1, 1.0], unit = "seconds")]
    overall: Histogram,
}

fn invalid(result: Result<(), Error>) -> (String, f64) {
    common::assert_err!(
        result,
        Error::InvalidValue { metric, value, .. } => (metric, value)
    )
}

#[test]
fn nan_observations_are_errors_naming_the_metric() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = Latencies::new()?;
    metrics.register(&registry)?;
    let (metric, value) = invalid(metrics.observe_by_route("a", f64::NAN));
    assert_eq!(metric, "api_latency_seconds");
    assert!(value.is_nan());
    let (metric, _) = invalid(metrics.observe_typed(&Route { route: "a" }, f64::NAN));
    assert_eq!(metric, "api_typed_latency_seconds");
    let text = encode_text(&registry.gather())?;
    assert!(!text.contains("route=\"a\""), "no series created: {text}");

    metrics.observe_by_route("a", 0.5)?;
    assert!(metrics.observe_by_route("a", f64::NAN).is_err());
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("api_latency_seconds_sum{route=\"a\"} 0.5\n"),
        "{text}"
    );
    Ok(())
}

#[test]
fn infinite_observations_are_refused_so_no_sum_turns_nan() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = Latencies::new()?;
    metrics.register(&registry)?;
    metrics.observe_by_route("a", 0.5)?;
    metrics.observe_typed(&Route { route: "a" }, 0.5)?;
    // `+Inf` then `-Inf` would leave `_sum` NaN for good: both refused.
    for value in [f64::INFINITY, f64::NEG_INFINITY] {
        let (metric, refused) = invalid(metrics.observe_by_route("a", value));
        assert_eq!((metric.as_str(), refused), ("api_latency_seconds", value));
        let (metric, refused) = invalid(metrics.observe_typed(&Route { route: "a" }, value));
        assert_eq!(
            (metric.as_str(), refused),
            ("api_typed_latency_seconds", value)
        );
    }
    let child = metrics.by_route_with_labels("a")?;
    assert_eq!(child.get_sample_count(), 1);
    assert_eq!(child.get_sample_sum(), 0.5);
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("api_typed_latency_seconds_sum{route=\"a\"} 0.5\n"),
        "{text}"
    );
    // The largest finite values overflow the sum to `+Inf`, which stays.
    metrics.observe_by_route("a", f64::MAX)?;
    metrics.observe_by_route("a", f64::MAX)?;
    metrics.observe_by_route("a", -f64::MAX)?;
    assert_eq!(child.get_sample_sum(), f64::INFINITY);
    Ok(())
}

#[test]
fn an_unlabelled_histogram_has_an_observe_helper_with_the_same_guard() -> Result<(), Error> {
    let metrics = Latencies::new()?;
    metrics.observe_overall(0.5)?;
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let (metric, _) = invalid(metrics.observe_overall(value));
        assert_eq!(metric, "api_overall_latency_seconds");
    }
    assert_eq!(metrics.overall.get_sample_count(), 1);
    assert_eq!(metrics.overall.get_sample_sum(), 0.5);
    Ok(())
}

#[test]
fn the_error_says_what_was_refused() {
    let err = Error::InvalidValue {
        metric: "api_latency_seconds".into(),
        value: f64::NAN,
        reason: "x",
    };
    assert_eq!(
        err.to_string(),
        "value NaN for metric `api_latency_seconds` was not recorded: x"
    );
}
