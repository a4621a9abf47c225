//! What a family's series are written into before they are sorted: the
//! label-text arena, the sort prefix, the entries; and the small writers
//! (escaping, sort keys, sample values) the encoder shares.

use std::fmt::Write as _;

/// One series, its text and sort key in the arenas of its family.
pub(super) struct Entry {
    /// The sort key: a range of the label text, or of the keys arena.
    pub(super) key: (u32, u32),
    pub(super) labels: (u32, u32),
    /// Where the series' numbers start in the values arena.
    pub(super) values: u32,
    /// The index of its bounds (histograms) or quantiles (summaries).
    pub(super) bounds: u32,
    pub(super) timestamp: i64,
    pub(super) source: u32,
}

/// One bucket's exemplar of one series, for OpenMetrics.
pub(super) struct ExemplarLine {
    /// The series' index among the family's entries, and the bucket's
    /// among its bounds (`+Inf` last).
    pub(super) entry: u32,
    pub(super) bucket: u32,
    /// `trace_id="…"` (and `,span_id="…"`), escaped, in the exemplar text
    /// arena.
    pub(super) labels: (u32, u32),
    pub(super) value: f64,
    pub(super) timestamp_ms: i64,
}

/// Where a family's exemplars are written, when the exposition shows them
/// (OpenMetrics).
pub(super) struct ExemplarSink<'a> {
    pub(super) text: &'a mut String,
    pub(super) lines: &'a mut Vec<ExemplarLine>,
}

/// What a family's series are written into before they are sorted.
pub(crate) struct SeriesSink<'a> {
    /// `name="value"` pairs joined by `,`, escaped, per series.
    pub(super) text: &'a mut String,
    pub(super) values: &'a mut Vec<f64>,
    pub(super) entries: &'a mut Vec<Entry>,
    /// Labels every series of the current source ends with.
    pub(super) extra: &'a [(String, String)],
    /// How many bytes every series' text starts with alike (the first
    /// label's opener, when every series has the same label names).
    pub(super) skip: usize,
    /// Whether every value so far holds only bytes above `"`: then the
    /// label texts sort as their values do (see `Pending::write`).
    pub(super) plain: bool,
    pub(super) source: u32,
    pub(super) bounds: u32,
    /// The current series: its start in the text and values arenas.
    pub(super) start: (usize, usize),
    /// `None` when the exposition shows no exemplars (the text format).
    pub(super) exemplars: Option<ExemplarSink<'a>>,
}

impl SeriesSink<'_> {
    /// The current series' exemplars, kept if the exposition shows them.
    #[inline]
    pub(crate) fn exemplars(&mut self, exemplars: &crate::exemplar::Exemplars) {
        let Some(sink) = &mut self.exemplars else {
            return;
        };
        let entry = offset(self.entries.len());
        exemplars.each(|bucket, stored| {
            let start = sink.text.len();
            sink.text.push_str("trace_id=\"");
            push_escaped(sink.text, stored.trace_id(), true);
            sink.text.push('"');
            if let Some(span) = stored.span_id() {
                sink.text.push_str(",span_id=\"");
                push_escaped(sink.text, span, true);
                sink.text.push('"');
            }
            sink.lines.push(ExemplarLine {
                entry,
                bucket: offset(bucket),
                labels: (offset(start), offset(sink.text.len())),
                value: stored.value,
                timestamp_ms: stored.timestamp_ms(),
            });
        });
    }

    /// Starts a series.
    #[inline]
    pub(crate) fn begin(&mut self) {
        self.start = (self.text.len(), self.values.len());
    }

    /// The series' next label, in the order of the names: `opener` is what
    /// the text writes before its value (`name="`, after a `,` but for the
    /// first); `plain` when the value is known to hold no byte to escape or
    /// below `"` (`LabelField::PLAIN`), which spares looking at it.
    // Always inlined: once per label of every series a scrape writes.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn label(&mut self, opener: &str, value: &str, plain: bool) {
        self.text.push_str(opener);
        if plain {
            self.text.push_str(value);
            self.text.push('"');
        } else {
            self.value(value);
        }
    }

    /// A label of the series given with its name.
    pub(crate) fn pair(&mut self, name: &str, value: &str) {
        if self.text.len() > self.start.0 {
            self.text.push(',');
        }
        self.text.push_str(name);
        self.text.push_str("=\"");
        self.value(value);
    }

    /// A label's value, escaped, then the closing quote.
    // The escaping branch stays first: swapped, the encoder's per-label path
    // could be laid out differently.
    #[allow(clippy::if_not_else)]
    #[inline]
    fn value(&mut self, value: &str) {
        // One scan: most values are plain and copied as they are.
        if !metric_group_rules::label_value_is_plain(value) {
            self.plain &= !value.bytes().any(|b| b < b'#');
            push_escaped(self.text, value, true);
        } else {
            self.text.push_str(value);
        }
        self.text.push('"');
    }

    /// Where the series' numbers go (see `SeriesValue::snapshot`).
    #[inline]
    pub(crate) fn values(&mut self) -> &mut Vec<f64> {
        self.values
    }

    /// Ends the series.
    // Always inlined: once per series a scrape writes.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn end(&mut self, timestamp: i64) {
        for (name, value) in self.extra {
            self.pair(name, value);
        }
        let (text, values) = self.start;
        let key = (text + self.skip).min(self.text.len());
        self.entries.push(Entry {
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
pub(super) fn sort_by_prefix(order: &mut Vec<(u64, u32)>) {
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

/// The first eight bytes of the values of a label text whose labels'
/// openers are known (`openers`: each label's `name="` with the `,` before
/// it but for the first, by length), each value with its closing quote,
/// past the first opener (`text` starts at the first value): how the text
/// compares, less what every text of the family holds alike. For values
/// without a `"` of their own (the family's texts are `plain`, see
/// `Pending::write`); shorter prefixes are padded with zeros, as
/// [`prefix_of`] pads.
#[inline]
pub(super) fn value_prefix(text: &[u8], openers: &[usize]) -> u64 {
    let mut prefix = 0u64;
    let mut taken = 0;
    let mut at = 0;
    let mut label = 0;
    while taken < 8 {
        let Some(&b) = text.get(at) else {
            break;
        };
        prefix = prefix << 8 | u64::from(b);
        taken += 1;
        at += 1;
        if b == b'"' {
            label += 1;
            at += openers.get(label).copied().unwrap_or(0);
        }
    }
    prefix.checked_shl(8 * (8 - taken)).unwrap_or(0)
}

/// The first eight bytes of a key as a number that compares as they do
/// (shorter keys padded with zeros, which sort first as a shorter key does).
#[inline]
pub(super) fn prefix_of(key: &[u8]) -> u64 {
    let mut prefix = [0u8; 8];
    let n = key.len().min(8);
    prefix[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(prefix)
}

/// Arena offsets fit in `u32`: an exposition of 4 GiB is refused long
/// before (Prometheus' own body limit is far below it).
pub(super) fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Appends to `keys` a key for the label text `text` (`name="value",...`,
/// escaped) that compares as the sequence of its values: each string
/// unescaped, ending with `00 00`, a `00` inside it written `00 FF`. With
/// `names` (series of one family that differ in their label names), as
/// prometheus' `Registry::gather` orders them: by the number of labels
/// first, then by the values, and by the names last (prometheus leaves
/// such ties in the order collected; a key must tell them apart).
pub(super) fn push_key(keys: &mut Vec<u8>, text: &str, names: bool) {
    if names {
        let count = u32::try_from(label_pairs(text).count()).unwrap_or(u32::MAX);
        keys.extend_from_slice(&count.to_be_bytes());
    }
    for (_, value) in label_pairs(text) {
        let mut bytes = value.iter();
        while let Some(&b) = bytes.next() {
            let b = match b {
                b'\\' => match bytes.next() {
                    Some(b'n') => b'\n',
                    Some(&escaped) => escaped,
                    None => b,
                },
                _ => b,
            };
            keys.push(b);
            if b == 0 {
                keys.push(0xFF);
            }
        }
        keys.extend_from_slice(&[0, 0]);
    }
    if names {
        for (name, _) in label_pairs(text) {
            push_key_bytes(keys, name);
        }
    }
}

/// The `(name, escaped value)` pairs of a label text.
fn label_pairs(text: &str) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = text.as_bytes();
    std::iter::from_fn(move || {
        let equals = rest.iter().position(|&b| b == b'=')?;
        let name = &rest[..equals];
        // Past `="`: the value, up to its unescaped closing quote.
        let start = (equals + 2).min(rest.len());
        let mut i = start;
        while i < rest.len() && rest[i] != b'"' {
            i += if rest[i] == b'\\' { 2 } else { 1 };
        }
        let value = &rest[start..i.min(rest.len())];
        // Past the closing quote and the `,` that may follow it.
        rest = rest.get(i + 2..).unwrap_or_default();
        Some((name, value))
    })
}

pub(super) fn push_key_bytes(keys: &mut Vec<u8>, bytes: &[u8]) {
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
pub(super) fn push_escaped(out: &mut String, value: &str, quotes: bool) {
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
pub(super) fn push_value(out: &mut String, value: f64) {
    // 2^53, below which an `f64` holds every integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    // The saturating cast and back compare equal only for integers (NaN and
    // infinities fail the range test first); `-0.0` keeps its sign.
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let integer = value as i64;
    #[allow(clippy::cast_precision_loss, clippy::float_cmp)]
    let exact = value.abs() < EXACT && integer as f64 == value;
    if exact && !(value == 0.0 && value.is_sign_negative()) {
        out.push_str(itoa::Buffer::new().format(integer));
    } else {
        let _ = write!(out, "{value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // The extremes of `i64` as the nearest `f64`s, rounding meant.
    #[allow(clippy::cast_precision_loss)]
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
