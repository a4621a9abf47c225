//! Families stay bounded under hostile label values: past its budget of
//! series, or with a label value longer than the limit, a label set's
//! updates go to the family's one overflow series (nothing lost, nothing
//! stored), and a handle for it is refused with an error naming the metric.

mod common;

use std::sync::Arc;

use common::alloc::held_by;
use metric_group::limits::{Limits, DEFAULT_MAX_SERIES, OVERFLOW_LABEL};
use metric_group::prometheus::{Histogram, IntCounter, Registry};
use metric_group::{encode, Error, Family, LabelSet, LabelValue};

#[global_allocator]
static ALLOCATOR: common::alloc::Counting = common::alloc::Counting;

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Model {
    model: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
enum Phase {
    Prefill,
    Decode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Step {
    phase: Phase,
}

fn family(max_series: Option<usize>) -> Family<Model, IntCounter> {
    let limits = Limits {
        max_series,
        ..Limits::default()
    };
    Family::with_limits(
        "requests_total".into(),
        "Requests by model".into(),
        vec![("router".into(), "r1".into())],
        None,
        &limits,
    )
    .expect("valid")
}

fn model(i: usize) -> Model {
    Model {
        model: format!("hostile-{i:08}"),
    }
}

/// The exposition of `family` alone, checked by promtool.
fn exposition<L: LabelSet, M: metric_group::FamilyMetric>(family: &Family<L, M>) -> String
where
    Family<L, M>: metric_group::prometheus::core::Collector,
{
    let registry = Registry::new();
    registry
        .register(Box::new(family.clone()))
        .expect("registers");
    let text = encode(&registry).expect("encodes");
    if let Some(problems) = common::promtool_problems(&text) {
        assert_eq!(problems, Vec::<String>::new(), "{text}");
    }
    text
}

/// Sample lines, `# HELP` and `# TYPE` aside.
fn samples(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.starts_with('#')).collect()
}

fn value(line: &str) -> f64 {
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn past_its_budget_a_family_counts_new_label_sets_in_one_overflow_series() {
    let (requests, held) = held_by(|| {
        let requests = family(Some(1000));
        for i in 0..100_000 {
            requests.with(&model(i), |counter| counter.inc()).unwrap();
        }
        requests
    });
    assert_eq!(requests.len(), 1000);
    assert_eq!(requests.overflowed(), 99_000);
    let text = exposition(&requests);
    let lines = samples(&text);
    assert_eq!(lines.len(), 1001, "budget + the overflow series");
    let total: f64 = lines.iter().map(|l| value(l)).sum();
    assert_eq!(total, 100_000.0, "nothing lost");
    let overflow = format!("requests_total{{{OVERFLOW_LABEL}=\"true\",router=\"r1\"}} 99000");
    assert!(lines.contains(&overflow.as_str()), "{overflow} in\n{text}");
    // 1,000 series of ~16-byte names, not 100,000.
    assert!(held < 1 << 20, "held {held} bytes");
}

#[test]
fn the_default_budget_bounds_families_of_unbounded_label_sets() {
    let requests = family(None);
    assert_eq!(requests.max_series(), DEFAULT_MAX_SERIES);
    for i in 0..DEFAULT_MAX_SERIES + 10 {
        requests.with(&model(i), |counter| counter.inc()).unwrap();
    }
    assert_eq!(requests.len(), DEFAULT_MAX_SERIES);
    assert_eq!(requests.overflowed(), 10);
}

#[test]
fn a_handle_past_the_budget_is_refused_naming_the_metric() {
    let requests = family(Some(2));
    requests.get_or_create(&model(0)).unwrap().inc();
    requests.get_or_create(&model(1)).unwrap().inc();
    common::assert_err!(
        requests.get_or_create(&model(2)),
        error @ Error::SeriesLimit { .. } => {
            let message = error.to_string();
            assert!(message.contains("`requests_total`"), "{message}");
            assert!(message.contains("budget of 2 series"), "{message}");
        }
    );
    // Existing label sets still resolve; removing one makes room.
    assert_eq!(requests.get_or_create(&model(1)).unwrap().get(), 1);
    assert!(requests.remove(&model(0)));
    requests.get_or_create(&model(2)).unwrap().inc();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests.remove_where(|_| true), 2);
    requests.get_or_create(&model(3)).unwrap().inc();
    requests.get_or_create(&model(4)).unwrap().inc();
    assert_eq!(requests.len(), 2);
}

#[test]
fn label_values_past_the_length_limit_are_never_stored_or_exposed() {
    let huge: Vec<Model> = (0..100)
        .map(|i| Model {
            model: format!("{i:03}{}", "x".repeat(1 << 20)),
        })
        .collect();
    let (requests, held) = held_by(|| {
        let requests = family(None);
        for labels in &huge {
            requests.with(labels, |counter| counter.inc()).unwrap();
        }
        requests.with(&model(0), |counter| counter.inc()).unwrap();
        requests
    });
    eprintln!("a Family given 100 values of 1 MiB: {held} bytes held");
    assert!(held < 1 << 20, "held {held} bytes");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests.overflowed(), 100);
    let text = exposition(&requests);
    assert!(text.len() < 1000, "{} bytes", text.len());
    assert!(text.contains(&format!("{OVERFLOW_LABEL}=\"true\",router=\"r1\"}} 100")));
    common::assert_err!(
        requests.get_or_create(&huge[0]),
        error @ Error::SeriesLimit { .. } => {
            assert!(error
                .to_string()
                .contains("label `model` is 1048579 bytes long"))
        }
    );
}

#[test]
fn the_overflow_series_is_exposed_alike_through_gather() {
    let latency = Family::<Model, Histogram>::with_limits(
        "latency_seconds".into(),
        "Latency".into(),
        vec![],
        Some(vec![0.1, 1.0]),
        &Limits {
            max_series: Some(1),
            ..Limits::default()
        },
    )
    .unwrap();
    latency.with(&model(0), |h| h.observe(0.5)).unwrap();
    latency.with(&model(1), |h| h.observe(2.0)).unwrap();
    let registry = Registry::new();
    registry.register(Box::new(latency.clone())).unwrap();
    let direct = encode(&registry).unwrap();
    let gathered = metric_group::encode_text(&registry.gather()).unwrap();
    assert_eq!(direct, gathered);
    let twin = {
        let mut out = Vec::new();
        metric_group::prometheus::Encoder::encode(
            &metric_group::prometheus::TextEncoder::new(),
            &registry.gather(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(direct, twin, "byte-identical to prometheus' encoder");
    assert!(direct.contains(&format!(
        "latency_seconds_bucket{{{OVERFLOW_LABEL}=\"true\",le=\"+Inf\"}} 1"
    )));
    if let Some(problems) = common::promtool_problems(&direct) {
        assert_eq!(problems, Vec::<String>::new(), "{direct}");
    }
}

#[test]
fn concurrent_inserts_never_pass_the_budget() {
    let requests = Arc::new(family(Some(500)));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || {
                for i in 0..5_000 {
                    requests
                        .with(&model(t * 5_000 + i), |counter| counter.inc())
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(requests.len(), 500);
    let text = exposition(&requests);
    let total: f64 = samples(&text).iter().map(|l| value(l)).sum();
    assert_eq!(total, 20_000.0);
    assert_eq!(samples(&text).len(), 501);
}

#[test]
fn limits_that_cannot_hold_are_refused_at_creation() {
    let refused = |limits: Limits, const_labels: Vec<(String, String)>| {
        Family::<Step, IntCounter>::with_limits(
            "steps_total".into(),
            "Steps".into(),
            const_labels,
            None,
            &limits,
        )
        .unwrap_err()
        .to_string()
    };
    let below = refused(
        Limits {
            max_series: Some(1),
            ..Limits::default()
        },
        vec![],
    );
    assert!(
        below.contains("below the label set's 2 possible values"),
        "{below}"
    );
    let zero = refused(
        Limits {
            max_series: Some(0),
            ..Limits::default()
        },
        vec![],
    );
    assert!(zero.contains("at least 1"), "{zero}");
    let marked = refused(Limits::default(), vec![(OVERFLOW_LABEL.into(), "x".into())]);
    assert!(
        marked.contains(metric_group::rules::LabelError::Overflow.message()),
        "{marked}"
    );
    let long = refused(
        Limits {
            max_label_len: 4,
            ..Limits::default()
        },
        vec![("pool".into(), "too-long".into())],
    );
    assert!(
        long.contains("const label `pool` is 8 bytes long"),
        "{long}"
    );
    // A label set of fixed cardinality needs no budget and never overflows.
    let steps = Family::<Step, IntCounter>::new("steps_total".into(), "Steps".into(), vec![], None)
        .unwrap();
    assert_eq!(steps.max_series(), 2);
    steps
        .get_or_create(&Step {
            phase: Phase::Prefill,
        })
        .unwrap()
        .inc();
    steps
        .get_or_create(&Step {
            phase: Phase::Decode,
        })
        .unwrap()
        .inc();
    assert_eq!(steps.overflowed(), 0);
}

#[derive(metric_group::MetricGroup)]
#[metric_group(prefix = "router", max_label_len = 16)]
struct RouterLimits {
    /// Requests by model
    #[metric(max_series = 3)]
    requests_total: Family<Model, IntCounter>,
    /// Errors by model
    errors_total: Family<Model, IntCounter>,
}

#[test]
fn declared_limits_reach_the_families_and_the_builder_overrides_them() {
    let declared = RouterLimits::new().unwrap();
    assert_eq!(declared.requests_total.max_series(), 3);
    assert_eq!(declared.errors_total.max_series(), DEFAULT_MAX_SERIES);
    for i in 0..5 {
        declared.inc_requests_total(&model(i)).unwrap();
    }
    assert_eq!(declared.requests_total.len(), 3);
    assert_eq!(declared.requests_total.overflowed(), 2);
    // `max_label_len = 16`: a 17-byte value overflows.
    let long = Model {
        model: "x".repeat(17),
    };
    declared.inc_errors_total(&long).unwrap();
    assert_eq!(declared.errors_total.len(), 0);
    assert_eq!(declared.errors_total.overflowed(), 1);

    let configured = RouterLimits::builder()
        .requests_total_max_series(5)
        .max_label_len(64)
        .build()
        .unwrap();
    assert_eq!(configured.requests_total.max_series(), 5);
    configured.inc_errors_total(&long).unwrap();
    assert_eq!(configured.errors_total.len(), 1);

    // Configured values are checked when the group is built.
    let zero = RouterLimits::builder().requests_total_max_series(0).build();
    common::assert_err!(
        zero,
        error @ Error::Create { .. } => {
            assert!(
                error.to_string().contains("router_requests_total"),
                "{error}"
            );
            assert!(error.to_string().contains("at least 1"), "{error}");
        }
    );
}

#[derive(metric_group::MetricGroup)]
#[metric_group(prefix = "hostile")]
struct Hostile {
    /// Requests by model, through a helper with a budget
    #[metric(labels(model), max_series = 1000)]
    vec_total: metric_group::prometheus::IntCounterVec,
    /// Requests by model, typed, with a budget
    #[metric(max_series = 1000)]
    family_total: Family<Model, IntCounter>,
    /// Requests by model, through a helper with the default budget
    #[metric(labels(model))]
    default_total: metric_group::prometheus::IntCounterVec,
}

/// The sample lines of `family` in `text`, and their sum.
fn family_samples<'a>(text: &'a str, family: &str) -> (Vec<&'a str>, f64) {
    let lines: Vec<&str> = samples(text)
        .into_iter()
        .filter(|l| l.starts_with(&format!("{family}{{")))
        .collect();
    let sum = lines.iter().map(|l| value(l)).sum();
    (lines, sum)
}

#[test]
fn a_hundred_thousand_hostile_values_stay_within_each_budget() {
    let registry = Registry::new();
    let (group, held) = held_by(|| {
        let group = Hostile::new().unwrap();
        metric_group::MetricGroup::register(&group, &registry).unwrap();
        for i in 0..100_000 {
            let model = model(i);
            group.inc_vec_total(&model.model).unwrap();
            group.inc_family_total(&model).unwrap();
            group.inc_default_total(&model.model).unwrap();
        }
        group
    });
    let text = encode(&registry).unwrap();
    for (family, budget) in [
        ("hostile_vec_total", 1000),
        ("hostile_family_total", 1000),
        ("hostile_default_total", DEFAULT_MAX_SERIES),
    ] {
        let (lines, sum) = family_samples(&text, family);
        assert_eq!(lines.len(), budget + 1, "{family}: budget + overflow");
        assert_eq!(sum, 100_000.0, "{family}: nothing lost");
        let overflow = format!("{family}{{{OVERFLOW_LABEL}=\"true\"}} {}", 100_000 - budget);
        assert!(lines.contains(&overflow.as_str()), "{overflow}");
    }
    eprintln!("three families, 100,000 hostile values each: {held} bytes held");
    assert!(held < 16 << 20, "held {held} bytes");
    let counts = metric_group::limits::vec_counts(&group.vec_total);
    assert_eq!(counts.overflowed, 99_000);
    if let Some(problems) = common::promtool_problems(&text) {
        assert_eq!(problems, Vec::<String>::new());
    }
    // The exposition through prometheus' own gather agrees.
    let gathered = metric_group::encode_text(&registry.gather()).unwrap();
    assert_eq!(gathered, text);
}

#[test]
fn helpers_never_store_label_values_past_the_length_limit() {
    let registry = Registry::new();
    let huge: Vec<String> = (0..100)
        .map(|i| format!("{i:03}{}", "x".repeat(1 << 20)))
        .collect();
    let (group, held) = held_by(|| {
        let group = Hostile::new().unwrap();
        metric_group::MetricGroup::register(&group, &registry).unwrap();
        for value in &huge {
            group.inc_vec_total(value).unwrap();
        }
        group.inc_vec_total("short").unwrap();
        group
    });
    eprintln!("a *Vec helper given 100 values of 1 MiB: {held} bytes held");
    assert!(held < 1 << 20, "held {held} bytes");
    let text = encode(&registry).unwrap();
    assert!(text.len() < 2000, "{} bytes", text.len());
    let (lines, sum) = family_samples(&text, "hostile_vec_total");
    assert_eq!(lines.len(), 2);
    assert_eq!(sum, 101.0);
    assert_eq!(
        metric_group::limits::vec_counts(&group.vec_total).overflowed,
        100
    );
    // A label set of overflow markers is the overflow series itself.
    group.inc_vec_total(OVERFLOW_LABEL).unwrap();
    let text = encode(&registry).unwrap();
    assert!(
        text.contains(&format!(
            "hostile_vec_total{{{OVERFLOW_LABEL}=\"true\"}} 101"
        )),
        "{text}"
    );
}

#[test]
fn a_real_prometheus_keeps_scraping_a_family_past_its_budget() {
    use common::real_prometheus::{self, Prometheus};
    if real_prometheus::installed().is_none() {
        return;
    }
    let registry = Registry::new();
    let group = Hostile::new().unwrap();
    metric_group::MetricGroup::register(&group, &registry).unwrap();
    for i in 0..3_000 {
        let model = model(i);
        group.inc_vec_total(&model.model).unwrap();
        group.inc_family_total(&model).unwrap();
    }
    group.inc_vec_total("x".repeat(1 << 20)).unwrap();
    let served = registry.clone();
    let server = metric_group::serve("127.0.0.1:0", move || encode(&served)).unwrap();
    // Limits a Prometheus operator sets: without the budget, 3,000 series
    // per family would pass `sample_limit` and the whole target would be
    // dropped; the 1 MiB value would pass `label_value_length_limit`.
    let prometheus = Prometheus::start(
        "limits",
        &format!(
            "global:\n  scrape_interval: 1s\n\
             scrape_configs:\n\
             \x20 - job_name: hostile\n    sample_limit: 2500\n    label_value_length_limit: 2048\n\
             \x20   static_configs:\n      - targets: [\"{}\"]\n",
            server.local_addr()
        ),
    );
    let counts = prometheus.wait_for("both families scraped", || {
        let up = prometheus.value("up{job=\"hostile\"}")?;
        let vec = prometheus.value("count(hostile_vec_total)")?;
        let family = prometheus.value("count(hostile_family_total)")?;
        (up == "1").then_some((vec, family))
    });
    assert_eq!(counts, ("1001".to_owned(), "1001".to_owned()));
    let overflow = prometheus
        .value(&format!("hostile_vec_total{{{OVERFLOW_LABEL}=\"true\"}}"))
        .unwrap();
    assert_eq!(overflow, "2001", "2,000 past the budget and the long value");
}
