//! The `router` example's `--once` run: the main job's output.

mod common;

use std::process::Command;

fn run_once() -> String {
    run_once_with(&[])
}

fn run_once_with(extra_args: &[&str]) -> String {
    let output = Command::new(common::example_binary("router"))
        .arg("--once")
        .args(extra_args)
        .output()
        .expect("router runs");
    assert!(
        output.status.success(),
        "router --once failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 exposition")
}

const FAMILIES: [(&str, &str, &str); 13] = [
    (
        "dynamo_component_router_input_sequence_tokens",
        "histogram",
        "Input sequence length in tokens observed at the router",
    ),
    (
        "dynamo_component_router_inter_token_latency_seconds",
        "histogram",
        "Average inter-token latency observed at the router",
    ),
    (
        "dynamo_component_router_kv_hit_rate",
        "histogram",
        "Predicted KV cache hit rate at routing time (0.0-1.0)",
    ),
    (
        "dynamo_component_router_output_sequence_tokens",
        "histogram",
        "Output sequence length in tokens observed at the router",
    ),
    (
        "dynamo_component_router_requests_total",
        "counter",
        "Total number of requests processed by the router",
    ),
    (
        "dynamo_component_router_time_to_first_token_seconds",
        "histogram",
        "Time to first token observed at the router",
    ),
    (
        "dynamo_frontend_worker_active_decode_blocks",
        "gauge",
        "Active KV cache decode blocks per worker",
    ),
    (
        "dynamo_frontend_worker_active_prefill_tokens",
        "gauge",
        "Active prefill tokens queued per worker",
    ),
    (
        "dynamo_router_overhead_block_hashing_ms",
        "histogram",
        "Time spent computing block hashes in milliseconds",
    ),
    (
        "dynamo_router_overhead_indexer_find_matches_ms",
        "histogram",
        "Time spent in indexer find_matches in milliseconds",
    ),
    (
        "dynamo_router_overhead_scheduling_ms",
        "histogram",
        "Time spent in scheduler worker selection in milliseconds",
    ),
    (
        "dynamo_router_overhead_seq_hashing_ms",
        "histogram",
        "Time spent computing sequence hashes in milliseconds",
    ),
    (
        "dynamo_router_overhead_total_ms",
        "histogram",
        "Total routing overhead per request in milliseconds",
    ),
];

#[test]
fn once_prints_the_thirteen_families_in_order() {
    let output = run_once();
    let types: Vec<&str> = output
        .lines()
        .filter(|l| l.starts_with("# TYPE "))
        .collect();
    let helps: Vec<&str> = output
        .lines()
        .filter(|l| l.starts_with("# HELP "))
        .collect();
    assert_eq!(types.len(), 13, "{types:#?}");
    for (i, (name, kind, help)) in FAMILIES.iter().enumerate() {
        assert_eq!(types[i], format!("# TYPE {name} {kind}"));
        assert_eq!(helps[i], format!("# HELP {name} {help}"));
    }
    // Label names per family.
    let labels_of = |prefix: &str| -> Vec<String> {
        let line = output
            .lines()
            .find(|l| l.starts_with(prefix) && l.contains('{'))
            .expect(prefix);
        let inner = &line[line.find('{').unwrap() + 1..line.find('}').unwrap()];
        inner
            .split(',')
            .map(|pair| pair.split('=').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        labels_of("dynamo_frontend_worker_active_decode_blocks{"),
        ["dp_rank", "worker_id", "worker_type"]
    );
    assert_eq!(
        labels_of("dynamo_router_overhead_total_ms_count"),
        ["router_id"]
    );
    assert_eq!(
        labels_of("dynamo_component_router_requests_total"),
        ["dynamo_component", "dynamo_namespace", "router_id"]
    );
}

#[test]
fn once_is_deterministic() {
    assert_eq!(run_once(), run_once());
}

#[test]
fn promtool_reports_only_the_allowed_lints() {
    let output = run_once();
    let Some(problems) = common::promtool_problems(&output) else {
        return;
    };
    let allowed: Vec<String> = [
        "block_hashing",
        "indexer_find_matches",
        "scheduling",
        "seq_hashing",
        "total",
    ]
    .iter()
    .map(|phase| {
        // promtool's words are the rules crate's (tests/test_lint_agreement.rs).
        format!(
            "dynamo_router_overhead_{phase}_ms {}",
            metric_group::rules::Lint::UnitAbbreviation.description()
        )
    })
    .collect();
    assert_eq!(problems, allowed);
}

#[test]
fn an_instance_id_labels_the_component_families_and_nothing_else() {
    let plain = run_once();
    let output = run_once_with(&["--instance-id", "0x1f3a"]);
    let families = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(families(&output), families(&plain), "the same 13 families");
    for line in output.lines().filter(|l| !l.starts_with('#')) {
        let component_scoped = line.starts_with("dynamo_component_");
        assert_eq!(
            line.contains(",worker_id=\"1f3a\""),
            component_scoped,
            "{line}"
        );
    }
    // Without the label, the run is the plain one: the label is the only change.
    assert_eq!(output.replace(",worker_id=\"1f3a\"", ""), plain);
    // A decimal id is the same id.
    assert_eq!(run_once_with(&["--instance-id", "7994"]), output);
    if let Some(problems) = common::promtool_problems(&output) {
        assert_eq!(
            problems,
            common::promtool_problems(&plain).unwrap_or_default()
        );
    }
}

#[test]
fn two_pools_are_two_routers_in_one_scrape() {
    let plain = run_once();
    let output = run_once_with(&["--pools", "prefill,decode"]);
    let headers = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    };
    // The same 13 families, each described once, holding both routers.
    assert_eq!(headers(&output), headers(&plain));
    let seed = 0x5eed;
    for (pool, router_id) in [("prefill", seed), ("decode", seed + 1)] {
        let requests = format!(
            "dynamo_component_router_requests_total{{dynamo_component=\"{pool}\",\
             dynamo_namespace=\"dynamo\",router_id=\"{router_id}\"}} "
        );
        assert!(output.contains(&requests), "{requests} in\n{output}");
        let overhead =
            format!("dynamo_router_overhead_total_ms_count{{router_id=\"{router_id}\"}} ");
        assert!(output.contains(&overhead), "{overhead} in\n{output}");
    }
    if let Some(problems) = common::promtool_problems(&output) {
        assert_eq!(
            problems,
            common::promtool_problems(&plain).unwrap_or_default()
        );
    }
}
