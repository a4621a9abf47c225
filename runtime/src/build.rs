//! Building collectors from descriptors. The derive emits one call per field;
//! everything the calls share lives here, so generated code stays small.

use prometheus::core::Collector;
use prometheus::{
    Counter, CounterVec, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter,
    IntCounterVec, IntGauge, IntGaugeVec, Opts,
};

use metric_group_rules::{check_bounds, LintSet, MetricKind};

use crate::config::{configured_buckets, renamed, GroupConfig, Resolved};
use crate::descriptor::{GroupDescriptor, MetricDescriptor};
use crate::limits::{Limits, DEFAULT_MAX_LABEL_LEN};
use crate::observation::Observation;
use crate::prom::family_name;
use crate::value_checks::observation;
use crate::{collision, units, Error};

/// What a group's collectors are built with: the prefix its scope (or an
/// enclosing group) puts in front of every name, the const labels (the
/// scope's, then the group's) and the group's start-up configuration.
#[derive(Clone, Debug)]
pub struct BuildContext {
    pub(crate) name_prefix: String,
    pub(crate) const_labels: Vec<(String, String)>,
    /// The group's declared prefix, which a configured one replaces.
    declared_prefix: &'static str,
    config: Resolved,
    /// Names differ from the declaration checked at compile time (a prefix
    /// configured here or in an enclosing group): the build checks them.
    check_names: bool,
    /// The group's declared `max_label_len`.
    declared_max_label_len: Option<usize>,
}

impl BuildContext {
    /// The context of `group` below `name_prefix` (a scope's), with the
    /// scope's labels then the group's const labels with the given values,
    /// configured by `config`.
    pub(crate) fn new(
        name_prefix: String,
        mut const_labels: Vec<(String, String)>,
        group: &GroupDescriptor,
        values: Vec<String>,
        config: Resolved,
    ) -> Self {
        let names = group.const_labels.iter().map(|name| (*name).to_owned());
        const_labels.extend(names.zip(values));
        BuildContext {
            name_prefix,
            const_labels,
            declared_prefix: group.prefix,
            check_names: config.renames(),
            config,
            declared_max_label_len: group.max_label_len,
        }
    }

    /// The context of the group flattened into this context's group: its
    /// names below this group's prefix, with this group's const labels.
    ///
    /// # Errors
    ///
    /// The flattened group's own configuration (an `env(...)` prefix) is
    /// invalid.
    pub fn flattened(&self, inner: &GroupDescriptor) -> Result<BuildContext, Error> {
        let prefix = self
            .config
            .prefix
            .as_deref()
            .unwrap_or(self.declared_prefix);
        let mut name_prefix = self.name_prefix.clone();
        if !prefix.is_empty() {
            name_prefix.push_str(prefix);
            name_prefix.push('_');
        }
        let config = GroupConfig::default().resolve(inner)?;
        Ok(BuildContext {
            name_prefix,
            const_labels: self.const_labels.clone(),
            declared_prefix: inner.prefix,
            check_names: self.check_names || config.renames(),
            config,
            declared_max_label_len: inner.max_label_len.or(self.declared_max_label_len),
        })
    }

    /// The metric's name as exposed: the scope's prefix, then its own (with
    /// the configured prefix in place of the declared one).
    #[must_use]
    pub fn full_name(&self, metric: &MetricDescriptor) -> String {
        match &self.config.prefix {
            Some(prefix) => {
                let name = renamed(self.declared_prefix, prefix, metric.name);
                format!("{}{name}", self.name_prefix)
            }
            None => format!("{}{}", self.name_prefix, metric.name),
        }
    }

    /// The histogram bounds: configured, else declared (`check` has
    /// refused bounds that break a rule).
    pub(crate) fn bounds(&self, metric: &MetricDescriptor) -> Option<Vec<f64>> {
        match configured_buckets(&self.config.buckets, metric) {
            Some(configured) => configured.as_ref().ok().cloned(),
            None => metric.buckets.and_then(|buckets| buckets.bounds().ok()),
        }
    }

    /// The family's limits: configured, else declared, else the defaults
    /// of [`limits`](crate::limits).
    pub(crate) fn limits(&self, metric: &MetricDescriptor) -> Limits {
        let max_series = (self.config.max_series.iter()).find(|(field, _)| *field == metric.field);
        let expire_after =
            (self.config.expire_after.iter()).find(|(field, _)| *field == metric.field);
        Limits {
            max_series: max_series.map(|(_, max)| *max).or(metric.max_series),
            max_label_len: (self.config.max_label_len)
                .or(self.declared_max_label_len)
                .unwrap_or(DEFAULT_MAX_LABEL_LEN),
            expire_after: expire_after
                .map(|(_, after)| *after)
                .or(metric.expire_after),
        }
    }

    /// The limits of a `*Vec` family, checked as `Family`'s are.
    fn vec_limits(&self, metric: &MetricDescriptor) -> Result<collision::VecLimits, Error> {
        let limits = self.limits(metric);
        let max_series = limits.budget(None).map_err(|reason| Error::Create {
            metric: self.full_name(metric),
            source: prometheus::Error::Msg(reason),
        })?;
        Ok(collision::VecLimits {
            max_series,
            max_label_len: limits.max_label_len,
            expire_after: limits.expire_after.map(crate::clock::ticks),
        })
    }

    fn opts(&self, metric: &MetricDescriptor) -> Opts {
        Opts::new(self.full_name(metric), metric.help)
            .const_labels(self.const_labels.iter().cloned().collect())
    }

    fn histogram_opts(&self, metric: &MetricDescriptor) -> HistogramOpts {
        let opts = HistogramOpts::from(self.opts(metric));
        match self.bounds(metric) {
            Some(bounds) => opts.buckets(bounds),
            None => opts,
        }
    }

    /// What the derive could not judge: the bounds a bucket constant's
    /// specification computes or configured at start-up, and names with a
    /// configured prefix, by the rules the derive applies to declared ones.
    /// Records the metric's declared unit for OpenMetrics (`units.rs`).
    pub(crate) fn check(&self, metric: &MetricDescriptor) -> Result<(), Error> {
        if let Some(unit) = metric.unit {
            units::declare(metric.name, unit);
            // Also below the declared prefix, which a configured one may
            // replace.
            let below_prefix = (metric.name.strip_prefix(self.declared_prefix))
                .and_then(|rest| rest.strip_prefix('_'))
                .filter(|rest| !self.declared_prefix.is_empty() && !rest.is_empty());
            if let Some(rest) = below_prefix {
                units::declare(rest, unit);
            }
        }
        let invalid_buckets = |reason: String| Error::InvalidBuckets {
            metric: self.full_name(metric),
            reason,
        };
        let bounds = match configured_buckets(&self.config.buckets, metric) {
            Some(configured) => Some(configured.clone()),
            None => metric
                .buckets
                .map(|buckets| buckets.bounds().map_err(|e| e.to_string())),
        };
        if let Some(bounds) = bounds {
            let bounds = bounds.map_err(invalid_buckets)?;
            check_bounds(&bounds).map_err(|e| invalid_buckets(e.to_string()))?;
        }
        if self.check_names {
            self.check_name(metric)?;
        }
        Ok(())
    }

    fn check_name(&self, metric: &MetricDescriptor) -> Result<(), Error> {
        let name = self.full_name(metric);
        let invalid = |rule: String| Error::InvalidMetricName {
            metric: name.clone(),
            rule,
        };
        let valid = match metric.kind {
            MetricKind::Histogram => metric_group_rules::check_histogram_name(&name),
            _ => metric_group_rules::check_metric_name(&name),
        };
        if let Err(error) = valid {
            return Err(invalid(error.to_string()));
        }
        let labels: Vec<&str> = (self.const_labels.iter().map(|(label, _)| label.as_str()))
            .chain(metric.labels.iter().copied())
            .collect();
        let allowed: LintSet = metric.allowed_lints.iter().copied().collect();
        let lints = metric_group_rules::lint_metric(&name, metric.kind, &labels).without(allowed);
        match lints.iter().next() {
            Some(lint) => Err(invalid(format!(
                "promtool lint `{}`: {} (allow it in the declaration if it is deliberate)",
                lint.key(),
                lint.description()
            ))),
            None => Ok(()),
        }
    }
}

/// A prometheus metric type a group field can hold.
pub trait BuildMetric: Collector + Clone + Sized + 'static {
    /// The collector for `metric` in this context.
    ///
    /// # Errors
    ///
    /// The metric's name, labels or buckets as configured break a rule, or
    /// prometheus refuses to create the collector.
    fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error>;

    /// Records `value` into an unlabelled histogram field, refusing what
    /// [`observation`] refuses: the generated `observe_<field>`, which the
    /// derive writes for histograms only. Through this trait, a field of
    /// another type is one error (this trait not implemented), not one per
    /// helper.
    ///
    /// # Errors
    ///
    /// As [`observation`].
    #[doc(hidden)]
    fn observe_checked(&self, value: f64) -> Result<(), Error> {
        observation(self, value).map(|_| ())
    }

    /// Records `value`, known finite, into an unlabelled histogram field
    /// (`observe_in_unit`).
    #[doc(hidden)]
    fn observe_finite(&self, value: f64) {
        let _ = self.observe_checked(value);
    }

    /// Records `value` with `exemplar` into an unlabelled histogram field:
    /// the generated `observe_<field>_with_exemplar`, which the derive
    /// writes for histograms only (`ObserveExemplar`).
    ///
    /// # Errors
    ///
    /// As `ObserveExemplar::observe_with_exemplar`; for another metric
    /// type, [`Error::InvalidExemplar`] (it keeps none).
    #[doc(hidden)]
    fn observe_exemplar_checked(
        &self,
        value: f64,
        exemplar: &crate::Exemplar<'_>,
    ) -> Result<(), Error> {
        let _ = (value, exemplar);
        Err(Error::InvalidExemplar {
            metric: family_name(self),
            reason: "only histograms keep exemplars".to_owned(),
        })
    }

    /// Adds `delta` with `exemplar` to an unlabelled counter field: the
    /// generated `inc_by_<field>_with_exemplar` (`IncExemplar`), through
    /// this trait so that a field of a foreign type is one error.
    ///
    /// # Errors
    ///
    /// As `IncExemplar::inc_by_with_exemplar`; for another metric type, or
    /// a delta of the other kind, [`Error::InvalidExemplar`].
    #[doc(hidden)]
    fn inc_exemplar_checked(
        &self,
        delta: CounterDelta,
        exemplar: &crate::Exemplar<'_>,
    ) -> Result<(), Error> {
        let _ = (delta, exemplar);
        Err(Error::InvalidExemplar {
            metric: family_name(self),
            reason: format!("a counter of this kind does not add {delta:?}"),
        })
    }

    /// How the group registers an unlabelled field: a clone of it (for a
    /// `Histogram`, `IntCounter` or `Counter`, one whose OpenMetrics
    /// scrapes show its exemplars).
    #[doc(hidden)]
    fn collector(&self) -> Box<dyn Collector> {
        Box::new(self.clone())
    }

    /// Drops what the runtime keeps about an unlabelled field (the
    /// exemplars of a `Histogram`, `IntCounter` or `Counter`): the group's
    /// `Drop` calls it.
    #[doc(hidden)]
    fn forget(&self) {}
}

fn created<T>(
    context: &BuildContext,
    metric: &MetricDescriptor,
    result: prometheus::Result<T>,
) -> Result<T, Error> {
    result.map_err(|source| Error::Create {
        metric: context.full_name(metric),
        source,
    })
}

macro_rules! build_plain {
    ($($ty:ty => $opts:ident $({ $($extra:tt)* })?),* $(,)?) => {$(
        impl BuildMetric for $ty {
            fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
                context.check(metric)?;
                created(context, metric, <$ty>::with_opts(context.$opts(metric)))
            }
            $($($extra)*)?
        }
    )*};
}

macro_rules! build_vec {
    ($($ty:ty => $opts:ident),* $(,)?) => {$(
        impl BuildMetric for $ty {
            fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
                context.check(metric)?;
                let family = created(context, metric, <$ty>::new(context.$opts(metric), metric.labels))?;
                collision::track(&family, context.vec_limits(metric)?);
                Ok(family)
            }
        }
    )*};
}

/// What an unlabelled counter field's `inc_by_<field>_with_exemplar` adds
/// (`BuildMetric::inc_exemplar_checked`): the derive picks the variant by
/// the field's type.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum CounterDelta {
    /// An `IntCounter`'s.
    Int(u64),
    /// A `Counter`'s.
    Float(f64),
}

/// The generated `observe_<field>` of an unlabelled histogram with a time
/// unit: `value` brought to the unit, then checked, unless its type is
/// always finite (a `Duration`): then the helper's `Ok` is a constant, and a
/// caller that ignores it (`let _ = ...`) drops no `Result` at run time. The
/// drop of an `Err` it cannot see through cost the router's
/// `RoutingOverheadMetrics::observe` 19 instructions a histogram
/// (BENCHMARKS.md, "Instruction counts").
///
/// # Errors
///
/// As [`BuildMetric::observe_checked`], for an `f64`.
#[inline]
pub fn observe_in_unit<M: BuildMetric, O: Observation>(
    metric: &M,
    value: O,
    per_second: f64,
) -> Result<(), Error> {
    let value = value.in_unit(per_second);
    if O::ALWAYS_FINITE {
        metric.observe_finite(value);
        Ok(())
    } else {
        metric.observe_checked(value)
    }
}

/// The collector and the end of a plain field whose exemplars the runtime
/// keeps beside it (`prom_exemplars`): a `Histogram`, `IntCounter` or
/// `Counter`.
macro_rules! keeps_exemplars {
    () => {
        fn collector(&self) -> Box<dyn Collector> {
            crate::prom_exemplars::exemplar_collector(self)
        }

        fn forget(&self) {
            collision::forget_series(self);
        }
    };
}

/// A plain counter field's exemplars: kept beside it, and added to with
/// the delta of its own kind (`$kind`, a `CounterDelta` variant).
macro_rules! counter_exemplars {
    ($kind:ident) => {
        keeps_exemplars!();

        #[inline]
        fn inc_exemplar_checked(
            &self,
            delta: CounterDelta,
            exemplar: &crate::Exemplar<'_>,
        ) -> Result<(), Error> {
            match delta {
                CounterDelta::$kind(delta) => {
                    crate::IncExemplar::inc_by_with_exemplar(self, delta, exemplar)
                }
                other => Err(Error::InvalidExemplar {
                    metric: family_name(self),
                    reason: format!("this counter does not add {other:?}"),
                }),
            }
        }
    };
}

build_plain!(
    IntCounter => opts { counter_exemplars!(Int); },
    Counter => opts { counter_exemplars!(Float); },
    IntGauge => opts,
    Gauge => opts,
    Histogram => histogram_opts {
        // Inline: out of line, the call and its `Result` cost the router's
        // `RoutingOverheadMetrics::observe` (five of them) 29% more
        // instructions than hand-written code (BENCHMARKS.md, "Instruction
        // counts").
        #[inline]
        fn observe_checked(&self, value: f64) -> Result<(), Error> {
            self.observe(observation(self, value)?);
            Ok(())
        }

        #[inline]
        fn observe_finite(&self, value: f64) {
            self.observe(value);
        }

        #[inline]
        fn observe_exemplar_checked(
            &self,
            value: f64,
            exemplar: &crate::Exemplar<'_>,
        ) -> Result<(), Error> {
            crate::ObserveExemplar::observe_with_exemplar(self, value, exemplar)
        }

        keeps_exemplars!();
    },
);
build_vec!(
    IntCounterVec => opts,
    CounterVec => opts,
    IntGaugeVec => opts,
    GaugeVec => opts,
    HistogramVec => histogram_opts,
);
