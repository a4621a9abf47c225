//! The router's Grafana dashboard and recording rules: checked in and
//! current, accepted by promtool, and — against a real Prometheus scraping
//! the `router` example — every panel query, template variable and rule
//! answers with data.

mod common;

use common::real_prometheus::{free_port, get, scratch_dir, url_encoded};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use metric_group::catalog::{
    rules_to_yaml, Catalog, DashboardOptions, MetricChoices, RuleGroup, GRAFANA_SCHEMA_VERSION,
};
use metric_group::MetricGroup;
use metric_group_router::{RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics};
use serde_json::Value;

/// The Prometheus server's scrape and rule evaluation interval.
const SCRAPE_SECONDS: u64 = 1;
/// Grafana's `$__rate_interval` for an instant query: four scrape intervals.
const RATE_INTERVAL: &str = "4s";
/// Bound on each wait for the processes the test starts: the hang guard.
const WAIT_LIMIT: Duration = common::HANG_GUARD;

fn router_catalog() -> Catalog {
    // Naming the groups keeps their catalog entries linked in.
    let _ = [
        WorkerLoadMetrics::GROUP,
        RoutingOverheadMetrics::GROUP,
        RouterRequestMetrics::GROUP,
    ];
    metric_group::catalog().within("metric_group_router")
}

fn dashboard() -> Value {
    router_catalog()
        .to_grafana_dashboard("router", &DashboardOptions::default())
        .expect("default choices render")
}

fn rules() -> Vec<RuleGroup> {
    router_catalog()
        .recording_rules(&DashboardOptions::default())
        .expect("default choices render")
}

fn panels(dashboard: &Value) -> Vec<&Value> {
    dashboard["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .filter(|panel| panel["type"] != "row")
        .collect()
}

fn panel_queries(dashboard: &Value) -> Vec<String> {
    panels(dashboard)
        .iter()
        .flat_map(|panel| panel["targets"].as_array().expect("targets"))
        .map(|target| target["expr"].as_str().expect("expr").to_owned())
        .collect()
}

fn docs_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(file)
}

#[test]
fn docs_dashboard_is_current() {
    let expected = format!("{:#}\n", dashboard());
    let actual = std::fs::read_to_string(docs_path("router-dashboard.json")).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/router-dashboard.json is stale: regenerate it with `cargo run --example catalog -- --format grafana > docs/router-dashboard.json`"
    );
}

#[test]
fn docs_rules_are_current() {
    let expected = rules_to_yaml(&rules());
    let actual = std::fs::read_to_string(docs_path("router-rules.yml")).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/router-rules.yml is stale: regenerate it with `cargo run --example catalog -- --format rules > docs/router-rules.yml`"
    );
}

#[test]
fn dashboard_has_a_row_per_group_and_the_documented_schema() {
    let dashboard = dashboard();
    assert_eq!(dashboard["schemaVersion"], GRAFANA_SCHEMA_VERSION);
    let rows: Vec<&str> = dashboard["panels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|panel| panel["type"] == "row")
        .map(|row| row["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        rows,
        [
            "RouterRequestMetrics",
            "RoutingOverheadMetrics",
            "WorkerLoadMetrics"
        ]
    );
    let variables: Vec<&str> = dashboard["templating"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variable| variable["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        variables,
        [
            "datasource",
            "dynamo_namespace",
            "dynamo_component",
            "router_id"
        ]
    );
    let ids: BTreeSet<u64> = dashboard["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|panel| panel["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids.len(), dashboard["panels"].as_array().unwrap().len());
    let unit_of = |title: &str| {
        panels(&dashboard)
            .into_iter()
            .find(|panel| panel["title"] == title)
            .map(|panel| panel["fieldConfig"]["defaults"]["unit"].clone())
            .expect(title)
    };
    assert_eq!(unit_of("Time to first token observed at the router"), "s");
    assert_eq!(
        unit_of("Total routing overhead per request in milliseconds"),
        "ms"
    );
    assert_eq!(
        unit_of("Total number of requests processed by the router"),
        "cps"
    );
    // Latency quantiles show their exemplars (the router records a trace
    // id with each time to first token and inter-token latency); means,
    // rates and gauges ask for none.
    let exemplar_queries = |title: &str| -> Vec<bool> {
        panels(&dashboard)
            .into_iter()
            .find(|panel| panel["title"] == title)
            .expect(title)["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|target| target["exemplar"] == true)
            .collect()
    };
    for title in [
        "Time to first token observed at the router",
        "Average inter-token latency observed at the router",
    ] {
        assert_eq!(
            exemplar_queries(title),
            [true, true, true, false],
            "{title}"
        );
    }
    assert_eq!(
        exemplar_queries("Total number of requests processed by the router"),
        [false]
    );
}

/// The families the `router` example serves, from its `--once` exposition.
fn served_families() -> Vec<String> {
    let output = Command::new(common::example_binary("router"))
        .arg("--once")
        .output()
        .expect("router --once runs");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .map(|rest| rest.split(' ').next().unwrap().to_owned())
        .collect()
}

/// Whether `query` selects `family`'s series (the name itself or a
/// histogram's `_bucket`, `_sum`, `_count`), not merely a longer name.
fn selects(query: &str, family: &str) -> bool {
    query.match_indices(family).any(|(at, _)| {
        let rest = &query[at + family.len()..];
        let rest = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| rest.strip_prefix(suffix))
            .unwrap_or(rest);
        let before = query[..at].chars().next_back();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            && !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    })
}

#[test]
fn every_served_family_has_a_panel() {
    let families = served_families();
    assert_eq!(families.len(), 13, "{families:?}");
    let queries = panel_queries(&dashboard());
    for family in &families {
        assert!(
            queries.iter().any(|query| selects(query, family)),
            "no panel draws `{family}`"
        );
    }
}

#[test]
fn panels_state_each_metrics_bounds_and_the_dashboard_the_worst_case() {
    let catalog = router_catalog();
    let dashboard = dashboard();
    let panels = panels(&dashboard);
    let mut shown = 0;
    for group in catalog.groups() {
        for metric in group.metrics {
            let name = format!("`{}`", group.full_name(metric));
            let panel = panels
                .iter()
                .find(|panel| panel["description"].as_str().unwrap().contains(&name))
                .unwrap_or_else(|| panic!("no panel for {name}"));
            let description = panel["description"].as_str().unwrap();
            let bound = format!("At most {} series per instance", metric.series_at_most());
            assert!(description.contains(&bound), "{description}");
            assert_eq!(
                description.contains("expires"),
                metric.expire_after.is_some(),
                "{description}"
            );
            shown += metric.series_at_most();
        }
    }
    let description = dashboard["description"].as_str().unwrap();
    assert_eq!(shown, catalog.series_at_most());
    assert!(
        description.contains(&format!("at most {shown} series")),
        "{description}"
    );
}

#[test]
fn choices_skip_metrics_and_set_quantiles() {
    let catalog = router_catalog();
    let mut options = DashboardOptions::default();
    options.metrics.insert(
        "dynamo_router_overhead_total_ms".to_owned(),
        MetricChoices {
            skip: true,
            quantiles: None,
        },
    );
    options.metrics.insert(
        "dynamo_component_router_kv_hit_rate".to_owned(),
        MetricChoices {
            skip: false,
            quantiles: Some(vec![0.25, 0.75]),
        },
    );
    let dashboard = catalog.to_grafana_dashboard("router", &options).unwrap();
    let queries = panel_queries(&dashboard);
    assert!(!queries
        .iter()
        .any(|q| selects(q, "dynamo_router_overhead_total_ms")));
    let hit_rate: Vec<&String> = queries
        .iter()
        .filter(|q| selects(q, "dynamo_component_router_kv_hit_rate"))
        .collect();
    assert_eq!(hit_rate.len(), 3, "two quantiles and the mean");
    assert!(hit_rate[0].starts_with("histogram_quantile(0.25, "));
    assert!(hit_rate[1].starts_with("histogram_quantile(0.75, "));

    let groups = catalog.recording_rules(&options).unwrap();
    let records: Vec<&str> = groups
        .iter()
        .flat_map(|g| &g.rules)
        .map(|r| r.record.as_str())
        .collect();
    assert!(!records
        .iter()
        .any(|r| r.contains(":dynamo_router_overhead_total_ms:")));
    assert_eq!(
        records
            .iter()
            .filter(|r| r.contains(":dynamo_component_router_kv_hit_rate:"))
            .count(),
        3
    );
}

#[test]
fn bad_choices_are_errors_naming_what_they_are_about() {
    let catalog = router_catalog();
    let with = |name: &str, choices: MetricChoices| {
        let mut options = DashboardOptions::default();
        options.metrics.insert(name.to_owned(), choices);
        options
    };
    let cases = [
        (
            with("dynamo_router_overhead_totl_ms", MetricChoices::default()),
            "dashboard choice for `dynamo_router_overhead_totl_ms`: no metric of the catalog has this name",
        ),
        (
            with(
                "dynamo_router_overhead_total_ms",
                MetricChoices {
                    skip: false,
                    quantiles: Some(vec![0.5, 1.0]),
                },
            ),
            "dashboard choice for `dynamo_router_overhead_total_ms`: quantile 1 is not strictly between 0 and 1",
        ),
        (
            with(
                "dynamo_component_router_requests_total",
                MetricChoices {
                    skip: false,
                    quantiles: Some(vec![0.5]),
                },
            ),
            "dashboard choice for `dynamo_component_router_requests_total`: quantiles are only drawn for histograms",
        ),
        (
            DashboardOptions {
                rule_window: "5 minutes".to_owned(),
                ..DashboardOptions::default()
            },
            "dashboard choice for `rule_window`: `5 minutes` is not a Prometheus duration such as `5m` or `1h30m`",
        ),
        (
            DashboardOptions {
                quantiles: vec![],
                ..DashboardOptions::default()
            },
            "dashboard choice for `quantiles`: no quantiles given",
        ),
    ];
    for (options, message) in cases {
        let dashboard = catalog.to_grafana_dashboard("router", &options);
        assert_eq!(dashboard.unwrap_err().to_string(), message);
        let rules = catalog.recording_rules(&options);
        assert_eq!(rules.unwrap_err().to_string(), message);
    }
}

/// `None` (with a notice) when `tool` is not installed, unless under CI,
/// where a missing tool fails the test.
fn installed(tool: &str) -> Option<()> {
    common::tool_installed(tool)
}

#[test]
fn promtool_accepts_the_rules() {
    if installed("promtool").is_none() {
        return;
    }
    let scratch = Scratch::new("promtool");
    let generated = scratch.dir.join("rules.yml");
    std::fs::write(&generated, rules_to_yaml(&rules())).unwrap();
    for file in [generated, docs_path("router-rules.yml")] {
        let output = Command::new("promtool")
            .arg("check")
            .arg("rules")
            .arg(&file)
            .output()
            .expect("promtool runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: {text}", file.display());
        let count: usize = rules().iter().map(|g| g.rules.len()).sum();
        assert!(
            text.contains(&format!("SUCCESS: {count} rules found")),
            "{text}"
        );
    }
}

// ---- against a real Prometheus ----

/// A temporary directory and the processes started for one test, removed
/// and killed when the test ends, passing or not.
struct Scratch {
    dir: PathBuf,
    children: Vec<Child>,
}

impl Scratch {
    fn new(purpose: &str) -> Self {
        Scratch {
            dir: scratch_dir(purpose),
            children: Vec::new(),
        }
    }

    fn spawn(&mut self, command: &mut Command) -> &mut Child {
        let child = command.spawn().expect("process starts");
        self.children.push(child);
        self.children.last_mut().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Polls `probe` until it gives a value; fails naming `what` after
/// [`WAIT_LIMIT`], with `log` (the server's output) for context.
fn wait_for<T>(what: &str, log: &Path, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT_LIMIT;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("gave up waiting for {what} after {WAIT_LIMIT:?}\n{log}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A Prometheus API answer's `data`, or why there is none.
fn api(port: u16, path: &str) -> Result<Value, String> {
    let (status, body) = get(port, path).map_err(|e| format!("GET {path}: {e}"))?;
    let answer: Value =
        serde_json::from_str(&body).map_err(|e| format!("GET {path}: {status} {e}: {body}"))?;
    if answer["status"] != "success" {
        return Err(format!("GET {path}: {status} {answer}"));
    }
    Ok(answer["data"].clone())
}

/// An instant query's result vector.
fn query(port: u16, promql: &str) -> Result<Vec<Value>, String> {
    let data = api(
        port,
        &format!("/api/v1/query?query={}", url_encoded(promql)),
    )?;
    match data["result"].as_array() {
        Some(result) => Ok(result.clone()),
        None => Err(format!("`{promql}`: not a vector: {data}")),
    }
}

/// Whether every sample of a result is a number (histogram_quantile and a
/// mean give NaN while the range holds no observation).
fn all_numbers(result: &[Value]) -> bool {
    result.iter().all(|sample| {
        sample["value"][1]
            .as_str()
            .and_then(|v| v.parse::<f64>().ok())
            .is_some_and(|v| !v.is_nan())
    })
}

/// Escapes a label value for a `=~` matcher.
fn regex_escaped(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push_str("\\\\");
        }
        out.push(c);
    }
    out
}

/// `label_values(selector, label)`, as the dashboard writes its variables.
fn label_values_parts(definition: &str) -> (&str, &str) {
    let inner = definition
        .strip_prefix("label_values(")
        .and_then(|rest| rest.strip_suffix(')'))
        .expect("label_values(selector, label)");
    let (selector, label) = inner.rsplit_once(", ").expect("two arguments");
    (selector, label)
}

fn substituted(text: &str, variables: &[(String, String)]) -> String {
    let mut text = text.replace("$__rate_interval", RATE_INTERVAL);
    // Longest first, so that no variable's name eats another's prefix.
    let mut variables = variables.to_vec();
    variables.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    for (name, value) in &variables {
        text = text.replace(&format!("${name}"), value);
    }
    text
}

#[test]
fn every_query_and_rule_answers_from_a_real_prometheus() {
    if installed("prometheus").is_none() {
        return;
    }
    let router = common::example_binary("router");
    let dashboard = dashboard();
    let rule_groups = rules();
    let mut scratch = Scratch::new("dashboards");
    let log = scratch.dir.join("prometheus.log");

    let router_port = free_port();
    scratch.spawn(
        Command::new(&router)
            .args(["--port", &router_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    wait_for("the router to serve /metrics", &log, || {
        get(router_port, "/metrics")
            .ok()
            .filter(|(status, _)| *status == 200)
    });

    std::fs::write(scratch.dir.join("rules.yml"), rules_to_yaml(&rule_groups)).unwrap();
    std::fs::write(
        scratch.dir.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: {SCRAPE_SECONDS}s\n  evaluation_interval: {SCRAPE_SECONDS}s\n\
             rule_files:\n  - rules.yml\n\
             scrape_configs:\n  - job_name: router\n    static_configs:\n      - targets: [\"127.0.0.1:{router_port}\"]\n"
        ),
    )
    .unwrap();
    let prometheus_port = free_port();
    let log_file = std::fs::File::create(&log).unwrap();
    scratch.spawn(
        Command::new("prometheus")
            .arg(format!(
                "--config.file={}",
                scratch.dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                scratch.dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{prometheus_port}"))
            .stdout(Stdio::null())
            .stderr(log_file),
    );
    wait_for("Prometheus to be ready", &log, || {
        get(prometheus_port, "/-/ready")
            .ok()
            .filter(|(status, _)| *status == 200)
    });

    // Every rule loaded and evaluated without error.
    let rule_count: usize = rule_groups.iter().map(|g| g.rules.len()).sum();
    wait_for("every rule to evaluate healthy", &log, || {
        let data = api(prometheus_port, "/api/v1/rules").ok()?;
        let loaded: Vec<&Value> = data["groups"]
            .as_array()?
            .iter()
            .flat_map(|g| g["rules"].as_array().into_iter().flatten())
            .collect();
        if loaded.is_empty() {
            return None;
        }
        assert_eq!(loaded.len(), rule_count, "Prometheus loaded other rules");
        if let Some(bad) = loaded.iter().find(|r| r["health"] == "err") {
            panic!("a rule fails in Prometheus: {bad}");
        }
        loaded.iter().all(|r| r["health"] == "ok").then_some(())
    });

    // The template variables, in order, each narrowed by those before it.
    let mut variables: Vec<(String, String)> = Vec::new();
    for variable in dashboard["templating"]["list"].as_array().unwrap() {
        if variable["type"] != "query" {
            continue;
        }
        let name = variable["name"].as_str().unwrap();
        let definition = variable["definition"].as_str().unwrap();
        let (selector, label) = label_values_parts(definition);
        let selector = substituted(selector, &variables);
        let path = format!("/api/v1/series?match[]={}", url_encoded(&selector));
        let value = wait_for(&format!("values of `{name}`"), &log, || {
            let series = api(prometheus_port, &path).unwrap_or_else(|e| panic!("{e}"));
            let mut values: Vec<&str> = series
                .as_array()?
                .iter()
                .filter_map(|s| s[label].as_str())
                .collect();
            values.sort_unstable();
            values.first().map(|v| regex_escaped(v))
        });
        variables.push((name.to_owned(), value));
    }

    // Every panel query and rule expression: no error, and data.
    let mut expressions: Vec<String> = panel_queries(&dashboard)
        .iter()
        .map(|q| substituted(q, &variables))
        .collect();
    expressions.extend(
        rule_groups
            .iter()
            .flat_map(|g| &g.rules)
            .map(|r| r.expr.clone()),
    );
    // And what the rules recorded.
    expressions.extend(rule_groups.iter().flat_map(|g| &g.rules).map(|rule| {
        let labels: String = rule
            .labels
            .iter()
            .map(|(name, value)| format!(",{name}=\"{value}\""))
            .collect();
        format!("{{__name__=\"{}\"{labels}}}", rule.record)
    }));
    for expression in &expressions {
        wait_for(&format!("data for `{expression}`"), &log, || {
            let result = query(prometheus_port, expression).unwrap_or_else(|e| panic!("{e}"));
            (!result.is_empty() && all_numbers(&result)).then_some(())
        });
    }
    eprintln!(
        "evaluated {} expressions and {} template variables against Prometheus",
        expressions.len(),
        variables.len()
    );
}
