//! What generated code reads a `buckets = CONSTANT` with. Not API: reached
//! only through `__private_0_1_0` (a module of its own, so that compiler
//! messages name that path and no public one).

use metric_group_rules::BucketSpec;

/// What the derive reads of a `buckets = CONSTANT`: a [`BucketSpec`] from a
/// `&[f64]`, `[f64; N]`, `&[f64; N]` or [`BucketSpec`] constant, by const
/// evaluation. One inherent `buckets` per accepted type, so a constant of
/// another type is one error naming the types that have it.
#[derive(Debug)]
pub struct BucketConstant<T>(pub T);

impl BucketConstant<&&'static [f64]> {
    /// The constant's bounds.
    #[must_use]
    pub const fn buckets(self) -> BucketSpec {
        BucketSpec::Explicit(self.0)
    }
}

impl<const N: usize> BucketConstant<&&'static [f64; N]> {
    /// The constant's bounds.
    #[must_use]
    pub const fn buckets(self) -> BucketSpec {
        BucketSpec::Explicit(*self.0)
    }
}

impl<const N: usize> BucketConstant<&'static [f64; N]> {
    /// The constant's bounds (the derive borrows it: promoted to `'static`).
    #[must_use]
    pub const fn buckets(self) -> BucketSpec {
        BucketSpec::Explicit(self.0)
    }
}

impl BucketConstant<&BucketSpec> {
    /// The specification.
    #[must_use]
    pub const fn buckets(self) -> BucketSpec {
        *self.0
    }
}
