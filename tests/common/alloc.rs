//! The tests' one counting allocator. A test binary installs it with
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: common::alloc::Counting = common::alloc::Counting;
//! ```
//!
//! It counts allocations and bytes held (allocated minus freed) on the
//! threads that asked for counting, since the harness runs other tests on
//! other threads meanwhile; and bytes held by the whole process, for a test
//! alone in its binary whose work frees memory on other threads.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};

/// Counts, then delegates to the system allocator.
pub struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static HELD: Cell<i64> = const { Cell::new(0) };
}

static PROCESS_HELD: AtomicI64 = AtomicI64::new(0);

fn size(bytes: usize) -> i64 {
    i64::try_from(bytes).expect("an allocation fits in i64")
}

/// Notes `bytes` more held (fewer when negative), and an allocation.
fn note(bytes: i64, allocation: bool) {
    PROCESS_HELD.fetch_add(bytes, Ordering::Relaxed);
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = COUNTING.try_with(|counting| {
        if counting.get() {
            if allocation {
                let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
            }
            let _ = HELD.try_with(|held| held.set(held.get() + bytes));
        }
    });
}

// SAFETY: every call is passed unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counting itself touches no allocation.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(size(layout.size()), true);
        unsafe { System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(size(new_size) - size(layout.size()), true);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-size(layout.size()), false);
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Starts counting on this thread, from zero.
pub fn start_counting() {
    ALLOCATIONS.with(|n| n.set(0));
    HELD.with(|held| held.set(0));
    COUNTING.with(|counting| counting.set(true));
}

/// Stops counting on this thread; the counts stay readable.
pub fn stop_counting() {
    COUNTING.with(|counting| counting.set(false));
}

/// Bytes held on this thread since counting started.
pub fn held() -> i64 {
    HELD.with(Cell::get)
}

/// Allocations made on this thread since counting started.
pub fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// What `f` returns, and the bytes it left allocated on this thread (its
/// result included).
pub fn held_by<R>(f: impl FnOnce() -> R) -> (R, i64) {
    start_counting();
    let result = f();
    stop_counting();
    (result, held())
}

/// How many allocations `f` makes on this thread.
pub fn allocations_during(f: impl FnOnce()) -> u64 {
    start_counting();
    f();
    stop_counting();
    allocations()
}

/// Bytes held by the whole process.
pub fn process_held() -> i64 {
    PROCESS_HELD.load(Ordering::Relaxed)
}
