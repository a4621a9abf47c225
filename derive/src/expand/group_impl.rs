//! `impl MetricGroup`: the group's descriptor, how its fields are built
//! and collected, and the `Drop` that forgets its helpers' records.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::{count_tokens, label_name_tokens, option_tokens, unraw, Gen};
use crate::ast::Field;
use crate::attr::Scope;
use metric_group_rules::MetricKind;

impl Gen<'_> {
    pub(super) fn group_impl(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let group_name = ident.to_string();
        let const_labels = self.input.attrs.const_labels.iter().map(label_name_tokens);
        let scope = match self.input.scope() {
            Scope::Registry => quote!(#private::ScopeKind::Registry),
            Scope::Hierarchy(None) => {
                quote!(#private::ScopeKind::Hierarchy(::core::option::Option::None))
            }
            Scope::Hierarchy(Some(level)) => {
                quote!(#private::ScopeKind::Hierarchy(::core::option::Option::Some(#level)))
            }
        };
        let fields = &self.input.fields;
        let offsets = self.metric_offsets();
        let metrics = self.metrics_list();
        let local = |field: &Field| format_ident!("__field_{}", unraw(field.ident));
        let group = quote!(<#ident as #private::MetricGroup>::GROUP);
        let builds = fields.iter().enumerate().map(|(index, field)| {
            let (ty, binding) = (field.ty, local(field));
            if field.is_skipped() {
                return quote_spanned!(ty.span()=> let #binding = <#ty as ::core::default::Default>::default(););
            }
            if field.is_flattened() {
                return quote_spanned! {ty.span()=>
                    let #binding = <#ty as #private::MetricGroup>::build(
                        &context.flattened(<#ty as #private::MetricGroup>::GROUP)?,
                    )?;
                };
            }
            if let Some(leader) = field.resolved.leader {
                let leader = local(&fields[leader]);
                return quote!(let #binding = ::core::clone::Clone::clone(&#leader););
            }
            let offset = &offsets[index];
            let value = match field.metric {
                Some(_) => quote_spanned! {ty.span()=>
                    <#ty as #private::BuildMetric>::build(context, &#group.metrics[#offset])?
                },
                None => quote!(::core::unreachable!()),
            };
            quote!(let #binding = #value;)
        });
        let members = fields.iter().map(|field| {
            let (member, binding) = (field.ident, local(field));
            quote!(#member: #binding)
        });
        // A field sharing an earlier field's family (fixed labels) has no
        // collector of its own: it is a clone of that field.
        let collectors = (0..fields.len())
            .filter(|index| self.described(*index) || fields[*index].is_flattened())
            .filter(|index| fields[*index].metric.is_some() || fields[*index].is_flattened())
            .map(|index| {
                let field = &fields[index];
                let (member, ty) = (field.ident, field.ty);
                if field.is_flattened() {
                    return quote_spanned! {ty.span()=>
                        collectors.extend(<#ty as #private::MetricGroup>::collectors(&self.#member));
                    };
                }
                if field.metric.is_some_and(|m| m.labelled) && field.label_set.is_none() {
                    // Its idle series expired and its overflow series
                    // exposed as such at each scrape.
                    return quote_spanned! {ty.span()=>
                        collectors.push(<#ty as #private::VecCalls>::collector(&self.#member));
                    };
                }
                quote_spanned! {ty.span()=>
                    collectors.push(<#ty as #private::BuildMetric>::collector(&self.#member));
                }
            });
        let flattened = fields.iter().filter(|f| f.is_flattened()).map(|f| {
            let ty = f.ty;
            quote!(<#ty as #private::MetricGroup>::GROUP)
        });
        let prefix = self.prefix_tokens();
        let prefix_env = match &self.input.attrs.prefix_env {
            Some(var) => quote!(::core::option::Option::Some(#var)),
            None => quote!(::core::option::Option::None),
        };
        let max_label_len = option_tokens(self.input.attrs.max_label_len.value().map(count_tokens));
        // The item `naming_item` defines, for a group that names its preset.
        let naming = option_tokens(
            (self.input.scope() != Scope::Registry && self.input.attrs.naming.value().is_some())
                .then(|| quote!(__NAMING_PRESET)),
        );
        quote! {
            #[automatically_derived]
            impl #private::Sealed for #ident {}

            #[automatically_derived]
            impl #private::MetricGroup for #ident {
                const GROUP: &'static #private::GroupDescriptor = &#private::GroupDescriptor {
                    name: #group_name,
                    module_path: ::core::module_path!(),
                    prefix: #prefix,
                    prefix_env: #prefix_env,
                    const_labels: &[#(#const_labels),*],
                    scope: #scope,
                    metrics: #metrics,
                    flattened: &[#(#flattened),*],
                    max_label_len: #max_label_len,
                    naming: #naming,
                };

                #[allow(unreachable_code)]
                #[inline]
                fn build(context: &#private::BuildContext) -> ::core::result::Result<Self, #private::Error> {
                    #(#builds)*
                    ::core::result::Result::Ok(#ident { #(#members),* })
                }

                #[inline]
                fn collectors(&self) -> ::std::vec::Vec<::std::boxed::Box<dyn #private::prometheus::core::Collector>> {
                    let mut collectors: ::std::vec::Vec<::std::boxed::Box<dyn #private::prometheus::core::Collector>> = ::std::vec::Vec::new();
                    #(#collectors)*
                    collectors
                }
            }
        }
    }

    /// For a group with plain `*Vec`, `Histogram` or counter fields: a
    /// `Drop` that drops what their helpers recorded about the families'
    /// series (and a plain histogram's or counter's exemplars), so the
    /// records go with the group
    /// (`runtime/src/collision.rs`).
    pub(super) fn drop_impl(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let fields = &self.input.fields;
        let forgets: Vec<TokenStream> = (0..fields.len())
            .filter(|index| self.described(*index))
            .filter_map(|index| {
                let field = &fields[index];
                let (member, ty) = (field.ident, field.ty);
                let metric = field.metric?;
                if metric.labelled && field.label_set.is_none() {
                    Some(quote!(<#ty as #private::VecCalls>::forget(&self.#member);))
                } else if !metric.labelled
                    && matches!(metric.kind, MetricKind::Histogram | MetricKind::Counter)
                {
                    // Its exemplars' record.
                    Some(quote!(<#ty as #private::BuildMetric>::forget(&self.#member);))
                } else {
                    None
                }
            })
            .collect();
        if forgets.is_empty() {
            return TokenStream::new();
        }
        quote! {
            #[automatically_derived]
            impl ::core::ops::Drop for #ident {
                fn drop(&mut self) {
                    #(#forgets)*
                }
            }
        }
    }

    /// Whether the field at `index` has a descriptor of its own: a metric
    /// (or a field whose type is reported) that shares no earlier field's
    /// family.
    pub(super) fn described(&self, index: usize) -> bool {
        let field = &self.input.fields[index];
        !field.is_skipped() && !field.is_flattened() && field.resolved.leader.is_none()
    }

    /// Per field, a const expression of where its descriptor (a flattened
    /// field: its group's first descriptor) sits in the group's list; empty
    /// for fields without one.
    pub(super) fn metric_offsets(&self) -> Vec<TokenStream> {
        let private = &self.private;
        let mut own = 0usize;
        let mut flattened: Vec<TokenStream> = Vec::new();
        let mut offsets = Vec::new();
        for (index, field) in self.input.fields.iter().enumerate() {
            let ty = field.ty;
            offsets.push(if self.described(index) || field.is_flattened() {
                quote!(#own #(+ #flattened)*)
            } else {
                TokenStream::new()
            });
            if self.described(index) {
                own += 1;
            } else if field.is_flattened() {
                flattened.push(quote!(<#ty as #private::MetricGroup>::GROUP.metrics.len()));
            }
        }
        offsets
    }
}
