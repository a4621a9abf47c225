//! A Grafana dashboard for a catalog: a row per group, a panel per metric.
//!
//! The JSON follows Grafana's dashboard model at [`GRAFANA_SCHEMA_VERSION`]:
//! row panels (`type: "row"`, not collapsed) followed by their `timeseries`
//! panels in the top-level `panels` list, each placed by `gridPos` on the
//! 24-column grid; `templating.list` holds a Prometheus `datasource`
//! variable and one `query` variable per scope or const label.

use serde_json::{json, Value};

use super::queries::{
    filter_labels, selector_filter, series_name, ChoiceError, DashboardOptions, MetricQueries,
    Shown,
};
use super::{Catalog, MetricDescriptor, MetricKind};

/// The dashboard model version written: Grafana 10.4 and 11.0 save
/// dashboards at 39, and later versions migrate older models on load.
pub const GRAFANA_SCHEMA_VERSION: u32 = 39;

const PANEL_WIDTH: u32 = 12;
const PANEL_HEIGHT: u32 = 8;
const GRID_WIDTH: u32 = 24;

/// Every panel's data source: the dashboard's `datasource` variable.
fn datasource() -> Value {
    json!({"type": "prometheus", "uid": "${datasource}"})
}

impl Catalog {
    /// A Grafana dashboard titled `title` for every metric of the catalog
    /// that `options` does not skip.
    ///
    /// # Errors
    ///
    /// A [`ChoiceError`] when `options` name a metric or label the catalog
    /// does not hold.
    pub fn to_grafana_dashboard(
        &self,
        title: &str,
        options: &DashboardOptions,
    ) -> Result<Value, ChoiceError> {
        let shown = options.shown(self)?;
        let mut panels = Vec::new();
        let mut next_id = 1;
        let mut y = 0;
        let mut index = 0;
        while index < shown.len() {
            let group = shown[index].group;
            let in_group = shown[index..]
                .iter()
                .take_while(|s| std::ptr::eq(s.group, group))
                .count();
            panels.push(json!({
                "type": "row",
                "id": next_id,
                "title": group.name,
                "collapsed": false,
                "panels": [],
                "gridPos": {"x": 0, "y": y, "w": GRID_WIDTH, "h": 1},
            }));
            next_id += 1;
            y += 1;
            // Counted in `u32`, the grid's type, rather than cast from `usize`.
            let mut columns: u32 = 0;
            for metric in &shown[index..index + in_group] {
                let x = (columns % 2) * PANEL_WIDTH;
                let panel_y = y + (columns / 2) * PANEL_HEIGHT;
                panels.push(panel(metric, next_id, x, panel_y));
                next_id += 1;
                columns += 1;
            }
            y += columns.div_ceil(2) * PANEL_HEIGHT;
            index += in_group;
        }
        // The groups shown, each once, as a catalog counts them.
        let series_at_most = Catalog::from_groups(shown.iter().map(|s| s.group)).series_at_most();
        Ok(json!({
            "title": title,
            "uid": uid(title),
            "description": format!(
                "Generated from the metric declarations (metric_group::catalog()); do not edit by hand. One instance of each group shown exposes at most {series_at_most} series."
            ),
            "tags": ["metric-group"],
            "schemaVersion": GRAFANA_SCHEMA_VERSION,
            "version": 1,
            "editable": true,
            "graphTooltip": 1,
            "time": {"from": "now-1h", "to": "now"},
            "refresh": "30s",
            "templating": {"list": template_variables(&shown)},
            "annotations": {"list": []},
            "panels": panels,
        }))
    }
}

/// A stable uid from the title (Grafana allows at most 40 characters).
fn uid(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut uid = format!("metric-group-{slug}");
    uid.truncate(40);
    uid
}

/// The data source variable, then a variable per scope and const label in
/// the order the groups first use them. Each lists the label's values on a
/// metric that carries it, narrowed by the variables before it that the
/// same metric carries.
fn template_variables(shown: &[Shown<'_>]) -> Vec<Value> {
    let mut variables = vec![json!({
        "type": "datasource",
        "name": "datasource",
        "label": "Data source",
        "query": "prometheus",
        "current": {},
        "hide": 0,
    })];
    let mut seen: Vec<&str> = Vec::new();
    for metric in shown {
        let labels: Vec<&'static str> = filter_labels(metric.group).collect();
        for (position, label) in labels.iter().enumerate() {
            if seen.contains(label) {
                continue;
            }
            seen.push(label);
            let query = format!(
                "label_values({}{}, {label})",
                series_name(metric),
                selector_filter(&labels[..position])
            );
            variables.push(json!({
                "type": "query",
                "name": label,
                "label": label,
                "datasource": datasource(),
                "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
                "definition": query,
                // Refresh the values when the time range changes.
                "refresh": 2,
                "includeAll": true,
                "multi": true,
                "allValue": ".*",
                "current": {},
                "sort": 1,
                "hide": 0,
            }));
        }
    }
    variables
}

fn panel(shown: &Shown<'_>, id: u32, x: u32, y: u32) -> Value {
    let queries = MetricQueries::templated(shown);
    let metric = shown.metric;
    let legend = legend(queries.labels());
    // A histogram's quantiles show its exemplars (Grafana's `exemplar`
    // toggle): every histogram field can record them, and a panel whose
    // series hold none shows none.
    let targets: Vec<(String, String, bool)> = match metric.kind {
        MetricKind::Counter => vec![(queries.counter_rate(), legend, false)],
        MetricKind::Histogram => {
            let mut targets: Vec<(String, String, bool)> = shown
                .quantiles
                .iter()
                .map(|q| {
                    (
                        queries.quantile(*q),
                        format!("p{} {legend}", percentile(*q)),
                        true,
                    )
                })
                .collect();
            targets.push((queries.mean(), format!("mean {legend}"), false));
            targets
        }
        // Gauges, and any kind the rules add later: the current values.
        _ => vec![(queries.series(), legend, false)],
    };
    let targets: Vec<Value> = targets
        .into_iter()
        .zip(ref_ids())
        .map(|((expr, legend, exemplar), ref_id)| {
            let mut target = json!({
                "datasource": datasource(),
                "expr": expr,
                "legendFormat": legend.trim_end(),
                "range": true,
                "refId": ref_id,
            });
            if exemplar {
                target["exemplar"] = Value::Bool(true);
            }
            target
        })
        .collect();
    let what = match metric.kind {
        MetricKind::Counter => "per-second rate",
        MetricKind::Histogram => "quantiles and mean",
        _ => "current value",
    };
    json!({
        "type": "timeseries",
        "id": id,
        "title": metric.help,
        "description": format!(
            "{} — `{}` ({}, {what}). {}",
            metric.help,
            shown.name,
            metric.kind.type_name(),
            bounds_words(metric)
        ),
        "datasource": datasource(),
        "gridPos": {"x": x, "y": y, "w": PANEL_WIDTH, "h": PANEL_HEIGHT},
        "fieldConfig": {"defaults": {"unit": grafana_unit(metric.kind, metric.unit)}, "overrides": []},
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": true},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": targets,
    })
}

/// The bounds of one instance of the metric: its most series (the budget
/// and overflow series, or the label set's cardinality) and its expiry.
fn bounds_words(metric: &MetricDescriptor) -> String {
    let most = metric.series_at_most();
    match metric.expire_after {
        Some(after) => format!(
            "At most {most} series per instance; a series not written for {after:?} expires."
        ),
        None => format!("At most {most} series per instance."),
    }
}

/// `0.99` as `99`, `0.999` as `99.9`: the quantile as a percentile, rounded
/// to a tenth so that binary fractions (`0.29 * 100.0` is `28.999999999999996`)
/// print as written.
fn percentile(q: f64) -> f64 {
    (q * 1000.0).round() / 10.0
}

/// `A`, `B`, ..., `Z`, `AA`, ...: Grafana's query ids.
fn ref_ids() -> impl Iterator<Item = String> {
    (0u32..).map(|mut n| {
        let mut id = String::new();
        loop {
            id.insert(0, char::from(b'A' + (n % 26) as u8));
            if n < 26 {
                return id;
            }
            n = n / 26 - 1;
        }
    })
}

/// `{{a}} {{b}}`: one series per label combination.
fn legend(labels: &[&str]) -> String {
    let parts: Vec<String> = labels.iter().map(|l| format!("{{{{{l}}}}}")).collect();
    parts.join(" ")
}

/// The Grafana unit of what a panel draws: the value itself for gauges and
/// histograms, its per-second rate for counters. Units Grafana does not know
/// are shown as a suffix.
#[must_use]
pub fn grafana_unit(kind: MetricKind, unit: Option<&str>) -> String {
    let Some(unit) = unit else {
        return match kind {
            MetricKind::Counter => "cps",
            _ => "short",
        }
        .to_owned();
    };
    let known = match kind {
        // Per second: bytes/s, bits/s; seconds/s is the fraction of time spent.
        MetricKind::Counter => match unit {
            "bytes" => Some("Bps"),
            "bits" => Some("bps"),
            "seconds" => Some("percentunit"),
            _ => None,
        },
        _ => match unit {
            "seconds" => Some("s"),
            "milliseconds" => Some("ms"),
            "microseconds" => Some("µs"),
            "nanoseconds" => Some("ns"),
            "minutes" => Some("m"),
            "hours" => Some("h"),
            "days" => Some("d"),
            "bytes" => Some("bytes"),
            "kilobytes" => Some("deckbytes"),
            "megabytes" => Some("decmbytes"),
            "gigabytes" => Some("decgbytes"),
            "bits" => Some("bits"),
            "ratio" => Some("percentunit"),
            "percent" => Some("percent"),
            "celsius" => Some("celsius"),
            "volts" => Some("volt"),
            "amperes" => Some("amp"),
            "watts" => Some("watt"),
            "joules" => Some("joule"),
            "hertz" => Some("hertz"),
            "meters" => Some("lengthm"),
            _ => None,
        },
    };
    match (known, kind) {
        (Some(known), _) => known.to_owned(),
        (None, MetricKind::Counter) => format!("suffix: {unit}/s"),
        (None, _) => format!("suffix: {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_name_the_budget_and_the_expiry() {
        let metric = MetricDescriptor {
            field: "queued",
            name: "queued",
            kind: MetricKind::Gauge,
            help: "Queued",
            labels: &["worker_id"],
            buckets: None,
            unit: None,
            allowed_lints: &[],
            max_series: Some(100),
            expire_after: Some(std::time::Duration::from_secs(90)),
            cardinality: None,
        };
        assert_eq!(
            bounds_words(&metric),
            "At most 101 series per instance; a series not written for 90s expires."
        );
        let fixed = MetricDescriptor {
            expire_after: None,
            cardinality: Some(4),
            ..metric
        };
        assert_eq!(bounds_words(&fixed), "At most 4 series per instance.");
    }

    #[test]
    fn units_map_to_grafana_units() {
        use MetricKind::*;
        assert_eq!(grafana_unit(Histogram, Some("seconds")), "s");
        assert_eq!(grafana_unit(Histogram, Some("milliseconds")), "ms");
        assert_eq!(grafana_unit(Gauge, Some("bytes")), "bytes");
        assert_eq!(grafana_unit(Gauge, Some("ratio")), "percentunit");
        assert_eq!(grafana_unit(Gauge, Some("tokens")), "suffix: tokens");
        assert_eq!(grafana_unit(Counter, Some("bytes")), "Bps");
        assert_eq!(grafana_unit(Counter, Some("tokens")), "suffix: tokens/s");
        assert_eq!(grafana_unit(Counter, None), "cps");
        assert_eq!(grafana_unit(Histogram, None), "short");
    }

    #[test]
    fn percentiles_print_as_written() {
        assert_eq!(percentile(0.29).to_string(), "29");
        assert_eq!(percentile(0.999).to_string(), "99.9");
        assert_eq!(percentile(0.5).to_string(), "50");
    }

    #[test]
    fn ref_ids_run_like_spreadsheet_columns() {
        let ids: Vec<String> = ref_ids().take(28).collect();
        assert_eq!(ids[0], "A");
        assert_eq!(ids[25], "Z");
        assert_eq!(ids[26], "AA");
        assert_eq!(ids[27], "AB");
    }

    #[test]
    fn uids_fit_grafana() {
        assert_eq!(uid("router"), "metric-group-router");
        assert_eq!(uid(&"x".repeat(60)).len(), 40);
    }
}
