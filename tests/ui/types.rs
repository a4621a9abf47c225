use metric_group::prometheus::{core::GenericCounter, Gauge};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Types {
    /// A string is no metric
    name: String,
    /// Generic forms are not recognised
    hits: GenericCounter<metric_group::prometheus::core::AtomicU64>,
    /// Fine
    open: Gauge,
}

#[derive(MetricGroup)]
enum NotAStruct {
    A,
}

#[derive(MetricGroup)]
struct Tuple(Gauge);

#[derive(MetricGroup)]
struct Generic<T> {
    /// Open
    open: Gauge,
    marker: std::marker::PhantomData<T>,
}

#[derive(MetricGroup)]
struct Empty {}

fn main() {}
