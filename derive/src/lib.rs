//! The implementation of `metric-group`'s derives, `MetricGroup`,
//! `LabelSet` and `LabelValue`. This is not an API for users: the
//! `metric-group-macros` proc-macro crate calls these functions, and users
//! depend on `metric-group`, which re-exports the derives. It is a plain
//! library so that the expansion can be tested and fuzzed in-process.

#![forbid(unsafe_code)]
#![deny(clippy::pedantic)]
#![allow(
    // Folding reproduces Rust's own `as` casts, and a count is a checked non-negative integer.
    clippy::cast_possible_truncation,
    // As above: an integer bucket argument becomes an `f64` bound the way `as f64` would.
    clippy::cast_precision_loss,
    // As above: a bucket count is checked non-negative before it is cast.
    clippy::cast_sign_loss,
    // A two-armed `match` shows both cases; `if let ... else` would hide the second pattern.
    clippy::single_match_else,
    // A generator is one item's `quote!` template, the bucket parser one grammar: kept whole.
    clippy::too_many_lines,
)]

mod ast;
mod attr;
mod case;
mod check;
mod const_fold;
mod ctxt;
mod expand;
mod private;
mod suggest;

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod snapshot_tests;

use proc_macro2::TokenStream;
use syn::DeriveInput;

/// `#[derive(MetricGroup)]`: the generated items, or `compile_error!`s at
/// the tokens of every mistake in the input.
#[must_use]
pub fn derive_metric_group(input: &DeriveInput) -> TokenStream {
    expand::derive(input)
}

/// `#[derive(LabelSet)]`: the generated items, or `compile_error!`s.
#[must_use]
pub fn derive_label_set(input: &DeriveInput) -> TokenStream {
    expand::derive_label_set(input)
}

/// `#[derive(LabelValue)]`: the generated items, or `compile_error!`s.
#[must_use]
pub fn derive_label_value(input: &DeriveInput) -> TokenStream {
    expand::derive_label_value(input)
}
