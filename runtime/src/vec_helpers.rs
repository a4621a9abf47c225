//! The runtime of the helpers the derive generates for plain `*Vec` fields
//! (`IntCounterVec`, `HistogramVec`, ...): typed label values resolved to a
//! series, the family's limits applied through the records `collision`
//! keeps, the overflow series exposed, series removed and records dropped.
//! Beside `collision.rs`, which it calls; nothing here is imported back.

use prometheus::core::Collector;

use crate::collision;
use crate::encode::{capture_with_exemplars, capturing, note_vec_counts};
use crate::labels::{LabelBuffer, LabelValue};
use crate::limits::OVERFLOW_LABEL;
use crate::prom::{family_name, Labelled};
use crate::Error;

/// Formats typed label values on the stack and hands them to `f` as `&str`s.
// Always inlined: left to LLVM, it went out of line once `series` had more
// callers than the helpers (the exemplar helpers), and each value's
// `label_str` became a call through its `dyn` table (BENCHMARKS.md,
// "Plain `*Vec` helpers").
#[allow(clippy::inline_always)]
#[inline(always)]
fn with_label_strs<const N: usize, R>(
    values: [&dyn LabelValue; N],
    f: impl FnOnce(&[&str]) -> R,
) -> R {
    let mut buffers: [LabelBuffer; N] = [LabelBuffer::new(); N];
    let mut strs: [&str; N] = [""; N];
    for ((slot, value), buffer) in strs.iter_mut().zip(values).zip(buffers.iter_mut()) {
        *slot = value.label_str(buffer);
    }
    f(&strs)
}

/// The child series of `family` for these label values; an error if
/// prometheus hands out a series holding other label values
/// (`collision`'s module doc says how that is known).
///
/// # Errors
///
/// [`Error::Labels`] when prometheus refuses the values, or the collision
/// of two label value sets on one series.
#[inline]
pub fn series<V: Labelled, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
) -> Result<V::Child, Error> {
    with_label_strs(values, |strs| {
        let labels_refused = |source| Error::Labels {
            metric: family_name(family),
            source,
        };
        if !collision::overflows_at_once(family, strs) {
            let child = family.child(strs).map_err(labels_refused)?;
            if let collision::Admitted::Own = collision::admit(family, &child, strs)? {
                return Ok(child);
            }
        }
        // Past the family's limits: its overflow series, the child every
        // label of which holds the overflow label's name (exposed with
        // `metric_group_overflow="true"` in their place, `LimitedVec`).
        let overflow = [OVERFLOW_LABEL; N];
        family.child(&overflow).map_err(labels_refused)
    })
}

/// How a group registers a `*Vec` field: the family, its idle series
/// expired at each scrape, its overflow series exposed with its const
/// labels and `metric_group_overflow="true"`.
pub fn vec_collector<V: Labelled + Clone + Send + Sync + 'static>(
    family: &V,
) -> Box<dyn Collector> {
    Box::new(LimitedVec(family.clone()))
}

struct LimitedVec<V>(V);

impl<V: Labelled + Send + Sync + 'static> Collector for LimitedVec<V> {
    fn desc(&self) -> Vec<&prometheus::core::Desc> {
        self.0.desc()
    }

    fn collect(&self) -> Vec<prometheus::proto::MetricFamily> {
        collision::expire(&self.0);
        let mut families = self.0.collect();
        // Exemplars (histogram series a helper recorded them for), read
        // before the overflow series is relabelled.
        let exemplars: Vec<_> = if capturing() {
            families
                .iter()
                .map(|family| collision::family_exemplars(&self.0, family.get_metric()))
                .collect()
        } else {
            Vec::new()
        };
        let (overflowed, expired) = collision::counts(&self.0);
        for family in &families {
            note_vec_counts(family.name(), overflowed, expired);
        }
        let variable: Vec<String> =
            (self.0.desc().first()).map_or_else(Vec::new, |desc| desc.variable_labels.clone());
        for family in &mut families {
            for metric in family.mut_metric().iter_mut() {
                let overflow = !variable.is_empty()
                    && variable.iter().all(|name| {
                        metric
                            .get_label()
                            .iter()
                            .any(|pair| pair.name() == name && pair.value() == OVERFLOW_LABEL)
                    });
                if overflow {
                    let mut pairs: Vec<_> = metric
                        .take_label()
                        .into_iter()
                        .filter(|pair| !variable.iter().any(|name| name == pair.name()))
                        .collect();
                    let mut marker = prometheus::proto::LabelPair::default();
                    marker.set_name(OVERFLOW_LABEL.to_owned());
                    marker.set_value("true".to_owned());
                    pairs.push(marker);
                    pairs.sort_by(|a, b| a.name().cmp(b.name()));
                    metric.set_label(pairs);
                }
            }
        }
        for (family, exemplars) in families.iter_mut().zip(exemplars) {
            if let Some(exemplars) = exemplars {
                capture_with_exemplars(family, exemplars);
            }
        }
        families
    }
}

/// Removes the child series for these label values; whether there was one
/// (a series holding other label values is left alone).
pub fn remove_series<V: Labelled, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
) -> bool {
    with_label_strs(values, |strs| collision::remove(family, strs))
}

/// Drops what the helpers recorded about `family`'s series (and the clones
/// of them the records hold). The `Drop` the derive generates for a group
/// calls this for each of its plain `*Vec` fields, so the records go with
/// the group; calling it for a family still in use only costs its next
/// helper calls a cold path each.
pub fn forget_records<C: Collector>(family: &C) {
    collision::forget(family);
}
