//! Typed metric families: children keyed by a typed label set.
//!
//! prometheus' `*Vec` types format every label value into a string and hash
//! the strings on every observe, and key children by that hash alone (two
//! label sets with the same hash share one series). A [`Family`] keys
//! children by the label set itself, compares keys in full, and resolves a
//! warm label set without formatting, allocating, or taking any lock:
//!
//! - label sets whose every label has a fixed set of values (enums, `bool`)
//!   index a slot array directly;
//! - others probe an open-addressing table whose slots are published with
//!   release stores and read with acquire loads. Writers (new series,
//!   removals) serialise on a mutex; readers never wait for them.
//!
//! Readers may still hold a reference to a child while a writer removes it or
//! grows the table, so removed children and replaced tables are only freed
//! when the family itself is dropped: about 200 bytes per removed series,
//! plus old tables (less than the live table's size on average).

use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use prometheus::core::{Collector, Desc, Metric as ProtoMetric};
use prometheus::proto::{MetricFamily, MetricType};
use prometheus::{Counter, Gauge, Histogram, HistogramOpts, IntCounter, IntGauge, Opts};

use crate::build::{BuildContext, BuildMetric};
use crate::descriptor::MetricDescriptor;
use crate::labels::LabelSet;
use crate::Error;

/// Largest fixed cardinality indexed directly; larger ones are hashed.
const DIRECT_LIMIT: usize = 4096;

/// A metric type a family can hold as its children.
pub trait FamilyMetric: ProtoMetric + Clone + Send + Sync + 'static {
    const TYPE: MetricType;
    fn build_child(opts: Opts, buckets: Option<&[f64]>) -> prometheus::Result<Self>;
}

macro_rules! family_metric {
    ($($ty:ty => $kind:ident),*) => {$(
        impl FamilyMetric for $ty {
            const TYPE: MetricType = MetricType::$kind;
            fn build_child(opts: Opts, _: Option<&[f64]>) -> prometheus::Result<Self> {
                <$ty>::with_opts(opts)
            }
        }
    )*};
}

family_metric!(IntCounter => COUNTER, Counter => COUNTER, IntGauge => GAUGE, Gauge => GAUGE);

impl FamilyMetric for Histogram {
    const TYPE: MetricType = MetricType::HISTOGRAM;
    fn build_child(opts: Opts, buckets: Option<&[f64]>) -> prometheus::Result<Self> {
        let opts = HistogramOpts::from(opts);
        let opts = match buckets {
            Some(bounds) => opts.buckets(bounds.to_vec()),
            None => opts,
        };
        Histogram::with_opts(opts)
    }
}

/// A label set with its hash, to resolve it in several families (every
/// family of `L` hashes alike) for the price of one hash.
pub struct Prepared<'a, L> {
    labels: &'a L,
    hash: u64,
}

impl<'a, L: LabelSet> Prepared<'a, L> {
    #[inline]
    pub fn new(labels: &'a L) -> Self {
        Prepared {
            labels,
            hash: hash_of(labels),
        }
    }
}

/// Names the child type of a `Family` field's type, for generated signatures.
pub trait FamilyChild {
    type Child;
}

impl<L: LabelSet, M: FamilyMetric> FamilyChild for Family<L, M> {
    type Child = M;
}

/// Children of one metric, keyed by a typed label set `L`.
pub struct Family<L: LabelSet, M: FamilyMetric> {
    core: Arc<Core<L, M>>,
}

impl<L: LabelSet, M: FamilyMetric> Clone for Family<L, M> {
    fn clone(&self) -> Self {
        Family {
            core: self.core.clone(),
        }
    }
}

struct Entry<L, M> {
    hash: u64,
    key: L,
    metric: M,
}

struct Table<L, M> {
    slots: Box<[AtomicPtr<Entry<L, M>>]>,
}

impl<L, M> Table<L, M> {
    fn with_capacity(capacity: usize) -> *mut Table<L, M> {
        let slots = (0..capacity)
            .map(|_| AtomicPtr::new(ptr::null_mut()))
            .collect();
        Box::into_raw(Box::new(Table { slots }))
    }
}

enum Index<L, M> {
    /// One slot per possible label set.
    Direct(Box<[AtomicPtr<Entry<L, M>>]>),
    /// Open addressing with linear probing; never more than half full.
    Hashed(AtomicPtr<Table<L, M>>),
}

/// What only writers touch.
struct Writer<L, M> {
    /// Every entry ever created, live or removed: freed on drop.
    entries: Vec<*mut Entry<L, M>>,
    /// Tables replaced by a larger or cleaner one: freed on drop.
    retired: Vec<*mut Table<L, M>>,
    live: usize,
    tombstones: usize,
}

struct Core<L, M> {
    desc: Desc,
    name: String,
    help: String,
    const_labels: Vec<(String, String)>,
    buckets: Option<Vec<f64>>,
    index: Index<L, M>,
    writer: Mutex<Writer<L, M>>,
    _owns: PhantomData<(L, M)>,
}

// SAFETY: the raw pointers are owned by the core (freed only in `Drop`), the
// entries they point to are immutable once published except through `M`'s
// own thread-safe methods, and publication uses release/acquire ordering.
unsafe impl<L: Send + Sync, M: Send + Sync> Send for Core<L, M> {}
unsafe impl<L: Send + Sync, M: Send + Sync> Sync for Core<L, M> {}

/// Marks a removed slot in a hashed table, so probe chains stay intact.
fn tombstone<L, M>() -> *mut Entry<L, M> {
    ptr::NonNull::dangling().as_ptr()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Writers leave the state consistent at every step that can panic
    // (building a child happens before anything is published).
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<L: LabelSet, M: FamilyMetric> Family<L, M> {
    /// A family named `name` whose children carry `const_labels` and the
    /// label set's labels.
    pub fn new(
        name: String,
        help: String,
        const_labels: Vec<(String, String)>,
        buckets: Option<Vec<f64>>,
    ) -> Result<Self, Error> {
        let desc = Desc::new(
            name.clone(),
            help.clone(),
            L::NAMES.iter().map(|n| (*n).to_owned()).collect(),
            const_labels.iter().cloned().collect(),
        )
        .map_err(|source| Error::Create {
            metric: name.clone(),
            source,
        })?;
        let index = match L::CARDINALITY {
            Some(n) if n <= DIRECT_LIMIT => {
                Index::Direct((0..n).map(|_| AtomicPtr::new(ptr::null_mut())).collect())
            }
            _ => Index::Hashed(AtomicPtr::new(Table::with_capacity(16))),
        };
        let writer = Writer {
            entries: Vec::new(),
            retired: Vec::new(),
            live: 0,
            tombstones: 0,
        };
        Ok(Family {
            core: Arc::new(Core {
                desc,
                name,
                help,
                const_labels,
                buckets,
                index,
                writer: Mutex::new(writer),
                _owns: PhantomData,
            }),
        })
    }

    /// The child for `labels`, created on first use. Warm calls neither
    /// allocate nor lock.
    #[inline]
    pub fn get(&self, labels: &L) -> Result<&M, Error> {
        self.get_prepared(&Prepared::new(labels))
    }

    /// [`get`](Self::get) for a label set hashed once with
    /// [`Prepared::new`], when it is looked up in several families.
    #[inline]
    pub fn get_prepared(&self, labels: &Prepared<'_, L>) -> Result<&M, Error> {
        match self.find(labels.labels, labels.hash) {
            Some(metric) => Ok(metric),
            None => self.insert(labels.labels, labels.hash),
        }
    }

    #[inline]
    fn find(&self, labels: &L, hash: u64) -> Option<&M> {
        let entry = match &self.core.index {
            Index::Direct(slots) => slots[labels.index()].load(Ordering::Acquire),
            // SAFETY: tables are freed only when the core is dropped.
            Index::Hashed(table) => {
                probe(unsafe { &*table.load(Ordering::Acquire) }, labels, hash).1
            }
        };
        // SAFETY: entries are freed only when the core is dropped, and the
        // pointer is neither null nor a tombstone here.
        (!entry.is_null() && entry != tombstone()).then(|| unsafe { &(*entry).metric })
    }

    #[cold]
    fn insert(&self, labels: &L, hash: u64) -> Result<&M, Error> {
        let mut writer = lock(&self.core.writer);
        if let Some(metric) = self.find(labels, hash) {
            return Ok(metric); // another writer got here first
        }
        let metric = self.build_child(labels)?;
        let entry = Box::into_raw(Box::new(Entry {
            hash,
            key: labels.clone(),
            metric,
        }));
        writer.entries.push(entry);
        match &self.core.index {
            Index::Direct(slots) => slots[labels.index()].store(entry, Ordering::Release),
            Index::Hashed(table) => {
                // SAFETY: only writers replace the table, and we hold the lock.
                let current = unsafe { &*table.load(Ordering::Acquire) };
                if (writer.live + writer.tombstones + 1) * 2 > current.slots.len() {
                    self.rebuild(&mut writer, table, Some(entry));
                } else {
                    let (slot, _) = probe(current, labels, hash);
                    if current.slots[slot].load(Ordering::Relaxed) == tombstone() {
                        writer.tombstones -= 1;
                    }
                    current.slots[slot].store(entry, Ordering::Release);
                }
            }
        }
        writer.live += 1;
        // SAFETY: just published; freed only on drop.
        Ok(unsafe { &(*entry).metric })
    }

    /// Replaces the table with one sized for the live entries (plus `extra`),
    /// without tombstones, and retires the old one.
    fn rebuild(
        &self,
        writer: &mut Writer<L, M>,
        table: &AtomicPtr<Table<L, M>>,
        extra: Option<*mut Entry<L, M>>,
    ) {
        let old = table.load(Ordering::Acquire);
        // SAFETY: as in `insert`.
        let old_slots = unsafe { &(*old).slots };
        let live: Vec<*mut Entry<L, M>> = old_slots
            .iter()
            .map(|slot| slot.load(Ordering::Relaxed))
            .filter(|p| !p.is_null() && *p != tombstone())
            .chain(extra)
            .collect();
        let capacity = (live.len() * 4).next_power_of_two().max(16);
        let fresh = Table::with_capacity(capacity);
        // SAFETY: `fresh` is not yet shared.
        let fresh_slots = unsafe { &(*fresh).slots };
        for entry in live {
            // SAFETY: live entries are valid until drop.
            let hash = unsafe { (*entry).hash };
            let mut i = hash as usize & (capacity - 1);
            while !fresh_slots[i].load(Ordering::Relaxed).is_null() {
                i = (i + 1) & (capacity - 1);
            }
            fresh_slots[i].store(entry, Ordering::Relaxed);
        }
        table.store(fresh, Ordering::Release);
        writer.retired.push(old);
        writer.tombstones = 0;
    }

    fn build_child(&self, labels: &L) -> Result<M, Error> {
        let core = &self.core;
        let mut const_labels: std::collections::HashMap<String, String> =
            core.const_labels.iter().cloned().collect();
        let mut names = L::NAMES.iter();
        labels.for_each_value(&mut |value| {
            if let Some(name) = names.next() {
                const_labels.insert((*name).to_owned(), value.to_owned());
            }
        });
        let opts = Opts::new(core.name.clone(), core.help.clone()).const_labels(const_labels);
        M::build_child(opts, core.buckets.as_deref()).map_err(|source| Error::Labels {
            metric: core.name.clone(),
            source,
        })
    }

    /// Removes the child for `labels`; whether there was one.
    pub fn remove(&self, labels: &L) -> bool {
        let mut writer = lock(&self.core.writer);
        let removed = match &self.core.index {
            Index::Direct(slots) => !slots[labels.index()]
                .swap(ptr::null_mut(), Ordering::AcqRel)
                .is_null(),
            Index::Hashed(table) => {
                // SAFETY: as in `insert`.
                let table = unsafe { &*table.load(Ordering::Acquire) };
                let (slot, entry) = probe(table, labels, hash_of(labels));
                if !entry.is_null() {
                    table.slots[slot].store(tombstone(), Ordering::Release);
                    writer.tombstones += 1;
                }
                !entry.is_null()
            }
        };
        writer.live -= usize::from(removed);
        removed
    }

    /// Removes every child whose label set matches `predicate` (for example
    /// all data-parallel ranks of one worker); how many were removed.
    pub fn remove_where(&self, mut predicate: impl FnMut(&L) -> bool) -> usize {
        let mut writer = lock(&self.core.writer);
        let mut removed = 0;
        let slots = match &self.core.index {
            Index::Direct(slots) => slots,
            // SAFETY: as in `insert`.
            Index::Hashed(table) => unsafe { &(*table.load(Ordering::Acquire)).slots },
        };
        let hashed = matches!(self.core.index, Index::Hashed(_));
        for slot in slots.iter() {
            let entry = slot.load(Ordering::Relaxed);
            // SAFETY: live entries are valid until drop.
            if entry.is_null() || entry == tombstone() || !predicate(unsafe { &(*entry).key }) {
                continue;
            }
            slot.store(
                if hashed { tombstone() } else { ptr::null_mut() },
                Ordering::Release,
            );
            removed += 1;
        }
        writer.live -= removed;
        if hashed {
            writer.tombstones += removed;
        }
        removed
    }

    /// How many children the family has.
    pub fn len(&self) -> usize {
        lock(&self.core.writer).live
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn live_entries(&self) -> impl Iterator<Item = &Entry<L, M>> {
        let slots = match &self.core.index {
            Index::Direct(slots) => slots,
            // SAFETY: as in `find`.
            Index::Hashed(table) => unsafe { &(*table.load(Ordering::Acquire)).slots },
        };
        slots
            .iter()
            .map(|slot| slot.load(Ordering::Acquire))
            .filter(|p| !p.is_null() && *p != tombstone())
            // SAFETY: as in `find`.
            .map(|p| unsafe { &*p })
    }

    /// The label sets of the current children.
    pub fn label_sets(&self) -> Vec<L> {
        self.live_entries().map(|entry| entry.key.clone()).collect()
    }
}

/// The slot holding `labels`, or where it would go, and what is there.
#[inline]
fn probe<L: LabelSet, M>(table: &Table<L, M>, labels: &L, hash: u64) -> (usize, *mut Entry<L, M>) {
    let mask = table.slots.len() - 1;
    let mut i = hash as usize & mask;
    let mut free = None;
    loop {
        let entry = table.slots[i].load(Ordering::Acquire);
        if entry.is_null() {
            return (free.unwrap_or(i), ptr::null_mut());
        }
        if entry == tombstone() {
            free.get_or_insert(i);
        } else {
            // SAFETY: published entries are valid until drop.
            let e = unsafe { &*entry };
            if e.hash == hash && e.key == *labels {
                return (i, entry);
            }
        }
        i = (i + 1) & mask;
    }
}

impl<L, M> Drop for Core<L, M> {
    fn drop(&mut self) {
        let writer = self
            .writer
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for entry in writer.entries.drain(..) {
            // SAFETY: each entry was created by `Box::into_raw` and is listed once.
            drop(unsafe { Box::from_raw(entry) });
        }
        for table in writer.retired.drain(..) {
            // SAFETY: as above, for tables.
            drop(unsafe { Box::from_raw(table) });
        }
        if let Index::Hashed(table) = &self.index {
            // SAFETY: the current table is owned by the core alone.
            drop(unsafe { Box::from_raw(table.load(Ordering::Relaxed)) });
        }
    }
}

impl<L: LabelSet, M: FamilyMetric> Collector for Family<L, M> {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.core.desc]
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let mut family = MetricFamily::default();
        family.set_name(self.core.name.clone());
        family.set_help(self.core.help.clone());
        family.set_field_type(M::TYPE);
        family.set_metric(
            self.live_entries()
                .map(|entry| entry.metric.metric())
                .collect(),
        );
        vec![family]
    }
}

impl<L: LabelSet, M: FamilyMetric> BuildMetric for Family<L, M> {
    fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
        crate::build::check_buckets(context, metric)?;
        Family::new(
            context.full_name(metric),
            metric.help.to_owned(),
            context.const_labels.clone(),
            metric.buckets.map(<[f64]>::to_vec),
        )
    }
}

/// FxHash's multiply-rotate over the words the label set writes, finished
/// with murmur3's mixer so the low bits used for probing are well spread.
#[derive(Default)]
struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.write_u64(u64::from_le_bytes(tail) ^ bytes.len() as u64);
    }

    #[inline]
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }

    #[inline]
    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }

    #[inline]
    fn write_u8(&mut self, word: u8) {
        self.write_u64(u64::from(word));
    }

    #[inline]
    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[inline]
fn hash_of<L: Hash>(labels: &L) -> u64 {
    let mut hasher = FastHasher::default();
    labels.hash(&mut hasher);
    hasher.finish()
}
