//! The names the router groups keep for existing dashboards. Declarations use
//! these constants; the derive checks the names they build at compile time.

/// Prefix of the worker load gauges.
pub const FRONTEND_PREFIX: &str = "dynamo_frontend";
/// Prefix of the routing overhead histograms.
pub const ROUTER_PREFIX: &str = "dynamo_router";
/// Below the hierarchy's own `dynamo_component_` prefix.
pub const ROUTER_REQUEST_PREFIX: &str = "router";

/// Active KV cache decode blocks per worker.
pub const WORKER_ACTIVE_DECODE_BLOCKS: &str = "worker_active_decode_blocks";
/// Active prefill tokens queued per worker.
pub const WORKER_ACTIVE_PREFILL_TOKENS: &str = "worker_active_prefill_tokens";

/// Time spent computing block hashes.
pub const BLOCK_HASHING_MS: &str = "overhead_block_hashing_ms";
/// Time spent in the indexer's `find_matches`.
pub const INDEXER_FIND_MATCHES_MS: &str = "overhead_indexer_find_matches_ms";
/// Time spent computing sequence hashes.
pub const SEQ_HASHING_MS: &str = "overhead_seq_hashing_ms";
/// Time spent in scheduler worker selection.
pub const SCHEDULING_MS: &str = "overhead_scheduling_ms";
/// Total routing overhead per request.
pub const TOTAL_MS: &str = "overhead_total_ms";

/// Requests processed by the router.
pub const REQUESTS_TOTAL: &str = "requests_total";
/// Time to first token observed at the router.
pub const TIME_TO_FIRST_TOKEN_SECONDS: &str = "time_to_first_token_seconds";
/// Average inter-token latency observed at the router.
pub const INTER_TOKEN_LATENCY_SECONDS: &str = "inter_token_latency_seconds";
/// Input sequence length in tokens.
pub const INPUT_SEQUENCE_TOKENS: &str = "input_sequence_tokens";
/// Output sequence length in tokens.
pub const OUTPUT_SEQUENCE_TOKENS: &str = "output_sequence_tokens";
/// Predicted KV cache hit rate at routing time.
pub const KV_HIT_RATE: &str = "kv_hit_rate";
