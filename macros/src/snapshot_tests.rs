//! Expansion snapshots: the derive's output for representative inputs,
//! formatted with rustfmt and compared with `tests/expand/<case>.rs`.
//! Regenerate with `SNAPSHOTS=overwrite cargo test -p metric-group-macros`
//! and read the diff.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn rustfmt(code: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt is installed with the toolchain");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(code.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("rustfmt runs");
    assert!(
        output.status.success(),
        "rustfmt rejected the expansion:\n{code}"
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn snapshot(case: &str, input: &str) {
    let input: syn::DeriveInput = syn::parse_str(input).expect("valid input");
    let expanded = rustfmt(&crate::expand::derive(&input).to_string());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expand")
        .join(format!("{case}.rs"));
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&path, &expanded).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with SNAPSHOTS=overwrite", path.display()));
    assert!(
        expected == expanded,
        "expansion of `{case}` changed; run with SNAPSHOTS=overwrite and review the diff of {}",
        path.display()
    );
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
        r#"
        pub struct Router {
            /// Routed requests
            routed_total: IntCounter,
            #[metric(skip)]
            recent: Mutex<Vec<u64>>,
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
