//! Prometheus recording rules for a catalog: counter rates, histogram
//! quantiles and means, named `level:metric:operations` as Prometheus'
//! [rule naming practice](https://prometheus.io/docs/practices/rules/) asks:
//! the level lists the labels the output keeps, the operations are newest
//! first.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::queries::{ChoiceError, DashboardOptions, MetricQueries, Range};
use super::{Catalog, MetricKind};

/// A rule group per catalog group.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleGroup {
    /// `module::Group`: unique within a rules file, as Prometheus requires.
    pub name: String,
    /// Its rules, in catalog order.
    pub rules: Vec<RecordingRule>,
}

/// One recording rule: the series `record` computed as `expr`.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordingRule {
    /// The recorded series' name (`level:metric:operations`).
    pub record: String,
    /// The PromQL expression.
    pub expr: String,
    /// Labels added to the recorded series (a quantile's `quantile`).
    pub labels: BTreeMap<String, String>,
}

impl Catalog {
    /// The recording rules of every metric `options` does not skip: a
    /// counter's rate, a histogram's quantiles and mean. Gauges need none.
    ///
    /// # Errors
    ///
    /// A [`ChoiceError`] when `options` name a metric or label the catalog
    /// does not hold.
    pub fn recording_rules(
        &self,
        options: &DashboardOptions,
    ) -> Result<Vec<RuleGroup>, ChoiceError> {
        let window = options.rule_window.as_str();
        let mut groups: Vec<RuleGroup> = Vec::new();
        for shown in options.shown(self)? {
            let queries = MetricQueries::unfiltered(&shown, Range::Fixed(window));
            let level = level(queries.labels());
            let mut rules = Vec::new();
            match shown.metric.kind {
                MetricKind::Counter => {
                    // A rate drops the counter's `_total`, as the practice shows.
                    let name = shown.name.strip_suffix("_total").unwrap_or(&shown.name);
                    rules.push(RecordingRule {
                        record: format!("{level}:{name}:rate{window}"),
                        expr: queries.counter_rate(),
                        labels: BTreeMap::new(),
                    });
                }
                MetricKind::Histogram => {
                    for q in shown.quantiles {
                        rules.push(RecordingRule {
                            record: format!(
                                "{level}_quantile:{}:histogram_quantile_rate{window}",
                                shown.name
                            ),
                            expr: queries.quantile(*q),
                            labels: BTreeMap::from([("quantile".to_owned(), q.to_string())]),
                        });
                    }
                    rules.push(RecordingRule {
                        record: format!("{level}:{}:mean{window}", shown.name),
                        expr: queries.mean(),
                        labels: BTreeMap::new(),
                    });
                }
                // Gauges (and kinds added later) are read as they are.
                _ => {}
            }
            if rules.is_empty() {
                continue;
            }
            let name = format!("{}::{}", shown.group.module_path, shown.group.name);
            match groups.last_mut() {
                Some(group) if group.name == name => group.rules.extend(rules),
                _ => groups.push(RuleGroup { name, rules }),
            }
        }
        Ok(groups)
    }
}

/// The labels a rule's output keeps, joined.
fn level(labels: &[&str]) -> String {
    labels.join("_")
}

/// The rules file Prometheus loads (`rule_files`), in block-style YAML with
/// every scalar double-quoted. A JSON string literal is a valid YAML
/// double-quoted scalar, so `serde_json` does the quoting and no YAML
/// serialiser is needed for this fixed, three-level shape.
#[must_use]
pub fn rules_to_yaml(groups: &[RuleGroup]) -> String {
    let mut out = String::from(
        "# Generated from the metric declarations (metric_group::catalog()); do not edit by hand.\ngroups:\n",
    );
    for group in groups {
        let _ = writeln!(out, "  - name: {}", quoted(&group.name));
        out.push_str("    rules:\n");
        for rule in &group.rules {
            let _ = writeln!(out, "      - record: {}", quoted(&rule.record));
            let _ = writeln!(out, "        expr: {}", quoted(&rule.expr));
            if !rule.labels.is_empty() {
                out.push_str("        labels:\n");
                for (name, value) in &rule.labels {
                    let _ = writeln!(out, "          {}: {}", quoted(name), quoted(value));
                }
            }
        }
    }
    out
}

fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_are_double_quoted_and_escaped() {
        let groups = [RuleGroup {
            name: "m::G".to_owned(),
            rules: vec![RecordingRule {
                record: "a:b:rate5m".to_owned(),
                expr: "x{l=~\"a\\\\.b\"}".to_owned(),
                labels: BTreeMap::from([("quantile".to_owned(), "0.5".to_owned())]),
            }],
        }];
        let yaml = rules_to_yaml(&groups);
        let body: Vec<&str> = yaml.lines().skip(1).collect();
        assert_eq!(
            body,
            [
                "groups:",
                "  - name: \"m::G\"",
                "    rules:",
                "      - record: \"a:b:rate5m\"",
                "        expr: \"x{l=~\\\"a\\\\\\\\.b\\\"}\"",
                "        labels:",
                "          \"quantile\": \"0.5\"",
            ]
        );
    }
}
