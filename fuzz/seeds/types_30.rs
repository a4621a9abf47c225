#[derive(MetricGroup)]
struct Generic<T> {
    /// Open
    open: Gauge,
    marker: std::marker::PhantomData<T>,
}