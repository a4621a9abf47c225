//! Collects every error of one input, so a single compile reports them all.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

#[derive(Default)]
pub(crate) struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    pub fn error_spanned_by<T: ToTokens, M: Display>(&self, tokens: T, message: M) {
        self.push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    pub fn error_at<M: Display>(&self, span: proc_macro2::Span, message: M) {
        self.push(syn::Error::new(span, message));
    }

    pub fn push(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// The errors as `compile_error!` invocations, each at its own span.
    pub fn into_compile_errors(self) -> TokenStream {
        self.into_errors()
            .into_iter()
            .map(|error| error.to_compile_error())
            .collect()
    }

    pub fn into_errors(self) -> Vec<syn::Error> {
        self.errors.into_inner()
    }
}
