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

use crate::ast::{Field, Input, MetricType};
use crate::attr::{Level, NameValue, Scope};
use crate::check::{self, per_second};
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let (expanded, errors) = derive_with_errors(input);
    let errors = errors.into_iter().map(|error| error.to_compile_error());
    quote!(#expanded #(#errors)*)
}

/// The generated items (none when the input is not a struct) and every error
/// found in the input.
pub(crate) fn derive_with_errors(input: &DeriveInput) -> (TokenStream, Vec<syn::Error>) {
    let cx = Ctxt::default();
    let Some(model) = Input::from_syn(&cx, input) else {
        return (TokenStream::new(), cx.into_errors());
    };
    check::check(&cx, &model);
    (expand(&model), cx.into_errors())
}

struct Gen<'a> {
    input: &'a Input<'a>,
    /// `<crate>::__private`
    private: TokenStream,
}

fn expand(input: &Input) -> TokenStream {
    let krate = match &input.attrs.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::metric_group),
    };
    let gen = Gen {
        input,
        private: quote!(#krate::__private),
    };
    let ident = input.ident;
    let private = &gen.private;

    let name_consts = input.fields.iter().map(|field| gen.name_const(field));
    let constructors = gen.constructors();
    let helpers = input.fields.iter().map(|field| gen.helpers(field));
    let group_impl = gen.group_impl();
    let name_checks = input
        .fields
        .iter()
        .map(|field| gen.const_name_checks(field));
    let label_set_checks = input
        .fields
        .iter()
        .map(|field| gen.const_label_set_checks(field));
    let duplicate_checks = gen.const_duplicate_checks();

    let memo = (input.scope() == Scope::Registry).then(|| {
        quote! {
            fn __memo() -> &'static #private::OnceCell<#private::Memoised<#ident>> {
                static MEMO: #private::OnceCell<#private::Memoised<#ident>> = #private::OnceCell::new();
                &MEMO
            }
        }
    });

    quote! {
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            #memo

            #[automatically_derived]
            impl #ident {
                #(#name_consts)*
                #constructors
                #(#helpers)*
            }

            #group_impl

            static __CATALOG_NODE: #private::CatalogNode =
                #private::CatalogNode::new(<#ident as #private::MetricGroup>::GROUP);
            #[used]
            #[cfg_attr(
                any(target_os = "linux", target_os = "android", target_os = "freebsd", target_os = "netbsd",
                    target_os = "openbsd", target_os = "dragonfly", target_os = "illumos"),
                link_section = ".init_array"
            )]
            #[cfg_attr(any(target_os = "macos", target_os = "ios"), link_section = "__DATA,__mod_init_func,mod_init_funcs")]
            #[cfg_attr(windows, link_section = ".CRT$XCU")]
            static __CATALOG_CONSTRUCTOR: unsafe extern "C" fn() = {
                unsafe extern "C" fn register() {
                    #private::catalog_submit(&__CATALOG_NODE);
                }
                register
            };

            #(#name_checks)*
            #(#label_set_checks)*
            #duplicate_checks
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
        if let Some(full) = check::literal_full_name(self.input, field) {
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
        let name = match check::literal_full_name(self.input, field) {
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
        let labels: Vec<String> = check::all_label_names(self.input, field);
        if !labels.is_empty() {
            let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
            text.push_str(&format!(" labelled {}", labels.join(", ")));
        }
        if let Some(bounds) = field.bounds() {
            let bounds: Vec<String> = bounds.iter().map(f64::to_string).collect();
            text.push_str(&format!(", buckets [{}]", bounds.join(", ")));
        }
        if let Some(help) = field.help() {
            text.push_str(&format!(": {help}"));
        }
        text
    }

    fn const_label_params(&self) -> Vec<Ident> {
        param_idents(
            self.input
                .attrs
                .const_labels
                .iter()
                .map(|l| l.name.as_str()),
            &[],
        )
    }

    /// A rustdoc section listing the group's metrics, for the constructors.
    fn metrics_doc(&self) -> TokenStream {
        let lines = self
            .input
            .fields
            .iter()
            .map(|field| format!(" - {}", self.metric_summary(field)));
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
        let values = quote!(::std::vec![#(#private::LabelValue::to_label_string(&#params)),*]);
        let registry_api = quote! {
            /// Registers every metric of the group on `registry`, or none of
            /// them; registering this instance again is a no-op.
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
                        #[inline]
                        pub fn global() -> ::core::result::Result<&'static Self, #private::Error> {
                            #private::global(__memo())
                        }
                    }
                });
                quote! {
                    /// Builds the group's metrics without registering them.
                    #metrics_doc
                    #[inline]
                    pub fn new(#(#params: impl #private::LabelValue),*) -> ::core::result::Result<Self, #private::Error> {
                        <Self as #private::MetricGroup>::build(&#private::BuildContext::registry(
                            <Self as #private::MetricGroup>::GROUP,
                            #values,
                        ))
                    }

                    #registry_api
                    #global

                    /// Builds the process-wide instance on first call and registers it on
                    /// `registry`. Later calls return the same instance (registering it on
                    /// another registry if given one); other const label values are an error.
                    #metrics_doc
                    #[inline]
                    pub fn init(
                        registry: &#private::prometheus::Registry,
                        #(#params: impl #private::LabelValue),*
                    ) -> ::core::result::Result<&'static Self, #private::Error> {
                        #private::init(__memo(), registry, #values)
                    }

                    /// The instance `init` (or `global`) built, if any.
                    #[inline]
                    pub fn get() -> ::core::option::Option<&'static Self> {
                        #private::get(__memo())
                    }
                }
            }
            Scope::Hierarchy(_) => quote! {
                /// The group of `scope`, built and registered on the scope's registry
                /// on first call. Each scope has its own instance; asking one scope
                /// again returns its instance (other const label values are an error).
                #metrics_doc
                #[inline]
                pub fn for_scope(
                    scope: &#private::Scope,
                    #(#params: impl #private::LabelValue),*
                ) -> ::core::result::Result<#private::Arc<Self>, #private::Error> {
                    scope.group::<Self>(#values)
                }

                #registry_api
            },
        }
    }

    fn group_impl(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let group_name = ident.to_string();
        let const_labels = self.input.attrs.const_labels.iter().map(|l| &l.name);
        let scope = match self.input.scope() {
            Scope::Registry => quote!(#private::ScopeKind::Registry),
            Scope::Hierarchy(None) => {
                quote!(#private::ScopeKind::Hierarchy(::core::option::Option::None))
            }
            Scope::Hierarchy(Some(level)) => {
                let level = match level {
                    Level::Runtime => quote!(Runtime),
                    Level::Namespace => quote!(Namespace),
                    Level::Component => quote!(Component),
                    Level::Endpoint => quote!(Endpoint),
                };
                quote!(#private::ScopeKind::Hierarchy(::core::option::Option::Some(#private::Level::#level)))
            }
        };
        let descriptors = self.input.fields.iter().map(|field| self.descriptor(field));
        let builds = self.input.fields.iter().enumerate().map(|(index, field)| {
            let member = field.ident;
            let ty = field.ty;
            let value = match field.metric {
                Some(_) => quote_spanned! {ty.span()=>
                    <#ty as #private::BuildMetric>::build(context, &<Self as #private::MetricGroup>::GROUP.metrics[#index])?
                },
                None => quote!(::core::unreachable!()),
            };
            quote!(#member: #value)
        });
        let collectors = self.input.fields.iter().filter(|field| field.metric.is_some()).map(|field| {
            let member = field.ident;
            quote_spanned! {field.ty.span()=>
                ::std::boxed::Box::new(::core::clone::Clone::clone(&self.#member)) as ::std::boxed::Box<dyn #private::prometheus::core::Collector>
            }
        });
        quote! {
            #[automatically_derived]
            impl #private::MetricGroup for #ident {
                const GROUP: &'static #private::GroupDescriptor = &#private::GroupDescriptor {
                    name: #group_name,
                    module_path: ::core::module_path!(),
                    const_labels: &[#(#const_labels),*],
                    scope: #scope,
                    metrics: &[#(#descriptors),*],
                };

                #[allow(unreachable_code)]
                #[inline]
                fn build(context: &#private::BuildContext) -> ::core::result::Result<Self, #private::Error> {
                    ::core::result::Result::Ok(#ident { #(#builds),* })
                }

                #[inline]
                fn collectors(&self) -> ::std::vec::Vec<::std::boxed::Box<dyn #private::prometheus::core::Collector>> {
                    ::std::vec![#(#collectors),*]
                }
            }
        }
    }

    fn descriptor(&self, field: &Field) -> TokenStream {
        let private = &self.private;
        let field_name = unraw(field.ident);
        let name_const = Self::name_const_ident(field);
        let kind = kind_tokens(private, field.kind());
        let help = field.help().unwrap_or_default();
        let labels = match field.label_set {
            Some(label_set) => quote!(<#label_set as #private::LabelSet>::NAMES),
            None => {
                let labels = field.labels().iter().map(|l| &l.name);
                quote!(&[#(#labels),*])
            }
        };
        let buckets = match field.bounds() {
            Some(bounds) => {
                let bounds = bounds.into_iter().map(proc_macro2::Literal::f64_unsuffixed);
                quote!(::core::option::Option::Some(&[#(#bounds),*]))
            }
            None => quote!(::core::option::Option::None),
        };
        let unit = match &field.attrs.unit {
            Some(unit) => quote!(::core::option::Option::Some(#unit)),
            None => quote!(::core::option::Option::None),
        };
        let allowed = field
            .attrs
            .allow
            .iter()
            .map(|(lint, _)| lint_tokens(private, *lint));
        quote! {
            #private::MetricDescriptor {
                field: #field_name,
                name: Self::#name_const,
                kind: #kind,
                help: #help,
                labels: #labels,
                buckets: #buckets,
                unit: #unit,
                allowed_lints: &[#(#allowed),*],
            }
        }
    }

    /// Typed helpers: resolve, update and remove one series of a labelled
    /// family; record a `Duration` into a histogram with a time unit.
    fn helpers(&self, field: &Field) -> TokenStream {
        let Some(metric) = field.metric else {
            return TokenStream::new();
        };
        let private = &self.private;
        let member = field.ident;
        let ty = field.ty;
        let base = unraw(member);
        let summary = self.metric_summary(field);
        let per_second = field
            .attrs
            .unit
            .as_ref()
            .and_then(|unit| per_second(&unit.value()));
        let duration_fn = format_ident!("observe_{}_duration", base);
        let duration_doc = format!("Records a duration into {summary}");

        if !metric.labelled {
            return match (metric.kind, per_second) {
                (MetricKind::Histogram, Some(scale)) => quote_spanned! {ty.span()=>
                    #[doc = #duration_doc]
                    #[inline]
                    pub fn #duration_fn(&self, duration: #private::Duration) {
                        self.#member.observe(duration.as_secs_f64() * #scale);
                    }
                },
                _ => TokenStream::new(),
            };
        }

        if let Some(label_set) = field.label_set {
            return self.family_helpers(field, metric, label_set, per_second);
        }
        if field.labels().is_empty() {
            return TokenStream::new(); // reported: a family needs labels
        }
        let reserved = ["value", "duration"];
        let params = param_idents(field.labels().iter().map(|l| l.name.as_str()), &reserved);
        let args = quote!(#(#params: impl #private::LabelValue),*);
        let values = quote!([#(&#params as &dyn #private::LabelValue),*]);
        let series_fn = format_ident!("{}_with_labels", base);
        let remove_fn = format_ident!("remove_{}", base);
        let series_doc = format!("The series of {summary}, for these label values.");
        let remove_doc =
            format!("Removes the series of {summary} for these label values; whether it existed.");
        let result = quote!(::core::result::Result<(), #private::Error>);
        let update = match metric.kind {
            MetricKind::Counter => {
                let name = format_ident!("inc_{}", base);
                let doc = format!("Adds one to {summary}");
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, #args) -> #result {
                        self.#series_fn(#(#params),*)?.inc();
                        ::core::result::Result::Ok(())
                    }
                }
            }
            MetricKind::Gauge => {
                let name = format_ident!("set_{}", base);
                let doc = format!("Sets {summary}");
                let value_ty = if metric.float {
                    quote!(f64)
                } else {
                    quote!(i64)
                };
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, #args, value: #value_ty) -> #result {
                        self.#series_fn(#(#params),*)?.set(value);
                        ::core::result::Result::Ok(())
                    }
                }
            }
            MetricKind::Histogram => {
                let name = format_ident!("observe_{}", base);
                let doc = format!("Records a value into {summary}");
                let duration = per_second.map(|scale| {
                    quote_spanned! {ty.span()=>
                        #[doc = #duration_doc]
                        #[inline]
                        pub fn #duration_fn(&self, #args, duration: #private::Duration) -> #result {
                            self.#series_fn(#(#params),*)?.observe(duration.as_secs_f64() * #scale);
                            ::core::result::Result::Ok(())
                        }
                    }
                });
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, #args, value: f64) -> #result {
                        self.#series_fn(#(#params),*)?.observe(value);
                        ::core::result::Result::Ok(())
                    }
                    #duration
                }
            }
        };
        quote_spanned! {ty.span()=>
            #[doc = #series_doc]
            #[inline]
            pub fn #series_fn(&self, #args) -> ::core::result::Result<<#ty as #private::Labelled>::Child, #private::Error> {
                #private::series(&self.#member, #values)
            }

            #[doc = #remove_doc]
            #[inline]
            pub fn #remove_fn(&self, #args) -> bool {
                #private::remove_series(&self.#member, #values)
            }

            #update
        }
    }

    /// Helpers of a `Family<L, M>` field: they take the label set by reference.
    fn family_helpers(
        &self,
        field: &Field,
        metric: MetricType,
        label_set: &syn::Type,
        per_second: Option<f64>,
    ) -> TokenStream {
        let private = &self.private;
        let member = field.ident;
        let ty = field.ty;
        let base = unraw(member);
        let summary = self.metric_summary(field);
        let series_fn = format_ident!("{}_with_labels", base);
        let remove_fn = format_ident!("remove_{}", base);
        let series_doc = format!("The series of {summary}, for this label set (created on first use; warm calls neither lock nor allocate).");
        let remove_doc =
            format!("Removes the series of {summary} for this label set; whether it existed.");
        let result = quote!(::core::result::Result<(), #private::Error>);
        let ok = quote!(::core::result::Result::Ok(()));
        let update = match metric.kind {
            MetricKind::Counter => {
                let name = format_ident!("inc_{}", base);
                let doc = format!("Adds one to {summary}");
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, labels: &#label_set) -> #result {
                        self.#member.get(labels)?.inc();
                        #ok
                    }
                }
            }
            MetricKind::Gauge => {
                let name = format_ident!("set_{}", base);
                let doc = format!("Sets {summary}");
                let value_ty = if metric.float {
                    quote!(f64)
                } else {
                    quote!(i64)
                };
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, labels: &#label_set, value: #value_ty) -> #result {
                        self.#member.get(labels)?.set(value);
                        #ok
                    }
                }
            }
            MetricKind::Histogram => {
                let name = format_ident!("observe_{}", base);
                let doc = format!("Records a value into {summary}");
                let duration = per_second.map(|scale| {
                    let duration_fn = format_ident!("observe_{}_duration", base);
                    let duration_doc = format!("Records a duration into {summary}");
                    quote_spanned! {ty.span()=>
                        #[doc = #duration_doc]
                        #[inline]
                        pub fn #duration_fn(&self, labels: &#label_set, duration: #private::Duration) -> #result {
                            self.#member.get(labels)?.observe(duration.as_secs_f64() * #scale);
                            #ok
                        }
                    }
                });
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, labels: &#label_set, value: f64) -> #result {
                        self.#member.get(labels)?.observe(value);
                        #ok
                    }
                    #duration
                }
            }
        };
        quote_spanned! {ty.span()=>
            #[doc = #series_doc]
            #[inline]
            pub fn #series_fn(&self, labels: &#label_set) -> ::core::result::Result<&<#ty as #private::FamilyChild>::Child, #private::Error> {
                self.#member.get(labels)
            }

            #[doc = #remove_doc]
            #[inline]
            pub fn #remove_fn(&self, labels: &#label_set) -> bool {
                self.#member.remove(labels)
            }

            #update
        }
    }

    /// Label names of a `Family` field's label set that clash with the
    /// group's const labels, the scope's labels or histograms' `le`: checked
    /// by const evaluation, since the names live in another derive.
    fn const_label_set_checks(&self, field: &Field) -> TokenStream {
        let Some(label_set) = field.label_set else {
            return TokenStream::new();
        };
        let private = &self.private;
        let label_set_name = tokens_text(label_set);
        let mut reserved: Vec<(String, &str)> = Vec::new();
        for label in &self.input.attrs.const_labels {
            reserved.push((label.name.clone(), "a const label of the group"));
        }
        for label in check::scope_labels(self.input.scope()) {
            reserved.push((
                label.to_owned(),
                "a label the metrics hierarchy adds to this scope",
            ));
        }
        if field.kind() == MetricKind::Histogram {
            reserved.push(("le".to_owned(), "reserved on histograms for bucket bounds"));
        }
        let checks = reserved.iter().map(|(name, why)| {
            let message = format!(
                "label `{name}` of label set `{label_set_name}` (field `{}`) is {why}",
                field.ident
            );
            quote_spanned! {label_set.span()=>
                const _: () = if #private::names_contain(<#label_set as #private::LabelSet>::NAMES, #name) {
                    ::core::panic!("{}", #message)
                };
            }
        });
        quote!(#(#checks)*)
    }

    /// For names built from constants: the naming rules and promtool lints,
    /// run by const evaluation so a bad constant fails the build at the path.
    fn const_name_checks(&self, field: &Field) -> TokenStream {
        if check::literal_full_name(self.input, field).is_some() || field.metric.is_none() {
            return TokenStream::new();
        }
        let private = &self.private;
        let rules = quote!(#private::rules);
        let ident = self.input.ident;
        let name_const = Self::name_const_ident(field);
        let what = format!(
            "metric name of field `{}` ({})",
            field.ident,
            self.name_source(field)
        );
        let kind = kind_tokens(private, field.kind());
        let labels = check::all_label_names(self.input, field);
        let allowed = field
            .attrs
            .allow
            .iter()
            .map(|(lint, _)| lint_tokens(private, *lint));
        let invalid = format!(
            "{what} is not a valid Prometheus metric name: expected `[a-zA-Z_:][a-zA-Z0-9_:]*`"
        );
        let span = field.name_span();
        let lint_checks = Lint::ALL.iter().map(|lint| {
            let tokens = lint_tokens(private, *lint);
            let found = format!(
                "{what}: {}; add `allow({})` to `#[metric(...)]` if this is deliberate",
                lint.description(),
                lint.key()
            );
            let unused = format!(
                "{what}: lint `{}` is allowed but the name does not trigger it",
                lint.key()
            );
            quote_spanned! {span=>
                if found.without(allowed).contains(#tokens) { ::core::panic!("{}", #found) }
                if allowed.without(found).contains(#tokens) { ::core::panic!("{}", #unused) }
            }
        });
        quote_spanned! {span=>
            const _: () = {
                const NAME: &str = #ident::#name_const;
                if !#rules::is_valid_metric_name(NAME) { ::core::panic!("{}", #invalid) }
                let found = #rules::lint_metric(NAME, #kind, &[#(#labels),*]);
                let allowed = #rules::LintSet::EMPTY #(.with(#allowed))*;
                #(#lint_checks)*
            };
        }
    }

    /// Unique names, for pairs where at least one name is built from constants
    /// (literal pairs are compared by check.rs).
    fn const_duplicate_checks(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let fields = &self.input.fields;
        let mut checks = TokenStream::new();
        for (j, later) in fields.iter().enumerate() {
            for earlier in &fields[..j] {
                let literal = |f: &Field| check::literal_full_name(self.input, f).is_some();
                if literal(earlier) && literal(later) {
                    continue;
                }
                let (a, b) = (
                    Self::name_const_ident(earlier),
                    Self::name_const_ident(later),
                );
                let message = format!(
                    "duplicate metric name: field `{}` ({}) has the same name as field `{}`",
                    later.ident,
                    self.name_source(later),
                    earlier.ident
                );
                checks.extend(quote_spanned! {later.name_span()=>
                    const _: () = if #private::str_eq(#ident::#a, #ident::#b) { ::core::panic!("{}", #message) };
                });
            }
        }
        checks
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

fn kind_tokens(private: &TokenStream, kind: MetricKind) -> TokenStream {
    let variant = match kind {
        MetricKind::Counter => quote!(Counter),
        MetricKind::Gauge => quote!(Gauge),
        MetricKind::Histogram => quote!(Histogram),
    };
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

/// Parameters named after labels: raw when a label is a keyword, cleaned up
/// when it is not an identifier (already reported), suffixed when it collides
/// with a parameter the helper has or with an earlier label.
fn param_idents<'a>(labels: impl IntoIterator<Item = &'a str>, reserved: &[&str]) -> Vec<Ident> {
    let mut taken: Vec<String> = reserved.iter().map(|r| (*r).to_owned()).collect();
    let mut idents = Vec::new();
    for label in labels {
        let mut name: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("label_{name}");
        } else if matches!(name.as_str(), "self" | "Self" | "super" | "crate" | "_") {
            name = format!("{name}_label");
        }
        while taken.contains(&name) {
            name.push_str("_label");
        }
        taken.push(name.clone());
        idents.push(match syn::parse_str::<Ident>(&name) {
            Ok(ident) => ident,
            Err(_) => Ident::new_raw(&name, Span::call_site()),
        });
    }
    idents
}
