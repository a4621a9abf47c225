//! The OpenMetrics exposition: every one the tests write is read back by an
//! independent parser (the Python `prometheus_client` package's OpenMetrics
//! parser, `tests/common/openmetrics_parse.py`), and says what the
//! Prometheus text exposition of the same families says.

mod common;

use std::time::Duration;

use common::openmetrics_parse;
use metric_group::prometheus::core::{Collector, Desc};
use metric_group::prometheus::proto::{self, MetricFamily, MetricType};
use metric_group::prometheus::{IntCounter, IntGauge, Opts, Registry};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, MetricGroup};
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};
use serde_json::{json, Value};

/// The parsed family called `name`.
fn family<'a>(parsed: &'a Value, name: &str) -> &'a Value {
    parsed
        .as_array()
        .expect("a list of families")
        .iter()
        .find(|family| family["name"] == name)
        .unwrap_or_else(|| panic!("no family {name} in {parsed:#}"))
}

/// The router's three groups in a component scope, with a little traffic.
fn router_scope() -> Result<Scope, Error> {
    let scope = Scope::runtime().namespace("dynamo")?.component("backend")?;
    let requests = RouterRequestMetrics::for_scope(&scope, 7u64)?;
    requests.record_routed(512, 0.25);
    requests.record_first_token(Duration::from_millis(180));
    requests.record_inter_token(Duration::from_millis(12));
    requests.record_completed(128);
    let overhead = RoutingOverheadMetrics::new(7u64)?;
    overhead.register(scope.registry())?;
    overhead.observe(
        Duration::from_micros(40),
        Duration::from_micros(90),
        Duration::from_micros(120),
        Duration::from_micros(400),
    );
    let load = WorkerLoadMetrics::new()?;
    load.register(scope.registry())?;
    load.observe(3, 0, WorkerType::Decode, 42, 100)?;
    load.observe(4, 1, WorkerType::Prefill, 7, 9)?;
    Ok(scope)
}

#[test]
fn the_router_exposition_parses_and_says_what_the_text_one_says() -> Result<(), Error> {
    let scope = router_scope()?;
    let text = scope.encode_text()?;
    let openmetrics = scope.encode_openmetrics()?;
    assert!(openmetrics.ends_with("# EOF\n"), "{openmetrics}");
    let Some(parsed) = openmetrics_parse(&openmetrics) else {
        return Ok(());
    };
    // A counter: the family without `_total`, its sample with it.
    let requests = family(&parsed, "dynamo_component_router_requests");
    assert_eq!(requests["type"], "counter");
    assert_eq!(
        requests["help"],
        "Total number of requests processed by the router"
    );
    assert_eq!(
        requests["samples"][0][0],
        "dynamo_component_router_requests_total"
    );
    assert_eq!(requests["samples"][0][2].as_f64(), Some(1.0));
    // A histogram declared in seconds: `# UNIT`, float bounds, every bucket.
    let ttft = family(
        &parsed,
        "dynamo_component_router_time_to_first_token_seconds",
    );
    assert_eq!(ttft["type"], "histogram");
    assert_eq!(ttft["unit"], "seconds");
    let buckets: Vec<&Value> = ttft["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .filter(|sample| sample[0] == "dynamo_component_router_time_to_first_token_seconds_bucket")
        .collect();
    assert_eq!(buckets.len(), 19, "18 bounds and +Inf");
    assert_eq!(buckets[0][1]["le"], "0.0");
    assert_eq!(buckets[18][1]["le"], "+Inf");
    assert_eq!(buckets[18][2].as_f64(), Some(1.0));
    // Declared in milliseconds, named `_ms`: OpenMetrics wants the unit in
    // the name, so there is no `# UNIT` line.
    let overhead = family(&parsed, "dynamo_router_overhead_total_ms");
    assert_eq!(overhead["unit"], "");
    assert!(!openmetrics.contains("# UNIT dynamo_router_overhead_total_ms"));
    // Every sample of the text exposition is there, with the same labels
    // and value (counters under their `_total` name in both).
    let text_samples: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    let parsed_samples: usize = parsed
        .as_array()
        .expect("families")
        .iter()
        .map(|family| family["samples"].as_array().expect("samples").len())
        .sum();
    assert_eq!(parsed_samples, text_samples.len());
    let gauge = family(&parsed, "dynamo_frontend_worker_active_decode_blocks");
    assert_eq!(
        gauge["samples"][0][1],
        json!({"dp_rank": "0", "worker_id": "3", "worker_type": "decode"})
    );
    assert_eq!(gauge["samples"][0][2].as_f64(), Some(42.0));
    Ok(())
}

#[test]
fn the_text_exposition_is_unchanged_by_the_openmetrics_one() -> Result<(), Error> {
    let scope = router_scope()?;
    let before = scope.encode_text()?;
    scope.encode_openmetrics()?;
    assert_eq!(scope.encode_text()?, before);
    assert!(!before.contains("# EOF"));
    assert!(!before.contains("# UNIT"));
    Ok(())
}

/// A collector registered by hand: an untyped family, a counter named
/// without `_total`, a timestamp, infinities and NaN, a summary and a
/// help text with a quote and a backslash.
struct ByHand;

fn pair(name: &str, value: &str) -> proto::LabelPair {
    let mut pair = proto::LabelPair::default();
    pair.set_name(name.to_owned());
    pair.set_value(value.to_owned());
    pair
}

impl Collector for ByHand {
    fn desc(&self) -> Vec<&Desc> {
        Vec::new()
    }

    // An untyped family can only be built through prometheus' deprecated
    // protobuf setters, as foreign collectors still do.
    #[allow(deprecated)]
    fn collect(&self) -> Vec<MetricFamily> {
        let mut untyped = MetricFamily::default();
        untyped.set_name("by_hand_temperature".to_owned());
        untyped.set_help("A \"quoted\" help with a \\ backslash".to_owned());
        untyped.set_field_type(MetricType::UNTYPED);
        let mut sample = proto::Metric::default();
        sample.set_label(vec![pair("room", "a\"b")]);
        let mut value = proto::Untyped::default();
        value.set_value(f64::NEG_INFINITY);
        sample.set_untyped(value);
        sample.set_timestamp_ms(1_700_000_000_123);
        untyped.set_metric(vec![sample]);

        let mut counter = MetricFamily::default();
        counter.set_name("by_hand_retries".to_owned());
        counter.set_help("Retries".to_owned());
        counter.set_field_type(MetricType::COUNTER);
        let mut sample = proto::Metric::default();
        let mut value = proto::Counter::default();
        value.set_value(3.0);
        sample.set_counter(value);
        counter.set_metric(vec![sample]);

        let mut summary = MetricFamily::default();
        summary.set_name("by_hand_latency_seconds".to_owned());
        summary.set_help("Latency".to_owned());
        summary.set_field_type(MetricType::SUMMARY);
        let mut sample = proto::Metric::default();
        let mut value = proto::Summary::default();
        value.set_sample_count(4);
        value.set_sample_sum(f64::NAN);
        let mut quantile = proto::Quantile::default();
        quantile.set_quantile(1.0);
        quantile.set_value(f64::INFINITY);
        value.set_quantile(vec![quantile]);
        sample.set_summary(value);
        summary.set_metric(vec![sample]);
        vec![untyped, counter, summary]
    }
}

#[derive(MetricGroup)]
#[metric_group(prefix = "clock")]
struct Skew {
    /// Clock skew against the leader
    #[metric(unit = "seconds", buckets = [-1.0, 0.0, 1.0])]
    skew_seconds: metric_group::prometheus::Histogram,
    /// Time to sync (negative when a clock stepped back)
    #[metric(unit = "seconds", buckets = [0.1, 1.0])]
    sync_seconds: metric_group::prometheus::Histogram,
}

#[test]
fn a_sum_openmetrics_refuses_is_left_out_with_its_count() -> Result<(), Error> {
    let registry = Registry::new();
    let skew = Skew::init(&registry)?;
    let kept = |openmetrics: &str, name: &str| {
        let sum = openmetrics.contains(&format!("\n{name}_sum "));
        let count = openmetrics.contains(&format!("\n{name}_count "));
        assert_eq!(
            sum, count,
            "{name}: _sum and _count together in {openmetrics}"
        );
        if let Some(parsed) = openmetrics_parse(openmetrics) {
            family(&parsed, name);
        }
        sum
    };
    skew.observe_skew_seconds(0.5)?;
    skew.observe_sync_seconds(0.5)?;
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    // A negative bucket threshold: never a sum, whatever the sum is.
    assert!(!kept(&openmetrics, "clock_skew_seconds"));
    assert!(kept(&openmetrics, "clock_sync_seconds"));
    skew.observe_sync_seconds(-0.9)?;
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    assert!(!kept(&openmetrics, "clock_sync_seconds"));
    // The Prometheus text format keeps both, as prometheus writes them.
    let text = metric_group::encode(&registry)?;
    for line in [
        "clock_skew_seconds_sum 0.5\n",
        "clock_sync_seconds_count 2\n",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    Ok(())
}

#[test]
fn foreign_families_are_written_as_openmetrics_wants() -> Result<(), Error> {
    let registry = Registry::new();
    registry
        .register(Box::new(ByHand))
        .map_err(|source| Error::Create {
            metric: "by_hand".to_owned(),
            source,
        })?;
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    assert!(
        openmetrics.contains("# TYPE by_hand_temperature unknown\n"),
        "{openmetrics}"
    );
    assert!(openmetrics
        .contains("# HELP by_hand_temperature A \\\"quoted\\\" help with a \\\\ backslash\n"));
    assert!(openmetrics.contains("by_hand_temperature{room=\"a\\\"b\"} -Inf 1700000000.123\n"));
    assert!(openmetrics.contains(
        "# TYPE by_hand_retries counter\n# HELP by_hand_retries Retries\nby_hand_retries_total 3\n"
    ));
    assert!(openmetrics.contains("by_hand_latency_seconds{quantile=\"1.0\"} +Inf\n"));
    // OpenMetrics refuses a NaN `_sum` and makes it optional: left out.
    assert!(
        !openmetrics.contains("by_hand_latency_seconds_sum"),
        "{openmetrics}"
    );
    let Some(parsed) = openmetrics_parse(&openmetrics) else {
        return Ok(());
    };
    let temperature = family(&parsed, "by_hand_temperature");
    assert_eq!(temperature["type"], "unknown");
    assert_eq!(temperature["help"], "A \"quoted\" help with a \\ backslash");
    assert_eq!(temperature["samples"][0][1]["room"], "a\"b");
    assert_eq!(temperature["samples"][0][2], "-Inf");
    // The parser prints seconds with nanoseconds.
    assert_eq!(temperature["samples"][0][3], "1700000000.123000000");
    assert_eq!(
        family(&parsed, "by_hand_retries")["samples"][0][0],
        "by_hand_retries_total"
    );
    let summary = family(&parsed, "by_hand_latency_seconds");
    assert_eq!(summary["type"], "summary");
    Ok(())
}

/// A collector registered by hand whose counter went negative.
struct NegativeCounter;

impl Collector for NegativeCounter {
    fn desc(&self) -> Vec<&Desc> {
        Vec::new()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let mut counter = MetricFamily::default();
        counter.set_name("by_hand_balance_total".to_owned());
        counter.set_help("Balance".to_owned());
        counter.set_field_type(MetricType::COUNTER);
        let mut sample = proto::Metric::default();
        sample.set_label(vec![pair("account", "a")]);
        let mut value = proto::Counter::default();
        value.set_value(-2.0);
        sample.set_counter(value);
        counter.set_metric(vec![sample]);
        vec![counter]
    }
}

#[test]
fn a_value_openmetrics_refuses_is_an_error_naming_the_metric() -> Result<(), Error> {
    let registry = Registry::new();
    registry
        .register(Box::new(NegativeCounter))
        .map_err(|source| Error::Create {
            metric: "by_hand_balance_total".to_owned(),
            source,
        })?;
    // The Prometheus text format takes it as it is.
    assert!(metric_group::encode(&registry)?.contains("by_hand_balance_total{account=\"a\"} -2\n"));
    let error = metric_group::encode_openmetrics(&registry).expect_err("a negative counter");
    let message = error.to_string();
    assert!(message.contains("`by_hand_balance_total`"), "{message}");
    assert!(message.contains("{account=\"a\"}"), "{message}");
    assert!(message.contains("negative"), "{message}");
    Ok(())
}

#[test]
fn two_families_one_openmetrics_name_is_an_error_naming_them() -> Result<(), Error> {
    // A declaration cannot hold the pair (the derive refuses two families
    // sharing a name there, tests/ui/shared_series.rs): registered by hand.
    let registry = Registry::new();
    let create = |source| Error::Create {
        metric: "clash_jobs".to_owned(),
        source,
    };
    let done = IntCounter::with_opts(Opts::new("clash_jobs_total", "Jobs done")).map_err(create)?;
    let waiting = IntGauge::with_opts(Opts::new("clash_jobs", "Jobs waiting")).map_err(create)?;
    registry.register(Box::new(done)).map_err(create)?;
    registry.register(Box::new(waiting)).map_err(create)?;
    // The Prometheus text format tells them apart.
    assert!(metric_group::encode(&registry)?.contains("clash_jobs_total 0\n"));
    let error = metric_group::encode_openmetrics(&registry).expect_err("one name, two families");
    let message = error.to_string();
    assert!(message.contains("clash_jobs"), "{message}");
    assert!(message.contains("OpenMetrics"), "{message}");
    Ok(())
}

#[test]
fn a_family_registered_by_hand_gets_no_unit_guessed_from_its_name() -> Result<(), Error> {
    let registry = Registry::new();
    let gauge =
        IntGauge::with_opts(Opts::new("lone_gauge_bytes", "No declaration")).map_err(|source| {
            Error::Create {
                metric: "lone_gauge_bytes".to_owned(),
                source,
            }
        })?;
    registry
        .register(Box::new(gauge))
        .map_err(|source| Error::Create {
            metric: "lone_gauge_bytes".to_owned(),
            source,
        })?;
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    // Registered by hand, no declaration: no unit is guessed from the name.
    assert!(!openmetrics.contains("# UNIT"), "{openmetrics}");
    if let Some(parsed) = openmetrics_parse(&openmetrics) {
        assert_eq!(family(&parsed, "lone_gauge_bytes")["unit"], "");
    }
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct Queue {
    /// Time spent queued
    #[metric(name = "wait_seconds", unit = "seconds", buckets = linear(0.5, 0.5, 2))]
    wait: metric_group::prometheus::Histogram,
}

#[test]
fn a_unit_behind_a_configured_prefix_is_still_stated() -> Result<(), Error> {
    let registry = Registry::new();
    let queue = Queue::builder().prefix("lb").init(&registry)?;
    queue.wait.observe(0.7);
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    assert!(
        openmetrics
            .starts_with("# TYPE lb_wait_seconds histogram\n# UNIT lb_wait_seconds seconds\n"),
        "{openmetrics}"
    );
    assert!(
        openmetrics.contains("lb_wait_seconds_bucket{le=\"1.0\"} 1\n"),
        "{openmetrics}"
    );
    if let Some(parsed) = openmetrics_parse(&openmetrics) {
        assert_eq!(family(&parsed, "lb_wait_seconds")["unit"], "seconds");
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct Model {
    model: &'static str,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "llm")]
struct Latency {
    /// Time to first token
    #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0])]
    ttft_seconds: metric_group::Family<Model, metric_group::prometheus::Histogram>,
}

#[test]
fn exemplars_reach_the_openmetrics_exposition_and_only_it() -> Result<(), Error> {
    use metric_group::Exemplar;
    let registry = Registry::new();
    let latency = Latency::init(&registry)?;
    let llama = Model { model: "llama" };
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    latency.ttft_seconds.observe_with_exemplar(
        &llama,
        0.3,
        &Exemplar::new(trace).span_id("00f067aa0ba902b7"),
    )?;
    // A later exemplar in the same bucket replaces the earlier one (through
    // the generated helper this time).
    latency.observe_ttft_seconds_with_exemplar(&llama, 0.4, &Exemplar::new("second"))?;
    latency
        .ttft_seconds
        .observe_with_exemplar(&llama, 7.0, &Exemplar::new("slow"))?;
    latency.observe_ttft_seconds(&Model { model: "mistral" }, 0.05)?;
    // Refused, naming the metric; nothing recorded.
    let long = "x".repeat(200);
    let refused = latency.observe_ttft_seconds_with_exemplar(&llama, 0.2, &Exemplar::new(&long));
    common::assert_err!(refused, Error::InvalidExemplar { metric, .. } => {
        assert_eq!(metric, "llm_ttft_seconds");
    });
    assert!(latency
        .ttft_seconds
        .observe_with_exemplar(&llama, f64::NAN, &Exemplar::new("nan"))
        .is_err());

    let text = metric_group::encode(&registry)?;
    assert!(!text.contains(" # {"), "{text}");
    assert!(
        text.contains("llm_ttft_seconds_count{model=\"llama\"} 3\n"),
        "{text}"
    );
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    assert!(
        openmetrics.contains(
            "llm_ttft_seconds_bucket{model=\"llama\",le=\"0.5\"} 2 # {trace_id=\"second\"} 0.4 "
        ),
        "{openmetrics}"
    );
    assert!(
        openmetrics.contains(
            "llm_ttft_seconds_bucket{model=\"llama\",le=\"+Inf\"} 3 # {trace_id=\"slow\"} 7 "
        ),
        "{openmetrics}"
    );
    let Some(parsed) = openmetrics_parse(&openmetrics) else {
        return Ok(());
    };
    let ttft = family(&parsed, "llm_ttft_seconds");
    assert_eq!(ttft["unit"], "seconds");
    let exemplars: Vec<(String, String, Option<f64>)> = ttft["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .filter(|sample| !sample[4].is_null())
        .map(|sample| {
            (
                sample[1]["le"].as_str().unwrap_or("").to_owned(),
                sample[4]["labels"]["trace_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
                sample[4]["value"].as_f64(),
            )
        })
        .collect();
    assert_eq!(
        exemplars,
        [
            ("0.5".to_owned(), "second".to_owned(), Some(0.4)),
            ("+Inf".to_owned(), "slow".to_owned(), Some(7.0)),
        ]
    );
    Ok(())
}

/// `with`'s OpenMetrics exposition, after checking that it holds `lines`
/// and that beside its exemplars it says what `without`'s says, and that
/// the text format of both is the same.
fn exemplars_only_in_openmetrics(
    with: &Registry,
    without: &Registry,
    lines: &[&str],
) -> Result<String, Error> {
    // The text format is what it is without exemplars.
    assert_eq!(metric_group::encode(with)?, metric_group::encode(without)?);
    let openmetrics = metric_group::encode_openmetrics(with)?;
    for line in lines {
        assert!(openmetrics.contains(line), "{line} in {openmetrics}");
    }
    // Beside the exemplars, what the exposition without them says.
    assert_eq!(
        without_exemplars(&openmetrics),
        metric_group::encode_openmetrics(without)?
    );
    Ok(openmetrics)
}

/// An OpenMetrics exposition with its exemplars taken off its lines.
fn without_exemplars(openmetrics: &str) -> String {
    openmetrics
        .lines()
        .map(|line| line.split(" # {").next().unwrap_or(line))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// The trace ids of an OpenMetrics exposition's exemplars, in order, as
/// the Python parser reads them (`None` where it is not installed).
fn parsed_trace_ids(openmetrics: &str) -> Option<Vec<String>> {
    let parsed = openmetrics_parse(openmetrics)?;
    Some(
        parsed
            .as_array()
            .expect("families")
            .iter()
            .flat_map(|family| family["samples"].as_array().expect("samples"))
            .filter_map(|sample| sample[4]["labels"]["trace_id"].as_str())
            .map(str::to_owned)
            .collect(),
    )
}

#[derive(MetricGroup)]
#[metric_group(prefix = "svc")]
struct PlainLatency {
    /// Request latency
    #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0])]
    latency_seconds: metric_group::prometheus::Histogram,
    /// Request latency per route
    #[metric(unit = "seconds", labels(route), buckets = [0.1, 1.0])]
    route_seconds: metric_group::prometheus::HistogramVec,
    /// Request latency per five labels (past the shared helpers' four)
    #[metric(unit = "seconds", labels(a, b, c, d, e), buckets = [1.0])]
    wide_seconds: metric_group::prometheus::HistogramVec,
}

impl PlainLatency {
    /// The same observations, with exemplars or without.
    fn traffic(&self, exemplars: bool) -> Result<(), Error> {
        use metric_group::Exemplar;
        if exemplars {
            self.observe_latency_seconds_with_exemplar(0.3, &Exemplar::new("plain"))?;
            self.observe_route_seconds_with_exemplar("/a", 0.05, &Exemplar::new("route"))?;
            self.observe_wide_seconds_with_exemplar(
                1,
                2,
                3,
                4,
                5,
                9.5,
                &Exemplar::new("wide").span_id("s1"),
            )?;
        } else {
            self.observe_latency_seconds(0.3)?;
            self.observe_route_seconds("/a", 0.05)?;
            self.observe_wide_seconds(1, 2, 3, 4, 5, 9.5)?;
        }
        self.observe_route_seconds("/b", 0.5)?;
        Ok(())
    }
}

#[test]
fn plain_and_vec_histograms_keep_exemplars_in_openmetrics_only() -> Result<(), Error> {
    use metric_group::prometheus::{Histogram, HistogramOpts};
    use metric_group::{Exemplar, ObserveExemplar};
    let with = Registry::new();
    let latency = PlainLatency::new()?;
    latency.register(&with)?;
    latency.traffic(true)?;
    // A series resolved by the helpers takes one through the trait, as a
    // `bind` handle would.
    latency
        .route_seconds_with_labels("/b")?
        .observe_with_exemplar(2.0, &Exemplar::new("handle"))?;
    let without = Registry::new();
    let plain = PlainLatency::new()?;
    plain.register(&without)?;
    plain.traffic(false)?;
    plain.route_seconds_with_labels("/b")?.observe(2.0);

    let openmetrics = exemplars_only_in_openmetrics(
        &with,
        &without,
        &[
            "svc_latency_seconds_bucket{le=\"0.5\"} 1 # {trace_id=\"plain\"} 0.3 ",
            "svc_route_seconds_bucket{route=\"/a\",le=\"0.1\"} 1 # {trace_id=\"route\"} 0.05 ",
            "svc_route_seconds_bucket{route=\"/b\",le=\"+Inf\"} 2 # {trace_id=\"handle\"} 2 ",
            "svc_wide_seconds_bucket{a=\"1\",b=\"2\",c=\"3\",d=\"4\",e=\"5\",le=\"+Inf\"} 1 # {trace_id=\"wide\",span_id=\"s1\"} 9.5 ",
        ],
    )?;
    if let Some(traces) = parsed_trace_ids(&openmetrics) {
        assert_eq!(traces, ["plain", "route", "handle", "wide"]);
    }

    // Refused: a value that poisons the sum, an exemplar too long, and a
    // histogram no group exposes (no scrape could show its exemplars).
    assert!(latency
        .observe_latency_seconds_with_exemplar(f64::NAN, &Exemplar::new("nan"))
        .is_err());
    let long = "x".repeat(200);
    common::assert_err!(
        latency.observe_route_seconds_with_exemplar("/a", 0.1, &Exemplar::new(&long)),
        Error::InvalidExemplar { metric, .. } => assert_eq!(metric, "svc_route_seconds")
    );
    let by_hand = Histogram::with_opts(HistogramOpts::new("by_hand", "made by hand"))
        .map_err(|source| Error::Encode { source })?;
    common::assert_err!(
        by_hand.observe_with_exemplar(0.1, &Exemplar::new("lost")),
        Error::InvalidExemplar { metric, reason } => {
            assert_eq!(metric, "by_hand");
            assert!(reason.contains("not one a metric group exposes"), "{reason}");
        }
    );
    assert_eq!(by_hand.get_sample_count(), 0);

    // The exemplars go with the group: its registry still exposes the
    // series, without them.
    let plain_kept = latency.latency_seconds.clone();
    let route_kept = latency.route_seconds_with_labels("/b")?;
    drop(latency);
    let after = metric_group::encode_openmetrics(&with)?;
    assert!(!after.contains("trace_id=\"plain\""), "{after}");
    assert!(!after.contains("trace_id=\"route\""), "{after}");
    // Series kept past their group take no exemplar no scrape would show,
    // on this thread too (whose recent records still held theirs).
    for kept in [&plain_kept, &route_kept] {
        common::assert_err!(
            kept.observe_with_exemplar(0.2, &Exemplar::new("after")),
            Error::InvalidExemplar { reason, .. } => {
                assert!(reason.contains("not one a metric group exposes"), "{reason}");
            }
        );
    }
    Ok(())
}

/// Records an exemplar on `histogram` when dropped, and says whether it
/// was kept.
struct RecordOnExit {
    histogram: metric_group::prometheus::Histogram,
    kept: std::sync::mpsc::Sender<bool>,
}

impl Drop for RecordOnExit {
    fn drop(&mut self) {
        use metric_group::{Exemplar, ObserveExemplar};
        let kept = self
            .histogram
            .observe_with_exemplar(0.7, &Exemplar::new("on-exit"))
            .is_ok();
        let _ = self.kept.send(kept);
    }
}

thread_local! {
    static ON_EXIT: std::cell::RefCell<Option<RecordOnExit>> =
        const { std::cell::RefCell::new(None) };
}

#[test]
fn an_exemplar_recorded_as_a_thread_ends_is_kept() -> Result<(), Error> {
    use metric_group::{Exemplar, ObserveExemplar};
    let registry = Registry::new();
    let latency = PlainLatency::new()?;
    latency.register(&registry)?;
    let histogram = latency.latency_seconds.clone();
    let (kept, was_kept) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // This thread-local is set before the runtime's own (its slots of
        // recent records, first used by the exemplar below), so it is
        // dropped after them: its exemplar finds no slots and takes the
        // shared record.
        ON_EXIT.with(|on_exit| {
            *on_exit.borrow_mut() = Some(RecordOnExit {
                histogram: histogram.clone(),
                kept,
            });
        });
        histogram
            .observe_with_exemplar(0.05, &Exemplar::new("in-thread"))
            .expect("kept");
    })
    .join()
    .expect("the thread ends");
    assert_eq!(
        was_kept.recv_timeout(Duration::from_secs(10)).ok(),
        Some(true)
    );
    let openmetrics = metric_group::encode_openmetrics(&registry)?;
    for line in [
        "svc_latency_seconds_bucket{le=\"0.1\"} 1 # {trace_id=\"in-thread\"} 0.05 ",
        "svc_latency_seconds_bucket{le=\"1.0\"} 2 # {trace_id=\"on-exit\"} 0.7 ",
    ] {
        assert!(openmetrics.contains(line), "{line} in {openmetrics}");
    }
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "svc")]
struct Requests {
    /// Requests served
    requests_total: IntCounter,
    /// Requests per route
    #[metric(labels(route))]
    route_requests_total: metric_group::prometheus::IntCounterVec,
    /// Seconds of work per route
    #[metric(labels(route))]
    route_work_seconds_total: metric_group::prometheus::CounterVec,
    /// Requests per model
    model_requests_total: metric_group::Family<Model, IntCounter>,
    /// Tokens per model
    model_tokens_total: metric_group::Family<Model, metric_group::prometheus::Counter>,
}

impl Requests {
    /// The same increments, with exemplars or without.
    fn traffic(&self, exemplars: bool) -> Result<(), Error> {
        use metric_group::Exemplar;
        let llama = Model { model: "llama" };
        if exemplars {
            self.inc_by_requests_total_with_exemplar(2, &Exemplar::new("plain"))?;
            self.inc_by_route_requests_total_with_exemplar("/a", 1, &Exemplar::new("route"))?;
            self.inc_by_route_work_seconds_total_with_exemplar(
                "/a",
                0.25,
                &Exemplar::new("work").span_id("s1"),
            )?;
            self.inc_by_model_requests_total_with_exemplar(&llama, 1, &Exemplar::new("model"))?;
            self.inc_by_model_tokens_total_with_exemplar(&llama, 12.0, &Exemplar::new("tokens"))?;
        } else {
            self.requests_total.inc_by(2);
            self.inc_by_route_requests_total("/a", 1)?;
            self.inc_by_route_work_seconds_total("/a", 0.25)?;
            self.inc_by_model_requests_total(&llama, 1)?;
            self.inc_by_model_tokens_total(&llama, 12.0)?;
        }
        self.inc_route_requests_total("/b")?;
        Ok(())
    }
}

#[test]
fn counters_keep_their_latest_exemplar_in_openmetrics_only() -> Result<(), Error> {
    use metric_group::{Exemplar, IncExemplar};
    let with = Registry::new();
    let requests = Requests::new()?;
    requests.register(&with)?;
    requests.traffic(true)?;
    // The latest exemplar of a series is the one kept; a series resolved
    // by the helpers takes one through the trait.
    requests.inc_by_requests_total_with_exemplar(1, &Exemplar::new("latest"))?;
    requests
        .route_requests_total_with_labels("/b")?
        .inc_by_with_exemplar(1, &Exemplar::new("handle"))?;
    let without = Registry::new();
    let plain = Requests::new()?;
    plain.register(&without)?;
    plain.traffic(false)?;
    plain.requests_total.inc();
    plain.route_requests_total_with_labels("/b")?.inc();

    let openmetrics = exemplars_only_in_openmetrics(
        &with,
        &without,
        &[
            "svc_requests_total 3 # {trace_id=\"latest\"} 1 ",
            "svc_route_requests_total{route=\"/a\"} 1 # {trace_id=\"route\"} 1 ",
            "svc_route_requests_total{route=\"/b\"} 2 # {trace_id=\"handle\"} 1 ",
            "svc_route_work_seconds_total{route=\"/a\"} 0.25 # {trace_id=\"work\",span_id=\"s1\"} 0.25 ",
            "svc_model_requests_total{model=\"llama\"} 1 # {trace_id=\"model\"} 1 ",
            "svc_model_tokens_total{model=\"llama\"} 12 # {trace_id=\"tokens\"} 12 ",
        ],
    )?;
    if let Some(mut traces) = parsed_trace_ids(&openmetrics) {
        traces.sort_unstable();
        assert_eq!(
            traces,
            ["handle", "latest", "model", "route", "tokens", "work"]
        );
    }

    // Refused, nothing recorded: a float increment a counter cannot add,
    // an exemplar too long, a counter no group exposes.
    common::assert_err!(
        requests.inc_by_route_work_seconds_total_with_exemplar("/a", -1.0, &Exemplar::new("neg")),
        Error::InvalidValue { metric, .. } => assert_eq!(metric, "svc_route_work_seconds_total")
    );
    let long = "x".repeat(200);
    common::assert_err!(
        requests.inc_by_model_requests_total_with_exemplar(&Model { model: "llama" }, 1, &Exemplar::new(&long)),
        Error::InvalidExemplar { metric, .. } => assert_eq!(metric, "svc_model_requests_total")
    );
    common::assert_err!(
        requests.inc_by_requests_total_with_exemplar(1, &Exemplar::new("")),
        Error::InvalidExemplar { metric, .. } => assert_eq!(metric, "svc_requests_total")
    );
    assert_eq!(requests.requests_total.get(), 3);
    let by_hand = IntCounter::new("by_hand_total", "made by hand")
        .map_err(|source| Error::Encode { source })?;
    common::assert_err!(
        by_hand.inc_by_with_exemplar(1, &Exemplar::new("lost")),
        Error::InvalidExemplar { metric, reason } => {
            assert_eq!(metric, "by_hand_total");
            assert!(reason.contains("not one a metric group exposes"), "{reason}");
        }
    );
    assert_eq!(by_hand.get(), 0);

    // The plain and `*Vec` counters' exemplars go with the group (a
    // `Family` holds its own, in its series).
    drop(requests);
    let after = metric_group::encode_openmetrics(&with)?;
    for gone in ["latest", "route", "handle", "work"] {
        assert!(!after.contains(&format!("trace_id=\"{gone}\"")), "{after}");
    }
    Ok(())
}

/// Kills the process when the test ends, passing or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_router_examples_exemplars_reach_a_real_prometheus() {
    use common::real_prometheus::{free_port, get, installed, url_encoded, Prometheus};
    use std::process::{Command, Stdio};
    if installed().is_none() {
        return;
    }
    let router_port = free_port();
    let _router = Killed(
        Command::new(common::example_binary("router"))
            .args(["--port", &router_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the router example starts"),
    );
    common::wait_until("the router to serve /metrics", || {
        get(router_port, "/metrics")
            .ok()
            .filter(|(status, _)| *status == 200)
    });
    let prometheus = Prometheus::start_with(
        "exemplars",
        &format!(
            "global:\n  scrape_interval: 1s\n\
             scrape_configs:\n  - job_name: router\n    static_configs:\n      - targets: [\"127.0.0.1:{router_port}\"]\n"
        ),
        &["--enable-feature=exemplar-storage"],
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    for family in [
        "dynamo_component_router_time_to_first_token_seconds_bucket",
        "dynamo_component_router_inter_token_latency_seconds_bucket",
    ] {
        let path = format!(
            "/api/v1/query_exemplars?query={}&start={}&end={}",
            url_encoded(family),
            now - 600,
            now + 600
        );
        let stored = prometheus.wait_for(&format!("exemplars of {family}"), || {
            let data = prometheus.api(&path).ok()?;
            let series = data.as_array()?.clone();
            (!series.is_empty()).then_some(series)
        });
        let mut seen = 0;
        for series in &stored {
            let le: f64 = match series["seriesLabels"]["le"].as_str() {
                Some("+Inf") => f64::INFINITY,
                Some(bound) => bound.parse().expect("a bound"),
                None => panic!("a bucket series without le: {series}"),
            };
            for exemplar in series["exemplars"].as_array().expect("exemplars") {
                let trace = exemplar["labels"]["trace_id"].as_str().expect("a trace id");
                // The example's trace ids: its first router (worker ids from
                // 1000 = 0x3e8), then the request's number.
                assert!(
                    trace.len() == 32
                        && trace.starts_with("00000000000003e8")
                        && trace.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{trace} in {series}"
                );
                let value: f64 = exemplar["value"]
                    .as_str()
                    .and_then(|value| value.parse().ok())
                    .expect("a value");
                assert!(value <= le, "{value} stored for the bucket le={le}");
                seen += 1;
            }
        }
        assert!(seen > 0, "{stored:?}");
    }
}
