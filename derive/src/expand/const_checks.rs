//! Checks that run by const evaluation, for what the derive cannot see
//! while it expands: names built from constants, and the label names of a
//! `Family`'s label set (declared by another derive).

use metric_group_rules::{
    check_label_name, BucketError, LabelError, LabelPlace, Lint, MetricKind, NameError,
    OVERFLOW_LABEL,
};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{
    count_tokens, kind_tokens, label_name_tokens, lint_set_tokens, tokens_text, unraw, Gen,
};
use crate::ast::{unit_ending, Field};
use crate::attr::{CountValue, DurationValue, LabelName, NameValue, Scope};

impl Gen<'_> {
    /// For a group created through the hierarchy: the naming preset its
    /// labels are checked against (the item [`naming_item`](Self::naming_item)
    /// defines) and its level, as `Option<&str>` tokens (the level's name).
    fn scope_naming(&self) -> Option<(TokenStream, TokenStream)> {
        let Scope::Hierarchy(level) = self.input.scope() else {
            return None;
        };
        let level = match level {
            None => quote!(::core::option::Option::None),
            Some(level) => quote!(::core::option::Option::Some(#level)),
        };
        Some((quote!(__NAMING_PRESET), level))
    }

    /// The preset a scoped group's labels are checked against, as one item
    /// the checks name: `naming = PATH` (a constant of another type is an
    /// error at the path), else the runtime's default preset.
    pub(super) fn naming_item(&self) -> TokenStream {
        let Scope::Hierarchy(_) = self.input.scope() else {
            return TokenStream::new();
        };
        let private = &self.private;
        let ty = quote!(#private::rules::hierarchy::NamingPreset);
        match self.input.attrs.naming.value() {
            Some(path) => quote_spanned! {path.span()=>
                const __NAMING_PRESET: &#ty = &#path;
            },
            None => quote! {
                const __NAMING_PRESET: &#ty = &#private::DEFAULT_NAMING;
            },
        }
    }

    /// `scope = <level>`: a level of the group's naming preset, which only
    /// const evaluation sees; an error at the level's name otherwise.
    pub(super) fn const_level_check(&self) -> TokenStream {
        let Some((Scope::Hierarchy(Some(level)), span)) = self.input.attrs.scope.value() else {
            return TokenStream::new();
        };
        let private = &self.private;
        let message = format!("no level `{level}` in the naming preset");
        quote_spanned! {*span=>
            const _: () = if #private::rules::hierarchy::NamingPreset::depth_of(__NAMING_PRESET, #level).is_none() {
                ::core::panic!("{}", #message)
            };
        }
    }

    /// Limits given as constants (at least 1, a duration not zero), and a
    /// `Family` field's budget against its label set's cardinality, which
    /// another derive knows: checked by const evaluation at the value.
    pub(super) fn const_limit_checks(&self) -> TokenStream {
        let private = &self.private;
        let attrs = &self.input.attrs;
        let mut checks = Vec::new();
        let counts = (attrs
            .max_series
            .value()
            .into_iter()
            .map(|v| (v, "max_series")))
        .chain(
            attrs
                .max_label_len
                .value()
                .into_iter()
                .map(|v| (v, "max_label_len")),
        )
        .chain(
            (self.input.fields.iter())
                .filter_map(|f| f.attrs.max_series.own().map(|v| (v, "max_series"))),
        );
        for (value, key) in counts {
            if let CountValue::Path(path) = value {
                let message = format!(
                    "`{key} = {}` admits nothing: give at least 1",
                    tokens_text(path)
                );
                checks.push(quote_spanned! {value.span()=>
                    const _: () = if #path == 0 { ::core::panic!("{}", #message) };
                });
            }
        }
        let durations = (attrs.expire_after.value().into_iter())
            .chain((self.input.fields.iter()).filter_map(|f| f.attrs.expire_after.own()));
        for value in durations {
            if let DurationValue::Path(path) = value {
                let message = format!(
                    "`expire_after = {}` would expire every series at once: give at least 1ms",
                    tokens_text(path)
                );
                checks.push(quote_spanned! {value.span()=>
                    const _: () = if ::core::time::Duration::is_zero(&#path) { ::core::panic!("{}", #message) };
                });
            }
        }
        for field in &self.input.fields {
            let (Some(label_set), Some(max)) = (field.label_set, field.attrs.max_series.value())
            else {
                continue;
            };
            let message = format!(
                "`max_series = {}` of field `{}` is below the number of label sets of `{}`: a label set of fixed cardinality needs no budget, leave it out",
                match max {
                    CountValue::Literal(lit, _) => lit.to_string(),
                    CountValue::Path(path) => tokens_text(path),
                },
                field.ident,
                tokens_text(label_set)
            );
            let max_value = count_tokens(max);
            checks.push(quote_spanned! {max.span()=>
                const _: () = if let ::core::option::Option::Some(n) = <#label_set as #private::LabelSet>::CARDINALITY {
                    if #max_value < n { ::core::panic!("{}", #message) }
                };
            });
        }
        quote!(#(#checks)*)
    }

    /// Label names of a `Family` field's label set that clash with the
    /// group's const labels, the scope's labels or histograms' `le`: checked
    /// by const evaluation, since the names live in another derive.
    pub(super) fn const_label_set_checks(&self, field: &Field) -> TokenStream {
        let Some(label_set) = field.label_set else {
            return TokenStream::new();
        };
        let private = &self.private;
        let label_set_name = tokens_text(label_set);
        let mut reserved: Vec<(TokenStream, String, &str)> = Vec::new();
        for label in &self.input.attrs.const_labels {
            reserved.push((
                label_name_tokens(label),
                label.source(),
                "already a const label of the group",
            ));
        }
        // The names a label set's own derive cannot judge: what it is
        // used for decides.
        let place = label_place(field.kind());
        for (name, error) in [OVERFLOW_LABEL, "le"]
            .into_iter()
            .filter_map(|name| Some((name, check_label_name(name, place).err()?)))
        {
            reserved.push((quote!(#name), name.to_owned(), error.message()));
        }
        let checks = reserved.iter().map(|(name, source, why)| {
            let message = format!(
                "label `{source}` of label set `{label_set_name}` (field `{}`): {why}",
                field.ident
            );
            quote_spanned! {label_set.span()=>
                const _: () = if #private::names_contain(<#label_set as #private::LabelSet>::NAMES, #name) {
                    ::core::panic!("{}", #message)
                };
            }
        });
        let scope_check = self.scope_naming().map(|(preset, level)| {
            let rules = quote!(#private::rules);
            let after = format!(
                "` of label set `{label_set_name}` (field `{}`): it shadows a label the metrics hierarchy adds to this scope",
                field.ident
            );
            // The label's name is the label set's, known only here: the
            // message is put together by const evaluation.
            quote_spanned! {label_set.span()=>
                const _: () = {
                    const NAMES: &[&str] = <#label_set as #private::LabelSet>::NAMES;
                    const SHADOWED: &str = match #rules::hierarchy::NamingPreset::first_added(#preset, #level, NAMES) {
                        ::core::option::Option::Some(i) => NAMES[i],
                        ::core::option::Option::None => "",
                    };
                    if !SHADOWED.is_empty() {
                        const PARTS: &[&str] = &["label `", SHADOWED, #after];
                        const BYTES: [u8; #private::concat_len(PARTS)] = #private::concat_bytes(PARTS);
                        ::core::panic!("{}", #private::utf8(&BYTES))
                    }
                };
            }
        });
        quote!(#(#checks)* #scope_check)
    }

    /// A prefix given as a path: a valid metric name or empty, checked by const
    /// evaluation at the path.
    pub(super) fn const_prefix_check(&self) -> TokenStream {
        let Some(NameValue::Path(path)) = self.input.attrs.prefix.value() else {
            return TokenStream::new();
        };
        let private = &self.private;
        let messages = message_table(&NameError::ALL.map(|error| format!(": {error}")));
        // Names a constant in the user's code is unlikely to have: a prefix
        // may be a lone identifier (`prefix = PREFIX`), which a block's own
        // item of that name would shadow.
        let (span, subject) = (
            NameValue::Path(path.clone()).span(),
            format!("metric name prefix `{}`", tokens_text(path)),
        );
        let fail_with = |message: &TokenStream| {
            panic_showing(span, private, &subject, &quote!(__PREFIX), message)
        };
        let fail = fail_with(&quote!(__MESSAGE));
        // The lints every name behind a valid prefix would trip: once, here,
        // as check.rs does for a literal (the names' checks leave them out).
        let rules = quote!(#private::rules);
        let allowed = lint_set_tokens(
            private,
            self.input.attrs.allow.iter().map(|(lint, _)| *lint),
        );
        let lint_messages = message_table(&Lint::ALL.map(|lint| {
            format!(
                ": {}; add `allow({})` to `#[metric_group(...)]` if this is deliberate",
                lint.description(),
                lint.key()
            )
        }));
        let lint_fail = fail_with(&quote!(__LINT));
        quote_spanned! {span=>
            const _: () = {
                const __PREFIX: &str = #path;
                const __MESSAGE: &str = match #rules::check_prefix(__PREFIX) {
                    ::core::result::Result::Ok(()) => "",
                    ::core::result::Result::Err(error) => #messages[error.index()],
                };
                // The first lint tripped (a constant fails once).
                const __LINT: &str = {
                    let found = #rules::lint_prefix(__PREFIX).without(#allowed);
                    let mut i = 0;
                    let mut message = "";
                    while i < #rules::Lint::ALL.len() {
                        if found.contains(#rules::Lint::ALL[i]) {
                            message = #lint_messages[i];
                            break;
                        }
                        i += 1;
                    }
                    message
                };
                if !__MESSAGE.is_empty() #fail else if !__LINT.is_empty() #lint_fail
            };
        }
    }

    /// For names built from constants: the naming rules, promtool lints and
    /// the unit, run by const evaluation so a bad constant fails the build at
    /// the path. An invalid prefix is reported at the prefix alone.
    pub(super) fn const_name_checks(&self, field: &Field) -> TokenStream {
        let literal_name = field.resolved.literal_full_name.is_some();
        let literal_labels = field.resolved.all_label_names.is_some();
        if literal_name && literal_labels || !field.resolved.name_checkable {
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
        // The name as const evaluation joined it, after how it is written.
        let showing = |message: TokenStream| {
            let before = format!(
                "metric name of field `{}` ({} = \"",
                field.ident,
                self.name_source(field)
            );
            panic_joined(
                field.name_span(),
                private,
                &[quote!(#before), quote!(NAME), quote!("\")"), message],
            )
        };
        let kind = kind_tokens(private, field.kind());
        let labels = (field.resolved.family_labels.iter()).map(label_name_tokens);
        let allowed = lint_set_tokens(private, field.resolved.allowed_lints.iter().copied());
        // Only a field's own `allow` is reported unused: the group's serves
        // whichever of its fields trigger it.
        let own = lint_set_tokens(private, field.attrs.allow.iter().map(|(lint, _)| *lint));
        let span = field.name_span();
        let prefix_ok = match self.input.attrs.prefix.value() {
            Some(NameValue::Path(path)) => quote!(#rules::check_prefix(#path).is_ok()),
            _ => quote!(true),
        };
        // What the prefix trips is reported at the prefix (check.rs for a
        // literal, `const_prefix_check` for a constant).
        let prefix = match self.input.attrs.prefix.value() {
            Some(value) => quote!(#value),
            None => quote!(""),
        };
        // A literal name is checked by check.rs; only the lints, which see
        // the labels from constants too, are left to const evaluation.
        let validity = (!literal_name).then(|| {
            let check = if field.kind() == MetricKind::Histogram {
                quote!(#rules::check_histogram_name)
            } else {
                quote!(#rules::check_metric_name)
            };
            let messages = message_table(&NameError::ALL.map(|error| format!(": {error}")));
            let fail = showing(quote!(__MESSAGE));
            quote_spanned! {span=>
                const __MESSAGE: &str = match #check(NAME) {
                    ::core::result::Result::Ok(()) => "",
                    ::core::result::Result::Err(error) => #messages[error.index()],
                };
                if !__MESSAGE.is_empty() #fail
            }
        });
        let unit_span = field.unit_span();
        let unit_check = field.attrs.unit.value().filter(|_| !literal_name).map(|lit| {
            let unit_span = unit_span.unwrap_or_else(|| lit.span());
            let unit = lit.value();
            let message = format!(
                "{what} does not mention its unit `{unit}`: end it in `{}`",
                unit_ending(&unit, field.kind())
            );
            quote_spanned! {unit_span=>
                const _: () = if #prefix_ok && !#rules::name_mentions_unit(#ident::#name_const, #lit) {
                    ::core::panic!("{}", #message)
                };
            }
        });
        let found_messages = message_table(&Lint::ALL.map(|lint| {
            format!(
                ": {}; add `allow({})` to `#[metric(...)]` if this is deliberate",
                lint.description(),
                lint.key()
            )
        }));
        let unused_messages = message_table(&Lint::ALL.map(|lint| {
            format!(
                ": lint `{}` is allowed but the name does not trigger it",
                lint.key()
            )
        }));
        // The first lint tripped or allowed in vain, as a message picked by
        // const evaluation: one message put together, not one per lint.
        let fail = showing(quote!(__LINT));
        quote_spanned! {span=>
            const _: () = if #prefix_ok {
                const NAME: &str = #ident::#name_const;
                // Items first: the validity check ends in a statement.
                const __LINT: &str = {
                    let of_prefix = #rules::lint_prefix(#prefix);
                    // What a label trips is reported at the label.
                    let found = #rules::lint_metric(NAME, #kind, &[]).without(of_prefix);
                    let of_labels = #rules::LintSet::EMPTY #(.union(#rules::lint_label(#labels)))*;
                    let allowed = #allowed;
                    let own = #own.without(of_prefix);
                    let (tripped, unused) = (found.without(allowed), own.without(found).without(of_labels));
                    let mut i = 0;
                    let mut message = "";
                    while i < #rules::Lint::ALL.len() {
                        let lint = #rules::Lint::ALL[i];
                        if tripped.contains(lint) {
                            message = #found_messages[i];
                            break;
                        }
                        if unused.contains(lint) {
                            message = #unused_messages[i];
                            break;
                        }
                        i += 1;
                    }
                    message
                };
                #validity
                if !__LINT.is_empty() #fail
            };
            #unit_check
        }
    }

    /// Unique names, for pairs where at least one name is built from constants
    /// (literal pairs are compared by check.rs).
    pub(super) fn const_duplicate_checks(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let fields = &self.input.fields;
        let mut checks = TokenStream::new();
        for (j, later) in fields.iter().enumerate() {
            for earlier in &fields[..j] {
                let literal = |f: &Field| f.resolved.literal_full_name.is_some();
                let checkable = |f: &Field| f.resolved.name_checkable;
                if literal(earlier) && literal(later) || !checkable(earlier) || !checkable(later) {
                    continue;
                }
                if later.resolved.share_key.is_some()
                    && later.resolved.share_key == earlier.resolved.share_key
                {
                    continue; // one family, by declaration
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
}

impl Gen<'_> {
    /// The label rules of check.rs for label names taken from constants, run
    /// by const evaluation at the constant's path: valid, not reserved, not
    /// repeated, not a const label, not a scope label. One message per label.
    pub(super) fn const_label_checks(&self) -> TokenStream {
        let scope_naming = self.scope_naming();
        // A const label's lints are its own (every metric carries it),
        // allowed by the group's `allow`.
        let private = &self.private;
        let group_allowed = lint_set_tokens(
            private,
            self.input.attrs.allow.iter().map(|(lint, _)| *lint),
        );
        let mut checks = self.label_list_checks(
            &self.input.attrs.const_labels,
            &[],
            scope_naming.as_ref(),
            "const label",
            LabelPlace::Metric,
            Some((&group_allowed, "metric_group")),
        );
        for field in self.input.fields.iter().filter(|f| f.metric.is_some()) {
            let allowed = lint_set_tokens(private, field.resolved.allowed_lints.iter().copied());
            checks.extend(self.label_list_checks(
                &field.resolved.family_labels,
                &self.input.attrs.const_labels,
                scope_naming.as_ref(),
                "label",
                label_place(field.kind()),
                Some((&allowed, "metric")),
            ));
        }
        checks
    }

    fn label_list_checks(
        &self,
        labels: &[LabelName],
        others: &[LabelName],
        scope_naming: Option<&(TokenStream, TokenStream)>,
        what: &str,
        place: LabelPlace,
        own_lints_allowed: Option<(&TokenStream, &str)>,
    ) -> TokenStream {
        let rules = {
            let private = &self.private;
            quote!(#private::rules)
        };
        let private = &self.private;
        let mut checks = TokenStream::new();
        for (i, label) in labels.iter().enumerate() {
            let value = label_name_tokens(label);
            let source = label.source();
            // A constant's message shows its value (`before ("value")
            // after`); a literal is its own value.
            let fail = |before: String, after: String| {
                if label.path.is_some() {
                    panic_showing(label.span, private, &before, &quote!(NAME), &quote!(#after))
                } else {
                    let message = format!("{before}{after}");
                    quote_spanned!(label.span=> { ::core::panic!("{}", #message) })
                }
            };
            let mut arms: Vec<(TokenStream, TokenStream)> = Vec::new();
            let rules_check = label.path.is_some().then(|| {
                let place = label_place_tokens(&rules, place);
                let messages = message_table(&LabelError::ALL.map(|error| format!(": {error}")));
                let fail = panic_showing(
                    label.span,
                    private,
                    &format!("{what} `{source}`"),
                    &quote!(NAME),
                    &quote!(MESSAGE),
                );
                // The label's own lints, first tripped (a const label's).
                let lint = own_lints_allowed.map(|(allowed, attribute)| {
                    let messages = message_table(&Lint::ALL.map(|lint| {
                        format!(
                            ": {}; add `allow({})` to `#[{attribute}(...)]` if this is deliberate",
                            lint.description(),
                            lint.key()
                        )
                    }));
                    quote! {
                        match #rules::lint_label(NAME).without(#allowed).first() {
                            ::core::option::Option::Some(lint) => #messages[lint.index()],
                            ::core::option::Option::None => "",
                        }
                    }
                });
                let lint = lint.unwrap_or_else(|| quote!(""));
                quote_spanned! {label.span=>
                    const MESSAGE: &str = match #rules::check_label_name(NAME, #place) {
                        ::core::result::Result::Ok(()) => #lint,
                        ::core::result::Result::Err(error) => #messages[error.index()],
                    };
                    if !MESSAGE.is_empty() #fail
                }
            });
            for earlier in labels[..i]
                .iter()
                .filter(|e| e.path.is_some() || label.path.is_some())
            {
                let theirs = label_name_tokens(earlier);
                arms.push((
                    quote!(#private::str_eq(NAME, #theirs)),
                    fail(
                        format!("duplicate {what} `{source}`"),
                        format!(": the same name as `{}`", earlier.source()),
                    ),
                ));
            }
            for other in others
                .iter()
                .filter(|o| o.path.is_some() || label.path.is_some())
            {
                let theirs = label_name_tokens(other);
                arms.push((
                    quote!(#private::str_eq(NAME, #theirs)),
                    fail(
                        format!("label `{source}`"),
                        format!(
                            " is already a const label of the group (`{}`)",
                            other.source()
                        ),
                    ),
                ));
            }
            // Every label, literal or not: the preset is a constant.
            if let Some((preset, level)) = scope_naming {
                arms.push((
                    quote!(#private::rules::hierarchy::NamingPreset::may_add_label(#preset, #level, NAME)),
                    fail(
                        format!("label `{source}`"),
                        " shadows a label the metrics hierarchy adds to this scope".to_owned(),
                    ),
                ));
            }
            if arms.is_empty() && rules_check.is_none() {
                continue;
            }
            let arms = (!arms.is_empty()).then(|| {
                let arms = arms
                    .iter()
                    .map(|(condition, fail)| quote_spanned!(label.span=> if #condition #fail));
                quote!(#(#arms else)* {})
            });
            checks.extend(quote_spanned! {label.span=>
                const _: () = {
                    const NAME: &str = #value;
                    #rules_check
                    #arms
                };
            });
        }
        checks
    }
}

impl Gen<'_> {
    /// For each `#[metric(flatten)]` field, by const evaluation (the nested
    /// group is another derive's): that it can be nested, and that its
    /// metrics, behind this group's prefix, clash with no other metric's
    /// name nor with this group's const labels.
    pub(super) fn const_flatten_checks(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let group = quote!(<#ident as #private::MetricGroup>::GROUP);
        let offsets = self.metric_offsets();
        let checks = self
            .input
            .fields
            .iter()
            .enumerate()
            .filter(|(_, field)| field.is_flattened())
            .map(|(index, field)| {
                let ty = field.ty;
                let inner = quote!(<#ty as #private::MetricGroup>::GROUP);
                let offset = &offsets[index];
                let (inner_name, field_name) = (tokens_text(ty), field.ident.to_string());
                let nestable = format!(
                    "`{inner_name}` cannot be flattened into `{ident}` (field `{field_name}`): a flattened group declares no `scope` and no `const_labels` (its metrics take the outer group's)"
                );
                let name_taken = format!(
                    "a metric of `{inner_name}` flattened into `{ident}` (field `{field_name}`) has the full name of another metric of `{ident}`"
                );
                let label_taken = format!(
                    "a metric of `{inner_name}` flattened into `{ident}` (field `{field_name}`) has a label that `{ident}` sets as a const label"
                );
                quote_spanned! {ty.span()=>
                    const _: () = if !#private::flattenable(#inner) {
                        ::core::panic!("{}", #nestable)
                    };
                    const _: () = if #private::name_taken(#group.metrics, #offset, #inner.metrics.len()) {
                        ::core::panic!("{}", #name_taken)
                    };
                    const _: () = if #private::label_taken(#group.const_labels, #group.metrics, #offset, #inner.metrics.len()) {
                        ::core::panic!("{}", #label_taken)
                    };
                }
            });
        quote!(#(#checks)*)
    }
}

impl Gen<'_> {
    /// `buckets = CONSTANT`: the rules literal buckets meet, by const
    /// evaluation of the descriptor's `BucketSpec` (so a constant of the
    /// wrong type is one error, at the descriptor), with the rules crate's
    /// own `BucketSpec::check`. Messages name the constant and the rule.
    /// The group's default buckets are one specification whichever fields
    /// take it: checked at the first of them only.
    pub(super) fn const_bucket_checks(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let offsets = self.metric_offsets();
        let first_inheriting = (self.input.fields.iter().enumerate())
            .filter(|(index, _)| self.described(*index))
            .find(|(_, field)| {
                field.attrs.buckets.is_inherited() && self.const_buckets(field).is_some()
            })
            .map(|(index, _)| index);
        let checks = self
            .input
            .fields
            .iter()
            .enumerate()
            .filter(|(index, _)| self.described(*index))
            .filter(|(index, field)| !field.attrs.buckets.is_inherited() || Some(*index) == first_inheriting)
            .filter_map(|(index, field)| {
                self.const_buckets(field)?;
                let offset = &offsets[index];
                let source = field.resolved.const_buckets_source.as_deref()?;
                let what = if field.attrs.buckets.is_inherited() {
                    format!("the group's buckets `{source}` (every histogram that sets none)")
                } else {
                    format!("buckets `{source}` of field `{}`", field.ident)
                };
                let messages = message_table(
                    &BucketError::ALL.map(|error| format!("{what}: {}", error.message())),
                );
                let span = field.const_buckets_span();
                Some(quote_spanned! {span=>
                    const _: () = if let ::core::option::Option::Some(buckets) = <#ident as #private::MetricGroup>::GROUP.metrics[#offset].buckets {
                        if let ::core::result::Result::Err(error) = buckets.check() {
                            ::core::panic!("{}", #messages[error.kind()])
                        }
                    };
                })
            });
        quote!(#(#checks)*)
    }
}

impl Gen<'_> {
    /// Labels matched by name where one side is a constant (`bind(model)`
    /// against `labels(labels::MODEL)`, or two fields of one fixed family):
    /// const evaluation checks that the constant holds that name, so a
    /// match never rests on a constant's spelling alone. Reported at the
    /// field's label.
    pub(super) fn const_label_match_checks(&self) -> TokenStream {
        let private = &self.private;
        // (the field's label, the label it is matched with, the message)
        let mut pairs: Vec<(LabelName, LabelName, String)> = Vec::new();
        if let Some(bind) = self.input.attrs.bind.value() {
            for field in (self.input.bound_fields.iter()).map(|&index| &self.input.fields[index]) {
                for (label, bound) in field.labels().iter().zip(&bind.names) {
                    let message = format!(
                        "label `{}` of field `{}` is matched with `{}` of `bind(...)` by name, but the two hold different names",
                        label.source(),
                        field.ident,
                        bound.source()
                    );
                    pairs.push((label.clone(), bound.clone(), message));
                }
            }
        }
        let fields = &self.input.fields;
        for field in fields {
            let Some(leader) = field.resolved.leader else {
                continue;
            };
            let leader = &fields[leader];
            for (label, first) in field
                .resolved
                .family_labels
                .iter()
                .zip(&leader.resolved.family_labels)
            {
                let message = format!(
                    "label `{}` of field `{}` is matched with `{}` of field `{}` (one family) by name, but the two hold different names",
                    label.source(),
                    field.ident,
                    first.source(),
                    leader.ident
                );
                pairs.push((label.clone(), first.clone(), message));
            }
        }
        let checks = pairs
            .into_iter()
            .filter(|(label, other, _)| label.path.is_some() || other.path.is_some())
            .map(|(label, other, message)| {
                let (value, other_value) = (label_name_tokens(&label), label_name_tokens(&other));
                quote_spanned! {label.span=>
                    const _: () = if !#private::str_eq(#value, #other_value) {
                        ::core::panic!("{}", #message)
                    };
                }
            });
        quote!(#(#checks)*)
    }
}

impl Gen<'_> {
    /// Per field with descriptors (its own, or a flattened group's), the
    /// metrics' range in the group's list: start and length.
    fn metric_ranges(&self) -> Vec<Option<(TokenStream, TokenStream)>> {
        let private = &self.private;
        let offsets = self.metric_offsets();
        (self.input.fields.iter().enumerate())
            .map(|(index, field)| {
                let offset = offsets[index].clone();
                if field.is_flattened() {
                    let ty = field.ty;
                    Some((
                        offset,
                        quote!(<#ty as #private::MetricGroup>::GROUP.metrics.len()),
                    ))
                } else if self.described(index) && field.resolved.name_checkable {
                    Some((offset, quote!(1usize)))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Where errors about a field's metrics point: a flattened group's type,
    /// else the field's name.
    fn metrics_span(field: &Field) -> proc_macro2::Span {
        if field.is_flattened() {
            field.ty.span()
        } else {
            field.name_span()
        }
    }

    /// Two families writing one series (`rules::check_series_clash`), for
    /// pairs check.rs cannot see: a name built from constants or a
    /// flattened group's metric. At the later field, naming both metrics.
    pub(super) fn const_series_checks(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let fields = &self.input.fields;
        let ranges = self.metric_ranges();
        let seen_by_check = |index: usize| {
            !fields[index].is_flattened() && fields[index].resolved.literal_full_name.is_some()
        };
        let mut checks = TokenStream::new();
        for (index, field) in fields.iter().enumerate() {
            let Some((start, len)) = &ranges[index] else {
                continue;
            };
            let earlier: Vec<TokenStream> = (0..index)
                .filter(|&e| !(seen_by_check(index) && seen_by_check(e)))
                .filter_map(|e| ranges[e].as_ref())
                .map(|(start, len)| quote!((#start, #len)))
                .collect();
            if earlier.is_empty() {
                continue;
            }
            checks.extend(quote_spanned! {Self::metrics_span(field)=>
                const _: () = {
                    const M: &[#private::MetricDescriptor] = <#ident as #private::MetricGroup>::GROUP.metrics;
                    const CLASH: ::core::option::Option<(usize, usize, usize)> =
                        #private::series_clash(M, #start, #len, &[#(#earlier),*]);
                    if ::core::option::Option::is_some(&CLASH) {
                        const FOUND: (usize, usize, usize) = match CLASH {
                            ::core::option::Option::Some(found) => found,
                            ::core::option::Option::None => (0, 0, 0),
                        };
                        const PARTS: &[&str] = &[
                            "metric `", M[FOUND.0].name, "` (field `", M[FOUND.0].field,
                            "`) and metric `", M[FOUND.1].name, "` (field `", M[FOUND.1].field,
                            "`) would write one series: ",
                            #private::rules::SeriesClash::ALL[FOUND.2].message(),
                        ];
                        const BYTES: [u8; #private::concat_len(PARTS)] = #private::concat_bytes(PARTS);
                        ::core::panic!("{}", #private::utf8(&BYTES))
                    }
                };
            });
        }
        checks
    }

    /// Names judged as exposed (`rules::check_joined_name`): a flattened
    /// group's metrics behind this group's prefix, and a scoped group's
    /// behind its naming preset's prefix. Only what the joined name breaks
    /// and the name alone does not: the rest is reported where it is
    /// declared.
    pub(super) fn const_joined_name_checks(&self) -> TokenStream {
        let private = &self.private;
        let ident = self.input.ident;
        let check = |span: proc_macro2::Span,
                     prefix: TokenStream,
                     metrics: TokenStream,
                     start: TokenStream,
                     len: TokenStream,
                     before: String,
                     after: &str| {
            quote_spanned! {span=>
                const _: () = {
                    const PREFIX: &str = #prefix;
                    const M: &[#private::MetricDescriptor] = #metrics;
                    const PROBLEM: ::core::option::Option<(usize, usize)> =
                        #private::joined_name_problem(PREFIX, M, #start, #len);
                    if ::core::option::Option::is_some(&PROBLEM) {
                        const FOUND: (usize, usize) = match PROBLEM {
                            ::core::option::Option::Some(found) => found,
                            ::core::option::Option::None => (0, 0),
                        };
                        const PARTS: &[&str] = &[
                            "metric `", PREFIX, "_", M[FOUND.0].name, #before, M[FOUND.0].field,
                            #after, #private::rules::JoinedNameError::ALL[FOUND.1].message(),
                        ];
                        const BYTES: [u8; #private::concat_len(PARTS)] = #private::concat_bytes(PARTS);
                        ::core::panic!("{}", #private::utf8(&BYTES))
                    }
                };
            }
        };
        let mut checks = TokenStream::new();
        let prefix = self.prefix_tokens();
        for field in self.input.fields.iter().filter(|f| f.is_flattened()) {
            let ty = field.ty;
            let before = format!(
                "` of `{}` flattened into `{ident}` (field `{}.",
                tokens_text(ty),
                unraw(field.ident)
            );
            checks.extend(check(
                ty.span(),
                prefix.clone(),
                quote!(<#ty as #private::MetricGroup>::GROUP.metrics),
                quote!(0usize),
                quote!(<#ty as #private::MetricGroup>::GROUP.metrics.len()),
                before,
                "`), its name behind the prefix: ",
            ));
        }
        if self.scope_naming().is_some() {
            let ranges = self.metric_ranges();
            for (index, field) in self.input.fields.iter().enumerate() {
                let Some((start, len)) = &ranges[index] else {
                    continue;
                };
                checks.extend(check(
                    Self::metrics_span(field),
                    quote!(__NAMING_PRESET.metric_prefix),
                    quote!(<#ident as #private::MetricGroup>::GROUP.metrics),
                    start.clone(),
                    len.clone(),
                    "` (field `".to_owned(),
                    "`), as the metrics hierarchy exposes it: ",
                ));
            }
        }
        checks
    }
}

impl Gen<'_> {
    /// Fixed label values given as constants, by value (check.rs compares
    /// literals): none empty, and no two fields of one family fixing the
    /// same values. At the value, and at the later field naming both.
    pub(super) fn const_fixed_value_checks(&self) -> TokenStream {
        let private = &self.private;
        let fields = &self.input.fields;
        let mut checks = TokenStream::new();
        for field in fields.iter().filter(|f| f.resolved.share_key.is_some()) {
            for (label, value) in field.attrs.fixed_labels() {
                let NameValue::Path(path) = value else {
                    continue;
                };
                let text = fixed_value_tokens(value);
                let message = format!(
                    "empty label value: `{}` (label `{}` of field `{}`) holds \"\", and Prometheus treats an empty value as a missing label",
                    tokens_text(path),
                    label.source(),
                    field.ident
                );
                checks.extend(quote_spanned! {value.span()=>
                    const _: () = if #text.is_empty() { ::core::panic!("{}", #message) };
                });
            }
        }
        for (index, field) in fields.iter().enumerate() {
            let Some(key) = &field.resolved.share_key else {
                continue;
            };
            if !field.resolved.name_checkable {
                continue;
            }
            let values = field.attrs.fixed_labels();
            let all_literal = |f: &Field| {
                (f.attrs.fixed_labels().iter()).all(|(_, v)| matches!(v, NameValue::Literal(_)))
            };
            for earlier in fields[..index]
                .iter()
                .filter(|e| e.resolved.share_key.as_ref() == Some(key))
                .filter(|e| !(all_literal(e) && all_literal(field)))
            {
                let theirs = earlier.attrs.fixed_labels();
                if theirs.len() != values.len() {
                    continue; // their label names differ (reported)
                }
                let same = values.iter().zip(theirs).map(|((_, ours), (_, theirs))| {
                    let (ours, theirs) = (fixed_value_tokens(ours), fixed_value_tokens(theirs));
                    quote!(#private::str_eq(#ours, #theirs))
                });
                // The values as const evaluation found them: two constants
                // can differ in spelling and hold one string.
                let before = format!(
                    "field `{}` fixes the same label values as field `{}` (compared by value: ",
                    field.ident, earlier.ident,
                );
                let after = format!(
                    "): both would write one series of `{}`",
                    field.resolved.literal_full_name.as_deref().unwrap_or(key)
                );
                let mut parts = vec![quote!(#before)];
                for (i, (label, value)) in values.iter().enumerate() {
                    let separator = if i == 0 { "" } else { ", " };
                    let head = format!("{separator}{}=\"", label.source());
                    let value = fixed_value_tokens(value);
                    parts.extend([quote!(#head), value, quote!("\"")]);
                }
                parts.push(quote!(#after));
                checks.extend(quote_spanned! {field.name_span()=>
                    const _: () = if #(#same)&&* {
                        const PARTS: &[&str] = &[#(#parts),*];
                        const BYTES: [u8; #private::concat_len(PARTS)] = #private::concat_bytes(PARTS);
                        ::core::panic!("{}", #private::utf8(&BYTES))
                    };
                });
            }
        }
        checks
    }
}

impl Gen<'_> {
    /// A scoped group's flattened groups' labels against the labels the
    /// hierarchy adds at its level, as for its own fields
    /// (`label_list_checks`): by const evaluation, at the flattened type.
    pub(super) fn const_flatten_scope_label_checks(&self) -> TokenStream {
        let Some((preset, level)) = self.scope_naming() else {
            return TokenStream::new();
        };
        let private = &self.private;
        let ident = self.input.ident;
        let checks = self.input.fields.iter().filter(|f| f.is_flattened()).map(|field| {
            let ty = field.ty;
            let before = format!("` (field `{}.", unraw(field.ident));
            let after = format!(
                "`) of `{}` flattened into `{ident}`: it shadows a label the metrics hierarchy adds to this scope",
                tokens_text(ty)
            );
            quote_spanned! {ty.span()=>
                const _: () = {
                    const M: &[#private::MetricDescriptor] = <#ty as #private::MetricGroup>::GROUP.metrics;
                    const TAKEN: ::core::option::Option<(&str, &str, &str)> =
                        #private::scope_label_taken(#preset, #level, M);
                    if ::core::option::Option::is_some(&TAKEN) {
                        const FOUND: (&str, &str, &str) = match TAKEN {
                            ::core::option::Option::Some(found) => found,
                            ::core::option::Option::None => ("", "", ""),
                        };
                        const PARTS: &[&str] = &[
                            "label `", FOUND.0, "` of metric `", FOUND.1, #before, FOUND.2, #after,
                        ];
                        const BYTES: [u8; #private::concat_len(PARTS)] = #private::concat_bytes(PARTS);
                        ::core::panic!("{}", #private::utf8(&BYTES))
                    }
                };
            }
        });
        quote!(#(#checks)*)
    }
}

/// A fixed label value as a `&'static str` const expression: a literal, a
/// `&str` constant (a path whose last segment has no lower-case letter), or
/// a `LabelValue` variant through its `const fn as_str` (what
/// `#[derive(LabelValue)]` generates).
fn fixed_value_tokens(value: &NameValue) -> TokenStream {
    match value {
        NameValue::Literal(lit) => quote!(#lit),
        NameValue::Path(path) => {
            let constant = path
                .segments
                .last()
                .is_some_and(|segment| !segment.ident.to_string().chars().any(char::is_lowercase));
            if constant {
                quote_spanned!(value.span()=> #path)
            } else {
                quote_spanned!(value.span()=> #path.as_str())
            }
        }
    }
}

/// A const check failing with `before`, the value of the constant `value`
/// (an item of the enclosing block) in quotes, then `after` (a `&str`
/// expression, such as a message picked by const evaluation): a constant's
/// value is what makes an empty string or a trailing space visible, and a
/// `panic!` in a constant formats one `&str` only, so the message is put
/// together first.
pub(super) fn panic_showing(
    span: Span,
    private: &TokenStream,
    before: &str,
    value: &TokenStream,
    after: &TokenStream,
) -> TokenStream {
    panic_joined(
        span,
        private,
        &[
            quote!(#before),
            quote!(" (\""),
            value.clone(),
            quote!("\")"),
            after.clone(),
        ],
    )
}

/// A const check failing with the concatenation of `parts` (`&str`
/// expressions of constants), as `panic_showing`.
fn panic_joined(span: Span, private: &TokenStream, parts: &[TokenStream]) -> TokenStream {
    quote_spanned! {span=> {
        const PARTS: &[&str] = &[#(#parts),*];
        const BYTES: [u8; #private::concat_len(PARTS)] = #private::concat_bytes(PARTS);
        ::core::panic!("{}", #private::utf8(&BYTES))
    }}
}

/// `[m0, m1, ..]`: one message per error of a rules crate error type, in
/// the order its `index` (or `kind`) numbers them, so const evaluation
/// panics with the message the derive would have reported.
fn message_table(messages: &[String]) -> TokenStream {
    quote!([#(#messages),*])
}

/// Where a field's own labels are used.
fn label_place(kind: MetricKind) -> LabelPlace {
    match kind {
        MetricKind::Histogram => LabelPlace::Histogram,
        _ => LabelPlace::Metric,
    }
}

fn label_place_tokens(rules: &TokenStream, place: LabelPlace) -> TokenStream {
    match place {
        LabelPlace::Histogram => quote!(#rules::LabelPlace::Histogram),
        LabelPlace::LabelSet => quote!(#rules::LabelPlace::LabelSet),
        _ => quote!(#rules::LabelPlace::Metric),
    }
}
