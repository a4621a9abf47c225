//! Memoised groups: one instance per process (or per scope, see `scope`), so
//! every caller observes into the same collectors however often it asks.

use once_cell::sync::OnceCell;
use prometheus::Registry;

use crate::build::BuildContext;
use crate::{Error, MetricGroup};

/// A group built once, with the const label values it was built with.
pub struct Memoised<G> {
    group: G,
    const_labels: Vec<String>,
}

/// Builds the group on first use; later calls return the same instance.
pub fn global<G: MetricGroup>(cell: &'static OnceCell<Memoised<G>>) -> Result<&'static G, Error> {
    built(cell, Vec::new()).map(|memo| &memo.group)
}

/// Builds the group with these const label values on first use and
/// registers it on `registry` (again, harmlessly, on later calls). Asking for
/// other values than the first call's is an error: `get()` can only return one.
pub fn init<G: MetricGroup>(
    cell: &'static OnceCell<Memoised<G>>,
    registry: &Registry,
    const_labels: Vec<String>,
) -> Result<&'static G, Error> {
    let memo = built(cell, const_labels.clone())?;
    if memo.const_labels != const_labels {
        return Err(Error::AlreadyInitialized {
            group: G::GROUP.name,
            existing: memo.const_labels.clone(),
            requested: const_labels,
        });
    }
    memo.group.register(registry)?;
    Ok(&memo.group)
}

/// The instance built by an earlier `init`, if any.
pub fn get<G: MetricGroup>(cell: &'static OnceCell<Memoised<G>>) -> Option<&'static G> {
    cell.get().map(|memo| &memo.group)
}

fn built<G: MetricGroup>(
    cell: &'static OnceCell<Memoised<G>>,
    const_labels: Vec<String>,
) -> Result<&'static Memoised<G>, Error> {
    cell.get_or_try_init(|| {
        let context = BuildContext::registry(G::GROUP, const_labels.clone());
        Ok(Memoised {
            group: G::build(&context)?,
            const_labels,
        })
    })
}
