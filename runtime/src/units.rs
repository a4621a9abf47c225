//! The units metrics were declared with, for OpenMetrics' `# UNIT` lines.
//! A leaf module.
//!
//! A family reaches the encoder as prometheus' protobuf structures or as a
//! captured `Family`, neither of which carries a unit, and under its full
//! name, which a scope's or registry's prefix may have lengthened. So each
//! build records its metric's declared (unprefixed) name with its unit, and
//! the encoder looks a family's exposed name up by its suffixes at `_`
//! boundaries. The keys are the declarations' own `&'static str`s: the table
//! holds at most one entry per declared name, however many instances,
//! scopes or prefixes are built.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

/// Declared name -> its unit; `None` where two declarations of one name
/// disagree (then no `# UNIT` line is written for it).
static UNITS: RwLock<Option<HashMap<&'static str, Option<&'static str>>>> = RwLock::new(None);

/// Records that the metric declared as `name` has `unit`.
pub(crate) fn declare(name: &'static str, unit: &'static str) {
    let known = UNITS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .and_then(|units| units.get(name).copied());
    if known == Some(Some(unit)) {
        return;
    }
    let mut units = UNITS.write().unwrap_or_else(PoisonError::into_inner);
    let entry = units.get_or_insert_with(HashMap::new).entry(name);
    entry
        .and_modify(|held| {
            if *held != Some(unit) {
                *held = None;
            }
        })
        .or_insert(Some(unit));
}

/// The unit declared for the metric exposed as `exposed` (its declared name
/// or that name behind prefixes), if one was and the name `family` (the
/// name OpenMetrics gives the family) ends with `_` and the unit, as
/// OpenMetrics requires.
pub(crate) fn unit_of(exposed: &str, family: &str) -> Option<&'static str> {
    let units = UNITS.read().unwrap_or_else(PoisonError::into_inner);
    let units = units.as_ref()?;
    let suffixes = std::iter::once(exposed)
        .chain(exposed.match_indices('_').map(|(at, _)| &exposed[at + 1..]));
    let unit = suffixes
        .filter(|suffix| !suffix.is_empty())
        .find_map(|suffix| units.get(suffix).copied())??;
    let carried = family
        .strip_suffix(unit)
        .is_some_and(|rest| rest.ends_with('_'));
    carried.then_some(unit)
}

#[cfg(test)]
mod tests {
    use super::{declare, unit_of};

    #[test]
    fn units_are_found_behind_prefixes_and_only_where_the_name_carries_them() {
        declare("units_test_wait_seconds", "seconds");
        declare("units_test_size", "bytes");
        declare("units_test_both", "seconds");
        declare("units_test_both", "bytes");
        assert_eq!(
            unit_of("units_test_wait_seconds", "units_test_wait_seconds"),
            Some("seconds")
        );
        assert_eq!(
            unit_of(
                "router_units_test_wait_seconds",
                "router_units_test_wait_seconds"
            ),
            Some("seconds")
        );
        // Declared with a unit its name does not carry: no `# UNIT` line.
        assert_eq!(unit_of("units_test_size", "units_test_size"), None);
        // Two declarations disagree.
        assert_eq!(unit_of("units_test_both", "units_test_both"), None);
        assert_eq!(
            unit_of("units_test_never_declared", "units_test_never_declared"),
            None
        );
    }
}
