// A `*Vec` field whose labels are all fixed (one field per reason, as the
// docs show) gets helpers with no label parameters, of every kind.
use metric_group::prometheus::{HistogramVec, IntCounterVec, IntGaugeVec, Registry};
use metric_group::{Exemplar, MetricGroup};

mod reasons {
    pub const FULL: &str = "full";
}

#[derive(MetricGroup)]
#[metric_group(prefix = "queue")]
struct Rejections {
    /// Requests rejected because the queue was full
    #[metric(name = "rejected_total", fixed(reason = reasons::FULL))]
    full: IntCounterVec,
    /// Requests waiting, of the priority class
    #[metric(name = "waiting", fixed(class = "high"))]
    waiting: IntGaugeVec,
    /// Time waited, of the priority class
    #[metric(name = "wait_seconds", unit = "seconds", fixed(class = "high"), buckets = [0.1, 1.0])]
    wait: HistogramVec,
}

fn main() -> Result<(), metric_group::Error> {
    let registry = Registry::new();
    let rejections = Rejections::init(&registry)?;
    rejections.inc_full()?;
    rejections.inc_by_full(2)?;
    rejections.inc_by_full_with_exemplar(1, &Exemplar::new("trace"))?;
    rejections.set_waiting(3)?;
    rejections.add_waiting(2)?;
    rejections.observe_wait(0.5)?;
    rejections.observe_wait(std::time::Duration::from_millis(50))?;
    rejections.observe_wait_with_exemplar(0.2, &Exemplar::new("trace"))?;
    assert_eq!(rejections.full_with_labels()?.get(), 4);
    let text = metric_group::encode(&registry)?;
    assert!(text.contains("queue_rejected_total{reason=\"full\"} 4\n"), "{text}");
    assert!(text.contains("queue_waiting{class=\"high\"} 5\n"), "{text}");
    assert!(text.contains("queue_wait_seconds_count{class=\"high\"} 3\n"), "{text}");
    assert!(rejections.remove_waiting());
    Ok(())
}
