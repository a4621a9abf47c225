//! The metrics hierarchy: a runtime and any number of levels below it, each
//! a name of the hierarchy's [`Naming`] (Dynamo's: runtime → namespace →
//! component → endpoint; [`DynamoLevels`] spells them as methods).
//!
//! Modelled on Dynamo's `MetricsHierarchy`. Each level owns a registry and
//! knows its children; a group created at a level is registered there only,
//! its names get the hierarchy's prefix and its series the labels of every
//! level down to it, plus the process' instance label (Dynamo's `worker_id`)
//! at the levels the naming says, when the runtime was given an instance id.
//! A scrape of a level walks its subtree and merges the families it finds.
//!
//! A group's own labels may not reuse a label its scope adds or may add
//! (refused at compile time for the default naming, at creation for any),
//! nor, for const labels, a name the naming reserves.
//!
//! Groups are memoised per scope, not per process: two components each get
//! their own `RouterRequestMetrics`, with their own labels.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use metric_group_rules::hierarchy::is_reserved_by;
use prometheus::proto::MetricFamily;
use prometheus::Registry;

use crate::build::BuildContext;
use crate::config::{ConfigKey, GroupConfig, Resolved};
use crate::descriptor::ScopeKind;
pub use crate::naming::{
    InstanceNaming, LevelNaming, Naming, NamingPreset, DEFAULT_NAMING, DYNAMO_NAMING,
};
use crate::prom::lock;
use crate::{encode, gather};
use crate::{Error, MetricGroup};

/// Builds the root of a hierarchy: its naming and, once, the process'
/// instance id. From [`Scope::builder`].
#[derive(Debug)]
#[must_use = "call `build()` to get the runtime scope"]
pub struct RuntimeBuilder {
    naming: Naming,
    instance_value: Option<String>,
    instance_set_twice: bool,
}

impl RuntimeBuilder {
    /// The hierarchy's naming (Dynamo's by default).
    pub fn naming(mut self, naming: Naming) -> Self {
        self.naming = naming;
        self
    }

    /// The process' instance id, written in lowercase hex as the instance
    /// label's value (Dynamo's `worker_id`).
    pub fn instance_id(self, id: u64) -> Self {
        self.instance_value(format!("{id:x}"))
    }

    /// The instance label's value, as given. Once per runtime: a second
    /// value makes [`build`](Self::build) fail.
    pub fn instance_value(mut self, value: impl Into<String>) -> Self {
        self.instance_set_twice |= self.instance_value.is_some();
        self.instance_value = Some(value.into());
        self
    }

    /// The runtime scope.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] for an invalid naming, an instance value
    /// given twice, empty, or for a naming without an instance label.
    pub fn build(self) -> Result<Scope, Error> {
        self.naming.validate()?;
        let mut instance = None;
        if let Some(value) = self.instance_value {
            if self.instance_set_twice {
                return Err(Error::invalid_name(
                    &value,
                    "the instance label is set once per runtime",
                ));
            }
            if value.is_empty() {
                return Err(Error::invalid_name(
                    &value,
                    "the instance label's value must not be empty",
                ));
            }
            let Some(naming) = &self.naming.instance else {
                return Err(Error::invalid_name(
                    &value,
                    "the naming has no instance label",
                ));
            };
            let depth = self.naming.depth_of(&naming.from_level);
            instance = depth.map(|depth| Instance {
                label: naming.label.clone(),
                value,
                depth,
            });
        }
        Ok(Scope::new_root(Hierarchy {
            naming: self.naming,
            instance,
        }))
    }
}

/// What every scope of one hierarchy shares.
#[derive(Debug)]
struct Hierarchy {
    naming: Naming,
    instance: Option<Instance>,
}

/// The instance label with its value, and the depth it starts at.
#[derive(Debug)]
struct Instance {
    label: String,
    value: String,
    depth: usize,
}

impl Hierarchy {
    /// The depth from which the naming's instance label applies, whether or
    /// not this runtime has a value for it.
    fn instance_depth(&self) -> Option<usize> {
        let instance = self.naming.instance.as_ref()?;
        self.naming.depth_of(&instance.from_level)
    }
}

/// A node of the hierarchy. Cloning is cheap and shares the node.
#[derive(Clone)]
pub struct Scope {
    node: Arc<Node>,
}

struct Node {
    /// 0 for the runtime, 1 for the first level of the naming, ...
    depth: usize,
    name: String,
    hierarchy: Arc<Hierarchy>,
    /// The level labels down to this scope, outermost first.
    level_labels: Vec<(String, String)>,
    /// The level labels, then the instance label where it applies.
    labels: Vec<(String, String)>,
    registry: Registry,
    /// Registries of the service's own joined to this scope's scrape
    /// ([`Scope::include_registry`]).
    included: Mutex<Vec<Registry>>,
    children: Mutex<Vec<Scope>>,
    /// One instance per group type, const label values and configuration.
    groups: Mutex<HashMap<GroupKey, Arc<dyn Any + Send + Sync>>>,
}

/// A memoised group's type, const label values and configuration.
type GroupKey = (TypeId, Vec<String>, ConfigKey);

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("level", &self.level())
            .field("labels", &self.node.labels)
            .finish()
    }
}

/// Label values are made of `[a-zA-Z0-9_]`: anything else becomes `_`, so
/// `my-ns` is labelled `my_ns`.
pub(crate) fn sanitize_label_value(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl Scope {
    /// The root of a hierarchy with Dynamo's naming and no instance id: no
    /// family gets an instance label.
    #[must_use]
    pub fn runtime() -> Scope {
        Scope::new_root(Hierarchy {
            naming: Naming::default(),
            instance: None,
        })
    }

    /// The root of a hierarchy with its own naming and no instance id.
    ///
    /// # Errors
    ///
    /// As [`RuntimeBuilder::build`]: the naming is invalid.
    pub fn runtime_with(naming: Naming) -> Result<Scope, Error> {
        Scope::builder().naming(naming).build()
    }

    /// A root with Dynamo's naming unless told otherwise, and optionally the
    /// process' instance id:
    /// `Scope::builder().instance_id(id).build()?` labels every family at
    /// component level and below `worker_id="<id in hex>"`.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder {
            naming: Naming::default(),
            instance_value: None,
            instance_set_twice: false,
        }
    }

    fn new_root(hierarchy: Hierarchy) -> Scope {
        let mut labels = Vec::new();
        if let Some(instance) = &hierarchy.instance {
            if instance.depth == 0 {
                labels.push((instance.label.clone(), instance.value.clone()));
            }
        }
        Scope {
            node: Arc::new(Node {
                depth: 0,
                name: String::new(),
                hierarchy: Arc::new(hierarchy),
                level_labels: Vec::new(),
                labels,
                registry: Registry::new(),
                included: Mutex::default(),
                children: Mutex::default(),
                groups: Mutex::default(),
            }),
        }
    }

    /// The scope `name` one level below this one, whatever the naming calls
    /// that level (the same scope on every call).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when this scope is at the naming's deepest
    /// level, `name` is empty, or its label value (sanitised) is a sibling
    /// scope's.
    pub fn child(&self, name: &str) -> Result<Scope, Error> {
        if self.node.depth >= self.node.hierarchy.naming.levels.len() {
            return Err(Error::invalid_name(
                name,
                "this scope is at the naming's deepest level",
            ));
        }
        self.new_child(name)
    }

    /// The scope `name` one level below this one, when the naming calls
    /// that level `level` (the same scope on every call).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the level below this scope has another
    /// name, or as [`child`](Self::child).
    pub fn child_at_level(&self, level: &str, name: &str) -> Result<Scope, Error> {
        self.child_named(
            level,
            name,
            "the level below this scope is not the one named",
        )
    }

    /// The name the naming gives this scope's level (`runtime` at the root).
    #[must_use]
    pub fn level(&self) -> &str {
        self.node.hierarchy.naming.level_name(self.node.depth)
    }

    /// How many levels below the runtime this scope is (0 for the runtime).
    #[must_use]
    pub fn depth(&self) -> usize {
        self.node.depth
    }

    /// The name this scope was created with (empty for the runtime).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.node.name
    }

    /// The registry of this level alone.
    #[must_use]
    pub fn registry(&self) -> &Registry {
        &self.node.registry
    }

    /// Joins `registry` (a service's own, such as a frontend's) to this
    /// scope's scrape: [`gather`](Self::gather),
    /// [`encode_text`](Self::encode_text),
    /// [`encode_openmetrics`](Self::encode_openmetrics) and a served scope
    /// of this level or above merge its families with the hierarchy's, by
    /// the same rules (a family two registries hold must agree on help and
    /// type; a series both hold is written once if identical, refused
    /// otherwise). Its metrics get no scope labels: they are exposed as
    /// registered. Kept until the scope is dropped.
    ///
    /// ```
    /// use metric_group::prometheus::{IntCounter, Registry};
    /// use metric_group::scope::Scope;
    ///
    /// let frontend = Registry::new();
    /// let up = IntCounter::new("frontend_up_total", "Frontend starts").unwrap();
    /// frontend.register(Box::new(up.clone())).unwrap();
    /// up.inc();
    /// let scope = Scope::runtime();
    /// scope.include_registry(&frontend);
    /// assert!(scope.encode_text()?.contains("frontend_up_total 1\n"));
    /// # Ok::<(), metric_group::Error>(())
    /// ```
    pub fn include_registry(&self, registry: &Registry) {
        lock(&self.node.included).push(registry.clone());
    }

    /// The runtime's instance label value (as given to
    /// [`RuntimeBuilder::instance_value`], or the hex of
    /// [`RuntimeBuilder::instance_id`]), whether or not its label applies
    /// at this scope's level; `None` when none was given.
    #[must_use]
    pub fn instance_value(&self) -> Option<&str> {
        (self.node.hierarchy.instance.as_ref()).map(|instance| instance.value.as_str())
    }

    /// The labels every metric created here carries: the level labels,
    /// outermost first, then the instance label where it applies.
    #[must_use]
    pub fn labels(&self) -> &[(String, String)] {
        &self.node.labels
    }

    /// The value of the label this scope's level adds (empty at the runtime).
    fn label_value(&self) -> &str {
        self.node
            .level_labels
            .last()
            .map_or("", |(_, value)| value.as_str())
    }

    /// [`child_at_level`](Self::child_at_level) with the reason an error
    /// gives: callers that know the level's name at compile time say it.
    fn child_named(&self, level: &str, name: &str, reason: &'static str) -> Result<Scope, Error> {
        let naming = &self.node.hierarchy.naming;
        let below = naming.levels.get(self.node.depth).map(|l| l.name.as_str());
        if below != Some(level) {
            return Err(Error::invalid_name(name, reason));
        }
        self.new_child(name)
    }

    fn new_child(&self, name: &str) -> Result<Scope, Error> {
        let value = sanitize_label_value(name);
        if value.is_empty() {
            return Err(Error::invalid_name(name, "scope names must not be empty"));
        }
        let mut children = lock(&self.node.children);
        for child in children.iter() {
            if child.node.name == name {
                return Ok(child.clone());
            }
            if child.label_value() == value {
                // Two scopes with one label value would merge their series.
                return Err(Error::invalid_name(
                    name,
                    "its label value is the same as a sibling scope's after sanitising",
                ));
            }
        }
        let hierarchy = &self.node.hierarchy;
        let depth = self.node.depth + 1;
        let mut level_labels = self.node.level_labels.clone();
        level_labels.push((hierarchy.naming.levels[depth - 1].label.clone(), value));
        let mut labels = level_labels.clone();
        if let Some(instance) = &hierarchy.instance {
            if depth >= instance.depth {
                labels.push((instance.label.clone(), instance.value.clone()));
            }
        }
        let child = Scope {
            node: Arc::new(Node {
                depth,
                name: name.to_owned(),
                hierarchy: hierarchy.clone(),
                level_labels,
                labels,
                registry: Registry::new(),
                included: Mutex::default(),
                children: Mutex::default(),
                groups: Mutex::default(),
            }),
        };
        children.push(child.clone());
        Ok(child)
    }

    /// This scope's instance of `G` for these const label values, built and
    /// registered here on first call; other values build another instance
    /// beside it (one family per metric in the scrape). Generated `for_scope`
    /// functions call this.
    ///
    /// # Errors
    ///
    /// As the generated `for_scope`.
    pub fn group<G: MetricGroup>(&self, const_labels: Vec<String>) -> Result<Arc<G>, Error> {
        self.configured_group(const_labels, &GroupConfig::default())
    }

    /// [`group`](Self::group) with a start-up configuration (a builder's):
    /// instances are memoised per values and configuration.
    pub(crate) fn configured_group<G: MetricGroup>(
        &self,
        const_labels: Vec<String>,
        config: &GroupConfig,
    ) -> Result<Arc<G>, Error> {
        if let ScopeKind::Hierarchy(Some(expected)) = G::GROUP.scope {
            if expected != self.level() {
                return Err(Error::WrongLevel {
                    group: G::GROUP.name,
                    expected,
                    found: self.level().to_owned(),
                });
            }
        }
        let config = config.resolve(G::GROUP)?;
        let mut groups = lock(&self.node.groups);
        let key = (TypeId::of::<G>(), const_labels, config.key());
        if let Some(existing) = groups.get(&key) {
            if let Ok(group) = existing.clone().downcast::<G>() {
                return Ok(group);
            }
        }
        let context = self.build_context::<G>(&key.1, config)?;
        let group = Arc::new(G::build(&context)?);
        group.register(&self.node.registry)?;
        groups.insert(key, group.clone());
        Ok(group)
    }

    /// Forgets this scope's instance of `G` for these const label values
    /// and configuration and unregisters it from the scope's registry;
    /// whether there was one. The instance is freed once the last `Arc` a
    /// caller holds is dropped; asking for these values again builds a new
    /// one. Generated `evict` functions of scoped groups call this.
    pub(crate) fn evict_group<G: MetricGroup>(
        &self,
        const_labels: Vec<String>,
        config: &GroupConfig,
    ) -> bool {
        let Ok(config) = config.resolve(G::GROUP) else {
            return false;
        };
        let key = (TypeId::of::<G>(), const_labels, config.key());
        // Unregistering under the lock, as `configured_group` registers.
        let mut groups = lock(&self.node.groups);
        let Some(evicted) = groups.remove(&key) else {
            return false;
        };
        if let Ok(group) = evicted.downcast::<G>() {
            group.unregister(&self.node.registry);
        }
        true
    }

    /// The label names a group created here may not use: those this scope
    /// adds, and the instance label from its level down even when this
    /// runtime has no instance id (so a group that works without one keeps
    /// working with one).
    fn taken_label_names(&self) -> Vec<&str> {
        let mut taken: Vec<&str> = self.node.labels.iter().map(|(l, _)| l.as_str()).collect();
        let hierarchy = &self.node.hierarchy;
        if let (Some(instance), Some(depth)) =
            (&hierarchy.naming.instance, hierarchy.instance_depth())
        {
            if self.node.depth >= depth && !taken.contains(&instance.label.as_str()) {
                taken.push(&instance.label);
            }
        }
        taken
    }

    fn build_context<G: MetricGroup>(
        &self,
        const_labels: &[String],
        config: Resolved,
    ) -> Result<BuildContext, Error> {
        let naming = &self.node.hierarchy.naming;
        let name_prefix = if naming.metric_prefix.is_empty() {
            String::new()
        } else {
            format!("{}_", naming.metric_prefix)
        };
        let context = BuildContext::new(
            name_prefix,
            self.node.labels.clone(),
            G::GROUP,
            const_labels.to_vec(),
            config,
        );
        let taken = self.taken_label_names();
        for metric in G::GROUP.metrics {
            for label in G::GROUP.const_labels.iter().chain(metric.labels) {
                if taken.contains(label) {
                    return Err(Error::LabelShadowed {
                        metric: context.full_name(metric),
                        label: (*label).to_owned(),
                    });
                }
            }
            for label in G::GROUP.const_labels {
                if is_reserved_by(label, &naming.reserved_const_labels) {
                    return Err(Error::LabelReserved {
                        metric: context.full_name(metric),
                        label: (*label).to_owned(),
                    });
                }
            }
        }
        Ok(context)
    }

    /// Every family of this scope and the scopes below it, merged by name and
    /// sorted: a family seen at two levels must agree on help and type, a
    /// series seen twice is kept once if identical and refused otherwise, and
    /// a series carrying one label name twice is refused.
    ///
    /// # Errors
    ///
    /// [`Error::Inconsistent`] for a family or series two levels disagree
    /// on, [`Error::DuplicateLabel`] for a series with one label name twice.
    pub fn gather(&self) -> Result<Vec<MetricFamily>, Error> {
        let mut registries = Vec::new();
        self.collect_registries(&mut registries);
        gather::merge(registries.iter())
    }

    /// This scope's registry (and those it includes) and those below it,
    /// parents before children.
    fn collect_registries(&self, out: &mut Vec<Registry>) {
        out.push(self.node.registry.clone());
        out.extend(lock(&self.node.included).iter().cloned());
        let children = lock(&self.node.children).clone();
        for child in children {
            child.collect_registries(out);
        }
    }

    /// [`gather`](Self::gather) in the text exposition format, written
    /// straight from the families (no protobuf structures for the
    /// library's own `Family` fields; see [`crate::encode`]).
    ///
    /// # Errors
    ///
    /// As [`gather`](Self::gather).
    pub fn encode_text(&self) -> Result<String, Error> {
        let mut registries = Vec::new();
        self.collect_registries(&mut registries);
        encode::encode_registries(&registries, encode::Format::Text)
    }

    /// [`encode_text`](Self::encode_text) in the OpenMetrics text format
    /// ([`crate::encode_openmetrics`] says what differs).
    ///
    /// # Errors
    ///
    /// As [`crate::encode_openmetrics`].
    pub fn encode_openmetrics(&self) -> Result<String, Error> {
        let mut registries = Vec::new();
        self.collect_registries(&mut registries);
        encode::encode_registries(&registries, encode::Format::OpenMetrics)
    }
}

/// A scope served ([`crate::serve`]) writes its hierarchy's exposition in
/// the format the scraper asks for.
#[cfg(feature = "serve")]
impl crate::serve::Exposition for Scope {
    fn exposition(&self) -> Result<String, Error> {
        self.encode_text()
    }

    fn openmetrics(&self) -> Option<Result<String, Error>> {
        Some(self.encode_openmetrics())
    }
}

/// The levels of [`DYNAMO_NAMING`] by name: `scope.namespace("ns")` is
/// `scope.child_at_level("namespace", "ns")`. A hierarchy runs any naming and
/// [`Scope::child`] or [`Scope::child_at_level`] walk it; these methods only
/// spell Dynamo's level names, for code written against its hierarchy.
///
/// ```
/// use metric_group::scope::{DynamoLevels, Scope};
///
/// let endpoint = Scope::runtime()
///     .namespace("ns")?
///     .component("router")?
///     .endpoint("generate")?;
/// assert_eq!(endpoint.level(), "endpoint");
/// # Ok::<(), metric_group::Error>(())
/// ```
pub trait DynamoLevels {
    /// The namespace `name` of this runtime (the same scope on every call).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the level below this scope is not called
    /// `namespace`, or as [`Scope::child`].
    fn namespace(&self, name: &str) -> Result<Scope, Error>;

    /// The component `name` of this namespace.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the level below this scope is not called
    /// `component`, or as [`Scope::child`].
    fn component(&self, name: &str) -> Result<Scope, Error>;

    /// The endpoint `name` of this component.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] when the level below this scope is not called
    /// `endpoint`, or as [`Scope::child`].
    fn endpoint(&self, name: &str) -> Result<Scope, Error>;
}

impl DynamoLevels for Scope {
    fn namespace(&self, name: &str) -> Result<Scope, Error> {
        self.child_named(
            "namespace",
            name,
            "the level below this scope is not `namespace`",
        )
    }

    fn component(&self, name: &str) -> Result<Scope, Error> {
        self.child_named(
            "component",
            name,
            "the level below this scope is not `component`",
        )
    }

    fn endpoint(&self, name: &str) -> Result<Scope, Error> {
        self.child_named(
            "endpoint",
            name,
            "the level below this scope is not `endpoint`",
        )
    }
}
