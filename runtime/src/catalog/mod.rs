//! Static descriptions of declared groups and their metrics, and the catalog
//! of every group linked into a binary.
//!
//! The derive knows everything an operator needs to know about a metric;
//! keeping it at run time lets a binary list what it exposes (Markdown for
//! docs that cannot drift from the code, JSON for tools) and lets one test
//! catch two groups that declare the same name differently.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicPtr, Ordering};

use metric_group_rules::hierarchy::{default_labels, DEFAULT_METRIC_PREFIX};
pub use metric_group_rules::{Lint, MetricKind};

#[cfg(feature = "dashboards")]
mod dashboard;
#[cfg(feature = "dashboards")]
mod queries;
#[cfg(feature = "dashboards")]
mod recording_rules;
mod render;

#[cfg(feature = "dashboards")]
pub use dashboard::{grafana_unit, GRAFANA_SCHEMA_VERSION, REGENERATE_DASHBOARD};
#[cfg(feature = "dashboards")]
pub use queries::{
    ChoiceError, DashboardOptions, MetricChoices, DEFAULT_QUANTILES, DEFAULT_RULE_WINDOW,
};
#[cfg(feature = "dashboards")]
pub use recording_rules::{rules_to_yaml, RecordingRule, RuleGroup, REGENERATE_RULES};
pub use render::REGENERATE_DOCS;

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

/// A declared group's entry in the link-time list of groups. Generated code
/// puts one in a static per group and pushes it from a static constructor
/// (`.init_array` on ELF, `__mod_init_func` on Mach-O, `.CRT$XCU` on
/// Windows), before `main` runs.
///
/// A hand-rolled list rather than `inventory` or `linkme`: the list is a
/// dozen lines, and `inventory::submit!`'s macro layers cost about 5 ms of
/// compile time per group (half the derive's cost in `scripts/compile_cost.py`).
#[doc(hidden)]
pub struct CatalogNode {
    group: &'static GroupDescriptor,
    next: AtomicPtr<CatalogNode>,
}

impl CatalogNode {
    pub const fn new(group: &'static GroupDescriptor) -> Self {
        CatalogNode {
            group,
            next: AtomicPtr::new(std::ptr::null_mut()),
        }
    }
}

static CATALOG_HEAD: AtomicPtr<CatalogNode> = AtomicPtr::new(std::ptr::null_mut());

/// Pushes a group's node onto the list; called by generated constructors.
#[doc(hidden)]
pub fn submit(node: &'static CatalogNode) {
    let node_ptr = node as *const CatalogNode as *mut CatalogNode;
    let mut head = CATALOG_HEAD.load(Ordering::Acquire);
    loop {
        node.next.store(head, Ordering::Relaxed);
        match CATALOG_HEAD.compare_exchange_weak(
            head,
            node_ptr,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => return,
            Err(current) => head = current,
        }
    }
}

/// Every group declared with the derive in the crates linked into this
/// binary (on targets with static constructors: Linux and the BSDs, macOS,
/// Windows).
pub fn catalog() -> Catalog {
    let mut groups = Vec::new();
    let mut node = CATALOG_HEAD.load(Ordering::Acquire);
    // SAFETY: nodes are statics, pushed once and never removed.
    while let Some(current) = unsafe { node.as_ref() } {
        groups.push(current.group);
        node = current.next.load(Ordering::Acquire);
    }
    Catalog::from_groups(groups)
}

/// A set of groups, sorted by module and name.
#[derive(Clone, Debug)]
pub struct Catalog {
    groups: Vec<&'static GroupDescriptor>,
}

impl Catalog {
    pub fn from_groups(groups: impl IntoIterator<Item = &'static GroupDescriptor>) -> Self {
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by_key(|group| (group.module_path, group.name));
        groups.dedup_by_key(|group| (group.module_path, group.name));
        Catalog { groups }
    }

    pub fn groups(&self) -> &[&'static GroupDescriptor] {
        &self.groups
    }

    /// Only the groups declared in `module` or below it.
    pub fn within(&self, module: &str) -> Catalog {
        let below = format!("{module}::");
        let groups = self.groups.iter().copied();
        Catalog::from_groups(
            groups.filter(|g| g.module_path == module || g.module_path.starts_with(&below)),
        )
    }

    /// Checks that no two metrics share a full name unless they agree on
    /// type, help and label set; every disagreement is returned.
    pub fn check_unique(&self) -> Result<(), Vec<Conflict>> {
        let mut seen: BTreeMap<String, (&'static GroupDescriptor, &'static MetricDescriptor)> =
            BTreeMap::new();
        let mut conflicts = Vec::new();
        for group in &self.groups {
            for metric in group.metrics {
                let name = group.full_name(metric);
                let Some(&(first_group, first)) = seen.get(&name) else {
                    seen.insert(name, (group, metric));
                    continue;
                };
                let mut labels_a = first_group.all_labels(first);
                let mut labels_b = group.all_labels(metric);
                labels_a.sort_unstable();
                labels_b.sort_unstable();
                let reason = if first.kind != metric.kind {
                    Some("different types")
                } else if first.help != metric.help {
                    Some("different help texts")
                } else if labels_a != labels_b {
                    Some("different label sets")
                } else {
                    None
                };
                if let Some(reason) = reason {
                    conflicts.push(Conflict {
                        name,
                        first: Declaration::of(first_group, first),
                        second: Declaration::of(group, metric),
                        reason,
                    });
                }
            }
        }
        conflicts.sort_by(|a, b| a.name.cmp(&b.name));
        if conflicts.is_empty() {
            Ok(())
        } else {
            Err(conflicts)
        }
    }
}

/// Where a metric is declared: `module::Group.field`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub module_path: &'static str,
    pub group: &'static str,
    pub field: &'static str,
}

impl Declaration {
    fn of(group: &GroupDescriptor, metric: &MetricDescriptor) -> Self {
        Declaration {
            module_path: group.module_path,
            group: group.name,
            field: metric.field,
        }
    }
}

impl fmt::Display for Declaration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}.{}", self.module_path, self.group, self.field)
    }
}

/// Two declarations of one metric name that disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub name: String,
    pub first: Declaration,
    pub second: Declaration,
    pub reason: &'static str,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "metric `{}` is declared by `{}` and by `{}` with {}",
            self.name, self.first, self.second, self.reason
        )
    }
}
