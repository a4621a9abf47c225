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
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Runtime => "runtime",
            Level::Namespace => "namespace",
            Level::Component => "component",
            Level::Endpoint => "endpoint",
        }
    }

    #[must_use]
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == name)
    }

    /// The level directly below this one.
    #[must_use]
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
#[must_use]
pub fn default_level_labels(level: Option<Level>) -> &'static [&'static str] {
    match level {
        Some(level) => &DEFAULT_LEVEL_LABELS[..level as usize],
        None => &DEFAULT_LEVEL_LABELS,
    }
}

/// The instance label a scope at `level` adds with the default naming when
/// the runtime has an instance id: at [`DEFAULT_INSTANCE_LEVEL`] and below,
/// and for groups that may be created at any level.
#[must_use]
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
#[must_use]
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

/// A hierarchy's naming as constants: what a declaration is checked against
/// at compile time, and what the runtime's `scope::Naming` is built from.
/// The rules crate holds no naming of its own: the runtime defines the
/// presets (its default among them) and a declaration names the one it is
/// checked against.
///
/// Levels are named as `scope = ...` spells them ([`Level::as_str`]); the
/// runtime is depth 0, `levels[i]` depth `i + 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamingPreset {
    /// Prepended, with `_`, to every scoped metric's name; may be empty.
    pub metric_prefix: &'static str,
    /// Each level below the runtime, outermost first: its name and the label
    /// it adds.
    pub levels: &'static [(&'static str, &'static str)],
    /// The label carrying the process' instance id and the name of the
    /// outermost level whose families carry it; `None` for a hierarchy
    /// without one.
    pub instance: Option<(&'static str, &'static str)>,
    /// Const label names no group created through the hierarchy may
    /// declare: exact names, or prefixes written `prefix*`.
    pub reserved_const_labels: &'static [&'static str],
}

impl NamingPreset {
    /// The depth of `level` (the runtime is 0); `None` when the naming has no
    /// level so named.
    #[must_use]
    pub const fn depth_of(&self, level: Level) -> Option<usize> {
        self.depth_of_name(level.as_str())
    }

    const fn depth_of_name(&self, name: &str) -> Option<usize> {
        if crate::bytes::eq(name.as_bytes(), Level::Runtime.as_str().as_bytes()) {
            return Some(0);
        }
        let mut i = 0;
        while i < self.levels.len() {
            if crate::bytes::eq(name.as_bytes(), self.levels[i].0.as_bytes()) {
                return Some(i + 1);
            }
            i += 1;
        }
        None
    }

    /// The depth from which the instance label applies.
    const fn instance_depth(&self) -> Option<usize> {
        match self.instance {
            Some((_, level)) => self.depth_of_name(level),
            None => None,
        }
    }

    /// Whether a scope at `level` (`None`: a group that may be created at
    /// any level) adds, or may add, `label`: a level label down to it, or
    /// the instance label where it applies whether or not an instance id is
    /// set (so a declaration that works without one keeps working with one).
    /// A level the naming does not have adds every label it has.
    #[must_use]
    pub const fn may_add_label(&self, level: Option<Level>, label: &str) -> bool {
        let depth = match level {
            Some(level) => match self.depth_of(level) {
                Some(depth) => depth,
                None => self.levels.len(),
            },
            None => self.levels.len(),
        };
        let mut i = 0;
        while i < depth && i < self.levels.len() {
            if crate::bytes::eq(label.as_bytes(), self.levels[i].1.as_bytes()) {
                return true;
            }
            i += 1;
        }
        match (self.instance, self.instance_depth()) {
            (Some((instance, _)), Some(from)) => {
                (level.is_none() || depth >= from)
                    && crate::bytes::eq(label.as_bytes(), instance.as_bytes())
            }
            _ => false,
        }
    }

    /// The labels of every level down to `level` (every level for `None`),
    /// outermost first: what the exposition shows without an instance id.
    pub fn level_labels(&self, level: Option<Level>) -> impl Iterator<Item = &'static str> {
        let depth = level
            .and_then(|level| self.depth_of(level))
            .unwrap_or(self.levels.len());
        self.levels[..depth.min(self.levels.len())]
            .iter()
            .map(|(_, label)| *label)
    }

    /// The instance label a scope at `level` adds when the runtime has an
    /// instance id: at the instance level and below, and for groups that
    /// may be created at any level.
    #[must_use]
    pub fn instance_label(&self, level: Option<Level>) -> Option<&'static str> {
        let (label, _) = self.instance?;
        let from = self.instance_depth()?;
        match level.map(|level| self.depth_of(level)) {
            Some(Some(depth)) if depth < from => None,
            _ => Some(label),
        }
    }

    /// Whether a const label named `label` is one the naming reserves.
    #[must_use]
    pub fn reserves_const_label(&self, label: &str) -> bool {
        is_reserved_by(label, self.reserved_const_labels)
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

    /// A naming shaped like Dynamo's, with labels of its own.
    const THREE_LEVELS: NamingPreset = NamingPreset {
        metric_prefix: "svc",
        levels: &[
            ("namespace", "ns"),
            ("component", "comp"),
            ("endpoint", "ep"),
        ],
        instance: Some(("pod", "component")),
        reserved_const_labels: &["pod", "svc_*"],
    };

    #[test]
    fn a_preset_adds_the_level_labels_down_to_a_level_then_the_instance_label() {
        let preset = THREE_LEVELS;
        let labels = |level| -> Vec<&str> {
            ["ns", "comp", "ep", "pod", "other"]
                .into_iter()
                .filter(|label| preset.may_add_label(level, label))
                .collect()
        };
        assert_eq!(labels(Some(Level::Runtime)), Vec::<&str>::new());
        assert_eq!(labels(Some(Level::Namespace)), ["ns"]);
        assert_eq!(labels(Some(Level::Component)), ["ns", "comp", "pod"]);
        assert_eq!(labels(Some(Level::Endpoint)), ["ns", "comp", "ep", "pod"]);
        assert_eq!(labels(None), ["ns", "comp", "ep", "pod"]);
        for level in Level::ALL.into_iter().map(Some).chain([None]) {
            let mut shown: Vec<&str> = preset.level_labels(level).collect();
            shown.extend(preset.instance_label(level));
            assert_eq!(shown, labels(level), "{level:?}");
        }
        assert!(preset.reserves_const_label("pod"));
        assert!(preset.reserves_const_label("svc_zone"));
        assert!(!preset.reserves_const_label("zone"));
    }

    #[test]
    fn a_preset_without_an_instance_label_or_levels_adds_only_what_it_has() {
        const FLAT: NamingPreset = NamingPreset {
            metric_prefix: "",
            levels: &[("namespace", "ns")],
            instance: None,
            reserved_const_labels: &[],
        };
        assert!(FLAT.may_add_label(Some(Level::Endpoint), "ns"));
        assert!(!FLAT.may_add_label(None, "pod"));
        assert_eq!(FLAT.instance_label(None), None);
        assert_eq!(FLAT.depth_of(Level::Component), None);
        // Judged in const evaluation, as generated checks do.
        const { assert!(THREE_LEVELS.may_add_label(Some(Level::Component), "pod")) };
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
