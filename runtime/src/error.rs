//! The one error type of the runtime. Every variant names the metric (or the
//! group) it is about, so a failure at start-up says what to fix.

use std::fmt;

#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// prometheus refused to build a metric.
    Create {
        metric: String,
        source: prometheus::Error,
    },
    /// A registry refused a metric for a reason other than a name clash.
    Register {
        metric: String,
        source: prometheus::Error,
    },
    /// A registry already holds a different collector with this metric's
    /// name (another instance of the group, or another group). Nothing of
    /// the group stays registered.
    AlreadyRegistered {
        metric: String,
        /// `module::Group.field` of the metric being registered.
        declared_by: String,
        /// The declarations that may hold the name, from the catalog.
        held_by: String,
    },
    /// A labelled metric refused a set of label values.
    Labels {
        metric: String,
        source: prometheus::Error,
    },
    /// Two label sets of a plain `*Vec` field that prometheus would merge
    /// into one series (its children are keyed by a hash of the values
    /// written back to back).
    LabelCollision {
        metric: String,
        existing: Vec<String>,
        requested: Vec<String>,
    },
    /// A group memoised with one set of const label values was asked for
    /// another.
    AlreadyInitialized {
        group: &'static str,
        existing: Vec<String>,
        requested: Vec<String>,
    },
    /// A label of the group has the name of a label its scope already adds.
    LabelShadowed { metric: String, label: String },
    /// A group declared for one hierarchy level was created at another.
    WrongLevel {
        group: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    /// A scope or hierarchy name that cannot be used.
    InvalidName { name: String, reason: &'static str },
    /// Two metric families of one scrape share a name but disagree on their
    /// help text or type.
    Inconsistent { metric: String, reason: String },
    /// The text encoder refused a scrape.
    Encode { source: prometheus::Error },
    /// Histogram bucket bounds taken from a constant or from configuration
    /// break a rule of the rules crate (finite, strictly increasing, not
    /// empty). Nothing of the group was built.
    InvalidBuckets { metric: String, reason: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Create { metric, source } => write!(f, "cannot create metric `{metric}`: {source}"),
            Error::Register { metric, source } => write!(f, "cannot register metric `{metric}`: {source}"),
            Error::AlreadyRegistered { metric, declared_by, held_by } => write!(
                f,
                "metric `{metric}` of `{declared_by}` clashes with a collector already registered under that name: {held_by}; nothing of the group was registered"
            ),
            Error::Labels { metric, source } => write!(f, "bad label values for metric `{metric}`: {source}"),
            Error::LabelCollision { metric, existing, requested } => write!(
                f,
                "label values {requested:?} of metric `{metric}` would share a series with {existing:?}; use a typed `Family` for this metric"
            ),
            Error::AlreadyInitialized { group, existing, requested } => write!(
                f,
                "`{group}` is already initialised with const labels {existing:?}, cannot initialise it with {requested:?}"
            ),
            Error::LabelShadowed { metric, label } => write!(
                f,
                "label `{label}` of metric `{metric}` shadows a label its scope already adds"
            ),
            Error::WrongLevel { group, expected, found } => write!(
                f,
                "`{group}` is declared for the {expected} level of the hierarchy but was created at the {found} level"
            ),
            Error::InvalidName { name, reason } => write!(f, "invalid name `{name}`: {reason}"),
            Error::Inconsistent { metric, reason } => write!(f, "metric `{metric}` is inconsistent across scopes: {reason}"),
            Error::Encode { source } => write!(f, "cannot encode the exposition: {source}"),
            Error::InvalidBuckets { metric, reason } => write!(f, "invalid buckets for metric `{metric}`: {reason}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Create { source, .. }
            | Error::Register { source, .. }
            | Error::Labels { source, .. }
            | Error::Encode { source } => Some(source),
            _ => None,
        }
    }
}
