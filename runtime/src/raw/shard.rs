//! One shard of a hashed family: an open-addressing table of series that
//! readers probe without a lock and without writing anything shared, while
//! writers (new series, removals) take the shard's mutex. In `raw`, the
//! runtime's one module with `unsafe` code.
//!
//! # Why
//!
//! A read-write lock around a `hashbrown` table costs every warm lookup two
//! atomic read-modify-writes on the lock word, a cache line every thread
//! that updates a series of the shard then pulls to its core: with two
//! threads on the same series a lookup took longer than `static_metric`'s
//! (BENCHMARKS.md, "The peers, side by side", the read-write-locked shards
//! at `1c86209`). Here a lookup pins an epoch
//! (crossbeam-epoch: a write to the thread's own record), loads the table
//! and probes it.
//!
//! # How
//!
//! - A table is a power-of-two array of `AtomicPtr<Node>`: null (never
//!   used), [`tombstone`] (removed) or a pointer from `Arc::into_raw` of the
//!   series. Linear probing from the hash's low bits; a lookup stops at the
//!   first null slot. Writers keep at most three quarters of the slots
//!   non-null, so every probe ends.
//! - Writers are serialised by the shard's mutex. A new series is stored
//!   into the first null or tombstone slot of its probe sequence (after
//!   probing for it: a series is never stored twice). A removal stores a
//!   tombstone and defers the release of the table's reference to the
//!   series until every thread pinned at that time has unpinned.
//! - A table that would pass three quarters full, or that holds less than
//!   an eighth of live series, is rebuilt: the live pointers are copied into
//!   a new table, which is published with `Release`; the old table (which
//!   owns no series) is freed once no pinned reader can hold it.
//! - Readers load the table and each slot with `Acquire`, pairing with the
//!   writers' `Release` stores: a series is fully built before its pointer
//!   can be seen, and so is a table.
//!
//! # Checked
//!
//! A loom model (`tests` below, `cfg(loom)`; `.ci/run` runs it) explores
//! readers probing while a writer inserts (through a rebuild) and removes,
//! with crossbeam-epoch's own loom support; and, for idle expiry, a write
//! stamping its series while an expiry removes it or a rebuild moves it.
//! The stamps' protocol is read-modify-writes on the stamp alone: a first
//! version paired `SeqCst` stores and loads across the stamp and the slot
//! (store buffering), which loom, modelling `SeqCst` as acquire/release,
//! reported losing a write; the swap and compare-exchange it has now
//! pass, and the model fails again when the expiry's claim is made a
//! plain store (checked 2026-12-04).

use std::ptr::{self, NonNull};
use std::sync::Arc;

use crossbeam_epoch::{self as epoch, Atomic, Guard, Owned};

#[cfg(loom)]
use loom::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// One series: its label set and its value, in one allocation.
pub(crate) struct Node<K, V> {
    pub(crate) key: K,
    pub(crate) value: V,
}

/// The pointer a removed series' slot holds: never an allocation's address
/// (it is the type's alignment), and not null, so probes continue past it.
fn tombstone<N>() -> *mut N {
    NonNull::dangling().as_ptr()
}

/// A stamp an expiry swapped in for the one it judged idle: the series is
/// being removed (`Shard::find_stamped`). No tick of the clock reaches it
/// (ticks wrap after 13 years; `clock.rs`).
const REMOVING: u32 = u32::MAX;

/// A stamp a rebuild swapped in once it moved the series to a new table.
const MOVED: u32 = u32::MAX - 1;

/// Whether a slot's pointer is a series' (neither null nor a tombstone).
fn holds_series<N>(slot: *mut N) -> bool {
    !slot.is_null() && slot != tombstone()
}

struct Table<K, V> {
    slots: Box<[AtomicPtr<Node<K, V>>]>,
    /// For a shard with idle expiry, the tick each slot's series was last
    /// written at (`clock.rs`); empty otherwise. Only its own slot's
    /// series reads or writes a stamp: relaxed, as the tick it holds.
    stamps: Box<[AtomicU32]>,
}

impl<K, V> Table<K, V> {
    fn new(capacity: usize, stamped: bool) -> Self {
        Table {
            slots: (0..capacity)
                .map(|_| AtomicPtr::new(ptr::null_mut()))
                .collect(),
            stamps: (0..if stamped { capacity } else { 0 })
                .map(|_| AtomicU32::new(0))
                .collect(),
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }
}

/// The smallest table; a power of two. Sixteen slots keep a small
/// family's probes short (a few series per shard, at most a quarter of the
/// slots, before the first rebuild): the router's 64 worker label sets over
/// 16 shards probe less often past their first slot than with four
/// (BENCHMARKS.md, `worker_load`). Four in the loom model, whose few series
/// must still make the table rebuild.
#[cfg(not(loom))]
const MIN_CAPACITY: usize = 16;
#[cfg(loom)]
const MIN_CAPACITY: usize = 4;

/// Tables above this size shrink when less than an eighth of their slots
/// hold series.
const SHRINK_ABOVE: usize = 64;

#[derive(Default)]
struct Counts {
    live: usize,
    tombstones: usize,
}

#[cfg(not(loom))]
struct Writer(parking_lot::Mutex<Counts>);

#[cfg(not(loom))]
impl Writer {
    fn new() -> Self {
        Writer(parking_lot::Mutex::new(Counts::default()))
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, Counts> {
        self.0.lock()
    }
}

#[cfg(loom)]
struct Writer(loom::sync::Mutex<Counts>);

#[cfg(loom)]
impl Writer {
    fn new() -> Self {
        Writer(loom::sync::Mutex::new(Counts::default()))
    }

    fn lock(&self) -> loom::sync::MutexGuard<'_, Counts> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Some of a hashed family's series.
pub(crate) struct Shard<K, V> {
    table: Atomic<Table<K, V>>,
    writer: Writer,
    /// Whether its tables keep stamps (idle expiry).
    stamped: bool,
}

/// A series' pointer, moved into a deferred release. The series is
/// `Send + Sync` (its key and value are), so its last reference may be
/// dropped on any thread.
struct Released<K, V>(*const Node<K, V>);

// SAFETY: see the type's documentation; `K` and `V` are `Send + Sync`.
unsafe impl<K: Send + Sync, V: Send + Sync> Send for Released<K, V> {}

impl<K, V> Shard<K, V>
where
    K: Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    #[cfg(any(test, loom))]
    pub(crate) fn new() -> Self {
        Self::with_stamps(false)
    }

    /// A shard whose series carry the tick they were last written at
    /// (`stamped`), for idle expiry.
    pub(crate) fn with_stamps(stamped: bool) -> Self {
        Shard {
            table: Atomic::new(Table::new(MIN_CAPACITY, stamped)),
            writer: Writer::new(),
            stamped,
        }
    }

    /// The current table, for as long as `guard` is pinned.
    fn table<'g>(&self, guard: &'g Guard) -> &'g Table<K, V> {
        let table = self.table.load(Ordering::Acquire, guard);
        // SAFETY: the table pointer is set at creation and only ever
        // replaced by another table, so it is never null; a replaced table
        // is freed only after every guard pinned before its replacement
        // (such as `guard`) is gone.
        unsafe { table.deref() }
    }

    /// The slot index and pointer of `key`'s series in `table`.
    #[inline]
    fn probe(table: &Table<K, V>, hash: u64, key: &K) -> Option<(usize, *mut Node<K, V>)> {
        let mask = table.mask();
        // Truncation intended: the low bits pick the slot.
        #[allow(clippy::cast_possible_truncation)]
        let mut i = hash as usize & mask;
        loop {
            let node = table.slots[i].load(Ordering::Acquire);
            if node.is_null() {
                return None;
            }
            // SAFETY: a slot that is neither null nor a tombstone holds a
            // pointer from `Arc::into_raw` whose reference the table still
            // held when the slot was loaded; removals release it only after
            // every guard pinned before (the caller's) is gone.
            if node != tombstone() && unsafe { &(*node).key } == key {
                return Some((i, node));
            }
            i = (i + 1) & mask;
        }
    }

    /// The series for `key`, for as long as `guard` is pinned, stamping
    /// nothing (the tests' reader; families call `find_stamped`).
    #[cfg(any(test, loom))]
    pub(crate) fn find<'g>(&self, hash: u64, key: &K, guard: &'g Guard) -> Option<&'g Node<K, V>> {
        let (_, node) = Self::probe(self.table(guard), hash, key)?;
        // SAFETY: as in `probe`: the series lives while `guard` is pinned.
        Some(unsafe { &*node })
    }

    /// The series for `key`, for as long as `guard` is pinned, stamped with
    /// `now()` before it is handed out when the shard is stamped (a write
    /// only when the tick has changed since its last write). An unstamped shard's tables have no
    /// stamps: the one bounds check on them is also the test for expiry, so
    /// a family calls this whether or not it expires series.
    ///
    /// A changed stamp is swapped in: an expiry removes a series only by
    /// swapping [`REMOVING`] for the stamp it judged idle, and a rebuild
    /// swaps [`MOVED`] into the old table's stamps before it copies them,
    /// so one read-modify-write of the stamp settles which came first.
    /// Seeing `REMOVING`, the series is gone (`None`: the caller creates
    /// it anew); seeing `MOVED`, the new table is probed and stamped. No
    /// write goes to a series an expiry removes.
    #[inline]
    pub(crate) fn find_stamped<'g>(
        &self,
        hash: u64,
        key: &K,
        now: impl Fn() -> u32,
        guard: &'g Guard,
    ) -> Option<&'g Node<K, V>> {
        loop {
            let table = self.table(guard);
            let (i, node) = Self::probe(table, hash, key)?;
            if let Some(stamp) = table.stamps.get(i) {
                let now = now();
                if stamp.load(Ordering::Acquire) != now {
                    match stamp.swap(now, Ordering::AcqRel) {
                        REMOVING => return None,
                        MOVED => continue,
                        _ => {}
                    }
                }
            }
            // SAFETY: as in `probe`: the series lives while `guard` is pinned.
            return Some(unsafe { &*node });
        }
    }

    /// A reference of its own to the series for `key`.
    pub(crate) fn get(&self, hash: u64, key: &K) -> Option<Arc<Node<K, V>>> {
        let guard = epoch::pin();
        Self::shared(self.table(&guard), hash, key, &guard)
    }

    /// [`get`](Self::get) in a stamped shard, stamping the series with
    /// `now` as [`find_stamped`](Self::find_stamped) does.
    pub(crate) fn get_stamped(&self, hash: u64, key: &K, now: u32) -> Option<Arc<Node<K, V>>> {
        let guard = epoch::pin();
        let node = self.find_stamped(hash, key, || now, &guard)?;
        let node: *const Node<K, V> = node;
        // SAFETY: as in `shared`: the table holds a reference to the series
        // while `guard` is pinned, so the count is at least one here.
        unsafe {
            Arc::increment_strong_count(node);
            Some(Arc::from_raw(node))
        }
    }

    /// A reference of its own to the series for `key` in `table`, found
    /// while `_guard` is pinned.
    fn shared(table: &Table<K, V>, hash: u64, key: &K, _guard: &Guard) -> Option<Arc<Node<K, V>>> {
        let (_, node) = Self::probe(table, hash, key)?;
        // SAFETY: `node` came from `Arc::into_raw` and its allocation lives
        // while the guard is pinned (see `probe`); the count is raised
        // before the new `Arc` is made, so the table keeps its own
        // reference.
        unsafe {
            Arc::increment_strong_count(node);
            Some(Arc::from_raw(node))
        }
    }

    /// The series for `node.key`: the one present, or `node`, stored.
    /// `rehash` gives a key's hash (for rebuilding the table).
    #[cfg(any(test, loom))]
    pub(crate) fn insert(
        &self,
        hash: u64,
        node: Arc<Node<K, V>>,
        rehash: impl Fn(&K) -> u64,
    ) -> Arc<Node<K, V>> {
        let probe = Arc::clone(&node);
        let stored = self.insert_with(hash, &probe.key, || Some(node), 0, rehash);
        stored.unwrap_or(probe)
    }

    /// The series for `key`: the one present, else the one `make` returns
    /// (called under the shard's mutex, once the series is known absent),
    /// stored with the stamp `now`; `None` when `make` declines. `rehash`
    /// gives a key's hash (for rebuilding the table).
    pub(crate) fn insert_with(
        &self,
        hash: u64,
        key: &K,
        make: impl FnOnce() -> Option<Arc<Node<K, V>>>,
        now: u32,
        rehash: impl Fn(&K) -> u64,
    ) -> Option<Arc<Node<K, V>>> {
        let mut counts = self.writer.lock();
        let guard = epoch::pin();
        let mut table = self.table(&guard);
        if let Some(present) = Self::shared(table, hash, key, &guard) {
            return Some(present);
        }
        let node = make()?;
        if (counts.live + counts.tombstones + 1) * 4 > table.slots.len() * 3 {
            let live = counts.live + 1;
            table = self.rebuild(&mut counts, live, &rehash, &guard);
        }
        let mask = table.mask();
        #[allow(clippy::cast_possible_truncation)]
        let mut i = hash as usize & mask;
        loop {
            // Only writers change slots, and they hold the mutex.
            let slot = table.slots[i].load(Ordering::Relaxed);
            if slot.is_null() {
                break;
            }
            if slot == tombstone() {
                counts.tombstones -= 1;
                break;
            }
            i = (i + 1) & mask;
        }
        if let Some(stamp) = table.stamps.get(i) {
            stamp.store(now, Ordering::Relaxed);
        }
        let raw = Arc::into_raw(node.clone()).cast_mut();
        table.slots[i].store(raw, Ordering::Release);
        counts.live += 1;
        Some(node)
    }

    /// Removes the series for `key`; whether there was one.
    pub(crate) fn remove(&self, hash: u64, key: &K, rehash: impl Fn(&K) -> u64) -> bool {
        let mut counts = self.writer.lock();
        let guard = epoch::pin();
        let table = self.table(&guard);
        let Some((i, node)) = Self::probe(table, hash, key) else {
            return false;
        };
        Self::bury(&table.slots[i], node, &mut counts, &guard);
        self.shrink(&mut counts, &rehash, &guard);
        true
    }

    /// Removes every series whose key `remove` accepts; how many.
    pub(crate) fn remove_where(
        &self,
        mut remove: impl FnMut(&K) -> bool,
        rehash: impl Fn(&K) -> u64,
    ) -> usize {
        let mut counts = self.writer.lock();
        let guard = epoch::pin();
        let table = self.table(&guard);
        let mut removed = 0;
        for slot in &table.slots {
            let node = slot.load(Ordering::Relaxed);
            if !holds_series(node) {
                continue;
            }
            // SAFETY: as in `probe`; the mutex keeps other writers out.
            if remove(unsafe { &(*node).key }) {
                // Counted at once: should `remove` panic on a later series,
                // the counts still match the table, so every probe ends.
                Self::bury(slot, node, &mut counts, &guard);
                removed += 1;
            }
        }
        self.shrink(&mut counts, &rehash, &guard);
        removed
    }

    /// Removes every series whose stamp `idle` accepts and that no handle
    /// ([`get`](Self::get)'s `Arc`) holds; how many. `removing` is called
    /// before each removal is published.
    pub(crate) fn remove_idle(
        &self,
        idle: impl Fn(u32) -> bool,
        rehash: impl Fn(&K) -> u64,
        removing: impl Fn(),
    ) -> usize {
        let mut counts = self.writer.lock();
        let guard = epoch::pin();
        let table = self.table(&guard);
        let mut removed = 0;
        for (slot, stamp) in table.slots.iter().zip(table.stamps.iter()) {
            let node = slot.load(Ordering::Relaxed);
            let seen = stamp.load(Ordering::Acquire);
            if !holds_series(node) || !idle(seen) {
                continue;
            }
            // SAFETY: as in `probe`; the mutex keeps other writers out, so
            // the table's reference keeps the series alive. The `Arc` made
            // here is not dropped: it only reads the count.
            let held =
                unsafe { Arc::strong_count(&std::mem::ManuallyDrop::new(Arc::from_raw(node))) };
            if held > 1 {
                continue; // a handle writes to it without stamping
            }
            removing();
            let claimed =
                stamp.compare_exchange(seen, REMOVING, Ordering::AcqRel, Ordering::Acquire);
            if claimed.is_err() {
                continue; // written meanwhile (see `find_stamped`): kept
            }
            Self::bury(slot, node, &mut counts, &guard);
            removed += 1;
        }
        self.shrink(&mut counts, &rehash, &guard);
        removed
    }

    /// How many series the shard holds.
    pub(crate) fn len(&self) -> usize {
        self.writer.lock().live
    }

    /// Calls `f` with every series, while one guard is pinned.
    pub(crate) fn for_each(&self, mut f: impl FnMut(&Node<K, V>)) {
        let guard = epoch::pin();
        for slot in &self.table(&guard).slots {
            let node = slot.load(Ordering::Acquire);
            if holds_series(node) {
                // SAFETY: as in `probe`.
                f(unsafe { &*node });
            }
        }
    }

    /// Removes `node`, the series `slot` holds: a tombstone in its place,
    /// the table's reference released later, the counts kept true. The
    /// caller holds the mutex.
    fn bury(
        slot: &AtomicPtr<Node<K, V>>,
        node: *mut Node<K, V>,
        counts: &mut Counts,
        guard: &Guard,
    ) {
        slot.store(tombstone(), Ordering::Release);
        Self::release_later(node, guard);
        counts.live -= 1;
        counts.tombstones += 1;
    }

    /// Releases the table's reference to a removed series once every
    /// thread pinned now has unpinned.
    fn release_later(node: *mut Node<K, V>, guard: &Guard) {
        let release = Released(node.cast_const());
        // SAFETY: the slot no longer holds `node`, so no reader pinned from
        // now on can reach it; the closure runs after every guard pinned
        // before this call is gone, and drops the reference the table got
        // from `Arc::into_raw`, once.
        unsafe {
            guard.defer_unchecked(move || {
                let release = release;
                drop(Arc::from_raw(release.0));
            });
        }
    }

    fn shrink(&self, counts: &mut Counts, rehash: &impl Fn(&K) -> u64, guard: &Guard) {
        let capacity = self.table(guard).slots.len();
        if capacity > SHRINK_ABOVE && counts.live * 8 < capacity {
            let live = counts.live;
            self.rebuild(counts, live, rehash, guard);
        }
    }

    /// Replaces the table by one holding its live series at most half
    /// full, without tombstones. The caller holds the mutex.
    fn rebuild<'g>(
        &self,
        counts: &mut Counts,
        live: usize,
        rehash: &impl Fn(&K) -> u64,
        guard: &'g Guard,
    ) -> &'g Table<K, V> {
        let old = self.table.load(Ordering::Relaxed, guard);
        let capacity = (live * 2).next_power_of_two().max(MIN_CAPACITY);
        let table = Table::new(capacity, self.stamped);
        let mask = table.mask();
        // SAFETY: the current table; see `table`.
        let old_table = unsafe { old.deref() };
        // Where each stamped series moved: (old slot, new slot).
        let mut moved = Vec::new();
        for (j, slot) in old_table.slots.iter().enumerate() {
            let node = slot.load(Ordering::Relaxed);
            if !holds_series(node) {
                continue;
            }
            // SAFETY: as in `probe`; the mutex keeps other writers out.
            #[allow(clippy::cast_possible_truncation)]
            let mut i = rehash(unsafe { &(*node).key }) as usize & mask;
            while !table.slots[i].load(Ordering::Relaxed).is_null() {
                i = (i + 1) & mask;
            }
            table.slots[i].store(node, Ordering::Relaxed);
            if self.stamped {
                moved.push((j, i));
            }
        }
        counts.tombstones = 0;
        let table = Owned::new(table).into_shared(guard);
        self.table.store(table, Ordering::Release);
        // Stamps move once the table is published: a write that swaps
        // `MOVED` out of an old stamp then finds the new table (see
        // `find_stamped`); one that swapped first has its stamp moved. A
        // write that reached the new table already keeps the newer stamp.
        // SAFETY: the table just published; see `table`.
        let new_table = unsafe { table.deref() };
        for (from, to) in moved {
            let stamp = old_table.stamps[from].swap(MOVED, Ordering::AcqRel);
            new_table.stamps[to].fetch_max(stamp, Ordering::AcqRel);
        }
        // SAFETY: new readers load the new table; those holding the old one
        // are pinned, and it is freed after they unpin. A table owns no
        // series (dropping it frees only its slots).
        unsafe {
            guard.defer_destroy(old);
        }
        // A rebuild is rare, so the thread's bag of deferred frees would
        // hold the old table until 63 more removals or rebuilds fill it:
        // hand it to the collector now, which frees it within a few hundred
        // pins (old tables add up to about the size of the live one).
        guard.flush();
        // SAFETY: the table just published; see `table`.
        unsafe { table.deref() }
    }
}

impl<K, V> Drop for Shard<K, V> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: no reader or writer of the shard is left.
        // Tables replaced earlier were handed to the collector and own no
        // series; removed series were too. The current table holds one
        // reference to each series it shows, released here.
        unsafe {
            let table = self
                .table
                .load(Ordering::Relaxed, epoch::unprotected())
                .into_owned();
            for slot in &table.slots {
                let node = slot.load(Ordering::Relaxed);
                if holds_series(node) {
                    drop(Arc::from_raw(node.cast_const()));
                }
            }
        }
    }
}

#[cfg(all(test, loom))]
mod tests {
    use super::*;
    use loom::cell::UnsafeCell;

    /// A value loom tracks: reading it without the write that made it
    /// happening before (a publication without `Release`/`Acquire`) is a
    /// data race loom reports.
    struct Value(UnsafeCell<u64>);

    // SAFETY: written once, before the series is published, then only read.
    unsafe impl Sync for Value {}

    impl Value {
        fn get(&self) -> u64 {
            // SAFETY: see the `Sync` impl; loom checks the ordering.
            self.0.with(|value| unsafe { *value })
        }
    }

    fn hash(key: &u64) -> u64 {
        // Every key in one probe sequence: the worst case for probing.
        *key & 1
    }

    fn node(key: u64) -> Arc<Node<u64, Value>> {
        Arc::new(Node {
            key,
            value: Value(UnsafeCell::new(key * 10)),
        })
    }

    /// A reader probing for series while a writer inserts three more (the
    /// third rebuilds the table) and removes the first: the reader sees
    /// each series whole, or not at all, and the shard ends consistent.
    #[test]
    fn readers_probe_while_a_writer_inserts_rebuilds_and_removes() {
        loom::model(|| {
            let shard = Arc::new(Shard::<u64, Value>::new());
            shard.insert(hash(&1), node(1), hash);
            let reader = {
                let shard = shard.clone();
                loom::thread::spawn(move || {
                    for key in [1u64, 4] {
                        let guard = epoch::pin();
                        if let Some(found) = shard.find(hash(&key), &key, &guard) {
                            assert_eq!(found.value.get(), key * 10);
                        }
                    }
                })
            };
            // The fourth series passes three quarters of four slots: the
            // table is rebuilt while the reader may be probing the old one.
            for key in 2..=4 {
                shard.insert(hash(&key), node(key), hash);
            }
            assert!(shard.remove(hash(&1), &1, hash));
            reader.join().unwrap();
            assert_eq!(shard.len(), 3);
            let guard = epoch::pin();
            assert!(shard.find(hash(&1), &1, &guard).is_none());
            let three = shard.find(hash(&3), &3, &guard).map(|n| n.value.get());
            assert_eq!(three, Some(30));
        });
    }

    /// A writer stamping an idle series while an expiry sweeps it: either
    /// the sweep sees the stamp and keeps the series, or the writer sees
    /// the series gone and writes nothing to it (`find_stamped` returns
    /// `None`). A series handed to the writer is never removed.
    #[test]
    fn a_write_racing_an_expiry_keeps_its_series() {
        loom::model(|| {
            let shard = Arc::new(Shard::<u64, Value>::with_stamps(true));
            shard.insert_with(hash(&1), &1, || Some(node(1)), 0, hash);
            let writer = {
                let shard = shard.clone();
                loom::thread::spawn(move || {
                    let guard = epoch::pin();
                    shard.find_stamped(hash(&1), &1, || 5, &guard).is_some()
                })
            };
            let removed = shard.remove_idle(|stamp| stamp < 3, hash, || {});
            let written = writer.join().unwrap();
            assert!(
                !(written && removed == 1),
                "a write went to a removed series"
            );
            let guard = epoch::pin();
            assert_eq!(shard.find(hash(&1), &1, &guard).is_some(), removed == 0);
        });
    }

    /// A writer stamping a series while inserts rebuild the table: the
    /// stamp reaches the table that stays.
    #[test]
    fn a_stamp_racing_a_rebuild_reaches_the_new_table() {
        loom::model(|| {
            let shard = Arc::new(Shard::<u64, Value>::with_stamps(true));
            shard.insert_with(hash(&1), &1, || Some(node(1)), 0, hash);
            shard.insert_with(hash(&2), &2, || Some(node(2)), 0, hash);
            let writer = {
                let shard = shard.clone();
                loom::thread::spawn(move || {
                    let guard = epoch::pin();
                    assert!(shard.find_stamped(hash(&1), &1, || 5, &guard).is_some());
                })
            };
            // The third series passes three quarters of four slots.
            shard.insert_with(hash(&3), &3, || Some(node(3)), 0, hash);
            writer.join().unwrap();
            // Idle means stamped before tick 5: the series written at 5 is kept.
            assert_eq!(shard.remove_idle(|stamp| stamp < 5, hash, || {}), 2);
            let guard = epoch::pin();
            assert!(shard.find(hash(&1), &1, &guard).is_some());
        });
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn node(key: u64) -> Arc<Node<u64, u64>> {
        Arc::new(Node { key, value: key })
    }

    #[test]
    fn series_come_and_go_through_rebuilds() {
        let shard = Shard::<u64, u64>::new();
        let hash = |key: &u64| key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for key in 0..1000 {
            shard.insert(hash(&key), node(key), hash);
        }
        assert_eq!(shard.len(), 1000);
        for key in (0..1000).step_by(2) {
            assert!(shard.remove(hash(&key), &key, hash));
            assert!(!shard.remove(hash(&key), &key, hash));
        }
        assert_eq!(shard.remove_where(|key| *key % 3 == 0, hash), 167);
        let guard = epoch::pin();
        for key in 0..1000u64 {
            let expected = key % 2 == 1 && key % 3 != 0;
            assert_eq!(
                shard.find(hash(&key), &key, &guard).is_some(),
                expected,
                "{key}"
            );
        }
        drop(guard);
        let mut seen = 0;
        shard.for_each(|_| seen += 1);
        assert_eq!(seen, shard.len());
        // A handle outlives its removal.
        let held = shard.get(hash(&1), &1).expect("present");
        assert!(shard.remove(hash(&1), &1, hash));
        assert_eq!(held.value, 1);
    }

    /// A predicate that panics half-way leaves counts that match the table:
    /// later insertions rebuild in time and every probe still ends.
    #[test]
    fn a_panicking_predicate_leaves_the_shard_usable() {
        let shard = Shard::<u64, u64>::new();
        let hash = |key: &u64| *key;
        for key in 0..24 {
            shard.insert(hash(&key), node(key), hash);
        }
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            shard.remove_where(
                |key| {
                    assert!(*key < 20, "predicate fails on {key}");
                    true
                },
                hash,
            )
        }));
        assert!(panicked.is_err());
        let left = shard.len();
        let mut seen = 0;
        shard.for_each(|_| seen += 1);
        assert_eq!(
            (seen, left),
            (4, 4),
            "the 20 removed before the panic are counted"
        );
        for key in 100..200 {
            shard.insert(hash(&key), node(key), hash);
        }
        assert_eq!(shard.len(), left + 100);
        let guard = epoch::pin();
        assert!(shard.find(hash(&150), &150, &guard).is_some());
        assert!(shard.find(hash(&5), &5, &guard).is_none());
    }
}
