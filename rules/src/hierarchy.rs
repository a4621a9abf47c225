//! The metrics hierarchy's vocabulary: a naming as constants
//! ([`NamingPreset`]): the prefix of scoped metrics, the levels by name and
//! the label each adds, the instance label and the const label names a naming
//! keeps for itself. This crate defines no naming: the runtime holds the
//! presets (its default among them) and builds `scope::Naming` from them;
//! the derive checks a scoped declaration's labels against the preset it
//! names, by const evaluation.

/// The name of the root level, depth 0 in every naming: what `scope =
/// runtime` names. The levels below it are the naming's own.
pub const ROOT_LEVEL: &str = "runtime";

/// A hierarchy's naming as constants: what a declaration is checked against
/// at compile time, and what the runtime's `scope::Naming` is built from.
/// The rules crate holds no naming of its own: the runtime defines the
/// presets (its default among them) and a declaration names the one it is
/// checked against.
///
/// Levels are identified by their names, as `scope = ...` spells them; the
/// runtime ([`ROOT_LEVEL`]) is depth 0 in every naming, `levels[i]` depth
/// `i + 1`.
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
    /// The depth of the level called `name` (the runtime is 0); `None` when
    /// the naming has no level so named.
    #[must_use]
    pub const fn depth_of(&self, name: &str) -> Option<usize> {
        if crate::bytes::eq(name.as_bytes(), ROOT_LEVEL.as_bytes()) {
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
            Some((_, level)) => self.depth_of(level),
            None => None,
        }
    }

    /// How many levels' labels a scope at `level` carries: down to it, or
    /// every level for `None` (a group that may be created at any level)
    /// and for a level the naming does not have.
    const fn labelled_depth(&self, level: Option<&str>) -> usize {
        let depth = match level {
            Some(level) => match self.depth_of(level) {
                Some(depth) => depth,
                None => self.levels.len(),
            },
            None => self.levels.len(),
        };
        if depth < self.levels.len() {
            depth
        } else {
            self.levels.len()
        }
    }

    /// Whether a scope at `level` (`None`: a group that may be created at
    /// any level) adds, or may add, `label`: a level label down to it, or
    /// the instance label where it applies whether or not an instance id is
    /// set (so a declaration that works without one keeps working with one).
    /// A level the naming does not have adds every label it has.
    #[must_use]
    pub const fn may_add_label(&self, level: Option<&str>, label: &str) -> bool {
        let depth = self.labelled_depth(level);
        let mut i = 0;
        while i < depth {
            if crate::bytes::eq(label.as_bytes(), self.levels[i].1.as_bytes()) {
                return true;
            }
            i += 1;
        }
        match self.instance_label(level) {
            Some(instance) => crate::bytes::eq(label.as_bytes(), instance.as_bytes()),
            None => false,
        }
    }

    /// The index of the first of `names` a scope at `level` adds or may add
    /// ([`may_add_label`](Self::may_add_label)); what generated code asks
    /// of a label set's names.
    #[must_use]
    pub const fn first_added(&self, level: Option<&str>, names: &[&str]) -> Option<usize> {
        let mut i = 0;
        while i < names.len() {
            if self.may_add_label(level, names[i]) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// The labels of every level down to `level` (every level for `None`, or
    /// a level the naming does not have), outermost first: what the
    /// exposition shows without an instance id.
    pub fn level_labels(&self, level: Option<&str>) -> impl Iterator<Item = &'static str> {
        self.levels[..self.labelled_depth(level)]
            .iter()
            .map(|(_, label)| *label)
    }

    /// The instance label a scope at `level` adds when the runtime has an
    /// instance id: at the instance level and below, and for groups that
    /// may be created at any level (or at a level the naming does not have).
    #[must_use]
    pub const fn instance_label(&self, level: Option<&str>) -> Option<&'static str> {
        let (Some((label, _)), Some(from)) = (self.instance, self.instance_depth()) else {
            return None;
        };
        match level {
            Some(level) => match self.depth_of(level) {
                Some(depth) if depth < from => None,
                _ => Some(label),
            },
            None => Some(label),
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
        assert_eq!(labels(Some(ROOT_LEVEL)), Vec::<&str>::new());
        assert_eq!(labels(Some("namespace")), ["ns"]);
        assert_eq!(labels(Some("component")), ["ns", "comp", "pod"]);
        assert_eq!(labels(Some("endpoint")), ["ns", "comp", "ep", "pod"]);
        assert_eq!(labels(None), ["ns", "comp", "ep", "pod"]);
        for level in [ROOT_LEVEL, "namespace", "component", "endpoint"]
            .into_iter()
            .map(Some)
            .chain([None])
        {
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
        assert!(FLAT.may_add_label(Some("endpoint"), "ns"));
        assert!(!FLAT.may_add_label(None, "pod"));
        assert_eq!(FLAT.instance_label(None), None);
        assert_eq!(FLAT.depth_of("component"), None);
        assert_eq!(
            THREE_LEVELS.first_added(Some("namespace"), &["pod", "ns"]),
            Some(1)
        );
        assert_eq!(THREE_LEVELS.first_added(Some("namespace"), &["pod"]), None);
        // Judged in const evaluation, as generated checks do.
        const { assert!(THREE_LEVELS.may_add_label(Some("component"), "pod")) };
    }

    #[test]
    fn reserved_patterns_match_names_and_prefixes() {
        let reserved = ["pod", "svc_*"];
        assert!(is_reserved_by("pod", &reserved));
        assert!(is_reserved_by("svc_zone", &reserved));
        assert!(is_reserved_by("svc_", &reserved));
        assert!(!is_reserved_by("po", &reserved));
        assert!(!is_reserved_by("svc", &reserved));
    }
}
