//! The helpers of plain `*Vec` fields, compiled once here rather than in
//! every user's crate.
//!
//! `vec_helpers::series` and `remove_series` are generic over the family and
//! the number of labels, and so is the `collision` code they call: a
//! generated helper that called them directly had the whole of it
//! instantiated and compiled in the user's crate, per `*Vec` type and label
//! count, which was most of the code generated for a group
//! ([BENCHMARKS.md](../../BENCHMARKS.md#compile-cost)). [`VecCalls`] is the
//! same calls as methods that are not generic, implemented here for the five
//! `*Vec` types and up to [`SHARED_LABELS`] labels: the derive's helpers call
//! them (and the generic functions for more labels).
//!
//! In a debug build of this crate the methods are out of line, so a user's
//! debug build only calls them; in a release build they are `#[inline]`, and
//! the user's crate inlines them as it inlined the generic calls, so the
//! warm path costs what it did.

use prometheus::core::Collector;
use prometheus::{CounterVec, GaugeVec, HistogramVec, IntCounterVec, IntGaugeVec};

use crate::labels::LabelValue;
use crate::prom::Labelled;
use crate::vec_helpers::{forget_records, remove_series, series, vec_collector};
use crate::Error;

/// The most labels a `*Vec` field may have for its helpers to call
/// [`VecCalls`]; past it they call the generic functions. The derive holds
/// the same number (`derive/src/expand/helpers.rs`).
pub const SHARED_LABELS: usize = 4;

macro_rules! vec_calls {
    ($(($series:ident, $remove:ident, $n:literal)),* $(,)?) => {
        /// The calls a group's generated code makes on a plain `*Vec` field,
        /// not generic: see the module's documentation.
        pub trait VecCalls: Labelled {
            $(
                /// `vec_helpers::series` for this many labels.
                ///
                /// # Errors
                ///
                /// As `vec_helpers::series`.
                fn $series(&self, values: [&dyn LabelValue; $n]) -> Result<Self::Child, Error>;
                /// `vec_helpers::remove_series` for this many labels.
                fn $remove(&self, values: [&dyn LabelValue; $n]) -> bool;
            )*
            /// `vec_helpers::vec_collector`.
            fn collector(&self) -> Box<dyn Collector>;
            /// `vec_helpers::forget_records`.
            fn forget(&self);
        }

        macro_rules! impl_vec_calls {
            ($ty:ty) => {
                impl VecCalls for $ty {
                    $(
                        #[cfg_attr(not(debug_assertions), inline)]
                        fn $series(&self, values: [&dyn LabelValue; $n]) -> Result<Self::Child, Error> {
                            series(self, values)
                        }
                        #[cfg_attr(not(debug_assertions), inline)]
                        fn $remove(&self, values: [&dyn LabelValue; $n]) -> bool {
                            remove_series(self, values)
                        }
                    )*
                    fn collector(&self) -> Box<dyn Collector> {
                        vec_collector(self)
                    }
                    fn forget(&self) {
                        forget_records(self);
                    }
                }
            };
        }
    };
}

vec_calls!(
    (series_1, remove_1, 1),
    (series_2, remove_2, 2),
    (series_3, remove_3, 3),
    (series_4, remove_4, 4),
);

impl_vec_calls!(IntCounterVec);
impl_vec_calls!(CounterVec);
impl_vec_calls!(IntGaugeVec);
impl_vec_calls!(GaugeVec);
impl_vec_calls!(HistogramVec);

const _: () = assert!(
    SHARED_LABELS == 4,
    "one `series_N`/`remove_N` pair per label count"
);
