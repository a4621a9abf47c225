//! `#[derive(LabelValue)]` for enums and `#[derive(LabelSet)]` for structs of
//! labels. Both are small enough to parse, check and expand in one place.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::ctxt::Ctxt;
use crate::suggest::did_you_mean;

const RENAME_RULES: &[&str] = &[
    "lowercase",
    "UPPERCASE",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "camelCase",
    "PascalCase",
];

/// Parses `#[label_value(...)]` / `#[label_set(...)]` keys: `crate`, and
/// `rename_all` or `rename` where allowed.
#[derive(Default)]
struct Options {
    krate: Option<syn::Path>,
    rename_all: Option<(String, Span)>,
    rename: Option<LitStr>,
}

fn parse_options(cx: &Ctxt, attrs: &[syn::Attribute], attr_name: &str, keys: &[&str]) -> Options {
    let mut options = Options::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(attr_name)) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if !keys.contains(&key.as_str()) {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown {attr_name} attribute `{key}`{}",
                        did_you_mean(&key, keys)
                    ),
                );
                return crate::attr::skip_value(&meta);
            }
            match key.as_str() {
                "crate" => {
                    let value = meta.value()?;
                    options.krate = Some(if value.peek(LitStr) {
                        value.parse::<LitStr>()?.parse()?
                    } else {
                        value.parse()?
                    });
                }
                "rename_all" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    if RENAME_RULES.contains(&lit.value().as_str()) {
                        options.rename_all = Some((lit.value(), lit.span()));
                    } else {
                        cx.error_spanned_by(
                            &lit,
                            format!(
                                "unknown rename rule `{}`{}",
                                lit.value(),
                                did_you_mean(&lit.value(), RENAME_RULES)
                            ),
                        );
                    }
                }
                _ => options.rename = Some(meta.value()?.parse()?),
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    options
}

fn krate(options: &Options) -> TokenStream {
    match &options.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::metric_group),
    }
}

/// Splits `PrefillWorker` into `["Prefill", "Worker"]`.
fn words(ident: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in ident.chars() {
        if c == '_' {
            words.push(String::new());
        } else if c.is_uppercase() || words.is_empty() {
            words.push(c.to_string());
        } else if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

fn apply_rule(rule: &str, ident: &str) -> String {
    let words = words(ident);
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let capitalised: Vec<String> = lower
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    match rule {
        "lowercase" => ident.to_lowercase(),
        "UPPERCASE" => ident.to_uppercase(),
        "snake_case" => lower.join("_"),
        "SCREAMING_SNAKE_CASE" => lower.join("_").to_uppercase(),
        "kebab-case" => lower.join("-"),
        "camelCase" => {
            lower.first().cloned().unwrap_or_default()
                + &capitalised[1.min(capitalised.len())..].concat()
        }
        "PascalCase" => capitalised.concat(),
        _ => ident.to_owned(),
    }
}

pub(crate) fn derive_label_value(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let options = parse_options(&cx, &input.attrs, "label_value", &["crate", "rename_all"]);
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(
            &input.ident,
            "`LabelValue` can only be derived for enums of unit variants",
        );
        return cx.into_compile_errors();
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(&input.generics, "`LabelValue` enums cannot be generic");
        return cx.into_compile_errors();
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
        let variant_options = parse_options(&cx, &variant.attrs, "label_value", &["rename"]);
        let (value, span) = match (&variant_options.rename, &options.rename_all) {
            (Some(lit), _) => (lit.value(), lit.span()),
            (None, Some((rule, _))) => (
                apply_rule(rule, &variant.ident.to_string()),
                variant.ident.span(),
            ),
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
        return cx.into_compile_errors(); // no impl to match such variants with
    }
    let private = {
        let krate = krate(&options);
        quote!(#krate::__private)
    };
    let ident = &input.ident;
    let count = values.len();
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
    let errors = cx.into_compile_errors();
    quote!(#impls #errors)
}

pub(crate) fn derive_label_set(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let options = parse_options(&cx, &input.attrs, "label_set", &["crate"]);
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            other => {
                cx.error_spanned_by(
                    other,
                    "`LabelSet` needs a struct with named fields, one per label",
                );
                return cx.into_compile_errors();
            }
        },
        _ => {
            cx.error_spanned_by(&input.ident, "`LabelSet` can only be derived for structs");
            return cx.into_compile_errors();
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(&input.generics, "`LabelSet` structs cannot be generic");
        return cx.into_compile_errors();
    }
    if fields.is_empty() {
        cx.error_spanned_by(&input.ident, "a label set needs at least one label field");
    }
    let mut names: Vec<String> = Vec::new();
    for field in fields {
        let Some(ident) = &field.ident else { continue };
        let name = syn::ext::IdentExt::unraw(ident).to_string();
        if name.starts_with("__") {
            cx.error_spanned_by(
                ident,
                format!(
                    "label name `{name}` is reserved: names starting with `__` are Prometheus' own"
                ),
            );
        } else if name == "quantile" {
            cx.error_spanned_by(ident, "label name `quantile` is reserved for summaries");
        } else if name.chars().any(|c| c.is_uppercase()) {
            cx.error_spanned_by(
                ident,
                format!("label name `{name}` should be written in snake_case"),
            );
        }
        names.push(name);
    }
    let private = {
        let krate = krate(&options);
        quote!(#krate::__private)
    };
    let ident = &input.ident;
    let members: Vec<&syn::Ident> = fields.iter().filter_map(|f| f.ident.as_ref()).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();
    let cardinalities = types
        .iter()
        .map(|ty| quote_spanned!(ty.span()=> <#ty as #private::LabelField>::CARDINALITY));
    let index_steps = members.iter().zip(&types).map(|(member, ty)| {
        quote_spanned! {ty.span()=>
            index = index * <#ty as #private::LabelField>::CARDINALITY.unwrap_or(1)
                + #private::LabelField::index(&self.#member);
        }
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

                fn index(&self) -> usize {
                    if <Self as #private::LabelSet>::CARDINALITY.is_none() {
                        return 0;
                    }
                    let mut index = 0usize;
                    #(#index_steps)*
                    index
                }

                fn for_each_value(&self, f: &mut dyn FnMut(&str)) {
                    let mut buffer = #private::LabelBuffer::new();
                    #(#values)*
                }
            }
        };
    };
    let errors = cx.into_compile_errors();
    quote!(#impls #errors)
}

#[cfg(test)]
mod tests {
    use super::apply_rule;

    #[test]
    fn rename_rules() {
        assert_eq!(apply_rule("snake_case", "PrefillWorker"), "prefill_worker");
        assert_eq!(apply_rule("kebab-case", "PrefillWorker"), "prefill-worker");
        assert_eq!(
            apply_rule("SCREAMING_SNAKE_CASE", "PrefillWorker"),
            "PREFILL_WORKER"
        );
        assert_eq!(apply_rule("camelCase", "PrefillWorker"), "prefillWorker");
        assert_eq!(apply_rule("PascalCase", "PrefillWorker"), "PrefillWorker");
        assert_eq!(apply_rule("lowercase", "PrefillWorker"), "prefillworker");
        assert_eq!(apply_rule("snake_case", "Decode"), "decode");
    }
}
