//! Memoised groups: one instance per distinct set of const label values and
//! start-up configuration (per process here, per scope in `scope`), so every
//! caller asking for the same values observes into the same collectors
//! however often it asks.

use std::sync::{Mutex, MutexGuard};

use prometheus::Registry;

use crate::build::BuildContext;
use crate::config::{ConfigKey, GroupConfig};
use crate::prom::lock;
use crate::{Error, MetricGroup};

/// The instances of one registry group, keyed by their const label values
/// and configuration.
///
/// Each instance is leaked to hand out `&'static` references: one per
/// distinct value set the program asks for, so the memory is bounded by the
/// number of value sets it uses (a handful of router ids, not per request).
pub struct Instances<G: 'static> {
    by_values: Mutex<Vec<(InstanceKey, &'static G)>>,
}

/// What tells two instances of one group apart.
type InstanceKey = (Vec<String>, ConfigKey);

impl<G> Instances<G> {
    /// An empty memo, for the `static` each generated group declares.
    #[must_use]
    pub const fn new() -> Self {
        Instances {
            by_values: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(InstanceKey, &'static G)>> {
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
    built(memo, Vec::new(), &GroupConfig::default())
}

/// Builds a group that no memo holds, configured by `config`.
pub fn standalone<G: MetricGroup>(
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> Result<G, Error> {
    let config = config.resolve(G::GROUP)?;
    G::build(&BuildContext::new(
        String::new(),
        Vec::new(),
        G::GROUP,
        const_labels,
        config,
    ))
}

/// Builds the instance for these const label values and configuration on
/// first use and registers it on `registry` (again, harmlessly, on later
/// calls). Other values build and register another instance beside it:
/// prometheus accepts collectors of one name whose const label values
/// differ, and a scrape shows them as one family.
pub fn init<G: MetricGroup>(
    memo: &'static Instances<G>,
    registry: &Registry,
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> Result<&'static G, Error> {
    let group = built(memo, const_labels, config)?;
    group.register(registry)?;
    Ok(group)
}

/// The instance an earlier `init` (or `global`) built for these values and
/// configuration, if any.
pub fn get<G: MetricGroup>(
    memo: &'static Instances<G>,
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> Option<&'static G> {
    let key = (const_labels, config.resolve(G::GROUP).ok()?.key());
    find(&memo.lock(), &key)
}

fn find<G>(instances: &[(InstanceKey, &'static G)], key: &InstanceKey) -> Option<&'static G> {
    instances
        .iter()
        .find(|(instance, _)| instance == key)
        .map(|(_, group)| *group)
}

fn built<G: MetricGroup>(
    memo: &'static Instances<G>,
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> Result<&'static G, Error> {
    let config = config.resolve(G::GROUP)?;
    let key = (const_labels, config.key());
    // Building under the lock: two threads asking for new values at once
    // must not build two instances of one value set.
    let mut instances = memo.lock();
    if let Some(group) = find(&instances, &key) {
        return Ok(group);
    }
    let context = BuildContext::new(String::new(), Vec::new(), G::GROUP, key.0.clone(), config);
    let group: &'static G = Box::leak(Box::new(G::build(&context)?));
    instances.push((key, group));
    Ok(group)
}
