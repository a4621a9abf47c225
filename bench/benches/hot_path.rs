//! The router groups' hot paths, generated against hand-written prometheus
//! code doing the same work, and against two peers, in one run:
//!
//! ```text
//! cargo bench --bench hot_path
//! ```
//!
//! Every group compares like with like: the same label sets, values and
//! bucket layouts, in the same process, one after the other.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use metric_group::prometheus::{Encoder, Registry, TextEncoder};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};

mod handwritten;
mod peers;
#[allow(dead_code)] // the histogram half is instruction_counts' `vec_histogram`
mod vec_helper;

/// 16 workers x 2 data-parallel ranks x 2 types.
fn label_sets() -> Vec<(u64, u32, WorkerType)> {
    let mut sets = Vec::new();
    for worker in 0..16u64 {
        for dp_rank in 0..2u32 {
            for worker_type in [WorkerType::Decode, WorkerType::Prefill] {
                sets.push((1000 + worker, dp_rank, worker_type));
            }
        }
    }
    sets
}

fn worker_load_observe(c: &mut Criterion) {
    let sets = label_sets();
    let handwritten = handwritten::WorkerLoad::new().expect("valid");
    let generated = WorkerLoadMetrics::new().expect("valid");
    let static_metric = peers::StaticWorkerLoad::new();
    let measured = peers::MeasuredWorkerLoad::new();
    let mut group = c.benchmark_group("worker_load_observe");
    let mut i = 0usize;
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            i = (i + 1) & 63;
            let (id, rank, kind) = sets[i];
            handwritten.observe(
                black_box(id),
                black_box(rank),
                kind.as_str(),
                black_box(i),
                black_box(i * 16),
            );
        })
    });
    group.bench_function("generated", |b| {
        b.iter(|| {
            i = (i + 1) & 63;
            let (id, rank, kind) = sets[i];
            let _ = generated.observe(
                black_box(id),
                black_box(rank),
                kind,
                black_box(i),
                black_box(i * 16),
            );
        })
    });
    group.bench_function("static_metric", |b| {
        b.iter(|| {
            i = (i + 1) & 63;
            let (id, rank, kind) = sets[i];
            static_metric.observe(
                black_box(id),
                black_box(rank),
                kind,
                black_box(i),
                black_box(i * 16),
            );
        })
    });
    group.bench_function("measured", |b| {
        b.iter(|| {
            i = (i + 1) & 63;
            let (id, rank, kind) = sets[i];
            measured.observe(
                black_box(id),
                black_box(rank),
                kind,
                black_box(i),
                black_box(i * 16),
            );
        })
    });
    group.finish();
}

/// Both threads observe the same 64 label sets; the time is per observe per
/// thread.
fn worker_load_observe_contended(c: &mut Criterion) {
    let sets = label_sets();
    let handwritten = handwritten::WorkerLoad::new().expect("valid");
    let generated = WorkerLoadMetrics::new().expect("valid");
    let mut group = c.benchmark_group("worker_load_observe_2_threads");
    group.bench_function("handwritten", |b| {
        b.iter_custom(|iters| {
            two_threads(iters, |i| {
                let (id, rank, kind) = sets[i & 63];
                handwritten.observe(id, rank, kind.as_str(), i, i * 16);
            })
        })
    });
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            two_threads(iters, |i| {
                let (id, rank, kind) = sets[i & 63];
                let _ = generated.observe(id, rank, kind, i, i * 16);
            })
        })
    });
    group.finish();
}

fn two_threads(iters: u64, work: impl Fn(usize) + Sync) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for offset in [0usize, 31] {
            let work = &work;
            scope.spawn(move || {
                for i in 0..iters as usize {
                    work(black_box(i + offset));
                }
            });
        }
    });
    start.elapsed()
}

/// Cumulative phase marks of one routing decision, varied per iteration.
fn marks(i: u64) -> (Duration, Duration, Duration, Duration) {
    let base = 20_000 + (i & 1023) * 37;
    (
        Duration::from_nanos(base),
        Duration::from_nanos(base * 3),
        Duration::from_nanos(base * 3 + 4_000),
        Duration::from_nanos(base * 5),
    )
}

fn routing_overhead_observe(c: &mut Criterion) {
    let handwritten = handwritten::RoutingOverhead::new(7).expect("valid");
    let generated = RoutingOverheadMetrics::new(7u64).expect("valid");
    let mut group = c.benchmark_group("routing_overhead_observe");
    let mut i = 0u64;
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            i += 1;
            let (h, m, s, t) = marks(black_box(i));
            handwritten.observe(h, m, s, t);
        })
    });
    group.bench_function("generated", |b| {
        b.iter(|| {
            i += 1;
            let (h, m, s, t) = marks(black_box(i));
            generated.observe(h, m, s, t);
        })
    });
    group.finish();
}

/// The component scope the router's request group is declared for.
fn backend_scope() -> Scope {
    Scope::runtime()
        .namespace("dynamo")
        .and_then(|ns| ns.component("backend"))
        .expect("scope")
}

fn router_request(c: &mut Criterion) {
    let handwritten = handwritten::RouterRequests::new(7).expect("valid");
    let scope = backend_scope();
    let generated = RouterRequestMetrics::for_scope(&scope, 7u64).expect("valid");
    let mut group = c.benchmark_group("router_request");
    let mut i = 0u64;
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            i += 1;
            let n = black_box(i & 4095) as usize;
            handwritten.record(
                n * 31 + 50,
                0.25,
                Duration::from_micros(n as u64 * 97),
                Duration::from_micros(25_000),
                n + 1,
            );
        })
    });
    group.bench_function("generated", |b| {
        b.iter(|| {
            i += 1;
            let n = black_box(i & 4095) as usize;
            generated.record_routed(n * 31 + 50, 0.25);
            generated.record_first_token(Duration::from_micros(n as u64 * 97));
            generated.record_inter_token(Duration::from_micros(25_000));
            generated.record_completed(n + 1);
        })
    });
    group.finish();
}

fn encode(registry: &Registry) -> usize {
    let mut buffer = Vec::with_capacity(1 << 20);
    TextEncoder::new()
        .encode(&registry.gather(), &mut buffer)
        .expect("encodable");
    buffer.len()
}

fn scrape(c: &mut Criterion) {
    let handwritten_registry = Registry::new();
    let handwritten = handwritten::WorkerLoad::new().expect("valid");
    handwritten
        .register(&handwritten_registry)
        .expect("registers");
    let generated_registry = Registry::new();
    let generated = WorkerLoadMetrics::new().expect("valid");
    generated.register(&generated_registry).expect("registers");
    for worker in 0..1000u64 {
        for dp_rank in 0..2u32 {
            let kind = if worker % 4 == 0 {
                WorkerType::Prefill
            } else {
                WorkerType::Decode
            };
            let load = (worker as usize * 7 + dp_rank as usize) % 500;
            handwritten.observe(worker, dp_rank, kind.as_str(), load, load * 16);
            generated
                .observe(worker, dp_rank, kind, load, load * 16)
                .expect("observes");
        }
    }
    assert_eq!(
        encode(&handwritten_registry),
        encode(&generated_registry),
        "same exposition size"
    );
    let mut group = c.benchmark_group("scrape");
    group.bench_function("handwritten", |b| {
        b.iter(|| encode(black_box(&handwritten_registry)))
    });
    group.bench_function("generated", |b| {
        b.iter(|| encode(black_box(&generated_registry)))
    });
    group.finish();
}

/// Live worker ranks while churning: a router whose workers restart with
/// new ids keeps about this many.
const CHURN_LIVE: u64 = 2_000;

/// The `i`-th worker rank of the churn: a new id every two ranks.
fn churn_labels(i: u64) -> (u64, u32, WorkerType) {
    (i / 2, (i % 2) as u32, WorkerType::Decode)
}

/// One operation: a new worker rank publishes its load (two series
/// created) and the rank that arrived `CHURN_LIVE` operations earlier is
/// removed (two series deleted), so `CHURN_LIVE` ranks stay live.
fn churn(c: &mut Criterion) {
    let handwritten = handwritten::WorkerLoad::new().expect("valid");
    let generated = WorkerLoadMetrics::new().expect("valid");
    for i in 0..CHURN_LIVE {
        let (id, rank, kind) = churn_labels(i);
        handwritten.observe(id, rank, kind.as_str(), 1, 1);
        generated.observe(id, rank, kind, 1, 1).expect("observes");
    }
    let mut group = c.benchmark_group("churn");
    let mut next = CHURN_LIVE;
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            let (id, rank, kind) = churn_labels(black_box(next));
            handwritten.observe(id, rank, kind.as_str(), 1, 16);
            let (id, rank, kind) = churn_labels(next - CHURN_LIVE);
            handwritten.remove(id, rank, kind.as_str());
            next += 1;
        })
    });
    // Each side churns its own metrics from the same starting point.
    let mut next = CHURN_LIVE;
    group.bench_function("generated", |b| {
        b.iter(|| {
            let (id, rank, kind) = churn_labels(black_box(next));
            let _ = generated.observe(id, rank, kind, 1, 16);
            let (id, rank, kind) = churn_labels(next - CHURN_LIVE);
            generated.remove(id, rank, kind);
            next += 1;
        })
    });
    group.finish();
}

/// A plain `IntCounterVec` field: the generated `inc_orders(method,
/// worker_id)` against `with_label_values(&[method, &worker_id.to_string()])`
/// by hand, over 64 label sets; then the same from two threads at once (time
/// per increment per thread).
fn vec_helper(c: &mut Criterion) {
    let handwritten = vec_helper::HandwrittenOrders::new().expect("valid");
    let generated = vec_helper::OrderMetrics::new().expect("valid");
    let mut group = c.benchmark_group("vec_helper");
    let mut i = 0u64;
    group.bench_function("handwritten", |b| {
        b.iter(|| {
            i += 1;
            let (method, worker_id) = vec_helper::label_set(black_box(i));
            handwritten.inc(method, worker_id);
        })
    });
    group.bench_function("generated", |b| {
        b.iter(|| {
            i += 1;
            let (method, worker_id) = vec_helper::label_set(black_box(i));
            let _ = generated.inc_orders(method, worker_id);
        })
    });
    group.finish();
    let mut group = c.benchmark_group("vec_helper_2_threads");
    group.bench_function("handwritten", |b| {
        b.iter_custom(|iters| {
            two_threads(iters, |i| {
                let (method, worker_id) = vec_helper::label_set(i as u64);
                handwritten.inc(method, worker_id);
            })
        })
    });
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            two_threads(iters, |i| {
                let (method, worker_id) = vec_helper::label_set(i as u64);
                let _ = generated.inc_orders(method, worker_id);
            })
        })
    });
    group.finish();
}

/// The router's time to first token (a plain `Histogram` field) recorded
/// with a W3C trace id as its exemplar, the `Exemplar` made per call as a
/// request's would be, against the same without one.
fn exemplar(c: &mut Criterion) {
    let scope = backend_scope();
    let requests = RouterRequestMetrics::for_scope(&scope, 7u64).expect("valid");
    let mut group = c.benchmark_group("exemplar_ttft");
    let mut i = 0u64;
    group.bench_function("without", |b| {
        b.iter(|| {
            i += 1;
            requests.record_first_token(Duration::from_micros(black_box(i) & 0xffff));
        })
    });
    group.bench_function("with", |b| {
        b.iter(|| {
            i += 1;
            requests
                .record_first_token_traced(
                    Duration::from_micros(black_box(i) & 0xffff),
                    black_box("4bf92f3577b34da6a3ce929d0e0e4736"),
                )
                .expect("kept");
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = worker_load_observe, worker_load_observe_contended, routing_overhead_observe, router_request, scrape, churn, vec_helper, exemplar
}
criterion_main!(benches);
