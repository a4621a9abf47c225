//! Runs one hot path many times, for instruction counts that do not depend
//! on the machine's load (BENCHMARKS.md, bench/BASELINE.md):
//!
//! ```text
//! cd bench && cargo build --release --example instruction_counts
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instruction_counts <path> <handwritten|generated> [runs]
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instruction_counts <case> <peer> <runs> [--alloc]
//! ```
//!
//! Paths: `worker_load`, `routing_overhead`, `router_request`, `scrape`
//! (gather and encode 1,000 workers x 2 ranks), `churn` (one worker rank
//! added, one removed, 2,000 live), `vec_helper` (one increment of an
//! `IntCounterVec` by method and numeric worker id), `vec_histogram` (one
//! observation of a `HistogramVec` by model name), `vec_histogram_long`
//! (the same with names of 38 bytes), `exemplar <with|without>`
//! (one observation of a `Family` histogram with or without an exemplar),
//! `exemplar_<kind> <with|without>` (one update through a generated helper,
//! with an exemplar or without, of a plain `IntCounter` or `Histogram`, an
//! `IntCounterVec` or `HistogramVec` (the `vec_helper` group), or a
//! `Family<_, IntCounter>`: kinds `plain_counter`, `plain_histogram`,
//! `vec_counter`, `vec_histogram`, `family_counter`), each run
//! `runs` times (default 200,000). The difference between two run counts,
//! divided by the difference in runs, is the cost of one run without the
//! start-up.
//!
//! Peer cases (benches/cases; `scripts/peer_counts.py` runs them all):
//! `gauge_lookup` (resolve one of 64 warm label sets and set it),
//! `gauge_handle` (set through a handle resolved before), `histogram`
//! (observe, one enum label), `scrape_10k` / `scrape_100k` (one scrape of
//! that many series), `create` (one new series), `churn_10k` (one series
//! created, the one created 10,000 runs earlier removed); peers are
//! `cases::PEERS`. With `--alloc`, a counting allocator reports what the
//! runs allocated (bytes and allocations, total and per run) and the bytes
//! still held after them, per run: for `create` at 100,000 runs, the bytes
//! held per live series.
//!
//! `hierarchy <components> <series>`: `series` typed series spread over
//! that many components of one namespace (each component's own registry);
//! prints the median wall time of five `Scope::encode_text()` scrapes of the
//! runtime, and of five `Scope::gather()` calls.

#[allow(dead_code)] // the registration half is for the benchmarks
#[path = "../benches/handwritten/mod.rs"]
mod handwritten;
#[path = "../benches/vec_helper/mod.rs"]
mod vec_helper;

#[path = "../benches/candidates/mod.rs"]
mod candidates;

#[allow(dead_code)] // only the static-metric peer is counted here
#[path = "../benches/peers/mod.rs"]
mod peers;

#[allow(dead_code)] // the criterion benchmark uses the rest
#[path = "../benches/cases/mod.rs"]
mod cases;

/// Counts what is allocated and freed while `COUNTING` is on (`--alloc`);
/// off, each allocation pays one relaxed load and a branch.
struct CountingAllocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATED: AtomicU64 = AtomicU64::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static FREED: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCATED.fetch_add(layout.size() as u64, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
        }
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Relaxed) {
            FREED.fetch_add(layout.size() as u64, Relaxed);
        }
        System.dealloc(ptr, layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCATED.fetch_add(layout.size() as u64, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCATED.fetch_add(new_size as u64, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
            FREED.fetch_add(layout.size() as u64, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

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

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use cases::{HistogramPeer, Peer, PeerFn};

use metric_group::scope::{DynamoLevels, Scope};
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let count_alloc = args.iter().any(|arg| arg == "--alloc");
    args.retain(|arg| arg != "--alloc");
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
            eprintln!("usage: instruction_counts <worker_load|routing_overhead|router_request|scrape|churn|vec_helper|vec_histogram|vec_histogram_long|family_map_set|family_map_churn|family_strings> <handwritten|generated> [runs]");
            eprintln!("       instruction_counts <gauge_lookup|gauge_handle|histogram|scrape_10k|scrape_100k|create|churn_10k> <peer> <runs> [--alloc]");
            eprintln!("       instruction_counts hierarchy <components> <series>");
            return ExitCode::from(2);
        }
    };
    if let Some(case) = PeerCase::parse(path) {
        let run = PeerRun {
            case,
            runs,
            count_alloc,
        };
        return match cases::with_peer(variant, run) {
            Some(code) => code,
            None => {
                eprintln!("unknown peer `{variant}`: {:?}", cases::PEERS);
                ExitCode::from(2)
            }
        };
    }
    if path == "family_strings" {
        return family_strings(variant, runs);
    }
    if path == "hierarchy" {
        return hierarchy(variant, runs);
    }
    if let Some(op) = path.strip_prefix("family_map_") {
        return family_map(op, variant, runs);
    }
    if path == "worker_load" && variant == "bound_family" {
        worker_load_bound_family(runs);
        return ExitCode::SUCCESS;
    }
    if let Some(kind) = path.strip_prefix("exemplar_") {
        return exemplar_kind(kind, variant == "with", runs);
    }
    if path == "exemplar" {
        // `without`: observe; `with`: observe with an exemplar.
        exemplar(variant == "with", runs);
        return ExitCode::SUCCESS;
    }
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
        "churn" => churn(generated, runs),
        "vec_helper" => vec_helper(generated, runs),
        "vec_histogram" => vec_histogram(generated, runs),
        "vec_histogram_long" => vec_histogram_long(generated, runs),
        other => {
            eprintln!("unknown path `{other}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The `i`-th label set of the worker_load loops: 16 workers x 2 ranks x 2
/// types, 64 in all.
#[inline]
fn worker_labels(i: u64) -> (u64, u32, WorkerType) {
    let kind = if (i >> 5) & 1 == 0 {
        WorkerType::Decode
    } else {
        WorkerType::Prefill
    };
    (1000 + (i & 15), ((i >> 4) & 1) as u32, kind)
}

fn worker_load(generated: bool, runs: u64) {
    let hand = handwritten::WorkerLoad::new().expect("valid");
    let gen = WorkerLoadMetrics::new().expect("valid");
    for i in 0..runs {
        let (id, rank, kind) = worker_labels(i);
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
            let (id, rank, kind) = worker_labels(i);
            group.bind(id, rank, kind.as_str()).expect("valid")
        })
        .collect();
    for i in 0..runs {
        let (id, rank, kind) = worker_labels(i);
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

/// worker_load through the router group's own `bind(WorkerLabels)` handles
/// (`Family` fields), resolved for the 64 label sets before the loop.
fn worker_load_bound_family(runs: u64) {
    let group = WorkerLoadMetrics::new().expect("valid");
    let handles: Vec<_> = (0..64u64)
        .map(|i| {
            let (worker_id, dp_rank, worker_type) = worker_labels(i);
            let labels = metric_group_router::WorkerLabels {
                worker_id,
                dp_rank,
                worker_type,
            };
            group.bind(&labels).expect("valid")
        })
        .collect();
    for i in 0..runs {
        let n = black_box(i as usize);
        let worker = &handles[(black_box(i) & 63) as usize];
        worker.active_decode_blocks.set(n as i64);
        worker.active_prefill_tokens.set((n * 16) as i64);
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
        // Each side as its users scrape: prometheus' encoder over a gather
        // by hand, the library's direct encoder for the generated group.
        let text = if generated {
            metric_group::encode(&registry).expect("encodable")
        } else {
            metric_group::prometheus::TextEncoder::new()
                .encode_to_string(&registry.gather())
                .expect("encodable")
        };
        black_box(text);
    }
}

/// One run: a new worker rank publishes its load (two series created) and
/// the rank that arrived 2,000 runs earlier is removed (benches/hot_path.rs
/// `churn`).
fn churn(generated: bool, runs: u64) {
    const LIVE: u64 = 2_000;
    let hand = handwritten::WorkerLoad::new().expect("valid");
    let gen = WorkerLoadMetrics::new().expect("valid");
    let labels = |i: u64| (i / 2, (i % 2) as u32, WorkerType::Decode);
    for i in 0..LIVE + runs {
        let (id, rank, kind) = labels(black_box(i));
        if generated {
            let _ = gen.observe(id, rank, kind, 1, 16);
        } else {
            hand.observe(id, rank, kind.as_str(), 1, 16);
        }
        if let Some(old) = i.checked_sub(LIVE) {
            let (id, rank, kind) = labels(old);
            if generated {
                gen.remove(id, rank, kind);
            } else {
                hand.remove(id, rank, kind.as_str());
            }
        }
    }
}

/// `family_map_set <candidate>` / `family_map_churn <candidate>`: the maps
/// `Family` could be built on (benches/candidates, benches/family_maps.rs).
fn family_map(op: &str, candidate: &str, runs: u64) -> ExitCode {
    let Some(map) = candidates::make(candidate) else {
        eprintln!("unknown candidate `{candidate}`: {:?}", candidates::NAMES);
        return ExitCode::from(2);
    };
    match op {
        "set" => {
            for i in 0..64 {
                map.set(&candidates::key(i), 0);
            }
            for i in 0..runs {
                map.set(black_box(&candidates::key(i & 63)), black_box(i as i64));
            }
        }
        "churn" => {
            let live = candidates::LIVE;
            for i in 0..live {
                map.set(&candidates::key(i), 0);
            }
            for i in live..live + runs {
                map.churn(black_box(&candidates::key(i)), &candidates::key(i - live));
            }
        }
        other => {
            eprintln!("unknown operation `family_map_{other}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// `family_strings <n>`: `Family::get_or_create` and an increment for one of `n`
/// present label sets holding distinct strings, visiting all `n`.
fn family_strings(n: &str, runs: u64) -> ExitCode {
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("family_strings: `{n}` is not a number of label sets");
        return ExitCode::from(2);
    };
    let (family, sets) = candidates::string_family(n);
    family_strings_ops(&family, &sets, runs);
    ExitCode::SUCCESS
}

/// The measured loop alone, so that callgrind can count it alone
/// (`--toggle-collect='*family_strings_ops*'`): building 100,000 series
/// costs a varying amount (the hash is seeded per process, so shards fill
/// and grow differently) that would swamp a difference of two runs.
#[inline(never)]
fn family_strings_ops(
    family: &metric_group::Family<candidates::Route, metric_group::prometheus::IntCounter>,
    sets: &[candidates::Route],
    runs: u64,
) {
    let mut i = 0usize;
    for _ in 0..runs {
        i = (i + 7919) % sets.len();
        family
            .get_or_create(black_box(&sets[i]))
            .expect("present")
            .inc();
    }
}
fn vec_helper(generated: bool, runs: u64) {
    let hand = vec_helper::HandwrittenOrders::new().expect("valid");
    let gen = vec_helper::OrderMetrics::new().expect("valid");
    for i in 0..runs {
        let (method, worker_id) = vec_helper::label_set(black_box(i));
        if generated {
            gen.inc_orders(method, worker_id).expect("no collision");
        } else {
            hand.inc(method, worker_id);
        }
    }
}

/// The `histogram` case's group declared again for the `exemplar` case:
/// with one group type for both, this case's calls made the compiler lay
/// out the `histogram` case's observe path differently, and that case
/// counted 113 instructions instead of about 93 (BENCHMARKS.md, "The
/// peers at the end of 2026-12-05").
#[derive(metric_group::MetricGroup)]
#[metric_group(prefix = "peer")]
struct ExemplarPhaseGroup {
    /// Time spent per phase
    #[metric(
        name = "phase_seconds",
        buckets = exponential(0.0005, 2.0, 12),
        unit = "seconds"
    )]
    phase: metric_group::Family<cases::PhaseLabels, metric_group::prometheus::Histogram>,
}

/// One observation of a `Family<PhaseLabels, Histogram>` as the
/// `histogram` case's (a group of its own, the same declaration) through
/// its generated helper, or with an exemplar (a W3C trace id and span id)
/// through `Family::observe_with_exemplar`.
fn exemplar(with: bool, runs: u64) {
    let group = ExemplarPhaseGroup::new().expect("valid");
    let exemplar =
        metric_group::Exemplar::new("4bf92f3577b34da6a3ce929d0e0e4736").span_id("00f067aa0ba902b7");
    for i in 0..runs {
        let i = black_box(i);
        let labels = cases::PhaseLabels {
            phase: cases::Phase::nth(i),
        };
        let value = cases::observation(i);
        if with {
            group
                .phase
                .observe_with_exemplar(&labels, value, black_box(&exemplar))
                .expect("recorded");
        } else {
            group.observe_phase(&labels, value).expect("recorded");
        }
    }
}

/// `vec_histogram` with model names of 38 bytes, too long for a recent
/// record's key (`collision.rs`, `RecentKey`): the record is read instead.
fn vec_histogram_long(generated: bool, runs: u64) {
    const MODELS: [&str; 4] = [
        "meta-llama/Meta-Llama-3-70B-Instruct-a",
        "meta-llama/Meta-Llama-3-70B-Instruct-b",
        "meta-llama/Meta-Llama-3-70B-Instruct-c",
        "meta-llama/Meta-Llama-3-70B-Instruct-d",
    ];
    let hand = vec_helper::HandwrittenOrders::new().expect("valid");
    let gen = vec_helper::OrderMetrics::new().expect("valid");
    for i in 0..runs {
        let model = MODELS[(black_box(i) & 3) as usize];
        if generated {
            gen.observe_latency(model, 0.5).expect("no collision");
        } else {
            hand.observe(model, 0.5);
        }
    }
}

fn vec_histogram(generated: bool, runs: u64) {
    let hand = vec_helper::HandwrittenOrders::new().expect("valid");
    let gen = vec_helper::OrderMetrics::new().expect("valid");
    for i in 0..runs {
        let (model, seconds) = vec_helper::observation(black_box(i));
        if generated {
            gen.observe_latency(model, seconds).expect("no collision");
        } else {
            hand.observe(model, seconds);
        }
    }
}

/// The cases of benches/cases, run for one peer.
#[derive(Clone, Copy)]
enum PeerCase {
    GaugeLookup,
    GaugeHandle,
    Histogram,
    Scrape(u64),
    Create,
    Churn,
}

/// Live series while churning (`churn_10k`).
const CHURN_LIVE: u64 = 10_000;

impl PeerCase {
    fn parse(name: &str) -> Option<PeerCase> {
        Some(match name {
            "gauge_lookup" => PeerCase::GaugeLookup,
            "gauge_handle" => PeerCase::GaugeHandle,
            "histogram" => PeerCase::Histogram,
            "scrape_10k" => PeerCase::Scrape(10_000),
            "scrape_100k" => PeerCase::Scrape(100_000),
            "create" => PeerCase::Create,
            "churn_10k" => PeerCase::Churn,
            _ => return None,
        })
    }
}

struct PeerRun {
    case: PeerCase,
    runs: u64,
    count_alloc: bool,
}

/// What the allocator counted between `start` and `stop`.
struct Counted {
    allocated: u64,
    allocations: u64,
    freed: u64,
}

fn start_counting() {
    ALLOCATED.store(0, Relaxed);
    ALLOCATIONS.store(0, Relaxed);
    FREED.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
}

fn stop_counting() -> Counted {
    COUNTING.store(false, Relaxed);
    Counted {
        allocated: ALLOCATED.load(Relaxed),
        allocations: ALLOCATIONS.load(Relaxed),
        freed: FREED.load(Relaxed),
    }
}

impl PeerFn for PeerRun {
    type Out = ExitCode;

    fn call<P: Peer, H: HistogramPeer>(self, name: &'static str) -> ExitCode {
        let runs = self.runs;
        let skipped = match self.case {
            PeerCase::Histogram => cases::histogram_skipped(name).map_or(Ok(()), Err),
            PeerCase::Scrape(_) | PeerCase::Create => P::DYNAMIC,
            PeerCase::Churn => P::DYNAMIC.and(P::REMOVE),
            PeerCase::GaugeLookup | PeerCase::GaugeHandle => Ok(()),
        };
        if let Err(why) = skipped {
            println!("skipped: {why}");
            return ExitCode::SUCCESS;
        }
        // Set-up, not counted by --alloc: the peer and its starting series.
        let mut peer = P::new();
        let histogram = matches!(self.case, PeerCase::Histogram).then(H::new);
        match self.case {
            PeerCase::GaugeLookup | PeerCase::GaugeHandle => {
                for i in 0..64 {
                    peer.create(&cases::warm(i), 0);
                }
            }
            PeerCase::Scrape(series) => {
                for i in 0..series {
                    peer.create(&cases::series(i), (i % 500) as i64);
                }
            }
            PeerCase::Churn => {
                for i in 0..CHURN_LIVE {
                    peer.create(&cases::series(i), 1);
                }
            }
            PeerCase::Histogram | PeerCase::Create => {}
        }
        let count_alloc = self.count_alloc;
        let mut length = 0;
        match self.case {
            PeerCase::GaugeLookup => counted(count_alloc, runs, || {
                for i in 0..runs {
                    peer.set(black_box(&cases::warm(i)), i as i64);
                }
            }),
            PeerCase::GaugeHandle => {
                let handles: Vec<P::Handle<'_>> =
                    (0..64).map(|i| peer.handle(&cases::warm(i))).collect();
                counted(count_alloc, runs, || {
                    for i in 0..runs {
                        peer.set_handle(&handles[(black_box(i) & 63) as usize], i as i64);
                    }
                });
            }
            PeerCase::Histogram => {
                let histogram = histogram.as_ref().expect("built");
                counted(count_alloc, runs, || {
                    for i in 0..runs {
                        histogram.observe(cases::Phase::nth(black_box(i)), cases::observation(i));
                    }
                });
            }
            PeerCase::Scrape(_) => counted(count_alloc, runs, || {
                for _ in 0..runs {
                    length = black_box(peer.scrape());
                }
            }),
            PeerCase::Create => counted(count_alloc, runs, || {
                for i in 0..runs {
                    peer.create(black_box(&cases::series(i)), 1);
                }
            }),
            PeerCase::Churn => counted(count_alloc, runs, || {
                for i in CHURN_LIVE..CHURN_LIVE + runs {
                    peer.create(black_box(&cases::series(i)), 1);
                    peer.remove(&cases::series(i - CHURN_LIVE));
                }
            }),
        }
        if length > 0 {
            println!("exposition: {length} bytes");
        }
        // Freeing every series is not what a case measures, and differenced
        // run counts would count it per operation: left to the process'
        // exit, for every peer alike.
        std::mem::forget(peer);
        std::mem::forget(histogram);
        ExitCode::SUCCESS
    }
}

/// Runs `f`; with `count_alloc`, prints what it allocated, in total and per
/// run, and what it left held.
fn counted(count_alloc: bool, runs: u64, f: impl FnOnce()) {
    if !count_alloc {
        f();
        return;
    }
    start_counting();
    f();
    let counted = stop_counting();
    let per_run = |n: f64| n / runs.max(1) as f64;
    let held = counted.allocated as i64 - counted.freed as i64;
    println!(
        "alloc: runs={runs} allocated_bytes={} allocations={} held_bytes={held} \
         per_run: allocated_bytes={:.1} allocations={:.2} held_bytes={:.1}",
        counted.allocated,
        counted.allocations,
        per_run(counted.allocated as f64),
        per_run(counted.allocations as f64),
        per_run(held as f64),
    );
}

/// A component's worker load, for the `hierarchy` path.
#[derive(metric_group::MetricGroup)]
#[metric_group(scope = component, prefix = "hierarchy")]
struct ComponentLoad {
    /// Active blocks per rank
    active_blocks: metric_group::Family<RankLabels, metric_group::prometheus::IntGauge>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, metric_group::LabelSet)]
struct RankLabels {
    rank: u64,
    worker_type: WorkerType,
}

fn hierarchy(components: &str, series: u64) -> ExitCode {
    let Ok(components) = components.parse::<u64>() else {
        eprintln!("components: `{components}` is not a number");
        return ExitCode::from(2);
    };
    let runtime = Scope::runtime();
    let namespace = runtime.namespace("bench").expect("valid");
    let per_component = series / components.max(1);
    for c in 0..components {
        let component = namespace.component(&format!("c{c}")).expect("valid");
        let load = ComponentLoad::for_scope(&component).expect("registers");
        for i in 0..per_component {
            let labels = RankLabels {
                rank: i / 2,
                worker_type: if i % 2 == 0 {
                    WorkerType::Decode
                } else {
                    WorkerType::Prefill
                },
            };
            load.set_active_blocks(&labels, i as i64).expect("sets");
        }
    }
    let median = |mut f: Box<dyn FnMut() -> usize>| {
        let mut times: Vec<std::time::Duration> = (0..5)
            .map(|_| {
                let start = std::time::Instant::now();
                black_box(f());
                start.elapsed()
            })
            .collect();
        times.sort();
        times[2]
    };
    let text = median(Box::new(|| runtime.encode_text().expect("encodes").len()));
    let gather = median(Box::new(|| runtime.gather().expect("gathers").len()));
    println!(
        "{components} components, {} series: encode_text {:.1} ms, gather {:.1} ms (medians of 5)",
        per_component * components,
        text.as_secs_f64() * 1e3,
        gather.as_secs_f64() * 1e3
    );
    ExitCode::SUCCESS
}

/// Plain fields and a `Family` counter, for `exemplar_<kind>`.
#[derive(metric_group::MetricGroup)]
#[metric_group(prefix = "bench")]
struct ExemplarKinds {
    /// Requests
    plain_total: metric_group::prometheus::IntCounter,
    /// Latency
    #[metric(unit = "seconds", buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])]
    plain_seconds: metric_group::prometheus::Histogram,
    /// Requests per phase
    phase_requests_total:
        metric_group::Family<cases::PhaseLabels, metric_group::prometheus::IntCounter>,
}

/// One update through a generated helper, with a W3C trace id and span id
/// as the exemplar or without one (`exemplar_<kind>`).
fn exemplar_kind(kind: &str, with: bool, runs: u64) -> ExitCode {
    let kinds = ExemplarKinds::new().expect("valid");
    // Plain fields keep their exemplars once registered (their collectors
    // made).
    let registry = metric_group::prometheus::Registry::new();
    kinds.register(&registry).expect("registered");
    let orders = vec_helper::OrderMetrics::new().expect("valid");
    let exemplar =
        metric_group::Exemplar::new("4bf92f3577b34da6a3ce929d0e0e4736").span_id("00f067aa0ba902b7");
    let exemplar = black_box(&exemplar);
    match (kind, with) {
        ("plain_counter", false) => each(runs, |_| kinds.plain_total.inc()),
        ("plain_counter", true) => each(runs, |_| {
            kinds
                .inc_by_plain_total_with_exemplar(1, exemplar)
                .expect("recorded");
        }),
        ("plain_histogram", false) => each(runs, |i| {
            kinds
                .observe_plain_seconds(cases::observation(i))
                .expect("recorded");
        }),
        ("plain_histogram", true) => each(runs, |i| {
            kinds
                .observe_plain_seconds_with_exemplar(cases::observation(i), exemplar)
                .expect("recorded");
        }),
        ("vec_counter", false) => each(runs, |i| {
            let (method, worker_id) = vec_helper::label_set(i);
            orders.inc_orders(method, worker_id).expect("recorded");
        }),
        ("vec_counter", true) => each(runs, |i| {
            let (method, worker_id) = vec_helper::label_set(i);
            orders
                .inc_by_orders_with_exemplar(method, worker_id, 1, exemplar)
                .expect("recorded");
        }),
        ("vec_histogram", false) => each(runs, |i| {
            let (model, seconds) = vec_helper::observation(i);
            orders.observe_latency(model, seconds).expect("recorded");
        }),
        ("vec_histogram", true) => each(runs, |i| {
            let (model, seconds) = vec_helper::observation(i);
            orders
                .observe_latency_with_exemplar(model, seconds, exemplar)
                .expect("recorded");
        }),
        ("family_counter", false) => each(runs, |i| {
            let labels = cases::PhaseLabels {
                phase: cases::Phase::nth(i),
            };
            kinds.inc_phase_requests_total(&labels).expect("recorded");
        }),
        ("family_counter", true) => each(runs, |i| {
            let labels = cases::PhaseLabels {
                phase: cases::Phase::nth(i),
            };
            kinds
                .inc_by_phase_requests_total_with_exemplar(&labels, 1, exemplar)
                .expect("recorded");
        }),
        _ => {
            eprintln!("unknown exemplar kind `{kind}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// Calls `update` for each of `runs` (a closure inlined, not a call
/// through a pointer, so the loop is what a caller's would be).
fn each(runs: u64, update: impl Fn(u64)) {
    for i in 0..runs {
        update(black_box(i));
    }
}
