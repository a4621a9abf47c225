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
//! `*Vec` types and up to [`SHARED_LABELS`] labels, and [`VecInc`],
//! [`VecSet`], [`VecArith`] and [`VecObserve`] are the whole of an update
//! helper (resolve, then update), so that a helper's body is one call the
//! user's crate type-checks cheaply (a body resolving the series with `?`
//! and then updating it costs about twice as much: BENCHMARKS.md, "Where the
//! time goes"); the derive's helpers call them (and the generic functions
//! for more labels).
//!
//! In a debug build of this crate the methods are out of line, so a user's
//! debug build only calls them; in a release build they are `#[inline]`, and
//! the user's crate inlines them as it inlined the generic calls, so the
//! warm path costs what it did.

use prometheus::core::Collector;
use prometheus::{CounterVec, GaugeVec, HistogramVec, IntCounterVec, IntGaugeVec};

use crate::exemplar::Exemplar;
use crate::labels::LabelValue;
use crate::prom::Labelled;
use crate::prom_exemplars::observe_vec_with_exemplar;
use crate::value_checks::{increment, observation, refuse_decrease};
use crate::vec_helpers::{forget_records, remove_series, series, update_series, vec_collector};
use crate::Error;

/// The most labels a `*Vec` field may have for its helpers to call
/// [`VecCalls`]; past it they call the generic functions. The derive holds
/// the same number (`derive/src/expand/helpers.rs`).
pub const SHARED_LABELS: usize = 4;

macro_rules! vec_calls {
    ($(($n:literal, $series:ident, $remove:ident, $inc:ident, $set:ident, $arith:ident, $observe:ident, $exemplar:ident)),* $(,)?) => {
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

        /// The generated `inc_<field>` of a counter `*Vec`: adds one to the
        /// series of these label values.
        pub trait VecInc: VecCalls {
            $(
                /// # Errors
                ///
                /// As `vec_helpers::series`.
                fn $inc(&self, values: [&dyn LabelValue; $n]) -> Result<(), Error>;
            )*
        }

        /// The generated `set_<field>` of a gauge `*Vec`: sets the series of
        /// these label values.
        pub trait VecSet: VecCalls {
            /// The gauge's value: `i64` or `f64`.
            type Value;
            $(
                /// # Errors
                ///
                /// As `vec_helpers::series`.
                fn $set(&self, values: [&dyn LabelValue; $n], value: Self::Value) -> Result<(), Error>;
            )*
        }

        /// The generated `inc_by_<field>` of a counter `*Vec` and `inc_`,
        /// `dec_`, `add_`, `sub_<field>` of a gauge `*Vec`: the series of
        /// these label values resolved, then changed by `op`.
        pub trait VecArith: VecCalls {
            /// What the change is counted in: `u64`, `i64` or `f64`.
            type Value;
            $(
                /// # Errors
                ///
                /// As `vec_helpers::series`; for a float counter
                /// `Error::InvalidValue` for a value it cannot add (before
                /// the series is resolved), and for any counter a decrease.
                fn $arith(&self, values: [&dyn LabelValue; $n], op: Arith<Self::Value>) -> Result<(), Error>;
            )*
        }

        /// The generated `observe_<field>` of a `HistogramVec` (its value
        /// brought to the declared unit first, for a `Duration`): records a
        /// value into the series of these label values.
        pub trait VecObserve: VecCalls {
            $(
                /// # Errors
                ///
                /// `Error::InvalidValue` for NaN (before the series is
                /// resolved), and as `vec_helpers::series`.
                fn $observe(&self, values: [&dyn LabelValue; $n], value: f64) -> Result<(), Error>;
                /// The generated `observe_<field>_with_exemplar`
                /// (`observe_vec_with_exemplar`).
                ///
                /// # Errors
                ///
                /// As `observe_vec_with_exemplar`.
                fn $exemplar(&self, values: [&dyn LabelValue; $n], value: f64, exemplar: &Exemplar<'_>) -> Result<(), Error>;
            )*
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

        macro_rules! impl_vec_inc {
            ($ty:ty) => {
                impl VecInc for $ty {
                    $(
                        #[cfg_attr(not(debug_assertions), inline)]
                        fn $inc(&self, values: [&dyn LabelValue; $n]) -> Result<(), Error> {
                            update_series(self, values, |child| child.inc())
                        }
                    )*
                }
            };
        }

        macro_rules! impl_vec_set {
            ($ty:ty, $value:ty) => {
                impl VecSet for $ty {
                    type Value = $value;
                    $(
                        #[cfg_attr(not(debug_assertions), inline)]
                        fn $set(&self, values: [&dyn LabelValue; $n], value: $value) -> Result<(), Error> {
                            update_series(self, values, |child| child.set(value))
                        }
                    )*
                }
            };
        }

        macro_rules! impl_vec_arith {
            ($ty:ty, $value:ty, counter: $check:expr) => {
                impl VecArith for $ty {
                    type Value = $value;
                    $(
                        #[cfg_attr(not(debug_assertions), inline)]
                        #[allow(clippy::cast_precision_loss, clippy::unnecessary_cast)]
                        fn $arith(&self, values: [&dyn LabelValue; $n], op: Arith<$value>) -> Result<(), Error> {
                            let value = match op {
                                Arith::Inc => return self.$inc(values),
                                Arith::Add(value) => $check(self, value)?,
                                // Never generated: a counter's helpers only add.
                                Arith::Dec => return Err(refuse_decrease(self, -1.0)),
                                Arith::Sub(value) => return Err(refuse_decrease(self, -(value as f64))),
                            };
                            update_series(self, values, |child| child.inc_by(value))
                        }
                    )*
                }
            };
            ($ty:ty, $value:ty) => {
                impl VecArith for $ty {
                    type Value = $value;
                    $(
                        #[cfg_attr(not(debug_assertions), inline)]
                        fn $arith(&self, values: [&dyn LabelValue; $n], op: Arith<$value>) -> Result<(), Error> {
                            update_series(self, values, |child| match op {
                                Arith::Inc => child.inc(),
                                Arith::Dec => child.dec(),
                                Arith::Add(value) => child.add(value),
                                Arith::Sub(value) => child.sub(value),
                            })
                        }
                    )*
                }
            };
        }

        impl VecObserve for HistogramVec {
            $(
                #[cfg_attr(not(debug_assertions), inline)]
                fn $observe(&self, values: [&dyn LabelValue; $n], value: f64) -> Result<(), Error> {
                    let value = observation(self, value)?;
                    update_series(self, values, |child| child.observe(value))
                }
                #[cfg_attr(not(debug_assertions), inline)]
                fn $exemplar(&self, values: [&dyn LabelValue; $n], value: f64, exemplar: &Exemplar<'_>) -> Result<(), Error> {
                    observe_vec_with_exemplar(self, values, value, exemplar)
                }
            )*
        }
    };
}

vec_calls!(
    (
        1,
        series_1,
        remove_1,
        inc_1,
        set_1,
        arith_1,
        observe_1,
        observe_exemplar_1
    ),
    (
        2,
        series_2,
        remove_2,
        inc_2,
        set_2,
        arith_2,
        observe_2,
        observe_exemplar_2
    ),
    (
        3,
        series_3,
        remove_3,
        inc_3,
        set_3,
        arith_3,
        observe_3,
        observe_exemplar_3
    ),
    (
        4,
        series_4,
        remove_4,
        inc_4,
        set_4,
        arith_4,
        observe_4,
        observe_exemplar_4
    ),
);

impl_vec_calls!(IntCounterVec);
impl_vec_calls!(CounterVec);
impl_vec_calls!(IntGaugeVec);
impl_vec_calls!(GaugeVec);
impl_vec_calls!(HistogramVec);
impl_vec_inc!(IntCounterVec);
impl_vec_inc!(CounterVec);
impl_vec_set!(IntGaugeVec, i64);
impl_vec_set!(GaugeVec, f64);
impl_vec_arith!(IntCounterVec, u64, counter: |_, value| Ok::<_, Error>(value));
impl_vec_arith!(CounterVec, f64, counter: increment);
impl_vec_arith!(IntGaugeVec, i64);
impl_vec_arith!(GaugeVec, f64);

/// A change [`VecArith`] makes to one series: what `inc()`, `dec()`,
/// `add(value)` (`inc_by(value)` for a counter) and `sub(value)` do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arith<T> {
    /// Adds one.
    Inc,
    /// Takes one (a gauge only).
    Dec,
    /// Adds the value.
    Add(T),
    /// Takes the value (a gauge only).
    Sub(T),
}

const _: () = assert!(
    SHARED_LABELS == 4,
    "one method of each kind per label count"
);

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus::Opts;

    #[test]
    fn a_counter_refuses_a_decrease_and_creates_no_series() {
        let family = IntCounterVec::new(Opts::new("refused_total", "help"), &["kind"]).unwrap();
        for op in [Arith::Dec, Arith::Sub(2)] {
            match family.arith_1([&"a"], op) {
                Err(Error::InvalidValue { metric, reason, .. }) => {
                    assert_eq!(metric, "refused_total");
                    assert_eq!(reason, "a counter only goes up");
                }
                other => panic!("{op:?}: {other:?}"),
            }
        }
        assert!(family.collect()[0].get_metric().is_empty());
        family.arith_1([&"a"], Arith::Add(3)).unwrap();
        family.arith_1([&"a"], Arith::Inc).unwrap();
        assert_eq!(family.with_label_values(&["a"]).get(), 4);
    }

    #[test]
    fn a_gauge_takes_every_change() {
        let family = IntGaugeVec::new(Opts::new("changed", "help"), &["kind"]).unwrap();
        for op in [
            Arith::Inc,
            Arith::Inc,
            Arith::Dec,
            Arith::Add(10),
            Arith::Sub(4),
        ] {
            family.arith_1([&"a"], op).unwrap();
        }
        assert_eq!(family.with_label_values(&["a"]).get(), 7);
    }
}
