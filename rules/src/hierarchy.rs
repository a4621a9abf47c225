//! The default naming of the metrics hierarchy (Dynamo's): the prefix every
//! scoped metric gets and the label each level below the runtime adds.

/// Prepended, with `_`, to the name of every metric created through a scope.
pub const DEFAULT_METRIC_PREFIX: &str = "dynamo_component";

/// The labels of the namespace, component and endpoint levels, in order.
pub const DEFAULT_LEVEL_LABELS: [&str; 3] =
    ["dynamo_namespace", "dynamo_component", "dynamo_endpoint"];

/// A level of the metrics hierarchy, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// The labels, with the default naming, that a scope adds to its metrics:
/// those of every level down to `level`, or of every level when a group may
/// be created at any of them.
pub fn default_labels(level: Option<Level>) -> &'static [&'static str] {
    match level {
        Some(level) => &DEFAULT_LEVEL_LABELS[..level as usize],
        None => &DEFAULT_LEVEL_LABELS,
    }
}
