//! prometheus' protobuf series: read for collectors other than the
//! library's families, built for a `Family` gathered by prometheus itself.

use prometheus::proto::{self, MetricType};

/// Appends a protobuf series' numbers to `values` as `SeriesValue::snapshot`
/// lays them out; returns its bucket bounds or quantiles (empty for other
/// kinds).
#[allow(clippy::cast_precision_loss)]
pub(super) fn proto_values(
    kind: MetricType,
    metric: &proto::Metric,
    values: &mut Vec<f64>,
) -> Vec<f64> {
    match kind {
        MetricType::COUNTER => values.push(metric.get_counter().get_value()),
        MetricType::GAUGE => values.push(metric.get_gauge().get_value()),
        // prometheus' own encoder cannot write untyped families (it
        // panics); they are written like gauges.
        #[allow(deprecated)]
        MetricType::UNTYPED => values.push(metric.get_untyped().get_value()),
        MetricType::HISTOGRAM => {
            let h = metric.get_histogram();
            values.extend([h.get_sample_count() as f64, h.get_sample_sum()]);
            values.extend(h.get_bucket().iter().map(|b| b.cumulative_count() as f64));
            return h
                .get_bucket()
                .iter()
                .map(proto::Bucket::upper_bound)
                .collect();
        }
        MetricType::SUMMARY => {
            let s = metric.get_summary();
            values.extend([s.sample_count() as f64, s.sample_sum()]);
            values.extend(s.get_quantile().iter().map(proto::Quantile::value));
            return s
                .get_quantile()
                .iter()
                .map(proto::Quantile::quantile)
                .collect();
        }
    }
    Vec::new()
}

/// The protobuf series of a family's series, for a plain
/// `Registry::gather()`: `values` as `SeriesValue::snapshot` lays them out.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn proto_metric(kind: MetricType, values: &[f64], bounds: &[f64]) -> proto::Metric {
    let mut metric = proto::Metric::default();
    match kind {
        MetricType::COUNTER => {
            let mut counter = proto::Counter::default();
            counter.set_value(values[0]);
            metric.set_counter(counter);
        }
        MetricType::HISTOGRAM => {
            let mut histogram = proto::Histogram::default();
            histogram.set_sample_count(values[0] as u64);
            histogram.set_sample_sum(values[1]);
            let buckets = bounds.iter().zip(&values[2..]).map(|(bound, count)| {
                let mut bucket = proto::Bucket::default();
                bucket.set_upper_bound(*bound);
                bucket.set_cumulative_count(*count as u64);
                bucket
            });
            histogram.set_bucket(buckets.collect());
            metric.set_histogram(histogram);
        }
        _ => {
            let mut gauge = proto::Gauge::default();
            gauge.set_value(values[0]);
            metric.set_gauge(gauge);
        }
    }
    metric
}
