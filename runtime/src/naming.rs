//! How a hierarchy names things ([`Naming`]), and the named presets a
//! naming is built from ([`NamingPreset`]s: [`DYNAMO_NAMING`], the default).
//! A leaf module: descriptors, scopes and the catalog read it.
//!
//! The derive checks a scoped declaration's labels at compile time against
//! a preset ([`DEFAULT_NAMING`] unless the declaration names another with
//! `naming = PATH`); the runtime checks every group against the naming its
//! hierarchy runs when the group is created, whatever that naming is.

pub use metric_group_rules::hierarchy::NamingPreset;
use metric_group_rules::hierarchy::ROOT_LEVEL;
use metric_group_rules::{check_prefix, is_valid_label_name, LabelPlace};

use crate::error::Error;

/// Dynamo's naming (the one its `MetricsHierarchy` applies since 2026-04):
/// prefix `dynamo_component`; levels `namespace`, `component`, `endpoint`
/// labelled `dynamo_namespace`, `dynamo_component`, `dynamo_endpoint`;
/// instance label `worker_id` from the component level down; const labels
/// `worker_id` and `dynamo_*` reserved.
pub const DYNAMO_NAMING: NamingPreset = NamingPreset {
    metric_prefix: "dynamo_component",
    levels: &[
        ("namespace", "dynamo_namespace"),
        ("component", "dynamo_component"),
        ("endpoint", "dynamo_endpoint"),
    ],
    instance: Some(("worker_id", "component")),
    reserved_const_labels: &["worker_id", "dynamo_*"],
};

/// The naming [`Naming::default()`] builds, and the preset a scoped
/// declaration is checked against unless it names another: [`DYNAMO_NAMING`]
/// (the hierarchy is modelled on Dynamo's, whose router these groups serve).
pub const DEFAULT_NAMING: NamingPreset = DYNAMO_NAMING;

impl Naming {
    /// [`DYNAMO_NAMING`] as a naming to run, or to change.
    #[must_use]
    pub fn dynamo() -> Self {
        Naming::from(&DYNAMO_NAMING)
    }
}

/// How a hierarchy names things: the prefix of scoped metrics, its levels,
/// its instance label and the const label names it keeps for itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Naming {
    /// Prepended, with `_`, to every scoped metric's name; may be empty.
    pub metric_prefix: String,
    /// The levels below the runtime, outermost first; as many as needed.
    pub levels: Vec<LevelNaming>,
    /// The label carrying the process' instance id, if the hierarchy has
    /// one. Its value is given once, at the root:
    /// [`RuntimeBuilder`](crate::scope::RuntimeBuilder).
    pub instance: Option<InstanceNaming>,
    /// Const label names no group created through the hierarchy may
    /// declare, at any level: exact names, or prefixes written `prefix*`.
    pub reserved_const_labels: Vec<String>,
}

/// One level below the runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelNaming {
    /// The level's name; groups declared with `scope = <name>` are created
    /// at the level of that name (`namespace`, `component`, `endpoint`).
    pub name: String,
    /// The label the level adds, valued with each scope's sanitised name.
    pub label: String,
}

impl LevelNaming {
    /// A level called `name` whose scopes add the label `label`.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Self {
        LevelNaming {
            name: name.into(),
            label: label.into(),
        }
    }
}

/// The instance label: its name and the outermost level whose families
/// carry it (the levels below carry it too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceNaming {
    /// The label's name (Dynamo's `worker_id`).
    pub label: String,
    /// The name of one of the [`Naming::levels`].
    pub from_level: String,
}

impl Default for Naming {
    /// The naming of [`DEFAULT_NAMING`], which declarations are checked
    /// against at compile time unless they name another preset.
    fn default() -> Self {
        Naming::from(&DEFAULT_NAMING)
    }
}

impl From<&NamingPreset> for Naming {
    fn from(preset: &NamingPreset) -> Self {
        Naming {
            metric_prefix: preset.metric_prefix.to_owned(),
            levels: preset
                .levels
                .iter()
                .map(|(name, label)| LevelNaming::new(*name, *label))
                .collect(),
            instance: preset.instance.map(|(label, from_level)| InstanceNaming {
                label: label.to_owned(),
                from_level: from_level.to_owned(),
            }),
            reserved_const_labels: preset
                .reserved_const_labels
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
        }
    }
}

/// A label every metric created through the scope carries.
fn check_label_name(label: &str) -> Result<(), Error> {
    metric_group_rules::check_label_name(label, LabelPlace::Metric)
        .map_err(|error| Error::invalid_name(label, error.message()))
}

impl Naming {
    /// Every name valid, level names and labels distinct, the instance level
    /// one of the levels.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] naming the first name that breaks a rule.
    pub fn validate(&self) -> Result<(), Error> {
        if let Err(error) = check_prefix(&self.metric_prefix) {
            return Err(Error::invalid_name(&self.metric_prefix, error.message()));
        }
        for (i, level) in self.levels.iter().enumerate() {
            if !is_valid_label_name(&level.name) || level.name == ROOT_LEVEL {
                return Err(Error::invalid_name(&level.name, "not a usable level name"));
            }
            if self.levels[..i].iter().any(|l| l.name == level.name) {
                return Err(Error::invalid_name(&level.name, "names two levels"));
            }
            check_label_name(&level.label)?;
            if self.levels[..i].iter().any(|l| l.label == level.label) {
                return Err(Error::invalid_name(&level.label, "used by two levels"));
            }
        }
        if let Some(instance) = &self.instance {
            check_label_name(&instance.label)?;
            if self.levels.iter().any(|l| l.label == instance.label) {
                return Err(Error::invalid_name(
                    &instance.label,
                    "both a level label and the instance label",
                ));
            }
            if self.depth_of(&instance.from_level).is_none() {
                return Err(Error::invalid_name(
                    &instance.from_level,
                    "the instance label's level is not a level of the naming",
                ));
            }
        }
        for pattern in &self.reserved_const_labels {
            let name = pattern.strip_suffix('*').unwrap_or(pattern);
            if !is_valid_label_name(name) {
                return Err(Error::invalid_name(
                    pattern,
                    "not a label name or a `prefix*`",
                ));
            }
        }
        Ok(())
    }

    /// The depth of the level called `name`: the runtime is 0.
    pub(crate) fn depth_of(&self, name: &str) -> Option<usize> {
        if name == ROOT_LEVEL {
            return Some(0);
        }
        self.levels
            .iter()
            .position(|l| l.name == name)
            .map(|i| i + 1)
    }

    pub(crate) fn level_name(&self, depth: usize) -> &str {
        match depth {
            0 => ROOT_LEVEL,
            _ => &self.levels[depth - 1].name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presets_are_valid_namings() {
        Naming::dynamo().validate().unwrap();
        assert_eq!(Naming::default(), Naming::from(&DEFAULT_NAMING));
    }
}
