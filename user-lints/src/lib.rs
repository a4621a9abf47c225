//! A user's crate: the declarations that must compile (`tests/ui/pass`)
//! and the router service example's groups, built as a user builds them,
//! with `clippy::pedantic` denied. `cargo clippy --workspace` (`.ci/run`)
//! then fails on any pedantic lint the derives' generated code trips,
//! since the generated code carries no blanket `allow` of its own. The
//! modules are public, so the lints on exported API (`must_use_candidate`,
//! `missing_errors_doc`) judge the generated methods too.
//!
//! The router groups (`router/`) are linted the same way in their own crate.

#![deny(clippy::all, clippy::pedantic)]
// The declarations are compiled for their expansion, not used.
#![allow(dead_code)]

#[path = "../../tests/ui/pass/crate_path.rs"]
pub mod crate_path;
#[path = "../../tests/ui/pass/fixed_constants.rs"]
pub mod fixed_constants;
#[path = "../../tests/ui/pass/flatten_in_scope.rs"]
pub mod flatten_in_scope;
#[path = "../../tests/ui/pass/group_defaults.rs"]
pub mod group_defaults;
#[path = "../../tests/ui/pass/keywords_and_raw.rs"]
pub mod keywords_and_raw;
#[path = "../../tests/ui/pass/names_as_exposed.rs"]
pub mod names_as_exposed;
#[path = "../../tests/ui/pass/param_names.rs"]
pub mod param_names;
#[path = "../../tests/ui/pass/router_like.rs"]
pub mod router_like;
// The example computes a bucket argument as `(4 * BLOCK_SIZE) as f64`: a
// cast it writes itself, in a const context where `f64::from` is not
// available.
#[allow(clippy::cast_precision_loss)]
#[path = "../../examples/router_service/metrics.rs"]
pub mod service_metrics;
