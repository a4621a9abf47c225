//! Static descriptions of declared groups and their metrics, and the catalog
//! of every group linked into a binary.
//!
//! The derive knows everything an operator needs to know about a metric;
//! keeping it at run time lets a binary list what it exposes (Markdown for
//! docs that cannot drift from the code, JSON for tools) and lets one test
//! catch two groups that declare the same name differently.

use std::collections::BTreeMap;
use std::fmt;

pub use crate::descriptor::{
    BucketSpec, GroupDescriptor, Lint, MetricDescriptor, MetricKind, ScopeKind,
};

#[cfg(feature = "dashboards")]
mod dashboard;
#[cfg(feature = "dashboards")]
mod queries;
#[cfg(feature = "dashboards")]
mod recording_rules;
mod render;

#[cfg(feature = "dashboards")]
pub use dashboard::{grafana_unit, GRAFANA_SCHEMA_VERSION};
#[cfg(feature = "dashboards")]
pub use queries::{
    ChoiceError, DashboardOptions, MetricChoices, DEFAULT_QUANTILES, DEFAULT_RULE_WINDOW,
};
#[cfg(feature = "dashboards")]
pub use recording_rules::{rules_to_yaml, RecordingRule, RuleGroup};

/// A declared group's entry in the link-time catalog. Generated code submits
/// one per group with [`inventory`], whose static constructors
/// (`.init_array` on ELF, `__mod_init_func` on Mach-O, `.CRT$XCU` on
/// Windows, the start function on WebAssembly) run before `main`. Entries are
/// only ever added by those constructors, so no caller can unlink or
/// re-link one. Only with the `catalog` feature, the one way entries are
/// submitted and read.
#[cfg(feature = "catalog")]
#[doc(hidden)]
#[derive(Debug)]
pub struct CatalogEntry {
    /// Reads the group's descriptor when the catalog is listed. A function
    /// rather than the descriptor itself: a static holding the descriptor
    /// has rustc evaluate the whole of it in every `cargo check` of the
    /// user's crate, which cost a group about 4% of its check
    /// (BENCHMARKS.md, "Where the time goes").
    group: fn() -> &'static GroupDescriptor,
}

#[cfg(feature = "catalog")]
impl CatalogEntry {
    /// `group` is the group's `MetricGroup::descriptor`.
    #[must_use]
    pub const fn new(group: fn() -> &'static GroupDescriptor) -> Self {
        CatalogEntry { group }
    }
}

#[cfg(feature = "catalog")]
inventory::collect!(CatalogEntry);

/// Submits a group's catalog entry (generated code invokes it once per
/// group); expands to nothing when the `catalog` feature is off.
#[cfg(feature = "catalog")]
#[doc(hidden)]
#[macro_export]
macro_rules! __catalog_entry {
    ($group:ty) => {
        $crate::__private_0_1_0::inventory::submit! {
            $crate::__private_0_1_0::CatalogEntry::new(
                <$group as $crate::__private_0_1_0::MetricGroup>::descriptor,
            )
        }
    };
}

#[cfg(not(feature = "catalog"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __catalog_entry {
    ($group:ty) => {};
}

/// Every group declared with the derive in the crates linked into this
/// binary, except those flattened into another (`#[metric(flatten)]`): their
/// metrics are listed, under their exposed names, with the group they are
/// flattened into. (A group also created on its own, besides being
/// flattened, is therefore not listed by itself.)
///
/// Empty when the runtime's `catalog` feature (on by default) is off. The
/// list is built by static constructors, as [`inventory`] does it: on
/// targets it does not support the list is empty, and a group in a shared
/// library unloaded with `dlclose` must not be listed afterwards (its entry
/// points into the unloaded image).
#[must_use]
pub fn catalog() -> Catalog {
    #[cfg(feature = "catalog")]
    let groups = inventory::iter::<CatalogEntry>
        .into_iter()
        .map(|entry| (entry.group)());
    #[cfg(not(feature = "catalog"))]
    let groups = std::iter::empty();
    let groups: Vec<&'static GroupDescriptor> = groups.collect();
    // Consts have no stable address: a group is known by module and name.
    let nested: Vec<(&str, &str)> = groups
        .iter()
        .flat_map(|group| group.flattened)
        .map(|inner| (inner.module_path, inner.name))
        .collect();
    Catalog::from_groups(
        groups
            .into_iter()
            .filter(|group| !nested.contains(&(group.module_path, group.name))),
    )
}

/// A set of groups, sorted by module and name.
#[derive(Clone, Debug)]
pub struct Catalog {
    groups: Vec<&'static GroupDescriptor>,
}

impl Catalog {
    /// A catalog of these groups (each listed once).
    pub fn from_groups(groups: impl IntoIterator<Item = &'static GroupDescriptor>) -> Self {
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by_key(|group| (group.module_path, group.name));
        groups.dedup_by_key(|group| (group.module_path, group.name));
        Catalog { groups }
    }

    /// The groups, sorted by module and name.
    #[must_use]
    pub fn groups(&self) -> &[&'static GroupDescriptor] {
        &self.groups
    }

    /// Only the groups declared in `module` or below it.
    #[must_use]
    pub fn within(&self, module: &str) -> Catalog {
        let below = format!("{module}::");
        let groups = self.groups.iter().copied();
        Catalog::from_groups(
            groups.filter(|g| g.module_path == module || g.module_path.starts_with(&below)),
        )
    }

    /// Checks that no two metrics share a full name unless they agree on
    /// type, help and label set; every disagreement is returned.
    ///
    /// # Errors
    ///
    /// Every [`Conflict`]: two declarations of one full name that disagree.
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
    /// The declaring module.
    pub module_path: &'static str,
    /// The group struct's name.
    pub group: &'static str,
    /// The field holding the metric.
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
    /// The full metric name both declare.
    pub name: String,
    /// The declaration listed first.
    pub first: Declaration,
    /// The declaration that disagrees with it.
    pub second: Declaration,
    /// What they disagree on.
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

#[cfg(test)]
mod tests {
    use crate::prometheus::IntCounter;
    use crate::MetricGroup;

    // Only declared, never built: without the catalog feature nothing refers
    // to it, which is what the test below checks.
    #[cfg_attr(not(feature = "catalog"), allow(dead_code))]
    #[derive(MetricGroup)]
    #[metric_group(prefix = "catalog_feature")]
    struct Listed {
        /// Whether the group is listed
        #[metric(name = "probe_total")]
        probe: IntCounter,
    }

    fn listed() -> bool {
        super::catalog()
            .groups()
            .iter()
            // Consts have no stable address: compare what names the group.
            .any(|group| group.module_path == module_path!() && group.name == "Listed")
    }

    #[cfg(feature = "catalog")]
    #[test]
    fn a_declared_group_is_listed() {
        assert!(listed());
    }

    /// `cargo test -p metric-group --no-default-features --lib` (run by CI).
    #[cfg(not(feature = "catalog"))]
    #[test]
    fn without_the_feature_nothing_is_listed() {
        assert!(!listed());
        assert!(super::catalog().groups().is_empty());
    }
}
