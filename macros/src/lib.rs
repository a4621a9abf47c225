//! The derives behind `metric-group`. Users depend on the `metric-group`
//! crate, which re-exports them; see its documentation for the attributes.

#![forbid(unsafe_code)]

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod labels;
mod private;
mod suggest;

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod snapshot_tests;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

#[proc_macro_derive(MetricGroup, attributes(metric_group, metric))]
pub fn derive_metric_group(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}

#[proc_macro_derive(LabelSet, attributes(label_set))]
pub fn derive_label_set(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    labels::derive_label_set(&input).into()
}

#[proc_macro_derive(LabelValue, attributes(label_value))]
pub fn derive_label_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    labels::derive_label_value(&input).into()
}
