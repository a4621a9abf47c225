//! What the helpers of plain `*Vec` fields record goes with the group:
//! 3,000 hierarchies created and dropped, each with 1,000 series created
//! through a helper, hold what 300 did. A standalone group's records go
//! when it is dropped.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use metric_group::prometheus::IntCounterVec;
use metric_group::scope::Scope;
use metric_group::MetricGroup;

/// Counts bytes held (allocated minus freed) by the thread that asked.
struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static HELD: Cell<i64> = const { Cell::new(0) };
}

fn note(bytes: i64) {
    let _ = COUNTING.try_with(|counting| {
        if counting.get() {
            let _ = HELD.try_with(|held| held.set(held.get() + bytes));
        }
    });
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as i64);
        unsafe { System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as i64 - layout.size() as i64);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as i64));
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn held() -> i64 {
    HELD.with(Cell::get)
}

fn start_counting() {
    HELD.with(|held| held.set(0));
    COUNTING.with(|c| c.set(true));
}

fn stop_counting() {
    COUNTING.with(|c| c.set(false));
}

#[derive(MetricGroup)]
#[metric_group(prefix = "records", scope = component)]
struct ComponentMetrics {
    /// Requests by method and worker
    #[metric(name = "requests_total", labels(method, backend_id))]
    requests: IntCounterVec,
}

const SERIES: u64 = 1_000;

/// A hierarchy with one component whose group gets `SERIES` series through
/// a helper; everything dropped at the end.
fn one_hierarchy(n: u64) {
    let runtime = Scope::runtime();
    let component = runtime
        .namespace("records")
        .and_then(|namespace| namespace.component(&format!("c{n}")))
        .expect("valid names");
    let metrics = ComponentMetrics::for_scope(&component).expect("valid");
    for worker in 0..SERIES {
        metrics.inc_requests("GET", worker).expect("no collision");
    }
}

#[test]
fn three_thousand_hierarchies_hold_what_three_hundred_did() {
    start_counting();
    for n in 0..300 {
        one_hierarchy(n);
    }
    let after_300 = held();
    for n in 300..3_000 {
        one_hierarchy(n);
    }
    let after_3_000 = held();
    stop_counting();
    println!("held after 300 hierarchies: {after_300} B; after 3,000: {after_3_000} B");
    assert!(
        after_3_000 - after_300 < 1 << 20,
        "{after_300} B -> {after_3_000} B"
    );
}

#[derive(MetricGroup)]
#[metric_group(prefix = "records_standalone")]
struct Standalone {
    /// Requests by worker
    #[metric(name = "requests_total", labels(worker_id))]
    requests: IntCounterVec,
}

#[test]
fn a_dropped_group_leaves_no_records() {
    // Warm up what stays for the process (the shared tables, this thread's
    // recent records).
    for _ in 0..2 {
        let group = Standalone::new().expect("valid");
        for worker in 0..1_000u64 {
            group.inc_requests(worker).expect("no collision");
        }
    }
    start_counting();
    for _ in 0..20 {
        let group = Standalone::new().expect("valid");
        for worker in 0..1_000u64 {
            group.inc_requests(worker).expect("no collision");
        }
    }
    let held = held();
    stop_counting();
    println!("held after 20 groups of 1,000 series created and dropped: {held} B");
    assert!(held < 1 << 20, "{held} B");
}
