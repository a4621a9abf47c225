//! The default naming of the metrics hierarchy (Dynamo's, since 2026-04):
//! the prefix every scoped metric gets, the label each level below the
//! runtime adds, the per-process instance label and the const label names
//! the runtime keeps for itself.
//!
//! The derive reads [`default_labels`] to refuse, at compile time, group
//! labels that a scope with this naming adds or may add; the runtime's
//! `scope::Naming::default()` is built from the same constants.

/// Prepended, with `_`, to the name of every metric created through a scope.
pub const DEFAULT_METRIC_PREFIX: &str = "dynamo_component";

/// The levels below the runtime, outermost first: each level's name (as
/// `scope = ...` spells it) and the label it adds.
pub const DEFAULT_LEVELS: [(&str, &str); 3] = [
    ("namespace", "dynamo_namespace"),
    ("component", "dynamo_component"),
    ("endpoint", "dynamo_endpoint"),
];

/// The labels of the namespace, component and endpoint levels, in order.
pub const DEFAULT_LEVEL_LABELS: [&str; 3] = [
    DEFAULT_LEVELS[0].1,
    DEFAULT_LEVELS[1].1,
    DEFAULT_LEVELS[2].1,
];

/// The label carrying the process' instance id (in hex), when one is set.
pub const DEFAULT_INSTANCE_LABEL: &str = "worker_id";

/// The outermost level whose families carry [`DEFAULT_INSTANCE_LABEL`]; the
/// levels below it carry it too.
pub const DEFAULT_INSTANCE_LEVEL: Level = Level::Component;

/// Const label names no group created through the hierarchy may declare, at
/// any level: exact names, or prefixes written `prefix*`.
pub const DEFAULT_RESERVED_CONST_LABELS: [&str; 2] = [DEFAULT_INSTANCE_LABEL, "dynamo_*"];

/// A level of the metrics hierarchy with the default naming, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Level {
    Runtime,
    Namespace,
    Component,
    Endpoint,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Runtime,
        Level::Namespace,
        Level::Component,
        Level::Endpoint,
    ];

    /// The level's name, as `scope = ...` spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Runtime => "runtime",
            Level::Namespace => "namespace",
            Level::Component => "component",
            Level::Endpoint => "endpoint",
        }
    }

    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == name)
    }

    /// The level directly below this one.
    pub const fn child(self) -> Option<Level> {
        match self {
            Level::Runtime => Some(Level::Namespace),
            Level::Namespace => Some(Level::Component),
            Level::Component => Some(Level::Endpoint),
            Level::Endpoint => None,
        }
    }
}

impl core::fmt::Display for Level {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The level labels a scope at `level` adds with the default naming: those
/// of every level down to it, or of every level when a group may be created
/// at any of them. What the exposition shows when no instance id is set.
pub fn default_level_labels(level: Option<Level>) -> &'static [&'static str] {
    match level {
        Some(level) => &DEFAULT_LEVEL_LABELS[..level as usize],
        None => &DEFAULT_LEVEL_LABELS,
    }
}

/// The instance label a scope at `level` adds with the default naming when
/// the runtime has an instance id: at [`DEFAULT_INSTANCE_LEVEL`] and below,
/// and for groups that may be created at any level.
pub fn default_instance_label(level: Option<Level>) -> Option<&'static str> {
    match level {
        Some(level) if level < DEFAULT_INSTANCE_LEVEL => None,
        _ => Some(DEFAULT_INSTANCE_LABEL),
    }
}

/// Every label a scope at `level` adds, or may add, with the default naming:
/// [`default_level_labels`], then [`default_instance_label`] whether or not
/// an instance id is set (so a declaration that works without one keeps
/// working with one). A group's own labels may not use any of them; the
/// derive refuses them at compile time.
pub fn default_labels(level: Option<Level>) -> &'static [&'static str] {
    const NAMESPACE: &str = DEFAULT_LEVEL_LABELS[0];
    const COMPONENT: &str = DEFAULT_LEVEL_LABELS[1];
    const ENDPOINT: &str = DEFAULT_LEVEL_LABELS[2];
    const INSTANCE: &str = DEFAULT_INSTANCE_LABEL;
    match level {
        Some(Level::Runtime) => &[],
        Some(Level::Namespace) => &[NAMESPACE],
        Some(Level::Component) => &[NAMESPACE, COMPONENT, INSTANCE],
        Some(Level::Endpoint) | None => &[NAMESPACE, COMPONENT, ENDPOINT, INSTANCE],
    }
}

/// Whether `label` is one of `reserved`: an exact name, or a `prefix*`.
pub fn is_reserved_by<S: AsRef<str>>(label: &str, reserved: &[S]) -> bool {
    reserved.iter().any(|pattern| {
        let pattern = pattern.as_ref();
        match pattern.strip_suffix('*') {
            Some(prefix) => label.starts_with(prefix),
            None => label == pattern,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_labels_are_the_level_labels_then_the_instance_label() {
        let levels = Level::ALL.into_iter().map(Some).chain([None]);
        for level in levels {
            let mut expected = default_level_labels(level).to_vec();
            expected.extend(default_instance_label(level));
            assert_eq!(default_labels(level), expected, "{level:?}");
        }
    }

    #[test]
    fn level_names_agree_with_the_default_levels() {
        for (i, (name, _)) in DEFAULT_LEVELS.iter().enumerate() {
            assert_eq!(Level::ALL[i + 1].as_str(), *name);
        }
    }

    #[test]
    fn reserved_patterns_match_names_and_prefixes() {
        let reserved = DEFAULT_RESERVED_CONST_LABELS;
        assert!(is_reserved_by("worker_id", &reserved));
        assert!(is_reserved_by("dynamo_endpoint", &reserved));
        assert!(is_reserved_by("dynamo_anything", &reserved));
        assert!(!is_reserved_by("worker", &reserved));
        assert!(!is_reserved_by("router_id", &reserved));
        assert!(!is_reserved_by("dynamo", &reserved));
    }
}
