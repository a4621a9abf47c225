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
//! Each series is written once into a label-text arena and a sort key arena
//! (one allocation per arena and family, not per series), sorted by key, and
//! copied out. Merging registries is one map insertion per family and one
//! sort per family: linear in the series, up to the sort.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use prometheus::proto::{self, MetricFamily, MetricType};
use prometheus::Registry;

use crate::Error;

/// A family whose series this module reads directly.
pub(crate) trait DirectFamily: Send + Sync {
    /// A histogram family's bounds (`+Inf` excluded); empty otherwise.
    fn bounds(&self) -> &[f64];
    /// The label names every series carries, in the order written.
    fn label_names(&self) -> Vec<&str>;
    /// About how many series it holds, to size buffers.
    fn len_hint(&self) -> usize;
    /// Writes every series into `sink`.
    fn collect_series(&self, sink: &mut SeriesSink<'_>);
}

/// The label of a placeholder series: its value indexes the families
/// captured during one gather. `__` names are reserved to Prometheus, so no
/// collector's series carries it.
const PLACEHOLDER_LABEL: &str = "__metric_group_family";

type Captured = Vec<Arc<dyn DirectFamily>>;

thread_local! {
    /// The families captured by the gather in progress on this thread.
    static CAPTURED: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Inside a gather of this module, keeps `family` and returns the
/// placeholder series the registry holds in its place; `None` otherwise.
pub(crate) fn capture(family: Arc<dyn DirectFamily>) -> Option<proto::Metric> {
    CAPTURED.with(|captured| {
        let mut captured = captured.borrow_mut();
        let families = captured.as_mut()?;
        let mut pair = proto::LabelPair::default();
        pair.set_name(PLACEHOLDER_LABEL.to_owned());
        pair.set_value(families.len().to_string());
        families.push(family);
        let mut metric = proto::Metric::default();
        metric.set_label(vec![pair]);
        Some(metric)
    })
}

/// Puts back the capture state a gather found, even if a collector panics.
struct CaptureGuard(Option<Option<Captured>>);

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.0.take() {
            CAPTURED.with(|captured| *captured.borrow_mut() = previous);
        }
    }
}

/// `registry.gather()` with families captured instead of converted.
fn gather_capturing(registry: &Registry) -> (Vec<MetricFamily>, Captured) {
    let previous = CAPTURED.with(|captured| captured.replace(Some(Vec::new())));
    let mut guard = CaptureGuard(Some(previous));
    let families = registry.gather();
    let previous = guard.0.take().unwrap_or_default();
    let captured = CAPTURED.with(|captured| captured.replace(previous));
    (families, captured.unwrap_or_default())
}

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
    encode_registries(std::slice::from_ref(registry))
}

/// [`encode`] over several registries merged (a scope hierarchy's levels):
/// a family seen in two must agree on help and type, and a series seen in
/// two is written once if identical and refused otherwise.
pub(crate) fn encode_registries(registries: &[Registry]) -> Result<String, Error> {
    let mut exposition = Exposition::default();
    for (index, registry) in registries.iter().enumerate() {
        let (families, captured) = gather_capturing(registry);
        exposition.add_gathered(index, families, &captured)?;
    }
    exposition.write()
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
        pending.write(&mut out, false)?;
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
                    let reason = if pending.help != family.help() {
                        Some("two scopes give it different help texts")
                    } else if pending.kind != family.get_field_type() {
                        Some("two scopes give it different types")
                    } else {
                        None
                    };
                    if let Some(reason) = reason {
                        return Err(Error::Inconsistent {
                            metric: pending.name.clone(),
                            reason: reason.into(),
                        });
                    }
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

    fn write(self) -> Result<String, Error> {
        let mut out = String::new();
        for pending in self.families.into_values() {
            pending.write(&mut out, true)?;
        }
        Ok(out)
    }
}

/// The index of the captured family a placeholder series stands for.
fn placeholder(metric: &proto::Metric) -> Option<usize> {
    let first = metric.get_label().first()?;
    if first.name() == PLACEHOLDER_LABEL {
        first.value().parse().ok()
    } else {
        None
    }
}

/// One series, its text and sort key in the arenas of its family.
struct Entry {
    /// The first bytes of the key, to settle most comparisons at once.
    prefix: u64,
    /// The sort key: a range of the label text, or of the keys arena.
    key: (u32, u32),
    labels: (u32, u32),
    /// Where the series' numbers start in the values arena.
    values: u32,
    /// The index of its bounds (histograms) or quantiles (summaries).
    bounds: u32,
    timestamp: i64,
    source: u32,
}

/// What a family's series are written into before they are sorted.
pub(crate) struct SeriesSink<'a> {
    /// `name="value"` pairs joined by `,`, escaped, per series.
    text: &'a mut String,
    values: &'a mut Vec<f64>,
    entries: &'a mut Vec<Entry>,
    /// For each label of the current source, what the text writes before
    /// its value: `name="`, with a `,` before every name but the first.
    openers: Vec<String>,
    /// Labels every series of the current source ends with.
    extra: &'a [(String, String)],
    /// How many bytes every series' text starts with alike (the first
    /// label's opener, when every series has the same label names).
    skip: usize,
    /// Whether every value so far holds only bytes above `"`: then the
    /// label texts sort as their values do (see `Pending::write`).
    plain: bool,
    source: u32,
    bounds: u32,
    /// The current series: its start in the text and values arenas, and
    /// its next label.
    start: (usize, usize),
    label: usize,
    /// The first bytes of the series' values, each followed by its `"`:
    /// how its text compares, less what every text holds alike.
    prefix: u64,
    prefix_len: u32,
}

impl SeriesSink<'_> {
    /// Starts a series.
    #[inline]
    pub(crate) fn begin(&mut self) {
        self.start = (self.text.len(), self.values.len());
        self.label = 0;
        self.prefix = 0;
        self.prefix_len = 0;
    }

    /// The value of the series' next label, in the order of the names;
    /// `plain` when the value is known to hold no byte to escape or below
    /// `"` (`LabelField::PLAIN`), which spares looking at it.
    #[inline(always)]
    pub(crate) fn label(&mut self, value: &str, plain: bool) {
        let Some(opener) = self.openers.get(self.label) else {
            return;
        };
        self.text.push_str(opener);
        self.label += 1;
        if plain {
            let start = self.text.len();
            self.text.push_str(value);
            self.close(start);
        } else {
            self.value(value);
        }
    }

    /// A label of the series given with its name.
    fn pair(&mut self, name: &str, value: &str) {
        if self.text.len() > self.start.0 {
            self.text.push(',');
        }
        self.text.push_str(name);
        self.text.push_str("=\"");
        self.value(value);
    }

    /// A label's value, escaped, then the closing quote.
    #[inline]
    fn value(&mut self, value: &str) {
        let start = self.text.len();
        // One scan: most values hold no byte below `#` (`"`, a newline, a
        // space, a NUL) and no `\`, and are copied as they are.
        if value.bytes().any(|b| b < b'#' || b == b'\\') {
            self.plain &= !value.bytes().any(|b| b < b'#');
            push_escaped(self.text, value, true);
        } else {
            self.text.push_str(value);
        }
        self.close(start);
    }

    /// The closing quote of the value written from `start`, and its bytes
    /// taken into the prefix.
    #[inline(always)]
    fn close(&mut self, start: usize) {
        self.text.push('"');
        if self.prefix_len < 8 {
            // The escaped value and its quote, up to the room left.
            let room = (8 - self.prefix_len) as usize;
            for &b in self.text.as_bytes()[start..].iter().take(room) {
                self.prefix = self.prefix << 8 | u64::from(b);
                self.prefix_len += 1;
            }
        }
    }

    /// Where the series' numbers go (see `SeriesValue::snapshot`).
    #[inline]
    pub(crate) fn values(&mut self) -> &mut Vec<f64> {
        self.values
    }

    /// Ends the series.
    #[inline]
    pub(crate) fn end(&mut self, timestamp: i64) {
        for (name, value) in self.extra {
            self.pair(name, value);
        }
        let (text, values) = self.start;
        let key = (text + self.skip).min(self.text.len());
        self.entries.push(Entry {
            // Shorter prefixes padded with zeros, as `prefix_of` pads.
            prefix: self
                .prefix
                .checked_shl(8 * (8 - self.prefix_len))
                .unwrap_or(0),
            key: (offset(key), offset(self.text.len())),
            labels: (offset(text), offset(self.text.len())),
            values: offset(values),
            bounds: self.bounds,
            timestamp,
            source: self.source,
        });
    }
}

/// Sorts by prefix, keeping the order of equal prefixes: a least
/// significant digit radix sort over the prefix's bytes, skipping the
/// bytes every prefix shares. Each pass is two linear scans, where a
/// comparison sort compares each series about `log2 n` times, each
/// comparison a branchy closure (BENCHMARKS.md, "Where the scrape's
/// instructions go").
fn sort_by_prefix(order: &mut Vec<(u64, u32)>) {
    let mut counts = vec![[0usize; 256]; 8];
    for &(prefix, _) in order.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[((prefix >> (8 * byte)) & 0xFF) as usize] += 1;
        }
    }
    let mut spare = vec![(0u64, 0u32); order.len()];
    for (byte, count) in counts.iter_mut().enumerate() {
        if count.contains(&order.len()) {
            continue; // every prefix has the same byte here
        }
        let mut start = 0;
        for slot in count.iter_mut() {
            let n = *slot;
            *slot = start;
            start += n;
        }
        for &item in order.iter() {
            let digit = ((item.0 >> (8 * byte)) & 0xFF) as usize;
            spare[count[digit]] = item;
            count[digit] += 1;
        }
        std::mem::swap(order, &mut spare);
    }
}

/// The first eight bytes of a key as a number that compares as they do
/// (shorter keys padded with zeros, which sort first as a shorter key does).
#[inline]
fn prefix_of(key: &[u8]) -> u64 {
    let mut prefix = [0u8; 8];
    let n = key.len().min(8);
    prefix[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(prefix)
}

/// Arena offsets fit in `u32`: an exposition of 4 GiB is refused long
/// before (Prometheus' own body limit is far below it).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Appends to `keys` a key for the label text `text` (`name="value",...`,
/// escaped) that compares as the sequence of its values (and names, with
/// `names`): each string unescaped, ending with `00 00`, a `00` inside it
/// written `00 FF`.
fn push_key(keys: &mut Vec<u8>, text: &str, names: bool) {
    let mut rest = text.as_bytes();
    while let Some(equals) = rest.iter().position(|&b| b == b'=') {
        if names {
            push_key_bytes(keys, &rest[..equals]);
        }
        // Past `="`: the value, up to its unescaped closing quote.
        let mut i = equals + 2;
        while i < rest.len() && rest[i] != b'"' {
            let mut b = rest[i];
            if b == b'\\' && i + 1 < rest.len() {
                i += 1;
                b = if rest[i] == b'n' { b'\n' } else { rest[i] };
            }
            keys.push(b);
            if b == 0 {
                keys.push(0xFF);
            }
            i += 1;
        }
        keys.extend_from_slice(&[0, 0]);
        // Past the closing quote and the `,` that may follow it.
        rest = rest.get(i + 2..).unwrap_or_default();
    }
}

fn push_key_bytes(keys: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        keys.push(b);
        if b == 0 {
            keys.push(0xFF);
        }
    }
    keys.extend_from_slice(&[0, 0]);
}

/// Appends `value` escaped as the text format escapes label values (with
/// `quotes`) or help texts: `\` as `\\`, a newline as `\n`, `"` as `\"`.
fn push_escaped(out: &mut String, value: &str, quotes: bool) {
    let special = |b: u8| b == b'\\' || b == b'\n' || (quotes && b == b'"');
    if !value.bytes().any(special) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quotes => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
}

/// Appends a sample value as prometheus writes it (`f64`'s `Display`):
/// integers below 2^53 through `itoa`, which writes the same digits.
fn push_value(out: &mut String, value: f64) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
                                                // The saturating cast and back compare equal only for integers (NaN
                                                // and infinities fail the range test first); `-0.0` keeps its sign.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let integer = value as i64;
    #[allow(clippy::cast_precision_loss)]
    let exact = value.abs() < EXACT && integer as f64 == value;
    if exact && !(value == 0.0 && value.is_sign_negative()) {
        out.push_str(itoa::Buffer::new().format(integer));
    } else {
        let _ = write!(out, "{value}");
    }
}

impl Pending<'_> {
    /// Writes the family: `# HELP`, `# TYPE`, then its series, sorted by
    /// their label pairs when `sort` (with series seen in two registries
    /// written once), else in the order given. Nothing for a family
    /// without series.
    fn write(&self, out: &mut String, sort: bool) -> Result<(), Error> {
        let skip = self.common_opener();
        let mut text = String::new();
        let mut values = Vec::new();
        let mut entries = Vec::new();
        let mut bounds: Vec<Vec<f64>> = Vec::new();
        let mut plain = true;
        for (index, source) in self.sources.iter().enumerate() {
            let mut sink = SeriesSink {
                text: &mut text,
                values: &mut values,
                entries: &mut entries,
                openers: Vec::new(),
                extra: &[],
                skip: skip.unwrap_or(0),
                plain,
                source: offset(index),
                bounds: u32::MAX,
                start: (0, 0),
                label: 0,
                prefix: 0,
                prefix_len: 0,
            };
            match source {
                Source::Direct { family, extra, .. } => {
                    let names = family.label_names();
                    sink.openers = (names.iter().enumerate())
                        .map(|(i, name)| format!("{}{name}=\"", if i == 0 { "" } else { "," }))
                        .collect();
                    let expected = family.len_hint();
                    sink.entries.reserve(expected);
                    sink.text.reserve(expected * 16 * names.len().max(1));
                    sink.extra = extra;
                    if self.kind == MetricType::HISTOGRAM {
                        sink.bounds = offset(bounds.len());
                        bounds.push(family.bounds().to_vec());
                    }
                    family.collect_series(&mut sink);
                }
                Source::Proto { family, .. } => {
                    for metric in family.get_metric() {
                        check_unique_label_names(&self.name, metric)?;
                        sink.begin();
                        let limits = proto_values(self.kind, metric, sink.values);
                        if !limits.is_empty() {
                            if bounds.last() != Some(&limits) {
                                bounds.push(limits);
                            }
                            sink.bounds = offset(bounds.len() - 1);
                        }
                        for pair in metric.get_label() {
                            sink.pair(pair.name(), pair.value());
                        }
                        sink.end(metric.timestamp_ms());
                    }
                }
            }
            plain = sink.plain;
        }
        if entries.is_empty() {
            return Ok(());
        }
        // Label texts compare as their values when every series has the
        // same names (past the first `name="`, the texts differ first
        // where the values do) and no value holds a byte below `#`: every
        // other byte of a value sorts after the `"` that closes a shorter
        // one, and an escaped `\` keeps its place. Otherwise (a space or
        // a quote in a value, or series of differing names) the keys are
        // the unescaped values, and names, written out.
        let mut keys = Vec::new();
        if sort && !(plain && skip.is_some()) {
            for entry in &mut entries {
                let start = keys.len();
                let labels = &text[entry.labels.0 as usize..entry.labels.1 as usize];
                push_key(&mut keys, labels, skip.is_none());
                entry.key = (offset(start), offset(keys.len()));
                entry.prefix = prefix_of(&keys[start..]);
            }
        }
        let sort_bytes: &[u8] = if keys.is_empty() {
            text.as_bytes()
        } else {
            &keys
        };
        // Sorted as (prefix, index) pairs, 16 bytes each, rather than as
        // whole entries; the index breaks ties between equal keys, so the
        // order of the entries given is kept for them.
        let mut order: Vec<(u64, u32)> = (entries.iter().enumerate())
            .map(|(i, entry)| (if sort { entry.prefix } else { 0 }, offset(i)))
            .collect();
        if sort {
            sort_by_prefix(&mut order);
            // Equal prefixes (keys that agree on their first eight bytes)
            // are ordered by their whole keys, then by index.
            let key = |i: u32| {
                let (start, end) = entries[i as usize].key;
                &sort_bytes[start as usize..end as usize]
            };
            for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
                if run.len() > 1 {
                    run.sort_unstable_by(|a, b| key(a.1).cmp(key(b.1)).then(a.1.cmp(&b.1)));
                }
            }
        }
        let sorted: Vec<&Entry> = order.iter().map(|(_, i)| &entries[*i as usize]).collect();
        let arenas = Arenas {
            text: &text,
            keys: sort_bytes,
            values: &values,
            bounds: &bounds,
        };
        // prometheus writes no `# HELP` line for an empty help text.
        if !self.help.is_empty() {
            out.push_str("# HELP ");
            out.push_str(&self.name);
            out.push(' ');
            push_escaped(out, &self.help, false);
            out.push('\n');
        }
        out.push_str("# TYPE ");
        out.push_str(&self.name);
        out.push(' ');
        out.push_str(type_name(self.kind));
        out.push('\n');
        let lines = match self.kind {
            MetricType::HISTOGRAM | MetricType::SUMMARY => 3 + bounds.first().map_or(0, Vec::len),
            _ => 1,
        };
        out.reserve(lines * (text.len() + entries.len() * (self.name.len() + 40)));
        let mut scratch = String::new();
        let mut previous: Option<&Entry> = None;
        for (i, &entry) in sorted.iter().enumerate() {
            if sort {
                if let Some(kept) = previous.filter(|p| arenas.key(p) == arenas.key(entry)) {
                    if self.duplicate(kept, entry, &sorted[..i], &arenas)? {
                        continue;
                    }
                }
            }
            previous = Some(entry);
            self.write_series(out, entry, &arenas, &mut scratch);
        }
        Ok(())
    }

    /// When every series of the family carries the same label names, the
    /// length of what their label texts start with alike (`name="` of the
    /// first label, or nothing without labels); `None` otherwise.
    fn common_opener(&self) -> Option<usize> {
        let mut first: Option<Vec<&str>> = None;
        for source in &self.sources {
            match source {
                Source::Direct { family, extra, .. } => {
                    let mut names = family.label_names();
                    names.extend(extra.iter().map(|(name, _)| name.as_str()));
                    match &first {
                        Some(seen) if *seen != names => return None,
                        Some(_) => {}
                        None => first = Some(names),
                    }
                }
                Source::Proto { family, .. } => {
                    for metric in family.get_metric() {
                        let names = metric.get_label().iter().map(proto::LabelPair::name);
                        match &first {
                            Some(seen) => {
                                if !seen.iter().copied().eq(names) {
                                    return None;
                                }
                            }
                            None => first = Some(names.collect()),
                        }
                    }
                }
            }
        }
        Some(
            first
                .and_then(|names| names.first().map(|name| name.len() + 2))
                .unwrap_or(0),
        )
    }

    /// For a series whose labels equal those of an earlier one: `true` to
    /// skip it (the same series, seen in another registry), an error when
    /// two registries hold different values for it; `false` to write it
    /// (two series of one registry, written both as prometheus does).
    fn duplicate(
        &self,
        kept: &Entry,
        entry: &Entry,
        earlier: &[&Entry],
        arenas: &Arenas<'_>,
    ) -> Result<bool, Error> {
        let registry = |e: &Entry| self.sources[e.source as usize].registry();
        let other = earlier
            .iter()
            .rev()
            .take_while(|e| arenas.key(e) == arenas.key(kept))
            .find(|e| registry(e) != registry(entry));
        let Some(other) = other else {
            return Ok(false);
        };
        let same_family = match (
            &self.sources[other.source as usize],
            &self.sources[entry.source as usize],
        ) {
            (Source::Direct { family: a, .. }, Source::Direct { family: b, .. }) => {
                Arc::ptr_eq(a, b)
            }
            _ => false,
        };
        if same_family || self.same_series(other, entry, arenas) {
            return Ok(true);
        }
        Err(Error::Inconsistent {
            metric: self.name.clone(),
            reason: format!(
                "two scopes hold different series labelled {{{}}}",
                arenas.labels(entry)
            ),
        })
    }

    fn same_series(&self, a: &Entry, b: &Entry, arenas: &Arenas<'_>) -> bool {
        let n = self.numbers(a, arenas);
        a.timestamp == b.timestamp
            && arenas.bounds(a) == arenas.bounds(b)
            && arenas.values[a.values as usize..][..n]
                .iter()
                .map(|v| v.to_bits())
                .eq(arenas.values[b.values as usize..][..n]
                    .iter()
                    .map(|v| v.to_bits()))
    }

    /// How many numbers a series of this family has in the values arena.
    fn numbers(&self, entry: &Entry, arenas: &Arenas<'_>) -> usize {
        match self.kind {
            MetricType::HISTOGRAM | MetricType::SUMMARY => 2 + arenas.bounds(entry).len(),
            _ => 1,
        }
    }

    /// Writes one series' samples; `scratch` holds each `le` or
    /// `quantile` value as it is written.
    fn write_series(
        &self,
        out: &mut String,
        entry: &Entry,
        arenas: &Arenas<'_>,
        scratch: &mut String,
    ) {
        let labels = arenas.labels(entry);
        let values = &arenas.values[entry.values as usize..];
        let sample = |out: &mut String, suffix: &str, extra: Option<(&str, &str)>, value: f64| {
            match extra {
                None if labels.is_empty() => {
                    out.push_str(&self.name);
                    out.push_str(suffix);
                }
                None => {
                    if suffix.is_empty() {
                        out.push_str(&self.opened);
                    } else {
                        out.push_str(&self.name);
                        out.push_str(suffix);
                        out.push('{');
                    }
                    out.push_str(labels);
                    out.push('}');
                }
                Some((name, text)) => {
                    out.push_str(&self.name);
                    out.push_str(suffix);
                    out.push('{');
                    out.push_str(labels);
                    if !labels.is_empty() {
                        out.push(',');
                    }
                    out.push_str(name);
                    out.push_str("=\"");
                    out.push_str(text);
                    out.push_str("\"}");
                }
            }
            out.push(' ');
            push_value(out, value);
            if entry.timestamp != 0 {
                out.push(' ');
                out.push_str(itoa::Buffer::new().format(entry.timestamp));
            }
            out.push('\n');
        };
        match self.kind {
            MetricType::HISTOGRAM | MetricType::SUMMARY => {
                let histogram = self.kind == MetricType::HISTOGRAM;
                let (count, sum) = (values[0], values[1]);
                let (suffix, label) = if histogram {
                    ("_bucket", "le")
                } else {
                    ("", "quantile")
                };
                let mut inf_seen = false;
                for (limit, value) in arenas.bounds(entry).iter().zip(&values[2..]) {
                    // `f64`'s `Display`, as prometheus writes bounds and
                    // quantiles (a collector's own `+Inf` bound is `inf`).
                    scratch.clear();
                    push_value(scratch, *limit);
                    sample(out, suffix, Some((label, scratch)), *value);
                    inf_seen |= *limit == f64::INFINITY;
                }
                if histogram && !inf_seen {
                    sample(out, "_bucket", Some(("le", "+Inf")), count);
                }
                sample(out, "_sum", None, sum);
                sample(out, "_count", None, count);
            }
            _ => sample(out, "", None, values[0]),
        }
    }
}

struct Arenas<'a> {
    text: &'a str,
    keys: &'a [u8],
    values: &'a [f64],
    bounds: &'a [Vec<f64>],
}

impl Arenas<'_> {
    fn key(&self, entry: &Entry) -> &[u8] {
        &self.keys[entry.key.0 as usize..entry.key.1 as usize]
    }

    fn labels(&self, entry: &Entry) -> &str {
        &self.text[entry.labels.0 as usize..entry.labels.1 as usize]
    }

    fn bounds(&self, entry: &Entry) -> &[f64] {
        self.bounds
            .get(entry.bounds as usize)
            .map_or(&[], Vec::as_slice)
    }
}

fn type_name(kind: MetricType) -> &'static str {
    match kind {
        MetricType::COUNTER => "counter",
        MetricType::GAUGE => "gauge",
        MetricType::SUMMARY => "summary",
        MetricType::UNTYPED => "untyped",
        MetricType::HISTOGRAM => "histogram",
    }
}

/// Appends a protobuf series' numbers to `values` as `SeriesValue::snapshot`
/// lays them out; returns its bucket bounds or quantiles (empty for other
/// kinds).
#[allow(clippy::cast_precision_loss)]
fn proto_values(kind: MetricType, metric: &proto::Metric, values: &mut Vec<f64>) -> Vec<f64> {
    match kind {
        MetricType::COUNTER => values.push(metric.get_counter().get_value()),
        MetricType::GAUGE => values.push(metric.get_gauge().get_value()),
        // prometheus' own encoder cannot write untyped families (it
        // panics); they are written like gauges.
        #[allow(deprecated)]
        MetricType::UNTYPED => values.push(metric.get_untyped().get_value()),
        MetricType::HISTOGRAM => {
            let h = metric.get_histogram();
            values.extend([h.get_sample_count() as f64, h.get_sample_sum()]);
            values.extend(h.get_bucket().iter().map(|b| b.cumulative_count() as f64));
            return h.get_bucket().iter().map(|b| b.upper_bound()).collect();
        }
        MetricType::SUMMARY => {
            let s = metric.get_summary();
            values.extend([s.sample_count() as f64, s.sample_sum()]);
            values.extend(s.get_quantile().iter().map(|q| q.value()));
            return s.get_quantile().iter().map(|q| q.quantile()).collect();
        }
    }
    Vec::new()
}

/// The protobuf series of a family's series, for a plain
/// `Registry::gather()`: `values` as `SeriesValue::snapshot` lays them out.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn proto_metric(kind: MetricType, values: &[f64], bounds: &[f64]) -> proto::Metric {
    let mut metric = proto::Metric::default();
    match kind {
        MetricType::COUNTER => {
            let mut counter = proto::Counter::default();
            counter.set_value(values[0]);
            metric.set_counter(counter);
        }
        MetricType::HISTOGRAM => {
            let mut histogram = proto::Histogram::default();
            histogram.set_sample_count(values[0] as u64);
            histogram.set_sample_sum(values[1]);
            let buckets = bounds.iter().zip(&values[2..]).map(|(bound, count)| {
                let mut bucket = proto::Bucket::default();
                bucket.set_upper_bound(*bound);
                bucket.set_cumulative_count(*count as u64);
                bucket
            });
            histogram.set_bucket(buckets.collect());
            metric.set_histogram(histogram);
        }
        _ => {
            let mut gauge = proto::Gauge::default();
            gauge.set_value(values[0]);
            metric.set_gauge(gauge);
        }
    }
    metric
}

/// Refuses a series that carries a label name twice. prometheus builds
/// such series when a const label and a variable label share a name
/// (nothing the derive or a scope lets through, but collectors registered by
/// hand can), and Prometheus rejects the whole scrape; an `Err` naming the
/// metric and the label says more.
pub(crate) fn check_unique_label_names(family: &str, metric: &proto::Metric) -> Result<(), Error> {
    let labels = metric.get_label();
    for (i, pair) in labels.iter().enumerate() {
        if labels[..i].iter().any(|seen| seen.name() == pair.name()) {
            return Err(Error::DuplicateLabel {
                metric: family.to_owned(),
                label: pair.name().to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_f64_display_writes_them() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1e-7,
            1e15,
            1e21,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            -9_007_199_254_740_993.0,
            i64::MAX as f64,
            i64::MIN as f64,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for value in values {
            let mut out = String::new();
            push_value(&mut out, value);
            assert_eq!(out, value.to_string(), "{value:?}");
        }
    }

    #[test]
    fn keys_compare_as_the_values_they_hold() {
        let key = |text: &str| {
            let mut keys = Vec::new();
            push_key(&mut keys, text, false);
            keys
        };
        // `a` before `a!` before `a\0`-less longer values; escapes undone.
        let ordered = [
            r#"v="",w="x""#,
            r#"v="\n",w="""#,
            r#"v=" ",w="""#,
            r#"v="\"",w="""#,
            r#"v="a",w="""#,
            r#"v="a",w=" ""#,
            r#"v="a\\",w="""#,
            r#"v="ab",w="""#,
        ];
        for pair in ordered.windows(2) {
            assert!(key(pair[0]) < key(pair[1]), "{pair:?}");
        }
    }
}
