//! The names the router groups keep for existing dashboards. Declarations use
//! these constants; the derive checks the names they build at compile time.

pub const FRONTEND_PREFIX: &str = "dynamo_frontend";
pub const ROUTER_PREFIX: &str = "dynamo_router";
/// Below the hierarchy's own `dynamo_component_` prefix.
pub const ROUTER_REQUEST_PREFIX: &str = "router";

pub const WORKER_ACTIVE_DECODE_BLOCKS: &str = "worker_active_decode_blocks";
pub const WORKER_ACTIVE_PREFILL_TOKENS: &str = "worker_active_prefill_tokens";

pub const BLOCK_HASHING_MS: &str = "overhead_block_hashing_ms";
pub const INDEXER_FIND_MATCHES_MS: &str = "overhead_indexer_find_matches_ms";
pub const SEQ_HASHING_MS: &str = "overhead_seq_hashing_ms";
pub const SCHEDULING_MS: &str = "overhead_scheduling_ms";
pub const TOTAL_MS: &str = "overhead_total_ms";

pub const REQUESTS_TOTAL: &str = "requests_total";
pub const TIME_TO_FIRST_TOKEN_SECONDS: &str = "time_to_first_token_seconds";
pub const INTER_TOKEN_LATENCY_SECONDS: &str = "inter_token_latency_seconds";
pub const INPUT_SEQUENCE_TOKENS: &str = "input_sequence_tokens";
pub const OUTPUT_SEQUENCE_TOKENS: &str = "output_sequence_tokens";
pub const KV_HIT_RATE: &str = "kv_hit_rate";
