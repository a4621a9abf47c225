//! Lists every metric group linked into this binary — here the three router
//! groups — as Markdown tables or JSON, or renders them as the router's
//! Grafana dashboard or Prometheus recording rules.
//!
//! ```text
//! cargo run --example catalog -- --format markdown > docs/metrics.md
//! cargo run --example catalog -- --format json
//! cargo run --example catalog -- --format grafana > docs/router-dashboard.json
//! cargo run --example catalog -- --format rules > docs/router-rules.yml
//! ```

use std::process::ExitCode;

use metric_group::catalog::{rules_to_yaml, DashboardOptions};
use metric_group::MetricGroup;
use metric_group_router::{RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let format = match args.as_slice() {
        [] => "markdown",
        [flag, format] if flag == "--format" => format.as_str(),
        _ => {
            eprintln!("usage: catalog [--format markdown|json|grafana|rules]");
            return ExitCode::from(2);
        }
    };
    // Naming the router groups keeps their catalog entries linked in.
    let _ = [
        WorkerLoadMetrics::GROUP,
        RoutingOverheadMetrics::GROUP,
        RouterRequestMetrics::GROUP,
    ];
    let catalog = metric_group::catalog();
    if let Err(conflicts) = catalog.check_unique() {
        for conflict in conflicts {
            eprintln!("catalog: {conflict}");
        }
        return ExitCode::FAILURE;
    }
    match format {
        "markdown" => print!("{}", catalog.to_markdown()),
        "json" => print!("{}", catalog.to_json()),
        "grafana" | "rules" => {
            // The router's dashboard and rules: its groups only (the
            // catalog also holds the library's self-metrics).
            let catalog = catalog.within("metric_group_router");
            let options = DashboardOptions::default();
            let rendered = if format == "grafana" {
                catalog
                    .to_grafana_dashboard("router", &options)
                    .map(|dashboard| format!("{dashboard:#}\n"))
            } else {
                catalog
                    .recording_rules(&options)
                    .map(|groups| rules_to_yaml(&groups))
            };
            match rendered {
                Ok(text) => print!("{text}"),
                Err(error) => {
                    eprintln!("catalog: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        other => {
            eprintln!(
                "unknown format `{other}`: expected `markdown`, `json`, `grafana` or `rules`"
            );
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
