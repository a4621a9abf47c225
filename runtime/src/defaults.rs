//! The default limits of a family, re-exported by [`limits`](crate::limits)
//! (where they are documented to users). A leaf module: the limits and the
//! `*Vec` helpers' records both read it.

/// How many series a family whose label set has no fixed cardinality holds
/// unless told otherwise. OpenTelemetry's SDK keeps 2,000 per instrument; a
/// router's per-worker families run to a few thousand workers times ranks.
pub const DEFAULT_MAX_SERIES: usize = 10_000;

/// The longest label value a family stores unless told otherwise, in bytes:
/// Grafana Mimir's default `max_label_value_length`. Longer values send their
/// label set to the overflow series.
pub const DEFAULT_MAX_LABEL_LEN: usize = 2048;
