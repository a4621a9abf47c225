//! Start-up configuration of a group: what a declaration leaves to the
//! program, a prefix, histogram buckets and the families' limits, given
//! through the generated `<Group>Builder` or an `env(...)` prefix.
//!
//! Configured values are checked when the group is built, by the rules the
//! derive applies to declared ones, and a failure is an `Err` naming the
//! metric and the rule before anything is registered.

use std::time::Duration;

use crate::descriptor::{GroupDescriptor, MetricDescriptor};
use crate::Error;
use metric_group_rules::BucketSpec;

/// What a builder was told. Empty means: as declared (an `env(...)` prefix
/// still reads its variable).
#[derive(Clone, Debug, Default)]
pub struct GroupConfig {
    prefix: Option<String>,
    /// Per histogram field, the bounds given, or why they are not bounds.
    buckets: Vec<(&'static str, Result<Vec<f64>, String>)>,
    /// Per labelled field, its budget of series.
    max_series: Vec<(&'static str, usize)>,
    /// The longest label value the group's families store.
    max_label_len: Option<usize>,
    /// Per labelled field, its idle expiry.
    expire_after: Vec<(&'static str, Duration)>,
}

impl GroupConfig {
    /// Replaces the declared prefix (and the environment's).
    pub fn set_prefix(&mut self, prefix: String) {
        self.prefix = Some(prefix);
    }

    /// Replaces the declared buckets of the histogram in `field`.
    pub fn set_buckets(&mut self, field: &'static str, buckets: impl IntoBounds) {
        let bounds = buckets.into_bounds();
        self.buckets.retain(|(name, _)| *name != field);
        self.buckets.push((field, bounds));
    }

    /// Replaces the declared (or default) budget of series of the labelled
    /// family in `field`.
    pub fn set_max_series(&mut self, field: &'static str, max: usize) {
        self.max_series.retain(|(name, _)| *name != field);
        self.max_series.push((field, max));
    }

    /// Replaces the declared idle expiry of the labelled family in `field`
    /// (or gives it one).
    pub fn set_expire_after(&mut self, field: &'static str, after: Duration) {
        self.expire_after.retain(|(name, _)| *name != field);
        self.expire_after.push((field, after));
    }

    /// Replaces the declared (or default) longest label value of every
    /// family of the group.
    pub fn set_max_label_len(&mut self, max: usize) {
        self.max_label_len = Some(max);
    }

    /// The configuration as the group will be built with it: the prefix
    /// resolved against the declaration and the environment, and checked.
    pub(crate) fn resolve(&self, group: &GroupDescriptor) -> Result<Resolved, Error> {
        let prefix = match &self.prefix {
            Some(prefix) => Some(prefix.clone()),
            None => env_prefix(group)?,
        };
        let prefix = prefix.filter(|prefix| prefix != group.prefix);
        if let Some(prefix) = &prefix {
            if let Err(error) = metric_group_rules::check_prefix(prefix) {
                let metric = group.metrics.first().map_or_else(
                    || prefix.clone(),
                    |metric| renamed(group.prefix, prefix, metric.name),
                );
                return Err(Error::InvalidMetricName {
                    metric,
                    rule: format!("prefix `{prefix}`: {error}"),
                });
            }
        }
        let mut max_series = self.max_series.clone();
        max_series.sort_unstable();
        let mut expire_after = self.expire_after.clone();
        expire_after.sort_unstable();
        Ok(Resolved {
            prefix,
            buckets: self.buckets.clone(),
            max_series,
            max_label_len: self.max_label_len,
            expire_after,
        })
    }
}

/// The prefix the group's `env(...)` variable sets, if it is set and not
/// empty (`VAR=` in a container's environment usually means "unset").
fn env_prefix(group: &GroupDescriptor) -> Result<Option<String>, Error> {
    let Some(var) = group.prefix_env else {
        return Ok(None);
    };
    match std::env::var(var) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(value)) => Err(Error::InvalidMetricName {
            metric: group.metrics.first().map_or_else(
                || group.name.to_owned(),
                |metric| renamed(group.prefix, &value.to_string_lossy(), metric.name),
            ),
            rule: format!("environment variable `{var}` is not valid UTF-8"),
        }),
    }
}

/// A configuration resolved for one build: what differs from the
/// declaration. Two builds with equal `Resolved` values build the same
/// metrics, so instances are memoised by it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Resolved {
    /// The prefix, when it is not the declared one.
    pub prefix: Option<String>,
    pub buckets: Vec<(&'static str, Result<Vec<f64>, String>)>,
    /// Per field, sorted by field.
    pub max_series: Vec<(&'static str, usize)>,
    pub max_label_len: Option<usize>,
    /// Per field, sorted by field.
    pub expire_after: Vec<(&'static str, Duration)>,
}

impl Resolved {
    /// Whether names differ from the checked declaration, so the build must
    /// check them.
    pub fn renames(&self) -> bool {
        self.prefix.is_some()
    }

    /// The memo key: floats by their bits (a NaN bound never builds).
    pub fn key(&self) -> ConfigKey {
        let mut buckets: Vec<(&'static str, Result<Vec<u64>, String>)> = self
            .buckets
            .iter()
            .map(|(field, bounds)| {
                let bits = bounds
                    .as_ref()
                    .map(|bounds| bounds.iter().map(|b| b.to_bits()).collect())
                    .map_err(Clone::clone);
                (*field, bits)
            })
            .collect();
        buckets.sort_by(|a, b| a.0.cmp(b.0));
        ConfigKey {
            prefix: self.prefix.clone(),
            buckets,
            max_series: self.max_series.clone(),
            max_label_len: self.max_label_len,
            expire_after: self.expire_after.clone(),
        }
    }
}

/// What distinguishes two configured instances of one group with the same
/// const label values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct ConfigKey {
    prefix: Option<String>,
    buckets: Vec<(&'static str, Result<Vec<u64>, String>)>,
    max_series: Vec<(&'static str, usize)>,
    max_label_len: Option<usize>,
    expire_after: Vec<(&'static str, Duration)>,
}

/// `name` (which starts with `declared` + `_` unless `declared` is empty)
/// with `prefix` in place of `declared`.
pub(crate) fn renamed(declared: &str, prefix: &str, name: &str) -> String {
    let rest = if declared.is_empty() {
        name
    } else {
        name.strip_prefix(declared)
            .and_then(|rest| rest.strip_prefix('_'))
            .unwrap_or(name)
    };
    if prefix.is_empty() {
        rest.to_owned()
    } else {
        format!("{prefix}_{rest}")
    }
}

/// Bucket bounds a builder accepts: a list of bounds or a specification.
/// The bounds are checked when the group is built.
pub trait IntoBounds {
    /// The bounds, or why the specification yields none.
    ///
    /// # Errors
    ///
    /// A specification argument out of its range, as text.
    fn into_bounds(self) -> Result<Vec<f64>, String>;
}

impl IntoBounds for Vec<f64> {
    fn into_bounds(self) -> Result<Vec<f64>, String> {
        Ok(self)
    }
}

impl IntoBounds for &[f64] {
    fn into_bounds(self) -> Result<Vec<f64>, String> {
        Ok(self.to_vec())
    }
}

impl<const N: usize> IntoBounds for [f64; N] {
    fn into_bounds(self) -> Result<Vec<f64>, String> {
        Ok(self.to_vec())
    }
}

impl<const N: usize> IntoBounds for &[f64; N] {
    fn into_bounds(self) -> Result<Vec<f64>, String> {
        Ok(self.to_vec())
    }
}

impl IntoBounds for BucketSpec {
    fn into_bounds(self) -> Result<Vec<f64>, String> {
        self.bounds().map_err(|error| error.to_string())
    }
}

/// The bounds configured for `metric`, if any.
pub(crate) fn configured_buckets<'a>(
    buckets: &'a [(&'static str, Result<Vec<f64>, String>)],
    metric: &MetricDescriptor,
) -> Option<&'a Result<Vec<f64>, String>> {
    buckets
        .iter()
        .find(|(field, _)| *field == metric.field)
        .map(|(_, bounds)| bounds)
}
