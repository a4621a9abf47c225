//! The borrowed model of a `#[derive(MetricGroup)]` input.

use metric_group_rules::hierarchy::{default_labels, default_level_labels};
use metric_group_rules::BucketSpec;
use metric_group_rules::MetricKind;
use quote::{format_ident, ToTokens};
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, FieldAttrs, GroupAttrs, NameValue, Scope};
use crate::ctxt::Ctxt;

pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub vis: &'a syn::Visibility,
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
    /// The model (errors found building it go to `cx`; check.rs judges it
    /// afterwards); `None` when the input is not a struct with named fields
    /// (reported).
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
                let field_attrs = attr::parse_field_attrs(cx, &field.attrs);
                let standalone = [(attr::SKIP, "skipped", field_attrs.skip), (attr::FLATTEN, "flattened", field_attrs.flatten)]
                    .into_iter()
                    .find(|(key, _, given)| given.is_some() || field_attrs.malformed.contains(key));
                if let Some((key, what, _)) = standalone {
                    for (other, span) in field_attrs.given.iter().filter(|(k, _)| *k != key) {
                        cx.error_at(
                            *span,
                            format!("`{}` does not apply to a {what} field: `#[metric({})]` stands alone", other.0, key.0),
                        );
                    }
                    return Some(Field {
                        ident,
                        ty: &field.ty,
                        attrs: field_attrs,
                        doc: None,
                        metric: None,
                        label_set: None,
                    });
                }
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
                            "unsupported metric type; expected one of {}, or `Family<L, M>` with a `LabelSet` `L` and an unlabelled `M`{}",
                            expected.join(", "),
                            if may_be_alias(&field.ty) {
                                " (type aliases are not followed: name the type itself)"
                            } else {
                                ""
                            }
                        ),
                    );
                }
                let mut field_attrs = field_attrs;
                if let Some(metric) = metric {
                    inherit_defaults(&attrs, &mut field_attrs, metric);
                }
                Some(Field {
                    ident,
                    ty: &field.ty,
                    attrs: field_attrs,
                    doc: doc_comment(&field.attrs),
                    metric,
                    label_set,
                })
            })
            .collect::<Vec<_>>();
        if fields.iter().all(Field::is_skipped) {
            cx.error_spanned_by(
                input.ident.clone(),
                "a metric group needs at least one metric field",
            );
        }
        let mut input = Input {
            ident: &input.ident,
            vis: &input.vis,
            attrs,
            fields,
        };
        input.inherit_family_help();
        Some(input)
    }

    /// A field sharing an earlier field's family (fixed labels) without help
    /// of its own takes the family's: one family has one help text.
    fn inherit_family_help(&mut self) {
        for index in 0..self.fields.len() {
            if self.fields[index].help().is_some() {
                continue;
            }
            if let Some(leader) = self.leader_of(index) {
                self.fields[index].doc = self.fields[leader].help();
            }
        }
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

    /// The full name within the group when prefix and name are both literals.
    pub fn literal_full_name(&self, field: &Field) -> Option<String> {
        Some(join_name(&self.literal_prefix()?, &field.literal_name()?))
    }

    /// Whether the field's name can be judged: a metric whose name and
    /// prefix parsed (what did not is reported, and a default name is no
    /// better a subject).
    pub fn name_is_checkable(&self, field: &Field) -> bool {
        field.metric.is_some()
            && !field.attrs.malformed.contains(&attr::NAME)
            && !self.attrs.malformed.contains(&attr::PREFIX)
    }

    /// Labels the declared scope adds, which the group's own may not reuse.
    pub fn scope_labels(&self) -> Vec<&'static str> {
        match self.scope() {
            Scope::Registry => Vec::new(),
            Scope::Hierarchy(level) => default_labels(level).to_vec(),
        }
    }

    /// The labels the hierarchy's levels add with the default naming, the
    /// instance label excepted (only some runtimes add it): what the
    /// exposition always shows, for lints and documentation.
    pub fn level_labels(&self) -> &'static [&'static str] {
        match self.scope() {
            Scope::Registry => &[],
            Scope::Hierarchy(level) => default_level_labels(level),
        }
    }

    /// Every label name the exposition shows for this field (promtool lints
    /// them), a `Family`'s excepted (they live in another derive), and
    /// without the hierarchy's instance label, which only some runtimes add.
    /// `None` when one of them is a constant: judged by const evaluation.
    pub fn all_label_names(&self, field: &Field) -> Option<Vec<String>> {
        let scope = self.level_labels().iter().map(|l| Some((*l).to_owned()));
        let consts = self
            .attrs
            .const_labels
            .iter()
            .map(|l| l.literal().map(str::to_owned));
        let vars = field
            .labels()
            .iter()
            .map(|l| l.literal().map(str::to_owned));
        scope.chain(consts).chain(vars).collect()
    }

    /// How the labels were written, for documentation.
    pub fn all_label_sources(&self, field: &Field) -> Vec<String> {
        let scope = self.level_labels().iter().map(|l| (*l).to_owned());
        let consts = self.attrs.const_labels.iter().map(attr::LabelName::source);
        let labels = field.family_labels();
        let vars = labels.iter().map(attr::LabelName::source);
        scope.chain(consts).chain(vars).collect()
    }

    /// The earlier field whose family the field at `index` shares (same
    /// name, both with fixed labels): the field is built as its clone.
    pub fn leader_of(&self, index: usize) -> Option<usize> {
        let key = self.fields[index].share_key()?;
        self.fields[..index]
            .iter()
            .position(|earlier| earlier.share_key().as_ref() == Some(&key))
    }

    /// The fields `bind(...)` resolves: plain `*Vec`s whose variable labels
    /// are the bound ones, in order (fixed labels are the field's own).
    /// Labels compare by name, a constant's being its snake-case last
    /// segment (its parameter name); const evaluation then checks that a
    /// constant holds the name it is matched by (`const_label_match_checks`).
    pub fn bound_fields(&self) -> Vec<&Field<'a>> {
        let Some(bind) = &self.attrs.bind else {
            return Vec::new();
        };
        if let Some(label_set) = self.bound_label_set() {
            let label_set = type_text(label_set);
            return self
                .fields
                .iter()
                .enumerate()
                .filter(|(index, field)| {
                    field.label_set.is_some_and(|l| type_text(l) == label_set)
                        && self.helper_clash(*index).is_none()
                })
                .map(|(_, field)| field)
                .collect();
        }
        let bound: Vec<&str> = bind.names.iter().map(|l| l.name.as_str()).collect();
        self.fields
            .iter()
            .enumerate()
            .filter(|(index, field)| {
                field.metric.is_some_and(|m| m.labelled)
                    && field.label_set.is_none()
                    && field.helper_names().series.is_some()
                    && !bound.is_empty()
                    && self.helper_clash(*index).is_none()
                    && field
                        .labels()
                        .iter()
                        .map(|l| l.name.as_str())
                        .eq(bound.iter().copied())
            })
            .map(|(_, field)| field)
            .collect()
    }

    /// `bind(L)` where `L` is written as some `Family<L, _>` field's label
    /// set: the handles hold the series of every such `Family` for one `L`.
    /// (A label is never named like a type: `camelCase` names are refused.)
    pub fn bound_label_set(&self) -> Option<&'a Type> {
        let bind = self.attrs.bind.as_ref()?;
        let [only] = bind.names.as_slice() else {
            return None;
        };
        let written = only.source();
        self.fields
            .iter()
            .filter_map(|field| field.label_set)
            .find(|label_set| type_text(label_set) == written)
    }

    /// The first helper of the field at `index` that an earlier field
    /// already generates, with that field: such a field gets no helpers
    /// (check.rs reports the clash).
    pub fn helper_clash(&self, index: usize) -> Option<(Ident, &Field<'a>)> {
        let field = &self.fields[index];
        let helpers = field.helper_idents();
        self.fields[..index].iter().find_map(|earlier| {
            let theirs = earlier.helper_idents();
            helpers
                .iter()
                .find(|helper| theirs.contains(helper))
                .map(|helper| (helper.clone(), earlier))
        })
    }
}

/// The names of the helpers a field gets, for generation and clash checks.
pub(crate) struct HelperNames {
    /// `<field>_with_labels` and `remove_<field>`, for labelled fields.
    pub series: Option<(Ident, Ident)>,
    /// `inc_`/`set_`/`observe_<field>`, for labelled fields.
    pub update: Option<Ident>,
    /// `observe_<field>_duration`, for histograms with a time unit.
    pub duration: Option<Ident>,
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
            .map_or(&[], |list| list.names.as_slice())
    }

    pub fn kind(&self) -> MetricKind {
        self.metric.map_or(MetricKind::Gauge, |m| m.kind)
    }

    /// How many of the declared time unit make a second, for
    /// `observe_<field>_duration`; `None` for other units and non-histograms.
    pub fn per_second(&self) -> Option<f64> {
        if self.kind() != MetricKind::Histogram {
            return None;
        }
        metric_group_rules::per_second(&self.attrs.unit.as_ref()?.value())
    }

    pub fn helper_names(&self) -> HelperNames {
        let Some(metric) = self.metric else {
            return HelperNames {
                series: None,
                update: None,
                duration: None,
            };
        };
        let base = self.ident.unraw_string();
        let labelled =
            metric.labelled && (self.label_set.is_some() || !self.family_labels().is_empty());
        // A kind this derive does not know (the rules' enum may grow) gets
        // no update helper.
        let update = match metric.kind {
            MetricKind::Counter => Some(format_ident!("inc_{}", base)),
            MetricKind::Gauge => Some(format_ident!("set_{}", base)),
            MetricKind::Histogram => Some(format_ident!("observe_{}", base)),
            _ => None,
        };
        HelperNames {
            series: labelled.then(|| {
                (
                    format_ident!("{}_with_labels", base),
                    format_ident!("remove_{}", base),
                )
            }),
            update: update.filter(|_| labelled),
            duration: (labelled || !metric.labelled)
                .then(|| {
                    self.per_second()
                        .map(|_| format_ident!("observe_{}_duration", base))
                })
                .flatten(),
        }
    }

    fn helper_idents(&self) -> Vec<Ident> {
        let HelperNames {
            series,
            update,
            duration,
        } = self.helper_names();
        let series = series.into_iter().flat_map(|(get, remove)| [get, remove]);
        series.chain(update).chain(duration).collect()
    }

    /// The bucket bounds when the specification is valid; empty when it is
    /// not (check.rs reports why), so expansion never sees a bad bound.
    /// `None` when const evaluation judges them (expand/ writes them as a
    /// const expression).
    pub fn bounds(&self) -> Option<Vec<f64>> {
        let buckets = self.attrs.buckets.as_ref()?;
        if buckets.constant.is_some() || buckets.names_constants() {
            return None;
        }
        Some(buckets.bounds().unwrap_or_default())
    }
}

impl Field<'_> {
    /// Where errors about buckets judged by const evaluation point: a
    /// constant's last identifier (on stable a span cannot cover a path),
    /// else the specification.
    pub fn const_buckets_span(&self) -> proc_macro2::Span {
        let Some(buckets) = &self.attrs.buckets else {
            return self.ident.span();
        };
        let Some(constant) = &buckets.constant else {
            return buckets.span;
        };
        let idents = constant
            .clone()
            .into_iter()
            .filter_map(|token| match token {
                proc_macro2::TokenTree::Ident(ident) => Some(ident.span()),
                _ => None,
            });
        idents.last().unwrap_or(buckets.span)
    }

    /// How buckets judged by const evaluation were written, for messages
    /// and documentation.
    pub fn const_buckets_source(&self) -> Option<String> {
        let buckets = self.attrs.buckets.as_ref()?;
        if let Some(constant) = &buckets.constant {
            return Some(constant.to_string().replace(' ', ""));
        }
        if !buckets.names_constants() {
            return None;
        }
        let args: Vec<String> = buckets
            .args
            .iter()
            .map(|arg| arg.to_string().replace(" :: ", "::"))
            .collect();
        Some(match &buckets.spec {
            Some(BucketSpec::Exponential { .. }) => format!("exponential({})", args.join(", ")),
            Some(BucketSpec::Linear { .. }) => format!("linear({})", args.join(", ")),
            Some(BucketSpec::Log { .. }) => format!("log({})", args.join(", ")),
            _ => format!("[{}]", args.join(", ")),
        })
    }
}

/// What a field takes from `#[metric_group(...)]`: every metric the group's
/// allowed lints; a histogram that sets neither, the group's `buckets` and
/// `unit` (they describe observations, so other kinds keep their own).
fn inherit_defaults(group: &GroupAttrs, field: &mut FieldAttrs, metric: MetricType) {
    field.group_allow = group.allow.iter().map(|(lint, _)| *lint).collect();
    if metric.labelled {
        if field.max_series.is_none() && !field.malformed.contains(&attr::MAX_SERIES) {
            if let Some(max) = &group.max_series {
                field.max_series = Some(max.clone());
                field.inherited.push(attr::MAX_SERIES);
            }
        }
        if field.expire_after.is_none() && !field.malformed.contains(&attr::EXPIRE_AFTER) {
            if let Some(after) = &group.expire_after {
                field.expire_after = Some(after.clone());
                field.inherited.push(attr::EXPIRE_AFTER);
            }
        }
    }
    let kind = metric.kind;
    if kind != MetricKind::Histogram {
        return;
    }
    if field.buckets.is_none() && !field.malformed.contains(&attr::BUCKETS) {
        if let Some(buckets) = &group.buckets {
            field.buckets = Some(buckets.clone());
            field.inherited.push(attr::BUCKETS);
        }
    }
    if field.unit.is_none() && !field.malformed.contains(&attr::UNIT) {
        if let Some(unit) = &group.unit {
            field.unit = Some(unit.clone());
            field.inherited.push(attr::UNIT);
        }
    }
}

impl Field<'_> {
    /// Variable labels, then the fixed ones: every label of the family.
    pub fn family_labels(&self) -> Vec<attr::LabelName> {
        let fixed = self.attrs.fixed.iter().map(|(name, _)| name.clone());
        self.labels().iter().cloned().chain(fixed).collect()
    }

    /// What fields sharing a family have in common: the name as written.
    pub fn share_key(&self) -> Option<String> {
        if self.attrs.fixed.is_empty() || self.metric.is_none() {
            return None;
        }
        Some(match &self.attrs.name {
            None => self.ident.unraw_string(),
            Some(NameValue::Literal(lit)) => lit.value(),
            Some(NameValue::Path(path)) => quote::ToTokens::to_token_stream(path).to_string(),
        })
    }

    /// `#[metric(flatten)]`: a nested group whose metrics join this one's
    /// (a malformed `flatten` counts, as for `skip`).
    pub fn is_flattened(&self) -> bool {
        !self.is_skipped()
            && (self.attrs.flatten.is_some() || self.attrs.malformed.contains(&attr::FLATTEN))
    }

    /// `#[metric(skip)]`: not a metric, built with `Default`.
    /// A malformed `skip` counts: the field was meant not to be a metric.
    pub fn is_skipped(&self) -> bool {
        self.attrs.skip.is_some() || self.attrs.malformed.contains(&attr::SKIP)
    }

    /// Every lint this field's declaration allows: its own and the group's.
    pub fn allowed_lints(&self) -> Vec<metric_group_rules::Lint> {
        let mut lints: Vec<_> = self.attrs.allow.iter().map(|(lint, _)| *lint).collect();
        for lint in &self.attrs.group_allow {
            if !lints.contains(lint) {
                lints.push(*lint);
            }
        }
        lints
    }

    /// Where errors about the unit point: the field's own `unit`, or its
    /// name when the unit comes from the group.
    pub fn unit_span(&self) -> Option<proc_macro2::Span> {
        let unit = self.attrs.unit.as_ref()?;
        Some(if self.attrs.inherited.contains(&attr::UNIT) {
            self.name_span()
        } else {
            unit.span()
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

/// How a name with this unit ends; a counter's unit comes before `_total`.
pub(crate) fn unit_ending(unit: &str, kind: MetricKind) -> String {
    match kind {
        MetricKind::Counter => format!("_{unit}_total"),
        _ => format!("_{unit}"),
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

/// A type as written, without spaces, to compare spellings.
fn type_text(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

/// A bare name such as `Requests`: possibly an alias, which a derive cannot
/// see through.
fn may_be_alias(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.arguments.is_empty()))
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
