//! The maps `Family` could be built on, doing the same work with the same
//! key (`WorkerLabels`), value (a prometheus `IntGauge`, an `Arc`) and hash
//! (seeded foldhash), so that only the map differs. `benches/family_maps.rs`
//! times them, `examples/instruction_counts.rs family_map <candidate>` counts
//! their instructions; BENCHMARKS.md has the figures and the choice.

use std::hash::BuildHasher;

use arc_swap::ArcSwapOption;
use hashbrown::HashTable;
use metric_group::prometheus::{IntCounter, IntGauge};
use metric_group::{Family, LabelSet};
use metric_group_router::{WorkerLabels, WorkerType};
use parking_lot::RwLock;

/// Live series kept while churning, as in the churn benchmark.
pub const LIVE: u64 = 2_000;

pub const NAMES: [&str; 5] = [
    "sharded_rwlock",
    "papaya",
    "scc",
    "rwlock_slots",
    "arc_swap_slots",
];

/// What every candidate does: update a present series; add one and remove
/// another (churn).
pub trait Candidate: Send + Sync {
    fn set(&self, key: &WorkerLabels, value: i64);
    fn churn(&self, add: &WorkerLabels, remove: &WorkerLabels);
}

pub fn make(name: &str) -> Option<Box<dyn Candidate>> {
    Some(match name {
        "sharded_rwlock" => Box::new(Sharded::default()),
        "papaya" => Box::new(Papaya::default()),
        "scc" => Box::new(Scc::default()),
        "rwlock_slots" => Box::new(RwLockSlots::default()),
        "arc_swap_slots" => Box::new(ArcSwapSlots::default()),
        _ => return None,
    })
}

/// The `i`-th of the benchmark's label sets (its index below 64 for the
/// directly indexed candidates, which stand for enum-only label sets).
pub fn key(i: u64) -> WorkerLabels {
    WorkerLabels {
        worker_id: i >> 2,
        dp_rank: ((i >> 1) & 1) as u32,
        worker_type: if i & 1 == 0 {
            WorkerType::Decode
        } else {
            WorkerType::Prefill
        },
    }
}

fn gauge() -> IntGauge {
    IntGauge::new("candidate", "candidate").expect("valid")
}

type Hasher = foldhash::fast::RandomState;

const SHARDS: usize = 16;

type Shard = RwLock<HashTable<(u64, WorkerLabels, IntGauge)>>;

/// metrics-util's design, as `Family` now has it: shards chosen by the
/// precomputed hash, each a `RwLock<hashbrown::HashTable>`.
pub struct Sharded {
    hasher: Hasher,
    shards: Box<[Shard; SHARDS]>,
}

impl Default for Sharded {
    fn default() -> Self {
        Sharded {
            hasher: Hasher::default(),
            shards: Box::new(std::array::from_fn(|_| RwLock::default())),
        }
    }
}

impl Sharded {
    fn shard(&self, hash: u64) -> &Shard {
        &self.shards[(hash >> 32) as usize % SHARDS]
    }
}

impl Candidate for Sharded {
    fn set(&self, key: &WorkerLabels, value: i64) {
        let hash = self.hasher.hash_one(key);
        let shard = self.shard(hash).read();
        if let Some((_, _, gauge)) = shard.find(hash, |(_, k, _)| k == key) {
            gauge.set(value);
            return;
        }
        drop(shard);
        self.shard(hash)
            .write()
            .entry(hash, |(_, k, _)| k == key, |(h, _, _)| *h)
            .or_insert_with(|| (hash, *key, gauge()))
            .get()
            .2
            .set(value);
    }

    fn churn(&self, add: &WorkerLabels, remove: &WorkerLabels) {
        self.set(add, 1);
        let hash = self.hasher.hash_one(remove);
        if let Ok(entry) = self
            .shard(hash)
            .write()
            .find_entry(hash, |(_, k, _)| k == remove)
        {
            entry.remove();
        }
    }
}

/// papaya: lock-free reads, epoch-based reclamation (seize).
#[derive(Default)]
pub struct Papaya(papaya::HashMap<WorkerLabels, IntGauge, Hasher>);

impl Candidate for Papaya {
    fn set(&self, key: &WorkerLabels, value: i64) {
        let map = self.0.pin();
        match map.get(key) {
            Some(gauge) => gauge.set(value),
            None => map.get_or_insert_with(*key, gauge).set(value),
        }
    }

    fn churn(&self, add: &WorkerLabels, remove: &WorkerLabels) {
        self.set(add, 1);
        self.0.pin().remove(remove);
    }
}

/// scc's `HashIndex`: lock-free reads, epoch-based reclamation (sdd).
#[derive(Default)]
pub struct Scc(scc::HashIndex<WorkerLabels, IntGauge, Hasher>);

impl Candidate for Scc {
    fn set(&self, key: &WorkerLabels, value: i64) {
        if self.0.peek_with(key, |_, gauge| gauge.set(value)).is_none() {
            let gauge = gauge();
            gauge.set(value);
            let _ = self.0.insert(*key, gauge);
        }
    }

    fn churn(&self, add: &WorkerLabels, remove: &WorkerLabels) {
        self.set(add, 1);
        self.0.remove(remove);
    }
}

/// A directly indexed family's slots (label sets of enums and `bool`s), as
/// `Family` now has them: each an `RwLock<Option<_>>`.
pub struct RwLockSlots(Box<[RwLock<Option<IntGauge>>]>);

impl Default for RwLockSlots {
    fn default() -> Self {
        RwLockSlots((0..64).map(|_| RwLock::new(None)).collect())
    }
}

fn slot_index(key: &WorkerLabels) -> usize {
    ((key.worker_id << 2) as usize
        | (key.dp_rank as usize) << 1
        | usize::from(key.worker_type == WorkerType::Prefill))
        & 63
}

impl Candidate for RwLockSlots {
    fn set(&self, key: &WorkerLabels, value: i64) {
        let slot = &self.0[slot_index(key)];
        if let Some(gauge) = &*slot.read() {
            gauge.set(value);
            return;
        }
        slot.write().get_or_insert_with(gauge).set(value);
    }

    fn churn(&self, add: &WorkerLabels, remove: &WorkerLabels) {
        self.set(add, 1);
        self.0[slot_index(remove)].write().take();
    }
}

/// The same slots as `arc_swap::ArcSwapOption`s: lock-free reads.
pub struct ArcSwapSlots(Box<[ArcSwapOption<IntGauge>]>);

impl Default for ArcSwapSlots {
    fn default() -> Self {
        ArcSwapSlots((0..64).map(|_| ArcSwapOption::empty()).collect())
    }
}

impl Candidate for ArcSwapSlots {
    fn set(&self, key: &WorkerLabels, value: i64) {
        let slot = &self.0[slot_index(key)];
        if let Some(gauge) = &*slot.load() {
            gauge.set(value);
            return;
        }
        let fresh = std::sync::Arc::new(gauge());
        let _ = slot.compare_and_swap(&None::<std::sync::Arc<IntGauge>>, Some(fresh));
        if let Some(gauge) = &*slot.load() {
            gauge.set(value);
        }
    }

    fn churn(&self, add: &WorkerLabels, remove: &WorkerLabels) {
        self.set(add, 1);
        self.0[slot_index(remove)].store(None);
    }
}

/// A label set holding request-derived text, as adversarial input would.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
pub struct Route {
    pub method: &'static str,
    pub path: String,
}

/// A family holding `n` distinct string label sets, and the sets.
pub fn string_family(n: usize) -> (Family<Route, IntCounter>, Vec<Route>) {
    let family: Family<Route, IntCounter> =
        Family::new("requests_total".into(), "Requests".into(), Vec::new(), None).expect("valid");
    let sets: Vec<Route> = (0..n)
        .map(|i| Route {
            method: if i % 3 == 0 { "POST" } else { "GET" },
            path: format!("/api/v1/items/{i:08}"),
        })
        .collect();
    for set in &sets {
        family.get_or_create(set).expect("valid").inc();
    }
    (family, sets)
}
