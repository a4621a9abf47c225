//! Typed helpers: resolve, update and remove one series of a labelled field;
//! the `observe_` helpers of a histogram with a time unit take a `Duration`
//! as well as an `f64`. Plain `*Vec` fields
//! take their label values as `impl LabelValue` arguments, `Family` fields
//! take their label set by reference; the updates are the same for both.

use metric_group_rules::MetricKind;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Ident;

use super::Gen;
use crate::ast::{Field, HelperNames, MetricType};

/// How a labelled field's helpers take their labels and reach a series.
struct Access {
    /// The label parameters every helper declares.
    params: TokenStream,
    /// An expression for the child series, `?`-propagating errors.
    child: TokenStream,
    /// A `Family` field: updates go through `Family::with`, which writes
    /// nothing shared on a warm call (no handle, no reference count).
    family: bool,
    /// A plain `*Vec` field of at most `SHARED_LABELS` labels: their count
    /// and the array of label values; an update is one call of the
    /// runtime's `VecInc`/`VecSet`/`VecArith`/`VecObserve`.
    shared: Option<(usize, TokenStream)>,
    /// A plain `*Vec` field: the array of its label values.
    values: TokenStream,
}

impl Access {
    /// An update helper's body, one expression giving its result: for a
    /// shared `*Vec` field the runtime's call `shared(count, values)`,
    /// which makes its own checks; otherwise `check`, then the child's
    /// method `call` on the series (through `Family::with` for a `Family`
    /// field). One call returning the result: a body that resolves the
    /// series with `?` and then updates it costs the type checker about
    /// twice as much (BENCHMARKS.md, "Where the time goes").
    fn body(
        &self,
        member: &Ident,
        check: &TokenStream,
        call: &TokenStream,
        shared: impl FnOnce(usize, &TokenStream) -> TokenStream,
    ) -> TokenStream {
        if let Some((count, values)) = &self.shared {
            return shared(*count, values);
        }
        if self.family {
            quote!(#check self.#member.with(labels, |series| series.#call))
        } else {
            let child = &self.child;
            quote!(#check #child.#call; ::core::result::Result::Ok(()))
        }
    }
}

/// The most labels a plain `*Vec` field's helpers pass to the runtime's
/// `VecCalls` methods (`SHARED_LABELS` in `runtime/src/vec_calls.rs`, which
/// has one method per count up to it); past it they call the generic
/// functions.
const SHARED_LABELS: usize = 4;

impl Gen<'_> {
    pub(super) fn helpers(&self, field: &Field) -> TokenStream {
        let Some(metric) = field.metric else {
            return TokenStream::new();
        };
        let private = &self.private;
        let (member, ty) = (field.ident, field.ty);
        let summary = self.metric_summary(field);
        let names = &field.resolved.helpers;

        if !metric.labelled {
            let observed = Observed::of(field, private);
            let Observed {
                ty: observed_ty,
                convert,
                ..
            } = &observed;
            let observe = names.update.as_ref().map(|name| {
                let doc = format!("Records {} into {summary}\n\n# Errors\n\n`Error::InvalidValue` for a value that would poison the series (NaN, `+Inf`, `-Inf`); nothing is recorded then.", observed.what);
                // With a time unit the runtime converts, and records a
                // `Duration` without a check its caller would pay for.
                let body = match &observed.scale {
                    Some(scale) => quote!(#private::observe_in_unit(&self.#member, value, #scale)),
                    None => quote!(<#ty as #private::BuildMetric>::observe_checked(&self.#member, value)),
                };
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, value: #observed_ty) -> ::core::result::Result<(), #private::Error> {
                        #body
                    }
                }
            });
            let exemplar = names.exemplar.as_ref().map(|name| {
                let doc = exemplar_doc(metric, &summary, &observed.what);
                let (value_ty, convert, record) = if metric.kind == MetricKind::Counter {
                    let variant = if metric.float {
                        quote!(Float)
                    } else {
                        quote!(Int)
                    };
                    (
                        counter_delta(metric),
                        TokenStream::new(),
                        quote!(<#ty as #private::BuildMetric>::inc_exemplar_checked(&self.#member, #private::CounterDelta::#variant(value), exemplar)),
                    )
                } else {
                    (
                        observed_ty.clone(),
                        convert.clone(),
                        quote!(<#ty as #private::BuildMetric>::observe_exemplar_checked(&self.#member, value, exemplar)),
                    )
                };
                quote_spanned! {ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    pub fn #name(&self, value: #value_ty, exemplar: &#private::Exemplar<'_>) -> ::core::result::Result<(), #private::Error> {
                        #convert
                        #record
                    }
                }
            });
            return quote!(#observe #exemplar);
        }

        let Some((series_fn, remove_fn)) = &names.series else {
            return TokenStream::new(); // reported: a family needs labels
        };
        let (access, series) = if let Some(label_set) = field.label_set {
            let series_doc = format!(
                "The series of {summary}, for this label set (created on first use; warm calls neither allocate nor format; the series is shared, a removed one is freed when its last clone is dropped).\n\n# Errors\n\n`Error::Create` when prometheus refuses to build the series."
            );
            let remove_doc =
                format!("Removes the series of {summary} for this label set; whether it existed.");
            let series = quote_spanned! {ty.span()=>
                #[doc = #series_doc]
                #[inline]
                pub fn #series_fn(&self, labels: &#label_set) -> ::core::result::Result<<#ty as #private::FamilyChild>::Child, #private::Error> {
                    self.#member.get_or_create(labels)
                }

                #[doc = #remove_doc]
                #[inline]
                // Whether the series existed is for callers who care; most
                // remove and move on (as `Family::remove`).
                #[allow(clippy::must_use_candidate)]
                pub fn #remove_fn(&self, labels: &#label_set) -> bool {
                    self.#member.remove(labels)
                }
            };
            (
                Access {
                    params: quote!(labels: &#label_set,),
                    child: quote!(self.#member.get_or_create(labels)?),
                    family: true,
                    shared: None,
                    values: TokenStream::new(),
                },
                series,
            )
        } else {
            let params = param_idents(
                field.labels().iter().map(|l| l.name.as_str()),
                &["value", "exemplar"],
            );
            // Each with its comma: a field whose labels are all fixed has
            // none, and the value parameters follow directly.
            let declared = quote!(#(#params: impl #private::LabelValue,)*);
            let fixed = field.attrs.fixed_labels();
            let count = params.len() + fixed.len();
            let fixed = fixed.iter().map(|(_, value)| value);
            let values = quote!([#(&#params as &dyn #private::LabelValue,)* #(&#fixed as &dyn #private::LabelValue),*]);
            // Up to `SHARED_LABELS` labels, the runtime's non-generic
            // methods, compiled once there; past it, the generic functions.
            let shared = (1..=SHARED_LABELS).contains(&count);
            let (series_call, remove_call) = if shared {
                let series = format_ident!("series_{count}");
                let remove = format_ident!("remove_{count}");
                (
                    quote!(<#ty as #private::VecCalls>::#series),
                    quote!(<#ty as #private::VecCalls>::#remove),
                )
            } else {
                (quote!(#private::series), quote!(#private::remove_series))
            };
            let series_doc = format!("The series of {summary}, for these label values.\n\n# Errors\n\n`Error::LabelCollision` when prometheus would hand back the series of other label values (it keys them by a hash of the values written back to back), `Error::Labels` when it refuses the values.");
            let remove_doc = format!(
                "Removes the series of {summary} for these label values; whether it existed."
            );
            let series = quote_spanned! {ty.span()=>
                #[doc = #series_doc]
                #[inline]
                pub fn #series_fn(&self, #declared) -> ::core::result::Result<<#ty as #private::Labelled>::Child, #private::Error> {
                    #series_call(&self.#member, #values)
                }

                #[doc = #remove_doc]
                #[inline]
                // As for `Family` fields: the result is for callers who care.
                #[allow(clippy::must_use_candidate)]
                pub fn #remove_fn(&self, #declared) -> bool {
                    #remove_call(&self.#member, #values)
                }
            };
            (
                Access {
                    params: declared,
                    child: quote!(self.#series_fn(#(#params),*)?),
                    family: false,
                    shared: shared.then(|| (count, values.clone())),
                    values,
                },
                series,
            )
        };
        let updates = self.updates(field, metric, names, &access, &summary);
        let arithmetic = self.arithmetic(field, metric, names, &access, &summary);
        quote!(#series #updates #arithmetic)
    }

    /// `inc_by_<field>` of a labelled counter; `inc_`, `dec_`, `add_`,
    /// `sub_<field>` of a labelled gauge: the series resolved as the other
    /// helpers resolve it, then the child's own method.
    fn arithmetic(
        &self,
        field: &Field,
        metric: MetricType,
        names: &HelperNames,
        access: &Access,
        summary: &str,
    ) -> TokenStream {
        let private = &self.private;
        let member = field.ident;
        let params = &access.params;
        let series = names.series_name();
        let helpers = names.arithmetic.iter().map(|(name, op)| {
            let op_ident = Ident::new(op, Span::call_site());
            let float = metric.float;
            let (value, arg, check, what) = match *op {
                "inc_by" => {
                    let delta = counter_delta(metric);
                    // A float counter refuses what it cannot add.
                    let check = if float {
                        quote!(let value = #private::increment(&self.#member, value)?;)
                    } else {
                        TokenStream::new()
                    };
                    (
                        quote!(value: #delta),
                        quote!(value),
                        check,
                        format!("Adds `value` to {summary}"),
                    )
                }
                "inc" => (quote!(), quote!(), quote!(), format!("Adds one to {summary}")),
                "dec" => (quote!(), quote!(), quote!(), format!("Takes one from {summary}")),
                "add" | "sub" => {
                    let ty = if float { quote!(f64) } else { quote!(i64) };
                    let verb = if *op == "add" { "Adds `value` to" } else { "Takes `value` from" };
                    (quote!(value: #ty), quote!(value), quote!(), format!("{verb} {summary}"))
                }
                _ => return TokenStream::new(),
            };
            let refused = if check.is_empty() {
                ""
            } else {
                ", and `Error::InvalidValue` for a value a counter cannot add (negative, NaN, infinite)"
            };
            let doc = format!("{what}\n\n# Errors\n\nThe errors of resolving the series (see `{series}`){refused}.");
            let body = access.body(member, &check, &quote!(#op_ident(#arg)), |count, values| {
                // The float counter's check is the runtime's.
                let (ty, method) = (field.ty, format_ident!("arith_{count}"));
                let change = match *op {
                    "inc" => quote!(Inc),
                    "dec" => quote!(Dec),
                    "sub" => quote!(Sub(#arg)),
                    _ => quote!(Add(#arg)),
                };
                quote!(<#ty as #private::VecArith>::#method(&self.#member, #values, #private::Arith::#change))
            });
            quote_spanned! {field.ty.span()=>
                #[doc = #doc]
                #[inline]
                pub fn #name(&self, #params #value) -> ::core::result::Result<(), #private::Error> {
                    #body
                }
            }
        });
        quote!(#(#helpers)*)
    }

    /// `inc_`, `set_`, or `observe_`, and `<op>_<field>_with_exemplar`.
    fn updates(
        &self,
        field: &Field,
        metric: MetricType,
        names: &HelperNames,
        access: &Access,
        summary: &str,
    ) -> TokenStream {
        let private = &self.private;
        let Some(update_fn) = names.update.clone() else {
            return TokenStream::new();
        };
        let Access {
            params,
            family,
            shared,
            values: vec_values,
            ..
        } = access;
        let result = quote!(::core::result::Result<(), #private::Error>);
        let member = field.ident;
        // `convert` brings the value to the declared unit (a histogram's
        // `Duration`); `check` refuses a value that would poison the series
        // for good, before a series is resolved (or created) for it.
        // `op` and `arg`: the child's method and its argument, and the
        // runtime's trait doing both for a shared `*Vec` field.
        let update = |name: Ident,
                      doc: String,
                      value: TokenStream,
                      (convert, check): (&TokenStream, TokenStream),
                      (op, arg, calls): (&str, TokenStream, &str)| {
            let call = {
                let op = Ident::new(op, Span::call_site());
                quote!(#op(#arg))
            };
            let series = names.series_name();
            let poison = if check.is_empty() {
                ""
            } else {
                ", and `Error::InvalidValue` for a value that would poison the series (NaN, `+Inf`, `-Inf`)"
            };
            let doc = format!(
                "{doc}\n\n# Errors\n\nThe errors of resolving the series (see `{series}`){poison}."
            );
            let body = access.body(member, &check, &call, |count, values| {
                // The NaN check of `observe_` is the runtime's.
                let (ty, calls) = (field.ty, Ident::new(calls, Span::call_site()));
                let method = format_ident!("{op}_{count}");
                let arg = (!arg.is_empty()).then(|| quote!(, #arg));
                quote!(<#ty as #private::#calls>::#method(&self.#member, #values #arg))
            });
            quote_spanned! {field.ty.span()=>
                #[doc = #doc]
                #[inline]
                pub fn #name(&self, #params #value) -> #result {
                    #convert
                    #body
                }
            }
        };
        // `<op>_<field>_with_exemplar`: `record` adds or observes `value`
        // and keeps the exemplar.
        let observed = Observed::of(field, private);
        let none = TokenStream::new();
        let exemplar = |value_ty: TokenStream, convert: &TokenStream, record: TokenStream| {
            names.exemplar.as_ref().map(|name| {
                let doc = exemplar_doc(metric, summary, &observed.what);
                quote_spanned! {field.ty.span()=>
                    #[doc = #doc]
                    #[inline]
                    // One parameter per label, then the value and the
                    // exemplar: as many as the declaration has labels.
                    #[allow(clippy::too_many_arguments)]
                    pub fn #name(&self, #params value: #value_ty, exemplar: &#private::Exemplar<'_>) -> #result {
                        #convert
                        #record
                    }
                }
            })
        };
        match metric.kind {
            MetricKind::Counter => {
                let inc = update(
                    update_fn,
                    format!("Adds one to {summary}"),
                    quote!(),
                    (&none, quote!()),
                    ("inc", quote!(), "VecInc"),
                );
                let record = if *family {
                    quote!(self.#member.inc_by_with_exemplar(labels, value, exemplar))
                } else {
                    quote!(#private::inc_vec_with_exemplar(&self.#member, #vec_values, value, exemplar))
                };
                let exemplar = exemplar(counter_delta(metric), &none, record);
                quote!(#inc #exemplar)
            }
            MetricKind::Gauge => {
                let value_ty = if metric.float {
                    quote!(f64)
                } else {
                    quote!(i64)
                };
                update(
                    update_fn,
                    format!("Sets {summary}"),
                    quote!(value: #value_ty),
                    (&none, quote!()),
                    ("set", quote!(value), "VecSet"),
                )
            }
            MetricKind::Histogram => {
                let Observed {
                    ty: observed_ty,
                    convert,
                    what,
                    ..
                } = &observed;
                let observe = update(
                    update_fn,
                    format!("Records {what} into {summary}"),
                    quote!(value: #observed_ty),
                    (
                        convert,
                        quote!(let value = #private::observation(&self.#member, value)?;),
                    ),
                    ("observe", quote!(value), "VecObserve"),
                );
                let ty = field.ty;
                let record = if *family {
                    quote!(self.#member.observe_with_exemplar(labels, value, exemplar))
                } else if let Some((count, values)) = shared {
                    let method = format_ident!("observe_exemplar_{count}");
                    quote!(<#ty as #private::VecObserve>::#method(&self.#member, #values, value, exemplar))
                } else {
                    quote!(#private::observe_vec_with_exemplar(&self.#member, #vec_values, value, exemplar))
                };
                let exemplar = exemplar(observed_ty.clone(), convert, record);
                quote!(#observe #exemplar)
            }
            // `helper_names` gives no update helper to other kinds.
            _ => TokenStream::new(),
        }
    }
}

/// What a histogram's `observe_` helpers take: an `f64`, or with a time
/// unit anything `Observation` converts to it (an `f64` in the unit, a
/// `Duration`).
struct Observed {
    /// The value parameter's type.
    ty: TokenStream,
    /// The statement bringing `value` to an `f64` in the declared unit
    /// (none for a plain `f64`).
    convert: TokenStream,
    /// What the docs say is recorded.
    what: String,
    /// How many of the unit make a second, with a time unit.
    scale: Option<TokenStream>,
}

impl Observed {
    fn of(field: &Field, private: &TokenStream) -> Self {
        let unit = field.attrs.unit.value().map(syn::LitStr::value);
        match field.per_second().zip(unit) {
            Some((scale, unit)) => Self {
                ty: quote!(impl #private::Observation),
                convert: quote!(let value = #private::Observation::in_unit(value, #scale);),
                what: format!("a value (an `f64` in {unit}, or a `Duration`, converted to {unit})"),
                scale: Some(quote!(#scale)),
            },
            None => Self {
                ty: quote!(f64),
                convert: TokenStream::new(),
                what: "a value".to_owned(),
                scale: None,
            },
        }
    }
}

/// The doc of `observe_<field>_with_exemplar` and
/// `inc_by_<field>_with_exemplar`; `what` says what an observe helper takes.
fn exemplar_doc(metric: MetricType, summary: &str, what: &str) -> String {
    let refused = "`Error::InvalidExemplar` for an exemplar OpenMetrics would refuse (more than 128 characters, or an empty trace id); nothing is recorded then.";
    if metric.kind == MetricKind::Counter {
        let value = if metric.float {
            "`Error::InvalidValue` for a value a counter cannot add (negative, NaN, infinite), "
        } else {
            ""
        };
        format!("Adds `value` to {summary}, with `exemplar` kept as the series' latest (exposed in OpenMetrics only).\n\n# Errors\n\n{value}{refused}")
    } else {
        format!("Records {what} into {summary}, with `exemplar` kept as the latest of the bucket it falls in (exposed in OpenMetrics only).\n\n# Errors\n\n`Error::InvalidValue` for a value that would poison the series (NaN, `+Inf`, `-Inf`), {refused}")
    }
}

/// What a counter's `inc_by_` helpers take: `u64` for an integer counter.
fn counter_delta(metric: MetricType) -> TokenStream {
    if metric.float {
        quote!(f64)
    } else {
        quote!(u64)
    }
}

/// Parameters named after labels: raw when a label is a keyword, cleaned up
/// when it is not an identifier (already reported), suffixed when it collides
/// with a parameter the helper has or with an earlier label.
pub(super) fn param_idents<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
) -> Vec<Ident> {
    let mut taken: Vec<String> = reserved.iter().map(|r| (*r).to_owned()).collect();
    let mut idents = Vec::new();
    for label in labels {
        // Lower case: a parameter named `MODEL` would be read as a pattern
        // for a constant `MODEL` in scope, and trips `non_snake_case`.
        let mut name: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_ascii_lowercase()
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
