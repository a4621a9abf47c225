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

/// Formats typed label values into `buffers` (on the caller's stack) and
/// returns them as `&str`s.
// Always inlined, and no closure: left to LLVM, each value's `label_str`
// became a call through its `dyn` table once `series` had more callers
// (BENCHMARKS.md, "Plain `*Vec` helpers").
#[allow(clippy::inline_always)]
#[inline(always)]
fn label_strs<'a, const N: usize>(
    values: [&'a dyn LabelValue; N],
    buffers: &'a mut [LabelBuffer; N],
) -> [&'a str; N] {
    let mut strs: [&str; N] = [""; N];
    for ((slot, value), buffer) in strs.iter_mut().zip(values).zip(buffers.iter_mut()) {
        *slot = value.label_str(buffer);
    }
    strs
}

/// The child series of `family` for these label values; an error if
/// prometheus hands out a series holding other label values
/// (`collision`'s module doc says how that is known).
///
/// # Errors
///
/// [`Error::Labels`] when prometheus refuses the values, or the collision
/// of two label value sets on one series.
// Only the warm call's path is here, always inlined (`with_series`).
#[allow(clippy::inline_always)]
#[inline(always)]
pub fn series<V: Labelled, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
) -> Result<V::Child, Error> {
    with_series(family, values, |child| child)
}

/// `update` applied to the child series of `family` for these label
/// values: [`series`] then the update, written so that the warm call goes
/// from the check straight to the update (through `series`' `Result` it
/// stored the child and read it back; BENCHMARKS.md, "Plain `*Vec`
/// helpers").
///
/// # Errors
///
/// As [`series`]; `update` is not called then.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(crate) fn update_series<V: Labelled, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
    update: impl FnOnce(&V::Child),
) -> Result<(), Error> {
    with_series(family, values, |child| update(&child))
}

/// `use_child` given the child series of `family` for these label values:
/// the warm call's path, always inlined (the cheap overflow test, the
/// family's child, the thread's recent records), `use_child` called right
/// after the check. Everything else is out of line and cold, so that this
/// stays small enough for every caller, whatever their number
/// (BENCHMARKS.md, "Plain `*Vec` helpers").
#[allow(clippy::inline_always)]
#[inline(always)]
fn with_series<V: Labelled, const N: usize, R>(
    family: &V,
    values: [&dyn LabelValue; N],
    use_child: impl FnOnce(V::Child) -> R,
) -> Result<R, Error> {
    let mut buffers = [LabelBuffer::new(); N];
    let strs = &label_strs(values, &mut buffers);
    let resolved = if collision::may_overflow_at_once(strs) {
        series_cold(family, strs)
    } else {
        match family.child(strs) {
            Ok(child) if collision::admitted_recently(&child, strs) => {
                return Ok(use_child(child));
            }
            Ok(child) => series_admit(family, child, strs),
            Err(source) => Err(labels_refused(family, source)),
        }
    };
    resolved.map(use_child)
}

/// [`series`] for a child not among the thread's recent records.
#[cold]
#[inline(never)]
fn series_admit<V: Labelled, const N: usize>(
    family: &V,
    child: V::Child,
    strs: &[&str; N],
) -> Result<V::Child, Error> {
    if collision::overflows_at_once(family, strs) {
        // Values all the overflow series' own (`may_overflow_at_once` does
        // not look for them): `child` is that series.
        return Ok(child);
    }
    admit_child(family, child, strs)
}

/// [`series_admit`] once the overflow is ruled out.
fn admit_child<V: Labelled, const N: usize>(
    family: &V,
    child: V::Child,
    strs: &[&str; N],
) -> Result<V::Child, Error> {
    match collision::admit(family, &child, strs)? {
        collision::Admitted::Own => Ok(child),
        collision::Admitted::Overflow => overflow_series::<V, N>(family),
    }
}

/// [`series`] for values that may go to the overflow series at once.
#[cold]
#[inline(never)]
fn series_cold<V: Labelled, const N: usize>(
    family: &V,
    strs: &[&str; N],
) -> Result<V::Child, Error> {
    if collision::overflows_at_once(family, strs) {
        return overflow_series::<V, N>(family);
    }
    let child = family
        .child(strs)
        .map_err(|source| labels_refused(family, source))?;
    if collision::admitted_recently(&child, strs) {
        return Ok(child);
    }
    admit_child(family, child, strs)
}

/// Past the family's limits: its overflow series, the child every label
/// of which holds the overflow label's name (exposed with
/// `metric_group_overflow="true"` in their place, `LimitedVec`).
fn overflow_series<V: Labelled, const N: usize>(family: &V) -> Result<V::Child, Error> {
    let overflow = [OVERFLOW_LABEL; N];
    family
        .child(&overflow)
        .map_err(|source| labels_refused(family, source))
}

/// prometheus refused the label values.
#[cold]
#[inline(never)]
fn labels_refused(family: &dyn Collector, source: prometheus::Error) -> Error {
    Error::Labels {
        metric: family_name(family),
        source,
    }
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
    let mut buffers = [LabelBuffer::new(); N];
    collision::remove(family, &label_strs(values, &mut buffers))
}

/// Drops what the helpers recorded about `family`'s series (and the clones
/// of them the records hold). The `Drop` the derive generates for a group
/// calls this for each of its plain `*Vec` fields, so the records go with
/// the group; calling it for a family still in use only costs its next
/// helper calls a cold path each.
pub fn forget_records<C: Collector>(family: &C) {
    collision::forget(family);
}
