//! The metrics hierarchy: runtime → namespace → component → endpoint.
//!
//! Modelled on Dynamo's `MetricsHierarchy`. Each level owns a registry and
//! knows its children; a group created at a level is registered there only,
//! its names get the hierarchy's prefix and its series the labels of every
//! level down to it. A scrape of a level walks its subtree and merges the
//! families it finds.
//!
//! Groups are memoised per scope, not per process: two components each get
//! their own `RouterRequestMetrics`, with their own labels.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

pub use metric_group_rules::hierarchy::Level;
use metric_group_rules::hierarchy::{DEFAULT_LEVEL_LABELS, DEFAULT_METRIC_PREFIX};
use metric_group_rules::{is_valid_label_name, is_valid_metric_name};
use prometheus::proto::MetricFamily;
use prometheus::Registry;

use crate::build::BuildContext;
use crate::descriptor::ScopeKind;
use crate::gather;
pub use crate::gather::encode_text;
use crate::{Error, MetricGroup};

/// The prefix scoped metrics get and the label each level adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Naming {
    /// Prepended, with `_`, to every scoped metric's name; may be empty.
    pub metric_prefix: String,
    /// The labels of the namespace, component and endpoint levels.
    pub level_labels: [String; 3],
}

impl Default for Naming {
    /// Dynamo's: `dynamo_component_` and `dynamo_namespace`,
    /// `dynamo_component`, `dynamo_endpoint`. Declarations are checked at
    /// compile time against these labels.
    fn default() -> Self {
        Naming {
            metric_prefix: DEFAULT_METRIC_PREFIX.to_owned(),
            level_labels: DEFAULT_LEVEL_LABELS.map(str::to_owned),
        }
    }
}

/// A node of the hierarchy. Cloning is cheap and shares the node.
#[derive(Clone)]
pub struct Scope {
    node: Arc<Node>,
}

struct Node {
    level: Level,
    name: String,
    naming: Arc<Naming>,
    labels: Vec<(String, String)>,
    registry: Registry,
    children: Mutex<Vec<Scope>>,
    groups: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

struct Memoised<G> {
    group: Arc<G>,
    const_labels: Vec<String>,
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("level", &self.node.level)
            .field("labels", &self.node.labels)
            .finish()
    }
}

/// Label values are made of `[a-zA-Z0-9_]`: anything else becomes `_`, so
/// `my-ns` is labelled `my_ns`.
pub fn sanitize_label_value(value: &str) -> String {
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

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves the maps consistent:
    // entries are inserted whole.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Scope {
    /// The root of a hierarchy with Dynamo's naming.
    pub fn runtime() -> Scope {
        Scope::new_root(Naming::default())
    }

    /// The root of a hierarchy with its own naming.
    pub fn runtime_with(naming: Naming) -> Result<Scope, Error> {
        if !naming.metric_prefix.is_empty() && !is_valid_metric_name(&naming.metric_prefix) {
            return Err(Error::InvalidName {
                name: naming.metric_prefix,
                reason: "not a valid metric name prefix",
            });
        }
        for (i, label) in naming.level_labels.iter().enumerate() {
            if !is_valid_label_name(label) || label.starts_with("__") {
                return Err(Error::InvalidName {
                    name: label.clone(),
                    reason: "not a valid label name",
                });
            }
            if naming.level_labels[..i].contains(label) {
                return Err(Error::InvalidName {
                    name: label.clone(),
                    reason: "used by two levels",
                });
            }
        }
        Ok(Scope::new_root(naming))
    }

    fn new_root(naming: Naming) -> Scope {
        Scope {
            node: Arc::new(Node {
                level: Level::Runtime,
                name: String::new(),
                naming: Arc::new(naming),
                labels: Vec::new(),
                registry: Registry::new(),
                children: Mutex::default(),
                groups: Mutex::default(),
            }),
        }
    }

    /// The namespace `name` of this runtime (the same scope on every call).
    pub fn namespace(&self, name: &str) -> Result<Scope, Error> {
        self.child(Level::Namespace, name)
    }

    /// The component `name` of this namespace.
    pub fn component(&self, name: &str) -> Result<Scope, Error> {
        self.child(Level::Component, name)
    }

    /// The endpoint `name` of this component.
    pub fn endpoint(&self, name: &str) -> Result<Scope, Error> {
        self.child(Level::Endpoint, name)
    }

    pub fn level(&self) -> Level {
        self.node.level
    }

    /// The name this scope was created with (empty for the runtime).
    pub fn name(&self) -> &str {
        &self.node.name
    }

    /// The registry of this level alone.
    pub fn registry(&self) -> &Registry {
        &self.node.registry
    }

    /// The labels every metric created here carries, outermost level first.
    pub fn labels(&self) -> &[(String, String)] {
        &self.node.labels
    }

    /// The value of the label this scope's level adds (empty at the runtime).
    fn label_value(&self) -> &str {
        self.node
            .labels
            .last()
            .map_or("", |(_, value)| value.as_str())
    }

    fn child(&self, level: Level, name: &str) -> Result<Scope, Error> {
        if self.node.level.child() != Some(level) {
            return Err(Error::InvalidName {
                name: name.to_owned(),
                reason: match level {
                    Level::Namespace => "namespaces are created from the runtime scope",
                    Level::Component => "components are created from a namespace scope",
                    _ => "endpoints are created from a component scope",
                },
            });
        }
        let value = sanitize_label_value(name);
        if value.is_empty() {
            return Err(Error::InvalidName {
                name: name.to_owned(),
                reason: "scope names must not be empty",
            });
        }
        let mut children = lock(&self.node.children);
        for child in children.iter() {
            if child.node.name == name {
                return Ok(child.clone());
            }
            if child.label_value() == value {
                // Two scopes with one label value would merge their series.
                return Err(Error::InvalidName {
                    name: name.to_owned(),
                    reason: "its label value is the same as a sibling scope's after sanitising",
                });
            }
        }
        let label = self.node.naming.level_labels[level as usize - 1].clone();
        let mut labels = self.node.labels.clone();
        labels.push((label, value));
        let child = Scope {
            node: Arc::new(Node {
                level,
                name: name.to_owned(),
                naming: self.node.naming.clone(),
                labels,
                registry: Registry::new(),
                children: Mutex::default(),
                groups: Mutex::default(),
            }),
        };
        children.push(child.clone());
        Ok(child)
    }

    /// This scope's instance of `G`, built and registered here on first call.
    /// Generated `for_scope` functions call this.
    pub fn group<G: MetricGroup>(&self, const_labels: Vec<String>) -> Result<Arc<G>, Error> {
        if let ScopeKind::Hierarchy(Some(expected)) = G::GROUP.scope {
            if expected != self.node.level {
                return Err(Error::WrongLevel {
                    group: G::GROUP.name,
                    expected: expected.as_str(),
                    found: self.node.level.as_str(),
                });
            }
        }
        let mut groups = lock(&self.node.groups);
        if let Some(existing) = groups.get(&TypeId::of::<G>()) {
            if let Some(memo) = existing.downcast_ref::<Memoised<G>>() {
                if memo.const_labels != const_labels {
                    return Err(Error::AlreadyInitialized {
                        group: G::GROUP.name,
                        existing: memo.const_labels.clone(),
                        requested: const_labels,
                    });
                }
                return Ok(memo.group.clone());
            }
        }
        let context = self.build_context::<G>(&const_labels)?;
        let group = Arc::new(G::build(&context)?);
        group.register(&self.node.registry)?;
        groups.insert(
            TypeId::of::<G>(),
            Arc::new(Memoised {
                group: group.clone(),
                const_labels,
            }),
        );
        Ok(group)
    }

    fn build_context<G: MetricGroup>(
        &self,
        const_labels: &[String],
    ) -> Result<BuildContext, Error> {
        let prefix = &self.node.naming.metric_prefix;
        let name_prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}_")
        };
        for (label, _) in &self.node.labels {
            let shadowing = G::GROUP.metrics.iter().find(|metric| {
                G::GROUP.const_labels.contains(&label.as_str())
                    || metric.labels.contains(&label.as_str())
            });
            if let Some(metric) = shadowing {
                return Err(Error::LabelShadowed {
                    metric: format!("{name_prefix}{}", metric.name),
                    label: label.clone(),
                });
            }
        }
        let mut labels = self.node.labels.clone();
        labels.extend(
            G::GROUP
                .const_labels
                .iter()
                .map(|name| (*name).to_owned())
                .zip(const_labels.iter().cloned()),
        );
        Ok(BuildContext {
            name_prefix,
            const_labels: labels,
        })
    }

    /// Every family of this scope and the scopes below it, merged by name and
    /// sorted: a family seen at two levels must agree on help and type, and
    /// a series seen twice is kept once if identical and refused otherwise.
    pub fn gather(&self) -> Result<Vec<MetricFamily>, Error> {
        let mut registries = Vec::new();
        self.collect_registries(&mut registries);
        gather::merge(registries.iter())
    }

    /// This scope's registry and those below it, parents before children.
    fn collect_registries(&self, out: &mut Vec<Registry>) {
        out.push(self.node.registry.clone());
        let children = lock(&self.node.children).clone();
        for child in children {
            child.collect_registries(out);
        }
    }

    /// [`gather`](Self::gather) in the text exposition format.
    pub fn encode_text(&self) -> Result<String, Error> {
        encode_text(&self.gather()?)
    }
}
