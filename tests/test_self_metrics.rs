//! The library's own metrics: per family, its series, what went to its
//! overflow series and what idle expiry removed; per scrape, its duration
//! and size.

mod common;

use std::time::Duration;

use metric_group::prometheus::{IntCounter, IntCounterVec, Registry};
use metric_group::{encode, Family, LabelSet, MetricGroup};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Model {
    model: String,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "app")]
struct App {
    /// Requests by model
    #[metric(max_series = 3, expire_after = "100ms")]
    requests_total: Family<Model, IntCounter>,
    /// Errors by model
    #[metric(labels(model), max_series = 2)]
    errors_total: IntCounterVec,
}

fn sample(text: &str, line_start: &str) -> Option<f64> {
    text.lines()
        .find(|line| line.starts_with(line_start))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[test]
fn a_scrape_reports_each_familys_limits_and_its_own_cost() {
    let registry = Registry::new();
    metric_group::self_metrics::enable(&registry).unwrap();
    let app = App::new().unwrap();
    app.register(&registry).unwrap();
    for i in 0..5 {
        let model = format!("m{i}");
        app.inc_requests_total(&Model {
            model: model.clone(),
        })
        .unwrap();
        app.inc_errors_total(&model).unwrap();
    }
    let first = encode(&registry).unwrap();
    let family = |name: &str| format!("{{family=\"{name}\"}}");
    let series = |text: &str, name: &str| {
        sample(text, &format!("metric_group_family_series{}", family(name)))
    };
    assert_eq!(series(&first, "app_requests_total"), Some(3.0), "{first}");
    assert_eq!(
        series(&first, "app_errors_total"),
        Some(3.0),
        "two and the overflow series"
    );
    let overflowed = |text: &str, name: &str| {
        sample(
            text,
            &format!("metric_group_family_overflowed_total{}", family(name)),
        )
    };
    assert_eq!(overflowed(&first, "app_requests_total"), Some(2.0));
    assert_eq!(overflowed(&first, "app_errors_total"), Some(3.0));
    // The first scrape's cost shows in the next, made once the label sets
    // are past `expire_after` (the clock moved on, not slept through).
    metric_group::__private_0_1_0::advance_clock(Duration::from_secs(1));
    let second = encode(&registry).unwrap();
    assert_eq!(
        sample(
            &second,
            "metric_group_family_expired_total{family=\"app_requests_total\"}"
        ),
        Some(3.0),
        "{second}"
    );
    // Its label sets expired; its overflow series stays.
    assert_eq!(series(&second, "app_requests_total"), Some(0.0), "{second}");
    assert_eq!(
        sample(&second, "metric_group_exposition_bytes"),
        Some(first.len() as f64)
    );
    assert_eq!(
        sample(&second, "metric_group_scrape_duration_seconds_count"),
        Some(1.0)
    );
    if let Some(problems) = common::promtool_problems(&second) {
        assert_eq!(problems, Vec::<String>::new(), "{second}");
    }
}
