//! The PromQL an operator writes against a declared metric, and the choices
//! (quantiles, metrics left out, rule window) the dashboard and the recording
//! rules share.
//!
//! The choices are plain data with defaults, so that declaration hints (a
//! future `#[metric(dashboard(...))]`) can fill in [`MetricChoices`] without
//! the renderers changing.

use std::collections::BTreeMap;
use std::fmt;

use super::{Catalog, GroupDescriptor, MetricDescriptor};

/// The quantiles drawn and recorded for a histogram unless told otherwise.
pub const DEFAULT_QUANTILES: [f64; 3] = [0.5, 0.9, 0.99];

/// The range of the recording rules' `rate()`: Prometheus' documentation uses
/// 5m throughout, long enough to hold several scrapes at any usual interval.
pub const DEFAULT_RULE_WINDOW: &str = "5m";

/// What the dashboard and the rules show.
#[derive(Clone, Debug, PartialEq)]
pub struct DashboardOptions {
    /// Quantiles for every histogram without its own.
    pub quantiles: Vec<f64>,
    /// The range of the recording rules' `rate()`, a Prometheus duration.
    pub rule_window: String,
    /// Per-metric choices, by the metric's full name.
    pub metrics: BTreeMap<String, MetricChoices>,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        DashboardOptions {
            quantiles: DEFAULT_QUANTILES.to_vec(),
            rule_window: DEFAULT_RULE_WINDOW.to_owned(),
            metrics: BTreeMap::new(),
        }
    }
}

/// Choices for one metric.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricChoices {
    /// Leave the metric out of the dashboard and the rules.
    pub skip: bool,
    /// This histogram's quantiles, instead of [`DashboardOptions::quantiles`].
    pub quantiles: Option<Vec<f64>>,
}

/// A choice that cannot be rendered, naming what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceError {
    /// The metric's full name, or `rule_window` / `quantiles`.
    pub subject: String,
    /// Why it cannot be rendered.
    pub reason: String,
}

impl fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dashboard choice for `{}`: {}",
            self.subject, self.reason
        )
    }
}

impl std::error::Error for ChoiceError {}

fn choice_error(subject: impl Into<String>, reason: impl Into<String>) -> ChoiceError {
    ChoiceError {
        subject: subject.into(),
        reason: reason.into(),
    }
}

/// One metric to render, with the choices that apply to it.
pub(crate) struct Shown<'a> {
    pub group: &'static GroupDescriptor,
    pub metric: &'static MetricDescriptor,
    pub name: String,
    pub quantiles: &'a [f64],
}

impl DashboardOptions {
    /// Checks the choices against `catalog`, then lists every metric not
    /// skipped, by group, in catalog order.
    pub(crate) fn shown<'a>(&'a self, catalog: &Catalog) -> Result<Vec<Shown<'a>>, ChoiceError> {
        check_quantiles("quantiles", &self.quantiles)?;
        if !is_duration(&self.rule_window) {
            return Err(choice_error(
                "rule_window",
                format!(
                    "`{}` is not a Prometheus duration such as `5m` or `1h30m`",
                    self.rule_window
                ),
            ));
        }
        let mut known = Vec::new();
        let mut shown = Vec::new();
        for group in catalog.groups() {
            for metric in group.metrics {
                let name = group.full_name(metric);
                let choices = self.metrics.get(&name);
                known.push(name.clone());
                if choices.is_some_and(|c| c.skip) {
                    continue;
                }
                let quantiles = match choices.and_then(|c| c.quantiles.as_deref()) {
                    Some(own) => {
                        if metric.kind != super::MetricKind::Histogram {
                            return Err(choice_error(
                                name,
                                "quantiles are only drawn for histograms",
                            ));
                        }
                        check_quantiles(&name, own)?;
                        own
                    }
                    None => &self.quantiles,
                };
                shown.push(Shown {
                    group,
                    metric,
                    name,
                    quantiles,
                });
            }
        }
        if let Some(unknown) = self.metrics.keys().find(|name| !known.contains(name)) {
            return Err(choice_error(
                unknown.as_str(),
                "no metric of the catalog has this name",
            ));
        }
        Ok(shown)
    }
}

fn check_quantiles(subject: &str, quantiles: &[f64]) -> Result<(), ChoiceError> {
    if quantiles.is_empty() {
        return Err(choice_error(subject, "no quantiles given"));
    }
    match quantiles.iter().find(|q| !(**q > 0.0 && **q < 1.0)) {
        Some(q) => Err(choice_error(
            subject,
            format!("quantile {q} is not strictly between 0 and 1"),
        )),
        None => Ok(()),
    }
}

/// `[0-9]+(ms|s|m|h|d|w|y)` repeated, as Prometheus parses durations.
fn is_duration(text: &str) -> bool {
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h", "d", "w", "y"]
            .into_iter()
            .find(|unit| rest.starts_with(unit));
        match unit {
            Some(unit) => rest = &rest[unit.len()..],
            None => return false,
        }
    }
    true
}

/// How a range is written in a query: Grafana's variable on dashboards, a
/// fixed duration in rules.
#[derive(Clone, Copy)]
pub(crate) enum Range<'a> {
    Grafana,
    Fixed(&'a str),
}

impl fmt::Display for Range<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Range::Grafana => f.write_str("$__rate_interval"),
            Range::Fixed(window) => f.write_str(window),
        }
    }
}

/// The PromQL for one metric: its series selectors, optionally filtered on
/// the dashboard's template variables, and the aggregations over them.
pub(crate) struct MetricQueries<'a> {
    name: &'a str,
    /// `{label=~"$label",...}` or empty.
    filter: String,
    /// The labels sums keep: every declared label of the metric's series,
    /// or `job` for a metric without any, so that sums stay per job.
    by: Vec<&'static str>,
    range: Range<'a>,
}

impl<'a> MetricQueries<'a> {
    /// Queries over every series of the metric, for rules.
    pub fn unfiltered(shown: &'a Shown<'_>, range: Range<'a>) -> Self {
        let mut by = shown.group.all_labels(shown.metric);
        if by.is_empty() {
            by.push("job");
        }
        MetricQueries {
            name: &shown.name,
            filter: String::new(),
            by,
            range,
        }
    }

    /// Queries filtered on the template variables named like the metric's
    /// scope and const labels, for dashboards.
    pub fn templated(shown: &'a Shown<'_>) -> Self {
        let filtered: Vec<&str> = filter_labels(shown.group).collect();
        MetricQueries {
            filter: selector_filter(&filtered),
            ..MetricQueries::unfiltered(shown, Range::Grafana)
        }
    }

    pub fn labels(&self) -> &[&'static str] {
        &self.by
    }

    /// The metric's series (a gauge's current values).
    pub fn series(&self) -> String {
        format!("{}{}", self.name, self.filter)
    }

    /// A counter's per-second rate, summed by its labels.
    pub fn counter_rate(&self) -> String {
        self.summed_rate("")
    }

    /// A histogram's quantile `q` over the range.
    pub fn quantile(&self, q: f64) -> String {
        let mut by = vec!["le"];
        by.extend(&self.by);
        format!(
            "histogram_quantile({q}, sum by ({}) (rate({}_bucket{}[{}])))",
            by.join(", "),
            self.name,
            self.filter,
            self.range
        )
    }

    /// A histogram's mean observation over the range.
    pub fn mean(&self) -> String {
        format!(
            "{} / {}",
            self.summed_rate("_sum"),
            self.summed_rate("_count")
        )
    }

    fn summed_rate(&self, suffix: &str) -> String {
        format!(
            "sum by ({}) (rate({}{suffix}{}[{}]))",
            self.by.join(", "),
            self.name,
            self.filter,
            self.range
        )
    }
}

/// The labels a group's queries filter on: its scope's and its const labels,
/// each the name of a dashboard template variable.
pub(crate) fn filter_labels(group: &GroupDescriptor) -> impl Iterator<Item = &'static str> {
    group
        .scope_labels()
        .into_iter()
        .chain(group.const_labels.iter().copied())
}

/// `{a=~"$a",b=~"$b"}`, or nothing for no labels. `=~` so that the
/// variables' "All" value (`.*`) and multi-value selections match.
pub(crate) fn selector_filter(labels: &[&str]) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let matchers: Vec<String> = labels.iter().map(|l| format!("{l}=~\"${l}\"")).collect();
    format!("{{{}}}", matchers.join(","))
}

/// The series name that carries a metric's labels: a histogram's `_count`.
pub(crate) fn series_name(shown: &Shown<'_>) -> String {
    match shown.metric.kind {
        super::MetricKind::Histogram => format!("{}_count", shown.name),
        _ => shown.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_duration;

    #[test]
    fn durations_as_prometheus_reads_them() {
        for good in ["5m", "1h30m", "250ms", "1d", "30s"] {
            assert!(is_duration(good), "{good}");
        }
        for bad in ["", "5", "m", "5 m", "1.5m", "5min", "-5m"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
