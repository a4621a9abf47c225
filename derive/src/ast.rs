//! The borrowed models of the derives' inputs: a `#[derive(MetricGroup)]`
//! struct, a `#[derive(LabelValue)]` enum and a `#[derive(LabelSet)]` struct,
//! each with the facts the derive works out from it.

use metric_group_rules::BucketSpec;
use metric_group_rules::{check_series_clash, Lint, MetricKind, SeriesClash};
use proc_macro2::Span;
use quote::{format_ident, ToTokens};
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{self, FieldAttrs, GroupAttrs, LabelAttrs, LabelName, NameValue, Scope};
use crate::ctxt::Ctxt;

pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub vis: &'a syn::Visibility,
    pub attrs: GroupAttrs,
    pub fields: Vec<Field<'a>>,
    /// The indices of the fields `bind(...)` resolves: plain `*Vec`s whose
    /// variable labels are the bound ones, in order (fixed labels are the
    /// field's own), or the `Family` fields of the bound label set. Labels
    /// compare by name, a constant's being its snake-case last segment (its
    /// parameter name); const evaluation then checks that a constant holds
    /// the name it is matched by.
    pub bound_fields: Vec<usize>,
    /// `bind(L)` where `L` is written as some `Family<L, _>` field's label
    /// set: the handles hold the series of every such `Family` for one `L`.
    /// (A label is never named like a type: `camelCase` names are refused.)
    pub bound_label_set: Option<&'a Type>,
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
    /// What the derive works out about the field from the whole input.
    pub resolved: Resolved,
}

/// What the derive works out once per field, from the whole input, when it
/// builds the model: check.rs and expand/ read these rather than work them
/// out again.
#[derive(Default)]
pub(crate) struct Resolved {
    /// The full name within the group, when prefix and name are literals.
    pub literal_full_name: Option<String>,
    /// Whether the name can be judged: the field is a metric and its name
    /// and the group's prefix parsed (what did not is reported, and a
    /// default name is no better a subject).
    pub name_checkable: bool,
    /// What fields sharing a family have in common: the name as written,
    /// for a metric with fixed labels.
    pub share_key: Option<String>,
    /// The earlier field whose family this one shares (same name, both with
    /// fixed labels): the field is built as its clone.
    pub leader: Option<usize>,
    /// Variable labels, then the fixed ones: every label of the family.
    pub family_labels: Vec<LabelName>,
    /// The field's label names (promtool lints them with its name): its own
    /// and fixed ones, a `Family`'s excepted (they live in another derive);
    /// not the group's const labels (judged once, at themselves) nor those
    /// a hierarchy's naming adds, which the naming owns. `None` when one of
    /// them is a constant: judged by const evaluation.
    pub all_label_names: Option<Vec<String>>,
    /// How the declaration's labels were written, for documentation.
    pub all_label_sources: Vec<String>,
    /// The helpers the field gets.
    pub helpers: HelperNames,
    /// The first of its helpers an earlier field already gets, with that
    /// field's index: such a field gets no helpers (check.rs reports it).
    pub helper_clash: Option<(Ident, usize)>,
    /// The bucket bounds when the specification is valid; empty when it is
    /// not (check.rs reports why), so expansion never sees a bad bound.
    /// `None` when const evaluation judges them.
    pub bounds: Option<Vec<f64>>,
    /// How buckets judged by const evaluation were written, for messages
    /// and documentation.
    pub const_buckets_source: Option<String>,
    /// Every lint the declaration allows: the field's own, then the group's.
    pub allowed_lints: Vec<Lint>,
    /// The first earlier field whose family would share a series with this
    /// one's, both names literal (`rules::check_series_clash`), and why.
    pub series_clash: Option<(usize, SeriesClash)>,
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
            .filter_map(|field| Field::from_syn(cx, &attrs, field))
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
            bound_fields: Vec::new(),
            bound_label_set: None,
        };
        for index in 0..input.fields.len() {
            input.fields[index].resolved = input.resolve(index);
        }
        input.inherit_family_help();
        input.bound_label_set = input.find_bound_label_set();
        input.bound_fields = input.find_bound_fields();
        Some(input)
    }

    /// The field at `index`'s facts, the earlier fields' already resolved.
    fn resolve(&self, index: usize) -> Resolved {
        let field = &self.fields[index];
        let share_key = field.share_key();
        let leader = share_key.as_ref().and_then(|key| {
            self.fields[..index]
                .iter()
                .position(|earlier| earlier.resolved.share_key.as_ref() == Some(key))
        });
        let family_labels = field.family_labels();
        let helpers = field.helper_names(&family_labels);
        let idents = helpers.idents();
        let helper_clash = self.fields[..index]
            .iter()
            .enumerate()
            .find_map(|(earlier, other)| {
                let theirs = other.resolved.helpers.idents();
                idents
                    .iter()
                    .find(|helper| theirs.contains(helper))
                    .map(|helper| (helper.clone(), earlier))
            });
        let mut allowed_lints: Vec<Lint> =
            field.attrs.allow.iter().map(|(lint, _)| *lint).collect();
        if field.metric.is_some() {
            for (lint, _) in &self.attrs.allow {
                if !allowed_lints.contains(lint) {
                    allowed_lints.push(*lint);
                }
            }
        }
        let literal_full_name = self.literal_full_name(field);
        let name_checkable = field.metric.is_some()
            && !field.attrs.name.is_malformed()
            && !self.attrs.prefix.is_malformed();
        let series_clash = literal_full_name
            .as_deref()
            .filter(|_| name_checkable && leader.is_none())
            .and_then(|name| {
                self.fields[..index]
                    .iter()
                    .enumerate()
                    .find_map(|(i, earlier)| {
                        let theirs = earlier.resolved.literal_full_name.as_deref()?;
                        if !earlier.resolved.name_checkable || earlier.resolved.leader.is_some() {
                            return None;
                        }
                        check_series_clash(theirs, earlier.kind(), name, field.kind())
                            .err()
                            .map(|clash| (i, clash))
                    })
            });
        Resolved {
            literal_full_name,
            name_checkable,
            share_key,
            leader,
            all_label_names: Self::all_label_names(&family_labels),
            all_label_sources: self.all_label_sources(&family_labels),
            family_labels,
            helpers,
            helper_clash,
            bounds: field.bounds(),
            const_buckets_source: field.const_buckets_source(),
            allowed_lints,
            series_clash,
        }
    }

    /// A field sharing an earlier field's family (fixed labels) without help
    /// of its own takes the family's: one family has one help text.
    fn inherit_family_help(&mut self) {
        for index in 0..self.fields.len() {
            if self.fields[index].help().is_some() {
                continue;
            }
            if let Some(leader) = self.fields[index].resolved.leader {
                self.fields[index].doc = self.fields[leader].help();
            }
        }
    }

    pub fn scope(&self) -> Scope {
        self.attrs
            .scope
            .value()
            .map_or(Scope::Registry, |(scope, _)| scope.clone())
    }

    /// The prefix when it is a literal; `None` for a const path.
    pub fn literal_prefix(&self) -> Option<String> {
        match self.attrs.prefix.value() {
            None => Some(String::new()),
            Some(NameValue::Literal(lit)) => Some(lit.value()),
            Some(NameValue::Path(_)) => None,
        }
    }

    /// `Resolved::literal_full_name`.
    fn literal_full_name(&self, field: &Field) -> Option<String> {
        Some(join_name(&self.literal_prefix()?, &field.literal_name()?))
    }

    /// `Resolved::all_label_names`: the field's family labels (its own and
    /// its fixed ones). The group's const labels are judged once, at
    /// themselves, not with each metric.
    fn all_label_names(family_labels: &[LabelName]) -> Option<Vec<String>> {
        (family_labels.iter())
            .map(|l| l.literal().map(str::to_owned))
            .collect()
    }

    /// `Resolved::all_label_sources`.
    fn all_label_sources(&self, family_labels: &[LabelName]) -> Vec<String> {
        let consts = self.attrs.const_labels.iter().map(LabelName::source);
        let vars = family_labels.iter().map(LabelName::source);
        consts.chain(vars).collect()
    }

    /// `Input::bound_fields`, the fields resolved.
    fn find_bound_fields(&self) -> Vec<usize> {
        let Some(bind) = self.attrs.bind.value() else {
            return Vec::new();
        };
        if let Some(label_set) = self.bound_label_set {
            let label_set = type_text(label_set);
            return self
                .fields
                .iter()
                .enumerate()
                .filter(|(_, field)| {
                    field.label_set.is_some_and(|l| type_text(l) == label_set)
                        && field.resolved.helper_clash.is_none()
                })
                .map(|(index, _)| index)
                .collect();
        }
        let bound: Vec<&str> = bind.names.iter().map(|l| l.name.as_str()).collect();
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, field)| {
                field.metric.is_some_and(|m| m.labelled)
                    && field.label_set.is_none()
                    && field.resolved.helpers.series.is_some()
                    && !bound.is_empty()
                    && field.resolved.helper_clash.is_none()
                    && field
                        .labels()
                        .iter()
                        .map(|l| l.name.as_str())
                        .eq(bound.iter().copied())
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// `Input::bound_label_set`.
    fn find_bound_label_set(&self) -> Option<&'a Type> {
        let bind = self.attrs.bind.value()?;
        let [only] = bind.names.as_slice() else {
            return None;
        };
        let written = only.source();
        self.fields
            .iter()
            .filter_map(|field| field.label_set)
            .find(|label_set| type_text(label_set) == written)
    }
}

impl<'a> Field<'a> {
    /// One field's model, its attributes parsed (errors go to `cx`) and the
    /// group's defaults applied; `None` for an unnamed field.
    fn from_syn(cx: &Ctxt, group: &GroupAttrs, field: &'a syn::Field) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let field_attrs = attr::parse_field_attrs(cx, &field.attrs);
        let standalone = [
            (
                field_attrs.skip.symbol,
                "skipped",
                field_attrs.skip.is_written(),
            ),
            (
                field_attrs.flatten.symbol,
                "flattened",
                field_attrs.flatten.is_written(),
            ),
        ]
        .into_iter()
        .find(|(_, _, written)| *written);
        if let Some((key, what, _)) = standalone {
            for (other, span) in field_attrs.written.iter().filter(|(k, _)| *k != key) {
                cx.error_at(
                    *span,
                    format!(
                        "`{}` does not apply to a {what} field: `#[metric({})]` stands alone",
                        other.0, key.0
                    ),
                );
            }
            return Some(Field {
                ident,
                ty: &field.ty,
                attrs: field_attrs,
                doc: None,
                metric: None,
                label_set: None,
                resolved: Resolved::default(),
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
            inherit_defaults(group, &mut field_attrs, metric);
        }
        Some(Field {
            ident,
            ty: &field.ty,
            attrs: field_attrs,
            doc: doc_comment(&field.attrs),
            metric,
            label_set,
            resolved: Resolved::default(),
        })
    }
}

/// The names of the helpers a field gets, for generation and clash checks.
#[derive(Default)]
pub(crate) struct HelperNames {
    /// `<field>_with_labels` and `remove_<field>`, for labelled fields.
    pub series: Option<(Ident, Ident)>,
    /// `inc_`/`set_`/`observe_<field>`, for labelled fields, and
    /// `observe_<field>` for unlabelled histograms (taking an `f64` or, with
    /// a time unit, a `Duration` too).
    pub update: Option<Ident>,
    /// `observe_<field>_with_exemplar` for every histogram field and
    /// `inc_by_<field>_with_exemplar` for every counter field (plain,
    /// `*Vec` and `Family`).
    pub exemplar: Option<Ident>,
    /// `inc_by_<field>` for labelled counters; `inc_`, `dec_`, `add_` and
    /// `sub_<field>` for labelled gauges: each with the method it calls.
    pub arithmetic: Vec<(Ident, &'static str)>,
}

impl HelperNames {
    /// The name of `<field>_with_labels`, for the helpers' docs (empty for
    /// an unlabelled field).
    pub fn series_name(&self) -> String {
        self.series
            .as_ref()
            .map_or(String::new(), |(series, _)| series.to_string())
    }

    /// Every helper's name.
    fn idents(&self) -> Vec<Ident> {
        let series = self.series.iter().flat_map(|(get, remove)| [get, remove]);
        series
            .chain(&self.update)
            .chain(&self.exemplar)
            .chain(self.arithmetic.iter().map(|(name, _)| name))
            .cloned()
            .collect()
    }
}

impl Field<'_> {
    /// The declared name or, by default, the field's own name.
    pub fn literal_name(&self) -> Option<String> {
        match self.attrs.name.value() {
            None => Some(self.ident.unraw_string()),
            Some(NameValue::Literal(lit)) => Some(lit.value()),
            Some(NameValue::Path(_)) => None,
        }
    }

    /// Where errors about the name point: the name's value, else the field.
    pub fn name_span(&self) -> proc_macro2::Span {
        self.attrs
            .name
            .value()
            .map_or(self.ident.span(), NameValue::span)
    }

    /// `help = ".."` verbatim, else the doc comment with its inline-code
    /// backticks taken out (`clippy::pedantic`'s `doc_markdown` asks for
    /// them; `# HELP` would show them).
    pub fn help(&self) -> Option<String> {
        match self.attrs.help.value() {
            Some(lit) => Some(lit.value()),
            None => self.doc.as_deref().map(without_code_backticks),
        }
    }

    pub fn labels(&self) -> &[attr::LabelName] {
        self.attrs
            .labels
            .value()
            .map_or(&[], |list| list.names.as_slice())
    }

    pub fn kind(&self) -> MetricKind {
        self.metric.map_or(MetricKind::Gauge, |m| m.kind)
    }

    /// How many of the declared time unit make a second, for the `Duration`
    /// an `observe_<field>` takes; `None` for other units and non-histograms.
    pub fn per_second(&self) -> Option<f64> {
        if self.kind() != MetricKind::Histogram {
            return None;
        }
        metric_group_rules::per_second(&self.attrs.unit.value()?.value())
    }

    /// `Resolved::helpers`, given the field's family labels.
    fn helper_names(&self, family_labels: &[LabelName]) -> HelperNames {
        let Some(metric) = self.metric else {
            return HelperNames::default();
        };
        let base = self.ident.unraw_string();
        let labelled = metric.labelled && (self.label_set.is_some() || !family_labels.is_empty());
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
            // Unlabelled histograms too: their `observe_<field>` is the one
            // way in that refuses a value poisoning the sum.
            update: update
                .filter(|_| labelled || (!metric.labelled && metric.kind == MetricKind::Histogram)),
            exemplar: (labelled || !metric.labelled)
                .then(|| match metric.kind {
                    MetricKind::Histogram => Some(format_ident!("observe_{}_with_exemplar", base)),
                    MetricKind::Counter => Some(format_ident!("inc_by_{}_with_exemplar", base)),
                    _ => None,
                })
                .flatten(),
            arithmetic: match metric.kind {
                MetricKind::Counter if labelled => {
                    vec![(format_ident!("inc_by_{}", base), "inc_by")]
                }
                MetricKind::Gauge if labelled => ["inc", "dec", "add", "sub"]
                    .into_iter()
                    .map(|op| (format_ident!("{}_{}", op, base), op))
                    .collect(),
                _ => Vec::new(),
            },
        }
    }

    /// `Resolved::bounds`.
    fn bounds(&self) -> Option<Vec<f64>> {
        let buckets = self.attrs.buckets.value()?;
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
        let Some(buckets) = self.attrs.buckets.value() else {
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

    /// `Resolved::const_buckets_source`.
    fn const_buckets_source(&self) -> Option<String> {
        let buckets = self.attrs.buckets.value()?;
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

/// What a field takes from `#[metric_group(...)]` (the group's allowed
/// lints are `Resolved::allowed_lints`): a labelled field that sets none,
/// the group's `max_series` and `expire_after`; a histogram that sets
/// neither, the group's `buckets` and `unit` (they describe observations, so
/// other kinds keep their own). A key the field got wrong inherits nothing.
fn inherit_defaults(group: &GroupAttrs, field: &mut FieldAttrs, metric: MetricType) {
    if metric.labelled {
        field.max_series.inherit(&group.max_series);
        field.expire_after.inherit(&group.expire_after);
    }
    if metric.kind == MetricKind::Histogram {
        field.buckets.inherit(&group.buckets);
        field.unit.inherit(&group.unit);
    }
}

impl Field<'_> {
    /// `Resolved::family_labels`.
    fn family_labels(&self) -> Vec<LabelName> {
        let fixed = self
            .attrs
            .fixed_labels()
            .iter()
            .map(|(name, _)| name.clone());
        self.labels().iter().cloned().chain(fixed).collect()
    }

    /// `Resolved::share_key`.
    fn share_key(&self) -> Option<String> {
        if self.attrs.fixed_labels().is_empty() || self.metric.is_none() {
            return None;
        }
        Some(match self.attrs.name.value() {
            None => self.ident.unraw_string(),
            Some(NameValue::Literal(lit)) => lit.value(),
            Some(NameValue::Path(path)) => quote::ToTokens::to_token_stream(path).to_string(),
        })
    }

    /// `#[metric(flatten)]`: a nested group whose metrics join this one's
    /// (a malformed `flatten` counts, as for `skip`).
    pub fn is_flattened(&self) -> bool {
        !self.is_skipped() && self.attrs.flatten.is_written()
    }

    /// `#[metric(skip)]`: not a metric, built with `Default`.
    /// A malformed `skip` counts: the field was meant not to be a metric.
    pub fn is_skipped(&self) -> bool {
        self.attrs.skip.is_written()
    }

    /// Where errors about the unit point: the field's own `unit`, or its
    /// name when the unit comes from the group.
    pub fn unit_span(&self) -> Option<proc_macro2::Span> {
        let unit = self.attrs.unit.value()?;
        Some(if self.attrs.unit.is_inherited() {
            self.name_span()
        } else {
            unit.span()
        })
    }
}

/// The model of a `#[derive(LabelValue)]` input: an enum's variants and the
/// label value each stands for.
pub(crate) struct LabelValueInput<'a> {
    pub ident: &'a Ident,
    pub attrs: LabelAttrs,
    pub variants: Vec<LabelVariant<'a>>,
}

pub(crate) struct LabelVariant<'a> {
    pub ident: &'a Ident,
    /// The variant's fields, when it has any (reported: a label value has
    /// none).
    pub fields: Option<&'a Fields>,
    /// The value: its `rename`, else the variant's name under the enum's
    /// `rename_all`, else the variant's name.
    pub value: String,
    /// Where errors about the value point: its `rename`, else the variant.
    pub value_span: Span,
}

impl<'a> LabelValueInput<'a> {
    /// The model (errors found building it go to `cx`); `None` when the
    /// input is not an enum without generics (reported).
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::parse_label_value_attrs(cx, &input.attrs);
        let Data::Enum(data) = &input.data else {
            cx.error_spanned_by(
                &input.ident,
                "`LabelValue` can only be derived for enums of unit variants",
            );
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(&input.generics, "`LabelValue` enums cannot be generic");
            return None;
        }
        if data.variants.is_empty() {
            cx.error_spanned_by(
                &input.ident,
                "a label value enum needs at least one variant",
            );
        }
        let variants = data
            .variants
            .iter()
            .map(|variant| {
                let variant_attrs = attr::parse_variant_attrs(cx, &variant.attrs);
                let (value, value_span) = match (&variant_attrs.rename, &attrs.rename_all) {
                    (Some(lit), _) => (lit.value(), lit.span()),
                    (None, Some(rule)) => {
                        (rule.apply(&variant.ident.to_string()), variant.ident.span())
                    }
                    (None, None) => (variant.ident.to_string(), variant.ident.span()),
                };
                LabelVariant {
                    ident: &variant.ident,
                    fields: (!matches!(variant.fields, Fields::Unit)).then_some(&variant.fields),
                    value,
                    value_span,
                }
            })
            .collect();
        Some(LabelValueInput {
            ident: &input.ident,
            attrs,
            variants,
        })
    }
}

/// The model of a `#[derive(LabelSet)]` input: a struct whose fields are
/// the labels.
pub(crate) struct LabelSetInput<'a> {
    pub ident: &'a Ident,
    pub attrs: LabelAttrs,
    pub labels: Vec<Label<'a>>,
}

pub(crate) struct Label<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The label's name: `#[label(name = "..")]`, else the field's, unraw;
    /// for `#[label(name = PATH)]`, the field's (for messages only: the
    /// constant's value is judged by const evaluation).
    pub name: String,
    /// `#[label(name = PATH)]`: the constant naming the label.
    pub path: Option<syn::Path>,
    /// Where errors about the name point: the given name, else the field.
    pub span: Span,
    /// `f32`/`f64`: no exact text form, so not a label value (reported).
    pub float: bool,
}

impl Label<'_> {
    /// How the name was written, for messages: the constant's path, else
    /// the name.
    pub fn source(&self) -> String {
        match &self.path {
            Some(path) => path.to_token_stream().to_string().replace(' ', ""),
            None => self.name.clone(),
        }
    }
}

impl<'a> LabelSetInput<'a> {
    /// The model (errors found building it go to `cx`); `None` when the
    /// input is not a struct with named fields and no generics (reported).
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::parse_label_set_attrs(cx, &input.attrs);
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                other => {
                    cx.error_spanned_by(
                        other,
                        "`LabelSet` needs a struct with named fields, one per label",
                    );
                    return None;
                }
            },
            _ => {
                cx.error_spanned_by(&input.ident, "`LabelSet` can only be derived for structs");
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(&input.generics, "`LabelSet` structs cannot be generic");
            return None;
        }
        let labels = fields
            .iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let given = attr::parse_label_field_attrs(cx, &field.attrs);
                let span = given.as_ref().map_or(ident.span(), NameValue::span);
                let (name, path) = match given {
                    Some(NameValue::Literal(lit)) => (lit.value(), None),
                    Some(NameValue::Path(path)) => (ident.unraw_string(), Some(path)),
                    None => (ident.unraw_string(), None),
                };
                Some(Label {
                    ident,
                    ty: &field.ty,
                    name,
                    path,
                    span,
                    float: is_float(&field.ty),
                })
            })
            .collect();
        Some(LabelSetInput {
            ident: &input.ident,
            attrs,
            labels,
        })
    }
}

/// `f32`/`f64`, by name.
fn is_float(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == "f64" || s.ident == "f32"))
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

/// `text` with the backticks of its inline-code spans taken out: each
/// backtick that has a closing one later on its run's length (Markdown's
/// code spans) goes, with its closer; an unmatched backtick stays.
pub(crate) fn without_code_backticks(text: &str) -> String {
    let bytes = text.as_bytes();
    let run_at = |at: usize| bytes[at..].iter().take_while(|&&b| b == b'`').count();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'`' {
            let next = text[at..].find('`').map_or(text.len(), |i| at + i);
            out.push_str(&text[at..next]);
            at = next;
            continue;
        }
        let run = run_at(at);
        // The closing run: the same number of backticks, not more.
        let mut search = at + run;
        let mut close = None;
        while let Some(i) = text[search..].find('`') {
            let start = search + i;
            let len = run_at(start);
            if len == run {
                close = Some(start);
                break;
            }
            search = start + len;
        }
        match close {
            Some(close) => {
                out.push_str(&text[at + run..close]);
                at = close + run;
            }
            None => {
                out.push_str(&text[at..at + run]);
                at += run;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_code_backticks;

    #[test]
    fn inline_code_backticks_go_and_nothing_else() {
        for (doc, help) in [
            ("Time in `find_matches`", "Time in find_matches"),
            ("``a ` b`` and `c`", "a ` b and c"),
            ("an unmatched ` stays", "an unmatched ` stays"),
            (
                "*emphasis* and [links](x) stay",
                "*emphasis* and [links](x) stay",
            ),
            ("`a`b`", "ab`"),
            ("", ""),
        ] {
            assert_eq!(without_code_backticks(doc), help, "{doc}");
        }
    }
}
