//! Typed metric families: children keyed by a typed label set.
//!
//! prometheus' `*Vec` types format every label value into a string and hash
//! the strings on every observe, and key children by that hash alone (two
//! label sets with the same hash share one series). A [`Family`] keys
//! children by the label set itself, compares keys in full, and resolves a
//! warm label set without formatting or allocating:
//!
//! - label sets whose every label has a fixed set of values (enums, `bool`)
//!   index an array of slots directly, each behind its own read-write lock;
//! - others live in a `hashbrown::HashTable` split into [`SHARDS`] shards,
//!   each behind a read-write lock and keyed by the label set's seeded hash
//!   (computed once by [`Prepared`] for every family the set is resolved in;
//!   the design of metrics-util's registry).
//!
//! A lookup takes its shard's read lock, clones the child (prometheus
//! children are an `Arc`: one reference-count increment) and releases the
//! lock, so a removed series is freed as soon as the last caller holding a
//! clone drops it, and memory stays bounded by the live series. Writers (new
//! series, removals) take one shard's write lock. No `unsafe` here.
//!
//! # Why this map
//!
//! Chosen on figures among the candidates of issue 9, each given the same
//! key (`WorkerLabels`), value (an `IntGauge`) and seeded foldhash
//! (`benches/candidates/mod.rs`). Instructions per operation from callgrind
//! (`examples/instruction_counts.rs family_map_<op> <candidate>`, the count
//! at 200,000 runs minus the count at 100,000, over 100,000; churn 20,000
//! and 10,000) and criterion's median (`cargo bench --bench family_maps`,
//! one run, one thread):
//!
//! | candidate | update a present series | add one + remove one, 2,000 live |
//! |---|---:|---:|
//! | sharded `RwLock<hashbrown::HashTable>` (chosen) | 114 instr, 19.7 ns | 2,544 instr, 229 ns |
//! | papaya | 317 instr, 24.2 ns | 4,233 instr, 400 ns |
//! | scc `HashIndex` | 204 instr, 18.0 ns | 3,365 instr, 302 ns |
//! | `RwLock<Option<_>>` slots (chosen, direct) | 65 instr, 19.1 ns | 2,354 instr, 204 ns |
//! | arc-swap slots | 121 instr, 20.6 ns | 3,180 instr, 321 ns |
//!
//! (Churn includes building a prometheus gauge, about 2,000 instructions,
//! the same for all.) The lock-free maps pay for epoch pinning on every read
//! and for deferred reclamation on every removal; a read lock taken and
//! released around a probe costs less, and the worker-load path stays within
//! issue 9's budget only with it (179 instructions for two gauges against
//! 921 by hand; BENCHMARKS.md).

use std::sync::Arc;

use hashbrown::hash_table::{Entry, HashTable};
use parking_lot::RwLock;
use prometheus::core::{Collector, Desc, Metric as ProtoMetric};
use prometheus::proto::{MetricFamily, MetricType};
use prometheus::{Counter, Gauge, Histogram, HistogramOpts, IntCounter, IntGauge, Opts};

use crate::build::{BuildContext, BuildMetric};
use crate::descriptor::MetricDescriptor;
use crate::labels::{hash_label_set, LabelSet};
use crate::Error;

/// Largest fixed cardinality indexed directly; larger ones are hashed.
const DIRECT_LIMIT: usize = 4096;

/// A metric type a family can hold as its children.
pub trait FamilyMetric: ProtoMetric + Clone + Send + Sync + 'static {
    /// The family's prometheus type.
    const TYPE: MetricType;
    /// One child with these options (and bucket bounds, for histograms).
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

/// Shards of a hashed family: writers to different shards never wait for
/// each other, and readers wait only for a writer of their own shard.
pub const SHARDS: usize = 16;

/// A label set with its hash, to resolve it in several families (every
/// family of `L` hashes alike) for the price of one hash.
pub struct Prepared<'a, L> {
    labels: &'a L,
    hash: u64,
}

impl<'a, L: LabelSet> Prepared<'a, L> {
    /// Hashes `labels` once.
    #[inline]
    pub fn new(labels: &'a L) -> Self {
        Prepared {
            labels,
            // Directly indexed label sets need no hash.
            hash: if direct::<L>().is_some() {
                0
            } else {
                hash_label_set(labels)
            },
        }
    }
}

/// The number of slots of a directly indexed label set type.
#[inline]
const fn direct<L: LabelSet>() -> Option<usize> {
    match L::CARDINALITY {
        Some(n) if n <= DIRECT_LIMIT => Some(n),
        _ => None,
    }
}

/// Names the child type of a `Family` field's type, for generated signatures.
pub trait FamilyChild {
    /// The metric type of each series.
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

struct Series<L, M> {
    hash: u64,
    key: L,
    metric: M,
}

/// At most one series, for one label set of a directly indexed family.
type Slot<L, M> = RwLock<Option<Series<L, M>>>;

/// Some of a hashed family's series, keyed by hash and label set.
type Shard<L, M> = RwLock<HashTable<Series<L, M>>>;

struct Core<L, M> {
    desc: Desc,
    name: String,
    help: String,
    const_labels: Vec<(String, String)>,
    buckets: Option<Vec<f64>>,
    /// One slot per possible label set, when [`direct`] says so; else empty.
    slots: Box<[Slot<L, M>]>,
    /// Shards picked by hash, for the other label sets; else left empty.
    /// Which of the two a family uses is known at compile time, so lookups
    /// test no discriminant, and a fixed-size array needs no bounds check.
    shards: Box<[Shard<L, M>; SHARDS]>,
}

/// The shard of a hash. hashbrown probes with the low bits and tags slots
/// with the top seven: the shard takes bits of neither.
#[inline]
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize % SHARDS
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
        let slots = (0..direct::<L>().unwrap_or(0))
            .map(|_| RwLock::new(None))
            .collect();
        let shards = Box::new(std::array::from_fn(|_| RwLock::default()));
        Ok(Family {
            core: Arc::new(Core {
                desc,
                name,
                help,
                const_labels,
                buckets,
                slots,
                shards,
            }),
        })
    }

    /// The child for `labels`, created on first use. Warm calls neither
    /// allocate nor format; they take one shard's read lock.
    #[inline]
    pub fn get(&self, labels: &L) -> Result<M, Error> {
        self.get_prepared(&Prepared::new(labels))
    }

    /// [`get`](Self::get) for a label set hashed once with
    /// [`Prepared::new`], when it is looked up in several families.
    #[inline]
    pub fn get_prepared(&self, labels: &Prepared<'_, L>) -> Result<M, Error> {
        self.with_prepared(labels, M::clone)
    }

    /// Calls `f` with the child for `labels` (created on first use) while
    /// its slot or shard is read-locked, sparing the reference-count update
    /// of a clone. `f` must not resolve series of this family: creating one
    /// in the same shard would wait for the lock `f` runs under.
    // Always inlined: the lookup is a few dozen instructions, and a call
    // frame plus a `Result` returned through memory cost a third as much.
    #[inline(always)]
    pub(crate) fn with_prepared<R>(
        &self,
        labels: &Prepared<'_, L>,
        f: impl FnOnce(&M) -> R,
    ) -> Result<R, Error> {
        let (key, hash) = (labels.labels, labels.hash);
        if direct::<L>().is_some() {
            if let Some(series) = &*self.core.slots[key.index()].read() {
                return Ok(f(&series.metric));
            }
        } else {
            let shard = self.core.shards[shard_of(hash)].read();
            if let Some(series) = shard.find(hash, |series| series.key == *key) {
                return Ok(f(&series.metric));
            }
        }
        self.insert(key, hash).map(|metric| f(&metric))
    }

    #[cold]
    fn insert(&self, labels: &L, hash: u64) -> Result<M, Error> {
        // Built before taking the lock; dropped unpublished if another
        // caller creates the series first.
        let series = Series {
            hash,
            key: labels.clone(),
            metric: self.build_child(labels)?,
        };
        Ok(if direct::<L>().is_some() {
            let mut slot = self.core.slots[labels.index()].write();
            slot.get_or_insert(series).metric.clone()
        } else {
            let mut shard = self.core.shards[shard_of(hash)].write();
            match shard.entry(hash, |s| s.key == *labels, |s| s.hash) {
                Entry::Occupied(entry) => entry.get().metric.clone(),
                Entry::Vacant(entry) => entry.insert(series).get().metric.clone(),
            }
        })
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

    /// Removes the child for `labels`; whether there was one. Clones handed
    /// out earlier keep working but are no longer exported; the series' memory
    /// is freed when the last of them is dropped.
    pub fn remove(&self, labels: &L) -> bool {
        if direct::<L>().is_some() {
            return self.core.slots[labels.index()].write().take().is_some();
        }
        let hash = hash_label_set(labels);
        let mut shard = self.core.shards[shard_of(hash)].write();
        match shard.find_entry(hash, |s| s.key == *labels) {
            Ok(entry) => {
                entry.remove();
                shrink(&mut shard);
                true
            }
            Err(_) => false,
        }
    }

    /// Removes every child whose label set matches `predicate` (for example
    /// all data-parallel ranks of one worker); how many were removed.
    pub fn remove_where(&self, mut predicate: impl FnMut(&L) -> bool) -> usize {
        let mut removed = 0;
        for slot in self.core.slots.iter() {
            let mut slot = slot.write();
            if slot.as_ref().is_some_and(|s| predicate(&s.key)) {
                *slot = None;
                removed += 1;
            }
        }
        for shard in self.core.shards.iter() {
            let mut shard = shard.write();
            let before = shard.len();
            shard.retain(|s| !predicate(&s.key));
            removed += before - shard.len();
            shrink(&mut shard);
        }
        removed
    }

    /// How many children the family has.
    pub fn len(&self) -> usize {
        let core = &self.core;
        core.slots.iter().filter(|s| s.read().is_some()).count()
            + core.shards.iter().map(|s| s.read().len()).sum::<usize>()
    }

    /// Whether the family holds no series.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with every live series, one slot or shard locked at a time.
    fn for_each_series(&self, mut f: impl FnMut(&Series<L, M>)) {
        for slot in self.core.slots.iter() {
            if let Some(series) = &*slot.read() {
                f(series);
            }
        }
        for shard in self.core.shards.iter() {
            shard.read().iter().for_each(&mut f);
        }
    }

    /// The label sets of the current children.
    pub fn label_sets(&self) -> Vec<L> {
        let mut sets = Vec::new();
        self.for_each_series(|series| sets.push(series.key.clone()));
        sets
    }
}

/// Gives memory back once a shard holds less than a quarter of its capacity
/// (hashbrown never shrinks by itself), keeping room for twice the live
/// series so that churn around a steady size does not resize every time.
fn shrink<L, M>(shard: &mut HashTable<Series<L, M>>) {
    if shard.capacity() > 64 && shard.len() * 4 < shard.capacity() {
        shard.shrink_to(shard.len() * 2, |s| s.hash);
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
        let mut metrics = Vec::new();
        self.for_each_series(|series| metrics.push(series.metric.metric()));
        family.set_metric(metrics);
        vec![family]
    }
}

impl<L: LabelSet, M: FamilyMetric> BuildMetric for Family<L, M> {
    fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
        context.check(metric)?;
        Family::new(
            context.full_name(metric),
            metric.help.to_owned(),
            context.const_labels.clone(),
            context.bounds(metric),
        )
    }
}
