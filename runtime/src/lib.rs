//! Declare Prometheus metrics as annotated structs.
//!
//! `#[derive(MetricGroup)]` turns a struct whose fields are prometheus metrics
//! into checked registration code: every name, label, help text and bucket
//! specification is validated while the crate compiles, promtool's naming
//! lints are compile errors unless a field explicitly allows them, and the
//! generated constructors return `Result` instead of panicking.
//!
//! ```
//! use metric_group::prometheus::{Histogram, IntCounterVec, Registry};
//! use metric_group::MetricGroup;
//!
//! #[derive(MetricGroup)]
//! #[metric_group(prefix = "checkout")]
//! struct CheckoutMetrics {
//!     /// Orders placed, by payment method
//!     #[metric(name = "orders_total", labels(method))]
//!     orders: IntCounterVec,
//!     /// Time to confirm an order
//!     #[metric(name = "confirm_seconds", buckets = exponential(0.005, 2.0, 10), unit = "seconds")]
//!     confirm: Histogram,
//! }
//!
//! # fn main() -> Result<(), metric_group::Error> {
//! let registry = Registry::new();
//! let metrics = CheckoutMetrics::init(&registry)?;
//! metrics.inc_orders("card")?;
//! metrics.observe_confirm(std::time::Duration::from_millis(40))?;
//! assert_eq!(CheckoutMetrics::ORDERS_NAME, "checkout_orders_total");
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
// Every public type prints with `{:?}` (CI denies warnings).
#![warn(missing_debug_implementations)]
// `unsafe` only in `raw/` (lock-free reads of hashed families, the identity
// of a prometheus series), which allows it for itself.
#![deny(unsafe_code)]
// Pedantic lints are errors here (CI runs clippy with `-D warnings` too). No
// lint is allowed crate-wide: each intended exception is allowed where it
// occurs, with its reason; on the hot paths (`family.rs`, `encode/`,
// `collision.rs`) that is `#[inline(always)]`, exact float comparisons and
// casts kept as they are rather than code generation changed to please a
// lint.
#![deny(clippy::pedantic)]

// Lets the self-metrics (self_metrics.rs) use the derive as any user crate
// does.
extern crate self as metric_group;

mod bucket_constant;
mod build;
pub mod catalog;
mod clock;
mod collision;
mod config;
mod defaults;
pub mod descriptor;
mod encode;
mod error;
mod exemplar;
mod family;
mod flatten;
mod gather;
mod group;
mod labels;
pub mod limits;
mod memo;
mod naming;
mod observation;
mod prom;
mod prom_exemplars;
mod raw;
mod registration;
pub mod scope;
pub mod self_metrics;
pub mod series;
#[cfg(feature = "serve")]
mod serve;
mod units;
mod value_checks;
mod vec_calls;
mod vec_helpers;

pub use catalog::catalog;
pub use config::IntoBounds;
pub use encode::{encode, encode_openmetrics, encode_text, Format};
pub use error::Error;
pub use exemplar::{Exemplar, MAX_EXEMPLAR_CHARS};
pub use family::{Family, Prepared, Series};
pub use group::MetricGroup;
pub use labels::{LabelBuffer, LabelField, LabelSet, LabelValue};
#[doc = include_str!("../docs/derive_label_set.md")]
pub use metric_group_macros::LabelSet;
#[doc = include_str!("../docs/derive_label_value.md")]
pub use metric_group_macros::LabelValue;
#[doc = include_str!("../docs/derive_metric_group.md")]
pub use metric_group_macros::MetricGroup;
pub use observation::Observation;
pub use prom_exemplars::{IncExemplar, ObserveExemplar};
pub use prometheus;
pub use series::FamilyMetric;
#[cfg(feature = "serve")]
pub use serve::{metrics_response, serve, ByFormat, Exposition, ServeOptions, Server};

/// The naming, lint and bucket rules the derive applies at compile time, for
/// names and buckets only known at run time.
pub mod rules {
    pub use metric_group_rules::{
        bounds_errors, check_bounds, check_full_name, check_histogram_name, check_joined_name,
        check_label_name, check_metric_name, check_prefix, check_series_clash, full_name_is_valid,
        is_reserved_label_name, is_valid_label_name, is_valid_metric_name, label_value_is_plain,
        lint_metric, validate_bounds, BucketError, BucketSpec, JoinedNameError, LabelError,
        LabelPlace, Lint, LintSet, MetricKind, NameError, SeriesClash, MAX_BUCKETS, OVERFLOW_LABEL,
        SUFFIX_LINTS,
    };
}

/// Not public API: what generated code names. The name carries the version
/// (the derive names `__private_<major>_<minor>_<patch>` of its own version,
/// and this crate pins the derive with `=`).
#[doc(hidden)]
pub mod __private_0_1_0 {
    // Renaming the module with the version is part of every release.
    const _: () = assert!(
        metric_group_rules::const_str::str_eq(env!("CARGO_PKG_VERSION"), "0.1.0"),
        "rename `__private_0_1_0` after the crate's version"
    );

    pub use crate::__catalog_entry as catalog_entry;
    pub use crate::bucket_constant::BucketConstant;
    pub use crate::build::{observe_in_unit, BuildContext, BuildMetric, CounterDelta};
    #[cfg(feature = "catalog")]
    pub use crate::catalog::CatalogEntry;
    pub use crate::config::{GroupConfig, IntoBounds};
    pub use crate::descriptor::{GroupDescriptor, MetricDescriptor, ScopeKind};
    pub use crate::exemplar::Exemplar;
    pub use crate::family::FamilyChild;
    pub use crate::flatten::{
        concat_descriptors, flattenable, flattened, joined_bytes, joined_len, joined_name_problem,
        label_taken, name_taken, scope_label_taken, series_clash, total_len, Part,
    };
    pub use crate::group::Sealed;
    pub use crate::labels::{product_cardinality, LabelBuffer, LabelField, LabelSet, LabelValue};
    pub use crate::memo::{evict, get, global, init, standalone, Instances};
    pub use crate::naming::DEFAULT_NAMING;
    pub use crate::observation::Observation;
    pub use crate::prom::Labelled;
    pub use crate::prom_exemplars::{
        inc_vec_with_exemplar, observe_vec_with_exemplar, IncExemplar,
    };
    pub use crate::scope::Scope;
    pub use crate::value_checks::{increment, observation};
    pub use crate::vec_calls::{Arith, VecArith, VecCalls, VecInc, VecObserve, VecSet};
    pub use crate::vec_helpers::{remove_series, series};

    /// For tests: moves idle expiry's clock forward by `by`, for the whole
    /// process, so a test shows a series idle without sleeping.
    pub fn advance_clock(by: std::time::Duration) {
        crate::clock::advance(by);
    }

    /// The generated `for_scope`: `scope`'s instance of `G` for these values
    /// and configuration.
    #[inline]
    pub fn for_scope<G: crate::MetricGroup>(
        scope: &Scope,
        const_labels: Vec<String>,
        config: &GroupConfig,
    ) -> Result<Arc<G>, Error> {
        scope.configured_group(const_labels, config)
    }

    /// The generated `evict` of a scoped group: forgets and unregisters
    /// `scope`'s instance of `G` for these values and configuration.
    // Evicting is the point; whether there was an instance is for callers
    // that care, so ignoring it is not a mistake.
    #[allow(clippy::must_use_candidate)]
    #[inline]
    pub fn evict_from_scope<G: crate::MetricGroup>(
        scope: &Scope,
        const_labels: Vec<String>,
        config: &GroupConfig,
    ) -> bool {
        scope.evict_group::<G>(const_labels, config)
    }
    pub use crate::{Error, MetricGroup};
    #[cfg(feature = "catalog")]
    pub use inventory;
    pub use metric_group_rules as rules;
    pub use metric_group_rules::const_str::{
        concat_bytes, concat_len, names_contain, str_eq, utf8,
    };
    pub use prometheus;
    pub use std::sync::Arc;
    pub use std::time::Duration;
}
