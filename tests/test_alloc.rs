//! A warm observe allocates nothing: label values are typed, resolved
//! without formatting, and served from the family's table.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use metric_group::router::{
    RouterRequestMetrics, RoutingOverheadMetrics, WorkerLoadMetrics, WorkerType,
};
use metric_group::scope::Scope;

/// Counts allocations made by the thread that asked for counting (the test
/// harness runs other tests on other threads meanwhile).
struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        unsafe { System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn note_allocation() {
    let _ = COUNTING.try_with(|counting| {
        if counting.get() {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        }
    });
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations_during(f: impl FnOnce()) -> u64 {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

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
