//! The one error type of the runtime. Every variant names the metric (or the
//! group) it is about, so a failure at start-up says what to fix.

use std::fmt;

/// Everything that can fail at run time: building, registering, resolving
/// series, scraping and serving.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// prometheus refused to build a metric.
    Create {
        /// The metric's full name.
        metric: String,
        /// What prometheus (or the operating system) said.
        source: prometheus::Error,
    },
    /// A registry refused a metric for a reason other than a name clash.
    Register {
        /// The metric's full name.
        metric: String,
        /// What prometheus (or the operating system) said.
        source: prometheus::Error,
    },
    /// A registry already holds a different collector with this metric's
    /// name (another instance of the group, or another group). Nothing of
    /// the group stays registered.
    AlreadyRegistered {
        /// The metric's full name.
        metric: String,
        /// `module::Group.field` of the metric being registered.
        declared_by: String,
        /// The declarations that may hold the name, from the catalog.
        held_by: String,
    },
    /// A labelled metric refused a set of label values.
    Labels {
        /// The metric's full name.
        metric: String,
        /// What prometheus (or the operating system) said.
        source: prometheus::Error,
    },
    /// A helper of a plain `*Vec` field was handed a series holding other
    /// label values (`existing`): prometheus keys children by a hash of the
    /// values written back to back. Nothing was written.
    LabelCollision {
        /// The metric's full name.
        metric: String,
        /// The const label values (or label values) already in place.
        existing: Vec<String>,
        /// The values asked for.
        requested: Vec<String>,
    },
    /// A generated helper was given a value that would poison the series
    /// for good (a NaN observation: a histogram's `_sum` stays NaN); nothing
    /// was recorded.
    InvalidValue {
        /// The metric's full name.
        metric: String,
        /// The refused value.
        value: f64,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A label of the group has the name of a label its scope already adds.
    LabelShadowed {
        /// The metric's full name.
        metric: String,
        /// The label name.
        label: String,
    },
    /// A const label of the group has a name the hierarchy's naming keeps
    /// for itself (Dynamo's: `worker_id`, `dynamo_*`).
    LabelReserved {
        /// The metric's full name.
        metric: String,
        /// The label name.
        label: String,
    },
    /// A series of a scrape carries one label name twice, which Prometheus
    /// rejects; the scrape is refused instead.
    DuplicateLabel {
        /// The metric's full name.
        metric: String,
        /// The label name.
        label: String,
    },
    /// A group declared for one hierarchy level was created at another.
    WrongLevel {
        /// The group struct's name.
        group: &'static str,
        /// The level the group is declared for.
        expected: &'static str,
        /// The level of the scope, as the hierarchy's naming calls it.
        found: String,
    },
    /// A scope or hierarchy name that cannot be used.
    InvalidName {
        /// The name as given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// Two metric families of one scrape share a name but disagree on their
    /// help text or type.
    Inconsistent {
        /// The metric's full name.
        metric: String,
        /// Why it is refused.
        reason: String,
    },
    /// An exemplar OpenMetrics would refuse (more than 128 characters of
    /// label names and values, an empty trace id, a NUL), or one for a
    /// series no group exposes. Neither the value nor the exemplar is
    /// recorded.
    InvalidExemplar {
        /// The metric's full name.
        metric: String,
        /// Why it is refused.
        reason: String,
    },
    /// A family cannot be written in the OpenMetrics format, which the
    /// Prometheus text format accepts it in: two families under one
    /// OpenMetrics name, or a counter-like sample that is NaN or negative.
    OpenMetrics {
        /// The metric's full name.
        metric: String,
        /// Why it is refused.
        reason: String,
    },
    /// The text encoder refused a scrape.
    Encode {
        /// What prometheus (or the operating system) said.
        source: prometheus::Error,
    },
    /// The metrics endpoint could not start: the address cannot be listened
    /// on (in use, not local, not permitted) or its thread cannot start.
    Serve {
        /// The address that was asked for.
        address: String,
        /// What prometheus (or the operating system) said.
        source: std::io::Error,
    },
    /// Histogram bucket bounds taken from a constant or from configuration
    /// break a rule of the rules crate (finite, strictly increasing, not
    /// empty). Nothing of the group was built.
    InvalidBuckets {
        /// The metric's full name.
        metric: String,
        /// Which rule the bounds break.
        reason: String,
    },
    /// A family refused a new label set: it holds its budget of series,
    /// or a label value is longer than its limit (`limits.rs`). Updates
    /// through the generated helpers (and `Family::with`) go to the
    /// family's overflow series instead; only a handle is refused.
    SeriesLimit {
        /// The metric's full name.
        metric: String,
        /// Which limit the label set reached.
        reason: String,
    },
    /// A name configured at start-up (a prefix from a builder or from the
    /// environment) breaks a naming rule; nothing of the group was
    /// registered.
    InvalidMetricName {
        /// The metric's full name as configured.
        metric: String,
        /// Which rule it breaks.
        rule: String,
    },
}

impl Error {
    /// [`Error::InvalidName`] for `name`, which breaks `reason`.
    pub(crate) fn invalid_name(name: &str, reason: &'static str) -> Error {
        Error::InvalidName {
            name: name.to_owned(),
            reason,
        }
    }
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
            Error::InvalidValue { metric, value, reason } => write!(
                f,
                "value {value} for metric `{metric}` was not recorded: {reason}"
            ),
            Error::LabelShadowed { metric, label } => write!(
                f,
                "label `{label}` of metric `{metric}` shadows a label its scope already adds"
            ),
            Error::LabelReserved { metric, label } => write!(
                f,
                "const label `{label}` of metric `{metric}` is reserved by the metrics hierarchy's naming"
            ),
            Error::DuplicateLabel { metric, label } => write!(
                f,
                "a series of metric `{metric}` carries label `{label}` twice, which Prometheus rejects"
            ),
            Error::WrongLevel { group, expected, found } => write!(
                f,
                "`{group}` is declared for the {expected} level of the hierarchy but was created at the {found} level"
            ),
            Error::InvalidName { name, reason } => write!(f, "invalid name `{name}`: {reason}"),
            Error::Inconsistent { metric, reason } => write!(f, "metric `{metric}` is inconsistent across the registries scraped together (scopes' and included ones): {reason}"),
            Error::InvalidExemplar { metric, reason } => write!(f, "neither the value nor the exemplar was recorded for metric `{metric}`: {reason}"),
            Error::OpenMetrics { metric, reason } => write!(f, "metric `{metric}` cannot be written in OpenMetrics: {reason}"),
            Error::Encode { source } => write!(f, "cannot encode the exposition: {source}"),
            Error::Serve { address, source } => write!(f, "cannot serve metrics on {address}: {source}"),
            Error::InvalidBuckets { metric, reason } => write!(f, "invalid buckets for metric `{metric}`: {reason}"),
            Error::SeriesLimit { metric, reason } => write!(
                f,
                "metric `{metric}` has no series for this label set: {reason}; its updates go to the overflow series"
            ),
            Error::InvalidMetricName { metric, rule } => write!(f, "invalid name for metric `{metric}`: {rule}"),
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
            Error::Serve { source, .. } => Some(source),
            _ => None,
        }
    }
}
