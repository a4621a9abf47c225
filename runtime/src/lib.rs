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
//! metrics.observe_confirm_duration(std::time::Duration::from_millis(40));
//! assert_eq!(CheckoutMetrics::ORDERS_NAME, "checkout_orders_total");
//! # Ok(())
//! # }
//! ```

// Lets the router groups below use the derive as any user crate does.
extern crate self as metric_group;

mod build;
pub mod catalog;
mod collision;
mod error;
mod family;
pub mod labels;
mod memo;
mod registration;
pub mod router;
pub mod scope;
#[cfg(feature = "serve")]
mod serve;

pub use catalog::catalog;
pub use error::Error;
pub use family::{Family, FamilyMetric, Prepared};
pub use labels::{LabelField, LabelSet, LabelValue};
pub use metric_group_macros::{LabelSet, LabelValue, MetricGroup};
pub use prometheus;
pub use scope::encode_text;
#[cfg(feature = "serve")]
pub use serve::{metrics_response, serve, Exposition, ServeOptions, Server};

/// Naming, lint and bucket rules, shared with the derive.
pub mod rules {
    pub use metric_group_rules::*;
}

/// Bucket specifications, for histograms built by hand.
pub mod buckets {
    pub use metric_group_rules::{validate_bounds, BoundsError, BucketSpec, SpecError};
}

use catalog::GroupDescriptor;
use prometheus::core::Collector;

/// A struct of metrics declared with `#[derive(MetricGroup)]`.
pub trait MetricGroup: Sized + Send + Sync + 'static {
    /// What the declaration says, checked at compile time.
    const GROUP: &'static GroupDescriptor;

    /// Builds the collectors for one context (registry or scope).
    #[doc(hidden)]
    fn build(context: &build::BuildContext) -> Result<Self, Error>;

    /// The group's collectors, in declaration order.
    fn collectors(&self) -> Vec<Box<dyn Collector>>;

    /// Registers every metric of the group on `registry`, or none of them.
    /// Registering the same instance again is a no-op; a clash with another
    /// collector is an error naming the metric.
    fn register(&self, registry: &prometheus::Registry) -> Result<(), Error> {
        registration::register(self, registry)
    }
}

/// Not public API: what generated code names.
#[doc(hidden)]
pub mod __private {
    pub use crate::build::{remove_series, series, BuildContext, BuildMetric, Labelled};
    pub use crate::catalog::{
        submit as catalog_submit, CatalogNode, GroupDescriptor, MetricDescriptor, ScopeKind,
    };
    pub use crate::family::FamilyChild;
    pub use crate::labels::{product_cardinality, LabelBuffer, LabelField, LabelSet, LabelValue};
    pub use crate::memo::{get, global, init, Memoised};
    pub use crate::scope::{Level, Scope};
    pub use crate::{Error, MetricGroup};
    pub use metric_group_rules as rules;
    pub use once_cell::sync::OnceCell;
    pub use prometheus;
    pub use std::sync::Arc;
    pub use std::time::Duration;

    /// Length of the concatenation of `parts`, for building names from
    /// constants during const evaluation.
    pub const fn concat_len(parts: &[&str]) -> usize {
        let mut len = 0;
        let mut i = 0;
        while i < parts.len() {
            len += parts[i].len();
            i += 1;
        }
        len
    }

    pub const fn concat_bytes<const N: usize>(parts: &[&str]) -> [u8; N] {
        let mut out = [0u8; N];
        let mut at = 0;
        let mut i = 0;
        while i < parts.len() {
            let bytes = parts[i].as_bytes();
            let mut j = 0;
            while j < bytes.len() {
                out[at] = bytes[j];
                at += 1;
                j += 1;
            }
            i += 1;
        }
        out
    }

    pub const fn utf8(bytes: &'static [u8]) -> &'static str {
        match core::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => panic!("metric name is not valid UTF-8"),
        }
    }

    /// Whether `names` contains `name`, in const evaluation.
    pub const fn names_contain(names: &[&str], name: &str) -> bool {
        let mut i = 0;
        while i < names.len() {
            if str_eq(names[i], name) {
                return true;
            }
            i += 1;
        }
        false
    }

    /// Whether two strings are equal, in const evaluation.
    pub const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}
