//! Code generation. Everything here assumes check.rs has reported what is
//! wrong; it never reports a user error itself, and it still generates the
//! whole API for an input with errors so that one typo does not cascade into
//! errors at every use of the group.

use metric_group_rules::{Lint, MetricKind};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{DeriveInput, Ident, LitStr};

mod builder;
mod const_checks;
mod constructors;
mod descriptors;
mod group_impl;
mod handles;
mod helpers;
mod label_set;
mod label_value;
mod names;

use crate::ast::Input;
use crate::attr::{CountValue, DurationValue, LabelName, Scope};
use crate::ctxt::Ctxt;
use helpers::param_idents;

pub(crate) use label_set::derive as derive_label_set;
pub(crate) use label_value::derive as derive_label_value;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let (expanded, errors) = derive_with_errors(input);
    let errors = compile_errors(Err(errors));
    quote!(#expanded #errors)
}

/// A finished check's errors as `compile_error!` invocations, each at its
/// own span (nothing for a clean input).
pub(crate) fn compile_errors(checked: Result<(), Vec<syn::Error>>) -> TokenStream {
    checked
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|error| error.to_compile_error())
        .collect()
}

/// The generated items (none when the input is not a struct) and every error
/// found in the input.
pub(crate) fn derive_with_errors(input: &DeriveInput) -> (TokenStream, Vec<syn::Error>) {
    let cx = Ctxt::new();
    let Some(model) = Input::from_syn(&cx, input) else {
        return (TokenStream::new(), cx.check().err().unwrap_or_default());
    };
    crate::check::check(&cx, &model);
    let expanded = expand(&model);
    (expanded, cx.check().err().unwrap_or_default())
}

struct Gen<'a> {
    input: &'a Input<'a>,
    /// `<crate>::__private_<version>`
    private: TokenStream,
}

fn expand(input: &Input) -> TokenStream {
    let krate = krate_path(input.attrs.krate.value());
    let gen = Gen {
        input,
        private: crate::private::path(&krate),
    };
    let ident = input.ident;
    let private = &gen.private;

    let name_consts = input
        .fields
        .iter()
        .filter(|field| !field.is_skipped() && !field.is_flattened())
        .map(|field| gen.name_const(field));
    let constructors = gen.constructors();
    // A field whose helpers clash with an earlier field's gets none: the
    // clash is reported at the field, not as duplicate definitions.
    let helpers = input
        .fields
        .iter()
        .filter(|field| field.resolved.helper_clash.is_none())
        .map(|field| gen.helpers(field));
    let group_impl = gen.group_impl();
    let drop_impl = gen.drop_impl();
    let name_checks = input
        .fields
        .iter()
        .map(|field| gen.const_name_checks(field));
    let label_set_checks = input
        .fields
        .iter()
        .map(|field| gen.const_label_set_checks(field));
    let duplicate_checks = gen.const_duplicate_checks();
    let label_checks = gen.const_label_checks();
    let prefix_check = gen.const_prefix_check();
    let naming_item = gen.naming_item();
    let level_check = gen.const_level_check();
    let flatten_checks = gen.const_flatten_checks();
    let bucket_checks = gen.const_bucket_checks();
    let label_match_checks = gen.const_label_match_checks();
    let limit_checks = gen.const_limit_checks();
    let series_checks = gen.const_series_checks();
    let joined_name_checks = gen.const_joined_name_checks();
    let fixed_value_checks = gen.const_fixed_value_checks();
    let flatten_scope_label_checks = gen.const_flatten_scope_label_checks();

    // `ManuallyDrop`: a static is never dropped, but rustc compiles the drop
    // glue of a static's type all the same, and that of `Instances<G>` (its
    // map of instances) was most of the code a group compiled to
    // (BENCHMARKS.md, Compile cost).
    let memo = (input.scope() == Scope::Registry).then(|| {
        quote! {
            fn __memo() -> &'static #private::Instances<#ident> {
                static MEMO: ::core::mem::ManuallyDrop<#private::Instances<#ident>> =
                    ::core::mem::ManuallyDrop::new(#private::Instances::new());
                &MEMO
            }
        }
    });

    let (handles_struct, bind_fn) = gen.handles();
    let (builder_struct, builder_impl) = gen.builder();

    quote! {
        #handles_struct
        #builder_struct

        #[allow(non_upper_case_globals)]
        const _: () = {
            #memo

            #[automatically_derived]
            // The constructors' names (`new`, `global`, `init`, ...) are the
            // derive's API, whatever the struct is called (`struct Global`).
            #[allow(clippy::self_named_constructors)]
            impl #ident {
                #(#name_consts)*
                #constructors
                #bind_fn
                #(#helpers)*
            }

            #builder_impl

            #group_impl

            #drop_impl

            #private::catalog_entry!(#ident);

            #naming_item
            #level_check
            #prefix_check
            #(#name_checks)*
            #(#label_set_checks)*
            #duplicate_checks
            #label_checks
            #flatten_checks
            #bucket_checks
            #label_match_checks
            #limit_checks
            #series_checks
            #joined_name_checks
            #fixed_value_checks
            #flatten_scope_label_checks
        };
    }
}

fn builder_ident(group: &Ident) -> Ident {
    format_ident!("{}Builder", group)
}

/// `Some(value)` or `None`, fully qualified.
fn option_tokens(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// A `std::time::Duration` expression.
fn duration_tokens(value: &DurationValue) -> TokenStream {
    match value {
        DurationValue::Literal(_, millis) => quote!(::core::time::Duration::from_millis(#millis)),
        DurationValue::Path(path) => path.to_token_stream(),
    }
}

fn kind_tokens(private: &TokenStream, kind: MetricKind) -> TokenStream {
    let variant = Ident::new(&format!("{kind:?}"), Span::call_site());
    quote!(#private::rules::MetricKind::#variant)
}

fn lint_tokens(private: &TokenStream, lint: Lint) -> TokenStream {
    let variant = Ident::new(&format!("{lint:?}"), Span::call_site());
    quote!(#private::rules::Lint::#variant)
}

/// A `LintSet` of `lints`, built by const evaluation.
fn lint_set_tokens(private: &TokenStream, lints: impl IntoIterator<Item = Lint>) -> TokenStream {
    let lints = lints.into_iter().map(|lint| lint_tokens(private, lint));
    quote!(#private::rules::LintSet::EMPTY #(.with(#lints))*)
}

fn unraw(ident: &Ident) -> String {
    syn::ext::IdentExt::unraw(ident).to_string()
}

fn tokens_text(tokens: impl ToTokens) -> String {
    tokens.to_token_stream().to_string().replace(' ', "")
}

/// A label name as a `&'static str` expression, spanned at its token.
fn label_name_tokens(label: &LabelName) -> TokenStream {
    match &label.path {
        Some(path) => quote_spanned!(label.span=> #path),
        None => LitStr::new(&label.name, label.span).into_token_stream(),
    }
}

/// A count as a `usize` expression (a literal as its suffixed value).
fn count_tokens(value: &CountValue) -> TokenStream {
    match value {
        CountValue::Literal(_, n) => proc_macro2::Literal::usize_suffixed(*n).into_token_stream(),
        CountValue::Path(path) => path.to_token_stream(),
    }
}

/// The path generated code names the runtime crate by: `crate = ...`, else
/// `::metric_group`.
fn krate_path(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::metric_group),
    }
}
