//! Lists every metric group linked into this binary — here the three router
//! groups — as Markdown tables or JSON.
//!
//! ```text
//! cargo run --example catalog -- --format markdown > docs/metrics.md
//! cargo run --example catalog -- --format json
//! ```

use std::process::ExitCode;

use metric_group::router::{RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics};
use metric_group::MetricGroup;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let format = match args.as_slice() {
        [] => "markdown",
        [flag, format] if flag == "--format" => format.as_str(),
        _ => {
            eprintln!("usage: catalog [--format markdown|json]");
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
        other => {
            eprintln!("unknown format `{other}`: expected `markdown` or `json`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
