//! The naming rules of `metric_group::rules` against promtool itself: every
//! case is rendered as exposition text, promtool lints it, and the verdicts
//! must agree case by case.
//!
//! Names with two unit tokens are where promtool releases differ: promtool
//! 2.42 tries units in Go's random map order (a name may be flagged on one run
//! and not the next), later releases let the first unit token decide. The
//! rules take the strictest union, so for those names the rules may flag
//! `base_unit` where one promtool run does not; everything promtool flags on
//! any of the runs, the rules must flag too.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use metric_group::catalog::{Lint, MetricKind};
use metric_group::rules::lint_metric;

const UNITS: [&str; 24] = [
    "amperes",
    "bytes",
    "celsius",
    "grams",
    "joules",
    "kelvin",
    "meters",
    "metres",
    "seconds",
    "volts",
    "minutes",
    "hours",
    "days",
    "weeks",
    "kelvins",
    "fahrenheit",
    "rankine",
    "inches",
    "yards",
    "miles",
    "bits",
    "calories",
    "pounds",
    "ounces",
];
const PREFIXES: [&str; 18] = [
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega",
    "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
];
const ABBREVIATIONS: [&str; 17] = [
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d", "MS", "Kb",
    "secs",
];
const SUFFIXES: [&str; 4] = ["total", "bucket", "count", "sum"];
const TYPE_NAMES: [&str; 5] = ["counter", "gauge", "histogram", "summary", "untyped"];
const OTHERS: [&str; 8] = [
    "requestCount",
    "HTTPServer",
    "job:requests:rate5m",
    "a:b",
    "plain",
    "seconds_total",
    "total_seconds",
    "Gauge",
];

/// Unit tokens for two-token names: base, non-base and prefixed units.
const UNIT_PAIR_TOKENS: [&str; 10] = [
    "seconds",
    "bytes",
    "meters",
    "milliseconds",
    "kilobytes",
    "hours",
    "bits",
    "microseconds",
    "megabytes",
    "celsius",
];

/// promtool runs per batch: its unit lint varies between runs.
const RUNS: usize = 5;

struct Case {
    name: String,
    kind: MetricKind,
    labels: Vec<&'static str>,
}

fn tokens() -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    tokens.extend(UNITS.iter().map(|u| u.to_string()));
    for prefix in PREFIXES {
        for unit in ["seconds", "bytes", "meters", "grams"] {
            tokens.push(format!("{prefix}{unit}"));
        }
    }
    tokens.extend(
        ABBREVIATIONS
            .iter()
            .chain(&SUFFIXES)
            .chain(&TYPE_NAMES)
            .chain(&OTHERS)
            .map(|t| t.to_string()),
    );
    tokens
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for kind in [
        MetricKind::Counter,
        MetricKind::Gauge,
        MetricKind::Histogram,
    ] {
        for token in tokens() {
            // At the end of the name and in its middle: the rules differ.
            for name in [format!("app_{token}"), format!("app_{token}_size")] {
                cases.push(Case {
                    name,
                    kind,
                    labels: vec!["route"],
                });
            }
        }
        for first in UNIT_PAIR_TOKENS {
            for second in UNIT_PAIR_TOKENS {
                if first != second {
                    cases.push(Case {
                        name: format!("app_{first}_{second}"),
                        kind,
                        labels: vec!["route"],
                    });
                }
            }
        }
        for (i, label) in ["workerId", "worker_id", "WorkerID", "dpRank"]
            .into_iter()
            .enumerate()
        {
            cases.push(Case {
                name: format!("app_labelled_{i}_total"),
                kind,
                labels: vec![label],
            });
        }
    }
    cases
}

fn exposition(batch: &[&Case]) -> String {
    let mut text = String::new();
    for case in batch {
        let name = &case.name;
        let labels: Vec<String> = case.labels.iter().map(|l| format!("{l}=\"x\"")).collect();
        let labels = labels.join(",");
        text.push_str(&format!(
            "# HELP {name} A case.\n# TYPE {name} {}\n",
            case.kind.type_name()
        ));
        match case.kind {
            MetricKind::Histogram => text.push_str(&format!(
                "{name}_bucket{{{labels},le=\"+Inf\"}} 1\n{name}_sum{{{labels}}} 1\n{name}_count{{{labels}}} 1\n"
            )),
            _ => text.push_str(&format!("{name}{{{labels}}} 1\n")),
        }
    }
    text
}

fn has_two_unit_tokens(name: &str) -> bool {
    name.split('_')
        .filter(|token| UNIT_PAIR_TOKENS.contains(token))
        .count()
        >= 2
}

#[test]
fn rules_agree_with_promtool_on_every_case() {
    let cases = cases();
    assert!(cases.len() >= 300, "{} cases", cases.len());
    let mut disagreements = Vec::new();
    let (mut agreed, mut stricter) = (0, 0);
    // One promtool run per kind and round: names are unique within a kind.
    for kind in [
        MetricKind::Counter,
        MetricKind::Gauge,
        MetricKind::Histogram,
    ] {
        let batch: Vec<&Case> = cases.iter().filter(|c| c.kind == kind).collect();
        let exposition = exposition(&batch);
        // What promtool flagged for each name on any of the runs.
        let mut verdicts: BTreeMap<&str, BTreeSet<&'static str>> = BTreeMap::new();
        for _ in 0..RUNS {
            let Some(problems) = common::promtool_problems(&exposition) else {
                return;
            };
            for line in &problems {
                let (name, message) = line.split_once(' ').expect("`name message`");
                let name = batch
                    .iter()
                    .find(|c| c.name == name)
                    .map(|c| c.name.as_str())
                    .expect("a case's name");
                verdicts
                    .entry(name)
                    .or_default()
                    .insert(common::lint_of(message).key());
            }
        }
        for case in batch {
            let ours: BTreeSet<&'static str> = lint_metric(&case.name, case.kind, &case.labels)
                .iter()
                .map(Lint::key)
                .collect();
            let theirs = verdicts.remove(case.name.as_str()).unwrap_or_default();
            let extra: Vec<&str> = ours.difference(&theirs).copied().collect();
            let missed: Vec<&str> = theirs.difference(&ours).copied().collect();
            let stricter_by_design =
                extra == [Lint::BaseUnit.key()] && has_two_unit_tokens(&case.name);
            if missed.is_empty() && extra.is_empty() {
                agreed += 1;
            } else if missed.is_empty() && stricter_by_design {
                stricter += 1;
            } else {
                disagreements.push(format!(
                    "{} ({:?}, labels {:?}): rules {ours:?}, promtool {theirs:?}",
                    case.name, case.kind, case.labels
                ));
            }
        }
    }
    println!(
        "{agreed} of {} cases agree with promtool ({RUNS} runs each); {stricter} two-unit names \
         flagged `base_unit` by the rules and on none of the runs; {} disagreements",
        cases.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
