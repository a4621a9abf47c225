//! Expansion snapshots (insta): the derives' output for representative
//! inputs, pretty-printed by prettyplease (no dependency on the installed
//! rustfmt), compared with `src/snapshots/*.snap`. A change fails with a diff;
//! review and accept it with `cargo insta review`, or regenerate with
//! `INSTA_UPDATE=always cargo test -p metric-group-derive snapshot` and read
//! the diff. Under `CI=true` insta never writes snapshots.

use proc_macro2::TokenStream;

fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("an expansion parses as items");
    prettyplease::unparse(&file)
}

fn snapshot(case: &str, input: &str) {
    let input: syn::DeriveInput = syn::parse_str(input).expect("valid input");
    insta::assert_snapshot!(case, pretty(crate::expand::derive(&input)));
}

fn snapshot_label_set(case: &str, input: &str) {
    let input: syn::DeriveInput = syn::parse_str(input).expect("valid input");
    insta::assert_snapshot!(case, pretty(crate::expand::derive_label_set(&input)));
}

fn snapshot_label_value(case: &str, input: &str) {
    let input: syn::DeriveInput = syn::parse_str(input).expect("valid input");
    insta::assert_snapshot!(case, pretty(crate::expand::derive_label_value(&input)));
}

#[test]
fn registry_group_with_literal_names() {
    snapshot(
        "registry_literal",
        r#"
        #[metric_group(prefix = "shop")]
        pub struct Shop {
            /// Orders placed
            #[metric(name = "orders_total", labels(method))]
            orders: IntCounterVec,
            /// Checkout latency
            #[metric(name = "checkout_seconds", buckets = [0.1, 0.5], unit = "seconds")]
            checkout: Histogram,
        }
        "#,
    );
}

#[test]
fn const_path_names_and_const_labels() {
    snapshot(
        "const_paths",
        r#"
        #[metric_group(prefix = names::PREFIX, const_labels(router_id))]
        pub struct Overhead {
            /// Time spent computing block hashes in milliseconds
            #[metric(name = names::BLOCK_HASHING_MS, buckets = exponential(0.0001, 2.0, 3),
                     unit = "milliseconds", allow(unit_abbreviation))]
            block_hashing: Histogram,
        }
        "#,
    );
}

#[test]
fn hierarchy_scoped_group() {
    snapshot(
        "hierarchy",
        r#"
        #[metric_group(prefix = "router", scope = component, const_labels(router_id))]
        pub struct Requests {
            /// Total number of requests processed by the router
            #[metric(name = "requests_total")]
            requests: IntCounter,
        }
        "#,
    );
}

#[test]
fn errors_still_expand_the_api() {
    snapshot(
        "with_errors",
        r#"
        struct Broken {
            /// Open carts
            #[metric(nmae = "carts")]
            carts: Gauge,
            undocumented: String,
        }
        "#,
    );
}

#[test]
fn label_set_of_integers_and_an_enum() {
    snapshot_label_set(
        "label_set",
        r"
        pub struct WorkerLabels {
            pub worker_id: u64,
            pub dp_rank: u32,
            pub worker_type: WorkerType,
        }
        ",
    );
}

#[test]
fn label_set_with_names_from_constants() {
    snapshot_label_set(
        "label_set_constant_names",
        r#"
        pub struct Worker {
            #[label(name = labels::WORKER_ID)]
            pub id: u64,
            #[label(name = "dp_rank")]
            pub rank: u32,
        }
        "#,
    );
}

#[test]
fn label_value_enum_with_renames() {
    snapshot_label_value(
        "label_value",
        r#"
        #[label_value(rename_all = "snake_case")]
        pub enum Reason {
            RequestLimit,
            #[label_value(rename = "no_queue")]
            DoNotQueue,
        }
        "#,
    );
}

#[test]
fn const_label_names_and_bucket_constants() {
    snapshot(
        "const_labels_and_buckets",
        r#"
        #[metric_group(prefix = "dynamo_router", const_labels(labels::ROUTER_ID))]
        pub struct Queue {
            /// Time spent queued
            #[metric(name = "queue_wait_seconds", labels(labels::WORKER_ID, "dp_rank", worker_type),
                     buckets = QUEUE_BUCKETS)]
            wait: HistogramVec,
            /// Prompt sizes
            #[metric(name = "prompt_tokens", buckets = exponential((4 * (1 << 10)) as f64, 2.0, 2))]
            prompt: Histogram,
        }
        "#,
    );
}

#[test]
fn group_defaults() {
    snapshot(
        "group_defaults",
        r#"
        #[metric_group(prefix = "overhead", buckets = exponential(0.0001, 2.0, 2),
                       unit = "milliseconds", allow(unit_abbreviation))]
        pub struct Overhead {
            /// Time hashing, in milliseconds
            #[metric(name = "hashing_ms")]
            hashing: Histogram,
            /// Own buckets win
            #[metric(name = "wait_seconds", buckets = [0.1], unit = "seconds")]
            wait: Histogram,
        }
        "#,
    );
}

#[test]
fn skipped_field() {
    snapshot(
        "skip",
        r"
        pub struct Router {
            /// Routed requests
            routed_total: IntCounter,
            #[metric(skip)]
            recent: Mutex<Vec<u64>>,
        }
        ",
    );
}

#[test]
fn flattened_group_and_env_prefix() {
    snapshot(
        "flatten_env",
        r#"
        #[metric_group(prefix = env("APP_METRICS_PREFIX", default = "app"))]
        pub struct Service {
            /// Requests served
            requests_total: IntCounter,
            #[metric(flatten)]
            queue: QueueMetrics,
            /// Request latency
            #[metric(buckets = [0.1, 0.5], unit = "seconds")]
            latency_seconds: Histogram,
        }
        "#,
    );
}

#[test]
fn fixed_labels_share_a_family() {
    snapshot(
        "fixed",
        r#"
        #[metric_group(prefix = "router")]
        pub struct Backpressure {
            /// Backpressure by reason
            #[metric(name = "backpressure_total", labels(model), fixed(reason = "request_limit"))]
            request_limit: IntCounterVec,
            /// Backpressure by reason
            #[metric(name = "backpressure_total", labels(model), fixed(reason = "do_not_queue"))]
            do_not_queue: IntCounterVec,
        }
        "#,
    );
}

#[test]
fn family_fields() {
    snapshot(
        "family",
        r#"
        #[metric_group(prefix = "router")]
        pub struct Workers {
            /// Requests waiting per worker
            queued: Family<WorkerLabels, IntGauge>,
            /// Time to first token per worker
            #[metric(unit = "seconds", buckets = [0.1, 1.0])]
            ttft_seconds: Family<WorkerLabels, Histogram>,
        }
        "#,
    );
}

#[test]
fn bound_handles() {
    snapshot(
        "bind",
        r#"
        #[metric_group(prefix = "router", bind(model, worker_type))]
        pub struct Scheduler {
            /// Queued requests
            #[metric(name = "queued_total", labels(model, worker_type))]
            queued: IntCounterVec,
            /// Backpressure by reason
            #[metric(name = "backpressure_total", labels(model, worker_type), fixed(reason = "request_limit"))]
            request_limit: IntCounterVec,
        }
        "#,
    );
}
