//! Exemplars on prometheus' own histograms: a group's plain `Histogram`
//! fields and the series of its `HistogramVec` fields.
//!
//! prometheus' `Histogram` has no room for an exemplar, so it is kept in the
//! record `collision` holds for the series (keyed by the series' identity,
//! holding a clone of it, so the address names that series while the record
//! lives): a `HistogramVec` series has one once a helper admitted it; a
//! plain histogram gets one when its group's collectors are made, and loses
//! it with its group (the derive's `Drop`). A scrape in OpenMetrics finds
//! the exemplars through the same records (`encode::capture_with_exemplars`);
//! the series themselves are what prometheus reports, so the text format is
//! unchanged.

use prometheus::core::Collector;
use prometheus::proto::MetricFamily;
use prometheus::{Histogram, HistogramVec};

use crate::build::observation;
use crate::collision;
use crate::encode::{capture_with_exemplars, capturing};
use crate::exemplar::Exemplar;
use crate::labels::LabelValue;
use crate::prom::family_name;
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
        let kept = collision::with_exemplars(self, |exemplars| {
            self.observe(value);
            exemplars.record(value, exemplar);
        });
        if kept {
            Ok(())
        } else {
            Err(Error::InvalidExemplar {
                metric: family_name(self),
                reason: "the histogram is not one a metric group exposes (a field's own, or a series its helpers resolved), so no scrape could show its exemplars".to_owned(),
            })
        }
    }
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
    let kept = collision::with_exemplars(&child, |exemplars| {
        child.observe(value);
        exemplars.record(value, exemplar);
    });
    if !kept {
        child.observe(value);
    }
    Ok(())
}

/// How a group registers a plain `Histogram` field: the histogram itself,
/// whose scrapes in OpenMetrics show the exemplars its record keeps.
pub(crate) fn histogram_collector(histogram: &Histogram) -> Box<dyn Collector> {
    collision::track_series(histogram);
    Box::new(WithExemplars(histogram.clone()))
}

struct WithExemplars(Histogram);

impl Collector for WithExemplars {
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
