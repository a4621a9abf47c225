//! `<Group>Builder`: start-up configuration (prefix, buckets, budgets)
//! and the constructors that take it.

use metric_group_rules::MetricKind;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{builder_ident, unraw, Gen};
use crate::attr::Scope;

impl Gen<'_> {
    /// `<Group>Builder`: the struct (outside the private block, so callers
    /// can name it) and its methods.
    pub(super) fn builder(&self) -> (TokenStream, TokenStream) {
        let private = &self.private;
        let (ident, vis) = (self.input.ident, self.input.vis);
        let builder = builder_ident(ident);
        let params = self.const_label_params();
        let values = quote!(::std::vec![#(#private::LabelValue::to_label_string(&#params)),*]);
        let struct_doc = format!(
            "Start-up configuration of [`{ident}`]: a prefix in place of the declared one, buckets in place of a histogram's declared ones. What is configured is checked when the group is created, by the rules the derive applies to declarations: a name or buckets that break one are an `Err` naming the metric, and nothing is registered. Instances are memoised per const label values and configuration."
        );
        let builder_struct = quote! {
            #[doc = #struct_doc]
            #[derive(Clone, Debug, Default)]
            #[must_use]
            #vis struct #builder {
                config: #private::GroupConfig,
            }
        };
        let prefix_doc = match &self.input.attrs.prefix_env {
            Some(var) => format!(
                "Uses `prefix` in place of the declared prefix and of the environment variable `{}`; empty for none.",
                var.value()
            ),
            None => "Uses `prefix` in place of the declared prefix; empty for none.".to_owned(),
        };
        let fields = &self.input.fields;
        let bucket_methods = (0..fields.len())
            .filter(|index| {
                let field = &fields[*index];
                field.metric.is_some()
                    && field.kind() == MetricKind::Histogram
                    && fields[*index].resolved.leader.is_none()
            })
            .map(|index| {
                let field = &fields[index];
                let method = format_ident!("{}_buckets", unraw(field.ident));
                let name = unraw(field.ident);
                let doc = format!(
                    "Uses `buckets` (bounds, or a `BucketSpec`) in place of the declared buckets of {}.",
                    self.metric_summary(field)
                );
                quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #method(mut self, buckets: impl #private::IntoBounds) -> Self {
                        self.config.set_buckets(#name, buckets);
                        self
                    }
                }
            });
        let budget_methods = (0..fields.len())
            .filter(|index| {
                let field = &fields[*index];
                field.metric.is_some_and(|metric| metric.labelled)
                    && fields[*index].resolved.leader.is_none()
            })
            .map(|index| {
                let field = &fields[index];
                let method = format_ident!("{}_max_series", unraw(field.ident));
                let name = unraw(field.ident);
                let doc = format!(
                    "Holds at most `max` series of {} (the declared or default budget otherwise); label sets past it write to its overflow series.",
                    self.metric_summary(field)
                );
                let expire = format_ident!("{}_expire_after", unraw(field.ident));
                let expire_doc = format!(
                    "Removes, at the next scrape, the series of {} not written for `after` (in place of the declared `expire_after`, if any).",
                    self.metric_summary(field)
                );
                quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #method(mut self, max: usize) -> Self {
                        self.config.set_max_series(#name, max);
                        self
                    }

                    #[doc = #expire_doc]
                    #[inline]
                    pub fn #expire(mut self, after: ::core::time::Duration) -> Self {
                        self.config.set_expire_after(#name, after);
                        self
                    }
                }
            });
        let as_group = |method: &str, extra: &str| {
            format!(" As [`{ident}::{method}`], with this configuration{extra}.")
        };
        let build_doc = as_group("new", "");
        let init_doc = as_group(
            "init",
            ": the same values and configuration again return the same instance",
        );
        let for_scope_doc = as_group(
            "for_scope",
            ": the same values and configuration again return the same instance",
        );
        let evict_doc = as_group("evict", "");
        let terminals = match self.input.scope() {
            Scope::Registry => quote! {
                #[doc = #build_doc]
                ///
                /// # Errors
                ///
                /// `Error::InvalidMetricName` / `Error::InvalidBuckets` naming the
                /// metric when what is configured breaks a rule, `Error::Create`.
                #[inline]
                pub fn build(self, #(#params: impl #private::LabelValue),*) -> ::core::result::Result<#ident, #private::Error> {
                    #private::standalone(#values, &self.config)
                }

                #[doc = #init_doc]
                ///
                /// # Errors
                ///
                /// `Error::InvalidMetricName` / `Error::InvalidBuckets` naming the
                /// metric when what is configured breaks a rule (nothing is
                /// registered), and the errors of `init`.
                #[inline]
                pub fn init(
                    self,
                    registry: &#private::prometheus::Registry,
                    #(#params: impl #private::LabelValue),*
                ) -> ::core::result::Result<#private::Arc<#ident>, #private::Error> {
                    #private::init(__memo(), registry, #values, &self.config)
                }

                /// The instance `init` built for these values with this
                /// configuration, if any.
                #[inline]
                #[must_use]
                pub fn get(&self, #(#params: impl #private::LabelValue),*) -> ::core::option::Option<#private::Arc<#ident>> {
                    #private::get(__memo(), #values, &self.config)
                }

                #[doc = #evict_doc]
                #[inline]
                pub fn evict(&self, #(#params: impl #private::LabelValue),*) -> bool {
                    #private::evict(__memo(), #values, &self.config)
                }
            },
            Scope::Hierarchy(_) => quote! {
                #[doc = #for_scope_doc]
                ///
                /// # Errors
                ///
                /// `Error::InvalidMetricName` / `Error::InvalidBuckets` naming the
                /// metric when what is configured breaks a rule (nothing is
                /// registered), and the errors of `for_scope`.
                #[inline]
                pub fn for_scope(
                    self,
                    scope: &#private::Scope,
                    #(#params: impl #private::LabelValue),*
                ) -> ::core::result::Result<#private::Arc<#ident>, #private::Error> {
                    #private::for_scope(scope, #values, &self.config)
                }

                #[doc = #evict_doc]
                #[inline]
                pub fn evict(
                    &self,
                    scope: &#private::Scope,
                    #(#params: impl #private::LabelValue),*
                ) -> bool {
                    #private::evict_from_scope::<#ident>(scope, #values, &self.config)
                }
            },
        };
        let builder_impl = quote! {
            #[automatically_derived]
            impl #builder {
                #[doc = #prefix_doc]
                #[inline]
                pub fn prefix(mut self, prefix: impl ::core::convert::Into<::std::string::String>) -> Self {
                    self.config.set_prefix(prefix.into());
                    self
                }

                /// Stores label values of at most `max` bytes in the group's
                /// families (the declared or default limit otherwise); a label
                /// set with a longer value writes to its family's overflow
                /// series.
                #[inline]
                pub fn max_label_len(mut self, max: usize) -> Self {
                    self.config.set_max_label_len(max);
                    self
                }

                #(#bucket_methods)*
                #(#budget_methods)*
                #terminals
            }
        };
        (builder_struct, builder_impl)
    }
}
