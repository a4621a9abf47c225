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
//! - A child is identified by the address of its descriptor: `desc()` hands
//!   out a reference into the child's shared core (the one-element `Vec` it
//!   comes in is inlined and optimised away). An address identifies a child
//!   only while the child lives, so every record holds a clone of its child:
//!   while the record exists, no other child can be given that address.
//! - The first time a child is seen, its label values are read from the
//!   child itself (`Metric::metric()`, which allocates: the cold path) and
//!   compared with the helper's arguments. Equal: a record *child address ->
//!   label values* is stored. Different: the helper returns
//!   [`Error::LabelCollision`] naming the values the child really holds, and
//!   writes nothing.
//! - A warm call finds the record among the 256 its thread used last (a
//!   thread-local pair of slots per address: no lock, no atomic operation)
//!   or else under the read lock of one of 64 shards, and compares the
//!   stored values with its arguments: no process-wide lock, no allocation.
//!   A thread's recent records hold their children alive like the shared
//!   ones, so a hit is as exact; up to 256 per thread may outlive their
//!   family's clean-up.
//!
//! Cost, in callgrind instructions per warm increment of an `IntCounterVec`
//! by `(method, worker_id: u64)`: 334 against 444 for hand-written
//! `with_label_values(&[method, &worker_id.to_string()])` (BENCHMARKS.md,
//! `vec_helper`). Without the thread-local records (shared map only) it was
//! 380 instructions but 1.24 x the hand-written time in criterion: the
//! shard's read lock costs two atomic operations per call.
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
//! Records are also indexed per family (by the family descriptor's address)
//! and label values, one record per label values: a newer child for the same
//! values replaces the older one, which prometheus no longer holds (it holds
//! one child per hash). When a family's records have grown by half (plus 64)
//! since its last clean-up, the family is collected once (`collect()`, as a
//! scrape does) and records for label values it no longer holds are dropped
//! with their clones. Records therefore stay below 1.5 times the family's
//! live series plus 64, and the amortised cost of the clean-up is constant
//! per new record. (Until then a record's clone keeps a child the field
//! removed alive: `tests/test_vec_memory.rs` measures what that costs.)
//! When the runtime builds a family at an address a dropped family's
//! descriptor had, that family's records are dropped.
//!
//! # Removal
//!
//! A helper removes only a series it has shown to hold its label values.
//! prometheus has no read that does not create, so: if the helpers hold a
//! record for these values, the family is asked for the child; when it hands
//! back the recorded child the series existed and is removed. Otherwise the
//! family is collected (a read that creates nothing) and the series is
//! removed only if a child with exactly these values is there.

use std::any::Any;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};

use foldhash::fast::FixedState;
use prometheus::core::{Collector, Desc, Metric};
use prometheus::proto;

use crate::build::Labelled;
use crate::prom::{family_name, lock};
use crate::Error;

const SHARDS: usize = 64;

/// Label values as stored in a record.
type Values = Box<[Box<str>]>;

/// A child some helper has checked.
struct Record {
    /// The child's descriptor address.
    address: usize,
    values: Values,
    /// A clone of the child: keeps its address from being reused while the
    /// record exists.
    _child: Box<dyn Any + Send + Sync>,
}

/// The records of one family, by label values: the child address recorded
/// for them.
#[derive(Default)]
struct FamilyRecords {
    by_values: HashMap<Values, usize, FixedState>,
    /// Clean up when there are more records than this.
    collect_above: usize,
}

const FIRST_COLLECT_ABOVE: usize = 64;

/// One shard of the child records, by child address.
type ChildRecords = HashMap<usize, Arc<Record>, FixedState>;

struct Records {
    /// Child address -> record. The only structure a warm call reads.
    children: Box<[RwLock<ChildRecords>]>,
    /// Family descriptor address -> that family's records. Locked only on
    /// cold paths, always before `children`.
    families: Box<[Mutex<HashMap<usize, FamilyRecords, FixedState>>]>,
}

fn records() -> &'static Records {
    static RECORDS: OnceLock<Records> = OnceLock::new();
    RECORDS.get_or_init(|| Records {
        children: (0..SHARDS).map(|_| RwLock::default()).collect(),
        families: (0..SHARDS).map(|_| Mutex::default()).collect(),
    })
}

/// Fibonacci hashing of an address: child cores are heap blocks a few
/// cache lines apart, so their low bits alone would crowd.
#[inline]
fn spread(address: usize) -> u64 {
    (address as u64 >> 4).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The shard of `records().children` an address belongs to.
#[inline]
fn shard(address: usize) -> usize {
    (spread(address) >> (64 - SHARDS.trailing_zeros())) as usize
}

/// The pair of slots of a thread's recent records an address may occupy.
#[inline]
fn recent_slot(address: usize) -> usize {
    (spread(address) >> (64 - RECENT.trailing_zeros())) as usize & !1
}

/// The address of a collector's (first) descriptor; generic, so that the
/// one-element `Vec` of `desc()` is inlined and optimised away.
#[inline]
fn address<C: Collector>(collector: &C) -> usize {
    collector
        .desc()
        .first()
        .map_or(0, |desc| *desc as *const Desc as usize)
}

fn family_records<V: Labelled>(
    family: &V,
) -> (
    usize,
    MutexGuard<'static, HashMap<usize, FamilyRecords, FixedState>>,
) {
    let family_address = address(family);
    (
        family_address,
        lock(&records().families[shard(family_address)]),
    )
}

fn same<S: AsRef<str>>(stored: &[S], values: &[&str]) -> bool {
    stored.len() == values.len() && stored.iter().zip(values).all(|(a, b)| a.as_ref() == *b)
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
/// family left at this descriptor address go.
pub(crate) fn track(family: &dyn Collector) {
    let family_address = family
        .desc()
        .first()
        .map_or(0, |desc| *desc as *const Desc as usize);
    let old = lock(&records().families[shard(family_address)]).remove(&family_address);
    if let Some(old) = old {
        for child_address in old.by_values.values() {
            forget_child(*child_address);
        }
    }
}

fn forget_child(child_address: usize) {
    records().children[shard(child_address)]
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&child_address);
}

/// How many records each thread keeps at hand, in pairs of slots (a
/// record may sit in either of its pair, so two addresses that map to one
/// pair do not evict each other).
const RECENT: usize = 256;

thread_local! {
    /// Records this thread used lately, by child address: a hit takes no
    /// lock and touches no shared cache line. Each holds its child alive as
    /// the shared record does, so a hit is as exact; at most `RECENT` per
    /// thread outlive their family's clean-up.
    static RECENT_RECORDS: RefCell<[Option<Arc<Record>>; RECENT]> =
        const { RefCell::new([const { None }; RECENT]) };
}

/// `Ok` if `child`, which `family` handed out for `values`, carries exactly
/// `values`; the collision otherwise.
#[inline]
pub(crate) fn admit<V: Labelled>(
    family: &V,
    child: &V::Child,
    values: &[&str],
) -> Result<(), Error> {
    let child_address = address(child);
    let pair = recent_slot(child_address);
    let recent = RECENT_RECORDS.try_with(|recent| {
        let recent = recent.try_borrow().ok()?;
        recent[pair..pair + 2]
            .iter()
            .flatten()
            .find(|record| record.address == child_address)
            .map(|record| same(&record.values, values))
    });
    match recent {
        Ok(Some(true)) => Ok(()),
        _ => admit_shared(family, child, child_address, pair, values),
    }
}

/// Not at hand: the shared record, or the child itself.
#[inline(never)]
fn admit_shared<V: Labelled>(
    family: &V,
    child: &V::Child,
    child_address: usize,
    pair: usize,
    values: &[&str],
) -> Result<(), Error> {
    let record = records().children[shard(child_address)]
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&child_address)
        .cloned();
    let Some(record) = record else {
        return admit_new(family, child, child_address, values);
    };
    if !same(&record.values, values) {
        return Err(collision(family, &record.values, values));
    }
    let _ = RECENT_RECORDS.try_with(|recent| {
        let mut recent = recent.try_borrow_mut().ok()?;
        // Most recent first: the older of the pair is evicted (and dropped
        // after the borrow ends).
        let evicted = recent[pair + 1].take();
        recent[pair + 1] = recent[pair].replace(record);
        Some(evicted)
    });
    Ok(())
}

/// A child no helper has checked yet: read its label values from the child.
#[cold]
#[inline(never)]
fn admit_new<V: Labelled>(
    family: &V,
    child: &V::Child,
    child_address: usize,
    values: &[&str],
) -> Result<(), Error> {
    let actual = child_values(family, &child.metric());
    if !same(&actual, values) {
        return Err(collision(family, &actual, values));
    }
    let (family_address, mut families) = family_records(family);
    let records_of_family = families.entry(family_address).or_default();
    if records_of_family.collect_above == 0 {
        records_of_family.collect_above = FIRST_COLLECT_ABOVE;
    }
    let values = owned(values);
    if let Some(older) = records_of_family
        .by_values
        .insert(values.clone(), child_address)
    {
        if older != child_address {
            // prometheus holds one child per hash, and this one holds the
            // hash now: the older child is detached.
            forget_child(older);
        }
    }
    records().children[shard(child_address)]
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(
            child_address,
            Arc::new(Record {
                address: child_address,
                values,
                _child: Box::new(child.clone()),
            }),
        );
    if records_of_family.by_values.len() > records_of_family.collect_above {
        let live = live_values(family);
        records_of_family.by_values.retain(|values, child_address| {
            let keep = live.contains(values);
            if !keep {
                forget_child(*child_address);
            }
            keep
        });
        let live = records_of_family.by_values.len();
        records_of_family.collect_above = FIRST_COLLECT_ABOVE + live + live / 2;
    }
    Ok(())
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
        .flat_map(|metric_family| metric_family.get_metric())
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
    let recorded = {
        let (family_address, families) = family_records(family);
        families
            .get(&family_address)
            .and_then(|records| records.by_values.get(&owned(values)).copied())
    };
    let holds_values = match recorded {
        // The helpers recorded a child for these values: if the family still
        // hands it out, asking created nothing.
        Some(recorded) => match family.child(values) {
            Ok(child) if address(&child) == recorded => true,
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
    let (family_address, mut families) = family_records(family);
    if let Some(records_of_family) = families.get_mut(&family_address) {
        if let Some(child_address) = records_of_family.by_values.remove(&owned(values)) {
            forget_child(child_address);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::shard;

    #[test]
    fn shards_spread_nearby_addresses() {
        let used: std::collections::HashSet<usize> =
            (0..256).map(|i| shard(0x5555_0000 + i * 128)).collect();
        assert!(used.len() > 32, "{}", used.len());
        assert!(used.iter().all(|s| *s < super::SHARDS));
    }
}
