//! Small helpers over prometheus' and std's own types. A leaf module.

use std::sync::{Mutex, MutexGuard, PoisonError};

use prometheus::core::{Collector, Metric, MetricVec, MetricVecBuilder};

use crate::raw::series_identity::SeriesIdentity;

/// The fully-qualified name of a collector's (first) family, for errors.
pub(crate) fn family_name(collector: &dyn Collector) -> String {
    collector
        .desc()
        .first()
        .map(|desc| desc.fq_name.clone())
        .unwrap_or_default()
}

/// Locks `mutex` whether or not a panic poisoned it. Only for data that every
/// update leaves whole (entries inserted or removed in one step), so a panic
/// elsewhere while the lock was held cannot have left it half-changed.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A labelled metric family (`*Vec`): what the generated helpers resolve
/// label values against.
pub trait Labelled: Collector + Sized {
    /// One series of the family.
    type Child: Metric + Collector + SeriesIdentity + Clone + Send + Sync + 'static;
    /// The series for these label values, created if absent.
    ///
    /// # Errors
    ///
    /// prometheus refuses the values (not one per label).
    fn child(&self, values: &[&str]) -> prometheus::Result<Self::Child>;
    /// Removes the series for these label values; whether there was one.
    fn remove_child(&self, values: &[&str]) -> bool;
}

impl<T: MetricVecBuilder> Labelled for MetricVec<T>
where
    T::M: Collector + SeriesIdentity + Clone + 'static,
{
    type Child = T::M;

    #[inline]
    fn child(&self, values: &[&str]) -> prometheus::Result<T::M> {
        self.get_metric_with_label_values(values)
    }

    fn remove_child(&self, values: &[&str]) -> bool {
        self.remove_label_values(values).is_ok()
    }
}
