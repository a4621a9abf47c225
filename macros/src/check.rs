//! Every rule that looks at names or across fields. Each violation is
//! reported at the token that causes it; names built from constants are left
//! to the const-evaluated checks that expand.rs emits.

use std::collections::HashMap;

use crate::ast::{join_name, Field, Input};
use crate::attr::{LabelName, NameValue, Scope};
use crate::ctxt::Ctxt;
use metric_group_rules::hierarchy::default_labels;
use metric_group_rules::{
    full_name_is_valid, is_reserved_label_name, is_valid_label_name, is_valid_metric_name,
    lint_metric, validate_bounds, BoundsError, BucketSpec, LintSet, MetricKind,
};

pub(crate) fn check(cx: &Ctxt, input: &Input) {
    check_prefix(cx, input);
    let scope_labels = scope_labels(input.scope());
    check_label_set(cx, &input.attrs.const_labels, &[], "const label", None);
    for label in &input.attrs.const_labels {
        check_not_scope_label(cx, label, &scope_labels);
    }
    let mut names: HashMap<String, &Field> = HashMap::new();
    for field in &input.fields {
        check_type_and_labels(cx, input, field, &scope_labels);
        check_help(cx, field);
        check_buckets(cx, field);
        check_unit(cx, field);
        if let Some(name) = literal_full_name(input, field) {
            check_name(cx, input, field, &name);
            if let Some(previous) = names.insert(name.clone(), field) {
                cx.error_at(
                    field.name_span(),
                    format!(
                        "duplicate metric name `{name}`: field `{}` declares it too",
                        previous.ident
                    ),
                );
            }
        }
    }
}

/// The full name within the group when prefix and name are both literals.
pub(crate) fn literal_full_name(input: &Input, field: &Field) -> Option<String> {
    Some(join_name(&input.literal_prefix()?, &field.literal_name()?))
}

/// Labels the declared scope adds, which the group's own may not reuse.
pub(crate) fn scope_labels(scope: Scope) -> Vec<&'static str> {
    match scope {
        Scope::Registry => Vec::new(),
        Scope::Hierarchy(level) => default_labels(level).to_vec(),
    }
}

fn check_prefix(cx: &Ctxt, input: &Input) {
    if let Some(NameValue::Literal(lit)) = &input.attrs.prefix {
        let prefix = lit.value();
        if !prefix.is_empty() && !is_valid_metric_name(&prefix) {
            cx.error_spanned_by(
                lit,
                format!(
                    "invalid metric name prefix `{prefix}`: expected `[a-zA-Z_:][a-zA-Z0-9_:]*`"
                ),
            );
        }
    }
}

fn check_name(cx: &Ctxt, input: &Input, field: &Field, full: &str) {
    let prefix = input.literal_prefix().unwrap_or_default();
    let name = field.literal_name().unwrap_or_default();
    if name.is_empty() {
        cx.error_at(field.name_span(), "metric name must not be empty");
        return;
    }
    if !full_name_is_valid(&prefix, &name) {
        // An invalid prefix is reported at the prefix.
        if prefix.is_empty() || is_valid_metric_name(&prefix) {
            cx.error_at(
                field.name_span(),
                format!("invalid metric name `{full}`: expected `[a-zA-Z_:][a-zA-Z0-9_:]*`"),
            );
        }
        return;
    }
    let labels = all_label_names(input, field);
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let found = lint_metric(full, field.kind(), &label_refs);
    let allowed: LintSet = field.attrs.allow.iter().map(|(lint, _)| *lint).collect();
    for lint in found.without(allowed).iter() {
        cx.error_at(
            field.name_span(),
            format!(
                "metric name `{full}`: {}; add `allow({})` to `#[metric(...)]` if this is deliberate",
                lint.description(),
                lint.key()
            ),
        );
    }
    for (lint, span) in &field.attrs.allow {
        if !found.contains(*lint) {
            cx.error_at(
                *span,
                format!(
                    "lint `{}` is allowed but metric `{full}` does not trigger it",
                    lint.key()
                ),
            );
        }
    }
}

/// Every label name the exposition shows for this field (promtool lints them),
/// without the hierarchy's instance label, which only some runtimes add.
pub(crate) fn all_label_names(input: &Input, field: &Field) -> Vec<String> {
    let scope = match input.scope() {
        Scope::Registry => &[][..],
        Scope::Hierarchy(level) => metric_group_rules::hierarchy::default_level_labels(level),
    };
    let scope = scope.iter().map(|l| (*l).to_owned());
    let consts = input.attrs.const_labels.iter().map(|l| l.name.clone());
    let vars = field.labels().iter().map(|l| l.name.clone());
    scope.chain(consts).chain(vars).collect()
}

fn check_type_and_labels(cx: &Ctxt, input: &Input, field: &Field, scope_labels: &[&str]) {
    let Some(metric) = field.metric else { return };
    match (&field.attrs.labels, metric.labelled) {
        (Some((_, span)), true) if field.label_set.is_some() => cx.error_at(
            *span,
            "a `Family` takes its label names from its label set's fields: remove `labels(...)`",
        ),
        (None, true) if field.label_set.is_some() => {}
        (None, true) => cx.error_spanned_by(
            field.ty,
            format!(
                "`{}` is a labelled family: add `labels(...)` to `#[metric(...)]`",
                metric.name
            ),
        ),
        (Some((labels, span)), true) if labels.is_empty() => {
            cx.error_at(*span, "`labels(...)` needs at least one label name")
        }
        (Some((_, span)), false) => cx.error_at(
            *span,
            format!(
                "`{}` has no labels: use `{}Vec` for a labelled family",
                metric.name, metric.name
            ),
        ),
        _ => {}
    }
    let histogram = (metric.kind == MetricKind::Histogram).then_some("le");
    check_label_set(
        cx,
        field.labels(),
        &input.attrs.const_labels,
        "label",
        histogram,
    );
    if let Some(le) = histogram {
        for label in input.attrs.const_labels.iter().filter(|l| l.name == le) {
            cx.error_at(
                label.span,
                format!(
                    "const label `le` is reserved on histograms (field `{}` is one)",
                    field.ident
                ),
            );
        }
    }
    for label in field.labels() {
        check_not_scope_label(cx, label, scope_labels);
    }
}

/// Names valid and unreserved, no repeats, none shared with `others`.
fn check_label_set(
    cx: &Ctxt,
    labels: &[LabelName],
    others: &[LabelName],
    what: &str,
    reserved: Option<&str>,
) {
    for (i, label) in labels.iter().enumerate() {
        let name = &label.name;
        if !is_valid_label_name(name) {
            cx.error_at(
                label.span,
                format!("invalid {what} name `{name}`: expected `[a-zA-Z_][a-zA-Z0-9_]*`"),
            );
        } else if is_reserved_label_name(name) {
            cx.error_at(label.span, format!("{what} name `{name}` is reserved: names starting with `__` are Prometheus' own"));
        } else if name == "quantile" {
            cx.error_at(
                label.span,
                format!("{what} name `quantile` is reserved for summaries"),
            );
        } else if Some(name.as_str()) == reserved {
            cx.error_at(
                label.span,
                format!("{what} name `le` is reserved on histograms for bucket bounds"),
            );
        } else if labels[..i].iter().any(|l| &l.name == name) {
            cx.error_at(label.span, format!("duplicate {what} `{name}`"));
        } else if others.iter().any(|l| &l.name == name) {
            cx.error_at(
                label.span,
                format!("label `{name}` is already a const label of the group"),
            );
        }
    }
}

fn check_not_scope_label(cx: &Ctxt, label: &LabelName, scope_labels: &[&str]) {
    if scope_labels.contains(&label.name.as_str()) {
        cx.error_at(
            label.span,
            format!(
                "label `{}` shadows a label the metrics hierarchy adds to this scope",
                label.name
            ),
        );
    }
}

fn check_help(cx: &Ctxt, field: &Field) {
    if field.metric.is_none() {
        return; // not a metric: its type is the one error to report
    }
    match &field.attrs.help {
        Some(lit) if lit.value().trim().is_empty() => {
            cx.error_spanned_by(lit, "help text must not be empty")
        }
        Some(_) => {}
        None if field.doc.is_none() => cx.error_spanned_by(
            field.ident,
            "missing help text: add a doc comment or `help = \"...\"` to `#[metric(...)]`",
        ),
        None => {}
    }
}

fn check_buckets(cx: &Ctxt, field: &Field) {
    let Some(buckets) = &field.attrs.buckets else {
        return;
    };
    if field
        .metric
        .is_some_and(|m| m.kind != MetricKind::Histogram)
    {
        cx.error_at(
            buckets.span,
            "`buckets` only applies to `Histogram` and `HistogramVec` fields",
        );
        return;
    }
    let bounds = match buckets.spec.bounds() {
        Ok(bounds) => bounds,
        Err(error) => {
            let span = buckets
                .arg_spans
                .get(error.argument)
                .copied()
                .unwrap_or(buckets.span);
            cx.error_at(span, error.message);
            return;
        }
    };
    if let Err(error) = validate_bounds(&bounds) {
        let span = match (&buckets.spec, &error) {
            (
                BucketSpec::Explicit(_),
                BoundsError::NotFinite { index } | BoundsError::NotIncreasing { index },
            ) => buckets
                .arg_spans
                .get(*index)
                .copied()
                .unwrap_or(buckets.span),
            _ => buckets.span,
        };
        cx.error_at(span, error);
    }
}

const TIME_UNITS: &[(&str, &str)] = &[
    ("seconds", "s"),
    ("milliseconds", "ms"),
    ("microseconds", "us"),
    ("nanoseconds", "ns"),
];

/// How many of `unit` make a second, for duration helpers.
pub(crate) fn per_second(unit: &str) -> Option<f64> {
    let index = TIME_UNITS.iter().position(|(name, _)| *name == unit)?;
    Some(1000f64.powi(index as i32))
}

fn check_unit(cx: &Ctxt, field: &Field) {
    let Some(lit) = &field.attrs.unit else { return };
    let unit = lit.value();
    let well_formed = !unit.is_empty()
        && unit.starts_with(|c: char| c.is_ascii_lowercase())
        && unit
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        cx.error_spanned_by(
            lit,
            format!(
                "invalid unit `{unit}`: expected a lowercase word such as `seconds` or `bytes`"
            ),
        );
        return;
    }
    let Some(name) = field.literal_name() else {
        return;
    };
    let abbreviation = TIME_UNITS
        .iter()
        .find(|(long, _)| *long == unit)
        .map(|(_, short)| *short);
    let mentions = |word: &str| name.split('_').any(|token| token == word);
    if !mentions(&unit) && !abbreviation.is_some_and(mentions) {
        cx.error_spanned_by(
            lit,
            format!("metric name `{name}` does not mention its unit `{unit}`: end it in `_{unit}`"),
        );
    }
}
