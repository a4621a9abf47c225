//! `#[derive(LabelValue)]`: `LabelValue` and `LabelField` for an enum of
//! unit variants, and its `ALL` and `as_str`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::{compile_errors, krate_path};
use crate::ast::LabelValueInput;
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let Some(model) = LabelValueInput::from_syn(&cx, input) else {
        return compile_errors(cx.check());
    };
    crate::check::check_label_value_input(&cx, &model);
    // A variant with fields is reported: there is no impl to match it with.
    let impls = if model
        .variants
        .iter()
        .any(|variant| variant.fields.is_some())
    {
        TokenStream::new()
    } else {
        expand(&model)
    };
    let errors = compile_errors(cx.check());
    quote!(#impls #errors)
}

fn expand(input: &LabelValueInput) -> TokenStream {
    let private = crate::private::path(&krate_path(input.attrs.krate.as_ref()));
    let ident = input.ident;
    let count = input.variants.len();
    let plain = input
        .variants
        .iter()
        .all(|variant| metric_group_rules::label_value_is_plain(&variant.value));
    let arms: Vec<TokenStream> = input
        .variants
        .iter()
        .map(|variant| {
            let (name, value) = (variant.ident, &variant.value);
            quote!(#ident::#name => #value)
        })
        .collect();
    let indices = input.variants.iter().enumerate().map(|(i, variant)| {
        let name = variant.ident;
        quote!(#ident::#name => #i)
    });
    let all = input.variants.iter().map(|variant| {
        let name = variant.ident;
        quote!(#ident::#name)
    });
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #private::LabelValue for #ident {
                fn label_str<'a>(&'a self, _: &'a mut #private::LabelBuffer) -> &'a str {
                    match *self { #(#arms,)* }
                }
            }

            #[automatically_derived]
            impl #private::LabelField for #ident {
                const CARDINALITY: ::core::option::Option<usize> = ::core::option::Option::Some(#count);
                const PLAIN: bool = #plain;
                fn index(&self) -> usize {
                    match *self { #(#indices,)* }
                }
            }

            #[automatically_derived]
            impl #ident {
                /// Every value, in declaration order.
                pub const ALL: [#ident; #count] = [#(#all),*];

                /// The label value.
                pub const fn as_str(self) -> &'static str {
                    match self { #(#arms,)* }
                }
            }
        };
    }
}
