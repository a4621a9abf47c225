//! The trait every `#[derive(MetricGroup)]` struct implements.

use prometheus::core::Collector;

use crate::build::BuildContext;
use crate::descriptor::GroupDescriptor;
use crate::{registration, Error};

/// Implemented by `#[derive(MetricGroup)]` only: the supertrait of
/// [`MetricGroup`] lives in the versioned private module, so an impl by hand
/// names a path that is not API and changes with every release.
pub trait Sealed {}

/// A struct of metrics declared with `#[derive(MetricGroup)]`; implemented
/// by the derive only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a metric group",
    label = "not a `MetricGroup`",
    note = "derive `MetricGroup` for it (a `#[metric(flatten)]` field's type must be a metric group)"
)]
pub trait MetricGroup: Sealed + Sized + Send + Sync + 'static {
    /// What the declaration says, checked at compile time.
    const GROUP: &'static GroupDescriptor;

    /// [`GROUP`](Self::GROUP), read at run time: what the catalog's entry
    /// for the group holds (`catalog::CatalogEntry` says why).
    #[doc(hidden)]
    #[must_use]
    fn descriptor() -> &'static GroupDescriptor {
        Self::GROUP
    }

    /// Builds the collectors for one context (registry or scope).
    #[doc(hidden)]
    fn build(context: &BuildContext) -> Result<Self, Error>;

    /// The group's collectors, in declaration order.
    fn collectors(&self) -> Vec<Box<dyn Collector>>;

    /// Registers every metric of the group on `registry`, or none of them.
    /// Registering the same instance again is a no-op; a clash with another
    /// collector is an error naming the metric.
    ///
    /// # Errors
    ///
    /// [`Error::Register`] when a collector already registered on
    /// `registry` holds one of the group's names.
    fn register(&self, registry: &prometheus::Registry) -> Result<(), Error> {
        registration::register(Self::GROUP, || self.collectors(), registry).map(|_| ())
    }

    /// Unregisters every metric of the group from `registry`; whether this
    /// instance was registered there. Its series leave the registry's
    /// scrapes; the instance itself keeps working.
    fn unregister(&self, registry: &prometheus::Registry) -> bool {
        registration::unregister(Self::GROUP, self.collectors(), registry)
    }
}
