//! Exemplars: a trace id (and optionally a span id) attached to an
//! observation or an increment, kept as the latest one per histogram bucket
//! or per counter series, exposed in OpenMetrics only, timestamped by the
//! coarse wall clock (`raw/wall_clock.rs`). A leaf module but for that
//! clock.
//!
//! A series keeps no exemplar storage until its first exemplar (one null
//! pointer, [`ExemplarSlots`]): then one slot per bucket (`+Inf` included;
//! one for a counter), each behind its own small lock, is allocated once. An exemplar's values are copied into the slot's inline
//! buffer when they fit ([`INLINE_BYTES`], enough for a W3C trace id and
//! span id), so a later exemplar allocates nothing; longer values are boxed.

use once_cell::race::OnceBox;
use parking_lot::Mutex;

use crate::raw::wall_clock::WallTime;

/// The most UTF-8 characters an exemplar's label names and values may hold
/// together, OpenMetrics' limit.
pub const MAX_EXEMPLAR_CHARS: usize = 128;

/// Bytes of label values a slot holds without allocating: a W3C trace id
/// (32 hex digits) and span id (16) fit.
const INLINE_BYTES: usize = 64;

/// The label names an exemplar carries.
const TRACE_ID: &str = "trace_id";
const SPAN_ID: &str = "span_id";

/// An exemplar to record with an observation: the trace (and span) the
/// observation belongs to.
///
/// ```
/// use metric_group::Exemplar;
///
/// let exemplar = Exemplar::new("4bf92f3577b34da6a3ce929d0e0e4736").span_id("00f067aa0ba902b7");
/// assert_eq!(exemplar.chars(), 8 + 32 + 7 + 16);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exemplar<'a> {
    trace_id: &'a str,
    /// Empty for none: Prometheus' data model does not tell an empty label
    /// value from an absent label.
    span_id: &'a str,
    /// Settled when made: within OpenMetrics' limit by bytes (so by
    /// characters), a trace id given, and no NUL.
    fits: bool,
}

impl<'a> Exemplar<'a> {
    /// An exemplar labelled `trace_id`.
    #[must_use]
    pub const fn new(trace_id: &'a str) -> Self {
        Exemplar {
            trace_id,
            span_id: "",
            fits: Self::fits(trace_id, "", 0),
        }
    }

    /// The exemplar also labelled `span_id`. An empty `span_id` is none,
    /// as Prometheus reads an empty label value: the exemplar is written
    /// without the label.
    #[must_use]
    pub const fn span_id(mut self, span_id: &'a str) -> Self {
        self.span_id = span_id;
        let span_bytes = if span_id.is_empty() {
            0
        } else {
            SPAN_ID.len() + span_id.len()
        };
        self.fits = Self::fits(self.trace_id, span_id, span_bytes);
        self
    }

    /// Whether the lengths settle that OpenMetrics takes it (bytes bound
    /// characters from above), and neither id holds a NUL.
    const fn fits(trace_id: &str, span_id: &str, span_bytes: usize) -> bool {
        !trace_id.is_empty()
            && TRACE_ID.len() + trace_id.len() + span_bytes <= MAX_EXEMPLAR_CHARS
            && !has_nul(trace_id)
            && !has_nul(span_id)
    }

    /// The UTF-8 characters of its label names and values, which
    /// OpenMetrics limits to [`MAX_EXEMPLAR_CHARS`].
    #[must_use]
    pub fn chars(&self) -> usize {
        let span = if self.span_id.is_empty() {
            0
        } else {
            SPAN_ID.len() + self.span_id.chars().count()
        };
        TRACE_ID.len() + self.trace_id.chars().count() + span
    }

    /// `Err` with the reason when OpenMetrics would refuse it.
    #[inline]
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.fits {
            return Ok(());
        }
        self.refusal()
    }

    #[cold]
    fn refusal(&self) -> Result<(), String> {
        if self.trace_id.is_empty() {
            return Err("an exemplar with an empty trace_id".to_owned());
        }
        if has_nul(self.trace_id) || has_nul(self.span_id) {
            // The text format allows it, but Prometheus' parser refuses it,
            // and with it the whole scrape.
            return Err(
                "an exemplar holding a NUL character, which Prometheus refuses (with the whole scrape)"
                    .to_owned(),
            );
        }
        let chars = self.chars();
        if chars > MAX_EXEMPLAR_CHARS {
            return Err(format!(
                "an exemplar of {chars} characters (label names and values), above OpenMetrics' {MAX_EXEMPLAR_CHARS}"
            ));
        }
        Ok(())
    }
}

/// Whether `text` holds a NUL character (a `const fn`: `Exemplar::new` is).
const fn has_nul(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == 0 {
            return true;
        }
        at += 1;
    }
    false
}

/// One bucket's latest exemplar.
#[derive(Debug)]
pub struct Stored {
    /// The trace id's bytes then the span id's, when they fit.
    inline: [u8; INLINE_BYTES],
    /// Both, back to back, when they do not.
    boxed: Option<Box<str>>,
    /// Where the trace id ends and the span id ends, in either (no span
    /// id when they are equal).
    trace_len: usize,
    len: usize,
    pub(crate) value: f64,
    /// When it was recorded: read once per scrape, not converted on the
    /// hot path.
    at: WallTime,
}

impl Stored {
    fn text(&self) -> &str {
        match &self.boxed {
            Some(text) => text,
            // Only whole `&str`s are copied in.
            None => std::str::from_utf8(&self.inline[..self.len]).unwrap_or(""),
        }
    }

    /// The trace id.
    pub(crate) fn trace_id(&self) -> &str {
        &self.text()[..self.trace_len]
    }

    /// The span id, if any.
    pub(crate) fn span_id(&self) -> Option<&str> {
        (self.len > self.trace_len).then(|| &self.text()[self.trace_len..])
    }

    /// Milliseconds since the Unix epoch.
    pub(crate) fn timestamp_ms(&self) -> i64 {
        self.at.millis()
    }

    // Always inlined: see `Exemplars::record`.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn set(&mut self, exemplar: &Exemplar<'_>, value: f64, at: WallTime) {
        let trace = exemplar.trace_id.as_bytes();
        let span = exemplar.span_id.as_bytes();
        let len = trace.len() + span.len();
        // OpenTelemetry's (W3C) ids, 32 and 16 hex digits: copied as
        // fixed-size arrays, which compile to a few moves where slices of
        // any length call `memcpy` (BENCHMARKS.md, "Exemplars").
        if let (Ok(trace_w3c), Ok(span_w3c)) =
            (<&[u8; 32]>::try_from(trace), <&[u8; 16]>::try_from(span))
        {
            let (trace_slot, rest) = self.inline.split_at_mut(32);
            trace_slot.copy_from_slice(trace_w3c);
            rest[..16].copy_from_slice(span_w3c);
            self.unbox();
        } else if len <= INLINE_BYTES {
            self.inline[..trace.len()].copy_from_slice(trace);
            self.inline[trace.len()..len].copy_from_slice(span);
            self.unbox();
        } else {
            self.set_boxed(exemplar);
        }
        self.trace_len = trace.len();
        self.len = len;
        self.value = value;
        self.at = at;
    }

    /// Back to the inline buffer. The store only when a box is dropped:
    /// the slot is rarely boxed, and an unconditional store is one
    /// instruction more on every exemplar (BENCHMARKS.md, "Exemplars").
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn unbox(&mut self) {
        if self.boxed.is_some() {
            self.boxed = None;
        }
    }

    /// Values longer than the inline buffer: boxed, back to back.
    #[cold]
    fn set_boxed(&mut self, exemplar: &Exemplar<'_>) {
        self.boxed = Some(format!("{}{}", exemplar.trace_id, exemplar.span_id).into_boxed_str());
    }
}

/// The latest exemplar of each bucket of one histogram series, or of one
/// counter series (one slot) (public only so that `SeriesValue` can name
/// it; nothing outside the crate makes one).
#[derive(Debug)]
pub struct Exemplars {
    slots: Box<[Mutex<Stored>]>,
}

impl Exemplars {
    /// Empty slots for `buckets` buckets (`+Inf` included).
    pub(crate) fn new(buckets: usize) -> Self {
        Exemplars {
            slots: (0..buckets)
                .map(|_| {
                    Mutex::new(Stored {
                        inline: [0; INLINE_BYTES],
                        boxed: None,
                        trace_len: 0,
                        len: 0,
                        value: 0.0,
                        // Never recorded: `each` skips it.
                        at: WallTime::EPOCH,
                    })
                })
                .collect(),
        }
    }

    /// Records `exemplar` as bucket `bucket`'s latest, with `value` and the
    /// current time.
    // Always inlined, with `Stored::set`: left to LLVM, it went out of line
    // once counters called it too, 19 instructions more per exemplar on a
    // `Family` histogram (BENCHMARKS.md, "Exemplars").
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn record(&self, bucket: usize, exemplar: &Exemplar<'_>, value: f64) {
        let Some(slot) = self.slots.get(bucket) else {
            return;
        };
        let at = WallTime::now();
        slot.lock().set(exemplar, value, at);
    }

    /// Calls `f` with each bucket's index and latest exemplar, if any.
    pub(crate) fn each(&self, mut f: impl FnMut(usize, &Stored)) {
        for (bucket, slot) in self.slots.iter().enumerate() {
            let stored = slot.lock();
            if stored.at != WallTime::EPOCH {
                f(bucket, &stored);
            }
        }
    }
}

/// A series' exemplars, allocated with the first: until then one pointer
/// (`OnceBox`, where `OnceLock<Box<_>>` is two words), so a counter series
/// that never takes an exemplar grows by 8 bytes only.
#[derive(Default)]
pub(crate) struct ExemplarSlots(OnceBox<Exemplars>);

impl ExemplarSlots {
    /// Records `exemplar` as bucket `bucket`'s latest of `buckets` slots
    /// (allocated now if this is the series' first exemplar).
    #[inline]
    pub(crate) fn record(
        &self,
        buckets: usize,
        bucket: usize,
        exemplar: &Exemplar<'_>,
        value: f64,
    ) {
        self.0
            .get_or_init(|| Box::new(Exemplars::new(buckets)))
            .record(bucket, exemplar, value);
    }

    /// The slots, once an exemplar was recorded.
    #[inline]
    pub(crate) fn get(&self) -> Option<&Exemplars> {
        self.0.get()
    }
}

impl std::fmt::Debug for ExemplarSlots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// The exemplars of a prometheus histogram series (a plain `Histogram`
/// field, or a child of a `HistogramVec`), with its bounds: prometheus'
/// `observe` does not say which bucket a value fell in, so the bucket is
/// found again here, as prometheus finds it (the first bound at least the
/// value; `+Inf` above every bound). A counter series' are the same with no
/// bounds: one slot.
#[derive(Debug)]
pub(crate) struct BucketExemplars {
    bounds: BucketSearch,
    exemplars: Exemplars,
}

/// A series' bounds (`+Inf` excluded), as [`BucketExemplars::record`]
/// searches them.
#[derive(Debug)]
enum BucketSearch {
    /// Fewer than [`FEW_BOUNDS`] (most histograms), padded with `+Inf`:
    /// found in four steps of 8, 4, 2 and 1, each one comparison and no
    /// branch, where the binary search over a slice of any length loops
    /// (BENCHMARKS.md, "Exemplars").
    Few(Box<[f64; FEW_BOUNDS]>),
    /// [`FEW_BOUNDS`] or more, or none (a counter's one slot: the search
    /// ends at once).
    Many(Box<[f64]>),
}

/// Up to how many bounds, plus one, [`BucketSearch::Few`] holds.
const FEW_BOUNDS: usize = 16;

impl BucketSearch {
    fn new(bounds: &[f64]) -> Self {
        if (1..FEW_BOUNDS).contains(&bounds.len()) {
            let mut few = [f64::INFINITY; FEW_BOUNDS];
            few[..bounds.len()].copy_from_slice(bounds);
            BucketSearch::Few(Box::new(few))
        } else {
            BucketSearch::Many(bounds.into())
        }
    }

    /// How many bounds are below `value` (finite): the index of its bucket,
    /// as prometheus finds it (the first bound at least the value).
    #[inline]
    fn bucket(&self, value: f64) -> usize {
        match self {
            BucketSearch::Few(bounds) => {
                // `below` bounds are below `value`; each step takes `step`
                // more when the last of them is. The `+Inf` padding is
                // never below a finite value, so at most the real count.
                let mut below = 0;
                for step in [8, 4, 2, 1] {
                    below += step * usize::from(bounds[below + step - 1] < value);
                }
                below
            }
            BucketSearch::Many(bounds) => bounds.partition_point(|bound| *bound < value),
        }
    }
}

impl BucketExemplars {
    /// Empty slots for a series of these bounds (`+Inf` excluded).
    pub(crate) fn new(bounds: &[f64]) -> Self {
        let buckets = bounds.len() + 1;
        BucketExemplars {
            bounds: BucketSearch::new(bounds),
            exemplars: Exemplars::new(buckets),
        }
    }

    /// Records `exemplar` as the latest of the bucket `value` falls in.
    #[inline]
    pub(crate) fn record(&self, value: f64, exemplar: &Exemplar<'_>) {
        self.exemplars
            .record(self.bounds.bucket(value), exemplar, value);
    }

    /// The slots, for a scrape.
    pub(crate) fn exemplars(&self) -> &Exemplars {
        &self.exemplars
    }

    /// Whether any bucket holds an exemplar.
    pub(crate) fn any(&self) -> bool {
        let mut any = false;
        self.exemplars.each(|_, _| any = true);
        any
    }
}

#[cfg(test)]
mod tests {
    use super::{
        BucketExemplars, BucketSearch, Exemplar, Exemplars, FEW_BOUNDS, MAX_EXEMPLAR_CHARS,
    };

    #[test]
    fn the_latest_exemplar_of_each_bucket_is_kept_inline_or_boxed() {
        let exemplars = Exemplars::new(4);
        exemplars.record(1, &Exemplar::new("abc").span_id("de"), 0.5);
        exemplars.record(1, &Exemplar::new("xyz"), 0.7);
        let long = "t".repeat(100);
        exemplars.record(2, &Exemplar::new(&long), 9.0);
        // Boxed, with a NUL inside the trace id: split by length, not by
        // any byte the values may hold.
        let nul = format!("{}\u{0}x", "n".repeat(70));
        exemplars.record(0, &Exemplar::new(&nul).span_id("s"), 2.0);
        exemplars.record(7, &Exemplar::new("nowhere"), 1.0);
        // An empty span id is none (as Prometheus reads an empty label).
        exemplars.record(3, &Exemplar::new("no-span").span_id(""), 4.0);
        let mut seen = Vec::new();
        exemplars.each(|bucket, stored| {
            seen.push((
                bucket,
                stored.trace_id().to_owned(),
                stored.span_id().map(str::to_owned),
                stored.value,
            ));
        });
        assert_eq!(
            seen,
            [
                (0, nul.clone(), Some("s".to_owned()), 2.0),
                (1, "xyz".to_owned(), None, 0.7),
                (2, long.clone(), None, 9.0),
                (3, "no-span".to_owned(), None, 4.0)
            ]
        );
    }

    #[test]
    fn bucket_exemplars_find_the_bucket_as_prometheus_does() {
        let exemplars = BucketExemplars::new(&[1.0, 2.0]);
        assert!(!exemplars.any());
        // On a bound: that bound's bucket (`le`); above every bound: `+Inf`.
        exemplars.record(1.0, &Exemplar::new("a"));
        exemplars.record(7.0, &Exemplar::new("b"));
        let mut seen = Vec::new();
        exemplars
            .exemplars()
            .each(|bucket, stored| seen.push((bucket, stored.trace_id().to_owned())));
        assert_eq!(seen, [(0, "a".to_owned()), (2, "b".to_owned())]);
        assert!(exemplars.any());
    }

    #[test]
    fn the_bucket_search_agrees_with_partition_point() {
        // Every length around the padded form's edge, values on, between,
        // below and above the bounds.
        for len in 0u32..=40 {
            let bounds: Vec<f64> = (0..len).map(|i| f64::from(i) * 0.5 - 3.0).collect();
            let search = BucketSearch::new(&bounds);
            assert_eq!(
                matches!(search, BucketSearch::Few(_)),
                (1..FEW_BOUNDS).contains(&bounds.len())
            );
            let mut values = vec![-1e300, 1e300, -0.0, 0.0, f64::MIN, f64::MAX];
            for bound in &bounds {
                values.extend([
                    *bound,
                    bound - 0.25,
                    bound + 0.25,
                    bound.next_down(),
                    bound.next_up(),
                ]);
            }
            for value in values {
                assert_eq!(
                    search.bucket(value),
                    bounds.partition_point(|bound| *bound < value),
                    "{value} in {bounds:?}"
                );
            }
        }
    }

    #[test]
    fn exemplars_past_the_openmetrics_limit_are_refused() {
        let at_limit = "é".repeat(MAX_EXEMPLAR_CHARS - 8);
        assert!(Exemplar::new(&at_limit).check().is_ok());
        let over = "a".repeat(MAX_EXEMPLAR_CHARS - 8 + 1);
        assert!(Exemplar::new(&over)
            .check()
            .unwrap_err()
            .contains("above OpenMetrics' 128"));
        assert!(Exemplar::new("a")
            .span_id(&"b".repeat(120))
            .check()
            .is_err());
        assert!(Exemplar::new("").check().is_err());
        // Prometheus' OpenMetrics parser refuses a NUL, and the scrape with it.
        assert!(Exemplar::new("a\u{0}b")
            .check()
            .unwrap_err()
            .contains("NUL"));
        assert!(Exemplar::new("a").span_id("\u{0}").check().is_err());
    }
}
