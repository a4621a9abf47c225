//! Typed metric families: series keyed by a typed label set, their values
//! held by the family itself.
//!
//! prometheus' `*Vec` types format every label value into a string and hash
//! the strings on every observe, and key children by that hash alone (two
//! label sets with the same hash share one series). A [`Family`] keys series
//! by the label set itself, compares keys in full, and resolves a warm label
//! set without formatting or allocating. Each series is one allocation: its
//! typed label set beside its value ([`series`](crate::series)'s atomics),
//! with no per-series descriptor, label strings or prometheus metric.
//!
//! - Label sets whose every label has a fixed set of values (enums, `bool`)
//!   index an array of slots directly. A slot's series is created once and
//!   kept for the family's life (the slots are bounded by the label set's
//!   cardinality); a lookup is two atomic loads and takes no lock. Removing
//!   such a series hides it from scrapes and keeps its value: the next write
//!   through the family shows it again, counting on from where it was (so
//!   a removal racing a write loses nothing, and a counter never goes back).
//! - Other label sets live in [`SHARDS`] shards picked by the label set's
//!   seeded hash (computed once by [`Prepared`] for every family the set is
//!   resolved in; the design of metrics-util's registry). Each shard is an
//!   open-addressing table that readers probe under a crossbeam-epoch guard,
//!   without a lock and without writing anything shared; writers (new
//!   series, removals) take the shard's mutex (`raw/shard.rs`, in the runtime's one
//!   module with `unsafe` code). A removed series is freed when the readers
//!   that could still see it have unpinned and the last [`Series`] handle to
//!   it is dropped.
//!
//! Scrapes read the values directly: the family implements prometheus'
//! `Collector` (so a plain `Registry::gather()` sees it) and, through
//! [`crate::encode`], writes its series straight into the exposition.
//! No `unsafe` here.

use std::fmt;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use prometheus::core::{Collector, Desc};
use prometheus::proto::{self, MetricFamily, MetricType};

use crate::build::{BuildContext, BuildMetric};
use crate::clock::{self, ClockUser};
use crate::descriptor::MetricDescriptor;
use crate::encode::{DirectFamily, ScrapeOrder, SeriesSink};
use crate::labels::{hash_label_set, LabelBuffer, LabelSet};
use crate::limits::{Limits, OVERFLOW_LABEL};
use crate::raw::shard::{Node, Shard};
use crate::series::{FamilyMetric, SeriesValue};
use crate::Error;
use metric_group_rules::{check_bounds, check_label_name, LabelPlace};

/// Label length limits from which plain label values go unmeasured (see
/// `Family::too_long`).
const PLAIN_UNMEASURED_FROM: usize = 64;

/// Largest fixed cardinality indexed directly; larger ones are hashed.
const DIRECT_LIMIT: usize = 4096;

/// Shards of a hashed family: writers to different shards never wait for
/// each other; readers never wait.
pub const SHARDS: usize = 16;

/// A label set with its hash, to resolve it in several families (every
/// family of `L` hashes alike) for the price of one hash.
///
/// ```
/// # use metric_group::prometheus::IntGauge;
/// # use metric_group::{Family, LabelSet, Prepared};
/// #[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
/// struct Worker { worker_id: u64 }
///
/// let blocks = Family::<Worker, IntGauge>::new("blocks".into(), "Blocks".into(), vec![], None)?;
/// let tokens = Family::<Worker, IntGauge>::new("tokens".into(), "Tokens".into(), vec![], None)?;
/// let worker = Worker { worker_id: 7 };
/// let prepared = Prepared::new(&worker); // hashed once
/// blocks.with_prepared(&prepared, |gauge| gauge.set(3))?;
/// tokens.with_prepared(&prepared, |gauge| gauge.set(120))?;
/// assert_eq!(tokens.get_or_create(&worker)?.get(), 120);
/// # Ok::<(), metric_group::Error>(())
/// ```
///
/// For a hashed label set it also pins a crossbeam-epoch guard, once for
/// every family it is resolved in (see `raw/shard.rs`); removed series are
/// freed only after it is dropped, so keep it short-lived, as above. The
/// guard belongs to its thread: a `Prepared` is neither `Send` nor `Sync`.
#[derive(Debug)]
pub struct Prepared<'a, L> {
    labels: &'a L,
    hash: u64,
    /// Pinned for hashed label sets; `None` for directly indexed ones.
    guard: Option<crossbeam_epoch::Guard>,
}

impl<'a, L: LabelSet> Prepared<'a, L> {
    /// Hashes `labels` once (and pins, for a hashed label set).
    #[inline]
    pub fn new(labels: &'a L) -> Self {
        // Directly indexed label sets need no hash and no guard.
        if direct::<L>().is_some() {
            Prepared {
                labels,
                hash: 0,
                guard: None,
            }
        } else {
            Prepared {
                labels,
                hash: hash_label_set(labels),
                guard: Some(crossbeam_epoch::pin()),
            }
        }
    }
}

/// The number of slots of a directly indexed label set type.
#[inline]
const fn direct<L: LabelSet>() -> Option<usize> {
    match L::CARDINALITY {
        Some(n) if n <= DIRECT_LIMIT => Some(n),
        _ => None,
    }
}

/// Names the series handle type of a `Family` field's type, for generated
/// signatures.
pub trait FamilyChild {
    /// The handle to one series.
    type Child;
}

impl<L: LabelSet, M: FamilyMetric> FamilyChild for Family<L, M> {
    type Child = Series<L, M>;
}

/// A handle to one series of a [`Family`]: derefs to the series' value
/// (`IntGaugeValue`, `HistogramValue`, ... in [`series`](crate::series)),
/// whose methods are those of the prometheus type the family is declared
/// with (`set`, `inc`, `observe`, `get`, ...). Cloning shares the series.
///
/// A handle keeps its series' memory alive. Once the series is removed from
/// its family, a hashed family's handle writes to a series no scrape shows;
/// a directly indexed family's handle writes to the series the family shows
/// again, value included, on its next write through the family.
pub struct Series<L, M: FamilyMetric> {
    node: Arc<Node<L, M::Value>>,
}

impl<L, M: FamilyMetric> Clone for Series<L, M> {
    fn clone(&self) -> Self {
        Series {
            node: self.node.clone(),
        }
    }
}

impl<L, M: FamilyMetric> Deref for Series<L, M> {
    type Target = M::Value;

    #[inline]
    fn deref(&self) -> &M::Value {
        &self.node.value
    }
}

impl<L: fmt::Debug, M: FamilyMetric> fmt::Debug for Series<L, M>
where
    M::Value: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Series")
            .field("labels", &self.node.key)
            .field("value", &self.node.value)
            .finish()
    }
}

impl<L, M: FamilyMetric> Series<L, M> {
    /// The label set of this series.
    #[must_use]
    pub fn labels(&self) -> &L {
        &self.node.key
    }
}

/// Series of one metric, keyed by a typed label set `L`; `M` is the
/// prometheus type each series stands for (`IntGauge`, `Histogram`, ...).
pub struct Family<L: LabelSet, M: FamilyMetric> {
    core: Arc<Core<L, M::Value>>,
}

impl<L: LabelSet, M: FamilyMetric> Clone for Family<L, M> {
    fn clone(&self) -> Self {
        Family {
            core: self.core.clone(),
        }
    }
}

impl<L: LabelSet, M: FamilyMetric> fmt::Debug for Family<L, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Family")
            .field("name", &self.core.name)
            .field("series", &self.len())
            .finish_non_exhaustive()
    }
}

/// The slot of one label set of a directly indexed family.
struct Slot<L, V> {
    node: OnceLock<Arc<Node<L, V>>>,
    /// Whether scrapes show the series (it was written since it was last
    /// removed).
    live: AtomicBool,
    /// The tick it was last written at, in a family with idle expiry.
    stamp: AtomicU32,
}

/// One exposed label: its name, what the text format writes before its
/// value, and where the value comes from. A family holds them in the order
/// the text format writes them (sorted by name, as prometheus sorts label
/// pairs).
#[derive(Debug)]
struct Label {
    name: String,
    /// `name="`, after a `,` but for the first label.
    opener: String,
    /// Whether every value is plain (`rules::label_value_is_plain`,
    /// judged once here for a const label; `LabelField::PLAIN` for a
    /// field), which spares the scrape looking at it.
    plain: bool,
    source: LabelSource,
}

#[derive(Debug)]
enum LabelSource {
    /// A const label's value.
    Const(String),
    /// The label set's field at this position.
    Field(usize),
}

struct Core<L, V> {
    kind: MetricType,
    desc: Desc,
    name: String,
    help: String,
    /// Every label, sorted by name.
    layout: Vec<Label>,
    bounds: Arc<[f64]>,
    /// One slot per possible label set, when [`direct`] says so; else empty.
    slots: Box<[Slot<L, V>]>,
    /// Shards picked by hash, for the other label sets; else left empty.
    /// Which of the two a family uses is known at compile time, so lookups
    /// test no discriminant, and a fixed-size array needs no bounds check.
    shards: Box<[Shard<L, V>; SHARDS]>,
    /// At most this many series in the shards (`limits.rs`).
    max_series: usize,
    /// Longer label values send their label set to `overflow`.
    max_label_len: usize,
    /// Series in the shards, counted against `max_series`: raised before a
    /// series is stored, so concurrent inserts never pass the budget.
    live: AtomicUsize,
    /// Where label sets past the limits write.
    overflow: Overflow<V>,
    /// Idle expiry, when the family has it.
    expiry: Option<Expiry>,
    /// Its scrape order, kept between scrapes; told of every change to the
    /// series shown before it is made.
    order: ScrapeOrder,
}

/// How long a series may go unwritten (`expire_after`).
struct Expiry {
    /// In ticks of the coarse clock.
    after: u32,
    /// Series removed for it, for the self-metrics.
    expired: AtomicU64,
    /// Keeps the clock ticking while the family lives.
    _clock: ClockUser,
}

/// The overflow series of a family (`limits.rs`): shown once written.
struct Overflow<V> {
    value: V,
    /// Its labels, sorted: the const labels and the overflow label.
    labels: Vec<(String, String)>,
    used: AtomicBool,
    /// Updates of label sets the family had no room for.
    sent: AtomicU64,
}

/// The shard of a hash. A shard's table probes from the low bits: the shard
/// takes the highest (one shift, no mask).
// At most `SHARDS - 1`: fits any `usize`.
#[allow(clippy::cast_possible_truncation)]
#[inline]
fn shard_of(hash: u64) -> usize {
    (hash >> (u64::BITS - SHARDS.trailing_zeros())) as usize
}

/// A family's labels, const ones and the label set's, sorted by name with
/// their openers (see [`Label`]).
fn layout<L: LabelSet>(const_labels: Vec<(String, String)>) -> Vec<Label> {
    let mut layout: Vec<(String, bool, LabelSource)> = const_labels
        .into_iter()
        .map(|(label, value)| {
            let plain = metric_group_rules::label_value_is_plain(&value);
            (label, plain, LabelSource::Const(value))
        })
        .chain(L::NAMES.iter().enumerate().map(|(i, label)| {
            let plain = L::PLAIN.get(i).copied().unwrap_or(false);
            ((*label).to_owned(), plain, LabelSource::Field(i))
        }))
        .collect();
    layout.sort_by(|a, b| a.0.cmp(&b.0));
    (layout.into_iter().enumerate())
        .map(|(i, (name, plain, source))| Label {
            opener: format!("{}{name}=\"", if i == 0 { "" } else { "," }),
            name,
            plain,
            source,
        })
        .collect()
}

/// A histogram family's bounds: the given ones, or prometheus' defaults,
/// checked as prometheus checks them (a trailing `+Inf` is implied).
fn histogram_bounds(name: &str, buckets: Option<Vec<f64>>) -> Result<Arc<[f64]>, Error> {
    let mut bounds = buckets.unwrap_or_else(|| prometheus::DEFAULT_BUCKETS.to_vec());
    if bounds.last() == Some(&f64::INFINITY) {
        bounds.pop();
    }
    check_bounds(&bounds).map_err(|error| Error::Create {
        metric: name.to_owned(),
        source: prometheus::Error::Msg(error.to_string()),
    })?;
    Ok(bounds.into())
}

impl<L: LabelSet, M: FamilyMetric> Family<L, M> {
    /// A family named `name` whose series carry `const_labels` and the
    /// label set's labels; `buckets` are a histogram family's bounds
    /// (prometheus' default buckets when `None`; ignored for other kinds).
    ///
    /// # Errors
    ///
    /// [`Error::Create`] for a name, label name or bounds prometheus would
    /// refuse, or a label named twice.
    pub fn new(
        name: String,
        help: String,
        const_labels: Vec<(String, String)>,
        buckets: Option<Vec<f64>>,
    ) -> Result<Self, Error> {
        Self::with_limits(name, help, const_labels, buckets, &Limits::default())
    }

    /// [`new`](Self::new) with the family's limits (`max_series`, label
    /// value length) in place of the defaults of [`limits`](crate::limits).
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new), and [`Error::Create`] for a budget of zero or
    /// below the label set's fixed cardinality, a label named
    /// [`OVERFLOW_LABEL`], or a const label value longer than the limit.
    pub fn with_limits(
        name: String,
        help: String,
        const_labels: Vec<(String, String)>,
        buckets: Option<Vec<f64>>,
        limits: &Limits,
    ) -> Result<Self, Error> {
        let refused = |reason: String| Error::Create {
            metric: name.clone(),
            source: prometheus::Error::Msg(reason),
        };
        let max_series = limits.budget(L::CARDINALITY).map_err(refused)?;
        metric_group_rules::check_metric_name(&name).map_err(|error| refused(error.to_string()))?;
        let place = if M::TYPE == MetricType::HISTOGRAM {
            LabelPlace::Histogram
        } else {
            LabelPlace::Metric
        };
        let names = L::NAMES.iter().copied();
        for label in names.chain(const_labels.iter().map(|(label, _)| label.as_str())) {
            check_label_name(label, place)
                .map_err(|error| refused(format!("label `{label}`: {error}")))?;
        }
        if let Some((label, value)) =
            (const_labels.iter()).find(|(_, value)| value.len() > limits.max_label_len)
        {
            return Err(refused(format!(
                "const label `{label}` is {} bytes long, over the limit of {}",
                value.len(),
                limits.max_label_len
            )));
        }
        let desc = Desc::new(
            name.clone(),
            help.clone(),
            L::NAMES.iter().map(|n| (*n).to_owned()).collect(),
            const_labels.iter().cloned().collect(),
        )
        .map_err(|source| Error::Create {
            metric: name.clone(),
            source,
        })?;
        let bounds = if M::TYPE == MetricType::HISTOGRAM {
            histogram_bounds(&name, buckets)?
        } else {
            Arc::from(Vec::new())
        };
        let mut overflow_labels = const_labels.clone();
        overflow_labels.push((OVERFLOW_LABEL.to_owned(), "true".to_owned()));
        overflow_labels.sort();
        let layout = layout::<L>(const_labels);
        let slots = (0..direct::<L>().unwrap_or(0))
            .map(|_| Slot {
                node: OnceLock::new(),
                live: AtomicBool::new(false),
                stamp: AtomicU32::new(0),
            })
            .collect();
        let expiry = limits.expire_after.map(|after| Expiry {
            after: clock::ticks(after),
            expired: AtomicU64::new(0),
            _clock: ClockUser::new(),
        });
        let stamped = expiry.is_some();
        let shards = Box::new(std::array::from_fn(|_| Shard::with_stamps(stamped)));
        let overflow = Overflow {
            value: M::Value::new(&bounds),
            labels: overflow_labels,
            used: AtomicBool::new(false),
            sent: AtomicU64::new(0),
        };
        Ok(Family {
            core: Arc::new(Core {
                kind: M::TYPE,
                desc,
                name,
                help,
                layout,
                bounds,
                slots,
                shards,
                max_series,
                max_label_len: limits.max_label_len,
                live: AtomicUsize::new(0),
                overflow,
                expiry,
                order: ScrapeOrder::default(),
            }),
        })
    }

    /// A handle to the series for `labels`, created on first use. Warm
    /// calls neither allocate nor format; the handle shares the series (one
    /// reference-count increment), so a handle kept by the caller (see
    /// `bind`) updates the series with one atomic operation.
    ///
    /// # Errors
    ///
    /// [`Error::SeriesLimit`] for a new label set past the family's limits
    /// (its budget of series, or a label value longer than allowed): there
    /// is no series to hand out. [`with`](Self::with) and the generated
    /// helpers write such a label set's updates to the overflow series.
    #[inline]
    pub fn get_or_create(&self, labels: &L) -> Result<Series<L, M>, Error> {
        self.get_or_create_prepared(&Prepared::new(labels))
    }

    /// [`get_or_create`](Self::get_or_create) for a label set hashed once
    /// with [`Prepared::new`], when it is looked up in several families.
    ///
    /// # Errors
    ///
    /// As [`get_or_create`](Self::get_or_create).
    #[inline]
    pub fn get_or_create_prepared(&self, labels: &Prepared<'_, L>) -> Result<Series<L, M>, Error> {
        let (key, hash) = (labels.labels, labels.hash);
        let core = &self.core;
        let node = if direct::<L>().is_some() {
            match core.slots[key.index()].shown(core.expiry.is_some(), &core.order) {
                Some(node) => node.clone(),
                None => self.insert_direct(key),
            }
        } else {
            let shard = &core.shards[shard_of(hash)];
            let found = if core.expiry.is_some() {
                shard.get_stamped(hash, key, clock::now())
            } else {
                shard.get(hash, key)
            };
            match found {
                Some(node) => node,
                None => self.insert(key, hash).map_err(|reason| {
                    self.core.overflow.sent.fetch_add(1, Ordering::Relaxed);
                    Error::SeriesLimit {
                        metric: self.core.name.clone(),
                        reason,
                    }
                })?,
            }
        };
        Ok(Series { node })
    }

    /// Updates the series for `labels` (created on first use) through `f`:
    /// what the generated helpers of `Family` fields call. A warm call
    /// neither allocates nor formats, and writes nothing shared but the
    /// series' value (see [`with_prepared`](Self::with_prepared)).
    ///
    /// # Errors
    ///
    /// None: where [`get_or_create`](Self::get_or_create) refuses a new
    /// label set past the family's limits, this writes to the overflow
    /// series instead.
    // Always inlined, as `with_prepared`: the hot path of every update.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn with<R>(&self, labels: &L, f: impl FnOnce(&M::Value) -> R) -> Result<R, Error> {
        self.with_prepared(&Prepared::new(labels), f)
    }

    /// Calls `f` with the value of the series for `labels` (created on
    /// first use), sparing the reference-count update of a handle: the way
    /// to update one label set in several families, hashed once.
    ///
    /// A warm call writes nothing shared but the series' value: directly
    /// indexed families read their slot; hashed families probe their
    /// shard's table under an epoch guard (`raw/shard.rs`), without a lock or a
    /// reference count. `f` runs while the guard is pinned, which delays
    /// the freeing of removed series until it returns: keep it short.
    ///
    /// # Errors
    ///
    /// None, as [`with`](Self::with): a new label set past the family's
    /// limits is written to the overflow series.
    // Always inlined: the lookup is a few dozen instructions, and a call
    // frame plus a `Result` returned through memory add a large share.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn with_prepared<R>(
        &self,
        labels: &Prepared<'_, L>,
        f: impl FnOnce(&M::Value) -> R,
    ) -> Result<R, Error> {
        let (key, hash) = (labels.labels, labels.hash);
        let core = &self.core;
        if direct::<L>().is_some() {
            if let Some(node) = core.slots[key.index()].shown(core.expiry.is_some(), &core.order) {
                return Ok(f(&node.value));
            }
        } else {
            let shard = &core.shards[shard_of(hash)];
            let found = match &labels.guard {
                // Stamps the series only if the family expires series.
                Some(guard) => shard.find_stamped(hash, key, clock::now, guard),
                None => None, // every hashed `Prepared` is pinned
            };
            if let Some(node) = found {
                return Ok(f(&node.value));
            }
        }
        Ok(self.write_new(key, hash, f))
    }

    /// `f` on a new label set's series, or on the overflow series when the
    /// family has no room for it.
    #[cold]
    fn write_new<R>(&self, key: &L, hash: u64, f: impl FnOnce(&M::Value) -> R) -> R {
        if direct::<L>().is_some() {
            return f(&self.insert_direct(key).value);
        }
        if let Ok(node) = self.insert(key, hash) {
            f(&node.value)
        } else {
            let overflow = &self.core.overflow;
            overflow.sent.fetch_add(1, Ordering::Relaxed);
            let value = f(&overflow.value);
            // Shown once written: a scrape racing the first write may show
            // it without that write, as with any new series.
            if !overflow.used.load(Ordering::Relaxed) {
                self.core.order.changed();
                overflow.used.store(true, Ordering::Release);
            }
            value
        }
    }

    /// The series of a directly indexed label set, created if absent.
    #[cold]
    fn insert_direct(&self, labels: &L) -> Arc<Node<L, M::Value>> {
        let slot = &self.core.slots[labels.index()];
        slot.stamp.store(clock::now(), Ordering::SeqCst);
        let node = slot
            .node
            .get_or_init(|| {
                Arc::new(Node {
                    key: labels.clone(),
                    value: M::Value::new(&self.core.bounds),
                })
            })
            .clone();
        slot.show(&self.core.order);
        node
    }

    /// The series of a hashed label set, created if absent and within the
    /// family's limits; else why not.
    #[cold]
    fn insert(&self, labels: &L, hash: u64) -> Result<Arc<Node<L, M::Value>>, String> {
        let core = &self.core;
        let mut refused = None;
        let made = core.shards[shard_of(hash)].insert_with(
            hash,
            labels,
            || {
                // Known absent, under the shard's lock: judged once.
                if let Some(reason) = self.too_long(labels) {
                    refused = Some(reason);
                    return None;
                }
                if core.live.fetch_add(1, Ordering::Relaxed) >= core.max_series {
                    core.live.fetch_sub(1, Ordering::Relaxed);
                    refused = Some(format!(
                        "the family holds its budget of {} series",
                        core.max_series
                    ));
                    return None;
                }
                core.order.changed();
                Some(Arc::new(Node {
                    key: labels.clone(),
                    value: M::Value::new(&core.bounds),
                }))
            },
            clock::now(),
            |key| hash_label_set(key),
        );
        made.ok_or_else(|| refused.unwrap_or_default())
    }

    /// Why a label value of `labels` is too long to store, if one is.
    /// Plain labels (integers, at most 40 bytes; enums and `bool`, whose
    /// values are fixed at compile time) are not formatted to be measured
    /// against a limit of [`PLAIN_UNMEASURED_FROM`] bytes or more: the
    /// formatting was a large part of the cost of creating a series.
    fn too_long(&self, labels: &L) -> Option<String> {
        let mut buffer = LabelBuffer::new();
        let limit = self.core.max_label_len;
        let measure_plain = limit < PLAIN_UNMEASURED_FROM;
        L::NAMES.iter().enumerate().find_map(|(i, name)| {
            if !measure_plain && L::PLAIN.get(i).copied().unwrap_or(false) {
                return None;
            }
            let length = labels.label_value(i, &mut buffer).len();
            (length > limit).then(|| {
                format!("label `{name}` is {length} bytes long, over the limit of {limit}")
            })
        })
    }

    /// Removes the series for `labels`; whether there was one. Handles
    /// held elsewhere keep working but are no longer exported (see
    /// [`Series`]); a hashed series' memory is freed when the last of them
    /// is dropped.
    pub fn remove(&self, labels: &L) -> bool {
        if direct::<L>().is_some() {
            return self.core.slots[labels.index()].hide(&self.core.order);
        }
        let hash = hash_label_set(labels);
        self.core.order.changed();
        let removed =
            self.core.shards[shard_of(hash)].remove(hash, labels, |key| hash_label_set(key));
        if removed {
            self.core.live.fetch_sub(1, Ordering::Relaxed);
        }
        removed
    }

    /// Removes every series whose label set matches `predicate` (for
    /// example all data-parallel ranks of one worker); how many were
    /// removed.
    pub fn remove_where(&self, mut predicate: impl FnMut(&L) -> bool) -> usize {
        let mut removed = 0;
        for slot in &self.core.slots {
            if slot.live_node().is_some_and(|node| predicate(&node.key))
                && slot.hide(&self.core.order)
            {
                removed += 1;
            }
        }
        for shard in self.core.shards.iter() {
            self.core.order.changed();
            let from_shard = shard.remove_where(&mut predicate, |key| hash_label_set(key));
            self.core.live.fetch_sub(from_shard, Ordering::Relaxed);
            removed += from_shard;
        }
        removed
    }

    /// How many series the family shows.
    pub fn len(&self) -> usize {
        let core = &self.core;
        core.slots
            .iter()
            .filter(|s| s.live_node().is_some())
            .count()
            + core.shards.iter().map(Shard::len).sum::<usize>()
    }

    /// Whether the family shows no series.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The label sets of the series shown.
    #[must_use]
    pub fn label_sets(&self) -> Vec<L> {
        let mut sets = Vec::new();
        self.core.for_each_node(|node| sets.push(node.key.clone()));
        sets
    }

    /// The family's name as exposed.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.core.name
    }

    /// How many series it may hold (the overflow series aside).
    #[must_use]
    pub fn max_series(&self) -> usize {
        self.core.max_series
    }

    /// How many updates went to the overflow series, and lookups were
    /// refused a handle, for label sets past the family's limits.
    #[must_use]
    pub fn overflowed(&self) -> u64 {
        self.core.overflow.sent.load(Ordering::Relaxed)
    }

    /// Removes the series not written for the family's `expire_after`, as
    /// every scrape does first; how many. Nothing without `expire_after`.
    ///
    /// A series is idle when nothing wrote to it through the family
    /// (`with`, the generated helpers, `get`) for that long, give or take
    /// the coarse clock's tick (100 ms). A series a [`Series`] handle holds
    /// is kept: writes through a handle do not stamp it. A write racing the
    /// removal of its series keeps the series (see `raw/shard.rs`).
    // Removing is the point; the count is for callers that care, so
    // ignoring it is not a mistake.
    #[allow(clippy::must_use_candidate)]
    pub fn expire_idle(&self) -> usize {
        self.core.expire()
    }

    /// How many series idle expiry removed.
    #[must_use]
    pub fn expired(&self) -> u64 {
        (self.core.expiry.as_ref()).map_or(0, |expiry| expiry.expired.load(Ordering::Relaxed))
    }
}

impl<L, V: SeriesValue> Slot<L, V> {
    fn live_node(&self) -> Option<&Arc<Node<L, V>>> {
        self.node
            .get()
            .filter(|_| self.live.load(Ordering::Acquire))
    }

    /// The slot's series, if it was ever created, shown from now on (a
    /// write only when it was hidden, told to `order` first), and stamped
    /// when `stamped` (a family with idle expiry).
    #[inline]
    fn shown(&self, stamped: bool, order: &ScrapeOrder) -> Option<&Arc<Node<L, V>>> {
        let node = self.node.get()?;
        if stamped {
            let now = clock::now();
            if self.stamp.load(Ordering::Acquire) != now {
                // One swap settles a race with an expiry (`Core::expire`,
                // which hides, then claims the stamp it judged idle): it
                // either fails to claim this stamp and shows the series
                // again, or claimed it first and hid it, and it is shown
                // again below.
                self.stamp.swap(now, Ordering::AcqRel);
                if !self.live.load(Ordering::Relaxed) {
                    order.changed();
                }
                self.live.store(true, Ordering::Release);
                return Some(node);
            }
        }
        self.show(order);
        Some(node)
    }

    /// Shows the slot's series (a load, and a store only when hidden,
    /// told to `order` first).
    #[inline]
    fn show(&self, order: &ScrapeOrder) {
        if !self.live.load(Ordering::Relaxed) {
            order.changed();
            self.live.store(true, Ordering::Release);
        }
    }

    /// Hides the slot's series, told to `order` first; whether it was
    /// shown.
    fn hide(&self, order: &ScrapeOrder) -> bool {
        order.changed();
        self.live.swap(false, Ordering::AcqRel)
    }
}

impl<L: LabelSet, V: SeriesValue> Core<L, V> {
    /// Removes the series not written for the family's `expire_after`
    /// (none without it); how many. A series a handle holds is kept (its
    /// writes through the handle stamp nothing). Directly indexed series
    /// are hidden, their values kept, as `remove` hides them.
    fn expire(&self) -> usize {
        let Some(expiry) = &self.expiry else {
            return 0;
        };
        let now = clock::refresh();
        let idle = |stamp: u32| clock::idle(now, stamp, expiry.after);
        let mut removed = 0;
        for shard in self.shards.iter() {
            let from_shard =
                shard.remove_idle(idle, |key| hash_label_set(key), || self.order.changed());
            self.live.fetch_sub(from_shard, Ordering::Relaxed);
            removed += from_shard;
        }
        for slot in &self.slots {
            let Some(node) = slot.live_node() else {
                continue;
            };
            let seen = slot.stamp.load(Ordering::Acquire);
            if !idle(seen) || Arc::strong_count(node) > 1 {
                continue;
            }
            self.order.changed();
            slot.live.store(false, Ordering::Release);
            // Claimed with a stamp no tick reaches (as `raw/shard.rs` claims
            // its series), which the next write swaps out.
            let claimed =
                (slot.stamp).compare_exchange(seen, u32::MAX, Ordering::AcqRel, Ordering::Acquire);
            if claimed.is_ok() {
                removed += 1;
            } else {
                self.order.changed();
                slot.live.store(true, Ordering::Release); // written meanwhile
            }
        }
        expiry.expired.fetch_add(removed as u64, Ordering::Relaxed);
        removed
    }

    /// Calls `f` with every series shown, one shard at a time.
    fn for_each_node(&self, mut f: impl FnMut(&Node<L, V>)) {
        for slot in &self.slots {
            if let Some(node) = slot.live_node() {
                f(node);
            }
        }
        for shard in self.shards.iter() {
            shard.for_each(&mut f);
        }
    }

    /// The labels of `node` in the order of `layout`, as proto pairs (for
    /// a plain `Registry::gather()`).
    fn label_pairs(&self, node: &Node<L, V>) -> Vec<proto::LabelPair> {
        let mut buffer = LabelBuffer::new();
        self.layout
            .iter()
            .map(|label| {
                let mut pair = proto::LabelPair::default();
                pair.set_name(label.name.clone());
                pair.set_value(match &label.source {
                    LabelSource::Const(value) => value.clone(),
                    LabelSource::Field(i) => node.key.label_value(*i, &mut buffer).to_owned(),
                });
                pair
            })
            .collect()
    }
}

impl<L: LabelSet, V: SeriesValue> DirectFamily for Core<L, V> {
    fn bounds(&self) -> &[f64] {
        &self.bounds
    }

    fn label_names(&self) -> Vec<&str> {
        self.layout
            .iter()
            .map(|label| label.name.as_str())
            .collect()
    }

    fn len_hint(&self) -> usize {
        self.shards.iter().map(Shard::len).sum::<usize>() + self.slots.len()
    }

    fn collect_series(&self, sink: &mut SeriesSink<'_>) {
        let mut buffer = LabelBuffer::new();
        self.for_each_node(|node| {
            sink.begin();
            node.value.snapshot(sink.values());
            if let Some(exemplars) = node.value.exemplars() {
                sink.exemplars(exemplars);
            }
            // The walk of `label_pairs`, written out again: a shared walk
            // taking a closure cost every scrape more instructions
            // (BENCHMARKS.md, "Where the scrape's instructions go").
            for label in &self.layout {
                let value = match &label.source {
                    LabelSource::Const(value) => value,
                    LabelSource::Field(i) => node.key.label_value(*i, &mut buffer),
                };
                sink.label(&label.opener, value, label.plain);
            }
            sink.end(0);
        });
        if self.overflow.used.load(Ordering::Acquire) {
            sink.begin();
            self.overflow.value.snapshot(sink.values());
            for (name, value) in &self.overflow.labels {
                sink.pair(name, value);
            }
            sink.end(0);
        }
    }

    fn uniform(&self) -> bool {
        !self.overflow.used.load(Ordering::Acquire)
    }

    fn limit_counts(&self) -> (u64, u64) {
        let expired = (self.expiry.as_ref()).map_or(0, |e| e.expired.load(Ordering::Relaxed));
        (self.overflow.sent.load(Ordering::Relaxed), expired)
    }

    fn scrape_order(&self) -> Option<&ScrapeOrder> {
        Some(&self.order)
    }
}

impl<L: LabelSet> Family<L, prometheus::Histogram> {
    /// Records `value` into the series for `labels`, with `exemplar` kept as
    /// the latest of the bucket it falls in (exposed in OpenMetrics only;
    /// see [`HistogramValue::observe_with_exemplar`](crate::series::HistogramValue::observe_with_exemplar)).
    ///
    /// ```
    /// # use metric_group::prometheus::Histogram;
    /// # use metric_group::{Exemplar, Family, LabelSet};
    /// #[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
    /// struct Model { model: &'static str }
    ///
    /// let ttft = Family::<Model, Histogram>::new(
    ///     "ttft_seconds".into(), "Time to first token".into(), vec![], Some(vec![0.1, 1.0]))?;
    /// ttft.observe_with_exemplar(&Model { model: "llama" }, 0.4, &Exemplar::new("4bf92f35"))?;
    /// # Ok::<(), metric_group::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a value that is not finite (as the
    /// generated `observe_` helpers), [`Error::InvalidExemplar`] for an
    /// exemplar OpenMetrics would refuse; nothing is recorded then.
    #[inline]
    pub fn observe_with_exemplar(
        &self,
        labels: &L,
        value: f64,
        exemplar: &crate::Exemplar<'_>,
    ) -> Result<(), Error> {
        let value = crate::value_checks::observation(self, value)?;
        self.checked_exemplar(exemplar)?;
        self.with(labels, |histogram| {
            histogram.observe_checked_exemplar(value, exemplar);
        })
    }
}

impl<L: LabelSet> Family<L, prometheus::IntCounter> {
    /// Adds `delta` to the series for `labels`, with `exemplar` kept as the
    /// series' latest (exposed in OpenMetrics only; see
    /// [`IntCounterValue::inc_by_with_exemplar`](crate::series::IntCounterValue::inc_by_with_exemplar)).
    ///
    /// ```
    /// # use metric_group::prometheus::IntCounter;
    /// # use metric_group::{Exemplar, Family, LabelSet};
    /// #[derive(Clone, PartialEq, Eq, Hash, LabelSet)]
    /// struct Model { model: &'static str }
    ///
    /// let requests = Family::<Model, IntCounter>::new(
    ///     "requests_total".into(), "Requests".into(), vec![], None)?;
    /// requests.inc_by_with_exemplar(&Model { model: "llama" }, 1, &Exemplar::new("4bf92f35"))?;
    /// # Ok::<(), metric_group::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidExemplar`] for an exemplar OpenMetrics would refuse,
    /// and the errors of resolving the series; nothing is recorded then.
    #[inline]
    pub fn inc_by_with_exemplar(
        &self,
        labels: &L,
        delta: u64,
        exemplar: &crate::Exemplar<'_>,
    ) -> Result<(), Error> {
        self.checked_exemplar(exemplar)?;
        self.with(labels, |counter| {
            counter.inc_by_checked_exemplar(delta, exemplar);
        })
    }
}

impl<L: LabelSet> Family<L, prometheus::Counter> {
    /// Adds `delta` to the series for `labels`, with `exemplar` kept as the
    /// series' latest (exposed in OpenMetrics only).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a `delta` a counter cannot add
    /// (negative, NaN, infinite), [`Error::InvalidExemplar`] for an
    /// exemplar OpenMetrics would refuse, and the errors of resolving the
    /// series; nothing is recorded then.
    #[inline]
    pub fn inc_by_with_exemplar(
        &self,
        labels: &L,
        delta: f64,
        exemplar: &crate::Exemplar<'_>,
    ) -> Result<(), Error> {
        let delta = crate::value_checks::increment(self, delta)?;
        self.checked_exemplar(exemplar)?;
        self.with(labels, |counter| {
            counter.inc_by_checked_exemplar(delta, exemplar);
        })
    }
}

impl<L: LabelSet, M: FamilyMetric> Family<L, M> {
    /// `Ok` if OpenMetrics takes `exemplar`, else the error naming the
    /// family.
    #[inline]
    fn checked_exemplar(&self, exemplar: &crate::Exemplar<'_>) -> Result<(), Error> {
        exemplar.check().map_err(|reason| Error::InvalidExemplar {
            metric: self.core.name.clone(),
            reason,
        })
    }
}

impl<L: LabelSet, M: FamilyMetric> Collector for Family<L, M> {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.core.desc]
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let core = &self.core;
        let mut family = MetricFamily::default();
        family.set_name(core.name.clone());
        family.set_help(core.help.clone());
        family.set_field_type(core.kind);
        // Idle series go first, as the registry gathers (the self-metrics
        // read what the gather saw).
        core.expire();
        // Inside `crate::encode`, the family writes its own series: the
        // registry sees one placeholder series in its place.
        if let Some(placeholder) = crate::encode::capture(self.core.clone()) {
            family.set_metric(vec![placeholder]);
            return vec![family];
        }
        let mut metrics = Vec::new();
        let mut values = Vec::new();
        core.for_each_node(|node| {
            values.clear();
            node.value.snapshot(&mut values);
            let mut metric = crate::encode::proto_metric(core.kind, &values, &core.bounds);
            metric.set_label(core.label_pairs(node));
            metrics.push(metric);
        });
        if core.overflow.used.load(Ordering::Relaxed) {
            values.clear();
            core.overflow.value.snapshot(&mut values);
            let mut metric = crate::encode::proto_metric(core.kind, &values, &core.bounds);
            let pairs = core.overflow.labels.iter().map(|(name, value)| {
                let mut pair = proto::LabelPair::default();
                pair.set_name(name.clone());
                pair.set_value(value.clone());
                pair
            });
            metric.set_label(pairs.collect());
            metrics.push(metric);
        }
        family.set_metric(metrics);
        vec![family]
    }
}

impl<L: LabelSet, M: FamilyMetric> BuildMetric for Family<L, M> {
    fn build(context: &BuildContext, metric: &MetricDescriptor) -> Result<Self, Error> {
        context.check(metric)?;
        Family::with_limits(
            context.full_name(metric),
            metric.help.to_owned(),
            context.const_labels.clone(),
            context.bounds(metric),
            &context.limits(metric),
        )
    }
}
