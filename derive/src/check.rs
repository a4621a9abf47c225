//! Every rule that looks at names or across fields. Each violation is
//! reported once, at the token that causes it; names built from constants are
//! left to the const-evaluated checks that expand/ emits. The facts judged
//! here (full names, label names, helper names) come from ast.rs. The
//! `LabelValue` and `LabelSet` inputs' rules are at the end.

use std::collections::HashMap;

use crate::ast::{unit_ending, Field, Input, LabelSetInput, LabelValueInput};
use crate::attr::{self, LabelName, NameValue, Scope};
use crate::ctxt::Ctxt;
use crate::suggest::did_you_mean;
use metric_group_rules::{
    check_full_name, check_histogram_name, check_label_name, check_prefix, is_known_unit,
    is_snake_case_label_name, lint_label, lint_metric, lint_prefix, name_mentions_unit,
    suggested_units, unit_for_alias, LabelPlace, Lint, LintSet, MetricKind, NameError,
};

pub(crate) fn check(cx: &Ctxt, input: &Input) {
    check_group_prefix(cx, input);
    check_const_label_lints(cx, input);
    check_naming(cx, input);
    check_label_set(
        cx,
        &input.attrs.const_labels,
        &[],
        "const label",
        LabelPlace::Metric,
    );
    if let Some(buckets) = input.attrs.buckets.value() {
        check_bucket_spec(cx, buckets);
    }
    if let Some(unit) = input.attrs.unit.value() {
        check_unit_known(cx, unit);
    }
    if let Some(bind) = input.attrs.bind.value() {
        if bind.names.is_empty() {
            cx.error_at(
                bind.span,
                "`bind(...)` needs the label names to bind, e.g. `bind(model, worker_type)`",
            );
        } else if input.bound_fields.is_empty() {
            cx.error_at(
                bind.span,
                "no `*Vec` field of the group is labelled exactly these labels, in this order, and no `Family` field has this label set type: `bind(...)` would resolve nothing",
            );
        }
    }
    let mut names: HashMap<String, &Field> = HashMap::new();
    for (index, field) in input.fields.iter().enumerate() {
        if field.metric.is_none() {
            continue; // not a metric: its type is the one error to report
        }
        check_type_and_labels(cx, input, field);
        check_help(cx, field);
        check_buckets(cx, field);
        check_unit(cx, field);
        check_helpers(cx, input, index);
        check_limits(cx, field);
        if !field.resolved.name_checkable {
            continue;
        }
        check_label_lints(cx, field);
        if let Some(name) = &field.resolved.literal_full_name {
            check_name(cx, input, index, name);
            check_series(cx, input, field, name);
            if let Some(previous) = names.get(name).copied() {
                if field.resolved.share_key.is_some() && previous.resolved.share_key.is_some() {
                    // Values against every earlier field of the family.
                    let earlier = input.fields[..index].iter().filter(|f| {
                        f.resolved.share_key.is_some()
                            && f.resolved.share_key == field.resolved.share_key
                    });
                    check_shared_family(cx, previous, earlier, field, name);
                    continue;
                }
            }
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

/// A group's const labels, against the lints a label trips wherever it
/// is used: once each, at the label, as every metric of the group carries
/// it.
fn check_const_label_lints(cx: &Ctxt, input: &Input) {
    let allowed: LintSet = input.attrs.allow.iter().map(|(lint, _)| *lint).collect();
    report_label_lints(
        cx,
        &input.attrs.const_labels,
        allowed,
        "const label",
        "metric_group",
    );
}

fn check_group_prefix(cx: &Ctxt, input: &Input) {
    if let Some(NameValue::Literal(lit)) = input.attrs.prefix.value() {
        let prefix = lit.value();
        if let Err(error) = check_prefix(&prefix) {
            cx.error_spanned_by(lit, format!("metric name prefix `{prefix}`: {error}"));
            return;
        }
        // The lints every name behind it would trip: once, here.
        let allowed: LintSet = input.attrs.allow.iter().map(|(lint, _)| *lint).collect();
        for lint in lint_prefix(&prefix).without(allowed).iter() {
            cx.error_spanned_by(
                lit,
                format!(
                    "metric name prefix `{prefix}`: {}; add `allow({})` to `#[metric_group(...)]` if this is deliberate",
                    lint.description(),
                    lint.key()
                ),
            );
        }
    }
}

/// Two families writing one series: at the later field, naming both.
fn check_series(cx: &Ctxt, input: &Input, field: &Field, full: &str) {
    let Some((earlier, clash)) = field.resolved.series_clash else {
        return;
    };
    let earlier = &input.fields[earlier];
    cx.error_at(
        field.name_span(),
        format!(
            "metric `{full}` (field `{}`) and metric `{}` (field `{}`) would write one series: {clash}",
            field.ident,
            earlier.resolved.literal_full_name.as_deref().unwrap_or_default(),
            earlier.ident
        ),
    );
}

fn check_name(cx: &Ctxt, input: &Input, index: usize, full: &str) {
    let field = &input.fields[index];
    let prefix = input.literal_prefix().unwrap_or_default();
    let name = field.literal_name().unwrap_or_default();
    match check_full_name(&prefix, &name) {
        Ok(()) => {}
        // An invalid prefix is reported at the prefix.
        Err(NameError::PrefixSyntax | NameError::PrefixTrailingUnderscore) => return,
        Err(NameError::Empty) => {
            cx.error_at(field.name_span(), NameError::Empty);
            return;
        }
        Err(error) => {
            cx.error_at(field.name_span(), format!("metric name `{full}`: {error}"));
            return;
        }
    }
    if field.kind() == MetricKind::Histogram {
        if let Err(error) = check_histogram_name(full) {
            cx.error_at(field.name_span(), format!("histogram `{full}`: {error}"));
            return;
        }
    }
    // Label names from constants take part in the lints by const evaluation.
    let Some(labels) = &field.resolved.all_label_names else {
        return;
    };
    // What the prefix trips is reported at the prefix (`check_group_prefix`),
    // what a label trips at the label (`check_label_lints`).
    let of_prefix = lint_prefix(&prefix);
    let found = lint_metric(full, field.kind(), &[]).without(of_prefix);
    let of_labels = (labels.iter()).fold(LintSet::EMPTY, |set, label| set.union(lint_label(label)));
    let mut allowed: LintSet = field.resolved.allowed_lints.iter().copied().collect();
    // A name that shares a histogram's series is that one mistake, reported
    // as such (no `allow` would help), not also a reserved suffix.
    let clashes = field.resolved.series_clash.is_some()
        || (input.fields[index + 1..].iter()).any(|later| {
            later
                .resolved
                .series_clash
                .is_some_and(|(earlier, _)| earlier == index)
        });
    if clashes {
        allowed = allowed.with(Lint::ReservedSuffix);
    }
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
        if !found.contains(*lint) && !of_labels.contains(*lint) && !of_prefix.contains(*lint) {
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

/// `scrape_label`, at each label named `job` or `instance`: a field's own
/// at the field, a group's const label once, at the first metric it trips.
/// A field's own and fixed labels, against the lints a label trips
/// wherever it is used, allowed by the field's or the group's `allow`.
fn check_label_lints(cx: &Ctxt, field: &Field) {
    let allowed: LintSet = field.resolved.allowed_lints.iter().copied().collect();
    report_label_lints(
        cx,
        &field.resolved.family_labels,
        allowed,
        "label",
        "metric",
    );
}

/// `labels` written as literals (`what` they are), against the lints a
/// label trips wherever it is used (camel case, `job`/`instance`), at the
/// label, unless `allowed` (by the attribute `place`). A label from a
/// constant is judged by const evaluation, at the constant.
fn report_label_lints(cx: &Ctxt, labels: &[LabelName], allowed: LintSet, what: &str, place: &str) {
    for label in labels {
        let Some(name) = label.literal() else {
            continue;
        };
        for lint in lint_label(name).without(allowed).iter() {
            let reason = if lint == Lint::ScrapeLabel {
                format!(
                    "the Prometheus server sets `job` and `instance` at scrape, renaming a series' own `{name}` to `exported_{name}`"
                )
            } else {
                lint.description().to_owned()
            };
            cx.error_at(
                label.span,
                format!(
                    "{what} `{name}`: {reason}; add `allow({})` to `#[{place}(...)]` if this is deliberate",
                    lint.key()
                ),
            );
        }
    }
}

fn check_type_and_labels(cx: &Ctxt, input: &Input, field: &Field) {
    let Some(metric) = field.metric else { return };
    let labels_malformed = field.attrs.labels.is_malformed();
    match (field.attrs.labels.value(), metric.labelled) {
        (Some(list), true) if field.label_set.is_some() => cx.error_at(
            list.span,
            "a `Family` takes its label names from its label set's fields: remove `labels(...)`",
        ),
        (None, true)
            if field.label_set.is_some()
                || labels_malformed
                || !field.attrs.fixed_labels().is_empty() => {}
        (None, true) => cx.error_spanned_by(
            field.ty,
            format!(
                "`{}` is a labelled family: add `labels(...)` to `#[metric(...)]`",
                metric.name
            ),
        ),
        (Some(list), true) if list.names.is_empty() => {
            cx.error_at(list.span, "`labels(...)` needs at least one label name");
        }
        (Some(list), false) => cx.error_at(
            list.span,
            format!(
                "`{}` has no labels: use `{}Vec` for a labelled family",
                metric.name, metric.name
            ),
        ),
        _ => {}
    }
    let place = match metric.kind {
        MetricKind::Histogram => LabelPlace::Histogram,
        _ => LabelPlace::Metric,
    };
    let labels = &field.resolved.family_labels;
    check_label_set(cx, labels, &input.attrs.const_labels, "label", place);
    if let Some(span) = field.attrs.fixed_span() {
        if !metric.labelled || field.label_set.is_some() {
            cx.error_at(
                span,
                "`fixed(label = \"value\")` applies to `*Vec` fields (with `labels(...)`): the family's series for this field carry the fixed values",
            );
        }
    }
    for (_, value) in field.attrs.fixed_labels() {
        if matches!(value, NameValue::Literal(lit) if lit.value().is_empty()) {
            cx.error_spanned_by(
                value,
                "empty label value: Prometheus treats an empty value as a missing label",
            );
        }
    }
}

/// Names valid and unreserved, no repeats, none shared with `others`.
fn check_label_set(
    cx: &Ctxt,
    labels: &[LabelName],
    others: &[LabelName],
    what: &str,
    place: LabelPlace,
) {
    for (i, label) in labels.iter().enumerate() {
        // Constants are judged by const evaluation (expand/const_checks.rs).
        let Some(name) = label.literal() else {
            continue;
        };
        if let Err(error) = check_label_name(name, place) {
            cx.error_at(label.span, format!("{what} `{name}`: {error}"));
        } else if labels[..i].iter().any(|l| l.literal() == Some(name)) {
            cx.error_at(label.span, format!("duplicate {what} `{name}`"));
        } else if others.iter().any(|l| l.literal() == Some(name)) {
            cx.error_at(
                label.span,
                format!("label `{name}` is already a const label of the group"),
            );
        }
    }
}

/// `naming = PATH` names the preset a scoped group's labels are checked
/// against (by const evaluation, as the preset is a constant): a group on
/// a caller's registry has none.
fn check_naming(cx: &Ctxt, input: &Input) {
    if let (Some(path), Scope::Registry) = (input.attrs.naming.value(), input.scope()) {
        cx.error_spanned_by(
            path,
            "`naming` applies to groups created through the metrics hierarchy: add `scope = ...`, or remove `naming`",
        );
    }
}

/// `max_series` and `expire_after` bound the series of a labelled family;
/// given on a field with one series, they bound nothing.
fn check_limits(cx: &Ctxt, field: &Field) {
    let Some(metric) = field.metric else { return };
    if metric.labelled {
        return;
    }
    if let Some(max) = field.attrs.max_series.own() {
        cx.error_at(
            max.span(),
            format!(
                "`max_series` bounds a labelled family's series; `{}` has one series",
                metric.name
            ),
        );
    }
    if let Some(after) = field.attrs.expire_after.own() {
        cx.error_at(
            after.span(),
            format!(
                "`expire_after` removes a labelled family's idle series; `{}` has one series",
                metric.name
            ),
        );
    }
}

fn check_help(cx: &Ctxt, field: &Field) {
    match field.attrs.help.value() {
        Some(lit) if lit.value().trim().is_empty() => {
            cx.error_spanned_by(lit, "help text must not be empty");
        }
        None if field.doc.is_none() && !field.attrs.help.is_malformed() => cx.error_spanned_by(
            field.ident,
            "missing help text: add a doc comment or `help = \"...\"` to `#[metric(...)]`",
        ),
        _ => {}
    }
}

fn check_buckets(cx: &Ctxt, field: &Field) {
    let Some(buckets) = field.attrs.buckets.value() else {
        return;
    };
    if field.kind() != MetricKind::Histogram {
        cx.error_at(
            buckets.span,
            "`buckets` only applies to `Histogram` and `HistogramVec` fields",
        );
        return;
    }
    if !field.attrs.buckets.is_inherited() {
        check_bucket_spec(cx, buckets); // the group's are checked at the group
    }
}

fn check_bucket_spec(cx: &Ctxt, buckets: &attr::Buckets) {
    if buckets.constant.is_some() || buckets.names_constants() {
        return; // judged by const evaluation (`const_bucket_checks`)
    }
    for error in buckets.bounds().err().unwrap_or_default() {
        // At the argument, or the listed bound, at fault.
        let arg = match buckets.spec {
            Some(_) => error.argument(),
            None => error.bound(),
        };
        let arg = arg.and_then(|index| buckets.args.get(index));
        let error = error.message();
        match arg {
            Some(arg) => cx.error_spanned_by(arg, error),
            None => cx.error_at(buckets.span, error),
        }
    }
}

/// Whether the unit is one the rules know; reports it otherwise.
fn check_unit_known(cx: &Ctxt, lit: &syn::LitStr) -> bool {
    let unit = lit.value();
    if !is_known_unit(&unit) {
        let known = suggested_units();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        let hint = match unit_for_alias(&unit) {
            Some(alias) => format!(", did you mean `{alias}`?"),
            None if crate::suggest::closest(&unit, &known).is_some() => did_you_mean(&unit, &known),
            None => "; expected a base unit such as `seconds` or `bytes`, a prefixed one such as `milliseconds`, or a count such as `requests`, `tokens` or `ratio`".to_owned(),
        };
        cx.error_spanned_by(lit, format!("unknown unit `{unit}`{hint}"));
        return false;
    }
    true
}

fn check_unit(cx: &Ctxt, field: &Field) {
    let Some(lit) = field.attrs.unit.value() else {
        return;
    };
    let unit = lit.value();
    if field.attrs.unit.is_inherited() {
        if !is_known_unit(&unit) {
            return; // reported at the group
        }
    } else if !check_unit_known(cx, lit) {
        return;
    }
    if !field.resolved.name_checkable {
        return;
    }
    // Names built from constants are checked by const evaluation.
    let Some(name) = &field.resolved.literal_full_name else {
        return;
    };
    if !name_mentions_unit(name, &unit) {
        cx.error_at(
            field.unit_span().unwrap_or_else(|| lit.span()),
            format!(
                "metric name `{name}` does not mention its unit `{unit}`: end it in `{}`",
                unit_ending(&unit, field.kind())
            ),
        );
    }
}

/// A field whose helpers would have the same name as an earlier field's.
fn check_helpers(cx: &Ctxt, input: &Input, index: usize) {
    let field = &input.fields[index];
    if let Some((helper, earlier)) = &field.resolved.helper_clash {
        let earlier = &input.fields[*earlier];
        cx.error_spanned_by(
            field.ident,
            format!(
                "field `{}` would get a helper `{helper}`, which field `{}` already gets; rename one of the fields",
                field.ident, earlier.ident
            ),
        );
    }
}

/// Two fields with fixed labels that share a family: the same type, help and
/// label names, and fixed values of their own. Reported at the later field.
fn check_shared_family<'f, 'a: 'f>(
    cx: &Ctxt,
    first: &Field,
    mut earlier: impl Iterator<Item = &'f Field<'a>>,
    field: &Field,
    name: &str,
) {
    let disagree = |what: &str| {
        cx.error_at(
            field.name_span(),
            format!(
                "field `{}` shares the family `{name}` with field `{}` (both fix labels) but their {what} differ; fields of one family agree on type, help and labels",
                field.ident, first.ident
            ),
        );
    };
    let type_name = |f: &Field| f.metric.map(|m| m.name);
    // By name (a constant's: its snake-case last segment); const evaluation
    // checks the constants' values (`const_label_match_checks`).
    let names = |f: &Field| -> Vec<String> {
        f.resolved
            .family_labels
            .iter()
            .map(|l| l.name.clone())
            .collect()
    };
    if type_name(first) != type_name(field) {
        disagree("types");
    } else if first.help() != field.help() {
        disagree("help texts");
    } else if names(first) != names(field) {
        disagree("label names (variable, then fixed)");
    } else if first.attrs.buckets.value().map(|b| (b.spec, &b.folded))
        != field.attrs.buckets.value().map(|b| (b.spec, &b.folded))
    {
        disagree("buckets");
    } else {
        // Literal values; values from constants are compared by const
        // evaluation (`const_fixed_value_checks`).
        let literals = |f: &Field| -> Option<Vec<String>> {
            f.attrs
                .fixed_labels()
                .iter()
                .map(|(_, v)| match v {
                    NameValue::Literal(lit) => Some(lit.value()),
                    NameValue::Path(_) => None,
                })
                .collect()
        };
        let Some(ours) = literals(field) else { return };
        if let Some(same) = earlier.find(|e| literals(e).as_ref() == Some(&ours)) {
            cx.error_at(
                field.name_span(),
                format!(
                    "field `{}` fixes the same label values as field `{}`: both would write one series of `{name}`",
                    field.ident, same.ident
                ),
            );
        }
    }
}

/// `#[derive(LabelValue)]`: unit variants, every value non-empty and
/// distinct.
pub(crate) fn check_label_value_input(cx: &Ctxt, input: &LabelValueInput) {
    for (index, variant) in input.variants.iter().enumerate() {
        if let Some(fields) = variant.fields {
            cx.error_spanned_by(fields, "label value variants cannot have fields");
        }
        if variant.value.is_empty() {
            cx.error_at(
                variant.value_span,
                "empty label value: Prometheus treats an empty value as a missing label",
            );
        } else if let Some(other) = input.variants[..index]
            .iter()
            .find(|other| other.value == variant.value)
        {
            cx.error_at(
                variant.value_span,
                format!(
                    "label value `{}` is already the value of variant `{}`",
                    variant.value, other.ident
                ),
            );
        }
    }
}

/// `#[derive(LabelSet)]`: at least one label, each a valid `snake_case` name
/// whose type has an exact text form, no name twice. Names given as
/// constants are judged by const evaluation (`expand/label_set.rs`).
pub(crate) fn check_label_set_input(cx: &Ctxt, input: &LabelSetInput) {
    if input.labels.is_empty() {
        cx.error_spanned_by(input.ident, "a label set needs at least one label field");
    }
    for (i, label) in input.labels.iter().enumerate() {
        let name = &label.name;
        if label.path.is_some() {
            // A constant's value: judged by const evaluation.
        } else if let Err(error) = check_label_name(name, LabelPlace::LabelSet) {
            cx.error_at(label.span, format!("label `{name}`: {error}"));
        } else if !is_snake_case_label_name(name) {
            cx.error_at(
                label.span,
                format!("label name `{name}` should be written in snake_case"),
            );
        } else if let Some(earlier) = input.labels[..i]
            .iter()
            .find(|earlier| earlier.path.is_none() && earlier.name == *name)
        {
            cx.error_at(
                label.span,
                format!(
                    "duplicate label `{name}`: field `{}` already has that name",
                    syn::ext::IdentExt::unraw(earlier.ident)
                ),
            );
        }
        if label.float {
            cx.error_spanned_by(
                label.ty,
                "floats cannot be label values: a label value names a series, and a float has no one exact text form; use an integer, a string or an enum deriving `LabelValue`",
            );
        }
    }
}
