//! What generated code reads a `buckets = CONSTANT` with. Not API: reached
//! only through `__private_0_1_0` (a module of its own, so that compiler
//! messages name that path and no public one).

use metric_group_rules::BucketSpec;

use crate::descriptor::Buckets;

/// What the derive reads of a `buckets = CONSTANT`: `Buckets` from a
/// `&[f64]`, `[f64; N]`, `&[f64; N]` or [`BucketSpec`] constant, by const
/// evaluation. One inherent `buckets` per accepted type, so a constant of
/// another type is one error naming the types that have it.
#[derive(Debug)]
pub struct BucketConstant<T>(pub T);

impl BucketConstant<&&'static [f64]> {
    /// The constant's bounds.
    pub const fn buckets(self) -> Buckets {
        Buckets::Bounds(self.0)
    }
}

impl<const N: usize> BucketConstant<&&'static [f64; N]> {
    /// The constant's bounds.
    pub const fn buckets(self) -> Buckets {
        Buckets::Bounds(*self.0)
    }
}

impl<const N: usize> BucketConstant<&'static [f64; N]> {
    /// The constant's bounds (the derive borrows it: promoted to `'static`).
    pub const fn buckets(self) -> Buckets {
        Buckets::Bounds(self.0)
    }
}

impl BucketConstant<&BucketSpec> {
    /// The specification's arguments. An `Explicit` specification cannot
    /// hold bounds in a constant (its `Vec` is empty there): no bounds, which
    /// the checks refuse.
    pub const fn buckets(self) -> Buckets {
        match self.0 {
            BucketSpec::Exponential {
                start,
                factor,
                count,
            } => Buckets::Exponential {
                start: *start,
                factor: *factor,
                count: *count,
            },
            BucketSpec::Linear {
                start,
                width,
                count,
            } => Buckets::Linear {
                start: *start,
                width: *width,
                count: *count,
            },
            BucketSpec::Log { min, max, count } => Buckets::Log {
                min: *min,
                max: *max,
                count: *count,
            },
            // `Explicit`, and any specification a later rules crate adds
            // (the derive pins the rules crate with `=`, so none reaches here
            // unseen).
            _ => Buckets::Bounds(&[]),
        }
    }
}
