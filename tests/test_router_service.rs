//! The `router_service` example: nine groups of an LLM router service, two
//! routers in one process, prefixes configured at start-up, declared without
//! hand-written registration. Its `--once` exposition is checked here, and its
//! declarations are included to check what the exposition cannot show.

mod common;

#[path = "../examples/router_service/metrics.rs"]
#[allow(dead_code)] // the simulation, not this test, uses most of the module
mod metrics;

use std::collections::BTreeMap;
use std::process::{Command, Output};

use metric_group::catalog::GroupDescriptor;
use metric_group::prometheus::Registry;
use metric_group::{encode_text, Error, MetricGroup};

use metrics::{
    BackpressureMetrics, FrontendMetrics, KvCacheMetrics, ModelLoadingMetrics, PolicyClass,
    RouterMetrics, RoutingOverheadMetrics, SchedulerQueueMetrics, TokenStreamingMetrics,
    WorkerDiscoveryMetrics, WorkerLoadMetrics, WorkerType,
};

/// The nine groups, in the order of the declarations.
const GROUPS: [&GroupDescriptor; 9] = [
    FrontendMetrics::GROUP,
    SchedulerQueueMetrics::GROUP,
    WorkerLoadMetrics::GROUP,
    RoutingOverheadMetrics::GROUP,
    KvCacheMetrics::GROUP,
    BackpressureMetrics::GROUP,
    TokenStreamingMetrics::GROUP,
    WorkerDiscoveryMetrics::GROUP,
    ModelLoadingMetrics::GROUP,
];

/// The groups with one instance per router.
const PER_ROUTER: [&GroupDescriptor; 5] = [
    FrontendMetrics::GROUP,
    SchedulerQueueMetrics::GROUP,
    RoutingOverheadMetrics::GROUP,
    BackpressureMetrics::GROUP,
    TokenStreamingMetrics::GROUP,
];

const PREFIX_VAR: &str = "ROUTER_METRICS_PREFIX";

/// `router_service --once` with `args`, and `ROUTER_METRICS_PREFIX` set to
/// `env_prefix` or unset.
fn run(args: &[&str], env_prefix: Option<&str>) -> Output {
    let mut command = Command::new(common::example_binary("router_service"));
    command.arg("--once").args(args).env_remove(PREFIX_VAR);
    if let Some(prefix) = env_prefix {
        command.env(PREFIX_VAR, prefix);
    }
    command.output().expect("router_service runs")
}

fn exposition_of(output: Output) -> String {
    assert!(
        output.status.success(),
        "router_service --once failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 exposition")
}

fn run_once() -> String {
    exposition_of(run(&[], None))
}

/// The error a run refused at start-up printed; it printed no exposition.
fn refusal_of(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    String::from_utf8(output.stderr).expect("UTF-8 error")
}

/// The exposition's families: name to its sample lines. Panics on a family
/// described twice.
fn families(exposition: &str) -> BTreeMap<String, Vec<String>> {
    let mut families = BTreeMap::new();
    let mut current = None;
    for line in exposition.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split(' ').next().expect("a name").to_owned();
            assert!(
                families.insert(name.clone(), Vec::new()).is_none(),
                "family {name} described twice"
            );
            current = Some(name);
        } else if !line.starts_with('#') {
            let name = current.as_ref().expect("a sample after its # TYPE");
            families
                .get_mut(name)
                .expect("started")
                .push(line.to_owned());
        }
    }
    families
}

#[test]
fn every_family_of_the_nine_groups_is_exposed_once() {
    let families = families(&run_once());
    let declared: Vec<String> = GROUPS
        .iter()
        .flat_map(|group| group.metrics.iter().map(|metric| group.full_name(metric)))
        .collect();
    assert_eq!(declared.len(), 27);
    for name in &declared {
        let samples = families
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(!samples.is_empty(), "{name} has no series");
    }
    assert_eq!(families.len(), declared.len(), "{:?}", families.keys());
}

#[test]
fn both_routers_share_each_family_of_the_per_router_groups() {
    let families = families(&run_once());
    let mut per_router = Vec::new();
    for group in PER_ROUTER {
        assert_eq!(group.const_labels, ["router_id"], "{}", group.name);
        for metric in group.metrics {
            let name = group.full_name(metric);
            per_router.push(name.clone());
            for router in ["prefill", "decode"] {
                let label = format!("router_id=\"{router}\"");
                assert!(
                    families[&name].iter().any(|line| line.contains(&label)),
                    "{name} has no series of router {router}"
                );
            }
        }
    }
    // The shared groups have no router label.
    for (name, samples) in families.iter().filter(|(n, _)| !per_router.contains(n)) {
        assert!(
            samples.iter().all(|line| !line.contains("router_id=")),
            "{name}"
        );
    }
}

#[test]
fn the_four_backpressure_reasons_are_one_family() {
    let families = families(&run_once());
    assert_eq!(BackpressureMetrics::GROUP.metrics.len(), 1);
    let samples = &families["router_backpressure_total"];
    for reason in [
        "request_limit",
        "do_not_queue",
        "queue_full",
        "worker_overloaded",
    ] {
        for router in ["prefill", "decode"] {
            let labels = format!("reason=\"{reason}\",router_id=\"{router}\"");
            assert!(
                samples.iter().any(|line| line.contains(&labels)),
                "no {labels} in {samples:#?}"
            );
        }
    }
    assert!(samples.iter().all(|line| line.contains(",reason=\"")));
}

#[test]
fn the_nested_group_joins_the_frontend_behind_its_prefix() {
    let frontend = FrontendMetrics::GROUP;
    let fields: Vec<&str> = frontend.metrics.iter().map(|m| m.field).collect();
    assert_eq!(
        fields,
        ["http.requests", "http.request_duration", "inflight"]
    );
    let families = families(&run_once());
    for name in [
        "router_frontend_http_requests_total",
        "router_frontend_http_request_duration_seconds",
    ] {
        // Labelled with the frontend's router ids like its own metrics.
        for router in ["prefill", "decode"] {
            let label = format!("router_id=\"{router}\"");
            assert!(families[name].iter().any(|l| l.contains(&label)), "{name}");
        }
    }
    assert!(!families.contains_key("http_requests_total"));
}

#[test]
fn the_environment_renames_the_backpressure_family_and_nothing_else() {
    let plain = run_once();
    let renamed = exposition_of(run(&[], Some("llm_router")));
    assert!(renamed.contains("# TYPE llm_router_backpressure_total counter"));
    assert_eq!(
        renamed.replace("llm_router_backpressure_total", "router_backpressure_total"),
        plain
    );
    // Empty: the declared default.
    assert_eq!(exposition_of(run(&[], Some(""))), plain);
    if let Some(problems) = common::promtool_problems(&renamed) {
        assert_eq!(
            problems,
            common::promtool_problems(&plain).unwrap_or_default()
        );
    }
}

#[test]
fn an_invalid_prefix_in_the_environment_stops_the_service() {
    let error = refusal_of(run(&[], Some("9lives")));
    assert!(
        error.contains("invalid name for metric `9lives_backpressure_total`"),
        "{error}"
    );
    // A prefix promtool would flag is refused by the same rules as a declared one.
    let error = refusal_of(run(&[], Some("router_ms")));
    assert!(
        error.contains("`router_ms_backpressure_total`: promtool lint `unit_abbreviation`"),
        "{error}"
    );
}

#[test]
fn a_configured_prefix_renames_the_model_loading_group() {
    let plain = run_once();
    let configured = exposition_of(run(&["--model-metrics-prefix", "serving_model"], None));
    assert!(configured.contains("# TYPE serving_model_loaded_models gauge"));
    // The same families and series under the configured names (sorted
    // elsewhere in the scrape: compared by name).
    assert_eq!(
        families(&configured.replace("serving_model_", "router_model_")),
        families(&plain)
    );
    let error = refusal_of(run(&["--model-metrics-prefix", "serving-model"], None));
    assert!(
        error.contains("invalid name for metric `serving-model_load_duration_seconds`"),
        "{error}"
    );
}

#[test]
fn an_invalid_configured_prefix_is_an_error_and_registers_nothing() {
    let registry = Registry::new();
    common::assert_err!(
        ModelLoadingMetrics::builder()
            .prefix("model loading")
            .init(&registry),
        Error::InvalidMetricName { metric, rule } => {
            assert_eq!(metric, "model loading_load_duration_seconds");
            assert!(
                rule.contains(&metric_group::rules::NameError::PrefixSyntax.to_string()),
                "{rule}"
            );
        }
    );
    assert!(registry.gather().is_empty());
}

#[test]
fn the_skipped_field_is_not_a_metric() {
    let discovery = WorkerDiscoveryMetrics::GROUP;
    let fields: Vec<&str> = discovery.metrics.iter().map(|m| m.field).collect();
    assert_eq!(fields, ["workers", "events"]);
    // The joined and left workers it keeps drive the gauge.
    let families = families(&run_once());
    assert_eq!(
        families["router_discovery_workers"],
        [
            "router_discovery_workers{worker_type=\"decode\"} 3",
            "router_discovery_workers{worker_type=\"prefill\"} 3"
        ]
    );
}

#[test]
fn once_is_deterministic() {
    assert_eq!(run_once(), run_once());
}

#[test]
fn promtool_reports_only_the_allowed_lints() {
    let exposition = run_once();
    common::assert_only_allowed_lints(&exposition, &GROUPS);
    // Not vacuous: the overhead histograms' `_ms` names are allowed, and
    // promtool does report them.
    if let Some(problems) = common::promtool_problems(&exposition) {
        assert_eq!(problems.len(), 4, "{problems:#?}");
    }
}

/// What the scheduler queue's handles and helpers record, read back from
/// one registry.
fn scheduler_exposition(
    record: impl FnOnce(&SchedulerQueueMetrics) -> Result<(), Error>,
) -> Result<String, Error> {
    let registry = Registry::new();
    // `new`: a fresh, unmemoised instance per test.
    let scheduler = SchedulerQueueMetrics::new("test")?;
    scheduler.register(&registry)?;
    record(&scheduler)?;
    encode_text(&registry.gather())
}

#[test]
fn bound_handles_record_into_the_helpers_series() -> Result<(), Error> {
    let (model, pool, policy) = ("llama-3-8b", WorkerType::Decode, PolicyClass::Batch);
    let text = scheduler_exposition(|scheduler| {
        let handles = scheduler.bind(model, pool, policy)?;
        handles.enqueued.inc();
        scheduler.inc_enqueued(model, pool, policy)?;
        handles.depth.set(4);
        scheduler.set_depth(model, pool, policy, handles.depth.get() - 1)?;
        handles.wait.observe(0.002);
        scheduler.observe_wait(model, pool, policy, 0.003)?;
        Ok(())
    })?;
    let series =
        "{model=\"llama-3-8b\",policy_class=\"batch\",router_id=\"test\",worker_type=\"decode\"";
    for line in [
        format!("router_scheduler_enqueued_total{series}}} 2"),
        format!("router_scheduler_queue_depth{series}}} 3"),
        format!("router_scheduler_queue_wait_seconds_count{series}}} 2"),
        format!("router_scheduler_queue_wait_seconds_bucket{series},le=\"0.001\"}} 0"),
        format!("router_scheduler_queue_wait_seconds_bucket{series},le=\"0.005\"}} 2"),
    ] {
        assert!(text.contains(&line), "missing {line} in\n{text}");
    }
    // One series per field: the handles made none of their own.
    let enqueued = text
        .lines()
        .filter(|l| l.starts_with("router_scheduler_enqueued_total{"))
        .count();
    assert_eq!(enqueued, 1, "{text}");
    Ok(())
}

#[test]
fn in_the_run_every_queue_balances() {
    // The simulation records the queue only through its bound handles:
    // admitted minus dispatched is what still waits, per series.
    let families = families(&run_once());
    let values = |name: &str| -> BTreeMap<String, i64> {
        families[name]
            .iter()
            .map(|line| {
                let (series, value) = line.rsplit_once(' ').expect("`series value`");
                let labels = &series[series.find('{').expect("labelled")..];
                (labels.to_owned(), value.parse().expect("an integer"))
            })
            .collect()
    };
    let enqueued = values("router_scheduler_enqueued_total");
    let dispatched = values("router_scheduler_dispatched_total");
    let depth = values("router_scheduler_queue_depth");
    assert_eq!(enqueued.len(), 8, "2 routers x 2 models x 2 policy classes");
    for (labels, admitted) in &enqueued {
        assert!(*admitted > 0, "{labels}");
        assert_eq!(admitted - dispatched[labels], depth[labels], "{labels}");
    }
}

#[test]
fn one_instance_per_router_id() -> Result<(), Error> {
    let registry = Registry::new();
    let prefill = RouterMetrics::init(&registry, "prefill")?;
    let decode = RouterMetrics::init(&registry, "decode")?;
    let again = RouterMetrics::init(&registry, "prefill")?;
    assert!(std::sync::Arc::ptr_eq(&prefill.frontend, &again.frontend));
    assert!(std::sync::Arc::ptr_eq(&prefill.scheduler, &again.scheduler));
    assert!(!std::sync::Arc::ptr_eq(&prefill.frontend, &decode.frontend));
    assert!(!std::sync::Arc::ptr_eq(
        &prefill.backpressure,
        &decode.backpressure
    ));
    prefill
        .frontend
        .http
        .inc_requests("m", "chat", metrics::Status::Ok)?;
    decode
        .frontend
        .http
        .inc_requests("m", "chat", metrics::Status::Ok)?;
    let text = encode_text(&registry.gather())?;
    let families = families(&text);
    assert_eq!(
        families["router_frontend_http_requests_total"],
        [
            "router_frontend_http_requests_total{endpoint=\"chat\",model=\"m\",router_id=\"decode\",status=\"ok\"} 1",
            "router_frontend_http_requests_total{endpoint=\"chat\",model=\"m\",router_id=\"prefill\",status=\"ok\"} 1",
        ]
    );
    Ok(())
}
