//! `#[derive(LabelSet)]`: `LabelSet` for a struct whose fields are labels.

use metric_group_rules::LabelError;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use super::const_checks::panic_showing;
use super::{compile_errors, krate_path};
use crate::ast::{Label, LabelSetInput};
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let Some(model) = LabelSetInput::from_syn(&cx, input) else {
        return compile_errors(cx.check());
    };
    crate::check::check_label_set_input(&cx, &model);
    let private = crate::private::path(&krate_path(model.attrs.krate.as_ref()));
    let name_checks = const_name_checks(&model, &private);
    let impls = expand(&model, &private, &name_checks);
    let errors = compile_errors(cx.check());
    quote!(#impls #errors)
}

/// A label's name as an expression: its literal, or the item its constant
/// is bound to (`name_bindings`).
fn name_tokens(index: usize, label: &Label) -> TokenStream {
    match &label.path {
        Some(_) => binding_ident(index).into_token_stream(),
        None => LitStr::new(&label.name, label.span).into_token_stream(),
    }
}

/// The item a constant label name is bound to: a name a constant in the
/// user's code is unlikely to have, since the binding's block would shadow
/// it (the label's may be a lone identifier, `name = WORKER_ID`).
fn binding_ident(index: usize) -> syn::Ident {
    quote::format_ident!("__LABEL_NAME_{index}")
}

/// Each constant label name bound once, as a `&str`, at the constant: a
/// constant of another type is one error there, and the label set's names
/// and checks use the binding, which has the right type whatever the
/// constant's.
fn name_bindings(input: &LabelSetInput) -> TokenStream {
    let bindings = (input.labels.iter().enumerate()).filter_map(|(index, label)| {
        let path = label.path.as_ref()?;
        let ident = binding_ident(index);
        Some(quote_spanned!(label.span=> const #ident: &str = #path;))
    });
    quote!(#(#bindings)*)
}

/// Names given as constants (`#[label(name = labels::WORKER_ID)]`), by
/// const evaluation, with the errors the derive gives a literal: a valid
/// label name in `snake_case`, and not another label's. Each fails at the
/// constant, showing its value.
fn const_name_checks(input: &LabelSetInput, private: &TokenStream) -> TokenStream {
    let rules = quote!(#private::rules);
    let mut checks = TokenStream::new();
    for (i, label) in input.labels.iter().enumerate() {
        let others: Vec<(usize, &Label)> = (input.labels[..i].iter().enumerate())
            .filter(|(_, earlier)| earlier.path.is_some() || label.path.is_some())
            .collect();
        if label.path.is_none() && others.is_empty() {
            continue;
        }
        let value = name_tokens(i, label);
        let source = label.source();
        // A constant's message shows its value; a literal is its value.
        let fail = |before: String, after: TokenStream| {
            if label.path.is_some() {
                panic_showing(label.span, private, &before, &quote!(__NAME), &after)
            } else {
                quote_spanned!(label.span=> { ::core::panic!("{}", #after) })
            }
        };
        let valid = label.path.is_some().then(|| {
            let messages = LabelError::ALL.map(|error| format!(": {error}"));
            let snake_case = ": should be written in snake_case";
            let fail = fail(format!("label `{source}`"), quote!(__MESSAGE));
            quote_spanned! {label.span=>
                const __MESSAGE: &str = match #rules::check_label_name(__NAME, #rules::LabelPlace::LabelSet) {
                    ::core::result::Result::Ok(()) if #rules::is_snake_case_label_name(__NAME) => "",
                    ::core::result::Result::Ok(()) => #snake_case,
                    ::core::result::Result::Err(error) => [#(#messages),*][error.index()],
                };
                if !__MESSAGE.is_empty() #fail
            }
        });
        let duplicates = others.iter().map(|(j, earlier)| {
            let theirs = name_tokens(*j, earlier);
            let after = format!(
                ": the same name as `{}` (field `{}`)",
                earlier.source(),
                syn::ext::IdentExt::unraw(earlier.ident)
            );
            let (before, after) = if label.path.is_some() {
                (format!("duplicate label `{source}`"), after)
            } else {
                (String::new(), format!("duplicate label `{source}`{after}"))
            };
            let fail = fail(before, quote!(#after));
            quote_spanned! {label.span=>
                if #private::str_eq(__NAME, #theirs) #fail
            }
        });
        // The constant is named by its binding, in the enclosing block:
        // these items shadow nothing the user wrote.
        checks.extend(quote_spanned! {label.span=>
            const _: () = {
                const __NAME: &str = #value;
                #valid
                #(#duplicates)*
            };
        });
    }
    checks
}

/// The `LabelSet` impl, in one block with the constant names' bindings
/// and their `checks` (which name the bindings). With a float label
/// (reported), the impl still exists, so that the families and groups
/// using a struct that derives `Eq` and `Hash` (whose derives report the
/// float themselves) add no error about it to the one that says why: the
/// float fields are left out of its values, and its supertraits (a float
/// is neither `Eq` nor `Hash`) are required only where it is used, through
/// a bound under a binder (which the compiler does not judge where it is
/// written). A struct without `Eq` or `Hash` is then refused where a family
/// uses it, as it would be without a float.
fn expand(input: &LabelSetInput, private: &TokenStream, checks: &TokenStream) -> TokenStream {
    let ident = input.ident;
    let float = input.labels.iter().any(|label| label.float);
    let deferred = float.then(|| {
        quote! {
            where for<'__a> Self: ::core::clone::Clone + ::core::cmp::Eq + ::core::hash::Hash
                + ::core::marker::Send + ::core::marker::Sync
        }
    });
    let cardinality = if float {
        quote!(::core::option::Option::None)
    } else {
        let cardinalities = input.labels.iter().map(|label| {
            let ty = label.ty;
            quote_spanned!(ty.span()=> <#ty as #private::LabelField>::CARDINALITY)
        });
        quote!(#private::product_cardinality(&[#(#cardinalities),*]))
    };
    let bindings = name_bindings(input);
    let names = input
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| name_tokens(i, label));
    let plains = input.labels.iter().map(|label| {
        let ty = label.ty;
        if label.float {
            return quote!(false);
        }
        quote_spanned!(ty.span()=> <#ty as #private::LabelField>::PLAIN)
    });
    let index_steps = input
        .labels
        .iter()
        .filter(|label| !label.float)
        .map(|label| {
            let (member, ty) = (label.ident, label.ty);
            quote_spanned! {ty.span()=>
                index = index * <#ty as #private::LabelField>::CARDINALITY.unwrap_or(1)
                    + #private::LabelField::index(&self.#member);
            }
        });
    let arms = input.labels.iter().enumerate().map(|(i, label)| {
        let (member, ty) = (label.ident, label.ty);
        if label.float {
            return quote!(#i => "",);
        }
        quote_spanned! {ty.span()=> #i => #private::LabelValue::label_str(&self.#member, buffer), }
    });
    let values = input.labels.iter().map(|label| {
        let (member, ty) = (label.ident, label.ty);
        if label.float {
            return quote!(f(""););
        }
        quote_spanned! {ty.span()=> f(#private::LabelValue::label_str(&self.#member, &mut buffer)); }
    });
    quote! {
        const _: () = {
            #bindings
            #[automatically_derived]
            impl #private::LabelSet for #ident #deferred {
                const NAMES: &'static [&'static str] = &[#(#names),*];
                const CARDINALITY: ::core::option::Option<usize> = #cardinality;
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
            #checks
        };
    }
}
