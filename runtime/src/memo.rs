//! Memoised groups: one instance per distinct set of const label values and
//! start-up configuration (per process here, per scope in `scope`), so every
//! caller asking for the same values observes into the same collectors
//! however often it asks, until the values are evicted.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use prometheus::Registry;

use crate::build::BuildContext;
use crate::config::{ConfigKey, GroupConfig};
use crate::prom::lock;
use crate::{Error, MetricGroup};

/// The instances of one registry group, keyed by their const label values
/// and configuration.
///
/// Each instance is shared (`Arc`): the memo holds one reference until the
/// values are evicted ([`evict`]), callers hold theirs, and the instance is
/// freed when the last goes. `global()` hands out `&'static` references to
/// the one instance of a group without const labels; that instance is never
/// freed.
pub struct Instances<G: 'static> {
    by_values: Mutex<Option<HashMap<InstanceKey, Instance<G>>>>,
}

impl<G> std::fmt::Debug for Instances<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instances").finish_non_exhaustive()
    }
}

/// What tells two instances of one group apart.
type InstanceKey = (Vec<String>, ConfigKey);

/// A memoised instance and the registries `init` registered it on.
struct Instance<G: 'static> {
    group: Arc<G>,
    /// Kept to unregister the instance when it is evicted (a clone shares
    /// the registry).
    registries: Vec<Registry>,
    /// The reference `global()` hands out, leaked once.
    global: Option<&'static G>,
}

impl<G> Instances<G> {
    /// An empty memo, for the `static` each generated group declares.
    #[must_use]
    pub const fn new() -> Self {
        Instances {
            by_values: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<HashMap<InstanceKey, Instance<G>>>> {
        // The map is only written after a successful build or registration,
        // so a poisoned lock still guards a consistent map.
        lock(&self.by_values)
    }
}

impl<G> Default for Instances<G> {
    fn default() -> Self {
        Self::new()
    }
}

/// Builds the instance without const labels on first use; later calls
/// return the same instance. It is not registered (see `init`). The
/// reference is `'static`: this instance is never freed, even once evicted.
///
/// # Errors
///
/// The group's configuration is invalid or a collector cannot be built.
pub fn global<G: MetricGroup>(memo: &'static Instances<G>) -> Result<&'static G, Error> {
    let config = GroupConfig::default().resolve(G::GROUP)?;
    let key = (Vec::new(), config.key());
    let mut instances = memo.lock();
    let instance = instance(&mut instances, key, config)?;
    Ok(*instance.global.get_or_insert_with(|| {
        // The leaked clone keeps the instance alive for good.
        let leaked: &'static Arc<G> = Box::leak(Box::new(instance.group.clone()));
        leaked
    }))
}

/// Builds a group that no memo holds, configured by `config`.
///
/// # Errors
///
/// The configuration is invalid or a collector cannot be built.
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
///
/// # Errors
///
/// The configuration is invalid, a collector cannot be built, or
/// registering on `registry` clashes with a collector already there; an
/// instance built by this call is then forgotten ([`get`] finds none).
pub fn init<G: MetricGroup>(
    memo: &'static Instances<G>,
    registry: &Registry,
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> Result<Arc<G>, Error> {
    let config = config.resolve(G::GROUP)?;
    let key = (const_labels, config.key());
    // Building and registering under the lock: two threads asking for new
    // values at once must not build two instances of one value set, and an
    // eviction must see every registry the instance is on.
    let mut instances = memo.lock();
    let existed = instances.as_ref().is_some_and(|map| map.contains_key(&key));
    let instance = instance(&mut instances, key.clone(), config)?;
    match crate::registration::register(G::GROUP, || instance.group.collectors(), registry) {
        Ok(registered) => {
            if registered {
                instance.registries.push(registry.clone());
            }
            Ok(instance.group.clone())
        }
        Err(error) => {
            // Built by this call for a registry that refused it: no registry
            // holds it, so `get` must not hand it out (writes to it would be
            // lost). An instance an earlier `init` registered stays.
            if !existed {
                if let Some(map) = instances.as_mut() {
                    map.remove(&key);
                }
            }
            Err(error)
        }
    }
}

/// The instance an earlier `init` (or `global`) built for these values and
/// configuration, if any.
pub fn get<G: MetricGroup>(
    memo: &'static Instances<G>,
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> Option<Arc<G>> {
    let key = (const_labels, config.resolve(G::GROUP).ok()?.key());
    let instances = memo.lock();
    Some(instances.as_ref()?.get(&key)?.group.clone())
}

/// Forgets the instance for these values and configuration and unregisters
/// its collectors from every registry `init` registered it on; whether there
/// was one. The instance is freed once the last `Arc` a caller holds is
/// dropped; `init` with these values builds a new one.
pub fn evict<G: MetricGroup>(
    memo: &'static Instances<G>,
    const_labels: Vec<String>,
    config: &GroupConfig,
) -> bool {
    let Ok(config) = config.resolve(G::GROUP) else {
        return false;
    };
    let key = (const_labels, config.key());
    // Unregistering under the lock: an `init` of these values racing this
    // eviction registers its new instance only once the old one is gone.
    let mut instances = memo.lock();
    let Some(evicted) = instances.as_mut().and_then(|map| map.remove(&key)) else {
        return false;
    };
    for registry in &evicted.registries {
        crate::registration::unregister(G::GROUP, evicted.group.collectors(), registry);
    }
    drop(instances);
    // The instance itself (when this was its last `Arc`) is dropped here,
    // outside the lock.
    drop(evicted);
    true
}

fn instance<G: MetricGroup>(
    instances: &mut Option<HashMap<InstanceKey, Instance<G>>>,
    key: InstanceKey,
    config: crate::config::Resolved,
) -> Result<&mut Instance<G>, Error> {
    match instances.get_or_insert_with(HashMap::new).entry(key) {
        Entry::Occupied(entry) => Ok(entry.into_mut()),
        Entry::Vacant(entry) => {
            let context = BuildContext::new(
                String::new(),
                Vec::new(),
                G::GROUP,
                entry.key().0.clone(),
                config,
            );
            // A failed build leaves the entry vacant.
            let group = Arc::new(G::build(&context)?);
            Ok(entry.insert(Instance {
                group,
                registries: Vec::new(),
                global: None,
            }))
        }
    }
}
