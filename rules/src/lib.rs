//! The rules metric-group enforces, in one place.
//!
//! Each rule is written once, here, as a `const fn` returning a typed error
//! ([`NameError`], [`LabelError`], [`BucketError`]) whose `Display` is the
//! rule's one message. The derive evaluates them on literal names while it
//! expands and reports the error at the offending token; the code it
//! generates calls the same `const fn`s on names built from constants (so
//! those fail the build too, with the same message); the runtime calls them
//! on what is only known at run time (builder prefixes, environment
//! prefixes, scope labels). The test suite compares them with promtool, and
//! `tests/test_rule_messages.rs` checks that no rule message is spelled
//! anywhere else.

#![forbid(unsafe_code)]
// Pedantic lints are errors here (CI runs clippy with `-D warnings` too). No
// lint is allowed crate-wide: each intended exception (an exact float
// comparison, a bounded index cast to `f64`) is allowed where it occurs,
// with its reason.
#![deny(clippy::pedantic)]

mod buckets;
mod bytes;
pub mod const_str;
pub mod hierarchy;
mod lint;
mod names;
mod units;

pub use buckets::{
    bound_error, bounds_errors, check_bounds, validate_bounds, BucketError, BucketSpec, MAX_BUCKETS,
};
pub use lint::{
    histogram_series_suffix, lint_label, lint_metric, lint_prefix, Lint, LintSet, MetricKind,
    SUFFIX_LINTS,
};
pub use names::{
    check_full_name, check_histogram_name, check_joined_name, check_label_name, check_metric_name,
    check_prefix, check_series_clash, full_name_is_valid, is_reserved_label_name,
    is_snake_case_label_name, is_valid_label_name, is_valid_metric_name, label_value_is_plain,
    JoinedNameError, LabelError, LabelPlace, NameError, SeriesClash, JOINED_NAME_MAX,
    OVERFLOW_LABEL,
};
pub use units::{is_known_unit, name_mentions_unit, per_second, suggested_units, unit_for_alias};
