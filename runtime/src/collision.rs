//! Guards plain `*Vec` fields against merged series.
//!
//! prometheus' `MetricVec` keys children by an FNV hash of the label values
//! written back to back, without separators, and keeps no other key: `("ab",
//! "c")` and `("a", "bc")` land on one child, as do worker 1 / rank 23 and
//! worker 12 / rank 3. The generated helpers record, per family and hash,
//! which values created the child, and refuse other values with the same
//! hash instead of writing to (or removing) someone else's series.
//!
//! The family is identified by the address of its descriptor, which lives as
//! long as any clone of the family (reading it costs prometheus' `desc()`, a
//! one-element `Vec`), and by a generation started when the runtime builds
//! it, so a family built at a dropped one's address starts afresh. Typed
//! `Family` fields need none of this: they key children by the label set
//! itself.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

use prometheus::core::{Collector, Desc};

use crate::prom::family_name;
use crate::Error;

/// Which label values own each child, per family.
#[derive(Default)]
struct Owners {
    /// The generation of the family whose descriptor lives at an address:
    /// a family built where a dropped one lived gets a new generation, so
    /// the dropped family's records can never be taken for its own.
    generations: HashMap<usize, u64>,
    next_generation: u64,
    /// (generation, prometheus' hash of the values) -> the owning values.
    owners: HashMap<(u64, u64), Box<[Box<str>]>>,
}

impl Owners {
    fn generation(&mut self, address: usize) -> u64 {
        match self.generations.get(&address) {
            Some(generation) => *generation,
            None => self.start_generation(address),
        }
    }

    fn start_generation(&mut self, address: usize) -> u64 {
        self.next_generation += 1;
        let generation = self.next_generation;
        if let Some(old) = self.generations.insert(address, generation) {
            self.owners.retain(|(g, _), _| *g != old);
        }
        generation
    }
}

fn owners() -> MutexGuard<'static, Owners> {
    static OWNERS: OnceLock<Mutex<Owners>> = OnceLock::new();
    OWNERS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn address(family: &dyn Collector) -> usize {
    family
        .desc()
        .first()
        .map_or(0, |desc| *desc as *const Desc as usize)
}

/// Called for every `*Vec` the runtime builds: a new family, whatever lived
/// at its descriptor's address before.
pub(crate) fn track(family: &dyn Collector) {
    owners().start_generation(address(family));
}

/// prometheus 0.14's `hash_label_values`: FNV-1a over the values' bytes.
fn prometheus_hash(values: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in values.iter().flat_map(|value| value.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn same(stored: &[Box<str>], values: &[&str]) -> bool {
    stored.len() == values.len() && stored.iter().zip(values).all(|(a, b)| &**a == *b)
}

/// Records `values` as the owner of their child, or refuses them if other
/// values already own it.
pub(crate) fn admit(family: &dyn Collector, values: &[&str]) -> Result<(), Error> {
    let address = address(family);
    let mut state = owners();
    let key = (state.generation(address), prometheus_hash(values));
    match state.owners.get(&key) {
        Some(stored) if same(stored, values) => Ok(()),
        Some(stored) => Err(Error::LabelCollision {
            metric: family_name(family),
            existing: stored.iter().map(|v| v.to_string()).collect(),
            requested: values.iter().map(|v| (*v).to_owned()).collect(),
        }),
        None => {
            state
                .owners
                .insert(key, values.iter().map(|v| Box::from(*v)).collect());
            Ok(())
        }
    }
}

/// Whether the child for `values` may be removed (it is not another label
/// set's), forgetting its owner if so.
pub(crate) fn release(family: &dyn Collector, values: &[&str]) -> bool {
    let address = address(family);
    let mut state = owners();
    let key = (state.generation(address), prometheus_hash(values));
    match state.owners.get(&key) {
        Some(stored) if !same(stored, values) => false,
        _ => {
            state.owners.remove(&key);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prometheus_hash;

    #[test]
    fn concatenations_collide_as_in_prometheus() {
        assert_eq!(prometheus_hash(&["ab", "c"]), prometheus_hash(&["a", "bc"]));
        assert_eq!(prometheus_hash(&["1", "23"]), prometheus_hash(&["12", "3"]));
        assert_ne!(prometheus_hash(&["ab", "c"]), prometheus_hash(&["ab", "d"]));
    }
}
