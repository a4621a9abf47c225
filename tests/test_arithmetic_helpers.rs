//! Labelled counters get `inc_by_<field>`, labelled gauges `inc_`, `dec_`,
//! `add_` and `sub_<field>`, on plain `*Vec` fields and typed `Family`
//! fields alike; a float counter refuses what it cannot add.

mod common;

use metric_group::prometheus::{CounterVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec};
use metric_group::{Error, Family, LabelSet, MetricGroup};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Source {
    source: &'static str,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "arith")]
struct Sources {
    /// Tokens read, by source
    #[metric(name = "tokens_total", labels(source))]
    tokens: IntCounterVec,
    /// Seconds spent, by source
    #[metric(name = "busy_seconds_total", labels(source), unit = "seconds")]
    busy: CounterVec,
    /// Sources open, by source
    #[metric(name = "open", labels(source))]
    open: IntGaugeVec,
    /// Tokens read, by typed source
    typed_tokens_total: Family<Source, IntCounter>,
    /// Sources open, by typed source
    typed_open: Family<Source, IntGauge>,
}

#[test]
fn counters_add_and_gauges_move_both_ways() -> Result<(), Error> {
    let sources = Sources::new()?;
    sources.inc_by_tokens("active", 5)?;
    sources.inc_tokens("active")?;
    assert_eq!(sources.tokens_with_labels("active")?.get(), 6);
    sources.inc_by_busy("active", 0.25)?;
    assert!((sources.busy_with_labels("active")?.get() - 0.25).abs() < f64::EPSILON);

    sources.inc_open("active")?;
    sources.inc_open("active")?;
    sources.dec_open("active")?;
    sources.add_open("active", 10)?;
    sources.sub_open("active", 3)?;
    assert_eq!(sources.open_with_labels("active")?.get(), 8);

    let active = Source { source: "active" };
    sources.inc_by_typed_tokens_total(&active, 7)?;
    assert_eq!(sources.typed_tokens_total_with_labels(&active)?.get(), 7);
    sources.inc_typed_open(&active)?;
    sources.add_typed_open(&active, 4)?;
    sources.sub_typed_open(&active, 2)?;
    sources.dec_typed_open(&active)?;
    assert_eq!(sources.typed_open_with_labels(&active)?.get(), 2);
    Ok(())
}

#[test]
fn a_float_counter_refuses_what_it_cannot_add_naming_the_metric() -> Result<(), Error> {
    let sources = Sources::new()?;
    for refused in [-1.0, f64::NAN, f64::INFINITY] {
        common::assert_err!(
            sources.inc_by_busy("idle", refused),
            Error::InvalidValue { metric, .. } => assert_eq!(metric, "arith_busy_seconds_total")
        );
    }
    // Nothing was written, and no series made for it.
    assert!(!sources.remove_busy("idle"));
    Ok(())
}
