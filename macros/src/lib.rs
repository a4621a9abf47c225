//! The derives behind `metric-group`. Users depend on the `metric-group`
//! crate, which re-exports them; see its documentation for the attributes.
//!
//! This crate is only the compiler's entry points: the derives are
//! implemented in `metric-group-derive`, a plain library that tests and the
//! fuzz target can call in-process.

#![forbid(unsafe_code)]
#![deny(clippy::pedantic)]

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

#[proc_macro_derive(MetricGroup, attributes(metric_group, metric))]
pub fn derive_metric_group(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    metric_group_derive::derive_metric_group(&input).into()
}

#[proc_macro_derive(LabelSet, attributes(label_set, label))]
pub fn derive_label_set(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    metric_group_derive::derive_label_set(&input).into()
}

#[proc_macro_derive(LabelValue, attributes(label_value))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    metric_group_derive::derive_label_value(&input).into()
}
