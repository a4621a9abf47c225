//! Memoised groups: one instance per distinct set of const label values (per
//! process here, per scope in `scope`), so every caller asking for the same
//! values observes into the same collectors however often it asks.

use std::sync::{Mutex, MutexGuard};

use prometheus::Registry;

use crate::build::BuildContext;
use crate::prom::lock;
use crate::{Error, MetricGroup};

/// The instances of one registry group, keyed by their const label values.
///
/// Each instance is leaked to hand out `&'static` references: one per
/// distinct value set the program asks for, so the memory is bounded by the
/// number of value sets it uses (a handful of router ids, not per request).
pub struct Instances<G: 'static> {
    by_values: Mutex<Vec<(Vec<String>, &'static G)>>,
}

impl<G> Instances<G> {
    /// An empty memo, for the `static` each generated group declares.
    #[must_use]
    pub const fn new() -> Self {
        Instances {
            by_values: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(Vec<String>, &'static G)>> {
        // The list is only pushed to after a successful build, so a poisoned
        // lock still guards a consistent list.
        lock(&self.by_values)
    }
}

impl<G> Default for Instances<G> {
    fn default() -> Self {
        Self::new()
    }
}

/// Builds the instance without const labels on first use; later calls
/// return the same instance. It is not registered (see `init`).
pub fn global<G: MetricGroup>(memo: &'static Instances<G>) -> Result<&'static G, Error> {
    built(memo, Vec::new())
}

/// Builds the instance for these const label values on first use and
/// registers it on `registry` (again, harmlessly, on later calls). Other
/// values build and register another instance beside it: prometheus accepts
/// collectors of one name whose const label values differ, and a scrape
/// shows them as one family.
pub fn init<G: MetricGroup>(
    memo: &'static Instances<G>,
    registry: &Registry,
    const_labels: Vec<String>,
) -> Result<&'static G, Error> {
    let group = built(memo, const_labels)?;
    group.register(registry)?;
    Ok(group)
}

/// The instance an earlier `init` (or `global`) built for these values, if any.
pub fn get<G: MetricGroup>(
    memo: &'static Instances<G>,
    const_labels: &[String],
) -> Option<&'static G> {
    find(&memo.lock(), const_labels)
}

fn find<G>(instances: &[(Vec<String>, &'static G)], const_labels: &[String]) -> Option<&'static G> {
    instances
        .iter()
        .find(|(values, _)| values.as_slice() == const_labels)
        .map(|(_, group)| *group)
}

fn built<G: MetricGroup>(
    memo: &'static Instances<G>,
    const_labels: Vec<String>,
) -> Result<&'static G, Error> {
    // Building under the lock: two threads asking for new values at once
    // must not build two instances of one value set.
    let mut instances = memo.lock();
    if let Some(group) = find(&instances, &const_labels) {
        return Ok(group);
    }
    let context = BuildContext::registry(G::GROUP, const_labels.clone());
    let group: &'static G = Box::leak(Box::new(G::build(&context)?));
    instances.push((const_labels, group));
    Ok(group)
}
