//! The README quick start's shape: an `IntCounterVec` keyed by a method and
//! a numeric worker id, incremented through the generated helper and by hand
//! (`with_label_values` with the id formatted by `to_string()`); and a
//! `HistogramVec` keyed by a model name, observed through the generated
//! helper and by hand (`with_label_values(&[model]).observe(v)`).

use metric_group::prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "shop")]
pub struct OrderMetrics {
    /// Orders taken, by method and worker
    #[metric(name = "orders_total", labels(method, worker_id))]
    pub orders: IntCounterVec,
    /// Request latency by model
    #[metric(
        name = "latency_seconds",
        labels(model),
        buckets = exponential(0.001, 2.0, 16)
    )]
    pub latency: HistogramVec,
}

pub struct HandwrittenOrders {
    pub orders: IntCounterVec,
    pub latency: HistogramVec,
}

impl HandwrittenOrders {
    pub fn new() -> prometheus::Result<Self> {
        Ok(HandwrittenOrders {
            orders: IntCounterVec::new(
                Opts::new("shop_orders_total", "Orders taken, by method and worker"),
                &["method", "worker_id"],
            )?,
            latency: HistogramVec::new(
                HistogramOpts::new("shop_latency_seconds", "Request latency by model")
                    .buckets(prometheus::exponential_buckets(0.001, 2.0, 16)?),
                &["model"],
            )?,
        })
    }

    pub fn observe(&self, model: &str, seconds: f64) {
        self.latency.with_label_values(&[model]).observe(seconds);
    }

    pub fn inc(&self, method: &str, worker_id: u64) {
        self.orders
            .with_label_values(&[method, &worker_id.to_string()])
            .inc();
    }
}

/// 4 methods x 16 worker ids, cycled by `i`.
pub fn label_set(i: u64) -> (&'static str, u64) {
    const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
    (METHODS[(i & 3) as usize], 1000 + ((i >> 2) & 15))
}

/// 8 models and a latency, cycled by `i`.
pub fn observation(i: u64) -> (&'static str, f64) {
    const MODELS: [&str; 8] = [
        "llama-3-8b",
        "llama-3-70b",
        "mistral-7b",
        "mixtral-8x7b",
        "qwen-2-72b",
        "gemma-2-9b",
        "phi-3-mini",
        "deepseek-v3",
    ];
    (MODELS[(i & 7) as usize], 0.001 * ((i >> 3) & 1023) as f64)
}
