//! The library's own metrics, opt in: what the limits of each family did
//! and what scrapes cost, declared with the derive like any group.
//!
//! ```
//! use metric_group::prometheus::Registry;
//!
//! let registry = Registry::new();
//! metric_group::self_metrics::enable(&registry)?;
//! let text = metric_group::encode(&registry)?; // a scrape updates them
//! assert!(text.contains("# TYPE metric_group_family_series gauge"));
//! # Ok::<(), metric_group::Error>(())
//! ```
//!
//! Every exposition written by [`encode`](fn@crate::encode),
//! `Scope::encode_text` or the server updates them: the series, overflow
//! and expiry figures of each family of that scrape (the library's
//! families, `Family` and `*Vec` fields of groups), then, once written, the
//! scrape's duration and size, which the next scrape shows.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use prometheus::{Histogram, IntCounter, IntGauge, Registry};

use crate::encode::{self, FamilyFigures, ScrapeObserver};
use crate::{Error, Family, LabelSet, MetricGroup};

/// The family a self-metric describes, by its exposed name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct FamilyName {
    /// The family's name as exposed.
    pub family: String,
}

/// The self-metrics group (`metric_group_` prefix).
#[derive(MetricGroup)]
#[metric_group(prefix = "metric_group")]
#[derive(Debug)]
pub struct SelfMetrics {
    /// Series each family of the last scrape holds, its overflow series aside
    #[metric(name = "family_series")]
    pub family_series: Family<FamilyName, IntGauge>,
    /// Updates of label sets past a family's limits, written to its overflow series
    #[metric(name = "family_overflowed_total")]
    pub family_overflowed: Family<FamilyName, IntCounter>,
    /// Series idle expiry removed from each family
    #[metric(name = "family_expired_total")]
    pub family_expired: Family<FamilyName, IntCounter>,
    /// Time to gather and encode an exposition
    #[metric(
        name = "scrape_duration_seconds",
        unit = "seconds",
        buckets = exponential(0.0005, 2.0, 14)
    )]
    pub scrape_duration: Histogram,
    /// Size of the last exposition
    #[metric(name = "exposition_bytes", unit = "bytes")]
    pub exposition_bytes: IntGauge,
}

static ENABLED: OnceLock<Arc<SelfMetrics>> = OnceLock::new();

/// Registers the self-metrics on `registry` (once per process: later calls
/// register the same instance on their registry) and has every scrape
/// update them.
///
/// # Errors
///
/// As [`MetricGroup::register`]: a collector of `registry` already holds
/// one of the names.
pub fn enable(registry: &Registry) -> Result<Arc<SelfMetrics>, Error> {
    let metrics = if let Some(metrics) = ENABLED.get() {
        metrics.clone()
    } else {
        let built = Arc::new(SelfMetrics::new()?);
        let metrics = ENABLED.get_or_init(|| built).clone();
        encode::observe_scrapes(ScrapeObserver { families, scraped });
        metrics
    };
    metrics.register(registry)?;
    Ok(metrics)
}

/// Called by the encoder with the families of a scrape, before writing it.
fn families(figures: &mut dyn Iterator<Item = FamilyFigures<'_>>) {
    let Some(metrics) = ENABLED.get() else {
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for figures in figures {
        let name = FamilyName {
            family: figures.name.to_owned(),
        };
        seen.insert(name.clone());
        let series = i64::try_from(figures.series).unwrap_or(i64::MAX);
        // Counters follow the family's own counts: raised by what they
        // gained since (a family built anew counts from zero, and waits).
        let _ = metrics.family_series.with(&name, |gauge| gauge.set(series));
        let _ = metrics.family_overflowed.with(&name, |counter| {
            counter.inc_by(figures.overflowed.saturating_sub(counter.get()));
        });
        let _ = metrics.family_expired.with(&name, |counter| {
            counter.inc_by(figures.expired.saturating_sub(counter.get()));
        });
    }
    // A family no longer scraped has no series count.
    metrics
        .family_series
        .remove_where(|name| !seen.contains(name));
}

/// Called by the encoder once an exposition is written.
fn scraped(duration: Duration, bytes: usize) {
    let Some(metrics) = ENABLED.get() else {
        return;
    };
    metrics.scrape_duration.observe(duration.as_secs_f64());
    metrics
        .exposition_bytes
        .set(i64::try_from(bytes).unwrap_or(i64::MAX));
}
