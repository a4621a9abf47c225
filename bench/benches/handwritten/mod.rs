//! The router groups written by hand with the prometheus crate, the way the
//! module the derive replaces does it: label values formatted into strings
//! on every observe, one `*Vec` lookup per gauge.

use std::time::Duration;

use metric_group::prometheus::{
    exponential_buckets, Histogram, HistogramOpts, IntCounter, IntGaugeVec, Opts, Registry,
};
use metric_group::rules::BucketSpec;

const LABELS: [&str; 3] = ["worker_id", "dp_rank", "worker_type"];

pub struct WorkerLoad {
    blocks: IntGaugeVec,
    tokens: IntGaugeVec,
}

impl WorkerLoad {
    pub fn new() -> prometheus::Result<Self> {
        let gauge = |name: &str, help: &str| IntGaugeVec::new(Opts::new(name, help), &LABELS);
        Ok(WorkerLoad {
            blocks: gauge(
                "dynamo_frontend_worker_active_decode_blocks",
                "Active KV cache decode blocks per worker",
            )?,
            tokens: gauge(
                "dynamo_frontend_worker_active_prefill_tokens",
                "Active prefill tokens queued per worker",
            )?,
        })
    }

    pub fn register(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.blocks.clone()))?;
        registry.register(Box::new(self.tokens.clone()))
    }

    pub fn observe(
        &self,
        worker_id: u64,
        dp_rank: u32,
        worker_type: &str,
        blocks: usize,
        tokens: usize,
    ) {
        let worker_id = worker_id.to_string();
        let dp_rank = dp_rank.to_string();
        let values = [worker_id.as_str(), dp_rank.as_str(), worker_type];
        self.blocks.with_label_values(&values).set(blocks as i64);
        self.tokens.with_label_values(&values).set(tokens as i64);
    }

    /// Deletes both series of one worker rank; whether any existed.
    pub fn remove(&self, worker_id: u64, dp_rank: u32, worker_type: &str) -> bool {
        let worker_id = worker_id.to_string();
        let dp_rank = dp_rank.to_string();
        let values = [worker_id.as_str(), dp_rank.as_str(), worker_type];
        let blocks = self.blocks.remove_label_values(&values).is_ok();
        let tokens = self.tokens.remove_label_values(&values).is_ok();
        blocks || tokens
    }
}

fn histogram(
    name: &str,
    help: &str,
    router_id: &str,
    buckets: Vec<f64>,
) -> prometheus::Result<Histogram> {
    Histogram::with_opts(
        HistogramOpts::new(name, help)
            .const_label("router_id", router_id)
            .buckets(buckets),
    )
}

pub struct RoutingOverhead {
    hashing: Histogram,
    find_matches: Histogram,
    seq_hashing: Histogram,
    scheduling: Histogram,
    total: Histogram,
}

impl RoutingOverhead {
    pub fn new(router_id: u64) -> prometheus::Result<Self> {
        let id = router_id.to_string();
        let make = |phase: &str, help: &str| {
            histogram(
                &format!("dynamo_router_overhead_{phase}_ms"),
                help,
                &id,
                exponential_buckets(0.0001, 2.0, 18)?,
            )
        };
        Ok(RoutingOverhead {
            hashing: make(
                "block_hashing",
                "Time spent computing block hashes in milliseconds",
            )?,
            find_matches: make(
                "indexer_find_matches",
                "Time spent in indexer find_matches in milliseconds",
            )?,
            seq_hashing: make(
                "seq_hashing",
                "Time spent computing sequence hashes in milliseconds",
            )?,
            scheduling: make(
                "scheduling",
                "Time spent in scheduler worker selection in milliseconds",
            )?,
            total: make(
                "total",
                "Total routing overhead per request in milliseconds",
            )?,
        })
    }

    pub fn observe(
        &self,
        hashed: Duration,
        matched: Duration,
        seq_hashed: Duration,
        total: Duration,
    ) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        self.hashing.observe(ms(hashed));
        self.find_matches
            .observe(ms(matched.saturating_sub(hashed)));
        self.seq_hashing
            .observe(ms(seq_hashed.saturating_sub(matched)));
        self.scheduling
            .observe(ms(total.saturating_sub(seq_hashed)));
        self.total.observe(ms(total));
    }
}

pub struct RouterRequests {
    requests: IntCounter,
    ttft: Histogram,
    itl: Histogram,
    isl: Histogram,
    osl: Histogram,
    hit_rate: Histogram,
}

fn log_buckets(min: f64, max: f64, count: usize) -> Vec<f64> {
    BucketSpec::Log { min, max, count }
        .bounds()
        .unwrap_or_default()
}

impl RouterRequests {
    pub fn new(router_id: u64) -> prometheus::Result<Self> {
        let id = router_id.to_string();
        let name = |suffix: &str| format!("dynamo_component_router_{suffix}");
        Ok(RouterRequests {
            requests: IntCounter::with_opts(
                Opts::new(
                    name("requests_total"),
                    "Total number of requests processed by the router",
                )
                .const_label("router_id", &id),
            )?,
            ttft: histogram(
                &name("time_to_first_token_seconds"),
                "Time to first token observed at the router",
                &id,
                log_buckets(0.001, 480.0, 18),
            )?,
            itl: histogram(
                &name("inter_token_latency_seconds"),
                "Average inter-token latency observed at the router",
                &id,
                log_buckets(0.001, 2.0, 13),
            )?,
            isl: histogram(
                &name("input_sequence_tokens"),
                "Input sequence length in tokens observed at the router",
                &id,
                log_buckets(50.0, 128000.0, 12),
            )?,
            osl: histogram(
                &name("output_sequence_tokens"),
                "Output sequence length in tokens observed at the router",
                &id,
                log_buckets(50.0, 32000.0, 10),
            )?,
            hit_rate: histogram(
                &name("kv_hit_rate"),
                "Predicted KV cache hit rate at routing time (0.0-1.0)",
                &id,
                prometheus::linear_buckets(0.0, 0.05, 21)?,
            )?,
        })
    }

    /// One request's records: routing, first token, one inter-token sample,
    /// completion.
    pub fn record(
        &self,
        input_tokens: usize,
        hit_rate: f64,
        ttft: Duration,
        itl: Duration,
        output_tokens: usize,
    ) {
        self.isl.observe(input_tokens as f64);
        self.hit_rate.observe(hit_rate);
        self.ttft.observe(ttft.as_secs_f64());
        self.itl.observe(itl.as_secs_f64());
        if output_tokens > 0 {
            self.osl.observe(output_tokens as f64);
        }
        self.requests.inc();
    }
}
