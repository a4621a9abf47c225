//! The path generated code names the runtime's support items by.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The runtime's private module for this exact version: the runtime pins
/// this crate with `=`, and the name carries the version, so a derive paired
/// with another runtime version fails on one unresolved path instead of on
/// whatever the private items happen to differ in (serde does the same).
const MODULE: &str = concat!(
    "__private_",
    env!("CARGO_PKG_VERSION_MAJOR"),
    "_",
    env!("CARGO_PKG_VERSION_MINOR"),
    "_",
    env!("CARGO_PKG_VERSION_PATCH"),
);

/// `<krate>::__private_<version>`.
pub(crate) fn path(krate: &TokenStream) -> TokenStream {
    let module = Ident::new(MODULE, Span::call_site());
    quote!(#krate::#module)
}
