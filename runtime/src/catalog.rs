//! Static descriptions of declared groups and their metrics: what the derive
//! knows at compile time, kept at run time for registration errors, docs and
//! the catalog.

pub use metric_group_rules::{Lint, MetricKind};

/// Where a group's metrics live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// Registered on a registry the caller passes; names are `prefix_name`.
    Registry,
    /// Created through a [`Scope`](crate::scope::Scope) of the metrics
    /// hierarchy, which prepends its own prefix and adds its level labels.
    /// `Some(level)` when the declaration requires one level.
    Hierarchy(Option<crate::scope::Level>),
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
