//! The three metric groups of an LLM-serving KV router, declared with the
//! derive: worker load (gauges per worker and data-parallel rank), routing
//! overhead (per-phase latency of each routing decision) and per-request
//! latency and size histograms (component-scoped in the metrics hierarchy).
//!
//! Names, help texts, labels and buckets are those of Dynamo's hand-written
//! `kv_router_metrics`, so existing dashboards keep working.
//!
//! Not part of the published library: an unpublished workspace crate that
//! uses `metric-group` exactly as a user's crate does. The examples, tests and
//! benchmarks use it; its groups are in the [catalog](metric_group::catalog())
//! of every binary that links it.

#![warn(missing_docs)]
// Pedantic lints are errors here, as in the library crates. No lint is
// allowed crate-wide: the exceptions (help texts kept as Dynamo wrote them,
// token counts observed as `f64`, removals whose result is optional) are
// allowed where they occur, with the reason.
#![deny(clippy::pedantic)]

pub mod names;

use std::time::Duration;

use metric_group::prometheus::{Histogram, IntCounter, IntGauge};
use metric_group::{Error, Exemplar, Family, LabelSet, LabelValue, MetricGroup, Prepared};

/// The role of a worker, as its `worker_type` label shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "lowercase")]
pub enum WorkerType {
    /// Generates tokens (`decode`).
    Decode,
    /// Processes prompts (`prefill`).
    Prefill,
}

/// The labels of a worker's load series: one per worker and data-parallel
/// rank. Keyed by value, so resolving a series formats nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct WorkerLabels {
    /// The worker's instance id.
    pub worker_id: u64,
    /// Its data-parallel rank.
    pub dp_rank: u32,
    /// Decode or prefill.
    pub worker_type: WorkerType,
}

/// Per-worker active load, published whenever a worker reports its load and
/// removed when the worker disappears. Registered on the frontend's registry.
///
/// `bind(WorkerLabels)` gives [`WorkerLoadMetricsHandles`]: both gauges of
/// one worker rank resolved once, so a worker that keeps its handles
/// updates them with one atomic store each.
#[derive(MetricGroup)]
#[metric_group(prefix = names::FRONTEND_PREFIX, bind(WorkerLabels))]
pub struct WorkerLoadMetrics {
    /// Active KV cache decode blocks per worker
    #[metric(name = names::WORKER_ACTIVE_DECODE_BLOCKS)]
    pub active_decode_blocks: Family<WorkerLabels, IntGauge>,
    /// Active prefill tokens queued per worker
    #[metric(name = names::WORKER_ACTIVE_PREFILL_TOKENS)]
    pub active_prefill_tokens: Family<WorkerLabels, IntGauge>,
}

impl WorkerLoadMetrics {
    /// Sets both gauges of one worker rank.
    ///
    /// # Errors
    ///
    /// Those of [`Family::with_prepared`], which writes a rank past the
    /// families' series limits to their overflow series rather than failing.
    #[inline]
    pub fn observe(
        &self,
        worker_id: u64,
        dp_rank: u32,
        worker_type: WorkerType,
        active_blocks: usize,
        active_tokens: usize,
    ) -> Result<(), Error> {
        let labels = WorkerLabels {
            worker_id,
            dp_rank,
            worker_type,
        };
        // Both gauges share the label set: hash it once.
        let labels = Prepared::new(&labels);
        self.active_decode_blocks
            .with_prepared(&labels, |gauge| gauge.set(saturating_i64(active_blocks)))?;
        self.active_prefill_tokens
            .with_prepared(&labels, |gauge| gauge.set(saturating_i64(active_tokens)))?;
        Ok(())
    }

    /// Deletes both series of one worker rank; whether any existed.
    // Deleting is the point; whether anything was there is for callers that
    // care, so ignoring it is not a mistake.
    #[allow(clippy::must_use_candidate)]
    pub fn remove(&self, worker_id: u64, dp_rank: u32, worker_type: WorkerType) -> bool {
        let labels = WorkerLabels {
            worker_id,
            dp_rank,
            worker_type,
        };
        let blocks = self.remove_active_decode_blocks(&labels);
        let tokens = self.remove_active_prefill_tokens(&labels);
        blocks || tokens
    }

    /// Deletes every series of a worker that left, whatever its ranks and
    /// type; how many series were removed.
    // Deleting is the point; the count is for callers that care, so
    // ignoring it is not a mistake.
    #[allow(clippy::must_use_candidate)]
    pub fn remove_worker(&self, worker_id: u64) -> usize {
        let of_worker = |labels: &WorkerLabels| labels.worker_id == worker_id;
        self.active_decode_blocks.remove_where(of_worker)
            + self.active_prefill_tokens.remove_where(of_worker)
    }
}

fn saturating_i64(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// How long each phase of one routing decision took, in milliseconds.
/// Registered on the frontend's registry, labelled with the router instance.
#[derive(MetricGroup)]
#[metric_group(prefix = names::ROUTER_PREFIX, const_labels(router_id),
               buckets = exponential(0.0001, 2.0, 18), unit = "milliseconds",
               allow(unit_abbreviation))]
pub struct RoutingOverheadMetrics {
    /// Time spent computing block hashes in milliseconds
    #[metric(name = names::BLOCK_HASHING_MS)]
    pub block_hashing: Histogram,
    /// Time spent in indexer `find_matches` in milliseconds
    // The doc comment is the metric's help text, Dynamo's word for word: the
    // derive drops inline-code backticks from it.
    #[metric(name = names::INDEXER_FIND_MATCHES_MS)]
    pub indexer_find_matches: Histogram,
    /// Time spent computing sequence hashes in milliseconds
    #[metric(name = names::SEQ_HASHING_MS)]
    pub seq_hashing: Histogram,
    /// Time spent in scheduler worker selection in milliseconds
    #[metric(name = names::SCHEDULING_MS)]
    pub scheduling: Histogram,
    /// Total routing overhead per request in milliseconds
    #[metric(name = names::TOTAL_MS)]
    pub total: Histogram,
}

impl RoutingOverheadMetrics {
    /// Records one decision from the elapsed times at the end of each phase,
    /// measured from its start. Each phase is the difference to the previous
    /// mark, saturating at zero: marks taken out of order (clock skew, phases
    /// skipped) record zero instead of panicking.
    pub fn observe(
        &self,
        hashed: Duration,
        matched: Duration,
        seq_hashed: Duration,
        total: Duration,
    ) {
        // A `Duration` is finite in every time unit: the helpers refuse only
        // NaN and infinities, so these cannot fail. `.ok()` rather than
        // dropping the `Result`: its drop glue is a call the optimiser does
        // not remove even when it knows the `Ok`, `.ok()`'s match it folds
        // (19 instructions a histogram; BENCHMARKS.md, "Instruction counts").
        let _ = self.observe_block_hashing(hashed).ok();
        let _ = self
            .observe_indexer_find_matches(matched.saturating_sub(hashed))
            .ok();
        let _ = self
            .observe_seq_hashing(seq_hashed.saturating_sub(matched))
            .ok();
        let _ = self
            .observe_scheduling(total.saturating_sub(seq_hashed))
            .ok();
        let _ = self.observe_total(total).ok();
    }
}

/// Per-request latency and size at the router, created per component through
/// the metrics hierarchy (`dynamo_component_router_*`, labelled with the
/// namespace and component) and eagerly, so every series shows zero before
/// the first request.
#[derive(MetricGroup)]
#[metric_group(prefix = names::ROUTER_REQUEST_PREFIX, scope = component, const_labels(router_id))]
pub struct RouterRequestMetrics {
    /// Total number of requests processed by the router
    #[metric(name = names::REQUESTS_TOTAL)]
    pub requests_total: IntCounter,
    /// Time to first token observed at the router
    #[metric(name = names::TIME_TO_FIRST_TOKEN_SECONDS, buckets = log(0.001, 480, 18), unit = "seconds")]
    pub time_to_first_token: Histogram,
    /// Average inter-token latency observed at the router
    #[metric(name = names::INTER_TOKEN_LATENCY_SECONDS, buckets = log(0.001, 2, 13), unit = "seconds")]
    pub inter_token_latency: Histogram,
    /// Input sequence length in tokens observed at the router
    #[metric(name = names::INPUT_SEQUENCE_TOKENS, buckets = log(50, 128000, 12))]
    pub input_sequence_tokens: Histogram,
    /// Output sequence length in tokens observed at the router
    #[metric(name = names::OUTPUT_SEQUENCE_TOKENS, buckets = log(50, 32000, 10))]
    pub output_sequence_tokens: Histogram,
    /// Predicted KV cache hit rate at routing time (0.0-1.0)
    #[metric(name = names::KV_HIT_RATE, buckets = linear(0.0, 0.05, 21))]
    pub kv_hit_rate: Histogram,
}

impl RouterRequestMetrics {
    /// At routing time: the prompt's length and the predicted cache hit rate.
    // Histograms observe `f64`, which holds any realistic token count
    // exactly.
    #[allow(clippy::cast_precision_loss)]
    #[inline]
    pub fn record_routed(&self, input_tokens: usize, kv_hit_rate: f64) {
        self.input_sequence_tokens.observe(input_tokens as f64);
        self.kv_hit_rate.observe(kv_hit_rate);
    }

    /// On the first token of the response.
    #[inline]
    pub fn record_first_token(&self, since_request: Duration) {
        // Cannot fail: a `Duration` is finite (see `RoutingOverheadMetrics::observe`).
        let _ = self.observe_time_to_first_token(since_request);
    }

    /// Per output block: the average latency between its tokens.
    #[inline]
    pub fn record_inter_token(&self, average: Duration) {
        // Cannot fail, as above.
        let _ = self.observe_inter_token_latency(average);
    }

    /// [`record_first_token`](Self::record_first_token) for a traced
    /// request: `trace_id` becomes the exemplar of the latency's bucket
    /// (exposed in OpenMetrics), so a dashboard links a slow bucket to the
    /// request's trace.
    ///
    /// # Errors
    ///
    /// `Error::InvalidExemplar` for a trace id OpenMetrics would refuse
    /// (empty, or over 120 characters) or Prometheus would (holding a
    /// NUL); nothing is recorded then.
    #[inline]
    pub fn record_first_token_traced(
        &self,
        since_request: Duration,
        trace_id: &str,
    ) -> Result<(), Error> {
        self.observe_time_to_first_token_with_exemplar(since_request, &Exemplar::new(trace_id))
    }

    /// [`record_inter_token`](Self::record_inter_token) for a traced
    /// request, as [`record_first_token_traced`](Self::record_first_token_traced).
    ///
    /// # Errors
    ///
    /// As [`record_first_token_traced`](Self::record_first_token_traced).
    #[inline]
    pub fn record_inter_token_traced(
        &self,
        average: Duration,
        trace_id: &str,
    ) -> Result<(), Error> {
        self.observe_inter_token_latency_with_exemplar(average, &Exemplar::new(trace_id))
    }

    /// On completion: the number of tokens generated (not recorded when the
    /// request produced none) and the request count.
    // Histograms observe `f64`, which holds any realistic token count
    // exactly.
    #[allow(clippy::cast_precision_loss)]
    #[inline]
    pub fn record_completed(&self, output_tokens: usize) {
        if output_tokens > 0 {
            self.output_sequence_tokens.observe(output_tokens as f64);
        }
        self.requests_total.inc();
    }
}
