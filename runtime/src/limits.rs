//! What bounds a family: how many series it holds and how long a label value
//! may be. Families, builds and the catalog read it.
//!
//! A family past a limit does not refuse the update: the label set's updates
//! go to the family's one overflow series, exposed with the family's const
//! labels and [`OVERFLOW_LABEL`]`="true"` in place of its variable labels, so
//! the family's totals lose nothing and a scrape shows at most `max_series +
//! 1` series of it. No declared label set can carry that label: the derive and
//! [`Family::new`](crate::Family::new) refuse the name.
//!
//! The defaults are defined in a leaf module of their own, which the `*Vec`
//! helpers' records (`collision.rs`) read too: this module reads those
//! records ([`vec_counts`]), so they cannot read it.

pub use crate::defaults::{DEFAULT_MAX_LABEL_LEN, DEFAULT_MAX_SERIES};
pub use metric_group_rules::OVERFLOW_LABEL;

/// The limits of one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// At most this many series; `None` for the default: the label set's
    /// cardinality when it has one, else [`DEFAULT_MAX_SERIES`].
    pub max_series: Option<usize>,
    /// Label values longer than this many bytes send their label set to the
    /// overflow series.
    pub max_label_len: usize,
    /// Series not written for this long are removed at the next scrape
    /// (`None`: kept until removed).
    pub expire_after: Option<std::time::Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_series: None,
            max_label_len: DEFAULT_MAX_LABEL_LEN,
            expire_after: None,
        }
    }
}

impl Limits {
    /// The budget of a family whose label set has `cardinality` distinct
    /// values (`None`: unbounded), or why the declared one cannot be.
    ///
    /// # Errors
    ///
    /// A budget of zero, or below a fixed cardinality (the label set's
    /// values would go to the overflow series although they are known and
    /// few), as text.
    pub fn budget(&self, cardinality: Option<usize>) -> Result<usize, String> {
        match (self.max_series, cardinality) {
            (Some(0), _) => Err("`max_series` must be at least 1".to_owned()),
            (Some(max), Some(n)) if max < n => Err(format!(
                "`max_series = {max}` is below the label set's {n} possible values; leave it out (a label set of fixed cardinality needs no budget)"
            )),
            (Some(max), _) => Ok(max),
            (None, Some(n)) => Ok(n),
            (None, None) => Ok(DEFAULT_MAX_SERIES),
        }
    }
}

/// What the limits of a `*Vec` field did, as its helpers applied them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VecCounts {
    /// Helper calls sent to the overflow series.
    pub overflowed: u64,
    /// Series removed by idle expiry.
    pub expired: u64,
}

/// [`VecCounts`] of a `*Vec` field of a group (zeros for a family no group
/// built).
pub fn vec_counts<C: prometheus::core::Collector>(family: &C) -> VecCounts {
    let (overflowed, expired) = crate::collision::counts(family);
    VecCounts {
        overflowed,
        expired,
    }
}
