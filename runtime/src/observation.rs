//! What the generated `observe_<field>` of a histogram with a time unit
//! takes: a value already in the declared unit, or a `Duration` it scales to
//! that unit. A leaf module.

use std::time::Duration;

/// A value for the generated `observe_<field>` (and
/// `observe_<field>_with_exemplar`) of a histogram declared with a time unit
/// (`unit = "seconds"`, `"milliseconds"`, ...): an `f64` already in that
/// unit, or a [`Duration`], scaled to it. One helper takes both, so a field
/// named after its unit (`request_duration`, `load_seconds`) gets no helper
/// repeating the unit word.
///
/// ```
/// use metric_group::prometheus::{Histogram, Registry};
/// use metric_group::MetricGroup;
/// use std::time::Duration;
///
/// #[derive(MetricGroup)]
/// struct Timings {
///     /// Time to load a model
///     #[metric(name = "load_milliseconds", unit = "milliseconds", allow(base_unit))]
///     load: Histogram,
/// }
///
/// # fn main() -> Result<(), metric_group::Error> {
/// let timings = Timings::init(&Registry::new())?;
/// timings.observe_load(12.5)?; // milliseconds, as declared
/// timings.observe_load(Duration::from_millis(40))?; // recorded as 40.0
/// assert_eq!(timings.load.get_sample_sum(), 52.5);
/// # Ok(())
/// # }
/// ```
///
/// Sealed: the helpers refuse a non-finite `f64` after the conversion, and
/// a `Duration` is finite in every time unit.
#[diagnostic::on_unimplemented(
    message = "a histogram with a time unit observes an `f64` in its unit or a `std::time::Duration`, not `{Self}`",
    label = "not an `f64` or a `Duration`",
    note = "write an integer as a float (`2.0`), or convert (`value as f64`, `Duration::from_millis(..)`)"
)]
pub trait Observation: sealed::Sealed {
    /// Whether every value of the type is finite in every unit: then a
    /// plain histogram's helper records it without a check, and returns an
    /// `Ok` the caller's optimiser sees (`build::observe_in_unit`).
    #[doc(hidden)]
    const ALWAYS_FINITE: bool;

    /// The value in the declared unit, of which `per_second` make a second
    /// (`1e3` for milliseconds).
    fn in_unit(self, per_second: f64) -> f64;
}

impl Observation for f64 {
    const ALWAYS_FINITE: bool = false;

    /// Already in the declared unit.
    #[inline]
    fn in_unit(self, _per_second: f64) -> f64 {
        self
    }
}

impl Observation for Duration {
    // At most about 1.8e19 seconds, times at most 1e9 per second.
    const ALWAYS_FINITE: bool = true;

    #[inline]
    fn in_unit(self, per_second: f64) -> f64 {
        self.as_secs_f64() * per_second
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for std::time::Duration {}
}

#[cfg(test)]
mod tests {
    use super::Observation;
    use std::time::Duration;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs()
    }

    #[test]
    fn durations_scale_and_values_stay() {
        assert!(close(Duration::from_millis(250).in_unit(1e3), 250.0));
        assert!(close(Duration::from_millis(250).in_unit(1.0), 0.25));
        assert!(close(Duration::from_micros(3).in_unit(1e6), 3.0));
        assert!(close(2.5f64.in_unit(1e3), 2.5));
        assert!(f64::NAN.in_unit(1.0).is_nan());
        // The largest duration stays finite in the smallest unit the rules
        // know, so a `Duration` never meets the helpers' NaN/infinity guard.
        assert!(Duration::MAX.in_unit(1e9).is_finite());
    }
}
