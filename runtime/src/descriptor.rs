//! What a declaration says: the static descriptors the derive emits for a
//! group and its metrics (`MyGroup::GROUP`, one [`GroupDescriptor`] with a
//! [`MetricDescriptor`] per metric), and the kinds and lints they name.
//! Building, registration, scopes, the [catalog](mod@crate::catalog) and
//! generated code all read these; [`lint_metric`](crate::rules::lint_metric)
//! judges a [`MetricKind`] and returns [`Lint`]s.
//!
//! ```
//! use metric_group::descriptor::MetricKind;
//! use metric_group::prometheus::IntCounter;
//! use metric_group::MetricGroup;
//!
//! #[derive(MetricGroup)]
//! #[metric_group(prefix = "jobs")]
//! struct JobMetrics {
//!     /// Jobs finished
//!     #[metric(name = "finished_total")]
//!     finished: IntCounter,
//! }
//!
//! let group = JobMetrics::GROUP;
//! assert_eq!(group.metrics[0].kind, MetricKind::Counter);
//! assert_eq!(group.full_name(&group.metrics[0]), "jobs_finished_total");
//! ```

use crate::naming::{NamingPreset, DEFAULT_NAMING};
/// The metric kinds, the lints and the bucket specifications of a
/// declaration: defined by the rules crate (the derive judges with them),
/// public here.
pub use metric_group_rules::{BucketSpec, Lint, MetricKind};

/// Where a group's metrics live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScopeKind {
    /// Registered on a registry the caller passes; names are `prefix_name`.
    Registry,
    /// Created through a [`Scope`](crate::scope::Scope) of the metrics
    /// hierarchy, which prepends its own prefix and adds its level labels.
    /// `Some(level)` when the declaration requires one level: the level's
    /// name in the group's naming preset (`runtime` for the root).
    Hierarchy(Option<&'static str>),
}

/// One metric of a group, as declared.
#[derive(Clone, Copy, Debug)]
pub struct MetricDescriptor {
    /// The struct field holding the metric (`outer.inner` for a metric of
    /// a flattened group).
    pub field: &'static str,
    /// The metric's name: its full name for registry groups, the name below
    /// the scope's prefix for hierarchy groups.
    pub name: &'static str,
    /// The prometheus type.
    pub kind: MetricKind,
    /// The help text (`# HELP`).
    pub help: &'static str,
    /// Variable label names, in declaration order (empty for unlabelled types).
    pub labels: &'static [&'static str],
    /// Histogram buckets (`+Inf` excluded).
    pub buckets: Option<BucketSpec>,
    /// The declared `unit`, if any.
    pub unit: Option<&'static str>,
    /// promtool lints this declaration deliberately allows.
    pub allowed_lints: &'static [Lint],
    /// A labelled family's declared budget of series (`max_series`, its
    /// own or the group's); `None` for the default ([`limits`](crate::limits)).
    pub max_series: Option<usize>,
    /// A labelled family's declared idle expiry (`expire_after`).
    pub expire_after: Option<std::time::Duration>,
    /// A `Family`'s number of label sets when its label set has a fixed
    /// cardinality (`LabelSet::CARDINALITY`); `None` otherwise.
    pub cardinality: Option<usize>,
}

impl MetricDescriptor {
    /// The most series one instance of the metric can expose: one without
    /// labels; a label set's fixed cardinality (within its budget); else
    /// the budget (declared or [`DEFAULT_MAX_SERIES`](crate::limits::DEFAULT_MAX_SERIES))
    /// and the overflow series.
    #[must_use]
    pub fn series_at_most(&self) -> usize {
        if self.labels.is_empty() {
            return 1;
        }
        match (self.cardinality, self.max_series) {
            (Some(n), None) => n,
            (Some(n), Some(max)) if max >= n => n,
            (_, max) => max
                .unwrap_or(crate::limits::DEFAULT_MAX_SERIES)
                .saturating_add(1),
        }
    }
}

/// A declared group.
#[derive(Debug)]
pub struct GroupDescriptor {
    /// The struct's name.
    pub name: &'static str,
    /// The module that declares it.
    pub module_path: &'static str,
    /// The declared prefix (the default of an `env(...)` prefix), which
    /// every metric's `name` starts with, followed by `_`; empty for none.
    pub prefix: &'static str,
    /// The environment variable that overrides the prefix at start-up.
    pub prefix_env: Option<&'static str>,
    /// Const label names whose values are given when the group is created.
    pub const_labels: &'static [&'static str],
    /// Where the group's metrics live.
    pub scope: ScopeKind,
    /// Its metrics, in declaration order; a flattened group's metrics at
    /// its field, with the group's prefix.
    pub metrics: &'static [MetricDescriptor],
    /// The groups flattened into it (`#[metric(flatten)]`), whose metrics
    /// `metrics` lists.
    pub flattened: &'static [&'static GroupDescriptor],
    /// The longest label value its families store (`max_label_len`);
    /// `None` for the default ([`limits`](crate::limits)).
    pub max_label_len: Option<usize>,
    /// The naming preset a hierarchy group was checked against
    /// (`naming = PATH`); `None` for the default
    /// ([`DEFAULT_NAMING`]) and for registry
    /// groups.
    pub naming: Option<&'static NamingPreset>,
}

impl GroupDescriptor {
    /// The naming the group's declaration was checked against: its own
    /// preset, else the default.
    #[must_use]
    pub fn preset(&self) -> &'static NamingPreset {
        self.naming.unwrap_or(&DEFAULT_NAMING)
    }

    /// The level labels the group's scope adds with its naming preset
    /// ([`preset`](Self::preset); none for registry groups). The instance label, added only when the runtime
    /// has an instance id, is [`instance_label`](Self::instance_label).
    #[must_use]
    pub fn scope_labels(&self) -> Vec<&'static str> {
        match self.scope {
            ScopeKind::Registry => Vec::new(),
            ScopeKind::Hierarchy(level) => self.preset().level_labels(level).collect(),
        }
    }

    /// The label the group's scope adds with its naming preset when the
    /// runtime has an instance id (the default's `worker_id` at component
    /// level and below); `None` for registry groups and levels above.
    #[must_use]
    pub fn instance_label(&self) -> Option<&'static str> {
        match self.scope {
            ScopeKind::Registry => None,
            ScopeKind::Hierarchy(level) => self.preset().instance_label(level),
        }
    }

    /// A metric's name as scraped: its name, behind the naming preset's
    /// prefix for hierarchy groups.
    #[must_use]
    pub fn full_name(&self, metric: &MetricDescriptor) -> String {
        match self.scope {
            ScopeKind::Registry => metric.name.to_owned(),
            ScopeKind::Hierarchy(_) if self.preset().metric_prefix.is_empty() => {
                metric.name.to_owned()
            }
            ScopeKind::Hierarchy(_) => {
                format!("{}_{}", self.preset().metric_prefix, metric.name)
            }
        }
    }

    /// Every label name a metric's series carry: scope, const, variable.
    #[must_use]
    pub fn all_labels(&self, metric: &MetricDescriptor) -> Vec<&'static str> {
        let mut labels = self.scope_labels();
        labels.extend(self.const_labels);
        labels.extend(metric.labels);
        labels
    }
}
