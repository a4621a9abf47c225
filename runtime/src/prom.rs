//! Small helpers over prometheus' own types. A leaf module.

use prometheus::core::Collector;

/// The fully-qualified name of a collector's (first) family, for errors.
pub(crate) fn family_name(collector: &dyn Collector) -> String {
    collector
        .desc()
        .first()
        .map(|desc| desc.fq_name.clone())
        .unwrap_or_default()
}
