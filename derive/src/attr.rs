//! The one attribute-list parser of every derive: `#[metric_group(...)]`,
//! `#[metric(...)]`, `#[label_set(...)]`, `#[label(...)]` and
//! `#[label_value(...)]`. Each key
//! is a `Symbol` declared once below; every value keeps its span so later
//! errors point at the token that caused them.

use metric_group_rules::{bounds_errors, BucketError, BucketSpec, Lint};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token};

use crate::case::RenameRule;
use crate::const_fold::Number;
use crate::ctxt::Ctxt;
use crate::suggest::did_you_mean;

/// An attribute or key name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Symbol(pub &'static str);

pub(crate) const METRIC_GROUP: Symbol = Symbol("metric_group");
pub(crate) const METRIC: Symbol = Symbol("metric");
pub(crate) const LABEL_SET: Symbol = Symbol("label_set");
pub(crate) const LABEL: Symbol = Symbol("label");
pub(crate) const LABEL_VALUE: Symbol = Symbol("label_value");

pub(crate) const PREFIX: Symbol = Symbol("prefix");
pub(crate) const CONST_LABELS: Symbol = Symbol("const_labels");
pub(crate) const SCOPE: Symbol = Symbol("scope");
pub(crate) const NAMING: Symbol = Symbol("naming");
pub(crate) const CRATE: Symbol = Symbol("crate");
pub(crate) const NAME: Symbol = Symbol("name");
pub(crate) const HELP: Symbol = Symbol("help");
pub(crate) const LABELS: Symbol = Symbol("labels");
pub(crate) const BUCKETS: Symbol = Symbol("buckets");
pub(crate) const UNIT: Symbol = Symbol("unit");
pub(crate) const ALLOW: Symbol = Symbol("allow");
pub(crate) const RENAME_ALL: Symbol = Symbol("rename_all");
pub(crate) const RENAME: Symbol = Symbol("rename");
pub(crate) const SKIP: Symbol = Symbol("skip");
pub(crate) const FLATTEN: Symbol = Symbol("flatten");
pub(crate) const FIXED: Symbol = Symbol("fixed");
pub(crate) const BIND: Symbol = Symbol("bind");
pub(crate) const MAX_SERIES: Symbol = Symbol("max_series");
pub(crate) const MAX_LABEL_LEN: Symbol = Symbol("max_label_len");
pub(crate) const EXPIRE_AFTER: Symbol = Symbol("expire_after");

/// The keys each attribute accepts.
pub(crate) const GROUP_KEYS: &[Symbol] = &[
    PREFIX,
    CONST_LABELS,
    SCOPE,
    NAMING,
    CRATE,
    BUCKETS,
    UNIT,
    ALLOW,
    BIND,
    MAX_SERIES,
    MAX_LABEL_LEN,
    EXPIRE_AFTER,
];
pub(crate) const FIELD_KEYS: &[Symbol] = &[
    NAME,
    HELP,
    LABELS,
    BUCKETS,
    UNIT,
    ALLOW,
    SKIP,
    FLATTEN,
    FIXED,
    MAX_SERIES,
    EXPIRE_AFTER,
];
const LABEL_SET_KEYS: &[Symbol] = &[CRATE];
const LABEL_FIELD_KEYS: &[Symbol] = &[NAME];
const LABEL_VALUE_KEYS: &[Symbol] = &[CRATE, RENAME_ALL];
const VARIANT_KEYS: &[Symbol] = &[RENAME];

const BUCKET_SPECS: &[&str] = &["exponential", "linear", "log"];

/// A name given as a string literal or as a path to a `&'static str` const.
pub(crate) enum NameValue {
    Literal(LitStr),
    Path(syn::Path),
}

impl NameValue {
    pub fn span(&self) -> Span {
        match self {
            NameValue::Literal(lit) => lit.span(),
            // The last segment names the constant.
            NameValue::Path(path) => last_segment_span(path),
        }
    }
}

impl ToTokens for NameValue {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            NameValue::Literal(lit) => lit.to_tokens(tokens),
            NameValue::Path(path) => path.to_tokens(tokens),
        }
    }
}

impl Parse for NameValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            input.parse().map(NameValue::Literal)
        } else if input.peek(Ident::peek_any) || input.peek(Token![::]) {
            input.parse().map(NameValue::Path)
        } else {
            Err(input.error("expected a string literal or a path to a `&'static str` constant"))
        }
    }
}

/// A count (`max_series`, `max_label_len`): an integer literal, checked
/// here, or a path to a `usize` constant, checked by const evaluation.
#[derive(Clone)]
pub(crate) enum CountValue {
    Literal(syn::LitInt, usize),
    Path(syn::Path),
}

impl CountValue {
    pub fn span(&self) -> Span {
        match self {
            CountValue::Literal(lit, _) => lit.span(),
            CountValue::Path(path) => last_segment_span(path),
        }
    }
}

impl Parse for CountValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(syn::LitInt) {
            let lit: syn::LitInt = input.parse()?;
            let n: usize = lit.base10_parse()?;
            if n == 0 {
                return Err(syn::Error::new(
                    lit.span(),
                    "a limit of 0 admits nothing: give at least 1",
                ));
            }
            Ok(CountValue::Literal(lit, n))
        } else if input.peek(Ident::peek_any) || input.peek(Token![::]) {
            input.parse().map(CountValue::Path)
        } else {
            Err(input.error("expected an integer literal or a path to a `usize` constant"))
        }
    }
}

/// A duration (`expire_after`): a literal such as `"90s"`, checked here, or
/// a path to a `std::time::Duration` constant.
#[derive(Clone)]
pub(crate) enum DurationValue {
    /// The literal and its length in milliseconds.
    Literal(LitStr, u64),
    Path(syn::Path),
}

impl DurationValue {
    pub fn span(&self) -> Span {
        match self {
            DurationValue::Literal(lit, _) => lit.span(),
            DurationValue::Path(path) => last_segment_span(path),
        }
    }
}

impl Parse for DurationValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            let millis = parse_duration(&lit.value())
                .map_err(|reason| syn::Error::new(lit.span(), reason))?;
            Ok(DurationValue::Literal(lit, millis))
        } else if input.peek(Ident::peek_any) || input.peek(Token![::]) {
            input.parse().map(DurationValue::Path)
        } else {
            Err(input.error(
                "expected a duration literal such as \"90s\" or a path to a `std::time::Duration` constant",
            ))
        }
    }
}

/// `"500ms"`, `"90s"`, `"5m"`, `"1h"` in milliseconds; at least 1 ms.
fn parse_duration(text: &str) -> Result<u64, String> {
    let expected = || {
        format!("invalid duration `{text}`: expected a whole number and a unit (`ms`, `s`, `m` or `h`), such as \"90s\"")
    };
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(expected)?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| expected())?;
    let scale = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(expected()),
    };
    match number.checked_mul(scale) {
        Some(0) => Err(format!(
            "`{text}` would expire every series at once: give at least 1ms"
        )),
        Some(millis) => Ok(millis),
        None => Err(format!("`{text}` is too long a duration")),
    }
}

/// The span of a path's last segment: on stable a span cannot cover the
/// whole path.
fn last_segment_span(path: &syn::Path) -> Span {
    path.segments
        .last()
        .map_or_else(|| syn::spanned::Spanned::span(path), |s| s.ident.span())
}

/// A label name, written as an identifier, a string literal or a path to a
/// `&'static str` constant.
#[derive(Clone)]
pub(crate) struct LabelName {
    /// The name itself; for a constant, the snake-case form of its last
    /// segment, which names parameters and documentation only (the
    /// constant's value is checked by const evaluation).
    pub name: String,
    pub span: Span,
    /// The constant, when the name is one.
    pub path: Option<syn::Path>,
}

impl LabelName {
    /// The name when it is written out, not taken from a constant.
    pub fn literal(&self) -> Option<&str> {
        self.path.is_none().then_some(self.name.as_str())
    }

    /// How the name was written, for messages and documentation.
    pub fn source(&self) -> String {
        match &self.path {
            Some(path) => path.to_token_stream().to_string().replace(' ', ""),
            None => self.name.clone(),
        }
    }
}

/// `labels(...)` / `const_labels(...)`.
pub(crate) struct LabelList {
    pub names: Vec<LabelName>,
    /// The parenthesised list.
    pub span: Span,
}

#[derive(Clone)]
pub(crate) struct Buckets {
    /// `exponential(..)`, `linear(..)` or `log(..)`, folded by the derive
    /// (its kind only when an argument names a constant); `None` for bounds
    /// listed `[b0, b1, ..]` (in `folded`) or a constant.
    pub spec: Option<BucketSpec>,
    /// `buckets = PATH` or `buckets = &PATH`: a `&[f64]`, `[f64; N]` or
    /// `BucketSpec` constant, judged by const evaluation.
    pub constant: Option<TokenStream>,
    /// The whole specification.
    pub span: Span,
    /// Each argument (or each bound of an explicit list), as written.
    pub args: Vec<TokenStream>,
    /// Per argument, its folded value; `None` for a const expression naming
    /// a constant (`(4 * BLOCK_SIZE) as f64`), which the derive cannot fold:
    /// the specification is then judged by const evaluation.
    pub folded: Vec<Option<f64>>,
}

impl Buckets {
    /// Whether an argument names a constant.
    pub fn names_constants(&self) -> bool {
        self.folded.iter().any(Option::is_none)
    }

    /// The bounds, by the rules crate's checks: every problem of listed
    /// bounds, else the specification's first. Not for a constant or
    /// arguments naming constants (const evaluation judges those).
    pub fn bounds(&self) -> Result<Vec<f64>, Vec<BucketError>> {
        match self.spec {
            Some(spec) => spec.bounds().map_err(|error| vec![error]),
            None => {
                let listed: Vec<f64> = self.folded.iter().map(|v| v.unwrap_or(0.0)).collect();
                match bounds_errors(&listed) {
                    errors if errors.is_empty() => Ok(listed),
                    errors => Err(errors),
                }
            }
        }
    }
}

/// One key of an attribute: its value, where it was written, and whether
/// it was written at all, taken from the group, or refused. Checks that
/// depend on a refused key stay quiet (its error is reported) rather than
/// judge a default in its place.
pub(crate) struct Attr<T> {
    pub symbol: Symbol,
    state: AttrState<T>,
}

enum AttrState<T> {
    Absent,
    /// Written, with the span of its key.
    Given(T, Span),
    /// Not written on the field: the group's value.
    Inherited(T),
    /// Written but refused (reported at the value), with its key's span.
    Malformed(Span),
}

impl<T> Attr<T> {
    pub fn absent(symbol: Symbol) -> Self {
        Attr {
            symbol,
            state: AttrState::Absent,
        }
    }

    /// The value, written or inherited.
    pub fn value(&self) -> Option<&T> {
        match &self.state {
            AttrState::Given(value, _) | AttrState::Inherited(value) => Some(value),
            AttrState::Absent | AttrState::Malformed(_) => None,
        }
    }

    /// The value when written here, not taken from the group.
    pub fn own(&self) -> Option<&T> {
        match &self.state {
            AttrState::Given(value, _) => Some(value),
            _ => None,
        }
    }

    pub fn is_inherited(&self) -> bool {
        matches!(self.state, AttrState::Inherited(_))
    }

    pub fn is_malformed(&self) -> bool {
        matches!(self.state, AttrState::Malformed(_))
    }

    /// Whether the key was written, whether or not its value parsed.
    pub fn is_written(&self) -> bool {
        matches!(self.state, AttrState::Given(..) | AttrState::Malformed(_))
    }

    /// The group's value, for a key this field neither wrote nor got wrong.
    pub fn inherit(&mut self, group: &Attr<T>)
    where
        T: Clone,
    {
        if let (AttrState::Absent, Some(value)) = (&self.state, group.value()) {
            self.state = AttrState::Inherited(value.clone());
        }
    }

    /// Parses the key's value into the attribute, recording a refusal.
    fn parse(
        &mut self,
        meta: &ParseNestedMeta,
        parse: impl FnOnce(&ParseNestedMeta) -> syn::Result<T>,
    ) -> syn::Result<()> {
        self.parse_optional(meta, |meta| parse(meta).map(Some))
    }

    /// As `parse`, for a key whose value may leave the attribute unset
    /// (`prefix = env("VAR")` has no default prefix).
    fn parse_optional(
        &mut self,
        meta: &ParseNestedMeta,
        parse: impl FnOnce(&ParseNestedMeta) -> syn::Result<Option<T>>,
    ) -> syn::Result<()> {
        let key = syn::spanned::Spanned::span(&meta.path);
        match parse(meta) {
            Ok(value) => {
                if let Some(value) = value {
                    self.state = AttrState::Given(value, key);
                }
                Ok(())
            }
            Err(error) => {
                self.state = AttrState::Malformed(key);
                Err(error)
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Registry,
    /// Created through a metrics hierarchy, at any level or at the one so
    /// named. A level is a name of the group's naming preset, which the
    /// derive cannot see: the name is checked by const evaluation.
    Hierarchy(Option<String>),
}

pub(crate) struct GroupAttrs {
    /// The prefix, or the default of an `env(...)` prefix.
    pub prefix: Attr<NameValue>,
    /// `prefix = env("VAR", ...)`: the variable that overrides the prefix
    /// at start-up.
    pub prefix_env: Option<LitStr>,
    pub const_labels: Vec<LabelName>,
    /// The scope and the span of its name.
    pub scope: Attr<(Scope, Span)>,
    /// `naming = PATH`: the naming preset (a `NamingPreset` constant) a
    /// scoped group's labels are checked against; the runtime's default
    /// preset otherwise.
    pub naming: Attr<syn::Path>,
    pub krate: Attr<syn::Path>,
    /// Defaults for the histograms of the group that set no buckets / unit.
    pub buckets: Attr<Buckets>,
    pub unit: Attr<LitStr>,
    /// Lints allowed for every metric of the group.
    pub allow: Vec<(Lint, Span)>,
    /// `bind(a, b)`: a handles struct of the children of every `*Vec`
    /// field labelled exactly `(a, b)`.
    pub bind: Attr<LabelList>,
    /// Defaults for the labelled fields of the group that set none.
    pub max_series: Attr<CountValue>,
    pub expire_after: Attr<DurationValue>,
    /// The longest label value the group's families store.
    pub max_label_len: Attr<CountValue>,
}

impl Default for GroupAttrs {
    fn default() -> Self {
        GroupAttrs {
            prefix: Attr::absent(PREFIX),
            prefix_env: None,
            const_labels: Vec::new(),
            scope: Attr::absent(SCOPE),
            naming: Attr::absent(NAMING),
            krate: Attr::absent(CRATE),
            buckets: Attr::absent(BUCKETS),
            unit: Attr::absent(UNIT),
            allow: Vec::new(),
            bind: Attr::absent(BIND),
            max_series: Attr::absent(MAX_SERIES),
            expire_after: Attr::absent(EXPIRE_AFTER),
            max_label_len: Attr::absent(MAX_LABEL_LEN),
        }
    }
}

pub(crate) struct FieldAttrs {
    pub name: Attr<NameValue>,
    pub help: Attr<LitStr>,
    pub labels: Attr<LabelList>,
    pub buckets: Attr<Buckets>,
    pub unit: Attr<LitStr>,
    pub allow: Vec<(Lint, Span)>,
    /// `fixed(label = "value", ...)`: labels whose value this field fixes;
    /// fields with the same name and fixed labels share one family. Names
    /// and values may be constants (a value: a `&str` constant or a
    /// `LabelValue`, such as an enum variant).
    pub fixed: Attr<Vec<(LabelName, NameValue)>>,
    /// `skip`: not a metric; built with `Default`.
    pub skip: Attr<()>,
    /// `flatten`: a nested `MetricGroup` whose metrics join this group's.
    pub flatten: Attr<()>,
    /// A labelled family's budget of series and idle expiry.
    pub max_series: Attr<CountValue>,
    pub expire_after: Attr<DurationValue>,
    /// Every key written, in order, for the check that `skip` / `flatten`
    /// stand alone.
    pub written: Vec<(Symbol, Span)>,
}

impl Default for FieldAttrs {
    fn default() -> Self {
        FieldAttrs {
            name: Attr::absent(NAME),
            help: Attr::absent(HELP),
            labels: Attr::absent(LABELS),
            buckets: Attr::absent(BUCKETS),
            unit: Attr::absent(UNIT),
            allow: Vec::new(),
            fixed: Attr::absent(FIXED),
            skip: Attr::absent(SKIP),
            flatten: Attr::absent(FLATTEN),
            max_series: Attr::absent(MAX_SERIES),
            expire_after: Attr::absent(EXPIRE_AFTER),
            written: Vec::new(),
        }
    }
}

impl FieldAttrs {
    /// The labels this field fixes (none without `fixed(...)`).
    pub fn fixed_labels(&self) -> &[(LabelName, NameValue)] {
        self.fixed.value().map_or(&[], Vec::as_slice)
    }

    /// Where the `fixed(...)` key was written, if it was.
    pub fn fixed_span(&self) -> Option<Span> {
        match &self.fixed.state {
            AttrState::Given(_, span) | AttrState::Malformed(span) => Some(*span),
            _ => None,
        }
    }
}

/// `#[label_set(...)]` on a struct, `#[label_value(...)]` on an enum or on
/// one of its variants.
#[derive(Default)]
pub(crate) struct LabelAttrs {
    pub krate: Option<syn::Path>,
    pub rename_all: Option<RenameRule>,
    pub rename: Option<LitStr>,
}

/// Walks every `#[<attr>(key = value, key(...), ...)]` in `attrs`, handing
/// each accepted key to `value`. Unknown keys (with a did-you-mean), repeats
/// and values `value` refuses are reported at their token and skipped, so the
/// keys after them are still read.
fn parse_attr_lists(
    cx: &Ctxt,
    attrs: &[Attribute],
    attr: Symbol,
    keys: &[Symbol],
    mut value: impl FnMut(Symbol, &ParseNestedMeta) -> syn::Result<()>,
) {
    let mut seen: Vec<Symbol> = Vec::new();
    for attribute in attrs.iter().filter(|a| a.path().is_ident(attr.0)) {
        let result = attribute.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            let Some(symbol) = keys.iter().copied().find(|k| k.0 == key) else {
                let names: Vec<&str> = keys.iter().map(|k| k.0).collect();
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown {} attribute `{key}`{}",
                        attr.0,
                        did_you_mean(&key, &names)
                    ),
                );
                return skip_value(&meta);
            };
            if seen.contains(&symbol) {
                cx.error_spanned_by(
                    &meta.path,
                    format!("duplicate {} attribute `{key}`", attr.0),
                );
                return skip_value(&meta);
            }
            seen.push(symbol);
            if let Err(error) = value(symbol, &meta) {
                cx.push(error);
                return skip_value(&meta);
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
}

/// An attribute of the other position (`#[metric]` on the struct, ...).
fn reject_misplaced(cx: &Ctxt, attrs: &[Attribute], misplaced: Symbol, message: &str) {
    for attribute in attrs.iter().filter(|a| a.path().is_ident(misplaced.0)) {
        cx.error_spanned_by(attribute.path(), message);
    }
}

pub(crate) fn parse_group_attrs(cx: &Ctxt, attrs: &[Attribute]) -> GroupAttrs {
    reject_misplaced(
        cx,
        attrs,
        METRIC,
        "`#[metric(...)]` belongs on fields; use `#[metric_group(...)]` on the struct",
    );
    let mut out = GroupAttrs::default();
    parse_attr_lists(cx, attrs, METRIC_GROUP, GROUP_KEYS, |key, meta| match key {
        PREFIX => out.prefix.parse_optional(meta, |meta| {
            let value = meta.value()?;
            if value.peek(Ident)
                && value.peek2(syn::token::Paren)
                && value.fork().parse::<Ident>()? == "env"
            {
                let (var, default) = parse_env_prefix(value)?;
                out.prefix_env = Some(var);
                Ok(default)
            } else {
                value.parse().map(Some)
            }
        }),
        CONST_LABELS => {
            out.const_labels = parse_label_list(meta)?.names;
            Ok(())
        }
        SCOPE => out.scope.parse(meta, |meta| {
            let ident = Ident::parse_any(meta.value()?)?;
            Ok((scope_from_ident(&ident), ident.span()))
        }),
        NAMING => out.naming.parse(meta, |meta| meta.value()?.parse()),
        CRATE => out.krate.parse(meta, parse_crate_path),
        BUCKETS => out.buckets.parse(meta, |meta| parse_buckets(meta.value()?)),
        UNIT => out.unit.parse(meta, |meta| meta.value()?.parse()),
        ALLOW => parse_allow(cx, meta, &mut out.allow),
        BIND => out.bind.parse(meta, parse_label_list),
        MAX_SERIES => out.max_series.parse(meta, |meta| meta.value()?.parse()),
        MAX_LABEL_LEN => out.max_label_len.parse(meta, |meta| meta.value()?.parse()),
        EXPIRE_AFTER => out.expire_after.parse(meta, |meta| meta.value()?.parse()),
        _ => unreachable!("a key of GROUP_KEYS"),
    });
    out
}

pub(crate) fn parse_field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    reject_misplaced(
        cx,
        attrs,
        METRIC_GROUP,
        "`#[metric_group(...)]` belongs on the struct; use `#[metric(...)]` on fields",
    );
    let mut out = FieldAttrs::default();
    parse_attr_lists(cx, attrs, METRIC, FIELD_KEYS, |key, meta| {
        out.written
            .push((key, syn::spanned::Spanned::span(&meta.path)));
        match key {
            FIXED => out.fixed.parse(meta, |meta| {
                let content;
                syn::parenthesized!(content in meta.input);
                parse_list(&content, parse_fixed_label)
            }),
            SKIP => out.skip.parse(meta, |meta| {
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    return Err(meta.error("`skip` takes no value: write `#[metric(skip)]`"));
                }
                Ok(())
            }),
            FLATTEN => out.flatten.parse(meta, |meta| {
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    return Err(meta.error("`flatten` takes no value: write `#[metric(flatten)]`"));
                }
                Ok(())
            }),
            NAME => out.name.parse(meta, |meta| meta.value()?.parse()),
            HELP => out.help.parse(meta, |meta| meta.value()?.parse()),
            LABELS => out.labels.parse(meta, parse_label_list),
            BUCKETS => out.buckets.parse(meta, |meta| parse_buckets(meta.value()?)),
            UNIT => out.unit.parse(meta, |meta| meta.value()?.parse()),
            ALLOW => parse_allow(cx, meta, &mut out.allow),
            MAX_SERIES => out.max_series.parse(meta, |meta| meta.value()?.parse()),
            EXPIRE_AFTER => out.expire_after.parse(meta, |meta| meta.value()?.parse()),
            _ => unreachable!("a key of FIELD_KEYS"),
        }
    });
    out
}

/// `env("VAR")` or `env("VAR", default = <prefix>)`, after `prefix =`.
fn parse_env_prefix(input: ParseStream) -> syn::Result<(LitStr, Option<NameValue>)> {
    const EXPECTED: &str =
        "expected `env(\"VARIABLE\")` or `env(\"VARIABLE\", default = \"prefix\")`";
    let _env: Ident = input.parse()?;
    let content;
    syn::parenthesized!(content in input);
    let parsed = parse_env_args(&content, EXPECTED);
    if parsed.is_err() {
        // The rest of the parentheses belongs to the reported mistake.
        let _rest: TokenStream = content.parse()?;
    }
    parsed
}

fn parse_env_args(
    content: ParseStream,
    expected: &str,
) -> syn::Result<(LitStr, Option<NameValue>)> {
    let var: LitStr = content
        .parse()
        .map_err(|error| syn::Error::new(error.span(), expected))?;
    let name = var.value();
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(syn::Error::new(
            var.span(),
            "an environment variable name is not empty and has no `=` or NUL",
        ));
    }
    if content.is_empty() {
        return Ok((var, None));
    }
    content.parse::<Token![,]>()?;
    if content.is_empty() {
        return Ok((var, None));
    }
    let key: Ident = content.parse()?;
    if key != "default" {
        return Err(syn::Error::new(
            key.span(),
            format!("unknown `env` argument `{key}`: {expected}"),
        ));
    }
    content.parse::<Token![=]>()?;
    let default: NameValue = content.parse()?;
    if !content.is_empty() {
        return Err(content.error(expected));
    }
    Ok((var, Some(default)))
}

/// `allow(lint, ...)`: unknown lints reported one by one.
fn parse_allow(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    allow: &mut Vec<(Lint, Span)>,
) -> syn::Result<()> {
    meta.parse_nested_meta(|lint| {
        let name = key_of(&lint);
        match Lint::from_key(&name) {
            Some(found) => allow.push((found, syn::spanned::Spanned::span(&lint.path))),
            None => {
                let keys: Vec<&str> = Lint::ALL.iter().map(|l| l.key()).collect();
                cx.error_spanned_by(
                    &lint.path,
                    format!("unknown lint `{name}`{}", did_you_mean(&name, &keys)),
                );
            }
        }
        Ok(())
    })
}

/// `#[label_set(...)]` on a `LabelSet` struct.
pub(crate) fn parse_label_set_attrs(cx: &Ctxt, attrs: &[Attribute]) -> LabelAttrs {
    parse_label_attrs(cx, attrs, LABEL_SET, LABEL_SET_KEYS)
}

/// `#[label(...)]` on a field of a `LabelSet` struct: `name = "literal"` or
/// `name = PATH` (a `&'static str` constant, judged by const evaluation).
pub(crate) fn parse_label_field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Option<NameValue> {
    let mut name = None;
    parse_attr_lists(cx, attrs, LABEL, LABEL_FIELD_KEYS, |key, meta| {
        match key {
            NAME => name = Some(meta.value()?.parse()?),
            _ => unreachable!("a key of LABEL_FIELD_KEYS"),
        }
        Ok(())
    });
    name
}

/// `#[label_value(...)]` on a `LabelValue` enum.
pub(crate) fn parse_label_value_attrs(cx: &Ctxt, attrs: &[Attribute]) -> LabelAttrs {
    parse_label_attrs(cx, attrs, LABEL_VALUE, LABEL_VALUE_KEYS)
}

/// `#[label_value(...)]` on one variant of a `LabelValue` enum.
pub(crate) fn parse_variant_attrs(cx: &Ctxt, attrs: &[Attribute]) -> LabelAttrs {
    parse_label_attrs(cx, attrs, LABEL_VALUE, VARIANT_KEYS)
}

fn parse_label_attrs(cx: &Ctxt, attrs: &[Attribute], attr: Symbol, keys: &[Symbol]) -> LabelAttrs {
    let mut out = LabelAttrs::default();
    parse_attr_lists(cx, attrs, attr, keys, |key, meta| {
        match key {
            CRATE => out.krate = Some(parse_crate_path(meta)?),
            RENAME_ALL => {
                let lit: LitStr = meta.value()?.parse()?;
                let rule = RenameRule::from_name(&lit.value()).ok_or_else(|| {
                    syn::Error::new_spanned(
                        &lit,
                        format!(
                            "unknown rename rule `{}`{}",
                            lit.value(),
                            did_you_mean(&lit.value(), &RenameRule::NAMES)
                        ),
                    )
                })?;
                out.rename_all = Some(rule);
            }
            RENAME => out.rename = Some(meta.value()?.parse()?),
            _ => unreachable!("a key of {keys:?}"),
        }
        Ok(())
    });
    out
}

/// `crate = path` or `crate = "path"`.
fn parse_crate_path(meta: &ParseNestedMeta) -> syn::Result<syn::Path> {
    let value = meta.value()?;
    if value.peek(LitStr) {
        value.parse::<LitStr>()?.parse()
    } else {
        syn::Path::parse_mod_style(value)
    }
}

fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path.get_ident().map_or_else(
        || {
            let segments: Vec<String> = meta
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            segments.join("::")
        },
        |ident| ident.unraw().to_string(),
    )
}

/// Skips what is left of a key's value (`= value` or `(...)`), up to the next
/// `,`, so the keys after it are still parsed and checked.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    meta.input.step(|cursor| Ok(((), skip_to_comma(*cursor))))
}

fn skip_to_comma(mut rest: syn::buffer::Cursor) -> syn::buffer::Cursor {
    while let Some((tt, next)) = rest.token_tree() {
        if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
            break;
        }
        rest = next;
    }
    rest
}

/// Parses `item, item, ...` to the end of `input`, reporting every bad item
/// (each skipped up to its `,`) as one combined error.
fn parse_list<T>(
    input: ParseStream,
    item: impl Fn(ParseStream) -> syn::Result<T>,
) -> syn::Result<Vec<T>> {
    let mut items = Vec::new();
    let mut errors: Option<syn::Error> = None;
    while !input.is_empty() {
        let parsed = item(input).and_then(|value| {
            if input.is_empty() || input.peek(Token![,]) {
                Ok(value)
            } else {
                Err(input.error("expected `,`"))
            }
        });
        match parsed {
            Ok(value) => items.push(value),
            Err(error) => {
                match &mut errors {
                    Some(errors) => errors.combine(error),
                    None => errors = Some(error),
                }
                input.step(|cursor| Ok(((), skip_to_comma(*cursor))))?;
            }
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(items),
    }
}

fn parse_label_list(meta: &ParseNestedMeta) -> syn::Result<LabelList> {
    let content;
    let paren = syn::parenthesized!(content in meta.input);
    let names = parse_list(&content, parse_label_name)?;
    Ok(LabelList {
        names,
        span: paren.span.join(),
    })
}

fn parse_label_name(input: ParseStream) -> syn::Result<LabelName> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Ok(LabelName {
            name: lit.value(),
            span: lit.span(),
            path: None,
        });
    }
    if input.peek(Ident::peek_any) && input.peek2(Token![::]) || input.peek(Token![::]) {
        let path = syn::Path::parse_mod_style(input)?;
        let last = path.segments.last().expect("a parsed path has a segment");
        return Ok(LabelName {
            name: last.ident.unraw().to_string().to_lowercase(),
            span: last.ident.span(),
            path: Some(path),
        });
    }
    if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        let name = ident.unraw().to_string();
        // `MODEL` reads as a constant, but a bare identifier is the label's
        // own name: say which to write rather than guess.
        if name.chars().any(|c| c.is_ascii_uppercase())
            && !name.chars().any(|c| c.is_ascii_lowercase())
        {
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "`{name}` reads as a constant, but a bare identifier here is the label's name: write `self::{name}` (or the constant's path) for the constant's value, or `\"{name}\"` for a label named `{name}`"
                ),
            ));
        }
        return Ok(LabelName {
            name,
            span: ident.span(),
            path: None,
        });
    }
    Err(input.error(
        "expected a label name: an identifier, a string literal or a path to a `&'static str` constant (`labels::WORKER_ID`)",
    ))
}

/// `label = "value"` in `fixed(...)`: the label as in `labels(...)`, the
/// value a string literal or a path (a `&str` constant, a `LabelValue`).
fn parse_fixed_label(input: ParseStream) -> syn::Result<(LabelName, NameValue)> {
    const EXPECTED: &str = "expected `label = \"value\"` in `fixed(...)`: the label an identifier, a string literal or a path to a `&'static str` constant, the value a string literal or a path to a constant (a `&'static str` or a `LabelValue`)";
    let label = parse_label_name(input).map_err(|error| syn::Error::new(error.span(), EXPECTED))?;
    input
        .parse::<Token![=]>()
        .map_err(|error| syn::Error::new(error.span(), EXPECTED))?;
    let value = input
        .parse::<NameValue>()
        .map_err(|error| syn::Error::new(error.span(), EXPECTED))?;
    Ok((label, value))
}

/// `registry`, `hierarchy` (any level), or a level's name (`runtime` the
/// root, the others the naming preset's).
fn scope_from_ident(ident: &Ident) -> Scope {
    match ident.unraw().to_string().as_str() {
        "registry" => Scope::Registry,
        "hierarchy" => Scope::Hierarchy(None),
        level => Scope::Hierarchy(Some(level.to_owned())),
    }
}

const BUCKET_SPEC_FORMS: &str = "`exponential(start, factor, count)`, `linear(start, width, count)`, `log(min, max, count)` or `[b0, b1, ...]`";

/// `exponential(start, factor, count)`, `linear(start, width, count)`,
/// `log(min, max, count)` or `[b0, b1, ...]`. Argument ranges are checked
/// later, in check.rs; here only the syntax.
fn parse_buckets(input: ParseStream) -> syn::Result<Buckets> {
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = syn::bracketed!(content in input);
        let numbers = parse_list(&content, Number::parse)?;
        return Ok(Buckets {
            spec: None,
            span: bracket.span.join(),
            folded: numbers.iter().map(|n| n.value).collect(),
            args: numbers.into_iter().map(|n| n.tokens).collect(),
            constant: None,
        });
    }
    let borrow: Option<Token![&]> = input.parse()?;
    if !(input.peek(Ident::peek_any) || input.peek(Token![::])) {
        return Err(input.error(format!(
            "expected a bucket spec: {BUCKET_SPEC_FORMS}, or a path to a `&[f64]` constant"
        )));
    }
    let path = syn::Path::parse_mod_style(input)?;
    let function = match path.get_ident() {
        Some(ident) if borrow.is_none() && input.peek(syn::token::Paren) => ident.clone(),
        _ if !input.peek(syn::token::Paren) => {
            return Ok(Buckets {
                spec: None,
                span: syn::spanned::Spanned::span(&path),
                args: Vec::new(),
                folded: Vec::new(),
                constant: Some(quote::quote!(#borrow #path)),
            });
        }
        _ => {
            let message = format!(
                "expected a bucket spec: {BUCKET_SPEC_FORMS}, or a path to a `&[f64]` constant"
            );
            return Err(syn::Error::new_spanned(&path, message));
        }
    };
    let kind = function.to_string();
    if !BUCKET_SPECS.contains(&kind.as_str()) {
        // Skip the arguments: the spec's name is the one error.
        let content;
        syn::parenthesized!(content in input);
        content.parse::<TokenStream>()?;
        return Err(syn::Error::new_spanned(
            &function,
            format!(
                "unknown bucket spec `{kind}`{}",
                did_you_mean(&kind, BUCKET_SPECS)
            ),
        ));
    }
    let content;
    let paren = syn::parenthesized!(content in input);
    let args = parse_list(&content, Number::parse)?;
    if args.len() != 3 {
        let expected = match kind.as_str() {
            "exponential" => "exponential(start, factor, count)",
            "linear" => "linear(start, width, count)",
            _ => "log(min, max, count)",
        };
        return Err(syn::Error::new(
            paren.span.join(),
            format!("expected 3 arguments: `{expected}`"),
        ));
    }
    let count = &args[2];
    if count
        .value
        .is_some_and(|value| !count.integer || value < 0.0)
    {
        return Err(syn::Error::new_spanned(
            &count.tokens,
            "bucket `count` must be a non-negative integer",
        ));
    }
    let value = |arg: &Number| arg.value.unwrap_or(0.0);
    let (a, b, count) = (value(&args[0]), value(&args[1]), value(count) as usize);
    let spec = match kind.as_str() {
        "exponential" => BucketSpec::Exponential {
            start: a,
            factor: b,
            count,
        },
        "linear" => BucketSpec::Linear {
            start: a,
            width: b,
            count,
        },
        _ => BucketSpec::Log {
            min: a,
            max: b,
            count,
        },
    };
    Ok(Buckets {
        spec: Some(spec),
        span: function
            .span()
            .join(paren.span.close())
            .unwrap_or(function.span()),
        folded: args.iter().map(|n| n.value).collect(),
        args: args.into_iter().map(|n| n.tokens).collect(),
        constant: None,
    })
}
