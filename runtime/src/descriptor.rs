//! What a declaration says: the static descriptors the derive emits for a
//! group and its metrics. A leaf module: building, registration, scopes, the
//! catalog and generated code all read these, and it reads none of them.

use metric_group_rules::hierarchy::{default_labels, Level, DEFAULT_METRIC_PREFIX};
use metric_group_rules::{Lint, MetricKind};

/// Where a group's metrics live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// Registered on a registry the caller passes; names are `prefix_name`.
    Registry,
    /// Created through a [`Scope`](crate::scope::Scope) of the metrics
    /// hierarchy, which prepends its own prefix and adds its level labels.
    /// `Some(level)` when the declaration requires one level.
    Hierarchy(Option<Level>),
}

/// One metric of a group, as declared.
#[derive(Debug)]
pub struct MetricDescriptor {
    /// The struct field holding the metric.
    pub field: &'static str,
    /// The metric's name: its full name for registry groups, the name below
    /// the scope's prefix for hierarchy groups.
    pub name: &'static str,
    pub kind: MetricKind,
    pub help: &'static str,
    /// Variable label names, in declaration order (empty for unlabelled types).
    pub labels: &'static [&'static str],
    /// Histogram bucket bounds (`+Inf` excluded).
    pub buckets: Option<&'static [f64]>,
    pub unit: Option<&'static str>,
    /// promtool lints this declaration deliberately allows.
    pub allowed_lints: &'static [Lint],
}

/// A declared group.
#[derive(Debug)]
pub struct GroupDescriptor {
    /// The struct's name.
    pub name: &'static str,
    /// The module that declares it.
    pub module_path: &'static str,
    /// Const label names whose values are given when the group is created.
    pub const_labels: &'static [&'static str],
    pub scope: ScopeKind,
    pub metrics: &'static [MetricDescriptor],
}

impl GroupDescriptor {
    /// The labels the group's scope adds, with the hierarchy's default naming
    /// (empty for registry groups).
    pub fn scope_labels(&self) -> &'static [&'static str] {
        match self.scope {
            ScopeKind::Registry => &[],
            ScopeKind::Hierarchy(level) => default_labels(level),
        }
    }

    /// A metric's name as scraped: its name, behind the hierarchy's default
    /// prefix for hierarchy groups.
    pub fn full_name(&self, metric: &MetricDescriptor) -> String {
        match self.scope {
            ScopeKind::Registry => metric.name.to_owned(),
            ScopeKind::Hierarchy(_) => format!("{DEFAULT_METRIC_PREFIX}_{}", metric.name),
        }
    }

    /// Every label name a metric's series carry: scope, const, variable.
    pub fn all_labels(&self, metric: &MetricDescriptor) -> Vec<&'static str> {
        let mut labels: Vec<&'static str> = self.scope_labels().to_vec();
        labels.extend(self.const_labels);
        labels.extend(metric.labels);
        labels
    }
}
