//! Histogram bucket specifications, the rules their arguments and bounds
//! meet (each once, as a `const fn`), and the bounds they produce.

use std::fmt;

/// A histogram's buckets as declared: in `#[metric(buckets = ...)]`, in a
/// constant named there, in a group's descriptor, or given to a builder.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum BucketSpec {
    /// `count` bounds from `start`, each `factor` times the previous
    /// (prometheus' `exponential_buckets`).
    Exponential {
        /// The first bound.
        start: f64,
        /// Each bound is the previous one times this.
        factor: f64,
        /// How many bounds.
        count: usize,
    },
    /// `count` bounds `start + width * i` (prometheus' `linear_buckets`).
    Linear {
        /// The first bound.
        start: f64,
        /// The distance between bounds.
        width: f64,
        /// How many bounds.
        count: usize,
    },
    /// `0` followed by `count - 1` log-spaced bounds up to `max`, rounded to two
    /// significant figures (Dynamo's `generate_log_buckets`).
    Log {
        /// The smallest bound after `0`.
        min: f64,
        /// The largest bound.
        max: f64,
        /// How many bounds.
        count: usize,
    },
    /// Bounds listed one by one.
    Explicit(&'static [f64]),
}

/// More buckets than any histogram needs; a larger count is refused before
/// anything is allocated for it.
pub const MAX_BUCKETS: usize = 10_000;

/// Why a bucket specification or a list of bounds cannot be a histogram's
/// buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BucketError {
    /// No bound at all.
    Empty,
    /// More than [`MAX_BUCKETS`] bounds listed.
    TooMany,
    /// Bound `index` is infinite or NaN.
    NotFinite {
        /// The bound's position.
        index: usize,
    },
    /// Bound `index` is below the one before it.
    NotIncreasing {
        /// The bound's position.
        index: usize,
    },
    /// Bound `index` equals the one before it.
    Repeated {
        /// The bound's position.
        index: usize,
    },
    /// `exponential(start, ..)`: not finite, or not above 0.
    ExponentialStart,
    /// `exponential(.., factor, ..)`: not finite, or not above 1.
    ExponentialFactor,
    /// `exponential(..)`: the last bound is infinite.
    ExponentialOverflow,
    /// `linear(start, ..)`: not finite.
    LinearStart,
    /// `linear(.., width, ..)`: not finite, or not above 0.
    LinearWidth,
    /// `linear(..)`: the last bound is infinite.
    LinearOverflow,
    /// `log(min, ..)`: not finite, or not above 0.
    LogMin,
    /// `log(.., max, ..)`: not finite, or not above `min`.
    LogMax,
    /// A specification's `count`: 0, or above [`MAX_BUCKETS`].
    Count,
}

impl BucketError {
    /// Every kind of error (with index 0 where it has one), in
    /// [`kind`](Self::kind) order: the derive emits one message per kind
    /// into const-evaluated checks.
    pub const ALL: [BucketError; 14] = [
        BucketError::Empty,
        BucketError::TooMany,
        BucketError::NotFinite { index: 0 },
        BucketError::NotIncreasing { index: 0 },
        BucketError::Repeated { index: 0 },
        BucketError::ExponentialStart,
        BucketError::ExponentialFactor,
        BucketError::ExponentialOverflow,
        BucketError::LinearStart,
        BucketError::LinearWidth,
        BucketError::LinearOverflow,
        BucketError::LogMin,
        BucketError::LogMax,
        BucketError::Count,
    ];

    /// The error's kind: its position in [`ALL`](Self::ALL).
    #[must_use]
    pub const fn kind(self) -> usize {
        match self {
            BucketError::Empty => 0,
            BucketError::TooMany => 1,
            BucketError::NotFinite { .. } => 2,
            BucketError::NotIncreasing { .. } => 3,
            BucketError::Repeated { .. } => 4,
            BucketError::ExponentialStart => 5,
            BucketError::ExponentialFactor => 6,
            BucketError::ExponentialOverflow => 7,
            BucketError::LinearStart => 8,
            BucketError::LinearWidth => 9,
            BucketError::LinearOverflow => 10,
            BucketError::LogMin => 11,
            BucketError::LogMax => 12,
            BucketError::Count => 13,
        }
    }

    /// The rule, as every report of it states it; for a bound, without its
    /// position (which [`Display`](fmt::Display) adds).
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            BucketError::Empty => "a histogram needs at least one bucket bound",
            BucketError::TooMany => "a histogram takes at most 10000 bucket bounds",
            BucketError::NotFinite { .. } => {
                "a bucket bound is not finite (`+Inf` is added automatically)"
            }
            BucketError::NotIncreasing { .. } => {
                "a bucket bound is smaller than the one before it: bounds must be strictly increasing"
            }
            BucketError::Repeated { .. } => {
                "a bucket bound repeats the one before it: bounds must be strictly increasing"
            }
            BucketError::ExponentialStart => {
                "exponential buckets need a finite `start` greater than 0"
            }
            BucketError::ExponentialFactor => {
                "exponential buckets need a finite `factor` greater than 1"
            }
            BucketError::ExponentialOverflow => "exponential buckets grow past the largest `f64`",
            BucketError::LinearStart => "linear buckets need a finite `start`",
            BucketError::LinearWidth => "linear buckets need a finite `width` greater than 0",
            BucketError::LinearOverflow => "linear buckets grow past the largest `f64`",
            BucketError::LogMin => "log buckets need a finite `min` greater than 0",
            BucketError::LogMax => "log buckets need a finite `max` greater than `min`",
            BucketError::Count => "a bucket `count` must be at least 1 and at most 10000",
        }
    }

    /// The specification argument at fault (`start`/`min` 0, `factor`/
    /// `width`/`max` 1, `count` 2), if the error is about one.
    #[must_use]
    pub const fn argument(self) -> Option<usize> {
        match self {
            BucketError::ExponentialStart | BucketError::LinearStart | BucketError::LogMin => {
                Some(0)
            }
            BucketError::ExponentialFactor | BucketError::LinearWidth | BucketError::LogMax => {
                Some(1)
            }
            BucketError::Count => Some(2),
            _ => None,
        }
    }

    /// The bound at fault, if the error is about one.
    #[must_use]
    pub const fn bound(self) -> Option<usize> {
        match self {
            BucketError::NotFinite { index }
            | BucketError::NotIncreasing { index }
            | BucketError::Repeated { index } => Some(index),
            _ => None,
        }
    }
}

impl fmt::Display for BucketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        match self.bound() {
            Some(index) => write!(f, " (bound #{index})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for BucketError {}

/// The problem of bound `index` against the one before it, if any; a
/// bound after a non-finite one is not compared (that one is the problem).
#[must_use]
// Bounds are compared exactly, as Prometheus does: two equal floats are a
// repeated bound however they were written.
#[allow(clippy::float_cmp)]
pub const fn bound_error(bounds: &[f64], index: usize) -> Option<BucketError> {
    let bound = bounds[index];
    if !bound.is_finite() {
        return Some(BucketError::NotFinite { index });
    }
    if index == 0 || !bounds[index - 1].is_finite() {
        return None;
    }
    let previous = bounds[index - 1];
    if previous == bound {
        Some(BucketError::Repeated { index })
    } else if previous > bound {
        Some(BucketError::NotIncreasing { index })
    } else {
        None
    }
}

/// Prometheus' requirements on listed bounds: at least one, at most
/// [`MAX_BUCKETS`], all finite, strictly increasing. The first problem;
/// [`bounds_errors`] lists them all.
///
/// # Errors
/// The first [`BucketError`] the bounds make, in list order.
pub const fn check_bounds(bounds: &[f64]) -> Result<(), BucketError> {
    if bounds.is_empty() {
        return Err(BucketError::Empty);
    }
    if bounds.len() > MAX_BUCKETS {
        return Err(BucketError::TooMany);
    }
    let mut index = 0;
    while index < bounds.len() {
        if let Some(error) = bound_error(bounds, index) {
            return Err(error);
        }
        index += 1;
    }
    Ok(())
}

/// Every problem of a list of bounds, in order: each bound is compared with
/// the one before it, so one misplaced bound is one problem.
#[must_use]
pub fn bounds_errors(bounds: &[f64]) -> Vec<BucketError> {
    match check_bounds(bounds) {
        Ok(()) => Vec::new(),
        Err(error @ (BucketError::Empty | BucketError::TooMany)) => vec![error],
        Err(_) => (0..bounds.len())
            .filter_map(|index| bound_error(bounds, index))
            .collect(),
    }
}

/// The first problem of a list of bounds (a `Result` over
/// [`check_bounds`], kept for callers holding a `Vec`).
///
/// # Errors
/// As [`check_bounds`].
pub fn validate_bounds(bounds: &[f64]) -> Result<(), BucketError> {
    check_bounds(bounds)
}

const fn count_in_range(count: usize) -> bool {
    count >= 1 && count <= MAX_BUCKETS
}

impl BucketSpec {
    /// Each argument in its range, the way prometheus' constructors check
    /// them, and the bounds finite; listed bounds as [`check_bounds`]
    /// judges them. The first problem.
    ///
    /// # Errors
    /// The first [`BucketError`]: an argument out of range, a bound not
    /// finite, or too many buckets.
    pub const fn check(&self) -> Result<(), BucketError> {
        match *self {
            BucketSpec::Exponential {
                start,
                factor,
                count,
            } => {
                if !(start.is_finite() && start > 0.0) {
                    return Err(BucketError::ExponentialStart);
                }
                if !(factor.is_finite() && factor > 1.0) {
                    return Err(BucketError::ExponentialFactor);
                }
                if !count_in_range(count) {
                    return Err(BucketError::Count);
                }
                let mut last = start;
                let mut i = 1;
                while i < count {
                    last *= factor;
                    i += 1;
                }
                if !last.is_finite() {
                    return Err(BucketError::ExponentialOverflow);
                }
                Ok(())
            }
            BucketSpec::Linear {
                start,
                width,
                count,
            } => {
                if !start.is_finite() {
                    return Err(BucketError::LinearStart);
                }
                if !(width.is_finite() && width > 0.0) {
                    return Err(BucketError::LinearWidth);
                }
                if !count_in_range(count) {
                    return Err(BucketError::Count);
                }
                // Summed rather than `width * (count - 1) as f64`, which
                // would round differently from the bounds.
                let mut last = start;
                let mut i = 1;
                while i < count {
                    last += width;
                    i += 1;
                }
                if !last.is_finite() {
                    return Err(BucketError::LinearOverflow);
                }
                Ok(())
            }
            BucketSpec::Log { min, max, count } => {
                if !(min.is_finite() && min > 0.0) {
                    return Err(BucketError::LogMin);
                }
                if !(max.is_finite() && max > min) {
                    return Err(BucketError::LogMax);
                }
                if !count_in_range(count) {
                    return Err(BucketError::Count);
                }
                Ok(())
            }
            BucketSpec::Explicit(bounds) => check_bounds(bounds),
        }
    }

    /// The bounds, once [`check`](Self::check) finds no problem.
    ///
    /// # Errors
    ///
    /// The first problem [`check`](Self::check) finds.
    // `check` bounds `count` by `MAX_BUCKETS`: every index is exact in an
    // `f64`.
    #[allow(clippy::cast_precision_loss)]
    pub fn bounds(&self) -> Result<Vec<f64>, BucketError> {
        self.check()?;
        Ok(match *self {
            BucketSpec::Exponential {
                start,
                factor,
                count,
            } => {
                let mut next = start;
                let mut bounds = Vec::with_capacity(count);
                for _ in 0..count {
                    bounds.push(next);
                    next *= factor;
                }
                bounds
            }
            BucketSpec::Linear {
                start,
                width,
                count,
            } => (0..count).map(|i| start + width * i as f64).collect(),
            BucketSpec::Log { min, max, count } => log_bounds(min, max, count),
            BucketSpec::Explicit(bounds) => bounds.to_vec(),
        })
    }
}

fn log_bounds(min: f64, max: f64, count: usize) -> Vec<f64> {
    if count == 0 {
        return Vec::new();
    }
    let mut bounds = vec![0.0];
    let (ln_min, ln_max) = (min.ln(), max.ln());
    // The caller's `check` bounds `count` by `MAX_BUCKETS`: every index is
    // exact in an `f64`.
    #[allow(clippy::cast_precision_loss)]
    for i in 1..count {
        let exponent = ln_min + (ln_max - ln_min) * i as f64 / (count - 1) as f64;
        bounds.push(round_to_significant_figures(exponent.exp(), 2));
    }
    bounds.dedup();
    bounds
}

fn round_to_significant_figures(value: f64, figures: u32) -> f64 {
    if value == 0.0 {
        return 0.0;
    }
    let magnitude = value.abs().log10().floor();
    let scale = 10f64.powf(f64::from(figures) - 1.0 - magnitude);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(min: f64, max: f64, count: usize) -> Vec<f64> {
        BucketSpec::Log { min, max, count }.bounds().unwrap()
    }

    #[test]
    fn log_bounds_match_the_router_reference() {
        assert_eq!(
            log(0.001, 480.0, 18),
            [
                0.0, 0.0022, 0.0047, 0.01, 0.022, 0.047, 0.1, 0.22, 0.47, 1.0, 2.2, 4.7, 10.0,
                22.0, 48.0, 100.0, 220.0, 480.0
            ]
        );
        assert_eq!(
            log(0.001, 2.0, 13),
            [0.0, 0.0019, 0.0035, 0.0067, 0.013, 0.024, 0.045, 0.084, 0.16, 0.3, 0.56, 1.1, 2.0]
        );
        assert_eq!(
            log(50.0, 128_000.0, 12),
            [
                0.0, 100.0, 210.0, 430.0, 870.0, 1800.0, 3600.0, 7400.0, 15000.0, 31000.0, 63000.0,
                130_000.0
            ]
        );
        assert_eq!(
            log(50.0, 32000.0, 10),
            [0.0, 100.0, 210.0, 430.0, 880.0, 1800.0, 3700.0, 7600.0, 16000.0, 32000.0]
        );
    }

    #[test]
    fn log_with_one_bucket_is_zero_and_duplicates_are_removed() {
        assert_eq!(log(1.0, 2.0, 1), [0.0]);
        // 1.0 .. 1.1 in 5 steps rounds to 1.0, 1.0, 1.1, 1.1: deduplicated.
        assert_eq!(log(1.0, 1.1, 5), [0.0, 1.0, 1.1]);
    }

    #[test]
    // The bounds must equal Prometheus' to the bit, so they are compared
    // exactly.
    #[allow(clippy::float_cmp)]
    fn linear_and_exponential_match_prometheus() {
        let linear = BucketSpec::Linear {
            start: 0.0,
            width: 0.05,
            count: 21,
        }
        .bounds()
        .unwrap();
        assert_eq!(linear[3], 0.150_000_000_000_000_02);
        assert_eq!(linear[20], 1.0);
        let exp = BucketSpec::Exponential {
            start: 0.0001,
            factor: 2.0,
            count: 18,
        }
        .bounds()
        .unwrap();
        assert_eq!(exp.len(), 18);
        assert_eq!(exp[17], 13.1072);
    }

    #[test]
    fn arguments_out_of_range_name_their_position() {
        let e = BucketSpec::Log {
            min: 1.0,
            max: 2.0,
            count: usize::MAX,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument(), Some(2));
        let e = BucketSpec::Exponential {
            start: 1.0,
            factor: 1.0,
            count: 3,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument(), Some(1));
        let e = BucketSpec::Log {
            min: 1.0,
            max: 2.0,
            count: 0,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument(), Some(2));
        let e = BucketSpec::Linear {
            start: f64::NAN,
            width: 1.0,
            count: 3,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument(), Some(0));
    }

    #[test]
    fn bounds_are_validated() {
        assert_eq!(
            check_bounds(&vec![0.0; MAX_BUCKETS + 1]),
            Err(BucketError::TooMany)
        );
        assert_eq!(
            BucketSpec::Exponential {
                start: 1.0,
                factor: 10.0,
                count: 400
            }
            .check(),
            Err(BucketError::ExponentialOverflow)
        );
        for (kind, error) in BucketError::ALL.iter().enumerate() {
            assert_eq!(error.kind(), kind);
        }
        assert_eq!(validate_bounds(&[]), Err(BucketError::Empty));
        assert_eq!(
            validate_bounds(&[1.0, f64::INFINITY]),
            Err(BucketError::NotFinite { index: 1 })
        );
        assert_eq!(
            validate_bounds(&[1.0, 2.0, 2.0]),
            Err(BucketError::Repeated { index: 2 })
        );
        assert_eq!(
            bounds_errors(&[0.1, 0.5, 0.25, 1.0, 1.0]),
            [
                BucketError::NotIncreasing { index: 2 },
                BucketError::Repeated { index: 4 }
            ]
        );
        assert_eq!(validate_bounds(&[0.5, 1.0]), Ok(()));
    }
}
