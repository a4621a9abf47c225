//! The group's constructors: `new`, `init`, `global`, `get`, `evict`
//! (registry scope) or `for_scope`, `evict` (hierarchy scope), `builder`
//! and `register`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use super::{builder_ident, param_idents, tokens_text, unraw, Gen};
use crate::attr::Scope;

impl Gen<'_> {
    /// The constructors' label parameters, clear of the parameters they
    /// declare themselves (`init(registry, ...)`, `for_scope(scope, ...)`).
    pub(super) fn const_label_params(&self) -> Vec<Ident> {
        param_idents(
            self.input
                .attrs
                .const_labels
                .iter()
                .map(|l| l.name.as_str()),
            &["registry", "scope"],
        )
    }

    /// A rustdoc section listing the group's metrics, for the constructors.
    pub(super) fn metrics_doc(&self) -> TokenStream {
        let lines = self
            .input
            .fields
            .iter()
            .filter(|field| !field.is_skipped())
            .map(|field| {
                if field.is_flattened() {
                    format!(
                        " - the metrics of [`{}`] (field `{}`), each name behind this group's prefix",
                        tokens_text(field.ty),
                        unraw(field.ident)
                    )
                } else {
                    format!(" - {}", self.metric_summary(field))
                }
            });
        quote! {
            #[doc = ""]
            #[doc = " # Metrics"]
            #[doc = ""]
            #(#[doc = #lines])*
        }
    }

    pub(super) fn constructors(&self) -> TokenStream {
        let private = &self.private;
        let metrics_doc = self.metrics_doc();
        let params = self.const_label_params();
        let builder = builder_ident(self.input.ident);
        let builder_doc = format!(
            "A [`{builder}`] to configure the group at start-up (its prefix, a histogram's buckets) before creating it."
        );
        let builder_fn = quote! {
            #[doc = #builder_doc]
            #[inline]
            #[must_use]
            pub fn builder() -> #builder {
                #builder::default()
            }
        };
        let registry_api = quote! {
            /// Registers every metric of the group on `registry`, or none of
            /// them; registering this instance again is a no-op.
            ///
            /// # Errors
            ///
            /// `Error::AlreadyRegistered` when another collector holds one of
            /// the names, `Error::Register` when the registry refuses a metric
            /// for another reason; nothing stays registered either way.
            #[inline]
            pub fn register(&self, registry: &#private::prometheus::Registry) -> ::core::result::Result<(), #private::Error> {
                <Self as #private::MetricGroup>::register(self, registry)
            }
        };
        match self.input.scope() {
            Scope::Registry => {
                let global = params.is_empty().then(|| {
                    quote! {
                        /// The process-wide instance, built on first use (not registered:
                        /// see `init`).
                        ///
                        /// # Errors
                        ///
                        /// `Error::Create` when prometheus refuses to build a metric.
                        #[inline]
                        pub fn global() -> ::core::result::Result<&'static Self, #private::Error> {
                            #private::global(__memo())
                        }
                    }
                });
                quote! {
                    /// Builds the group's metrics without registering them.
                    ///
                    /// # Errors
                    ///
                    /// `Error::Create` when prometheus refuses to build a metric, and
                    /// the errors of a prefix taken from the environment.
                    #metrics_doc
                    #[inline]
                    pub fn new(#(#params: impl #private::LabelValue),*) -> ::core::result::Result<Self, #private::Error> {
                        Self::builder().build(#(#params),*)
                    }

                    #builder_fn
                    #registry_api
                    #global

                    /// The instance for these const label values, built and registered on
                    /// `registry` on first call. The same values again return the same
                    /// instance (registering it on another registry if given one); other
                    /// values build and register another instance beside it, exposed in
                    /// the same families. Each instance is kept until its values are
                    /// evicted ([`evict`](Self::evict)): one per distinct value set (and
                    /// configuration) asked for.
                    ///
                    /// # Errors
                    ///
                    /// `Error::Create` when a metric cannot be built,
                    /// `Error::InvalidMetricName` when a prefix taken from the
                    /// environment breaks a naming rule, and the errors of
                    /// [`register`](Self::register).
                    #metrics_doc
                    #[inline]
                    pub fn init(
                        registry: &#private::prometheus::Registry,
                        #(#params: impl #private::LabelValue),*
                    ) -> ::core::result::Result<#private::Arc<Self>, #private::Error> {
                        Self::builder().init(registry, #(#params),*)
                    }

                    /// The instance `init` (or `global`) built for these const label
                    /// values, if any.
                    #[inline]
                    #[must_use]
                    pub fn get(#(#params: impl #private::LabelValue),*) -> ::core::option::Option<#private::Arc<Self>> {
                        Self::builder().get(#(#params),*)
                    }

                    /// Drops the instance `init` (or `global`) built for these const
                    /// label values: unregisters its metrics from every registry `init`
                    /// registered it on and forgets it, so that it is freed once the
                    /// last `Arc` of it a caller holds is dropped (an instance `global`
                    /// handed out is never freed). Whether there was one; `init` with
                    /// these values again builds a new instance.
                    #[inline]
                    pub fn evict(#(#params: impl #private::LabelValue),*) -> bool {
                        Self::builder().evict(#(#params),*)
                    }
                }
            }
            Scope::Hierarchy(_) => quote! {
                /// The group of `scope` for these const label values, built and
                /// registered on the scope's registry on first call. Each scope has its
                /// own instances: asking one scope again with the same values returns
                /// the same instance; other values build and register another beside
                /// it, exposed in the same families.
                ///
                /// # Errors
                ///
                /// `Error::WrongLevel` when the scope is not at the declared level,
                /// `Error::LabelShadowed` / `Error::LabelReserved` when a label of the
                /// group clashes with the scope's, `Error::Create` and the errors of
                /// [`register`](Self::register).
                #metrics_doc
                #[inline]
                pub fn for_scope(
                    scope: &#private::Scope,
                    #(#params: impl #private::LabelValue),*
                ) -> ::core::result::Result<#private::Arc<Self>, #private::Error> {
                    Self::builder().for_scope(scope, #(#params),*)
                }

                /// Drops `scope`'s instance for these const label values: unregisters
                /// its metrics from the scope's registry and forgets it, so that it is
                /// freed once the last `Arc` of it a caller holds is dropped. Whether
                /// there was one; `for_scope` with these values again builds a new
                /// instance.
                #[inline]
                pub fn evict(
                    scope: &#private::Scope,
                    #(#params: impl #private::LabelValue),*
                ) -> bool {
                    Self::builder().evict(scope, #(#params),*)
                }

                #builder_fn
                #registry_api
            },
        }
    }
}
