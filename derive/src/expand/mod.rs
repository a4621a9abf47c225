//! Code generation. Everything here assumes check.rs has reported what is
//! wrong; it never reports a user error itself, and it still generates the
//! whole API for an input with errors so that one typo does not cascade into
//! errors at every use of the group.

use metric_group_rules::hierarchy::DEFAULT_METRIC_PREFIX;
use metric_group_rules::{Lint, MetricKind};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr};

mod const_checks;
mod helpers;

use crate::ast::{Field, Input};
use crate::attr::{NameValue, Scope};
use crate::ctxt::Ctxt;
use helpers::param_idents;

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
    let krate = match &input.attrs.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::metric_group),
    };
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
        .enumerate()
        .filter(|(index, _)| input.helper_clash(*index).is_none())
        .map(|(_, field)| gen.helpers(field));
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
    let flatten_checks = gen.const_flatten_checks();
    let bucket_checks = gen.const_bucket_checks();
    let label_match_checks = gen.const_label_match_checks();
    let limit_checks = gen.const_limit_checks();

    let memo = (input.scope() == Scope::Registry).then(|| {
        quote! {
            fn __memo() -> &'static #private::Instances<#ident> {
                static MEMO: #private::Instances<#ident> = #private::Instances::new();
                &MEMO
            }
        }
    });

    let (handles_struct, bind_fn) = gen.handles();
    let (builder_struct, builder_impl) = gen.builder();

    quote! {
        #handles_struct
        #builder_struct

        #[allow(non_upper_case_globals, clippy::all, clippy::pedantic)]
        const _: () = {
            #memo

            #[automatically_derived]
            impl #ident {
                #(#name_consts)*
                #constructors
                #bind_fn
                #(#helpers)*
            }

            #builder_impl

            #group_impl

            #drop_impl

            #private::catalog_entry!(<#ident as #private::MetricGroup>::GROUP);

            #prefix_check
            #(#name_checks)*
            #(#label_set_checks)*
            #duplicate_checks
            #label_checks
            #flatten_checks
            #bucket_checks
            #label_match_checks
            #limit_checks
        };
    }
}

impl Gen<'_> {
    fn name_const_ident(field: &Field) -> Ident {
        format_ident!("{}_NAME", unraw(field.ident).to_uppercase())
    }

    /// A `&'static str` const expression for the field's name within its
    /// group: a literal when prefix and name are, a const concatenation of the
    /// constants otherwise.
    fn name_expr(&self, field: &Field) -> TokenStream {
        if let Some(full) = self.input.literal_full_name(field) {
            return LitStr::new(&full, field.name_span()).into_token_stream();
        }
        let private = &self.private;
        let name = match &field.attrs.name {
            Some(NameValue::Path(path)) => path.to_token_stream(),
            Some(NameValue::Literal(lit)) => lit.to_token_stream(),
            None => LitStr::new(&unraw(field.ident), field.ident.span()).into_token_stream(),
        };
        let parts = match &self.input.attrs.prefix {
            Some(NameValue::Path(prefix)) => quote! {
                if #prefix.is_empty() { &[#name] } else { &[#prefix, "_", #name] }
            },
            Some(NameValue::Literal(lit)) if !lit.value().is_empty() => quote!(&[#lit, "_", #name]),
            _ => quote!(&[#name]),
        };
        quote_spanned! {field.name_span()=> {
            const PARTS: &[&str] = #parts;
            const LEN: usize = #private::concat_len(PARTS);
            const BYTES: [u8; LEN] = #private::concat_bytes::<LEN>(PARTS);
            #private::utf8(&BYTES)
        }}
    }

    fn name_const(&self, field: &Field) -> TokenStream {
        let ident = Self::name_const_ident(field);
        let value = self.name_expr(field);
        let doc = match self.input.scope() {
            Scope::Registry => format!("Full name of {}", self.metric_summary(field)),
            Scope::Hierarchy(_) => format!(
                "Name below the prefix of the hierarchy scope the group is created in; scraped as {}",
                self.metric_summary(field)
            ),
        };
        quote! {
            #[doc = #doc]
            pub const #ident: &'static str = #value;
        }
    }

    /// One line for rustdoc: name, kind, labels, buckets.
    fn metric_summary(&self, field: &Field) -> String {
        let scope_prefix = match self.input.scope() {
            Scope::Registry => String::new(),
            Scope::Hierarchy(_) => format!("{DEFAULT_METRIC_PREFIX}_"),
        };
        // Names built from constants link to the constants, whose values
        // rustdoc shows.
        let piece = |value: &NameValue| match value {
            NameValue::Literal(lit) => format!("`{}`", lit.value()),
            NameValue::Path(path) => format!("[`{}`]", tokens_text(path)),
        };
        let name = match self.input.literal_full_name(field) {
            Some(full) => format!("`{scope_prefix}{full}`"),
            None => {
                let name = field
                    .attrs
                    .name
                    .as_ref()
                    .map_or_else(|| format!("`{}`", unraw(field.ident)), piece);
                let prefix = self.input.attrs.prefix.as_ref().map(piece);
                let parts: Vec<String> = [
                    (!scope_prefix.is_empty()).then(|| format!("`{scope_prefix}`")),
                    prefix,
                ]
                .into_iter()
                .flatten()
                .collect();
                if parts.is_empty() {
                    name
                } else {
                    format!("{} + `_` + {name}", parts.join(" + "))
                }
            }
        };
        let mut text = format!("{name}, a {}", field.kind().type_name());
        let labels: Vec<String> = self.input.all_label_sources(field);
        if !labels.is_empty() {
            let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
            text.push_str(&format!(" labelled {}", labels.join(", ")));
        }
        if let Some(bounds) = field.bounds() {
            let bounds: Vec<String> = bounds.iter().map(f64::to_string).collect();
            text.push_str(&format!(", buckets [{}]", bounds.join(", ")));
        } else if let Some(source) = field.const_buckets_source() {
            text.push_str(&format!(", buckets `{source}`"));
        }
        if let Some(help) = field.help() {
            text.push_str(&format!(": {help}"));
        }
        text
    }

    /// The constructors' label parameters, clear of the parameters they
    /// declare themselves (`init(registry, ...)`, `for_scope(scope, ...)`).
    fn const_label_params(&self) -> Vec<Ident> {
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
    fn metrics_doc(&self) -> TokenStream {
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

    fn constructors(&self) -> TokenStream {
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

    /// `<Group>Builder`: the struct (outside the private block, so callers
    /// can name it) and its methods.
    fn builder(&self) -> (TokenStream, TokenStream) {
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
                    && self.input.leader_of(*index).is_none()
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
                    && self.input.leader_of(*index).is_none()
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

    fn group_impl(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let group_name = ident.to_string();
        let const_labels = self
            .input
            .attrs
            .const_labels
            .iter()
            .map(crate::attr::LabelName::value_tokens);
        let scope = match self.input.scope() {
            Scope::Registry => quote!(#private::ScopeKind::Registry),
            Scope::Hierarchy(None) => {
                quote!(#private::ScopeKind::Hierarchy(::core::option::Option::None))
            }
            Scope::Hierarchy(Some(level)) => {
                let level = format_ident!("{level:?}");
                quote!(#private::ScopeKind::Hierarchy(::core::option::Option::Some(#private::Level::#level)))
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
            if let Some(leader) = self.input.leader_of(index) {
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
                        collectors.push(#private::vec_collector(&self.#member));
                    };
                }
                quote_spanned! {ty.span()=>
                    collectors.push(::std::boxed::Box::new(::core::clone::Clone::clone(&self.#member)));
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
        let max_label_len = option_tokens(
            self.input
                .attrs
                .max_label_len
                .as_ref()
                .map(ToTokens::to_token_stream),
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

    /// For a group with plain `*Vec` fields: a `Drop` that drops what their
    /// helpers recorded about the families' series, so the records go with
    /// the group (`runtime/src/collision.rs`).
    fn drop_impl(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let fields = &self.input.fields;
        let forgets: Vec<TokenStream> = (0..fields.len())
            .filter(|index| self.described(*index))
            .filter(|index| {
                let field = &fields[*index];
                field.label_set.is_none() && field.metric.is_some_and(|metric| metric.labelled)
            })
            .map(|index| {
                let member = fields[index].ident;
                quote!(#private::forget_records(&self.#member);)
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
        !field.is_skipped() && !field.is_flattened() && self.input.leader_of(index).is_none()
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

    /// The group's descriptor list: its own descriptors, and each flattened
    /// group's with this group's prefix, in field order.
    fn metrics_list(&self) -> TokenStream {
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
    fn prefix_tokens(&self) -> TokenStream {
        match &self.input.attrs.prefix {
            Some(NameValue::Literal(lit)) => lit.to_token_stream(),
            Some(NameValue::Path(path)) => path.to_token_stream(),
            None => quote!(""),
        }
    }

    fn descriptor(&self, field: &Field) -> TokenStream {
        let private = &self.private;
        let field_name = unraw(field.ident);
        let name_const = Self::name_const_ident(field);
        let ident = self.input.ident;
        let kind = kind_tokens(private, field.kind());
        let help = field.help().unwrap_or_default();
        let labels = match field.label_set {
            Some(label_set) => quote!(<#label_set as #private::LabelSet>::NAMES),
            None => {
                let labels = field.family_labels();
                let labels = labels.iter().map(crate::attr::LabelName::value_tokens);
                quote!(&[#(#labels),*])
            }
        };
        let buckets = match (field.bounds(), field.const_buckets(private)) {
            (Some(bounds), _) => {
                let bounds = bounds.into_iter().map(proc_macro2::Literal::f64_unsuffixed);
                quote!(::core::option::Option::Some(#private::rules::BucketSpec::Explicit(&[#(#bounds),*])))
            }
            (None, Some(buckets)) => quote!(::core::option::Option::Some(#buckets)),
            (None, None) => quote!(::core::option::Option::None),
        };
        let unit = match &field.attrs.unit {
            Some(unit) => quote!(::core::option::Option::Some(#unit)),
            None => quote!(::core::option::Option::None),
        };
        let allowed = field
            .allowed_lints()
            .into_iter()
            .map(|lint| lint_tokens(private, lint));
        let max_series = option_tokens(
            field
                .attrs
                .max_series
                .as_ref()
                .map(ToTokens::to_token_stream),
        );
        let cardinality = match field.label_set {
            Some(label_set) => quote!(<#label_set as #private::LabelSet>::CARDINALITY),
            None => quote!(::core::option::Option::None),
        };
        let expire_after = option_tokens(field.attrs.expire_after.as_ref().map(duration_tokens));
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

    /// How the name was written, for messages about const-built names.
    fn name_source(&self, field: &Field) -> String {
        let name = match &field.attrs.name {
            Some(NameValue::Path(path)) => format!("`{}`", tokens_text(path)),
            Some(NameValue::Literal(lit)) => format!("{:?}", lit.value()),
            None => format!("{:?}", unraw(field.ident)),
        };
        match &self.input.attrs.prefix {
            Some(NameValue::Path(prefix)) => format!("`{}` + \"_\" + {name}", tokens_text(prefix)),
            Some(NameValue::Literal(lit)) if !lit.value().is_empty() => {
                format!("{:?} + \"_\" + {name}", lit.value())
            }
            _ => name,
        }
    }
}

impl Gen<'_> {
    /// `bind(...)`: the `<Group>Handles` struct (outside the private block,
    /// so callers can name it) and the `bind` method that resolves it.
    fn handles(&self) -> (TokenStream, TokenStream) {
        let Some(bind) = &self.input.attrs.bind else {
            return (TokenStream::new(), TokenStream::new());
        };
        let fields = self.input.bound_fields();
        if fields.is_empty() {
            return (TokenStream::new(), TokenStream::new()); // reported
        }
        let private = &self.private;
        let (ident, vis) = (self.input.ident, self.input.vis);
        let handles = format_ident!("{}Handles", ident);
        let members: Vec<&Ident> = fields.iter().map(|f| f.ident).collect();
        let child_types = fields.iter().map(|f| {
            let ty = f.ty;
            match f.label_set {
                Some(_) => quote!(<#ty as #private::FamilyChild>::Child),
                None => quote!(<#ty as #private::Labelled>::Child),
            }
        });
        let docs = fields
            .iter()
            .map(|f| format!("The series of {}", self.metric_summary(f)));
        let (params, args) = match self.input.bound_label_set() {
            Some(label_set) => (quote!(labels: &#label_set), vec![quote!(labels)]),
            None => {
                let params = param_idents(bind.names.iter().map(|l| l.name.as_str()), &[]);
                let args = params.iter().map(|p| quote!(&#p)).collect();
                (quote!(#(#params: impl #private::LabelValue),*), args)
            }
        };
        // `bound_fields` holds only fields with series helpers.
        let series = fields.iter().filter_map(|f| {
            let (series_fn, _) = f.helper_names().series?;
            Some(quote!(self.#series_fn(#(#args),*)?))
        });
        let struct_doc = format!(
            "The series of `{ident}`'s metrics for one set of values of the labels it binds, resolved once by [`{ident}::bind`]: an update through a field is one atomic operation."
        );
        let handles_struct = quote! {
            #[doc = #struct_doc]
            #[derive(Clone)]
            #vis struct #handles {
                #(#[doc = #docs] pub #members: #child_types,)*
            }
        };
        let bind_fn = quote! {
            /// Resolves the series of every metric labelled by the bound
            /// labels, for these values, once.
            ///
            /// # Errors
            ///
            /// The errors of resolving each series (`<field>_with_labels`).
            #[inline]
            pub fn bind(&self, #params) -> ::core::result::Result<#handles, #private::Error> {
                ::core::result::Result::Ok(#handles { #(#members: #series,)* })
            }
        };
        (handles_struct, bind_fn)
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
fn duration_tokens(value: &crate::attr::DurationValue) -> TokenStream {
    match value {
        crate::attr::DurationValue::Literal(_, millis) => {
            quote!(::core::time::Duration::from_millis(#millis))
        }
        crate::attr::DurationValue::Path(path) => path.to_token_stream(),
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

fn unraw(ident: &Ident) -> String {
    syn::ext::IdentExt::unraw(ident).to_string()
}

fn tokens_text(tokens: impl ToTokens) -> String {
    tokens.to_token_stream().to_string().replace(' ', "")
}
