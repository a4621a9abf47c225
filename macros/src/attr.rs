//! Parses `#[metric_group(...)]` and `#[metric(...)]`, keeping every value's
//! span so later errors point at the token that caused them.

use metric_group_rules::hierarchy::Level;
use metric_group_rules::{BucketSpec, Lint};
use proc_macro2::{Span, TokenTree};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::suggest::did_you_mean;

pub(crate) const GROUP_KEYS: &[&str] = &["prefix", "const_labels", "scope", "crate"];
pub(crate) const FIELD_KEYS: &[&str] = &["name", "help", "labels", "buckets", "unit", "allow"];
pub(crate) const SCOPES: &[&str] = &[
    "registry",
    "hierarchy",
    "runtime",
    "namespace",
    "component",
    "endpoint",
];
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
            // The last segment names the constant; on stable a span cannot
            // cover the whole path.
            NameValue::Path(path) => path
                .segments
                .last()
                .map_or_else(|| path.span(), |s| s.ident.span()),
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

/// A label name, written as an identifier or a string literal.
#[derive(Clone)]
pub(crate) struct LabelName {
    pub name: String,
    pub span: Span,
}

impl Parse for LabelName {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            Ok(LabelName {
                name: lit.value(),
                span: lit.span(),
            })
        } else if input.peek(Ident::peek_any) {
            let ident = Ident::parse_any(input)?;
            Ok(LabelName {
                name: ident.unraw().to_string(),
                span: ident.span(),
            })
        } else {
            Err(input.error("expected a label name: an identifier or a string literal"))
        }
    }
}

pub(crate) struct Buckets {
    pub spec: BucketSpec,
    /// The whole specification.
    pub span: Span,
    /// Each argument (or each bound of an explicit list).
    pub arg_spans: Vec<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Registry,
    /// Created through a metrics hierarchy, at any level or at the named one.
    Hierarchy(Option<Level>),
}

#[derive(Default)]
pub(crate) struct GroupAttrs {
    pub prefix: Option<NameValue>,
    pub const_labels: Vec<LabelName>,
    pub scope: Option<(Scope, Span)>,
    pub krate: Option<syn::Path>,
}

#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub name: Option<NameValue>,
    pub help: Option<LitStr>,
    pub labels: Option<(Vec<LabelName>, Span)>,
    pub buckets: Option<Buckets>,
    pub unit: Option<LitStr>,
    pub allow: Vec<(Lint, Span)>,
}

pub(crate) fn parse_group_attrs(cx: &Ctxt, attrs: &[Attribute]) -> GroupAttrs {
    let mut out = GroupAttrs::default();
    let mut seen = Seen::default();
    for attr in attrs {
        if attr.path().is_ident("metric") {
            cx.error_spanned_by(
                attr.path(),
                "`#[metric(...)]` belongs on fields; use `#[metric_group(...)]` on the struct",
            );
            continue;
        }
        if !attr.path().is_ident("metric_group") {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            if !seen.first(cx, &meta, &key, "metric_group") {
                return skip_value(&meta);
            }
            match key.as_str() {
                "prefix" => out.prefix = Some(meta.value()?.parse()?),
                "const_labels" => out.const_labels = parse_label_list(&meta)?.0,
                "scope" => {
                    let ident = Ident::parse_any(meta.value()?)?;
                    match scope_from_ident(&ident) {
                        Some(scope) => out.scope = Some((scope, ident.span())),
                        None => cx.error_spanned_by(
                            &ident,
                            format!(
                                "unknown scope `{ident}`{}",
                                did_you_mean(&ident.to_string(), SCOPES)
                            ),
                        ),
                    }
                }
                "crate" => {
                    let value = meta.value()?;
                    out.krate = Some(if value.peek(LitStr) {
                        value.parse::<LitStr>()?.parse()?
                    } else {
                        syn::Path::parse_mod_style(value)?
                    });
                }
                _ => {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown metric_group attribute `{key}`{}",
                            did_you_mean(&key, GROUP_KEYS)
                        ),
                    );
                    return skip_value(&meta);
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    out
}

pub(crate) fn parse_field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    let mut seen = Seen::default();
    for attr in attrs {
        if attr.path().is_ident("metric_group") {
            cx.error_spanned_by(
                attr.path(),
                "`#[metric_group(...)]` belongs on the struct; use `#[metric(...)]` on fields",
            );
            continue;
        }
        if !attr.path().is_ident("metric") {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            if !seen.first(cx, &meta, &key, "metric") {
                return skip_value(&meta);
            }
            match key.as_str() {
                "name" => out.name = Some(meta.value()?.parse()?),
                "help" => out.help = Some(meta.value()?.parse()?),
                "labels" => out.labels = Some(parse_label_list(&meta)?),
                "buckets" => out.buckets = parse_buckets(cx, meta.value()?)?,
                "unit" => out.unit = Some(meta.value()?.parse()?),
                "allow" => meta.parse_nested_meta(|lint| {
                    let name = key_of(&lint);
                    match Lint::from_key(&name) {
                        Some(found) => out.allow.push((found, lint.path.span())),
                        None => {
                            let keys: Vec<&str> = Lint::ALL.iter().map(|l| l.key()).collect();
                            cx.error_spanned_by(
                                &lint.path,
                                format!("unknown lint `{name}`{}", did_you_mean(&name, &keys)),
                            );
                        }
                    }
                    Ok(())
                })?,
                _ => {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown metric attribute `{key}`{}",
                            did_you_mean(&key, FIELD_KEYS)
                        ),
                    );
                    return skip_value(&meta);
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    out
}

/// Keys already given in one attribute list, to report repeats at the repeat.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn first(&mut self, cx: &Ctxt, meta: &ParseNestedMeta, key: &str, attr: &str) -> bool {
        if self.0.iter().any(|k| k == key) {
            cx.error_spanned_by(&meta.path, format!("duplicate {attr} attribute `{key}`"));
            return false;
        }
        self.0.push(key.to_owned());
        true
    }
}

fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map(|ident| ident.unraw().to_string())
        .unwrap_or_else(|| {
            let segments: Vec<String> = meta
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            segments.join("::")
        })
}

/// Skips `= value` or `(...)` after a key that was rejected, so the keys after
/// it are still parsed and checked.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    meta.input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    })
}

fn parse_label_list(meta: &ParseNestedMeta) -> syn::Result<(Vec<LabelName>, Span)> {
    let content;
    let paren = syn::parenthesized!(content in meta.input);
    let labels = Punctuated::<LabelName, Token![,]>::parse_terminated(&content)?;
    Ok((labels.into_iter().collect(), paren.span.join()))
}

fn scope_from_ident(ident: &Ident) -> Option<Scope> {
    match ident.to_string().as_str() {
        "registry" => Some(Scope::Registry),
        "hierarchy" => Some(Scope::Hierarchy(None)),
        level => Level::from_name(level).map(|level| Scope::Hierarchy(Some(level))),
    }
}

/// `exponential(start, factor, count)`, `linear(start, width, count)`,
/// `log(min, max, count)` or `[b0, b1, ...]`. Argument ranges are checked
/// later, in check.rs; here only the syntax.
fn parse_buckets(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<Buckets>> {
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = syn::bracketed!(content in input);
        let numbers = Punctuated::<Number, Token![,]>::parse_terminated(&content)?;
        return Ok(Some(Buckets {
            spec: BucketSpec::Explicit(numbers.iter().map(|n| n.value).collect()),
            span: bracket.span.join(),
            arg_spans: numbers.iter().map(|n| n.span).collect(),
        }));
    }
    let function = Ident::parse_any(input)
        .map_err(|_| input.error("expected bucket spec: `exponential(start, factor, count)`, `linear(start, width, count)`, `log(min, max, count)` or `[b0, b1, ...]`"))?;
    let content;
    let paren = syn::parenthesized!(content in input);
    let args = Punctuated::<Number, Token![,]>::parse_terminated(&content)?;
    let kind = function.to_string();
    if !BUCKET_SPECS.contains(&kind.as_str()) {
        cx.error_spanned_by(
            &function,
            format!(
                "unknown bucket spec `{kind}`{}",
                did_you_mean(&kind, BUCKET_SPECS)
            ),
        );
        return Ok(None);
    }
    let arg_spans: Vec<Span> = args.iter().map(|n| n.span).collect();
    if args.len() != 3 {
        let expected = match kind.as_str() {
            "exponential" => "exponential(start, factor, count)",
            "linear" => "linear(start, width, count)",
            _ => "log(min, max, count)",
        };
        cx.error_at(
            paren.span.join(),
            format!("expected 3 arguments: `{expected}`"),
        );
        return Ok(None);
    }
    let count = &args[2];
    if !count.integer || count.value < 0.0 {
        cx.error_at(
            count.span,
            "bucket `count` must be a non-negative integer literal",
        );
        return Ok(None);
    }
    let (a, b, count) = (args[0].value, args[1].value, count.value as usize);
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
    Ok(Some(Buckets {
        spec,
        span: function
            .span()
            .join(paren.span.close())
            .unwrap_or(function.span()),
        arg_spans,
    }))
}

/// A numeric literal, optionally negative.
struct Number {
    value: f64,
    integer: bool,
    span: Span,
}

impl Parse for Number {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let minus: Option<Token![-]> = input.parse()?;
        let lookahead = input.lookahead1();
        let (value, integer, span) = if lookahead.peek(syn::LitFloat) {
            let lit: syn::LitFloat = input.parse()?;
            (lit.base10_parse::<f64>()?, false, lit.span())
        } else if lookahead.peek(syn::LitInt) {
            let lit: syn::LitInt = input.parse()?;
            (lit.base10_parse::<f64>()?, true, lit.span())
        } else {
            return Err(lookahead.error());
        };
        let span = minus.map_or(span, |m| m.span.join(span).unwrap_or(span));
        Ok(Number {
            value: if minus.is_some() { -value } else { value },
            integer,
            span,
        })
    }
}
