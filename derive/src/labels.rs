//! `#[derive(LabelValue)]` for enums and `#[derive(LabelSet)]` for structs of
//! labels. Both are small enough to parse, check and expand in one place.

use metric_group_rules::{check_label_name, LabelPlace};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::attr::{self, LabelAttrs};
use crate::ctxt::Ctxt;
use crate::expand::compile_errors;

fn krate(attrs: &LabelAttrs) -> TokenStream {
    match &attrs.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::metric_group),
    }
}

/// `f32`/`f64`: no exact text form, so not a label value.
fn is_float(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == "f64" || s.ident == "f32"))
}

pub(crate) fn derive_label_value(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let options = attr::parse_label_value_attrs(&cx, &input.attrs);
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(
            &input.ident,
            "`LabelValue` can only be derived for enums of unit variants",
        );
        return compile_errors(cx.check());
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(&input.generics, "`LabelValue` enums cannot be generic");
        return compile_errors(cx.check());
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "a label value enum needs at least one variant",
        );
    }
    let mut values: Vec<(syn::Ident, String)> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(&variant.fields, "label value variants cannot have fields");
        }
        let variant_options = attr::parse_variant_attrs(&cx, &variant.attrs);
        let (value, span) = match (&variant_options.rename, &options.rename_all) {
            (Some(lit), _) => (lit.value(), lit.span()),
            (None, Some(rule)) => (rule.apply(&variant.ident.to_string()), variant.ident.span()),
            (None, None) => (variant.ident.to_string(), variant.ident.span()),
        };
        if value.is_empty() {
            cx.error_at(
                span,
                "empty label value: Prometheus treats an empty value as a missing label",
            );
        } else if let Some((other, _)) = values.iter().find(|(_, v)| *v == value) {
            cx.error_at(
                span,
                format!("label value `{value}` is already the value of variant `{other}`"),
            );
        }
        values.push((variant.ident.clone(), value));
    }
    if data
        .variants
        .iter()
        .any(|v| !matches!(v.fields, Fields::Unit))
    {
        return compile_errors(cx.check()); // no impl to match such variants with
    }
    let private = {
        let krate = krate(&options);
        crate::private::path(&krate)
    };
    let ident = &input.ident;
    let count = values.len();
    let plain = values
        .iter()
        .all(|(_, value)| metric_group_rules::label_value_is_plain(value));
    let arms: Vec<TokenStream> = values
        .iter()
        .map(|(variant, value)| quote!(#ident::#variant => #value))
        .collect();
    let indices = values
        .iter()
        .enumerate()
        .map(|(i, (variant, _))| quote!(#ident::#variant => #i));
    let all = values.iter().map(|(variant, _)| quote!(#ident::#variant));
    let impls = quote! {
        #[allow(clippy::all)]
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
    };
    let errors = compile_errors(cx.check());
    quote!(#impls #errors)
}

pub(crate) fn derive_label_set(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let options = attr::parse_label_set_attrs(&cx, &input.attrs);
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            other => {
                cx.error_spanned_by(
                    other,
                    "`LabelSet` needs a struct with named fields, one per label",
                );
                return compile_errors(cx.check());
            }
        },
        _ => {
            cx.error_spanned_by(&input.ident, "`LabelSet` can only be derived for structs");
            return compile_errors(cx.check());
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(&input.generics, "`LabelSet` structs cannot be generic");
        return compile_errors(cx.check());
    }
    if fields.is_empty() {
        cx.error_spanned_by(&input.ident, "a label set needs at least one label field");
    }
    let mut names: Vec<String> = Vec::new();
    for field in fields {
        let Some(ident) = &field.ident else { continue };
        let name = syn::ext::IdentExt::unraw(ident).to_string();
        if let Err(error) = check_label_name(&name, LabelPlace::LabelSet) {
            cx.error_spanned_by(ident, format!("label `{name}`: {error}"));
        } else if name.chars().any(|c| c.is_uppercase()) {
            cx.error_spanned_by(
                ident,
                format!("label name `{name}` should be written in snake_case"),
            );
        }
        if is_float(&field.ty) {
            cx.error_spanned_by(
                &field.ty,
                "floats cannot be label values: a label value names a series, and a float has no one exact text form; use an integer, a string or an enum deriving `LabelValue`",
            );
        }
        names.push(name);
    }
    if fields.iter().any(|field| is_float(&field.ty)) {
        // Such a struct cannot be `Eq` either: an impl would only add errors
        // about that to the one that says why.
        return compile_errors(cx.check());
    }
    let private = {
        let krate = krate(&options);
        crate::private::path(&krate)
    };
    let ident = &input.ident;
    let members: Vec<&syn::Ident> = fields.iter().filter_map(|f| f.ident.as_ref()).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();
    let cardinalities = types
        .iter()
        .map(|ty| quote_spanned!(ty.span()=> <#ty as #private::LabelField>::CARDINALITY));
    let plains = types
        .iter()
        .map(|ty| quote_spanned!(ty.span()=> <#ty as #private::LabelField>::PLAIN));
    let index_steps = members.iter().zip(&types).map(|(member, ty)| {
        quote_spanned! {ty.span()=>
            index = index * <#ty as #private::LabelField>::CARDINALITY.unwrap_or(1)
                + #private::LabelField::index(&self.#member);
        }
    });
    let arms = members.iter().zip(&types).enumerate().map(|(i, (member, ty))| {
        quote_spanned! {ty.span()=> #i => #private::LabelValue::label_str(&self.#member, buffer), }
    });
    let values = members.iter().zip(&types).map(|(member, ty)| {
        quote_spanned! {ty.span()=> f(#private::LabelValue::label_str(&self.#member, &mut buffer)); }
    });
    let impls = quote! {
        #[allow(clippy::all)]
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
    };
    let errors = compile_errors(cx.check());
    quote!(#impls #errors)
}
