use metric_group::prometheus::{Gauge, Histogram};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
struct Buckets {
    /// a
    #[metric(name = "a_seconds", buckets = exponential(0.0, 2.0, 5))]
    a: Histogram,
    /// b
    #[metric(name = "b_seconds", buckets = exponential(1.0, 1.0, 5))]
    b: Histogram,
    /// c
    #[metric(name = "c_seconds", buckets = linear(0.0, -1.0, 5))]
    c: Histogram,
    /// d
    #[metric(name = "d_seconds", buckets = log(10.0, 1.0, 5))]
    d: Histogram,
    /// e
    #[metric(name = "e_seconds", buckets = log(1.0, 10.0, 0))]
    e: Histogram,
    /// f
    #[metric(name = "f_seconds", buckets = [0.1, 0.5, 0.5, 1.0])]
    f: Histogram,
    /// g
    #[metric(name = "g_seconds", buckets = [])]
    g: Histogram,
    /// h
    #[metric(name = "h_seconds", buckets = expo(1.0, 2.0, 3))]
    h: Histogram,
    /// i
    #[metric(name = "i_seconds", buckets = linear(1.0, 2.0))]
    i: Histogram,
    /// j
    #[metric(name = "j_seconds", buckets = linear(1.0, 2.0, 2.5))]
    j: Histogram,
    /// k
    #[metric(name = "k_bytes", buckets = [1.0, 2.0])]
    k: Gauge,
    /// l: `1e999` is infinite
    #[metric(name = "l_seconds", buckets = [0.1, 1e999])]
    l: Histogram,
    /// m: too many buckets
    #[metric(name = "m_seconds", buckets = linear(0.0, 1.0, 100000))]
    m: Histogram,
}

fn main() {}
