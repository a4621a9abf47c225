//! Small helpers over prometheus' and std's own types. A leaf module.

use std::sync::{Mutex, MutexGuard, PoisonError};

use prometheus::core::Collector;

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
