//! The labelled-gauge and histogram cases against every peer, in one run
//! (benches/cases has the peers; bench/BASELINE.md the figures):
//!
//! ```text
//! cd bench && cargo bench --bench peer_cases [-- <group filter>]
//! ```
//!
//! Groups (each function is a peer; a peer that cannot run a case is left
//! out with the reason printed on stderr):
//! - `gauge_lookup`, `gauge_handle`: set one of the 64 warm label sets,
//!   cycling, resolving the series each time or through handles resolved
//!   before; `*_2t_same`: the same from two threads over all 64;
//!   `*_2t_disjoint`: two threads over 32 each (time per set per thread);
//! - `histogram`: observe into a histogram with one enum label (4 values);
//! - `scrape_10k`, `scrape_100k`: the text exposition of a gauge family
//!   holding 10,000 / 100,000 series;
//! - `churn_10k`: create one series and remove the one created 10,000
//!   operations earlier.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode};

#[allow(dead_code)] // the instruction-count runner uses the rest
mod cases;

use cases::{
    histogram_skipped, observation, series, warm, with_peer, HistogramPeer, Peer, PeerFn, Phase,
    PEERS,
};

#[derive(Clone, Copy, PartialEq)]
enum Threads {
    One,
    Same,
    Disjoint,
}

struct Warm<'a, 'b> {
    group: &'a mut BenchmarkGroup<'b, WallTime>,
    handle: bool,
    threads: Threads,
}

impl PeerFn for Warm<'_, '_> {
    type Out = ();

    fn call<P: Peer, H: HistogramPeer>(self, name: &'static str) {
        let mut peer = P::new();
        for i in 0..64 {
            peer.create(&warm(i), 0);
        }
        let peer = peer;
        let handles: Vec<P::Handle<'_>> = (0..64).map(|i| peer.handle(&warm(i))).collect();
        let handle = self.handle;
        if self.threads == Threads::One {
            let mut i = 0u64;
            self.group.bench_function(name, |b| {
                b.iter(|| {
                    i = i.wrapping_add(1);
                    if handle {
                        peer.set_handle(&handles[(black_box(i) & 63) as usize], i as i64);
                    } else {
                        peer.set(black_box(&warm(i)), i as i64);
                    }
                })
            });
            return;
        }
        let disjoint = self.threads == Threads::Disjoint;
        self.group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                two_threads(iters, |thread, i| {
                    // Same: both threads over all 64; disjoint: 32 each.
                    let index = if disjoint { (i & 31) | thread << 5 } else { i };
                    if handle {
                        peer.set_handle(&handles[(index & 63) as usize], i as i64);
                    } else {
                        peer.set(&warm(index), i as i64);
                    }
                })
            })
        });
    }
}

/// Runs `work(thread, i)` for `i` in `0..iters` on two threads at once; the
/// time per `iters` is the time per operation per thread.
fn two_threads(iters: u64, work: impl Fn(u64, u64) + Sync) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..2u64 {
            let work = &work;
            scope.spawn(move || {
                for i in 0..iters {
                    work(thread, black_box(i));
                }
            });
        }
    });
    start.elapsed()
}

fn warm_cases(c: &mut Criterion) {
    for (handle, kind) in [(false, "lookup"), (true, "handle")] {
        for (threads, suffix) in [
            (Threads::One, ""),
            (Threads::Same, "_2t_same"),
            (Threads::Disjoint, "_2t_disjoint"),
        ] {
            let mut group = c.benchmark_group(format!("gauge_{kind}{suffix}"));
            for name in PEERS {
                let case = Warm {
                    group: &mut group,
                    handle,
                    threads,
                };
                with_peer(name, case);
            }
            group.finish();
        }
    }
}

struct HistogramCase<'a, 'b> {
    group: &'a mut BenchmarkGroup<'b, WallTime>,
}

impl PeerFn for HistogramCase<'_, '_> {
    type Out = ();

    fn call<P: Peer, H: HistogramPeer>(self, name: &'static str) {
        if let Some(why) = histogram_skipped(name) {
            eprintln!("histogram/{name}: skipped ({why})");
            return;
        }
        let peer = H::new();
        let mut i = 0u64;
        self.group.bench_function(name, |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                peer.observe(Phase::nth(black_box(i)), observation(i));
            })
        });
    }
}

fn histogram(c: &mut Criterion) {
    let mut group = c.benchmark_group("histogram");
    for name in PEERS {
        with_peer(name, HistogramCase { group: &mut group });
    }
    group.finish();
}

struct Scrape<'a, 'b> {
    group: &'a mut BenchmarkGroup<'b, WallTime>,
    series: u64,
}

impl PeerFn for Scrape<'_, '_> {
    type Out = ();

    fn call<P: Peer, H: HistogramPeer>(self, name: &'static str) {
        if let Err(why) = P::DYNAMIC {
            eprintln!("scrape/{name}: skipped ({why})");
            return;
        }
        let mut peer = P::new();
        for i in 0..self.series {
            peer.create(&series(i), (i % 500) as i64);
        }
        self.group
            .bench_function(name, |b| b.iter(|| black_box(peer.scrape())));
    }
}

fn scrape(c: &mut Criterion) {
    for (series, label) in [(10_000, "scrape_10k"), (100_000, "scrape_100k")] {
        let mut group = c.benchmark_group(label);
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(100))
            .measurement_time(Duration::from_millis(1500));
        for name in PEERS {
            with_peer(
                name,
                Scrape {
                    group: &mut group,
                    series,
                },
            );
        }
        group.finish();
    }
}

/// Live series while churning.
pub const CHURN_LIVE: u64 = 10_000;

struct Churn<'a, 'b> {
    group: &'a mut BenchmarkGroup<'b, WallTime>,
}

impl PeerFn for Churn<'_, '_> {
    type Out = ();

    fn call<P: Peer, H: HistogramPeer>(self, name: &'static str) {
        if let Err(why) = P::DYNAMIC.and(P::REMOVE) {
            eprintln!("churn_10k/{name}: skipped ({why})");
            return;
        }
        let mut peer = P::new();
        for i in 0..CHURN_LIVE {
            peer.create(&series(i), 1);
        }
        let mut next = CHURN_LIVE;
        self.group.bench_function(name, |b| {
            b.iter(|| {
                peer.create(black_box(&series(next)), 1);
                peer.remove(&series(next - CHURN_LIVE));
                next += 1;
            })
        });
    }
}

fn churn(c: &mut Criterion) {
    let mut group = c.benchmark_group("churn_10k");
    for name in PEERS {
        with_peer(name, Churn { group: &mut group });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_millis(700));
    targets = warm_cases, histogram, scrape, churn
}
criterion_main!(benches);
