//! The identity of a prometheus series, read without asking prometheus.
//!
//! # Why
//!
//! A `*Vec` helper checks that the series prometheus hands out for its label
//! values is one whose values it has already compared (`collision.rs`),
//! and needs for that an identity of the series that lasts as long as the
//! series lives. prometheus' API offers one: the address of the series'
//! descriptor, through `Collector::desc()`, which returns it in a
//! one-element `Vec`. That is an allocation on every warm helper call
//! unless the optimiser removes it: it does in the library's own release
//! builds, not in a user's crate, debug or release (BENCHMARKS.md,
//! "Allocations", the user's-crate test).
//!
//! # How
//!
//! In prometheus 0.14 every series type the helpers resolve
//! (`GenericCounter<P>`, `GenericGauge<P>`, `Histogram`) is a struct with one
//! field, an `Arc` of the series' shared core (which holds the descriptor);
//! clones share that `Arc`. The identity is the `Arc`'s pointer, read from
//! the series' bytes: a load, no allocation. That relies on a private
//! layout, so:
//!
//! - [`SeriesIdentity`] is implemented for those three types only (for a
//!   `MetricVec` of any other child type the helpers do not compile);
//! - [`pointer_word`] refuses, at compile time, a type that is not exactly
//!   one pointer in size and alignment: a struct of size and alignment 8
//!   that holds an `Arc` holds nothing else, so every byte read is the
//!   pointer's (no padding, nothing uninitialised);
//! - the tests below check what the helpers rely on, for each type: clones
//!   share the identity, distinct series have distinct ones, and the
//!   identity points into the series' core, at the same distance from its
//!   descriptor for every series of the type. `.ci/run` runs them under
//!   Miri too.
//!
//! An identity names a series only while it lives: the records that use
//! it hold a clone of the series (`collision.rs`).

use prometheus::core::{Atomic, GenericCounter, GenericGauge};
use prometheus::Histogram;

/// A series whose identity can be read without allocating.
pub trait SeriesIdentity {
    /// The address of the series' shared core: equal for clones, distinct
    /// for distinct series while both live.
    fn identity(&self) -> usize;
}

impl<P: Atomic> SeriesIdentity for GenericCounter<P> {
    #[inline]
    fn identity(&self) -> usize {
        pointer_word(self)
    }
}

impl<P: Atomic> SeriesIdentity for GenericGauge<P> {
    #[inline]
    fn identity(&self) -> usize {
        pointer_word(self)
    }
}

impl SeriesIdentity for Histogram {
    #[inline]
    fn identity(&self) -> usize {
        pointer_word(self)
    }
}

/// The address held by `value`, a struct whose only field is an `Arc`.
#[inline]
fn pointer_word<T>(value: &T) -> usize {
    const {
        assert!(
            size_of::<T>() == size_of::<*const ()>() && align_of::<T>() == align_of::<*const ()>(),
            "a series type the helpers read the identity of is one pointer"
        );
    }
    // SAFETY: `T` is one of the series types above, a struct whose one
    // field is an `Arc` (module doc); the assertion above makes it exactly
    // one pointer in size and alignment, so `value` points to an
    // initialised, aligned pointer, read here as what it is (a pointer,
    // whose address is then taken; nothing is ever cast back).
    let pointer = unsafe { std::ptr::from_ref(value).cast::<*const ()>().read() };
    pointer as usize
}

#[cfg(test)]
mod tests {
    use prometheus::core::Collector;
    use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts};

    use super::SeriesIdentity;

    fn descriptor_address<C: Collector>(series: &C) -> usize {
        std::ptr::from_ref(series.desc()[0]) as usize
    }

    /// What `collision.rs` relies on, for the series of one family.
    fn holds<C: SeriesIdentity + Collector + Clone>(children: &[C]) {
        let offset = descriptor_address(&children[0]).wrapping_sub(children[0].identity());
        // The descriptor lies in the core the identity points to.
        assert!(offset < 4096, "{offset}");
        let mut seen = std::collections::HashSet::new();
        for child in children {
            assert_eq!(child.clone().identity(), child.identity());
            assert_eq!(
                descriptor_address(child).wrapping_sub(child.identity()),
                offset
            );
            assert!(seen.insert(child.identity()), "two series, one identity");
        }
    }

    #[test]
    fn identities_name_series() {
        let counters = IntCounterVec::new(Opts::new("c", "c"), &["l"]).unwrap();
        let gauges = IntGaugeVec::new(Opts::new("g", "g"), &["l"]).unwrap();
        let histograms = HistogramVec::new(HistogramOpts::new("h", "h"), &["l"]).unwrap();
        let labels = ["a", "b", "c", "d"];
        let mut c = Vec::new();
        let mut g = Vec::new();
        let mut h = Vec::new();
        for label in labels {
            c.push(counters.with_label_values(&[label]));
            g.push(gauges.with_label_values(&[label]));
            h.push(histograms.with_label_values(&[label]));
        }
        for (label, child) in labels.iter().zip(&c) {
            // Asked again, the family hands out the same series.
            let again = counters.with_label_values(&[label]);
            assert_eq!(again.identity(), child.identity());
        }
        holds(&c);
        holds(&g);
        holds(&h);
        // Removed and made again: a new series (the old one still alive
        // here), a new identity.
        counters.remove_label_values(&["a"]).unwrap();
        let renewed = counters.with_label_values(&["a"]);
        assert_ne!(renewed.identity(), c[0].identity());
    }
}
