//! A warm observe allocates nothing: label values are typed, resolved
//! without formatting, and served from the family's table. A family that
//! churns holds memory for its live series only.

mod common;

use common::alloc::{allocations_during, held_by};
use metric_group::prometheus::IntGauge;
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::Family;
use metric_group_router::WorkerLabels;
use metric_group_router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};

#[global_allocator]
static ALLOCATOR: common::alloc::Counting = common::alloc::Counting;

#[test]
fn the_counter_sees_allocations() {
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8; 32]))) >= 1);
}

#[test]
fn warm_typed_observes_allocate_nothing() {
    let load = WorkerLoadMetrics::new().expect("valid");
    let overhead = RoutingOverheadMetrics::new(1u64).expect("valid");
    let scope = Scope::runtime()
        .namespace("ns")
        .and_then(|ns| ns.component("c"))
        .expect("scope");
    let requests = RouterRequestMetrics::for_scope(&scope, 1u64).expect("valid");
    let sets: Vec<(u64, u32, WorkerType)> = (0..64u64)
        .map(|i| {
            (
                i / 4,
                (i % 2) as u32,
                if i % 4 < 2 {
                    WorkerType::Decode
                } else {
                    WorkerType::Prefill
                },
            )
        })
        .collect();
    for &(id, rank, kind) in &sets {
        load.observe(id, rank, kind, 1, 1).expect("observes"); // cold: creates the series
    }
    let count = allocations_during(|| {
        for round in 0..100usize {
            for &(id, rank, kind) in &sets {
                load.observe(id, rank, kind, round, round * 2)
                    .expect("observes");
            }
            let d = std::time::Duration::from_micros(round as u64 + 1);
            overhead.observe(d, d * 2, d * 3, d * 4);
            requests.record_routed(round * 10 + 50, 0.5);
            requests.record_first_token(d);
            requests.record_inter_token(d);
            requests.record_completed(round + 1);
        }
    });
    assert_eq!(count, 0, "warm observes allocated {count} times");
}

const LIVE: u64 = 2_000;
const CYCLES: u64 = 200_000;

fn worker(i: u64) -> WorkerLabels {
    WorkerLabels {
        worker_id: i / 2,
        dp_rank: (i % 2) as u32,
        worker_type: WorkerType::Decode,
    }
}

fn family_with_live_series() -> Family<WorkerLabels, IntGauge> {
    let family: Family<WorkerLabels, IntGauge> =
        Family::new("churn_load".into(), "Churn".into(), Vec::new(), None).expect("valid");
    for i in 0..LIVE {
        family.get_or_create(&worker(i)).expect("resolves").set(1);
    }
    family
}

#[test]
fn the_counter_sees_bytes_held_and_freed() {
    let (kept, held) = held_by(|| vec![0u8; 4096]);
    assert!(held >= 4096, "{held}");
    let ((), held) = held_by(|| drop(kept));
    assert!(held <= -4096, "{held}");
}

/// 200,000 worker ranks come and go while 2,000 stay live (a router whose
/// workers restart with new ids): the family holds no more than twice what a
/// family holding only the live series holds, plus 1 MiB.
#[test]
fn churn_holds_memory_for_the_live_series_only() {
    let (steady, steady_bytes) = held_by(family_with_live_series);
    let (churned, churned_bytes) = held_by(|| {
        let family = family_with_live_series();
        for i in LIVE..LIVE + CYCLES {
            family.get_or_create(&worker(i)).expect("resolves").set(2);
            assert!(family.remove(&worker(i - LIVE)));
        }
        family
    });
    assert_eq!(churned.len(), steady.len());
    eprintln!(
        "family of {LIVE} live series: {steady_bytes} bytes; after {CYCLES} create/remove cycles: {churned_bytes} bytes"
    );
    assert!(
        churned_bytes <= 2 * steady_bytes + (1 << 20),
        "held {churned_bytes} bytes after churn, {steady_bytes} without"
    );
}
