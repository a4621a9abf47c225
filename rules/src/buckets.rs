//! Histogram bucket specifications and the bounds they produce.

use std::fmt;

/// A bucket specification as written in `#[metric(buckets = ...)]`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum BucketSpec {
    /// `count` bounds from `start`, each `factor` times the previous
    /// (prometheus' `exponential_buckets`).
    Exponential {
        start: f64,
        factor: f64,
        count: usize,
    },
    /// `count` bounds `start + width * i` (prometheus' `linear_buckets`).
    Linear {
        start: f64,
        width: f64,
        count: usize,
    },
    /// `0` followed by `count - 1` log-spaced bounds up to `max`, rounded to two
    /// significant figures (Dynamo's `generate_log_buckets`).
    Log { min: f64, max: f64, count: usize },
    /// Bounds listed one by one.
    Explicit(Vec<f64>),
}

/// A specification argument out of its range; `argument` is its position.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    pub argument: usize,
    pub message: &'static str,
}

/// Why a list of bounds cannot be a histogram's buckets; `index` is the bound's
/// position.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum BoundsError {
    Empty,
    NotFinite {
        index: usize,
    },
    NotIncreasing {
        index: usize,
    },
    /// The same bound as the one before it.
    Repeated {
        index: usize,
    },
}

impl fmt::Display for BoundsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundsError::Empty => f.write_str("histogram buckets must not be empty"),
            BoundsError::NotFinite { index } => {
                write!(f, "bucket bound #{index} is not finite (`+Inf` is added automatically)")
            }
            BoundsError::NotIncreasing { index } => write!(
                f,
                "bucket bound #{index} is smaller than the one before it: bounds must be strictly increasing"
            ),
            BoundsError::Repeated { index } => write!(
                f,
                "bucket bound #{index} repeats the one before it: bounds must be strictly increasing"
            ),
        }
    }
}

/// More buckets than any histogram needs; a larger count is refused before
/// anything is allocated for it.
pub const MAX_BUCKETS: usize = 10_000;

impl BucketSpec {
    /// Checks each argument's range, the way prometheus' constructors do, and
    /// computes the bounds.
    pub fn bounds(&self) -> Result<Vec<f64>, SpecError> {
        let err = |argument, message| Err(SpecError { argument, message });
        match *self {
            BucketSpec::Exponential { count, .. }
            | BucketSpec::Linear { count, .. }
            | BucketSpec::Log { count, .. }
                if count > MAX_BUCKETS =>
            {
                return err(2, "bucket `count` must be at most 10000");
            }
            _ => {}
        }
        match *self {
            BucketSpec::Exponential {
                start,
                factor,
                count,
            } => {
                if !(start.is_finite() && start > 0.0) {
                    return err(
                        0,
                        "exponential buckets need a finite `start` greater than 0",
                    );
                }
                if !(factor.is_finite() && factor > 1.0) {
                    return err(
                        1,
                        "exponential buckets need a finite `factor` greater than 1",
                    );
                }
                if count < 1 {
                    return err(2, "exponential buckets need a `count` of at least 1");
                }
                let mut next = start;
                let mut bounds = Vec::with_capacity(count);
                for _ in 0..count {
                    bounds.push(next);
                    next *= factor;
                }
                Ok(bounds)
            }
            BucketSpec::Linear {
                start,
                width,
                count,
            } => {
                if !start.is_finite() {
                    return err(0, "linear buckets need a finite `start`");
                }
                if !(width.is_finite() && width > 0.0) {
                    return err(1, "linear buckets need a finite `width` greater than 0");
                }
                if count < 1 {
                    return err(2, "linear buckets need a `count` of at least 1");
                }
                Ok((0..count).map(|i| start + width * i as f64).collect())
            }
            BucketSpec::Log { min, max, count } => {
                if !(min.is_finite() && min > 0.0) {
                    return err(0, "log buckets need a finite `min` greater than 0");
                }
                if !(max.is_finite() && max > min) {
                    return err(1, "log buckets need a finite `max` greater than `min`");
                }
                if count < 1 {
                    return err(2, "log buckets need a `count` of at least 1");
                }
                Ok(log_bounds(min, max, count))
            }
            BucketSpec::Explicit(ref bounds) => Ok(bounds.clone()),
        }
    }
}

fn log_bounds(min: f64, max: f64, count: usize) -> Vec<f64> {
    if count == 0 {
        return Vec::new();
    }
    let mut bounds = vec![0.0];
    let (ln_min, ln_max) = (min.ln(), max.ln());
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

/// Prometheus' requirements on explicit bounds: at least one, all finite,
/// strictly increasing. The first problem; `bounds_errors` lists them all.
pub fn validate_bounds(bounds: &[f64]) -> Result<(), BoundsError> {
    match bounds_errors(bounds).into_iter().next() {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Every problem of a list of bounds, in order: each bound is compared with
/// the one before it, so one misplaced bound is one problem.
pub fn bounds_errors(bounds: &[f64]) -> Vec<BoundsError> {
    if bounds.is_empty() {
        return vec![BoundsError::Empty];
    }
    let mut errors = Vec::new();
    for (index, bound) in bounds.iter().enumerate() {
        if !bound.is_finite() {
            errors.push(BoundsError::NotFinite { index });
            continue;
        }
        let Some(previous) = index.checked_sub(1).map(|i| bounds[i]) else {
            continue;
        };
        if !previous.is_finite() {
            continue; // already reported
        }
        if previous == *bound {
            errors.push(BoundsError::Repeated { index });
        } else if previous > *bound {
            errors.push(BoundsError::NotIncreasing { index });
        }
    }
    errors
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
            log(50.0, 128000.0, 12),
            [
                0.0, 100.0, 210.0, 430.0, 870.0, 1800.0, 3600.0, 7400.0, 15000.0, 31000.0, 63000.0,
                130000.0
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
    fn linear_and_exponential_match_prometheus() {
        let linear = BucketSpec::Linear {
            start: 0.0,
            width: 0.05,
            count: 21,
        }
        .bounds()
        .unwrap();
        assert_eq!(linear[3], 0.15000000000000002);
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
        assert_eq!(e.argument, 2);
        let e = BucketSpec::Exponential {
            start: 1.0,
            factor: 1.0,
            count: 3,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument, 1);
        let e = BucketSpec::Log {
            min: 1.0,
            max: 2.0,
            count: 0,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument, 2);
        let e = BucketSpec::Linear {
            start: f64::NAN,
            width: 1.0,
            count: 3,
        }
        .bounds()
        .unwrap_err();
        assert_eq!(e.argument, 0);
    }

    #[test]
    fn bounds_are_validated() {
        assert_eq!(validate_bounds(&[]), Err(BoundsError::Empty));
        assert_eq!(
            validate_bounds(&[1.0, f64::INFINITY]),
            Err(BoundsError::NotFinite { index: 1 })
        );
        assert_eq!(
            validate_bounds(&[1.0, 2.0, 2.0]),
            Err(BoundsError::Repeated { index: 2 })
        );
        assert_eq!(
            bounds_errors(&[0.1, 0.5, 0.25, 1.0, 1.0]),
            [
                BoundsError::NotIncreasing { index: 2 },
                BoundsError::Repeated { index: 4 }
            ]
        );
        assert_eq!(validate_bounds(&[0.5, 1.0]), Ok(()));
    }
}
