//! Gathering and encoding: merging the families of several registries (the
//! levels of a scope hierarchy) into one exposition, and the text format.
//! Knows nothing of scopes: callers hand it registries.

use std::collections::btree_map::{BTreeMap, Entry};

use prometheus::proto::{LabelPair, Metric, MetricFamily};
use prometheus::{Encoder, Registry, TextEncoder};

use crate::Error;

/// The families of `registries`, merged by name and sorted: a family seen in
/// two registries must agree on help and type, and a series seen twice is
/// kept once if identical and refused otherwise.
pub(crate) fn merge<'a>(
    registries: impl IntoIterator<Item = &'a Registry>,
) -> Result<Vec<MetricFamily>, Error> {
    let mut merged = BTreeMap::new();
    for registry in registries {
        merge_into(registry, &mut merged)?;
    }
    Ok(merged
        .into_values()
        .map(|mut family: MetricFamily| {
            family
                .mut_metric()
                .sort_by(|a, b| label_key(a).cmp(&label_key(b)));
            family
        })
        .collect())
}

fn merge_into(
    registry: &Registry,
    merged: &mut BTreeMap<String, MetricFamily>,
) -> Result<(), Error> {
    for mut family in registry.gather() {
        match merged.entry(family.name().to_owned()) {
            Entry::Vacant(slot) => {
                slot.insert(family);
            }
            Entry::Occupied(mut slot) => {
                let existing = slot.get_mut();
                let metric = family.name().to_owned();
                if existing.help() != family.help() {
                    return Err(Error::Inconsistent {
                        metric,
                        reason: "two scopes give it different help texts".into(),
                    });
                }
                if existing.get_field_type() != family.get_field_type() {
                    return Err(Error::Inconsistent {
                        metric,
                        reason: "two scopes give it different types".into(),
                    });
                }
                for series in family.take_metric() {
                    match existing
                        .get_metric()
                        .iter()
                        .find(|s| label_key(s) == label_key(&series))
                    {
                        Some(same) if *same == series => {}
                        Some(_) => {
                            return Err(Error::Inconsistent {
                                metric,
                                reason: format!(
                                    "two scopes hold different series labelled {:?}",
                                    label_key(&series)
                                ),
                            })
                        }
                        None => existing.mut_metric().push(series),
                    }
                }
            }
        }
    }
    Ok(())
}

fn label_key(metric: &Metric) -> Vec<(&str, &str)> {
    metric
        .get_label()
        .iter()
        .map(|pair: &LabelPair| (pair.name(), pair.value()))
        .collect()
}

/// Families in the text exposition format.
pub fn encode_text(families: &[MetricFamily]) -> Result<String, Error> {
    let mut buffer = Vec::new();
    TextEncoder::new()
        .encode(families, &mut buffer)
        .map_err(|source| Error::Encode { source })?;
    String::from_utf8(buffer).map_err(|_| Error::Encode {
        source: prometheus::Error::Msg("exposition is not UTF-8".into()),
    })
}
