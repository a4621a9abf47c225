//! The values of one series of a [`Family`](crate::Family), held by the
//! family itself: atomics for counters and gauges, bucket counts, count and
//! sum for histograms. A leaf module.
//!
//! prometheus' own metric types carry, per child, a descriptor, label pairs
//! and a reference-counted core; a family's series needs only its value (its
//! labels are the typed key beside it, its name and help the family's). The
//! value types here are what a family stores and what [`Series`](crate::Series) handles
//! deref to, with the methods of the prometheus types they stand for.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use prometheus::proto::MetricType;

use crate::exemplar::{Exemplar, ExemplarSlots, Exemplars};

/// What a [`Family`](crate::Family) of a metric type stores per series: the
/// family's children are `M::Value`s, resolved by the typed label set.
///
/// Implemented for prometheus' [`IntCounter`](prometheus::IntCounter),
/// [`Counter`](prometheus::Counter), [`IntGauge`](prometheus::IntGauge),
/// [`Gauge`](prometheus::Gauge) and [`Histogram`](prometheus::Histogram),
/// which stand as the kind of a family's series (`Family<L, IntGauge>`).
pub trait FamilyMetric: Send + Sync + 'static {
    /// The value each series holds.
    type Value: SeriesValue;
    /// The family's prometheus type.
    const TYPE: MetricType;
}

/// The value of one series, updated by atomic operations, read by scrapes.
pub trait SeriesValue: Send + Sync + 'static {
    /// A zero value; `bounds` are a histogram's upper bounds (without
    /// `+Inf`), empty for other kinds.
    fn new(bounds: &Arc<[f64]>) -> Self;
    /// Appends what a scrape reports: one number for counters and gauges;
    /// for histograms the count, the sum, then the cumulative count of each
    /// bound. Counts are read before the count itself, so no bucket ever
    /// shows more than the total.
    fn snapshot(&self, out: &mut Vec<f64>);

    /// The series' exemplars, if it has recorded any (histograms and
    /// counters).
    #[doc(hidden)]
    fn exemplars(&self) -> Option<&Exemplars> {
        None
    }
}

impl FamilyMetric for prometheus::IntCounter {
    type Value = IntCounterValue;
    const TYPE: MetricType = MetricType::COUNTER;
}

impl FamilyMetric for prometheus::Counter {
    type Value = CounterValue;
    const TYPE: MetricType = MetricType::COUNTER;
}

impl FamilyMetric for prometheus::IntGauge {
    type Value = IntGaugeValue;
    const TYPE: MetricType = MetricType::GAUGE;
}

impl FamilyMetric for prometheus::Gauge {
    type Value = GaugeValue;
    const TYPE: MetricType = MetricType::GAUGE;
}

impl FamilyMetric for prometheus::Histogram {
    type Value = HistogramValue;
    const TYPE: MetricType = MetricType::HISTOGRAM;
}

/// An `f64` in an `AtomicU64`, added to by compare-and-swap.
#[derive(Debug, Default)]
struct AtomicF64(AtomicU64);

impl AtomicF64 {
    #[inline]
    fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }

    #[inline]
    fn set(&self, value: f64) {
        self.0.store(value.to_bits(), Ordering::Relaxed);
    }

    #[inline]
    fn add(&self, delta: f64) {
        // `fetch_update` retries while another thread changed the value.
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + delta).to_bits())
            });
    }
}

/// The value of an integer counter series (`Family<L, IntCounter>`).
#[derive(Debug, Default)]
pub struct IntCounterValue {
    count: AtomicU64,
    /// Allocated with the first exemplar (`exemplar.rs`).
    exemplar: ExemplarSlots,
}

impl IntCounterValue {
    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds `delta`.
    #[inline]
    pub fn inc_by(&self, delta: u64) {
        self.count.fetch_add(delta, Ordering::Relaxed);
    }

    /// [`inc_by`](Self::inc_by), with `exemplar` kept as the series' latest
    /// (exposed in OpenMetrics only, on the `_total` sample). The first
    /// exemplar of a series allocates its slot; later ones allocate nothing
    /// while their values fit inline (a W3C trace id and span id do).
    ///
    /// # Errors
    ///
    /// The reason, when OpenMetrics would refuse the exemplar (more than
    /// [`MAX_EXEMPLAR_CHARS`](crate::MAX_EXEMPLAR_CHARS) characters, or an
    /// empty trace id); nothing is recorded then.
    #[inline]
    pub fn inc_by_with_exemplar(&self, delta: u64, exemplar: &Exemplar<'_>) -> Result<(), String> {
        exemplar.check()?;
        self.inc_by_checked_exemplar(delta, exemplar);
        Ok(())
    }

    /// [`inc_by_with_exemplar`](Self::inc_by_with_exemplar) for an exemplar
    /// already checked.
    #[inline]
    pub(crate) fn inc_by_checked_exemplar(&self, delta: u64, exemplar: &Exemplar<'_>) {
        self.inc_by(delta);
        #[allow(clippy::cast_precision_loss)]
        self.exemplar.record(1, 0, exemplar, delta as f64);
    }

    /// The current count.
    #[inline]
    pub fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

impl SeriesValue for IntCounterValue {
    fn new(_: &Arc<[f64]>) -> Self {
        Self::default()
    }

    fn exemplars(&self) -> Option<&Exemplars> {
        self.exemplar.get()
    }

    fn snapshot(&self, out: &mut Vec<f64>) {
        // As prometheus reports it: the count as an `f64`.
        #[allow(clippy::cast_precision_loss)]
        out.push(self.get() as f64);
    }
}

/// The value of a float counter series (`Family<L, Counter>`).
#[derive(Debug, Default)]
pub struct CounterValue {
    count: AtomicF64,
    /// Allocated with the first exemplar (`exemplar.rs`).
    exemplar: ExemplarSlots,
}

impl CounterValue {
    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.count.add(1.0);
    }

    /// Adds `delta`. A counter only goes up: a negative or NaN `delta` is
    /// ignored (prometheus' `Counter` panics on a negative one in debug
    /// builds).
    #[inline]
    pub fn inc_by(&self, delta: f64) {
        if delta >= 0.0 {
            self.count.add(delta);
        }
    }

    /// [`inc_by`](Self::inc_by), with `exemplar` kept as the series' latest
    /// (exposed in OpenMetrics only, on the `_total` sample).
    ///
    /// # Errors
    ///
    /// The reason, when `delta` is negative, NaN or infinite, or when
    /// OpenMetrics would refuse the exemplar (more than
    /// [`MAX_EXEMPLAR_CHARS`](crate::MAX_EXEMPLAR_CHARS) characters, or an
    /// empty trace id); nothing is recorded then.
    #[inline]
    pub fn inc_by_with_exemplar(&self, delta: f64, exemplar: &Exemplar<'_>) -> Result<(), String> {
        if !(delta.is_finite() && delta >= 0.0) {
            return Err(format!(
                "a counter adds only finite values that are not negative, not {delta}"
            ));
        }
        exemplar.check()?;
        self.inc_by_checked_exemplar(delta, exemplar);
        Ok(())
    }

    /// [`inc_by_with_exemplar`](Self::inc_by_with_exemplar) for a `delta`
    /// and an exemplar already checked.
    #[inline]
    pub(crate) fn inc_by_checked_exemplar(&self, delta: f64, exemplar: &Exemplar<'_>) {
        self.count.add(delta);
        self.exemplar.record(1, 0, exemplar, delta);
    }

    /// The current count.
    #[inline]
    pub fn get(&self) -> f64 {
        self.count.get()
    }
}

impl SeriesValue for CounterValue {
    fn new(_: &Arc<[f64]>) -> Self {
        Self::default()
    }

    fn exemplars(&self) -> Option<&Exemplars> {
        self.exemplar.get()
    }

    fn snapshot(&self, out: &mut Vec<f64>) {
        out.push(self.get());
    }
}

/// The value of an integer gauge series (`Family<L, IntGauge>`).
#[derive(Debug, Default)]
pub struct IntGaugeValue(AtomicI64);

impl IntGaugeValue {
    /// Sets the gauge.
    #[inline]
    pub fn set(&self, value: i64) {
        self.0.store(value, Ordering::Relaxed);
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.add(1);
    }

    /// Subtracts one.
    #[inline]
    pub fn dec(&self) {
        self.sub(1);
    }

    /// Adds `delta` (wrapping, as prometheus' `IntGauge` does).
    #[inline]
    pub fn add(&self, delta: i64) {
        self.0.fetch_add(delta, Ordering::Relaxed);
    }

    /// Subtracts `delta` (wrapping).
    #[inline]
    pub fn sub(&self, delta: i64) {
        self.0.fetch_sub(delta, Ordering::Relaxed);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl SeriesValue for IntGaugeValue {
    fn new(_: &Arc<[f64]>) -> Self {
        Self::default()
    }

    fn snapshot(&self, out: &mut Vec<f64>) {
        #[allow(clippy::cast_precision_loss)]
        out.push(self.get() as f64);
    }
}

/// The value of a float gauge series (`Family<L, Gauge>`).
#[derive(Debug, Default)]
pub struct GaugeValue(AtomicF64);

impl GaugeValue {
    /// Sets the gauge.
    #[inline]
    pub fn set(&self, value: f64) {
        self.0.set(value);
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.0.add(1.0);
    }

    /// Subtracts one.
    #[inline]
    pub fn dec(&self) {
        self.0.add(-1.0);
    }

    /// Adds `delta`.
    #[inline]
    pub fn add(&self, delta: f64) {
        self.0.add(delta);
    }

    /// Subtracts `delta`.
    #[inline]
    pub fn sub(&self, delta: f64) {
        self.0.add(-delta);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> f64 {
        self.0.get()
    }
}

impl SeriesValue for GaugeValue {
    fn new(_: &Arc<[f64]>) -> Self {
        Self::default()
    }

    fn snapshot(&self, out: &mut Vec<f64>) {
        out.push(self.get());
    }
}

/// The value of a histogram series (`Family<L, Histogram>`): a count per
/// bucket (not cumulative), the total count and the sum. The bounds are the
/// family's, shared by its series.
#[derive(Debug)]
pub struct HistogramValue {
    bounds: Arc<[f64]>,
    buckets: Box<[AtomicU64]>,
    count: AtomicU64,
    sum: AtomicF64,
    /// Allocated with the first exemplar (`exemplar.rs`).
    exemplars: ExemplarSlots,
}

impl HistogramValue {
    /// Records `value`: into the first bucket whose bound is at least
    /// `value` (`le`), or only into the count (`+Inf`) above every bound. A
    /// NaN counts in `+Inf` and makes the sum NaN, as with prometheus'
    /// `Histogram`; the generated helpers refuse NaN before it gets here.
    #[inline]
    pub fn observe(&self, value: f64) {
        self.observe_in_bucket(value);
    }

    /// [`observe`](Self::observe), returning the bucket's index (the
    /// bounds' count for `+Inf`).
    #[inline]
    fn observe_in_bucket(&self, value: f64) -> usize {
        // The count first: a scrape reads the buckets before the count, so
        // it never sees a bucket ahead of the total (`le="+Inf"`).
        self.count.fetch_add(1, Ordering::Release);
        let index = self.bounds.partition_point(|bound| *bound < value);
        if let Some(bucket) = self.buckets.get(index) {
            bucket.fetch_add(1, Ordering::Release);
        }
        self.sum.add(value);
        index
    }

    /// [`observe`](Self::observe), with `exemplar` kept as the latest of
    /// the bucket `value` falls in (exposed in OpenMetrics only). The first
    /// exemplar of a series allocates its slots; later ones allocate
    /// nothing while their values fit inline (a W3C trace id and span id
    /// do).
    ///
    /// # Errors
    ///
    /// The reason, when OpenMetrics would refuse the exemplar (more than
    /// [`MAX_EXEMPLAR_CHARS`](crate::MAX_EXEMPLAR_CHARS) characters, or an
    /// empty trace id); nothing is recorded then. The generated helpers
    /// and [`Family::observe_with_exemplar`](crate::Family::observe_with_exemplar)
    /// turn it into an `Error` naming the metric.
    #[inline]
    pub fn observe_with_exemplar(&self, value: f64, exemplar: &Exemplar<'_>) -> Result<(), String> {
        exemplar.check()?;
        self.observe_checked_exemplar(value, exemplar);
        Ok(())
    }

    /// [`observe_with_exemplar`](Self::observe_with_exemplar) for an
    /// exemplar already checked.
    #[inline]
    pub(crate) fn observe_checked_exemplar(&self, value: f64, exemplar: &Exemplar<'_>) {
        let bucket = self.observe_in_bucket(value);
        self.exemplars
            .record(self.bounds.len() + 1, bucket, exemplar, value);
    }

    /// How many values were recorded.
    #[inline]
    pub fn get_sample_count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The sum of the values recorded.
    #[inline]
    pub fn get_sample_sum(&self) -> f64 {
        self.sum.get()
    }
}

impl SeriesValue for HistogramValue {
    fn new(bounds: &Arc<[f64]>) -> Self {
        HistogramValue {
            bounds: bounds.clone(),
            buckets: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum: AtomicF64::default(),
            exemplars: ExemplarSlots::default(),
        }
    }

    fn exemplars(&self) -> Option<&Exemplars> {
        self.exemplars.get()
    }

    #[allow(clippy::cast_precision_loss)]
    fn snapshot(&self, out: &mut Vec<f64>) {
        let start = out.len();
        out.extend([0.0, 0.0]);
        let mut cumulative = 0u64;
        for bucket in &self.buckets {
            cumulative += bucket.load(Ordering::Acquire);
            out.push(cumulative as f64);
        }
        let count = self.count.load(Ordering::Acquire);
        out[start] = count as f64;
        out[start + 1] = self.sum.get();
    }
}

#[cfg(test)]
// Every value here is a sum of floats an `f64` holds exactly, so exact
// comparison is the check.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_inclusive() {
        let bounds: Arc<[f64]> = Arc::from(vec![1.0, 2.0]);
        let h = HistogramValue::new(&bounds);
        for v in [0.5, 1.0, 1.5, 3.0, f64::INFINITY] {
            h.observe(v);
        }
        let mut out = Vec::new();
        h.snapshot(&mut out);
        assert_eq!(out, vec![5.0, f64::INFINITY, 2.0, 3.0]);
    }

    #[test]
    fn counters_ignore_what_would_make_them_go_down() {
        let c = CounterValue::default();
        c.inc_by(2.5);
        c.inc_by(-1.0);
        c.inc_by(f64::NAN);
        c.inc();
        assert_eq!(c.get(), 3.5);
    }

    #[test]
    fn gauges_add_and_subtract() {
        let g = GaugeValue::default();
        g.set(1.5);
        g.add(2.0);
        g.sub(0.5);
        g.dec();
        assert_eq!(g.get(), 2.0);
        let i = IntGaugeValue::default();
        i.inc();
        i.add(5);
        i.sub(2);
        i.dec();
        assert_eq!(i.get(), 3);
    }
}
