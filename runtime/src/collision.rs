//! Keeps the helpers of plain `*Vec` fields out of other label sets' series.
//!
//! prometheus 0.14's `MetricVec` keys its children by an FNV-1a hash of the
//! label values written back to back, without separators, and keeps no other
//! key: `("ab", "c")` and `("a", "bc")` land on one child, as do worker 1 /
//! rank 23 and worker 12 / rank 3 (and any two label sets whose 64-bit hashes
//! happen to collide). The field is public, so anyone may have created that
//! child, reset the family or removed a series since a helper last looked.
//!
//! # How a helper knows it holds its own series
//!
//! A helper always asks the family for the child, exactly as hand-written
//! `with_label_values` does: it gets the child prometheus holds now, never a
//! detached one. Then it checks that child's label values against its own
//! arguments:
//!
//! - A child is identified by the address of its shared core, read from
//!   the child without a call into prometheus (`raw/series_identity.rs`
//!   says why and how). An address identifies a child only while the child
//!   lives, so every record holds a clone of its child: while the record
//!   exists, no other child can be given that address. (A family is
//!   identified by its descriptor's address, `desc()`, which allocates: only
//!   on cold paths.)
//! - The first time a child is seen, its label values are read from the
//!   child itself (`Metric::metric()`, which allocates: the cold path) and
//!   compared with the helper's arguments. Equal: a record *child address ->
//!   label values* is stored. Different: the helper returns
//!   [`Error::LabelCollision`] naming the values the child really holds, and
//!   writes nothing.
//! - A warm call finds the record among the 256 its thread used last (a
//!   thread-local set of 4 slots per address: no lock, no atomic operation)
//!   or else under the read lock of one of 64 shards, and compares the
//!   stored values with its arguments: no process-wide lock, no allocation.
//!   A thread's recent records hold their children alive like the shared
//!   ones, so a hit is as exact; up to 256 per thread may outlive their
//!   family's clean-up. Beside each recent record the thread keeps a copy
//!   of its child's address and label values (when they fit in 48 bytes,
//!   a length byte each and a count: one value of 46, which model names
//!   usually fit; BENCHMARKS.md, "Plain `*Vec` helpers", has the sizes
//!   measured), written
//!   and cleared with the record: the warm call compares its arguments with
//!   that copy, inline in the helper, and reads the record itself only when
//!   the values did not fit (or the family stamps its series for idle
//!   expiry).
//!
//! Cost, per warm increment of an `IntCounterVec` by
//! `(method, worker_id: u64)`, against hand-written
//! `with_label_values(&[method, &worker_id.to_string()])`: BENCHMARKS.md,
//! "Plain `*Vec` helpers (`vec_helper`)", which also has the design without
//! the thread-local records (shared map only): fewer instructions than
//! hand-written code but slower in wall time, as the shard's read lock
//! costs two atomic operations per call.
//!
//! So a helper writes into a child only after that very child (kept alive,
//! so not an impostor at a reused address) was shown to carry the helper's
//! label values, whatever went through the public field before: a child the
//! field created for colliding values is refused; after `reset()` or
//! `remove_label_values()` the family hands out a new child, which is
//! checked afresh. (A call racing the field's own `reset` can write into the
//! child just detached, as hand-written code can.)
//!
//! # Memory
//!
//! Each family's records are indexed by label values (one record per label
//! values: a newer child for the same values replaces the older one, which
//! prometheus no longer holds, since it holds one child per hash), in a
//! table of its own, sharded so that no insert rehashes more than an eighth
//! of it. The table goes with its group: the derive generates a `Drop` for
//! every group with a plain `*Vec` field, which calls [`forget`] for each
//! such family (and the runtime also drops the records a dropped family left
//! when it builds a family at the same descriptor address).
//!
//! Series the public field removed are not seen by the helpers. While a
//! family's records number at most [`PRUNE_MAX_RECORDS`], once they have
//! grown by half (plus 64) since the last clean-up, the family is collected
//! (`collect()`, as a scrape does), outside every lock of this module and by
//! one thread at a time (the others go on), and records for label values it
//! no longer holds are dropped with their clones: the records of a small
//! family stay below 1.5 times its series plus 64, and the clean-up's cost
//! per new record is constant. A larger family is never collected by a
//! helper that inserts: a collect reads every series under prometheus'
//! lock, which every insert into the family then waits for (RELIABILITY.md,
//! `Helpers never wait behind a whole-family scan`). Its records go when a
//! helper removes their series, when a helper sees a newer child for their
//! values, or with the group.
//! (Until then a record's clone keeps a child the field removed alive:
//! `tests/test_vec_memory.rs` measures what that costs.)
//!
//! # Removal
//!
//! A helper removes only a series it has shown to hold its label values.
//! prometheus has no read that does not create, so: if the helpers hold a
//! record for these values, the family is asked for the child; when it hands
//! back the recorded child the series existed and is removed. Otherwise the
//! family is collected (a read that creates nothing) and the series is
//! removed only if a child with exactly these values is there: removing
//! label values no helper recorded (series the field created, or whose
//! record a clean-up dropped) is the one helper call that still reads the
//! whole family.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use foldhash::fast::FixedState;
use metric_group_rules::OVERFLOW_LABEL;
use prometheus::core::{Collector, Desc, Metric};
use prometheus::proto;

use crate::clock;
use crate::defaults::{DEFAULT_MAX_LABEL_LEN, DEFAULT_MAX_SERIES};
use crate::exemplar::BucketExemplars;
use crate::prom::{family_name, lock, Labelled};
use crate::raw::series_identity::SeriesIdentity;
use crate::Error;

const SHARDS: usize = 64;

/// Shards of one family's records by label values: an insert that grows its
/// shard rehashes at most about an eighth of the family's records.
const VALUE_SHARDS: usize = 8;

/// Above this many records a family is never collected by a helper (module
/// doc, `# Memory`).
pub(crate) const PRUNE_MAX_RECORDS: usize = 4096;

const FIRST_COLLECT_ABOVE: usize = 64;

/// Label values as stored in a record.
type Values = Box<[Box<str>]>;

/// A child some helper has checked.
struct Record {
    /// The child's identity (`SeriesIdentity`: the address of its core).
    address: usize,
    values: Values,
    /// Whether its family has idle expiry, and the tick a helper last
    /// wrote to it at (`clock.rs`).
    stamped: bool,
    stamp: AtomicU32,
    /// No longer kept (the shared map forgot it: the series was removed or
    /// its group dropped), while a thread's recent slots may still hold
    /// it: an exemplar recorded there no scrape would find.
    forgotten: AtomicBool,
    /// A clone of the child: keeps its address from being reused while the
    /// record exists.
    _child: Box<dyn Any + Send + Sync>,
    /// A histogram series' exemplars, allocated with its first
    /// (`exemplar.rs`); they go with the record.
    exemplars: OnceLock<Arc<BucketExemplars>>,
}

/// One shard of a family's records: label values -> the child address
/// recorded for them.
#[derive(Default)]
struct ValueShard {
    by_values: HashMap<Values, usize, FixedState>,
    /// The family was forgotten: nothing is recorded here any more.
    retired: bool,
}

/// The limits of one `*Vec` family, as its helpers apply them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct VecLimits {
    pub max_series: usize,
    pub max_label_len: usize,
    /// In ticks of the coarse clock.
    pub expire_after: Option<u32>,
}

impl Default for VecLimits {
    fn default() -> Self {
        VecLimits {
            max_series: DEFAULT_MAX_SERIES,
            max_label_len: DEFAULT_MAX_LABEL_LEN,
            expire_after: None,
        }
    }
}

/// The records of one family.
#[derive(Default)]
struct FamilyRecords {
    shards: [Mutex<ValueShard>; VALUE_SHARDS],
    /// How many records the shards hold: the label sets the helpers hold
    /// series for, counted against `limits.max_series`.
    count: AtomicUsize,
    limits: VecLimits,
    /// Helper calls sent to the overflow series.
    overflowed: AtomicU64,
    /// Series removed by idle expiry.
    expired: AtomicU64,
    /// Keeps the coarse clock ticking for a family with idle expiry.
    _clock: Option<clock::ClockUser>,
    /// Collect when there are more records than this (and at most
    /// `PRUNE_MAX_RECORDS`).
    collect_above: AtomicUsize,
    /// Held by the one thread collecting the family.
    pruning: Mutex<()>,
}

impl FamilyRecords {
    fn new(limits: VecLimits) -> Self {
        let records = FamilyRecords {
            limits,
            _clock: limits.expire_after.map(|_| clock::ClockUser::new()),
            ..FamilyRecords::default()
        };
        records
            .collect_above
            .store(FIRST_COLLECT_ABOVE, Ordering::Relaxed);
        records
    }

    fn shard(&self, values: &[&str]) -> &Mutex<ValueShard> {
        let hash = FixedState::default().hash_one(values);
        &self.shards[(hash >> 61) as usize % VALUE_SHARDS]
    }

    /// Calls `f` with each label set's values, its child's address and the
    /// child's record, holding one value shard's lock at a time.
    fn each_record(&self, mut f: impl FnMut(&Values, usize, &Record)) {
        for value_shard in &self.shards {
            let value_shard = lock(value_shard);
            for (values, child_address) in &value_shard.by_values {
                if let Some(record) = shared_record(*child_address) {
                    f(values, *child_address, &record);
                }
            }
        }
    }

    /// Drops every record and refuses new ones: the family is gone.
    fn retire(&self) {
        for shard in &self.shards {
            let mut shard = lock(shard);
            shard.retired = true;
            for (_, child_address) in shard.by_values.drain() {
                forget_child(child_address);
            }
        }
        self.count.store(0, Ordering::Relaxed);
    }
}

/// One shard of the child records, by child address.
type ChildRecords = HashMap<usize, Arc<Record>, FixedState>;

/// One shard of the families' records, by family descriptor address.
type FamilyShard = HashMap<usize, Arc<FamilyRecords>, FixedState>;

struct Records {
    /// Child address -> record. The only structure a warm call reads.
    children: Box<[RwLock<ChildRecords>]>,
    /// Family descriptor address -> that family's records. Read on cold
    /// paths; written when a family gets its first record or is forgotten.
    /// Locked before a family's shards, which are locked before `children`.
    families: Box<[RwLock<FamilyShard>]>,
}

fn records() -> &'static Records {
    static RECORDS: OnceLock<Records> = OnceLock::new();
    RECORDS.get_or_init(|| Records {
        children: (0..SHARDS).map(|_| RwLock::default()).collect(),
        families: (0..SHARDS).map(|_| RwLock::default()).collect(),
    })
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Fibonacci hashing of an address: child cores are heap blocks a few
/// cache lines apart, so their low bits alone would crowd.
#[inline]
fn spread(address: usize) -> u64 {
    (address as u64 >> 4).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The shard of `records().children` an address belongs to.
// The shift keeps only as many bits as `SHARDS` has slots for: the value
// fits any `usize`.
#[allow(clippy::cast_possible_truncation)]
#[inline]
fn shard(address: usize) -> usize {
    (spread(address) >> (64 - SHARDS.trailing_zeros())) as usize
}

/// The first of the `WAYS` slots of a thread's recent records an address
/// may occupy.
// The shift keeps only as many bits as `RECENT` has slots for: the value
// fits any `usize`.
#[allow(clippy::cast_possible_truncation)]
#[inline]
fn recent_set(address: usize) -> usize {
    (spread(address) >> (64 - RECENT.trailing_zeros())) as usize & !(WAYS - 1)
}

/// The address of a collector's (first) descriptor: a family's identity.
/// `desc()` allocates its one-element `Vec` (unless inlined and optimised
/// away): never on a warm helper call.
fn address<C: Collector + ?Sized>(collector: &C) -> usize {
    collector
        .desc()
        .first()
        .map_or(0, |desc| std::ptr::from_ref::<Desc>(*desc) as usize)
}

/// The shortest `max_label_len` of any `*Vec` family built: helper calls
/// with no longer value skip looking their family's limit up.
static SHORTEST_LABEL_LIMIT: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_LABEL_LEN);

/// The records of the family at `family_address`, created if asked.
fn family_records(family_address: usize, create: bool) -> Option<Arc<FamilyRecords>> {
    let families = &records().families[shard(family_address)];
    if let Some(found) = read(families).get(&family_address) {
        return Some(found.clone());
    }
    if !create {
        return None;
    }
    Some(
        write(families)
            .entry(family_address)
            .or_insert_with(|| Arc::new(FamilyRecords::new(VecLimits::default())))
            .clone(),
    )
}

#[inline]
fn same<S: AsRef<str>>(stored: &[S], values: &[&str]) -> bool {
    stored.len() == values.len()
        && stored
            .iter()
            .zip(values)
            .all(|(a, b)| same_value(a.as_ref().as_bytes(), b.as_bytes()))
}

/// `to.copy_from_slice(from)` (of equal lengths) a word at a time inline,
/// as [`same_value`] compares: `copy_from_slice` calls `memcpy` for a
/// length not known at compile time.
#[inline]
fn copy_value(to: &mut [u8], from: &[u8]) {
    /// Copies `N` bytes at `at` (which the caller keeps in bounds).
    #[inline]
    fn copy<const N: usize>(to: &mut [u8], from: &[u8], at: usize) {
        if let (Some(to), Some(from)) = (
            to[at..].first_chunk_mut::<N>(),
            from[at..].first_chunk::<N>(),
        ) {
            *to = *from;
        }
    }
    let len = from.len();
    if len != to.len() {
        return;
    }
    if len >= 8 {
        let mut at = 0;
        while at + 8 < len {
            copy::<8>(to, from, at);
            at += 8;
        }
        copy::<8>(to, from, len - 8);
    } else if len >= 4 {
        copy::<4>(to, from, 0);
        copy::<4>(to, from, len - 4);
    } else {
        for (to, from) in to.iter_mut().zip(from) {
            *to = *from;
        }
    }
}

/// `a == b`, compared a word at a time inline: `==` on byte slices calls
/// `memcmp`, whose call cost a warm helper call more than the rest of its
/// check (BENCHMARKS.md, "Plain `*Vec` helpers", `vec_histogram`). Label
/// values are short: most take one or two loads per side.
#[inline]
fn same_value(a: &[u8], b: &[u8]) -> bool {
    /// The `N` bytes of `bytes` from `at` (which the callers keep in bounds).
    #[inline]
    fn chunk<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
        bytes[at..].first_chunk::<N>().copied().unwrap_or([0; N])
    }
    let len = a.len();
    if len != b.len() {
        return false;
    }
    // Two tests of the length to any case.
    if len < 8 {
        if len < 4 {
            // The first, middle and last bytes: all of them at these
            // lengths.
            len == 0 || (a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1])
        } else {
            // The first four bytes and the last four (which may overlap).
            chunk::<4>(a, 0) == chunk::<4>(b, 0) && chunk::<4>(a, len - 4) == chunk::<4>(b, len - 4)
        }
    } else if len <= 16 {
        // The first eight bytes and the last eight: no loop for most values.
        chunk::<8>(a, 0) == chunk::<8>(b, 0) && chunk::<8>(a, len - 8) == chunk::<8>(b, len - 8)
    } else {
        // Every whole word, then the last eight bytes.
        let mut at = 0;
        while at + 8 < len {
            if chunk::<8>(a, at) != chunk::<8>(b, at) {
                return false;
            }
            at += 8;
        }
        chunk::<8>(a, len - 8) == chunk::<8>(b, len - 8)
    }
}

fn owned(values: &[&str]) -> Values {
    values.iter().map(|value| Box::from(*value)).collect()
}

fn collision<S: AsRef<str>>(family: &dyn Collector, existing: &[S], values: &[&str]) -> Error {
    Error::LabelCollision {
        metric: family_name(family),
        existing: existing.iter().map(|v| v.as_ref().to_owned()).collect(),
        requested: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

/// Called for every `*Vec` the runtime builds: whatever records a dropped
/// family left at this descriptor address go, and the family's limits
/// are kept for its helpers.
pub(crate) fn track(family: &dyn Collector, limits: VecLimits) {
    let family_address = address(family);
    forget_address(family_address);
    SHORTEST_LABEL_LIMIT.fetch_min(limits.max_label_len, Ordering::Relaxed);
    write(&records().families[shard(family_address)])
        .insert(family_address, Arc::new(FamilyRecords::new(limits)));
}

/// Whether a helper call for `values` may go to the family's overflow
/// series before any series is made for it ([`overflows_at_once`] says):
/// some value longer than the shortest limit of any family. No other call
/// is made before the family is asked for the series. (Values all the
/// overflow series' own are not looked at here: asking for them makes no
/// series but the overflow one, no record holds them, so the check misses
/// and [`overflows_at_once`] is asked after it.)
#[allow(clippy::inline_always)]
#[inline(always)]
pub(crate) fn may_overflow_at_once(values: &[&str]) -> bool {
    let shortest = SHORTEST_LABEL_LIMIT.load(Ordering::Relaxed);
    values.iter().any(|value| value.len() > shortest)
}

/// Whether a helper call for `values` goes to the family's overflow
/// series: a value longer than the family's limit, or every value the
/// overflow series' own.
pub(crate) fn overflows_at_once<V: Labelled>(family: &V, values: &[&str]) -> bool {
    let all_overflow = !values.is_empty() && values.iter().all(|value| *value == OVERFLOW_LABEL);
    if !all_overflow && !may_overflow_at_once(values) {
        return false;
    }
    let limits = family_records(address(family), false)
        .map_or_else(VecLimits::default, |records| records.limits);
    let over = all_overflow
        || values
            .iter()
            .any(|value| value.len() > limits.max_label_len);
    if over {
        note_overflow(family);
    }
    over
}

fn note_overflow(family: &dyn Collector) {
    if let Some(records) = family_records(address(family), false) {
        records.overflowed.fetch_add(1, Ordering::Relaxed);
    }
}

/// What a helper found for its label values.
pub(crate) enum Admitted {
    /// The child carries them: write to it.
    Own,
    /// The family holds its budget of series (the child was just made for
    /// these values, and is removed again): write to the overflow series.
    Overflow,
}

/// Helper calls sent to the overflow series of `family`, and series its
/// idle expiry removed.
pub(crate) fn counts(family: &dyn Collector) -> (u64, u64) {
    family_records(address(family), false).map_or((0, 0), |records| {
        (
            records.overflowed.load(Ordering::Relaxed),
            records.expired.load(Ordering::Relaxed),
        )
    })
}

/// Drops every record of `family` (and the children they keep alive). The
/// generated `Drop` of a group calls this for each plain `*Vec` field;
/// calling it for a family still in use only costs its next helper calls
/// a cold path each.
pub(crate) fn forget(family: &dyn Collector) {
    forget_address(address(family));
}

fn forget_address(family_address: usize) {
    let old = write(&records().families[shard(family_address)]).remove(&family_address);
    if let Some(old) = old {
        old.retire();
    }
}

fn forget_child(child_address: usize) {
    let forgotten = write(&records().children[shard(child_address)]).remove(&child_address);
    if let Some(record) = forgotten {
        record.forgotten.store(true, Ordering::Relaxed);
    }
}

/// How many records each thread keeps at hand, in sets of `WAYS` slots (a
/// record may sit in any slot of its set, so up to `WAYS` addresses that
/// map to one set do not evict each other).
const RECENT: usize = 256;

/// The slots of a set: with 2 (pairs), 64 label sets used in turn missed
/// about one call in ten (three addresses in one pair evict each other);
/// BENCHMARKS.md, "Plain `*Vec` helpers".
const WAYS: usize = 4;

thread_local! {
    /// Records this thread used lately, by child address: a hit takes no
    /// lock and touches no shared cache line. Each holds its child alive as
    /// the shared record does, so a hit is as exact; at most `RECENT` per
    /// thread outlive their family's clean-up.
    static RECENT_RECORDS: RefCell<RecentRecords> =
        const { RefCell::new(RecentRecords([const { None }; RECENT])) };

    /// What a warm call checks of each of `RECENT_RECORDS`, by value, slot
    /// for slot: the child's address and its label values (when short
    /// enough). Plain `Cell`s with no destructor: reading them needs no
    /// borrow and no check of the thread-local's state, so the check is
    /// small enough to be inlined in every helper (BENCHMARKS.md, "Plain
    /// `*Vec` helpers"). A key describes the record in the same slot of
    /// `RECENT_RECORDS`, which holds its child alive: both are written
    /// together ([`keep_recent`]), and the keys are cleared when the
    /// records go ([`RecentRecords`]'s `Drop`).
    static RECENT_KEYS: [Cell<RecentKey>; RECENT] =
        const { [const { Cell::new(RecentKey::EMPTY) }; RECENT] };
}

/// A thread's recent records.
struct RecentRecords([Option<Arc<Record>>; RECENT]);

impl Drop for RecentRecords {
    fn drop(&mut self) {
        // The keys must not outlive the records that hold their children
        // alive (an address may be reused once its child is freed).
        let _ = RECENT_KEYS.try_with(|keys| {
            for key in keys {
                key.set(RecentKey::EMPTY);
            }
        });
    }
}

/// How many bytes of label values a [`RecentKey`] holds: their count, then
/// each value's length and bytes. 48 rather than 32 keeps 38-byte model
/// names on the inline path for 2 instructions on short values
/// (BENCHMARKS.md, "Plain `*Vec` helpers").
const KEY_BYTES: usize = 48;

/// A recent record's child address and label values, by value.
#[derive(Clone, Copy)]
struct RecentKey {
    /// The child's identity; 0 for an empty slot.
    address: usize,
    /// The number of values, then for each its length and its bytes; or
    /// first [`UNKEYED`](Self::UNKEYED) when the record's values do not fit
    /// or a hit must stamp it (idle expiry): `admit` reads the record.
    values: [u8; KEY_BYTES],
}

impl RecentKey {
    const EMPTY: RecentKey = RecentKey {
        address: 0,
        values: [0; KEY_BYTES],
    };

    /// The first byte of a key that holds no values.
    const UNKEYED: u8 = u8::MAX;

    /// The key of `record`.
    fn of(record: &Record) -> RecentKey {
        let mut key = RecentKey {
            address: record.address,
            values: [0; KEY_BYTES],
        };
        key.values[0] = RecentKey::UNKEYED;
        if record.stamped {
            return key;
        }
        let Some(count) = u8::try_from(record.values.len())
            .ok()
            .filter(|count| *count != RecentKey::UNKEYED)
        else {
            return key;
        };
        let mut at = 1;
        for value in &record.values {
            let end = at + 1 + value.len();
            let (Ok(len), Some(bytes)) =
                (u8::try_from(value.len()), key.values.get_mut(at + 1..end))
            else {
                key.values[0] = RecentKey::UNKEYED;
                return key;
            };
            copy_value(bytes, value.as_bytes());
            key.values[at] = len;
            at = end;
        }
        key.values[0] = count;
        key
    }

    /// Whether the key holds exactly `values`.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn holds(&self, values: &[&str]) -> bool {
        if self.values[0] == RecentKey::UNKEYED || usize::from(self.values[0]) != values.len() {
            return false;
        }
        let mut at = 1;
        for value in values {
            let len = value.len();
            if self
                .values
                .get(at)
                .map(|stored_len| usize::from(*stored_len))
                != Some(len)
            {
                return false;
            }
            let end = at + 1 + len;
            match self.values.get(at + 1..end) {
                Some(stored) if same_value(stored, value.as_bytes()) => {}
                _ => return false,
            }
            at = end;
        }
        true
    }
}

/// Whether this thread's recent records hold `child` with exactly
/// `values`: by its key, the warm call's whole check, small enough to be
/// inlined in every helper; for a record without a key, by the record,
/// out of line. `false` sends the call to [`admit`].
#[allow(clippy::inline_always)]
#[inline(always)]
pub(crate) fn admitted_recently<C: SeriesIdentity>(child: &C, values: &[&str]) -> bool {
    let address = child.identity();
    let set = recent_set(address);
    let key = RECENT_KEYS.try_with(|keys| {
        keys[set..set + WAYS]
            .iter()
            .map(Cell::get)
            .find(|key| key.address == address)
    });
    match key {
        // Values too long for a key, or a record to stamp: the record
        // itself, out of line (tested after the key, which is then a miss).
        Ok(Some(key)) => {
            key.holds(values)
                || (key.values[0] == RecentKey::UNKEYED && recent_hit(address, set, values))
        }
        _ => false,
    }
}

/// Whether this thread's recent records hold the child at `child_address`
/// with exactly `values`, read from the records themselves (for those
/// without a key: long values, or records to stamp).
#[inline(never)]
fn recent_hit(child_address: usize, set: usize, values: &[&str]) -> bool {
    let recent = RECENT_RECORDS.try_with(|recent| {
        let recent = recent.try_borrow().ok()?;
        recent.0[set..set + WAYS]
            .iter()
            .flatten()
            .find(|record| record.address == child_address)
            .map(|record| {
                record.touch();
                same(&record.values, values)
            })
    });
    matches!(recent, Ok(Some(true)))
}

impl Record {
    /// Stamps the record with the clock's tick, once per tick, in a
    /// family with idle expiry.
    #[inline]
    fn touch(&self) {
        if self.stamped {
            let now = clock::now();
            if self.stamp.load(Ordering::Relaxed) != now {
                self.stamp.store(now, Ordering::Relaxed);
            }
        }
    }
}

/// `Ok` if `child`, which `family` handed out for `values`, carries exactly
/// `values`; the collision otherwise. For a child [`admitted_recently`]
/// did not find (its callers ask that first, keyed or not): the shared
/// record, or the child itself.
pub(crate) fn admit<V: Labelled>(
    family: &V,
    child: &V::Child,
    values: &[&str],
) -> Result<Admitted, Error> {
    let child_address = child.identity();
    let Some(record) = shared_record(child_address) else {
        return admit_new(family, child, child_address, values);
    };
    if !same(&record.values, values) {
        return Err(collision(family, &record.values, values));
    }
    record.touch();
    keep_recent(recent_set(child_address), record);
    Ok(Admitted::Own)
}

/// The record kept for the child (or plain series) at `address`.
fn shared_record(address: usize) -> Option<Arc<Record>> {
    read(&records().children[shard(address)])
        .get(&address)
        .cloned()
}

/// Puts `record` first in this thread's slots `set`; whether it could (not
/// while the thread is torn down, or the slots are borrowed).
fn keep_recent(set: usize, record: Arc<Record>) -> bool {
    let key = RecentKey::of(&record);
    RECENT_KEYS
        .try_with(|keys| {
            RECENT_RECORDS.try_with(|recent| {
                let mut recent = recent.try_borrow_mut().ok()?;
                // Most recent first: the oldest of the set is evicted, and
                // dropped after the borrow ends (the last reference to a
                // record drops its series). The keys move with their
                // records.
                let slots = &mut recent.0[set..set + WAYS];
                slots.rotate_right(1);
                let evicted = slots[0].replace(record);
                let keys = &keys[set..set + WAYS];
                for way in (1..WAYS).rev() {
                    keys[way].set(keys[way - 1].get());
                }
                keys[0].set(key);
                Some(evicted)
            })
        })
        .ok()
        .and_then(Result::ok)
        .flatten()
        // The evicted record (`Some(evicted)`, the borrow ended) dropped here.
        .is_some()
}

/// A child no helper has checked yet: read its label values from the child.
#[cold]
#[inline(never)]
fn admit_new<V: Labelled>(
    family: &V,
    child: &V::Child,
    child_address: usize,
    values: &[&str],
) -> Result<Admitted, Error> {
    let actual = child_values(family, &child.metric());
    if !same(&actual, values) {
        return Err(collision(family, &actual, values));
    }
    let Some(family_records) = family_records(address(family), true) else {
        return Ok(Admitted::Own);
    };
    let limits = family_records.limits;
    if values
        .iter()
        .any(|value| value.len() > limits.max_label_len)
    {
        family.remove_child(values);
        family_records.overflowed.fetch_add(1, Ordering::Relaxed);
        return Ok(Admitted::Overflow);
    }
    // Allocated before any lock is taken.
    let owned_values = owned(values);
    let record = Arc::new(Record {
        address: child_address,
        values: owned_values.clone(),
        stamped: limits.expire_after.is_some(),
        stamp: AtomicU32::new(clock::now()),
        forgotten: AtomicBool::new(false),
        _child: Box::new(child.clone()),
        exemplars: OnceLock::new(),
    });
    {
        let mut value_shard = lock(family_records.shard(values));
        if value_shard.retired {
            // Forgotten meanwhile (its group was dropped while a clone of it
            // was still in use): checked, not recorded.
            return Ok(Admitted::Own);
        }
        let recorded = value_shard.by_values.contains_key(&owned_values);
        if !recorded && family_records.count.load(Ordering::Relaxed) >= limits.max_series {
            // Made by this very call for values the family has no room
            // for: taken out again before any write.
            drop(value_shard);
            family.remove_child(values);
            family_records.overflowed.fetch_add(1, Ordering::Relaxed);
            return Ok(Admitted::Overflow);
        }
        match value_shard.by_values.insert(owned_values, child_address) {
            // prometheus holds one child per hash, and this one holds the
            // hash now: the older child is detached.
            Some(older) if older != child_address => forget_child(older),
            Some(_) => {}
            None => {
                family_records.count.fetch_add(1, Ordering::Relaxed);
            }
        }
        write(&records().children[shard(child_address)]).insert(child_address, record);
    }
    prune(family, &family_records);
    Ok(Admitted::Own)
}

/// Removes the series of `family` that no helper wrote to for its
/// `expire_after` (none without it); how many. A write racing the removal
/// of its idle series may land in the series removed (as a write racing
/// `remove_<field>` does): prometheus cannot take a child back.
pub(crate) fn expire<V: Labelled>(family: &V) -> usize {
    let Some(family_records) = family_records(address(family), false) else {
        return 0;
    };
    let Some(after) = family_records.limits.expire_after else {
        return 0;
    };
    let now = clock::refresh();
    let mut idle: Vec<(Values, usize)> = Vec::new();
    family_records.each_record(|values, child_address, record| {
        if clock::idle(now, record.stamp.load(Ordering::Relaxed), after) {
            idle.push((values.clone(), child_address));
        }
    });
    let mut removed = 0;
    for (values, child_address) in idle {
        let strs: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
        let mut value_shard = lock(family_records.shard(&strs));
        if value_shard.by_values.get(&values) != Some(&child_address) {
            continue; // replaced or removed meanwhile
        }
        value_shard.by_values.remove(&values);
        drop(value_shard);
        forget_child(child_address);
        family_records.count.fetch_sub(1, Ordering::Relaxed);
        if family.remove_child(&strs) {
            removed += 1;
        }
    }
    family_records
        .expired
        .fetch_add(removed as u64, Ordering::Relaxed);
    removed
}

/// Drops the records of series `family` no longer holds, when they have
/// grown by half since the last clean-up and the family is small (module
/// doc, `# Memory`). Holds no lock of this module while collecting.
fn prune(family: &dyn Collector, family_records: &FamilyRecords) {
    let count = family_records.count.load(Ordering::Relaxed);
    if count <= family_records.collect_above.load(Ordering::Relaxed) || count > PRUNE_MAX_RECORDS {
        return;
    }
    // One thread collects; the others go on.
    let Ok(_pruning) = family_records.pruning.try_lock() else {
        return;
    };
    let live = live_values(family);
    for shard in &family_records.shards {
        let mut shard = lock(shard);
        shard.by_values.retain(|values, child_address| {
            // A record added since the collect is dropped too: records are
            // only a cache of checks, the next call checks the child again.
            let keep = live.contains(values);
            if !keep {
                forget_child(*child_address);
                family_records.count.fetch_sub(1, Ordering::Relaxed);
            }
            keep
        });
    }
    let series = live.len();
    family_records
        .collect_above
        .store(FIRST_COLLECT_ABOVE + series + series / 2, Ordering::Relaxed);
}

/// A child's variable label values, in the family's label order.
fn child_values(family: &dyn Collector, metric: &proto::Metric) -> Vec<String> {
    let names = family
        .desc()
        .first()
        .map_or(&[][..], |desc| &desc.variable_labels[..]);
    names
        .iter()
        .map(|name| {
            metric
                .get_label()
                .iter()
                .find(|pair| pair.name() == name)
                .map_or_else(String::new, |pair| pair.value().to_owned())
        })
        .collect()
}

/// The label values of every series the family holds now, read without
/// creating any.
fn live_values(family: &dyn Collector) -> HashSet<Values> {
    family
        .collect()
        .iter()
        .flat_map(proto::MetricFamily::get_metric)
        .map(|metric| {
            child_values(family, metric)
                .into_iter()
                .map(String::into_boxed_str)
                .collect()
        })
        .collect()
}

/// Removes the series of `family` for `values` if it holds exactly these
/// values; whether it was there.
pub(crate) fn remove<V: Labelled>(family: &V, values: &[&str]) -> bool {
    let family_records = family_records(address(family), false);
    let recorded = family_records.as_ref().and_then(|family_records| {
        lock(family_records.shard(values))
            .by_values
            .get(&owned(values))
            .copied()
    });
    let holds_values = match recorded {
        // The helpers recorded a child for these values: if the family still
        // hands it out, asking created nothing.
        Some(recorded) => match family.child(values) {
            Ok(child) if child.identity() == recorded => true,
            // The field removed or replaced it since; a series the family
            // hands out now for these values is removed only if it carries
            // them (it may have been created by this very request).
            Ok(child) => same(&child_values(family, &child.metric()), values),
            Err(_) => false,
        },
        None => live_values(family).contains(&owned(values)),
    };
    if !holds_values {
        return false;
    }
    let removed = family.remove_child(values);
    if let Some(family_records) = family_records {
        let mut value_shard = lock(family_records.shard(values));
        if let Some(child_address) = value_shard.by_values.remove(&owned(values)) {
            forget_child(child_address);
            family_records.count.fetch_sub(1, Ordering::Relaxed);
        }
    }
    removed
}

/// Keeps a record for a plain histogram (a group's unlabelled `Histogram`
/// field), so that its exemplars have a place: called when the group's
/// collectors are made, as often as they are; the group's `Drop` forgets it
/// ([`forget_series`]).
pub(crate) fn track_series<C: SeriesIdentity + Clone + Send + Sync + 'static>(series: &C) {
    let address = series.identity();
    let children = &records().children[shard(address)];
    if read(children).contains_key(&address) {
        return;
    }
    write(children).entry(address).or_insert_with(|| {
        Arc::new(Record {
            address,
            values: Box::new([]),
            stamped: false,
            stamp: AtomicU32::new(0),
            forgotten: AtomicBool::new(false),
            _child: Box::new(series.clone()),
            exemplars: OnceLock::new(),
        })
    });
}

/// Drops the record [`track_series`] kept.
pub(crate) fn forget_series<C: SeriesIdentity>(series: &C) {
    forget_child(series.identity());
}

/// Calls `f` with the exemplars of `series` (created with its bounds,
/// read from the series, the first time): `false` when no record is kept
/// for it (a series no helper admitted, or a histogram no group holds),
/// whose exemplars no scrape could show.
#[inline]
pub(crate) fn with_exemplars<C: SeriesIdentity + Metric>(
    series: &C,
    f: impl FnOnce(&BucketExemplars),
) -> bool {
    let address = series.identity();
    let set = recent_set(address);
    let mut f = Some(f);
    // `f` is called from one hot place: a miss brings the record into this
    // thread's slots and looks again, so `f` (an exemplar's whole record)
    // is inlined once (BENCHMARKS.md, "Exemplars").
    for _ in 0..2 {
        let recent = RECENT_RECORDS.try_with(|recent| {
            let recent = recent.try_borrow().ok()?;
            let record = recent.0[set..set + WAYS]
                .iter()
                .flatten()
                .find(|record| record.address == address)?;
            if record.forgotten.load(Ordering::Relaxed) {
                return None;
            }
            (f.take()?)(exemplars_of(record, series));
            Some(())
        });
        if let Ok(Some(())) = recent {
            return true;
        }
        if f.is_none() || !remember_record(address, set) {
            break;
        }
    }
    match f {
        Some(f) => with_shared_record(series, f),
        None => true,
    }
}

/// Brings the record kept for the series at `address` into this thread's
/// slots `set`: `false` when none is kept, or the slots cannot be
/// written (the thread being torn down, or a slot borrowed).
#[cold]
#[inline(never)]
fn remember_record(address: usize, set: usize) -> bool {
    shared_record(address).is_some_and(|record| keep_recent(set, record))
}

/// [`with_exemplars`] without this thread's slots, from the shared record.
#[cold]
#[inline(never)]
fn with_shared_record<C: SeriesIdentity + Metric>(
    series: &C,
    f: impl FnOnce(&BucketExemplars),
) -> bool {
    let Some(record) = shared_record(series.identity()) else {
        return false;
    };
    f(exemplars_of(&record, series));
    true
}

/// The record's exemplars, made with the bounds `series` reports the
/// first time.
fn exemplars_of<'a, C: Metric>(record: &'a Record, series: &C) -> &'a BucketExemplars {
    record.exemplars.get_or_init(|| {
        let bounds = series
            .metric()
            .get_histogram()
            .get_bucket()
            .iter()
            .map(proto::Bucket::upper_bound)
            .filter(|bound| bound.is_finite())
            .collect::<Vec<f64>>();
        Arc::new(BucketExemplars::new(&bounds))
    })
}

/// The exemplars of a plain histogram, if it recorded any.
pub(crate) fn series_exemplars<C: SeriesIdentity>(series: &C) -> Option<Arc<BucketExemplars>> {
    shared_record(series.identity())?
        .exemplars
        .get()
        .filter(|exemplars| exemplars.any())
        .cloned()
}

/// For each of `metrics` (series `family` returned from `collect`), the
/// exemplars its record holds; `None` when no series of the family holds
/// any (the common case, settled without reading the metrics).
pub(crate) fn family_exemplars(
    family: &dyn Collector,
    metrics: &[proto::Metric],
) -> Option<Vec<Option<Arc<BucketExemplars>>>> {
    let family_records = family_records(address(family), false)?;
    let mut by_values: HashMap<Values, Arc<BucketExemplars>> = HashMap::new();
    family_records.each_record(|values, _, record| {
        if let Some(exemplars) = record.exemplars.get().filter(|exemplars| exemplars.any()) {
            by_values.insert(values.clone(), exemplars.clone());
        }
    });
    if by_values.is_empty() {
        return None;
    }
    Some(
        metrics
            .iter()
            .map(|metric| {
                let values: Values = child_values(family, metric)
                    .into_iter()
                    .map(String::into_boxed_str)
                    .collect();
                by_values.get(&values).cloned()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::{copy_value, same_value, shard, RecentKey, Record, KEY_BYTES};
    use std::sync::atomic::{AtomicBool, AtomicU32};
    use std::sync::OnceLock;

    fn record(values: &[&str], stamped: bool) -> Record {
        Record {
            address: 0x5000,
            values: values.iter().map(|value| Box::from(*value)).collect(),
            stamped,
            stamp: AtomicU32::new(0),
            forgotten: AtomicBool::new(false),
            _child: Box::new(()),
            exemplars: OnceLock::new(),
        }
    }

    #[test]
    fn keys_hold_exactly_their_values() {
        let sets: &[&[&str]] = &[
            &[],
            &[""],
            &["a"],
            &["ab", "c"],
            &["a", "bc"],
            &["GET", "1003"],
            &["llama-3-70b"],
            &["x"; 15],
            &["abcdefghijklmnopqrstuvwxyz0123"],
        ];
        for values in sets {
            let key = RecentKey::of(&record(values, false));
            assert_eq!(key.address, 0x5000);
            assert!(key.holds(values), "{values:?}");
            for other in sets.iter().filter(|other| *other != values) {
                assert!(!key.holds(other), "{values:?} {other:?}");
            }
        }
    }

    #[test]
    fn values_that_do_not_fit_leave_the_record_unkeyed() {
        let long = "a".repeat(KEY_BYTES - 2);
        let too_long = "a".repeat(KEY_BYTES - 1);
        let fits = RecentKey::of(&record(&[&long], false));
        assert!(fits.holds(&[&long]));
        for values in [vec![too_long.as_str()], vec![""; KEY_BYTES]] {
            let key = RecentKey::of(&record(&values, false));
            assert_eq!(key.values[0], RecentKey::UNKEYED);
            assert!(!key.holds(&values));
        }
        // A record a hit must stamp is read, not keyed.
        let stamped = RecentKey::of(&record(&["a"], true));
        assert_eq!(stamped.values[0], RecentKey::UNKEYED);
        assert!(!stamped.holds(&["a"]));
    }

    #[test]
    fn keys_go_with_the_records() {
        let key = RecentKey::of(&record(&["a"], false));
        super::RECENT_KEYS.with(|keys| keys[0].set(key));
        drop(super::RecentRecords([const { None }; super::RECENT]));
        super::RECENT_KEYS.with(|keys| assert!(keys.iter().all(|key| key.get().address == 0)));
    }

    #[test]
    fn values_copy_exactly_at_every_length() {
        for len in 0..40 {
            let from: Vec<u8> = (b'a'..=b'z').cycle().take(len).collect();
            let mut to = vec![0; len];
            copy_value(&mut to, &from);
            assert_eq!(to, from, "{len}");
        }
    }

    #[test]
    fn values_compare_exactly_at_every_length() {
        for len in 0..40 {
            let a: Vec<u8> = (b'a'..=b'z').cycle().take(len).collect();
            assert!(same_value(&a, &a.clone()), "{len}");
            for at in 0..len {
                let mut b = a.clone();
                b[at] ^= 1;
                assert!(!same_value(&a, &b), "{len} {at}");
            }
            let mut longer = a.clone();
            longer.push(b'a');
            assert!(!same_value(&a, &longer), "{len}");
        }
    }

    #[test]
    fn shards_spread_nearby_addresses() {
        let used: std::collections::HashSet<usize> =
            (0..256).map(|i| shard(0x5555_0000 + i * 128)).collect();
        assert!(used.len() > 32, "{}", used.len());
        assert!(used.iter().all(|s| *s < super::SHARDS));
    }
}
