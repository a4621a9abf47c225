//! The rules metric-group enforces, in one place.

//!
//! The derive evaluates them on literal names while it expands, the generated
//! code evaluates the same `const fn`s on names built from constants (so those
//! fail the build too), and the test suite compares them with promtool. Keeping
//! a single copy is what lets all three agree.

#![forbid(unsafe_code)]

mod buckets;
mod bytes;
pub mod const_str;
pub mod hierarchy;
mod lint;
mod names;
mod units;

pub use buckets::{
    bounds_errors, validate_bounds, BoundsError, BucketSpec, SpecError, MAX_BUCKETS,
};
pub use lint::{histogram_series_suffix, lint_metric, Lint, LintSet, MetricKind};
pub use names::{
    full_name_is_valid, is_reserved_label_name, is_valid_label_name, is_valid_metric_name,
    label_value_is_plain, OVERFLOW_LABEL,
};
pub use units::{is_known_unit, name_mentions_unit, per_second, suggested_units, unit_for_alias};
