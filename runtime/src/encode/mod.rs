//! The text exposition format, written straight into one buffer.
//!
//! Every exposition of the library goes through [`Exposition`] here: a
//! registry ([`encode`]), the registries of a scope hierarchy
//! (`Scope::encode_text`), or families already gathered ([`encode_text`]).
//! The output is byte for byte what prometheus' `TextEncoder` writes for the
//! same families, merged and sorted as `Scope::gather` merges them: families
//! by name, series by their label pairs.
//!
//! A [`Family`](crate::Family) does not build prometheus' protobuf structures
//! for a scrape. While a registry is gathered here, each family's
//! `Collector::collect` hands the family itself to this module ([`capture`])
//! and gives the registry one placeholder series, so the registry still
//! applies its own prefix and labels and still merges families by name; the
//! family's series are then written from its values. Other collectors'
//! series are written from the protobuf structures they return.
//!
//! Each series' labels are written once, escaped, into a label-text arena
//! (one allocation per family, not per series; `sink`), the series are
//! sorted by their label values (a radix sort on an 8-byte prefix; `write`),
//! and copied out. A family read alone keeps its sorted order until its
//! series change (`order`). Merging registries is one map insertion per family and
//! one sort per family: linear in the series, up to the sort.
//!
//! - `capture`: the families handed over during a gather;
//! - `sink`: what series are written into, and the small writers (escaping,
//!   sort keys, values);
//! - `order`: a family's scrape order, kept between scrapes;
//! - `write`: one family, sorted, deduplicated across registries, written;
//! - `proto`: prometheus' protobuf series, read and built.

mod capture;
mod order;
mod proto;
mod sink;
mod write;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use prometheus::proto::{self as pb, MetricFamily, MetricType};
use prometheus::Registry;

use crate::gather::check_agreement;
use crate::Error;

pub(crate) use capture::{
    capture, capture_with_exemplars, capturing, note_vec_counts, DirectFamily,
};
use capture::{gather_capturing, Captured, PLACEHOLDER_LABEL};
pub(crate) use order::ScrapeOrder;
pub(crate) use proto::proto_metric;
pub(crate) use sink::SeriesSink;

/// The text exposition of every metric of `registry`, as prometheus'
/// `TextEncoder` writes `registry.gather()`, without building protobuf
/// structures for the library's own families.
///
/// ```
/// use metric_group::prometheus::{IntGauge, Registry};
/// use metric_group::{Family, LabelSet, MetricGroup};
///
/// #[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
/// struct Worker { worker_id: u64 }
///
/// #[derive(MetricGroup)]
/// #[metric_group(prefix = "pool")]
/// struct PoolMetrics {
///     /// Requests waiting per worker
///     queued: Family<Worker, IntGauge>,
/// }
///
/// let registry = Registry::new();
/// let pool = PoolMetrics::init(&registry)?;
/// pool.set_queued(&Worker { worker_id: 3 }, 2)?;
/// let text = metric_group::encode(&registry)?;
/// assert!(text.ends_with("pool_queued{worker_id=\"3\"} 2\n"));
/// # Ok::<(), metric_group::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::DuplicateLabel`] when a collector registered by hand gives a
/// series one label name twice (Prometheus would refuse the scrape).
pub fn encode(registry: &Registry) -> Result<String, Error> {
    encode_registries(std::slice::from_ref(registry), Format::Text)
}

/// The exposition of every metric of `registry` in the OpenMetrics text
/// format 1.0 (content type
/// `application/openmetrics-text; version=1.0.0; charset=utf-8`), from the
/// same families, sorted the same way, as [`encode`]:
///
/// - a counter's family is named without `_total` in `# TYPE` and
///   `# HELP`, and its samples with it (a counter registered by hand under
///   a name without `_total` gets it on its samples);
/// - `# UNIT` for a metric declared with a `unit` that its name carries
///   (`latency_seconds`, `unit = "seconds"`);
/// - an untyped family is `unknown`; bucket bounds and quantiles are
///   written as floats (`le="1.0"`), infinities and NaN as `+Inf`, `-Inf`,
///   `NaN`, timestamps in seconds;
/// - no `_created` samples: the library does not keep series' creation
///   times;
/// - a `_sum` that is NaN or negative (a histogram that observed negative
///   values), or any `_sum` of a histogram with a negative bucket
///   threshold, is left out, with its `_count` (both are optional; the
///   `+Inf` bucket holds the count);
/// - the exposition ends with `# EOF`.
///
/// ```
/// use metric_group::prometheus::Registry;
/// use metric_group::MetricGroup;
///
/// #[derive(MetricGroup)]
/// #[metric_group(prefix = "shop")]
/// struct Shop {
///     /// Orders taken
///     #[metric(name = "orders_total")]
///     orders: metric_group::prometheus::IntCounter,
/// }
///
/// let registry = Registry::new();
/// let shop = Shop::init(&registry)?;
/// shop.orders.inc();
/// let text = metric_group::encode_openmetrics(&registry)?;
/// assert_eq!(
///     text,
///     "# TYPE shop_orders counter\n# HELP shop_orders Orders taken\nshop_orders_total 1\n# EOF\n"
/// );
/// # Ok::<(), metric_group::Error>(())
/// ```
///
/// # Errors
///
/// As [`encode`]; and [`Error::OpenMetrics`] naming the metric when two
/// families would share one OpenMetrics name (a counter `x_total` and
/// another family `x`), or when a collector registered by hand gives a
/// counter, a bucket or a count that is NaN or negative, or a quantile that
/// is negative (OpenMetrics refuses them). A histogram's or summary's
/// `_sum` that is NaN or negative, and a histogram's with a negative
/// bucket threshold, is left out with its `_count` (OpenMetrics makes both
/// optional and refuses those sums).
pub fn encode_openmetrics(registry: &Registry) -> Result<String, Error> {
    encode_registries(std::slice::from_ref(registry), Format::OpenMetrics)
}

/// The two text formats an exposition is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Prometheus' text format 0.0.4, as prometheus' `TextEncoder` writes.
    Text,
    /// OpenMetrics text 1.0 ([`encode_openmetrics`]).
    OpenMetrics,
}

/// [`encode`] over several registries merged (a scope hierarchy's levels):
/// a family seen in two must agree on help and type, and a series seen in
/// two is written once if identical and refused otherwise.
pub(crate) fn encode_registries(registries: &[Registry], format: Format) -> Result<String, Error> {
    let start = std::time::Instant::now();
    let mut exposition = Exposition::default();
    let mut vec_counts = Vec::new();
    for (index, registry) in registries.iter().enumerate() {
        let (families, captured) = gather_capturing(registry);
        vec_counts.extend(capture::take_vec_counts());
        exposition.add_gathered(index, families, &captured)?;
    }
    let observer = SCRAPE_OBSERVER.get();
    if let Some(observer) = observer {
        exposition.report(observer, &vec_counts);
    }
    let out = exposition.write(format)?;
    if let Some(observer) = observer {
        (observer.scraped)(start.elapsed(), out.len());
    }
    Ok(out)
}

/// What a scrape learned of one family, for the self-metrics.
pub(crate) struct FamilyFigures<'a> {
    pub name: &'a str,
    pub series: usize,
    pub overflowed: u64,
    pub expired: u64,
}

/// Who hears of each scrape: the self-metrics, once enabled
/// ([`observe_scrapes`]). Installed from above, so the encoder imports
/// nothing of the self-metrics (which are a group of families, which the
/// encoder writes).
pub(crate) struct ScrapeObserver {
    /// Called with the families of a scrape, before it is written.
    pub families: fn(&mut dyn Iterator<Item = FamilyFigures<'_>>),
    /// Called once an exposition is written: how long the scrape took and
    /// the exposition's size.
    pub scraped: fn(std::time::Duration, usize),
}

static SCRAPE_OBSERVER: std::sync::OnceLock<ScrapeObserver> = std::sync::OnceLock::new();

/// Has every later scrape reported to `observer` (the first observer
/// installed stays).
pub(crate) fn observe_scrapes(observer: ScrapeObserver) {
    let _ = SCRAPE_OBSERVER.set(observer);
}

/// Families in the text exposition format, as prometheus' `TextEncoder`
/// writes them; a series carrying one label name twice is refused.
///
/// # Errors
///
/// [`Error::DuplicateLabel`] for such a series, [`Error::Encode`] for a
/// family without series or without a name (prometheus refuses both).
pub fn encode_text(families: &[MetricFamily]) -> Result<String, Error> {
    let mut out = String::new();
    for family in families {
        if family.get_metric().is_empty() || family.name().is_empty() {
            return Err(Error::Encode {
                source: prometheus::Error::Msg(format!(
                    "family `{}` has no name or no series",
                    family.name()
                )),
            });
        }
        let mut pending = Pending::new(family);
        pending.sources.push(Source::Proto {
            registry: 0,
            family: Cow::Borrowed(family),
        });
        // As prometheus writes them: in the order given.
        pending.write(&mut out, false, Format::Text)?;
    }
    Ok(out)
}

/// Where a family's series come from.
enum Source<'a> {
    /// Series a collector returned as protobuf structures.
    Proto {
        registry: usize,
        family: Cow<'a, MetricFamily>,
    },
    /// A family read directly, with the labels its registry appends.
    Direct {
        registry: usize,
        family: Arc<dyn DirectFamily>,
        extra: Vec<(String, String)>,
    },
}

impl Source<'_> {
    fn registry(&self) -> usize {
        match self {
            Source::Proto { registry, .. } | Source::Direct { registry, .. } => *registry,
        }
    }
}

/// One family name's sources, merged from every registry.
struct Pending<'a> {
    name: String,
    /// The name and an opening brace, as most samples start.
    opened: String,
    help: String,
    kind: MetricType,
    sources: Vec<Source<'a>>,
}

impl Pending<'_> {
    fn new(family: &MetricFamily) -> Self {
        Pending {
            name: family.name().to_owned(),
            opened: format!("{}{{", family.name()),
            help: family.help().to_owned(),
            kind: family.get_field_type(),
            sources: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Exposition {
    families: BTreeMap<String, Pending<'static>>,
}

impl Exposition {
    fn add_gathered(
        &mut self,
        registry: usize,
        families: Vec<MetricFamily>,
        captured: &Captured,
    ) -> Result<(), Error> {
        for mut family in families {
            let pending = match self.families.get_mut(family.name()) {
                Some(pending) => {
                    check_agreement(&pending.help, pending.kind, &family)?;
                    pending
                }
                None => self
                    .families
                    .entry(family.name().to_owned())
                    .or_insert_with(|| Pending::new(&family)),
            };
            let mut plain = Vec::new();
            for mut metric in family.take_metric() {
                match placeholder(&metric).and_then(|i| captured.get(i)) {
                    Some(direct) => {
                        let extra = metric
                            .take_label()
                            .into_iter()
                            .skip(1)
                            .map(|pair| (pair.name().to_owned(), pair.value().to_owned()))
                            .collect();
                        pending.sources.push(Source::Direct {
                            registry,
                            family: direct.clone(),
                            extra,
                        });
                    }
                    None => plain.push(metric),
                }
            }
            if !plain.is_empty() {
                family.set_metric(plain);
                pending.sources.push(Source::Proto {
                    registry,
                    family: Cow::Owned(family),
                });
            }
        }
        Ok(())
    }

    /// Hands the self-metrics each family's series, overflow and expiry
    /// figures (`vec_counts`: what `*Vec` families noted while gathered).
    fn report(&self, observer: &ScrapeObserver, vec_counts: &[(String, u64, u64)]) {
        let mut figures = self.families.values().map(|pending| {
            let (mut series, mut overflowed, mut expired) = (0, 0, 0);
            for source in &pending.sources {
                match source {
                    Source::Direct { family, .. } => {
                        series += family.len_hint();
                        let (o, e) = family.limit_counts();
                        overflowed += o;
                        expired += e;
                    }
                    Source::Proto { family, .. } => series += family.get_metric().len(),
                }
            }
            for (_, o, e) in vec_counts.iter().filter(|(name, ..)| *name == pending.name) {
                overflowed += o;
                expired += e;
            }
            FamilyFigures {
                name: &pending.name,
                series,
                overflowed,
                expired,
            }
        });
        (observer.families)(&mut figures);
    }

    fn write(self, format: Format) -> Result<String, Error> {
        let mut out = String::new();
        // OpenMetrics names a counter's family without `_total`, which may
        // give two families one name.
        let mut openmetrics_names = std::collections::HashSet::new();
        for pending in self.families.into_values() {
            if format == Format::OpenMetrics {
                let family = pending.openmetrics_family().to_owned();
                if !openmetrics_names.insert(family.clone()) {
                    return Err(Error::OpenMetrics {
                        metric: pending.name.clone(),
                        reason: format!(
                            "another family is also named `{family}` there (a counter's family is named without `_total`)"
                        ),
                    });
                }
            }
            pending.write(&mut out, true, format)?;
        }
        if format == Format::OpenMetrics {
            out.push_str("# EOF\n");
        }
        Ok(out)
    }
}

/// The index of the captured family a placeholder series stands for.
fn placeholder(metric: &pb::Metric) -> Option<usize> {
    let first = metric.get_label().first()?;
    if first.name() == PLACEHOLDER_LABEL {
        first.value().parse().ok()
    } else {
        None
    }
}
