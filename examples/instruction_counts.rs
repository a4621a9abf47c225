//! Runs one hot path many times, for instruction counts that do not depend
//! on the machine's load (BENCHMARKS.md):
//!
//! ```text
//! cargo build --release --example instruction_counts
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instruction_counts <path> <handwritten|generated> [runs]
//! ```
//!
//! Paths: `worker_load`, `routing_overhead`, `router_request`, `scrape`
//! (gather and encode 1,000 workers x 2 ranks), each run
//! `runs` times (default 200,000). The difference between two run counts,
//! divided by the difference in runs, is the cost of one run without the
//! start-up.

#[allow(dead_code)] // the registration half is for the benchmarks
#[path = "../benches/handwritten/mod.rs"]
mod handwritten;

#[allow(dead_code)] // only the static-metric peer is counted here
#[path = "../benches/peers/mod.rs"]
mod peers;

/// worker_load declared with plain `*Vec`s and `bind`: the children for a
/// worker are resolved once, then an observe is two atomic stores.
#[derive(metric_group::MetricGroup)]
#[metric_group(prefix = "bound", bind(worker_id, dp_rank, worker_type))]
struct BoundWorkerLoad {
    /// Active KV cache decode blocks per worker
    #[metric(
        name = "worker_active_decode_blocks",
        labels(worker_id, dp_rank, worker_type)
    )]
    blocks: metric_group::prometheus::IntGaugeVec,
    /// Active prefill tokens queued per worker
    #[metric(
        name = "worker_active_prefill_tokens",
        labels(worker_id, dp_rank, worker_type)
    )]
    tokens: metric_group::prometheus::IntGaugeVec,
}

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Duration;

use metric_group::router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};
use metric_group::scope::Scope;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, variant, runs) = match args.as_slice() {
        [path, variant] => (path, variant, 200_000),
        [path, variant, runs] => match runs.parse() {
            Ok(runs) => (path, variant, runs),
            Err(_) => {
                eprintln!("runs: `{runs}` is not a number");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: instruction_counts <worker_load|routing_overhead|router_request|scrape> <handwritten|generated> [runs]");
            return ExitCode::from(2);
        }
    };
    if path == "worker_load" && matches!(variant.as_str(), "static_metric" | "bound") {
        worker_load_peer(variant == "bound", runs);
        return ExitCode::SUCCESS;
    }
    let generated = match variant.as_str() {
        "generated" => true,
        "handwritten" => false,
        other => {
            eprintln!("unknown variant `{other}`");
            return ExitCode::from(2);
        }
    };
    match path.as_str() {
        "worker_load" => worker_load(generated, runs),
        "routing_overhead" => routing_overhead(generated, runs),
        "router_request" => router_request(generated, runs),
        "scrape" => scrape(generated, runs),
        other => {
            eprintln!("unknown path `{other}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

fn worker_load(generated: bool, runs: u64) {
    let hand = handwritten::WorkerLoad::new().expect("valid");
    let gen = WorkerLoadMetrics::new().expect("valid");
    for i in 0..runs {
        let (id, rank) = (1000 + (i & 15), ((i >> 4) & 1) as u32);
        let kind = if (i >> 5) & 1 == 0 {
            WorkerType::Decode
        } else {
            WorkerType::Prefill
        };
        let n = black_box(i as usize);
        if generated {
            let _ = gen.observe(id, rank, kind, n, n * 16);
        } else {
            hand.observe(id, rank, kind.as_str(), n, n * 16);
        }
    }
}

/// worker_load through prometheus-static-metric, or through `bind` handles
/// resolved for the 64 label sets before the loop (the pattern `bind` is for).
fn worker_load_peer(bound: bool, runs: u64) {
    let peer = peers::StaticWorkerLoad::new();
    let group = BoundWorkerLoad::new().expect("valid");
    let handles: Vec<BoundWorkerLoadHandles> = (0..64u64)
        .map(|i| {
            let kind = if (i >> 5) & 1 == 0 {
                "decode"
            } else {
                "prefill"
            };
            group
                .bind(1000 + (i & 15), ((i >> 4) & 1) as u32, kind)
                .expect("valid")
        })
        .collect();
    for i in 0..runs {
        let (id, rank) = (1000 + (i & 15), ((i >> 4) & 1) as u32);
        let kind = if (i >> 5) & 1 == 0 {
            WorkerType::Decode
        } else {
            WorkerType::Prefill
        };
        let n = black_box(i as usize);
        if bound {
            let worker = &handles[(black_box(i) & 63) as usize];
            worker.blocks.set(n as i64);
            worker.tokens.set((n * 16) as i64);
        } else {
            peer.observe(id, rank, kind, n, n * 16);
        }
    }
}

fn routing_overhead(generated: bool, runs: u64) {
    let hand = handwritten::RoutingOverhead::new(7).expect("valid");
    let gen = RoutingOverheadMetrics::new(7u64).expect("valid");
    for i in 0..runs {
        let base = 20_000 + (black_box(i) & 1023) * 37;
        let marks = [base, base * 3, base * 3 + 4_000, base * 5].map(Duration::from_nanos);
        if generated {
            gen.observe(marks[0], marks[1], marks[2], marks[3]);
        } else {
            hand.observe(marks[0], marks[1], marks[2], marks[3]);
        }
    }
}

fn router_request(generated: bool, runs: u64) {
    let hand = handwritten::RouterRequests::new(7).expect("valid");
    let scope = Scope::runtime()
        .namespace("dynamo")
        .and_then(|ns| ns.component("backend"))
        .expect("scope");
    let gen = RouterRequestMetrics::for_scope(&scope, 7u64).expect("valid");
    for i in 0..runs {
        let n = (black_box(i) & 4095) as usize;
        let (ttft, itl) = (
            Duration::from_micros(n as u64 * 97),
            Duration::from_micros(25_000),
        );
        if generated {
            gen.record_routed(n * 31 + 50, 0.25);
            gen.record_first_token(ttft);
            gen.record_inter_token(itl);
            gen.record_completed(n + 1);
        } else {
            hand.record(n * 31 + 50, 0.25, ttft, itl, n + 1);
        }
    }
}

fn scrape(generated: bool, runs: u64) {
    let registry = metric_group::prometheus::Registry::new();
    let hand = handwritten::WorkerLoad::new().expect("valid");
    let gen = WorkerLoadMetrics::new().expect("valid");
    for worker in 0..1000u64 {
        for dp_rank in 0..2u32 {
            let load = (worker as usize * 7 + dp_rank as usize) % 500;
            if generated {
                gen.observe(worker, dp_rank, WorkerType::Decode, load, load * 16)
                    .expect("observes");
            } else {
                hand.observe(worker, dp_rank, "decode", load, load * 16);
            }
        }
    }
    if generated {
        gen.register(&registry).expect("registers");
    } else {
        hand.register(&registry).expect("registers");
    }
    for _ in 0..runs {
        let text = metric_group::scope::encode_text(&registry.gather()).expect("encodable");
        black_box(text);
    }
}
