//! Exemplars on prometheus' own histograms and counters: a group's plain
//! `Histogram`, `IntCounter` and `Counter` fields and the series of its
//! `HistogramVec`, `IntCounterVec` and `CounterVec` fields.
//!
//! prometheus' metrics have no room for an exemplar, so it is kept in the
//! record `collision` holds for the series (keyed by the series' identity,
//! holding a clone of it, so the address names that series while the record
//! lives): a `*Vec` series has one once a helper admitted it; a plain field
//! gets one when its group's collectors are made, and loses it with its
//! group (the derive's `Drop`). A scrape in OpenMetrics finds
//! the exemplars through the same records (`encode::capture_with_exemplars`);
//! the series themselves are what prometheus reports, so the text format is
//! unchanged.

use prometheus::core::{Collector, Metric};
use prometheus::proto::MetricFamily;
use prometheus::{Counter, Histogram, HistogramVec, IntCounter};

use crate::collision;
use crate::encode::{capture_with_exemplars, capturing};
use crate::exemplar::Exemplar;
use crate::labels::LabelValue;
use crate::prom::{family_name, Labelled};
use crate::raw::series_identity::SeriesIdentity;
use crate::value_checks::{increment, observation};
use crate::vec_helpers::series;
use crate::Error;

/// Records a value with an exemplar into a prometheus `Histogram` that a
/// metric group exposes: a plain `Histogram` field, or a series of a
/// `HistogramVec` field resolved by its helpers (`<field>_with_labels`, a
/// `bind` handle). The generated `observe_<field>_with_exemplar` helpers
/// call this.
///
/// ```
/// use metric_group::prometheus::{Histogram, Registry};
/// use metric_group::{Exemplar, MetricGroup, ObserveExemplar};
///
/// #[derive(MetricGroup)]
/// #[metric_group(prefix = "llm")]
/// struct Latency {
///     /// Time to first token
///     #[metric(unit = "seconds", buckets = [0.1, 0.5, 1.0])]
///     ttft_seconds: Histogram,
/// }
///
/// let registry = Registry::new();
/// let latency = Latency::init(&registry)?;
/// latency.ttft_seconds.observe_with_exemplar(0.4, &Exemplar::new("4bf92f35"))?;
/// let text = metric_group::encode_openmetrics(&registry)?;
/// assert!(text.contains("llm_ttft_seconds_bucket{le=\"0.5\"} 1 # {trace_id=\"4bf92f35\"} 0.4 "));
/// # Ok::<(), metric_group::Error>(())
/// ```
pub trait ObserveExemplar {
    /// Records `value`, with `exemplar` kept as the latest of the bucket it
    /// falls in (exposed in OpenMetrics only). The first exemplar of a
    /// series allocates its slots; later ones allocate nothing while their
    /// values fit inline (a W3C trace id and span id do).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for NaN and infinities (as the helpers);
    /// [`Error::InvalidExemplar`] for an exemplar OpenMetrics would refuse,
    /// or for a histogram no metric group exposes (made by hand, or a
    /// series the field handed out without its helpers), whose exemplars
    /// no scrape could show. Nothing is recorded then.
    fn observe_with_exemplar(&self, value: f64, exemplar: &Exemplar<'_>) -> Result<(), Error>;
}

impl ObserveExemplar for Histogram {
    #[inline]
    fn observe_with_exemplar(&self, value: f64, exemplar: &Exemplar<'_>) -> Result<(), Error> {
        let value = observation(self, value)?;
        checked(self, exemplar)?;
        if kept_with(self, || self.observe(value), value, exemplar) {
            Ok(())
        } else {
            Err(not_exposed(self))
        }
    }
}

/// Adds to a prometheus counter (`IntCounter`, `Counter`) that a metric
/// group exposes, with an exemplar: a plain counter field, or a series of
/// an `IntCounterVec`/`CounterVec` field resolved by its helpers. The
/// generated `inc_by_<field>_with_exemplar` helpers call this.
///
/// ```
/// use metric_group::prometheus::{IntCounter, Registry};
/// use metric_group::{Exemplar, IncExemplar, MetricGroup};
///
/// #[derive(MetricGroup)]
/// #[metric_group(prefix = "llm")]
/// struct Requests {
///     /// Requests routed
///     requests_total: IntCounter,
/// }
///
/// let registry = Registry::new();
/// let requests = Requests::init(&registry)?;
/// requests.requests_total.inc_by_with_exemplar(1, &Exemplar::new("4bf92f35"))?;
/// let text = metric_group::encode_openmetrics(&registry)?;
/// assert!(text.contains("llm_requests_total 1 # {trace_id=\"4bf92f35\"} 1 "));
/// # Ok::<(), metric_group::Error>(())
/// ```
pub trait IncExemplar: Collector + Metric + SeriesIdentity + Sized {
    /// What the counter adds: `u64` for an `IntCounter`, `f64` for a
    /// `Counter`.
    type Delta: Copy;

    /// Adds `delta`, with `exemplar` kept as the series' latest (exposed
    /// in OpenMetrics only, on the `_total` sample). The first exemplar of
    /// a series allocates its slot; later ones allocate nothing while
    /// their values fit inline (a W3C trace id and span id do).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a float `delta` a counter cannot add
    /// (negative, NaN, infinite); [`Error::InvalidExemplar`] for an
    /// exemplar OpenMetrics would refuse, or for a counter no metric group
    /// exposes (made by hand, or a series the field handed out without
    /// its helpers), whose exemplars no scrape could show. Nothing is
    /// recorded then.
    #[inline]
    fn inc_by_with_exemplar(
        &self,
        delta: Self::Delta,
        exemplar: &Exemplar<'_>,
    ) -> Result<(), Error> {
        let value = Self::exemplar_value(self, delta)?;
        checked(self, exemplar)?;
        if kept_with(self, || self.add(delta), value, exemplar) {
            Ok(())
        } else {
            Err(not_exposed(self))
        }
    }

    /// `delta` as the exemplar's value, if the counter may add it (the
    /// error names `metric`).
    #[doc(hidden)]
    fn exemplar_value<C: Collector>(metric: &C, delta: Self::Delta) -> Result<f64, Error>;

    /// Adds `delta`, already checked.
    #[doc(hidden)]
    fn add(&self, delta: Self::Delta);
}

impl IncExemplar for IntCounter {
    type Delta = u64;

    #[inline]
    fn exemplar_value<C: Collector>(_: &C, delta: u64) -> Result<f64, Error> {
        #[allow(clippy::cast_precision_loss)]
        Ok(delta as f64)
    }

    #[inline]
    fn add(&self, delta: u64) {
        self.inc_by(delta);
    }
}

impl IncExemplar for Counter {
    type Delta = f64;

    #[inline]
    fn exemplar_value<C: Collector>(metric: &C, delta: f64) -> Result<f64, Error> {
        increment(metric, delta)
    }

    #[inline]
    fn add(&self, delta: f64) {
        self.inc_by(delta);
    }
}

#[cold]
#[inline(never)]
fn not_exposed(series: &dyn Collector) -> Error {
    Error::InvalidExemplar {
        metric: family_name(series),
        reason: "the metric is not one a metric group exposes (a field's own, or a series its helpers resolved), so no scrape could show its exemplars".to_owned(),
    }
}

/// The generated `inc_by_<field>_with_exemplar` of an `IntCounterVec` or
/// `CounterVec` field: the series resolved as `inc_<field>` resolves it,
/// `delta` added and the exemplar kept. The overflow series (past the
/// family's limits) adds `delta` but keeps no exemplar.
///
/// # Errors
///
/// As `inc_by_<field>`, and [`Error::InvalidExemplar`] for an exemplar
/// OpenMetrics would refuse; nothing is recorded then.
#[inline]
pub fn inc_vec_with_exemplar<V, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
    delta: <V::Child as IncExemplar>::Delta,
    exemplar: &Exemplar<'_>,
) -> Result<(), Error>
where
    V: Labelled,
    V::Child: IncExemplar,
{
    let value = V::Child::exemplar_value(family, delta)?;
    checked(family, exemplar)?;
    let child = series(family, values)?;
    if !kept_with(&child, || child.add(delta), value, exemplar) {
        child.add(delta);
    }
    Ok(())
}

/// Runs `update` on `series` and keeps `exemplar` (with `value`) in the
/// record `collision` holds for it; `false`, with `update` not run, when
/// no record is kept (a series no group exposes, or the overflow series).
#[inline]
fn kept_with<C: SeriesIdentity + Metric>(
    series: &C,
    update: impl FnOnce(),
    value: f64,
    exemplar: &Exemplar<'_>,
) -> bool {
    collision::with_exemplars(series, |exemplars| {
        update();
        exemplars.record(value, exemplar);
    })
}

/// `Ok` if OpenMetrics takes `exemplar`, else the error naming the metric.
#[inline]
fn checked(family: &dyn Collector, exemplar: &Exemplar<'_>) -> Result<(), Error> {
    exemplar.check().map_err(|reason| Error::InvalidExemplar {
        metric: family_name(family),
        reason,
    })
}

/// The generated `observe_<field>_with_exemplar` of a `HistogramVec`
/// field: the series resolved as `observe_<field>` resolves it, the value
/// recorded and the exemplar kept. The overflow series (past the family's
/// limits) records the value but keeps no exemplar.
///
/// # Errors
///
/// As `observe_<field>`, and [`Error::InvalidExemplar`] for an exemplar
/// OpenMetrics would refuse; nothing is recorded then.
#[inline]
pub fn observe_vec_with_exemplar<const N: usize>(
    family: &HistogramVec,
    values: [&dyn LabelValue; N],
    value: f64,
    exemplar: &Exemplar<'_>,
) -> Result<(), Error> {
    let value = observation(family, value)?;
    checked(family, exemplar)?;
    let child = series(family, values)?;
    if !kept_with(&child, || child.observe(value), value, exemplar) {
        child.observe(value);
    }
    Ok(())
}

/// How a group registers a plain `Histogram`, `IntCounter` or `Counter`
/// field: the metric itself, whose scrapes in OpenMetrics show the
/// exemplars its record keeps.
pub(crate) fn exemplar_collector<C>(metric: &C) -> Box<dyn Collector>
where
    C: Collector + SeriesIdentity + Clone + Send + Sync + 'static,
{
    collision::track_series(metric);
    Box::new(WithExemplars(metric.clone()))
}

struct WithExemplars<C>(C);

impl<C: Collector + SeriesIdentity> Collector for WithExemplars<C> {
    fn desc(&self) -> Vec<&prometheus::core::Desc> {
        self.0.desc()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let mut families = self.0.collect();
        if capturing() {
            if let Some(exemplars) = collision::series_exemplars(&self.0) {
                for family in &mut families {
                    capture_with_exemplars(family, vec![Some(exemplars.clone())]);
                }
            }
        }
        families
    }
}
