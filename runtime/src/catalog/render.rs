//! Markdown and JSON renderings of a catalog.

use std::fmt::Write;

use super::{Catalog, GroupDescriptor, MetricDescriptor, ScopeKind};

impl Catalog {
    /// One section and table per group.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# Metrics\n\n");
        let _ = writeln!(
            out,
            "Generated from the metric declarations (`metric_group::catalog()`); do not edit by hand.\n"
        );
        for group in &self.groups {
            let _ = writeln!(out, "## {}\n", group.name);
            let _ = writeln!(
                out,
                "Declared in `{}`; {}.\n",
                group.module_path,
                scope_words(group)
            );
            let _ = writeln!(
                out,
                "At most {} series per instance; label values of at most {} bytes.\n",
                group_series_at_most(group),
                group
                    .max_label_len
                    .unwrap_or(crate::limits::DEFAULT_MAX_LABEL_LEN)
            );
            out.push_str(
                "| metric | type | labels | help | buckets | unit | allowed lints | series at most | expire after |\n",
            );
            out.push_str("|---|---|---|---|---|---|---|---:|---|\n");
            for metric in group.metrics {
                let labels = label_words(group, metric);
                let buckets = metric
                    .buckets
                    .and_then(|buckets| buckets.bounds().ok())
                    .map(|bounds| format_bounds(&bounds))
                    .unwrap_or_default();
                let lints: Vec<String> = metric
                    .allowed_lints
                    .iter()
                    .map(|l| format!("`{}`", l.key()))
                    .collect();
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
                    group.full_name(metric),
                    metric.kind.type_name(),
                    labels,
                    metric.help.replace('|', "\\|"),
                    buckets,
                    metric.unit.unwrap_or(""),
                    lints.join(", "),
                    metric.series_at_most(),
                    metric
                        .expire_after
                        .map(|after| format!("{after:?}"))
                        .unwrap_or_default(),
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "## Worst case\n\nOne instance of every group above exposes at most {} series; each further instance (another set of const label values, another scope) as many as its group's.",
            self.series_at_most()
        );
        out
    }

    /// The most series one instance of every group of the catalog exposes
    /// together.
    pub fn series_at_most(&self) -> usize {
        self.groups
            .iter()
            .map(|group| group_series_at_most(group))
            .fold(0, usize::saturating_add)
    }

    /// `{"series_at_most": n, "groups": [{..., "metrics": [...]}]}`.
    #[must_use]
    pub fn to_json(&self) -> String {
        let groups: Vec<String> = self.groups.iter().map(|group| group_json(group)).collect();
        format!(
            "{{\n  \"series_at_most\": {},\n  \"groups\": [\n{}\n  ]\n}}\n",
            self.series_at_most(),
            groups.join(",\n")
        )
    }
}

fn scope_words(group: &GroupDescriptor) -> String {
    let scope = match group.scope {
        ScopeKind::Registry => "registered on a caller's registry".to_owned(),
        ScopeKind::Hierarchy(None) => {
            "created through the metrics hierarchy at any level".to_owned()
        }
        ScopeKind::Hierarchy(Some(level)) => {
            format!("created through the metrics hierarchy at {level} level")
        }
    };
    match group.instance_label() {
        // Not a column: the label is there only when the runtime has an instance id.
        Some(label) => format!(
            "{scope}; also labelled `{label}` (the instance id in hex) when the runtime has one"
        ),
        None => scope,
    }
}

fn label_words(group: &GroupDescriptor, metric: &MetricDescriptor) -> String {
    let scope = group
        .scope_labels()
        .into_iter()
        .map(|l| format!("`{l}` (scope)"));
    let consts = group.const_labels.iter().map(|l| format!("`{l}` (const)"));
    let vars = metric.labels.iter().map(|l| format!("`{l}`"));
    scope
        .chain(consts)
        .chain(vars)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The most series one instance of `group` exposes.
fn group_series_at_most(group: &GroupDescriptor) -> usize {
    group
        .metrics
        .iter()
        .map(MetricDescriptor::series_at_most)
        .fold(0, usize::saturating_add)
}

fn format_bounds(bounds: &[f64]) -> String {
    bounds
        .iter()
        .map(f64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn group_json(group: &GroupDescriptor) -> String {
    let metrics: Vec<String> = group
        .metrics
        .iter()
        .map(|metric| metric_json(group, metric))
        .collect();
    let scope = match group.scope {
        ScopeKind::Registry => "registry".to_owned(),
        ScopeKind::Hierarchy(None) => "hierarchy".to_owned(),
        ScopeKind::Hierarchy(Some(level)) => level.to_owned(),
    };
    format!(
        "    {{\n      \"group\": {},\n      \"module\": {},\n      \"scope\": {},\n      \"const_labels\": {},\n      \"scope_labels\": {},\n      \"max_label_len\": {},\n      \"series_at_most\": {},\n      \"metrics\": [\n{}\n      ]\n    }}",
        string(group.name),
        string(group.module_path),
        string(&scope),
        strings(group.const_labels),
        strings(&group.scope_labels()),
        group.max_label_len.unwrap_or(crate::limits::DEFAULT_MAX_LABEL_LEN),
        group_series_at_most(group),
        metrics.join(",\n"),
    )
}

fn metric_json(group: &GroupDescriptor, metric: &MetricDescriptor) -> String {
    let buckets = match metric.buckets.and_then(|buckets| buckets.bounds().ok()) {
        Some(bounds) => format!(
            "[{}]",
            bounds
                .iter()
                .map(|b| format!("{b:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "null".to_owned(),
    };
    let lints: Vec<&str> = metric.allowed_lints.iter().map(|l| l.key()).collect();
    format!(
        "        {{\"name\": {}, \"field\": {}, \"type\": {}, \"help\": {}, \"labels\": {}, \"buckets\": {}, \"unit\": {}, \"allowed_lints\": {}, \"series_at_most\": {}, \"expire_after_seconds\": {}}}",
        string(&group.full_name(metric)),
        string(metric.field),
        string(metric.kind.type_name()),
        string(metric.help),
        strings(metric.labels),
        buckets,
        metric.unit.map_or_else(|| "null".to_owned(), string),
        strings(&lints),
        metric.series_at_most(),
        metric
            .expire_after
            .map_or_else(|| "null".to_owned(), |after| format!("{:?}", after.as_secs_f64())),
    )
}

fn strings(items: &[&str]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|item| string(item))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A JSON string literal.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(string("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }
}
