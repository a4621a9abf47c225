//! The values a generated helper refuses, before a series is resolved:
//! a histogram's non-finite observation, a float counter's negative or
//! non-finite increment. Each is an `Error::InvalidValue` naming the metric.

use prometheus::core::Collector;

use crate::prom::family_name;
use crate::Error;

/// `value` if a histogram may record it: finite. A NaN would make the
/// series' `_sum` NaN from then on, and so would `+Inf` and `-Inf` once both
/// were recorded (which two threads may do at once, so one is refused
/// whatever the sum holds). A sum of finite values that overflows stays
/// infinite with the sign it overflowed to, never NaN.
///
/// # Errors
///
/// [`Error::InvalidValue`] for NaN, `+Inf` and `-Inf`.
#[inline]
pub fn observation<C: Collector>(family: &C, value: f64) -> Result<f64, Error> {
    if !value.is_finite() {
        return Err(invalid_value(
            family,
            value,
            if value.is_nan() {
                "NaN would make the series' sum NaN for good"
            } else {
                "an infinite value would make the series' sum NaN for good once one of the other sign is recorded"
            },
        ));
    }
    Ok(value)
}

/// `value` if a float counter may add it: finite and not negative (a counter
/// only goes up; prometheus' `Counter` panics on a negative one).
///
/// # Errors
///
/// [`Error::InvalidValue`] for a negative, NaN or infinite `value`.
#[inline]
pub fn increment<C: Collector>(family: &C, value: f64) -> Result<f64, Error> {
    if !(value.is_finite() && value >= 0.0) {
        return Err(invalid_value(
            family,
            value,
            "a counter adds only finite values that are not negative",
        ));
    }
    Ok(value)
}

/// The error for taking `value` from a counter, which only goes up.
#[cold]
#[inline(never)]
pub fn refuse_decrease(family: &dyn Collector, value: f64) -> Error {
    invalid_value(family, value, "a counter only goes up")
}

#[cold]
#[inline(never)]
fn invalid_value(family: &dyn Collector, value: f64, reason: &'static str) -> Error {
    Error::InvalidValue {
        metric: family_name(family),
        value,
        reason,
    }
}
