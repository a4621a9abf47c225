//! The static `MetricDescriptor`s of a group's metrics, flattened groups'
//! joined in field order.

use metric_group_rules::{BucketSpec, MetricKind};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use super::{
    count_tokens, duration_tokens, kind_tokens, label_name_tokens, lint_tokens, option_tokens,
    unraw, Gen,
};
use crate::ast::Field;
use crate::attr::NameValue;

impl Gen<'_> {
    /// The group's descriptor list: its own descriptors, and each flattened
    /// group's with this group's prefix, in field order.
    pub(super) fn metrics_list(&self) -> TokenStream {
        let private = &self.private;
        let fields = &self.input.fields;
        if !fields.iter().any(Field::is_flattened) {
            let descriptors = (0..fields.len())
                .filter(|index| self.described(*index))
                .map(|index| self.descriptor(&fields[index]));
            return quote!(&[#(#descriptors),*]);
        }
        let descriptor = quote!(#private::MetricDescriptor);
        let prefix = self.prefix_tokens();
        let mut parts: Vec<TokenStream> = Vec::new();
        let mut own: Vec<TokenStream> = Vec::new();
        for (index, field) in fields.iter().enumerate() {
            if self.described(index) {
                own.push(self.descriptor(field));
            } else if field.is_flattened() {
                if !own.is_empty() {
                    parts.push(quote!(&[#(#own),*]));
                    own.clear();
                }
                let (ty, name) = (field.ty, unraw(field.ident));
                parts.push(quote_spanned! {ty.span()=> {
                    const INNER: &[#descriptor] = <#ty as #private::MetricGroup>::GROUP.metrics;
                    const PREFIX: &str = #prefix;
                    const FIELD: &str = #name;
                    const NAMES: [u8; #private::joined_len(PREFIX, INNER, #private::Part::Name)] =
                        #private::joined_bytes(PREFIX, INNER, #private::Part::Name);
                    const FIELDS: [u8; #private::joined_len(FIELD, INNER, #private::Part::Field)] =
                        #private::joined_bytes(FIELD, INNER, #private::Part::Field);
                    const FLAT: [#descriptor; INNER.len()] =
                        #private::flattened(INNER, PREFIX, &NAMES, FIELD, &FIELDS);
                    &FLAT
                }});
            }
        }
        if !own.is_empty() {
            parts.push(quote!(&[#(#own),*]));
        }
        quote! {{
            const PARTS: &[&[#descriptor]] = &[#(#parts),*];
            const ALL: [#descriptor; #private::total_len(PARTS)] = #private::concat_descriptors(PARTS);
            &ALL
        }}
    }

    /// The declared prefix (an `env(...)` prefix's default) as a `&str`
    /// expression.
    pub(super) fn prefix_tokens(&self) -> TokenStream {
        match self.input.attrs.prefix.value() {
            Some(NameValue::Literal(lit)) => lit.to_token_stream(),
            Some(NameValue::Path(path)) => path.to_token_stream(),
            None => quote!(""),
        }
    }

    pub(super) fn descriptor(&self, field: &Field) -> TokenStream {
        let private = &self.private;
        let field_name = unraw(field.ident);
        let name_const = Self::name_const_ident(field);
        let ident = self.input.ident;
        let kind = kind_tokens(private, field.kind());
        let help = field.help().unwrap_or_default();
        let labels = match field.label_set {
            Some(label_set) => quote!(<#label_set as #private::LabelSet>::NAMES),
            None => {
                let labels = &field.resolved.family_labels;
                let labels = labels.iter().map(label_name_tokens);
                quote!(&[#(#labels),*])
            }
        };
        let buckets = match (&field.resolved.bounds, self.const_buckets(field)) {
            (Some(bounds), _) => {
                let bounds = bounds
                    .iter()
                    .copied()
                    .map(proc_macro2::Literal::f64_unsuffixed);
                quote!(::core::option::Option::Some(#private::rules::BucketSpec::Explicit(&[#(#bounds),*])))
            }
            (None, Some(buckets)) => quote!(::core::option::Option::Some(#buckets)),
            (None, None) => quote!(::core::option::Option::None),
        };
        let unit = match field.attrs.unit.value() {
            Some(unit) => quote!(::core::option::Option::Some(#unit)),
            None => quote!(::core::option::Option::None),
        };
        let allowed = field
            .resolved
            .allowed_lints
            .iter()
            .copied()
            .map(|lint| lint_tokens(private, lint));
        let max_series = option_tokens(field.attrs.max_series.value().map(count_tokens));
        let cardinality = match field.label_set {
            Some(label_set) => quote!(<#label_set as #private::LabelSet>::CARDINALITY),
            None => quote!(::core::option::Option::None),
        };
        let expire_after = option_tokens(field.attrs.expire_after.value().map(duration_tokens));
        quote! {
            #private::MetricDescriptor {
                field: #field_name,
                name: #ident::#name_const,
                kind: #kind,
                help: #help,
                labels: #labels,
                buckets: #buckets,
                unit: #unit,
                allowed_lints: &[#(#allowed),*],
                max_series: #max_series,
                expire_after: #expire_after,
                cardinality: #cardinality,
            }
        }
    }

    /// A histogram's buckets the derive cannot fold (a constant, or a
    /// specification whose arguments name constants): a const expression of
    /// type `BucketSpec`, judged by const evaluation.
    pub(super) fn const_buckets(&self, field: &Field) -> Option<TokenStream> {
        let private = &self.private;
        if field.kind() != MetricKind::Histogram {
            return None;
        }
        let buckets = field.attrs.buckets.value()?;
        if let Some(constant) = &buckets.constant {
            return Some(quote::quote_spanned! {field.const_buckets_span()=>
                #private::BucketConstant(&#constant).buckets()
            });
        }
        if !buckets.names_constants() {
            return None;
        }
        let arg = |index: usize, float: bool| -> TokenStream {
            match buckets.folded[index] {
                // A non-finite folded value has no literal: the expression
                // as written, for const evaluation to refuse.
                Some(value) if float && value.is_finite() => {
                    proc_macro2::Literal::f64_unsuffixed(value).into_token_stream()
                }
                Some(value) if !float => {
                    proc_macro2::Literal::usize_unsuffixed(value as usize).into_token_stream()
                }
                _ => {
                    let tokens = &buckets.args[index];
                    quote::quote!((#tokens))
                }
            }
        };
        let buckets_type = quote::quote!(#private::rules::BucketSpec);
        Some(match &buckets.spec {
            Some(BucketSpec::Exponential { .. }) => {
                let (start, factor, count) = (arg(0, true), arg(1, true), arg(2, false));
                quote::quote!(#buckets_type::Exponential { start: #start, factor: #factor, count: #count })
            }
            Some(BucketSpec::Linear { .. }) => {
                let (start, width, count) = (arg(0, true), arg(1, true), arg(2, false));
                quote::quote!(#buckets_type::Linear { start: #start, width: #width, count: #count })
            }
            Some(BucketSpec::Log { .. }) => {
                let (min, max, count) = (arg(0, true), arg(1, true), arg(2, false));
                quote::quote!(#buckets_type::Log { min: #min, max: #max, count: #count })
            }
            _ => {
                let bounds = (0..buckets.args.len()).map(|index| arg(index, true));
                quote::quote!(#buckets_type::Explicit(&[#(#bounds),*]))
            }
        })
    }
}
