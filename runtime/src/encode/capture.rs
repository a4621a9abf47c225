//! Capturing the library's families while a registry is gathered: each
//! `Family` hands itself to the gather in progress on its thread and gives
//! the registry a placeholder series in its place.

use std::cell::RefCell;
use std::sync::Arc;

use prometheus::proto::{self, MetricFamily};
use prometheus::Registry;

use super::proto::proto_values;
use super::{ScrapeOrder, SeriesSink};
use crate::exemplar::BucketExemplars;

/// A family whose series this module reads directly.
pub(crate) trait DirectFamily: Send + Sync {
    /// A histogram family's bounds (`+Inf` excluded); empty otherwise.
    fn bounds(&self) -> &[f64];
    /// The label names its series carry, in the order written.
    fn label_names(&self) -> Vec<&str>;
    /// Whether every series carries those names (not so once the overflow
    /// series, which has its own, is shown).
    fn uniform(&self) -> bool;
    /// About how many series it holds, to size buffers.
    fn len_hint(&self) -> usize;
    /// Writes every series into `sink`.
    fn collect_series(&self, sink: &mut SeriesSink<'_>);
    /// Updates sent to its overflow series, and series idle expiry
    /// removed (for the self-metrics).
    fn limit_counts(&self) -> (u64, u64);
    /// Where its scrape order is kept between scrapes, if it is; the
    /// family counts its changes there (`order.rs`).
    fn scrape_order(&self) -> Option<&ScrapeOrder> {
        None
    }
}

/// The label of a placeholder series: its value indexes the families
/// captured during one gather. `__` names are reserved to Prometheus, so no
/// collector's series carries it.
pub(super) const PLACEHOLDER_LABEL: &str = "__metric_group_family";

pub(super) type Captured = Vec<Arc<dyn DirectFamily>>;

thread_local! {
    /// The families captured by the gather in progress on this thread.
    static CAPTURED: RefCell<Option<Captured>> = const { RefCell::new(None) };
    /// What the `*Vec` families of the gather in progress report of their
    /// limits: name, overflowed, expired (for the self-metrics).
    static VEC_COUNTS: RefCell<Vec<(String, u64, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Inside a gather of this module, notes what a `*Vec` family's limits did.
pub(crate) fn note_vec_counts(name: &str, overflowed: u64, expired: u64) {
    let capturing = CAPTURED.with(|captured| captured.borrow().is_some());
    if capturing {
        VEC_COUNTS.with(|counts| {
            counts
                .borrow_mut()
                .push((name.to_owned(), overflowed, expired));
        });
    }
}

/// The counts noted since the last call, taken.
pub(super) fn take_vec_counts() -> Vec<(String, u64, u64)> {
    VEC_COUNTS.with(|counts| std::mem::take(&mut *counts.borrow_mut()))
}

/// Inside a gather of this module, keeps `family` and returns the
/// placeholder series the registry holds in its place; `None` otherwise.
pub(crate) fn capture(family: Arc<dyn DirectFamily>) -> Option<proto::Metric> {
    CAPTURED.with(|captured| {
        let mut captured = captured.borrow_mut();
        let families = captured.as_mut()?;
        let mut pair = proto::LabelPair::default();
        pair.set_name(PLACEHOLDER_LABEL.to_owned());
        pair.set_value(families.len().to_string());
        families.push(family);
        let mut metric = proto::Metric::default();
        metric.set_label(vec![pair]);
        Some(metric)
    })
}

/// Puts back the capture state a gather found when dropped, even if a
/// collector panics.
struct CaptureGuard(Option<Captured>);

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        let previous = self.0.take();
        CAPTURED.with(|captured| *captured.borrow_mut() = previous);
    }
}

/// `registry.gather()` with families captured instead of converted.
pub(super) fn gather_capturing(registry: &Registry) -> (Vec<MetricFamily>, Captured) {
    let previous = CAPTURED.with(|captured| captured.replace(Some(Vec::new())));
    let guard = CaptureGuard(previous);
    let families = registry.gather();
    let captured = CAPTURED.with(RefCell::take);
    drop(guard);
    (families, captured.unwrap_or_default())
}

/// Whether a gather of this module is in progress on this thread.
pub(crate) fn capturing() -> bool {
    CAPTURED.with(|captured| captured.borrow().is_some())
}

/// A family of prometheus' own series with exemplars beside them (plain
/// `Histogram` fields, `HistogramVec` children): inside a gather of this
/// module, kept as a captured family that writes each series as the
/// protobuf path would and its exemplars with it, the registry holding a
/// placeholder in `family`; otherwise `family` is left as it is.
pub(crate) fn capture_with_exemplars(
    family: &mut MetricFamily,
    exemplars: Vec<Option<Arc<BucketExemplars>>>,
) {
    if !capturing() {
        return;
    }
    let kind = family.get_field_type();
    let metrics = family.take_metric();
    let mut bounds = Vec::new();
    if let Some(metric) = metrics.first() {
        bounds = proto_values(kind, metric, &mut Vec::new());
    }
    let direct = Arc::new(ProtoSeries {
        kind,
        metrics,
        exemplars,
        bounds,
    });
    match capture(direct.clone()) {
        Some(placeholder) => family.set_metric(vec![placeholder]),
        // Not reached (capturing, checked above): the series put back.
        None => family.set_metric(direct.metrics.clone()),
    }
}

/// Series prometheus built, and the exemplars of each.
struct ProtoSeries {
    kind: proto::MetricType,
    metrics: Vec<proto::Metric>,
    exemplars: Vec<Option<Arc<BucketExemplars>>>,
    bounds: Vec<f64>,
}

impl DirectFamily for ProtoSeries {
    fn bounds(&self) -> &[f64] {
        &self.bounds
    }

    fn label_names(&self) -> Vec<&str> {
        self.metrics.first().map_or_else(Vec::new, |metric| {
            metric
                .get_label()
                .iter()
                .map(proto::LabelPair::name)
                .collect()
        })
    }

    fn uniform(&self) -> bool {
        let names = self.label_names();
        self.metrics.iter().all(|metric| {
            metric
                .get_label()
                .iter()
                .map(proto::LabelPair::name)
                .eq(names.iter().copied())
        })
    }

    fn len_hint(&self) -> usize {
        self.metrics.len()
    }

    fn collect_series(&self, sink: &mut SeriesSink<'_>) {
        for (index, metric) in self.metrics.iter().enumerate() {
            sink.begin();
            proto_values(self.kind, metric, sink.values());
            if let Some(Some(exemplars)) = self.exemplars.get(index) {
                sink.exemplars(exemplars.exemplars());
            }
            for pair in metric.get_label() {
                sink.pair(pair.name(), pair.value());
            }
            sink.end(metric.timestamp_ms());
        }
    }

    fn limit_counts(&self) -> (u64, u64) {
        (0, 0)
    }
}
