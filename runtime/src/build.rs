//! Building collectors from descriptors. The derive emits one call per field;
//! everything the calls share lives here, so generated code stays small.

use prometheus::core::{Collector, Metric, MetricVec, MetricVecBuilder};
use prometheus::{
    Counter, CounterVec, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter,
    IntCounterVec, IntGauge, IntGaugeVec, Opts,
};

use crate::descriptor::{GroupDescriptor, MetricDescriptor};
use crate::labels::{LabelBuffer, LabelValue};
use crate::prom::family_name;
use crate::{collision, Error};

/// What a group's collectors are built with: the prefix its scope puts in
/// front of every name and the const labels (the scope's, then the group's).
#[derive(Clone, Debug, Default)]
pub struct BuildContext {
    pub(crate) name_prefix: String,
    pub(crate) const_labels: Vec<(String, String)>,
}

impl BuildContext {
    /// A group registered on a caller's registry: no prefix beyond its own,
    /// and the group's const labels with the given values, in order.
    pub fn registry(group: &GroupDescriptor, values: Vec<String>) -> Self {
        Self::scoped(String::new(), Vec::new(), group, values)
    }

    /// A group created in a scope: the scope's name prefix, the scope's
    /// labels, then the group's const labels with the given values.
    pub(crate) fn scoped(
        name_prefix: String,
        mut const_labels: Vec<(String, String)>,
        group: &GroupDescriptor,
        values: Vec<String>,
    ) -> Self {
        let names = group.const_labels.iter().map(|name| (*name).to_owned());
        const_labels.extend(names.zip(values));
        BuildContext {
            name_prefix,
            const_labels,
        }
    }

    /// The metric's name as exposed: the scope's prefix, then its own.
    pub fn full_name(&self, metric: &MetricDescriptor) -> String {
        format!("{}{}", self.name_prefix, metric.name)
    }

    fn opts(&self, metric: &MetricDescriptor) -> Opts {
        Opts::new(self.full_name(metric), metric.help)
            .const_labels(self.const_labels.iter().cloned().collect())
    }

    fn histogram_opts(&self, metric: &MetricDescriptor) -> HistogramOpts {
        let opts = HistogramOpts::from(self.opts(metric));
        match metric.buckets {
            Some(bounds) => opts.buckets(bounds.to_vec()),
            None => opts,
        }
    }
}

/// A prometheus metric type a group field can hold.
pub trait BuildMetric: Collector + Clone + Sized + 'static {
    /// The collector for `metric` in this context.
    fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error>;
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

/// Bounds the derive could not fold (a `&[f64]` constant) are judged here by
/// the rules the derive applies to literal bounds.
pub(crate) fn check_buckets(
    context: &BuildContext,
    metric: &MetricDescriptor,
) -> Result<(), Error> {
    match metric.buckets.map(metric_group_rules::validate_bounds) {
        Some(Err(reason)) => Err(Error::InvalidBuckets {
            metric: context.full_name(metric),
            reason: reason.to_string(),
        }),
        _ => Ok(()),
    }
}

macro_rules! build_plain {
    ($($ty:ty => $opts:ident),* $(,)?) => {$(
        impl BuildMetric for $ty {
            fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
                check_buckets(context, metric)?;
                created(context, metric, <$ty>::with_opts(context.$opts(metric)))
            }
        }
    )*};
}

macro_rules! build_vec {
    ($($ty:ty => $opts:ident),* $(,)?) => {$(
        impl BuildMetric for $ty {
            fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
                check_buckets(context, metric)?;
                let family = created(context, metric, <$ty>::new(context.$opts(metric), metric.labels))?;
                collision::track(&family);
                Ok(family)
            }
        }
    )*};
}

build_plain!(IntCounter => opts, Counter => opts, IntGauge => opts, Gauge => opts, Histogram => histogram_opts);
build_vec!(
    IntCounterVec => opts,
    CounterVec => opts,
    IntGaugeVec => opts,
    GaugeVec => opts,
    HistogramVec => histogram_opts,
);

/// A labelled metric family (`*Vec`): what the generated helpers resolve
/// label values against.
pub trait Labelled: Collector + Sized {
    /// One series of the family.
    type Child: Metric + Collector + Clone + Send + Sync + 'static;
    /// The series for these label values, created if absent.
    fn child(&self, values: &[&str]) -> prometheus::Result<Self::Child>;
    /// Removes the series for these label values; whether there was one.
    fn remove_child(&self, values: &[&str]) -> bool;
}

impl<T: MetricVecBuilder> Labelled for MetricVec<T>
where
    T::M: Collector + Clone + 'static,
{
    type Child = T::M;

    #[inline]
    fn child(&self, values: &[&str]) -> prometheus::Result<T::M> {
        self.get_metric_with_label_values(values)
    }

    fn remove_child(&self, values: &[&str]) -> bool {
        self.remove_label_values(values).is_ok()
    }
}

/// Formats typed label values on the stack and hands them to `f` as `&str`s.
#[inline]
fn with_label_strs<const N: usize, R>(
    values: [&dyn LabelValue; N],
    f: impl FnOnce(&[&str]) -> R,
) -> R {
    let mut buffers: [LabelBuffer; N] = [LabelBuffer::new(); N];
    let mut strs: [&str; N] = [""; N];
    for ((slot, value), buffer) in strs.iter_mut().zip(values).zip(buffers.iter_mut()) {
        *slot = value.label_str(buffer);
    }
    f(&strs)
}

/// The child series of `family` for these label values; an error if
/// prometheus hands out a series holding other label values
/// (`collision`'s module doc says how that is known).
#[inline]
pub fn series<V: Labelled, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
) -> Result<V::Child, Error> {
    with_label_strs(values, |strs| {
        let child = family.child(strs).map_err(|source| Error::Labels {
            metric: family_name(family),
            source,
        })?;
        collision::admit(family, &child, strs)?;
        Ok(child)
    })
}

/// Removes the child series for these label values; whether there was one
/// (a series holding other label values is left alone).
pub fn remove_series<V: Labelled, const N: usize>(
    family: &V,
    values: [&dyn LabelValue; N],
) -> bool {
    with_label_strs(values, |strs| collision::remove(family, strs))
}

/// `value` if a histogram may record it: not NaN, which would make the
/// series' `_sum` NaN from then on. `+Inf` (and `-Inf`) are values a
/// histogram can hold; they are recorded.
#[inline]
pub fn observation<C: Collector>(family: &C, value: f64) -> Result<f64, Error> {
    if value.is_nan() {
        return Err(invalid_value(
            family,
            value,
            "NaN would make the series' sum NaN for good",
        ));
    }
    Ok(value)
}

#[cold]
#[inline(never)]
fn invalid_value(family: &dyn Collector, value: f64, reason: &'static str) -> Error {
    Error::InvalidValue {
        metric: family_name(family),
        value,
        reason,
    }
}
