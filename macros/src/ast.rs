//! The borrowed model of a `#[derive(MetricGroup)]` input.

use metric_group_rules::MetricKind;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, FieldAttrs, GroupAttrs, NameValue, Scope};
use crate::ctxt::Ctxt;

pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub attrs: GroupAttrs,
    pub fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    /// The doc comment, lines trimmed and joined by spaces.
    pub doc: Option<String>,
    /// `None` when the type is not a supported metric type (reported).
    pub metric: Option<MetricType>,
    /// `L` of a `Family<L, M>` field: its labels are `L`'s fields.
    pub label_set: Option<&'a Type>,
}

/// A supported prometheus metric type, recognised by its name.
#[derive(Clone, Copy)]
pub(crate) struct MetricType {
    pub kind: MetricKind,
    /// A labelled family (`*Vec`).
    pub labelled: bool,
    /// Holds `f64` values (`Counter`, `Gauge`) rather than integers.
    pub float: bool,
    pub name: &'static str,
}

const METRIC_TYPES: &[MetricType] = &[
    MetricType {
        kind: MetricKind::Counter,
        labelled: false,
        float: false,
        name: "IntCounter",
    },
    MetricType {
        kind: MetricKind::Counter,
        labelled: false,
        float: true,
        name: "Counter",
    },
    MetricType {
        kind: MetricKind::Gauge,
        labelled: false,
        float: false,
        name: "IntGauge",
    },
    MetricType {
        kind: MetricKind::Gauge,
        labelled: false,
        float: true,
        name: "Gauge",
    },
    MetricType {
        kind: MetricKind::Histogram,
        labelled: false,
        float: true,
        name: "Histogram",
    },
    MetricType {
        kind: MetricKind::Counter,
        labelled: true,
        float: false,
        name: "IntCounterVec",
    },
    MetricType {
        kind: MetricKind::Counter,
        labelled: true,
        float: true,
        name: "CounterVec",
    },
    MetricType {
        kind: MetricKind::Gauge,
        labelled: true,
        float: false,
        name: "IntGaugeVec",
    },
    MetricType {
        kind: MetricKind::Gauge,
        labelled: true,
        float: true,
        name: "GaugeVec",
    },
    MetricType {
        kind: MetricKind::Histogram,
        labelled: true,
        float: true,
        name: "HistogramVec",
    },
];

impl<'a> Input<'a> {
    /// `None` when the input is not a struct with named fields (reported).
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Input<'a>> {
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                _ => {
                    cx.error_spanned_by(
                        &data.fields,
                        "`MetricGroup` needs a struct with named fields, one per metric",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "`MetricGroup` can only be derived for structs, not enums",
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`MetricGroup` can only be derived for structs, not unions",
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "`MetricGroup` structs cannot be generic: their metrics are memoised in statics",
            );
            return None;
        }
        let attrs = attr::parse_group_attrs(cx, &input.attrs);
        let fields = fields
            .iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let (metric, label_set) = match metric_type(&field.ty) {
                    Some((metric, label_set)) => (Some(metric), label_set),
                    None => (None, None),
                };
                if metric.is_none() {
                    let expected: Vec<String> = METRIC_TYPES
                        .iter()
                        .map(|t| format!("`{}`", t.name))
                        .collect();
                    cx.error_spanned_by(
                        &field.ty,
                        format!(
                            "unsupported metric type; expected one of {}, or `Family<L, M>` with a `LabelSet` `L` and an unlabelled `M`",
                            expected.join(", ")
                        ),
                    );
                }
                Some(Field {
                    ident,
                    ty: &field.ty,
                    attrs: attr::parse_field_attrs(cx, &field.attrs),
                    doc: doc_comment(&field.attrs),
                    metric,
                    label_set,
                })
            })
            .collect::<Vec<_>>();
        if fields.is_empty() {
            cx.error_spanned_by(
                input.ident.clone(),
                "a metric group needs at least one metric field",
            );
        }
        Some(Input {
            ident: &input.ident,
            attrs,
            fields,
        })
    }

    pub fn scope(&self) -> Scope {
        self.attrs.scope.map_or(Scope::Registry, |(scope, _)| scope)
    }

    /// The prefix when it is a literal; `None` for a const path.
    pub fn literal_prefix(&self) -> Option<String> {
        match &self.attrs.prefix {
            None => Some(String::new()),
            Some(NameValue::Literal(lit)) => Some(lit.value()),
            Some(NameValue::Path(_)) => None,
        }
    }
}

impl Field<'_> {
    /// The declared name or, by default, the field's own name.
    pub fn literal_name(&self) -> Option<String> {
        match &self.attrs.name {
            None => Some(self.ident.unraw_string()),
            Some(NameValue::Literal(lit)) => Some(lit.value()),
            Some(NameValue::Path(_)) => None,
        }
    }

    /// Where errors about the name point: the name's value, else the field.
    pub fn name_span(&self) -> proc_macro2::Span {
        self.attrs
            .name
            .as_ref()
            .map_or(self.ident.span(), NameValue::span)
    }

    pub fn help(&self) -> Option<String> {
        match &self.attrs.help {
            Some(lit) => Some(lit.value()),
            None => self.doc.clone(),
        }
    }

    pub fn labels(&self) -> &[attr::LabelName] {
        self.attrs
            .labels
            .as_ref()
            .map_or(&[], |(labels, _)| labels.as_slice())
    }

    pub fn kind(&self) -> MetricKind {
        self.metric.map_or(MetricKind::Gauge, |m| m.kind)
    }

    /// The bucket bounds when the specification is valid; empty when it is
    /// not (check.rs reports why), so expansion never sees a bad bound.
    pub fn bounds(&self) -> Option<Vec<f64>> {
        let buckets = self.attrs.buckets.as_ref()?;
        let bounds = buckets.spec.bounds().unwrap_or_default();
        Some(if metric_group_rules::validate_bounds(&bounds).is_ok() {
            bounds
        } else {
            Vec::new()
        })
    }
}

trait UnrawString {
    fn unraw_string(&self) -> String;
}

impl UnrawString for Ident {
    fn unraw_string(&self) -> String {
        syn::ext::IdentExt::unraw(self).to_string()
    }
}

/// The full name (`prefix_name`) when both parts are literals.
pub(crate) fn join_name(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}_{name}")
    }
}

/// The metric type a field's type names, and the label set of a `Family`.
fn metric_type(ty: &Type) -> Option<(MetricType, Option<&Type>)> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    let name = last.ident.to_string();
    if name == "Family" {
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        let types: Vec<&Type> = args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect();
        let [label_set, child] = types.as_slice() else {
            return None;
        };
        let (child, None) = metric_type(child)? else {
            return None;
        };
        if child.labelled {
            return None;
        }
        return Some((
            MetricType {
                labelled: true,
                name: "Family",
                ..child
            },
            Some(*label_set),
        ));
    }
    if !last.arguments.is_empty() {
        return None;
    }
    METRIC_TYPES
        .iter()
        .copied()
        .find(|t| t.name == name)
        .map(|t| (t, None))
}

fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .flat_map(|text| {
            text.lines()
                .map(|line| line.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        None
    } else {
        Some(lines.join(" "))
    }
}
