//! Registering a group: all or nothing, and idempotent per registry.
//!
//! prometheus' `Registry` cannot say which collector holds a name, so a group
//! registers a marker beside its metrics: a collector with no series whose
//! descriptor carries the identity of the group's first collector (the address
//! of its shared descriptor, stable across clones and alive as long as the
//! registry holds the clone). Finding the marker already there means this very
//! instance is registered; anything else holding the names is a clash.

use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::Registry;

use crate::descriptor::GroupDescriptor;
use crate::prom::family_name;
use crate::Error;

struct RegistrationMarker {
    desc: Desc,
}

impl Collector for RegistrationMarker {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.desc]
    }

    fn collect(&self) -> Vec<MetricFamily> {
        Vec::new()
    }
}

const MARKER_NAME: &str = "metric_group_registration";

fn marker(group: &'static str, identity: usize) -> Result<RegistrationMarker, Error> {
    let labels = [
        ("group".to_owned(), group.to_owned()),
        ("instance".to_owned(), identity.to_string()),
    ];
    Desc::new(
        MARKER_NAME.to_owned(),
        "marks a metric group's registration; exposes no series".to_owned(),
        Vec::new(),
        labels.into_iter().collect(),
    )
    .map(|desc| RegistrationMarker { desc })
    .map_err(|source| Error::Register {
        metric: group.to_owned(),
        source,
    })
}

/// The identity the marker carries: the address of the first collector's
/// descriptor.
fn identity(collectors: &[Box<dyn Collector>]) -> Option<usize> {
    collectors.first().and_then(|c| {
        c.desc()
            .first()
            .map(|d| std::ptr::from_ref::<Desc>(*d) as usize)
    })
}

/// Registers every collector of a group, or none of them; whether they were
/// registered now (`false`: this instance was registered already, or has no
/// collectors). `collectors` returns fresh clones of the group's collectors
/// in declaration order (called again to undo a partial registration).
pub fn register(
    group: &GroupDescriptor,
    collectors: impl Fn() -> Vec<Box<dyn Collector>>,
    registry: &Registry,
) -> Result<bool, Error> {
    let first_pass = collectors();
    let Some(identity) = identity(&first_pass) else {
        return Ok(false);
    };
    match registry.register(Box::new(marker(group.name, identity)?)) {
        Ok(()) => {}
        Err(prometheus::Error::AlreadyReg) => return Ok(false),
        Err(source) => {
            return Err(Error::Register {
                metric: group.name.to_owned(),
                source,
            })
        }
    }
    for (index, collector) in first_pass.into_iter().enumerate() {
        let metric = family_name(collector.as_ref());
        if let Err(source) = registry.register(collector) {
            // Unregistering goes by descriptor, so fresh clones undo the ones
            // registered above.
            for done in collectors().into_iter().take(index) {
                let _ = registry.unregister(done);
            }
            let _ = registry.unregister(Box::new(marker(group.name, identity)?));
            let clash = matches!(&source, prometheus::Error::AlreadyReg)
                || matches!(&source, prometheus::Error::Msg(m) if m.contains("previously registered descriptor"));
            return Err(if clash {
                let field = group.metrics.get(index).map_or("?", |m| m.field);
                Error::AlreadyRegistered {
                    declared_by: format!("{}::{}.{}", group.module_path, group.name, field),
                    held_by: holder_of(group, &metric),
                    metric,
                }
            } else {
                Error::Register { metric, source }
            });
        }
    }
    Ok(true)
}

/// Unregisters a group's collectors (fresh clones of them) and its marker
/// from `registry`; whether the instance was registered there.
pub fn unregister(
    group: &GroupDescriptor,
    collectors: Vec<Box<dyn Collector>>,
    registry: &Registry,
) -> bool {
    let Some(identity) = identity(&collectors) else {
        return false;
    };
    let Ok(marker) = marker(group.name, identity) else {
        return false;
    };
    if registry.unregister(Box::new(marker)).is_err() {
        return false;
    }
    for collector in collectors {
        let _ = registry.unregister(collector);
    }
    true
}

/// Who may hold `metric`, for a clash's error: the catalog knows every group
/// linked into the binary that declares it.
fn holder_of(declaring: &GroupDescriptor, metric: &str) -> String {
    let catalog = crate::catalog::catalog();
    let mut holders: Vec<String> = Vec::new();
    for group in catalog.groups() {
        for declared in group
            .metrics
            .iter()
            .filter(|m| group.full_name(m) == metric)
        {
            // Consts have no stable address: compare what names the group.
            let same_group =
                group.module_path == declaring.module_path && group.name == declaring.name;
            holders.push(if same_group {
                format!(
                    "another instance of `{}::{}`",
                    group.module_path, group.name
                )
            } else {
                format!("`{}::{}.{}`", group.module_path, group.name, declared.field)
            });
        }
    }
    // The registry cannot say which collector holds the name, so a hand-
    // registered one always remains possible.
    holders.push("a collector registered outside metric-group".to_owned());
    holders.join(" or ")
}
