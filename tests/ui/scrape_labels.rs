//! Labels named `job` or `instance`, which a Prometheus server sets itself
//! at scrape (renaming the series' own to `exported_job` and
//! `exported_instance`), are refused unless allowed (`scrape_label`).
use metric_group::prometheus::{IntCounter, IntCounterVec};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "batch")]
struct Variable {
    /// Jobs run, by job
    #[metric(name = "runs_total", labels(job))]
    runs: IntCounterVec,
}

// A fixed label is a label too: at its name.
#[derive(MetricGroup)]
#[metric_group(prefix = "batch")]
struct Fixed {
    /// Jobs run of the nightly job
    #[metric(name = "nightly_runs_total", labels(worker), fixed(job = "nightly"))]
    runs: IntCounterVec,
}

// One error at the const label, not one per metric.
#[derive(MetricGroup)]
#[metric_group(prefix = "batch", const_labels(instance))]
struct Constant {
    /// Jobs run
    #[metric(name = "runs_total")]
    runs: IntCounter,
    /// Jobs failed
    #[metric(name = "failures_total")]
    failures: IntCounter,
}

/// Allowed: compiles.
#[derive(MetricGroup)]
#[metric_group(prefix = "batch_allowed")]
struct Allowed {
    /// Jobs run, by job
    #[metric(name = "runs_total", labels(job), allow(scrape_label))]
    runs: IntCounterVec,
}

fn main() {}
