//! `#[derive(LabelSet)]`: `LabelSet` for a struct whose fields are labels.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use super::{compile_errors, krate_path};
use crate::ast::LabelSetInput;
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let Some(model) = LabelSetInput::from_syn(&cx, input) else {
        return compile_errors(cx.check());
    };
    crate::check::check_label_set_input(&cx, &model);
    // A float label is reported; such a struct cannot be `Eq` either, and
    // an impl would only add errors about that to the one that says why.
    let impls = if model.labels.iter().any(|label| label.float) {
        TokenStream::new()
    } else {
        expand(&model)
    };
    let errors = compile_errors(cx.check());
    quote!(#impls #errors)
}

fn expand(input: &LabelSetInput) -> TokenStream {
    let private = crate::private::path(&krate_path(input.attrs.krate.as_ref()));
    let ident = input.ident;
    let names = input.labels.iter().map(|label| &label.name);
    let cardinalities = input.labels.iter().map(|label| {
        let ty = label.ty;
        quote_spanned!(ty.span()=> <#ty as #private::LabelField>::CARDINALITY)
    });
    let plains = input.labels.iter().map(|label| {
        let ty = label.ty;
        quote_spanned!(ty.span()=> <#ty as #private::LabelField>::PLAIN)
    });
    let index_steps = input.labels.iter().map(|label| {
        let (member, ty) = (label.ident, label.ty);
        quote_spanned! {ty.span()=>
            index = index * <#ty as #private::LabelField>::CARDINALITY.unwrap_or(1)
                + #private::LabelField::index(&self.#member);
        }
    });
    let arms = input.labels.iter().enumerate().map(|(i, label)| {
        let (member, ty) = (label.ident, label.ty);
        quote_spanned! {ty.span()=> #i => #private::LabelValue::label_str(&self.#member, buffer), }
    });
    let values = input.labels.iter().map(|label| {
        let (member, ty) = (label.ident, label.ty);
        quote_spanned! {ty.span()=> f(#private::LabelValue::label_str(&self.#member, &mut buffer)); }
    });
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #private::LabelSet for #ident {
                const NAMES: &'static [&'static str] = &[#(#names),*];
                const CARDINALITY: ::core::option::Option<usize> =
                    #private::product_cardinality(&[#(#cardinalities),*]);
                const PLAIN: &'static [bool] = &[#(#plains),*];

                fn index(&self) -> usize {
                    if <Self as #private::LabelSet>::CARDINALITY.is_none() {
                        return 0;
                    }
                    let mut index = 0usize;
                    #(#index_steps)*
                    index
                }

                fn label_value<'a>(&'a self, index: usize, buffer: &'a mut #private::LabelBuffer) -> &'a str {
                    match index {
                        #(#arms)*
                        _ => "",
                    }
                }

                fn for_each_value(&self, f: &mut dyn FnMut(&str)) {
                    let mut buffer = #private::LabelBuffer::new();
                    #(#values)*
                }
            }
        };
    }
}
