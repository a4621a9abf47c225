//! Merging the families of several registries (the levels of a scope
//! hierarchy) into one list of protobuf families, for `Scope::gather`.
//! Knows nothing of scopes: callers hand it registries. The text exposition
//! does not come through here: `encode` merges and writes in one pass.

use std::collections::btree_map::{BTreeMap, Entry};
use std::collections::HashMap;

use prometheus::proto::{LabelPair, Metric, MetricFamily, MetricType};
use prometheus::Registry;

use crate::Error;

/// The families of `registries`, merged by name and sorted: a family seen in
/// two registries must agree on help and type, a series seen twice is kept
/// once if identical and refused otherwise, and a series carrying one label
/// name twice is refused.
///
/// Linear in the series up to the sorts: each family keeps a map from its
/// series' label pairs to their position, so a series from another
/// registry is found by one lookup.
pub(crate) fn merge<'a>(
    registries: impl IntoIterator<Item = &'a Registry>,
) -> Result<Vec<MetricFamily>, Error> {
    let mut merged: BTreeMap<String, Merged> = BTreeMap::new();
    for (index, registry) in registries.into_iter().enumerate() {
        for family in registry.gather() {
            merge_family(index, family, &mut merged)?;
        }
    }
    Ok(merged
        .into_values()
        .map(|merged| {
            let mut family = merged.family;
            family.mut_metric().sort_by(prometheus_order);
            family
        })
        .collect())
}

/// A family being merged, with where each of its series came from.
struct Merged {
    family: MetricFamily,
    /// Label pairs of each series, to the series' index and registry.
    series: HashMap<Vec<(String, String)>, (usize, usize)>,
}

fn merge_family(
    registry: usize,
    mut family: MetricFamily,
    merged: &mut BTreeMap<String, Merged>,
) -> Result<(), Error> {
    for series in family.get_metric() {
        check_unique_label_names(family.name(), series)?;
    }
    let existing = match merged.entry(family.name().to_owned()) {
        Entry::Vacant(slot) => slot.insert(Merged {
            family: MetricFamily::default(),
            series: HashMap::new(),
        }),
        Entry::Occupied(slot) => slot.into_mut(),
    };
    if existing.series.is_empty() && existing.family.get_metric().is_empty() {
        let metrics = family.take_metric();
        existing.family = family;
        for (index, series) in metrics.iter().enumerate() {
            existing.series.insert(label_key(series), (index, registry));
        }
        existing.family.set_metric(metrics);
        return Ok(());
    }
    let metric = family.name().to_owned();
    check_agreement(
        existing.family.help(),
        existing.family.get_field_type(),
        &family,
    )?;
    for series in family.take_metric() {
        let key = label_key(&series);
        match existing.series.get(&key) {
            Some(&(index, from)) if from != registry => {
                if existing.family.get_metric()[index] != series {
                    return Err(Error::Inconsistent {
                        metric,
                        reason: format!("two registries hold different series labelled {key:?}"),
                    });
                }
            }
            _ => {
                let index = existing.family.get_metric().len();
                existing.series.entry(key).or_insert((index, registry));
                existing.family.mut_metric().push(series);
            }
        }
    }
    Ok(())
}

/// Refuses a series that carries a label name twice: the one check every
/// exposition path makes (`encode`, `encode_text`, a scope's gather and
/// encode, and so what `serve` and `metrics_response` answer). prometheus builds
/// such series when a const label and a variable label share a name
/// (nothing the derive or a scope lets through, but collectors registered by
/// hand can), and Prometheus rejects the whole scrape; an `Err` naming the
/// metric and the label says more.
pub(crate) fn check_unique_label_names(family: &str, metric: &Metric) -> Result<(), Error> {
    let labels = metric.get_label();
    for (i, pair) in labels.iter().enumerate() {
        if labels[..i].iter().any(|seen| seen.name() == pair.name()) {
            return Err(Error::DuplicateLabel {
                metric: family.to_owned(),
                label: pair.name().to_owned(),
            });
        }
    }
    Ok(())
}

/// Refuses `family` when a family of its name seen in another registry
/// (with `help` and `kind`) disagrees with it on help text or type: both
/// merges, this one and `encode`'s, judge a family seen twice by it.
pub(crate) fn check_agreement(
    help: &str,
    kind: MetricType,
    family: &MetricFamily,
) -> Result<(), Error> {
    let reason = match (help != family.help(), kind != family.get_field_type()) {
        (false, false) => return Ok(()),
        (true, false) => "two registries give it different help texts",
        (false, true) => "two registries give it different types",
        (true, true) => "two registries give it different help texts and types",
    };
    Err(Error::Inconsistent {
        metric: family.name().to_owned(),
        reason: reason.into(),
    })
}

/// How prometheus' `Registry::gather` orders the series of a family: by
/// their number of labels, then by their values (the label names only
/// break the ties it leaves in the order collected).
fn prometheus_order(a: &Metric, b: &Metric) -> std::cmp::Ordering {
    let (a, b) = (a.get_label(), b.get_label());
    a.len()
        .cmp(&b.len())
        .then_with(|| {
            a.iter()
                .map(LabelPair::value)
                .cmp(b.iter().map(LabelPair::value))
        })
        .then_with(|| {
            a.iter()
                .map(LabelPair::name)
                .cmp(b.iter().map(LabelPair::name))
        })
}

fn label_key(metric: &Metric) -> Vec<(String, String)> {
    metric
        .get_label()
        .iter()
        .map(|pair| (pair.name().to_owned(), pair.value().to_owned()))
        .collect()
}
