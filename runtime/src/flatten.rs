//! `#[metric(flatten)]` at compile time: the descriptors of a group nested
//! in another, with the outer group's prefix in front of each name and the
//! outer field in front of each field, as part of the outer group's one
//! `'static` descriptor list. The catalog, registration errors and scopes
//! then see them as the outer group's metrics.
//!
//! These are const fns because the outer group's derive cannot see the
//! inner group's declaration (another derive): it hands the inner
//! descriptors to these at const evaluation.

use crate::descriptor::{GroupDescriptor, MetricDescriptor, ScopeKind};
use metric_group_rules::const_str::str_eq;
use metric_group_rules::hierarchy::NamingPreset;
use metric_group_rules::MetricKind;

/// What an array of descriptors starts as before each slot is written.
const UNSET: MetricDescriptor = MetricDescriptor {
    field: "",
    name: "",
    kind: MetricKind::Gauge,
    help: "",
    labels: &[],
    buckets: None,
    unit: None,
    allowed_lints: &[],
    max_series: None,
    expire_after: None,
    cardinality: None,
};

/// Which string of each descriptor a joined buffer holds.
#[derive(Clone, Copy, Debug)]
pub enum Part {
    /// The metric's name, joined to the outer prefix by `_`.
    Name,
    /// The field, joined to the outer field by `.`.
    Field,
}

impl Part {
    const fn of(self, metric: &MetricDescriptor) -> &'static str {
        match self {
            Part::Name => metric.name,
            Part::Field => metric.field,
        }
    }

    const fn separator(self) -> &'static [u8] {
        match self {
            Part::Name => b"_",
            Part::Field => b".",
        }
    }

    /// The length of what goes before each part: nothing for an empty head.
    const fn head_len(self, head: &str) -> usize {
        if head.is_empty() {
            0
        } else {
            head.len() + self.separator().len()
        }
    }
}

/// The bytes of every `head` + separator + part, back to back.
#[must_use]
pub const fn joined_len(head: &str, metrics: &[MetricDescriptor], part: Part) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < metrics.len() {
        total += part.head_len(head) + part.of(&metrics[i]).len();
        i += 1;
    }
    total
}

/// See [`joined_len`].
#[must_use]
pub const fn joined_bytes<const N: usize>(
    head: &str,
    metrics: &[MetricDescriptor],
    part: Part,
) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < metrics.len() {
        if !head.is_empty() {
            at = copy(&mut out, at, head.as_bytes());
            at = copy(&mut out, at, part.separator());
        }
        at = copy(&mut out, at, part.of(&metrics[i]).as_bytes());
        i += 1;
    }
    out
}

const fn copy<const N: usize>(out: &mut [u8; N], mut at: usize, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        out[at] = bytes[i];
        at += 1;
        i += 1;
    }
    at
}

/// `len` bytes of `bytes` from `start`, which [`joined_bytes`] wrote from
/// `str`s cut at their boundaries.
const fn slice_str(bytes: &'static [u8], start: usize, len: usize) -> &'static str {
    let (_, rest) = bytes.split_at(start);
    let (piece, _) = rest.split_at(len);
    match core::str::from_utf8(piece) {
        Ok(piece) => piece,
        Err(_) => panic!("a joined name is cut inside a character"),
    }
}

/// `inner` with each name behind `prefix` and each field behind `field`;
/// `names` and `fields` are their [`joined_bytes`].
#[must_use]
pub const fn flattened<const N: usize>(
    inner: &'static [MetricDescriptor],
    prefix: &'static str,
    names: &'static [u8],
    field: &'static str,
    fields: &'static [u8],
) -> [MetricDescriptor; N] {
    let mut out = [UNSET; N];
    let (mut name_at, mut field_at) = (0, 0);
    let mut i = 0;
    while i < N {
        let metric = inner[i];
        let name_len = Part::Name.head_len(prefix) + metric.name.len();
        let field_len = Part::Field.head_len(field) + metric.field.len();
        out[i] = MetricDescriptor {
            name: slice_str(names, name_at, name_len),
            field: slice_str(fields, field_at, field_len),
            ..metric
        };
        name_at += name_len;
        field_at += field_len;
        i += 1;
    }
    out
}

/// The number of descriptors in `parts`.
#[must_use]
pub const fn total_len(parts: &[&[MetricDescriptor]]) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < parts.len() {
        total += parts[i].len();
        i += 1;
    }
    total
}

/// `parts` back to back: a group's own descriptors and its flattened ones,
/// in field order.
#[must_use]
pub const fn concat_descriptors<const N: usize>(
    parts: &[&[MetricDescriptor]],
) -> [MetricDescriptor; N] {
    let mut out = [UNSET; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[at] = parts[i][j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// Whether a group can be flattened into another: its names are a
/// registry's (no scope of its own) and it has no const labels, whose values
/// the outer group's constructors could not take.
#[must_use]
pub const fn flattenable(group: &GroupDescriptor) -> bool {
    matches!(group.scope, ScopeKind::Registry) && group.const_labels.is_empty()
}

/// Whether a metric in `metrics[start..start + len]` (one flattened group's)
/// has the name of a metric outside that range.
#[must_use]
pub const fn name_taken(metrics: &[MetricDescriptor], start: usize, len: usize) -> bool {
    let mut i = start;
    while i < start + len {
        let mut j = 0;
        while j < metrics.len() {
            if (j < start || j >= start + len) && str_eq(metrics[i].name, metrics[j].name) {
                return true;
            }
            j += 1;
        }
        i += 1;
    }
    false
}

/// Whether a metric in `metrics[start..start + len]` has a label the group
/// also sets as a const label.
#[must_use]
pub const fn label_taken(
    const_labels: &[&str],
    metrics: &[MetricDescriptor],
    start: usize,
    len: usize,
) -> bool {
    let mut i = start;
    while i < start + len {
        let labels = metrics[i].labels;
        let mut l = 0;
        while l < labels.len() {
            if metric_group_rules::const_str::names_contain(const_labels, labels[l]) {
                return true;
            }
            l += 1;
        }
        i += 1;
    }
    false
}

/// The first metric of `metrics[start..start + len]` whose name, behind
/// `prefix` (an outer group's or a hierarchy's), breaks a rule the name
/// alone passes ([`check_joined_name`](metric_group_rules::check_joined_name)):
/// its index and the error's
/// [`index`](metric_group_rules::JoinedNameError::index).
#[must_use]
pub const fn joined_name_problem(
    prefix: &str,
    metrics: &[MetricDescriptor],
    start: usize,
    len: usize,
) -> Option<(usize, usize)> {
    let mut i = start;
    while i < start + len && i < metrics.len() {
        let metric = &metrics[i];
        let allowed = metric_group_rules::LintSet::of(metric.allowed_lints);
        if let Err(error) =
            metric_group_rules::check_joined_name(prefix, metric.name, metric.kind, allowed)
        {
            return Some((i, error.index()));
        }
        i += 1;
    }
    None
}

/// The first metric of `metrics[start..start + len]` that would write a
/// series (or an OpenMetrics family) of a metric in one of the `earlier`
/// ranges (`(start, len)` each), by
/// [`check_series_clash`](metric_group_rules::check_series_clash): the
/// two indices and the clash's
/// [`index`](metric_group_rules::SeriesClash::index).
#[must_use]
pub const fn series_clash(
    metrics: &[MetricDescriptor],
    start: usize,
    len: usize,
    earlier: &[(usize, usize)],
) -> Option<(usize, usize, usize)> {
    let mut i = start;
    while i < start + len && i < metrics.len() {
        let mut range = 0;
        while range < earlier.len() {
            let (from, count) = earlier[range];
            let mut j = from;
            while j < from + count && j < metrics.len() {
                let (a, b) = (&metrics[j], &metrics[i]);
                if let Err(clash) =
                    metric_group_rules::check_series_clash(a.name, a.kind, b.name, b.kind)
                {
                    return Some((i, j, clash.index()));
                }
                j += 1;
            }
            range += 1;
        }
        i += 1;
    }
    None
}

/// The first label of a metric in `metrics` (a flattened group's) that a
/// scope at `level` of `preset` adds or may add
/// ([`NamingPreset::first_added`]): the label, the metric's name and its
/// field.
#[must_use]
pub const fn scope_label_taken(
    preset: &NamingPreset,
    level: Option<&str>,
    metrics: &'static [MetricDescriptor],
) -> Option<(&'static str, &'static str, &'static str)> {
    let mut i = 0;
    while i < metrics.len() {
        let metric = &metrics[i];
        if let Some(label) = preset.first_added(level, metric.labels) {
            return Some((metric.labels[label], metric.name, metric.field));
        }
        i += 1;
    }
    None
}
