//! Writing one family: its series sorted by their label values (series
//! seen in two registries written once), `# HELP`, `# TYPE` and samples as
//! prometheus' `TextEncoder` writes them.

use std::sync::Arc;

use prometheus::proto::{self, MetricType};

use super::proto::proto_values;
use super::sink::{
    offset, prefix_of, push_escaped, push_key, push_value, sort_by_prefix, value_prefix, Entry,
    ExemplarLine, ExemplarSink,
};
use super::{Format, Pending, SeriesSink, Source};
use crate::gather::check_unique_label_names;
use crate::Error;

impl Pending<'_> {
    /// Writes the family in `format`: `# HELP`, `# TYPE` (and, in
    /// OpenMetrics, `# UNIT`), then its series, sorted by their label pairs
    /// when `sort` (with series seen in two registries written once), else
    /// in the order given. Nothing for a family without series.
    // One pass over the family's series, the encoder's hot loop: split into
    // functions, its code generation could change.
    #[allow(clippy::too_many_lines)]
    pub(super) fn write(&self, out: &mut String, sort: bool, format: Format) -> Result<(), Error> {
        // Each label's opener, by length, when every series carries the
        // same label names; the first is what every label text starts with.
        let openers = self.common_openers();
        let skip = openers.as_ref().map(|o| o.first().copied().unwrap_or(0));
        // A family read alone, from one registry, keeps its order between
        // scrapes (`order.rs`): the count of its changes before the walk.
        let kept = match (sort, self.sources.as_slice()) {
            (true, [Source::Direct { family, extra, .. }]) => family
                .scrape_order()
                .map(|order| (order, order.changes(), extra.as_slice())),
            _ => None,
        };
        let mut text = String::new();
        let mut values = Vec::new();
        let mut entries = Vec::new();
        let mut bounds: Vec<Vec<f64>> = Vec::new();
        let mut plain = true;
        // Exemplars, in OpenMetrics only: their label texts and lines.
        let mut exemplar_text = String::new();
        let mut exemplar_lines: Vec<ExemplarLine> = Vec::new();
        for (index, source) in self.sources.iter().enumerate() {
            let exemplars = if format == Format::OpenMetrics {
                Some(ExemplarSink {
                    text: &mut exemplar_text,
                    lines: &mut exemplar_lines,
                })
            } else {
                None
            };
            let mut sink = SeriesSink {
                text: &mut text,
                values: &mut values,
                entries: &mut entries,
                extra: &[],
                skip: skip.unwrap_or(0),
                plain,
                source: offset(index),
                bounds: u32::MAX,
                start: (0, 0),
                exemplars,
            };
            match source {
                Source::Direct { family, extra, .. } => {
                    let expected = family.len_hint();
                    sink.entries.reserve(expected);
                    // Each label's `,name="`, its quote and a value of up
                    // to 12 bytes (an id): regrowing the arena copies it.
                    let per_series: usize = family
                        .label_names()
                        .iter()
                        .map(|name| name.len() + 17)
                        .sum();
                    sink.text.reserve(expected * per_series);
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
        let by_text = plain && skip.is_some();
        let mut keys = Vec::new();
        // Each entry's sort prefix (the first bytes of its key, to settle
        // most comparisons at once) and index, in the order written.
        let mut order: Vec<(u64, u32)> = Vec::new();
        let reused = kept.is_some_and(|(kept, changes, extra)| {
            kept.changes() == changes && kept.reuse(changes, extra, entries.len(), &mut order)
        });
        if sort && !reused {
            order.reserve_exact(entries.len());
            if by_text {
                let openers = openers.as_deref().unwrap_or_default();
                for (index, entry) in entries.iter().enumerate() {
                    let key = &text.as_bytes()[entry.key.0 as usize..entry.key.1 as usize];
                    order.push((value_prefix(key, openers), offset(index)));
                }
            } else {
                for (index, entry) in entries.iter_mut().enumerate() {
                    let start = keys.len();
                    let labels = &text[entry.labels.0 as usize..entry.labels.1 as usize];
                    push_key(&mut keys, labels, skip.is_none());
                    entry.key = (offset(start), offset(keys.len()));
                    order.push((prefix_of(&keys[start..]), offset(index)));
                }
            }
        } else if !sort {
            order.extend((0..entries.len()).map(|index| (0, offset(index))));
        }
        let sort_bytes: &[u8] = if keys.is_empty() {
            text.as_bytes()
        } else {
            &keys
        };
        // Sorted as (prefix, index) pairs, 16 bytes each, rather than as
        // whole entries; the index breaks ties between equal keys, so the
        // order of the entries given is kept for them.
        if sort && !reused {
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
            if let Some((kept, changes, extra)) = kept {
                // Kept only if nothing changed while the family was walked.
                if kept.changes() == changes {
                    kept.keep(changes, extra, &order);
                }
            }
        }
        // Series seen in two registries are written once (or refused): only
        // a family merged from several registries can hold them.
        let merged = sort
            && self
                .sources
                .iter()
                .any(|source| source.registry() != self.sources[0].registry());
        let arenas = Arenas {
            text: &text,
            keys: sort_bytes,
            values: &values,
            bounds: &bounds,
            entries: &entries,
            exemplar_text: &exemplar_text,
            exemplar_lines: &exemplar_lines,
        };
        let names = self.sample_names(format);
        match format {
            Format::Text => {
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
            }
            Format::OpenMetrics => self.write_openmetrics_header(out, names.family),
        }
        let lines = match self.kind {
            MetricType::HISTOGRAM | MetricType::SUMMARY => 3 + bounds.first().map_or(0, Vec::len),
            _ => 1,
        };
        out.reserve(lines * (text.len() + entries.len() * (self.name.len() + 40)));
        let mut scratch = String::new();
        let mut previous: Option<(u64, &Entry)> = None;
        for (i, &(prefix, index)) in order.iter().enumerate() {
            let entry = &entries[index as usize];
            if merged {
                // Keys equal only where prefixes are: most series are
                // told apart without reading their keys.
                let same = previous
                    .filter(|&(p, kept)| p == prefix && arenas.key(kept) == arenas.key(entry));
                if let Some((_, kept)) = same {
                    if self.duplicate(kept, entry, &order[..i], &arenas)? {
                        continue;
                    }
                }
            }
            previous = Some((prefix, entry));
            // The format as a constant: the text format's loop is compiled
            // as if OpenMetrics did not exist.
            match names.format {
                Format::Text => {
                    self.write_series::<false>(out, index, &arenas, &names, &mut scratch);
                }
                Format::OpenMetrics => {
                    self.write_series::<true>(out, index, &arenas, &names, &mut scratch);
                }
            }
        }
        if names.format == Format::OpenMetrics {
            self.check_openmetrics_values(&order, &arenas)?;
        }
        Ok(())
    }

    /// When every series of the family carries the same label names, the
    /// length of each label's opener in their label texts (`name="` for
    /// the first, what every text starts with alike; `,name="` for the
    /// others); `None` otherwise.
    fn common_openers(&self) -> Option<Vec<usize>> {
        let mut first: Option<Vec<&str>> = None;
        for source in &self.sources {
            match source {
                Source::Direct { family, extra, .. } => {
                    if !family.uniform() {
                        return None;
                    }
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
        let names = first.unwrap_or_default();
        Some(
            (names.iter().enumerate())
                .map(|(i, name)| name.len() + if i == 0 { 2 } else { 3 })
                .collect(),
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
        earlier: &[(u64, u32)],
        arenas: &Arenas<'_>,
    ) -> Result<bool, Error> {
        let registry = |e: &Entry| self.sources[e.source as usize].registry();
        let other = earlier
            .iter()
            .rev()
            .map(|&(_, index)| &arenas.entries[index as usize])
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
                "two registries hold different series labelled {{{}}}",
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

    /// The names the family's lines use in `format`: OpenMetrics names a
    /// counter's family without `_total` and its samples with it (added to
    /// a counter named without it, as OpenMetrics requires).
    pub(super) fn sample_names(&self, format: Format) -> SampleNames<'_> {
        if format == Format::OpenMetrics && self.kind == MetricType::COUNTER {
            let family = self.openmetrics_family();
            let sample = format!("{family}_total");
            SampleNames {
                family,
                opened: format!("{sample}{{"),
                sample,
                format,
            }
        } else {
            SampleNames {
                family: &self.name,
                sample: self.name.clone(),
                opened: self.opened.clone(),
                format,
            }
        }
    }

    /// The family's name in OpenMetrics: a counter's without `_total`.
    pub(super) fn openmetrics_family(&self) -> &str {
        if self.kind == MetricType::COUNTER {
            self.name.strip_suffix("_total").unwrap_or(&self.name)
        } else {
            &self.name
        }
    }

    /// `# TYPE`, `# UNIT` (where the metric was declared with a unit its
    /// name carries) and `# HELP` of OpenMetrics.
    fn write_openmetrics_header(&self, out: &mut String, family: &str) {
        out.push_str("# TYPE ");
        out.push_str(family);
        out.push(' ');
        out.push_str(match self.kind {
            MetricType::UNTYPED => "unknown",
            kind => type_name(kind),
        });
        out.push('\n');
        if let Some(unit) = crate::units::unit_of(&self.name, family) {
            out.push_str("# UNIT ");
            out.push_str(family);
            out.push(' ');
            out.push_str(unit);
            out.push('\n');
        }
        if !self.help.is_empty() {
            out.push_str("# HELP ");
            out.push_str(family);
            out.push(' ');
            push_escaped(out, &self.help, true);
            out.push('\n');
        }
    }

    /// `Err` for a series OpenMetrics refuses: a counter, bucket or count
    /// that is NaN or negative, a quantile that is negative. (A `_sum`
    /// OpenMetrics refuses is left out by `write_series`.) Only collectors
    /// registered by hand can give them.
    fn check_openmetrics_values(
        &self,
        order: &[(u64, u32)],
        arenas: &Arenas<'_>,
    ) -> Result<(), Error> {
        let refused = |value: f64| value.is_nan() || value < 0.0;
        for &(_, index) in order {
            let entry = &arenas.entries[index as usize];
            let values = &arenas.values[entry.values as usize..];
            let bad = match self.kind {
                MetricType::COUNTER => {
                    refused(values[0]).then_some("a counter that is NaN or negative")
                }
                MetricType::HISTOGRAM => {
                    let n = arenas.bounds(entry).len();
                    (refused(values[0]) || values[2..2 + n].iter().any(|v| refused(*v)))
                        .then_some("a bucket or count that is NaN or negative")
                }
                MetricType::SUMMARY => {
                    let n = arenas.bounds(entry).len();
                    if refused(values[0]) {
                        Some("a count that is NaN or negative")
                    } else {
                        values[2..2 + n]
                            .iter()
                            .any(|v| *v < 0.0)
                            .then_some("a quantile that is negative")
                    }
                }
                _ => None,
            };
            if let Some(bad) = bad {
                return Err(Error::OpenMetrics {
                    metric: self.name.clone(),
                    reason: format!("the series {{{}}} holds {bad}", arenas.labels(entry)),
                });
            }
        }
        Ok(())
    }

    /// Writes one series' samples, in OpenMetrics if `OPENMETRICS` (the
    /// text format otherwise); `scratch` holds each `le` or `quantile`
    /// value as it is written.
    fn write_series<const OPENMETRICS: bool>(
        &self,
        out: &mut String,
        index: u32,
        arenas: &Arenas<'_>,
        names: &SampleNames<'_>,
        scratch: &mut String,
    ) {
        let entry = &arenas.entries[index as usize];
        let labels = arenas.labels(entry);
        let values = &arenas.values[entry.values as usize..];
        // This series' exemplars (OpenMetrics), by bucket.
        let exemplars = if OPENMETRICS {
            arenas.exemplars_of(index)
        } else {
            &[]
        };
        let sample = |out: &mut String, suffix: &str, extra: Option<(&str, &str)>, value: f64| {
            match extra {
                None => names.open_sample(out, suffix, labels),
                Some((name, text)) => {
                    out.push_str(&names.sample);
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
            close_sample::<OPENMETRICS>(out, value, entry.timestamp);
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
                let bounds = arenas.bounds(entry);
                for (bucket, (limit, value)) in bounds.iter().zip(&values[2..]).enumerate() {
                    scratch.clear();
                    if OPENMETRICS {
                        push_openmetrics_bound(scratch, *limit);
                    } else {
                        // `f64`'s `Display`, as prometheus writes bounds and
                        // quantiles (a collector's own `+Inf` bound is `inf`).
                        push_value(scratch, *limit);
                    }
                    sample(out, suffix, Some((label, scratch)), *value);
                    if OPENMETRICS {
                        arenas.write_exemplar(out, exemplars, bucket);
                    }
                    inf_seen |= *limit == f64::INFINITY;
                }
                if histogram && !inf_seen {
                    sample(out, "_bucket", Some(("le", "+Inf")), count);
                    if OPENMETRICS {
                        arenas.write_exemplar(out, exemplars, bounds.len());
                    }
                }
                // OpenMetrics refuses a NaN or negative `_sum`, and a sum
                // at all on a histogram with a negative bucket threshold;
                // both are optional, and parsers want `_count` only beside
                // `_sum` (the `+Inf` bucket holds the count), so the two
                // are left out together.
                let negative_threshold = histogram && bounds.first().is_some_and(|b| *b < 0.0);
                if !OPENMETRICS || (sum >= 0.0 && !negative_threshold) {
                    sample(out, "_sum", None, sum);
                    sample(out, "_count", None, count);
                }
            }
            // Most series: written here, not through the closure, which
            // the compiler keeps out of line for the loop above.
            _ => {
                names.open_sample(out, "", labels);
                close_sample::<OPENMETRICS>(out, values[0], entry.timestamp);
                // A counter's exemplar (the only scalar kind that keeps
                // one), on its `_total` sample.
                if OPENMETRICS && !exemplars.is_empty() {
                    arenas.write_exemplar(out, exemplars, 0);
                }
            }
        }
    }
}

/// The names a family's lines start with, in one format.
pub(super) struct SampleNames<'a> {
    /// The family's name in `# TYPE`, `# UNIT` and `# HELP`.
    pub(super) family: &'a str,
    /// Its samples' name, before any suffix.
    sample: String,
    /// `sample` and an opening brace, as most samples start.
    opened: String,
    format: Format,
}

impl SampleNames<'_> {
    /// A sample's name and labels, up to the space before its value.
    #[inline]
    fn open_sample(&self, out: &mut String, suffix: &str, labels: &str) {
        if labels.is_empty() {
            out.push_str(&self.sample);
            out.push_str(suffix);
        } else {
            if suffix.is_empty() {
                out.push_str(&self.opened);
            } else {
                out.push_str(&self.sample);
                out.push_str(suffix);
                out.push('{');
            }
            out.push_str(labels);
            out.push('}');
        }
    }
}

struct Arenas<'a> {
    text: &'a str,
    keys: &'a [u8],
    values: &'a [f64],
    bounds: &'a [Vec<f64>],
    entries: &'a [Entry],
    exemplar_text: &'a str,
    /// In the order of their entries, then buckets.
    exemplar_lines: &'a [ExemplarLine],
}

impl Arenas<'_> {
    /// The exemplars of entry `index`.
    fn exemplars_of(&self, index: u32) -> &[ExemplarLine] {
        if self.exemplar_lines.is_empty() {
            return &[];
        }
        let start = self
            .exemplar_lines
            .partition_point(|line| line.entry < index);
        let end = self
            .exemplar_lines
            .partition_point(|line| line.entry <= index);
        &self.exemplar_lines[start..end]
    }

    /// Appends to the sample line just written (before its line end) the
    /// exemplar of `bucket` among `exemplars`, if any.
    fn write_exemplar(&self, out: &mut String, exemplars: &[ExemplarLine], bucket: usize) {
        let Some(line) = exemplars.iter().find(|line| line.bucket as usize == bucket) else {
            return;
        };
        out.pop(); // the line end
        out.push_str(" # {");
        out.push_str(&self.exemplar_text[line.labels.0 as usize..line.labels.1 as usize]);
        out.push_str("} ");
        push_value(out, line.value);
        out.push(' ');
        push_seconds(out, line.timestamp_ms);
        out.push('\n');
    }

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

/// A sample's value, timestamp (if any) and line end. OpenMetrics spells
/// infinities and NaN its own way and gives timestamps in seconds.
// Always inlined: once per sample a scrape writes.
#[allow(clippy::inline_always)]
#[inline(always)]
fn close_sample<const OPENMETRICS: bool>(out: &mut String, value: f64, timestamp: i64) {
    out.push(' ');
    if OPENMETRICS && !value.is_finite() {
        push_openmetrics_special(out, value);
    } else {
        push_value(out, value);
    }
    if timestamp != 0 {
        out.push(' ');
        if OPENMETRICS {
            push_seconds(out, timestamp);
        } else {
            out.push_str(itoa::Buffer::new().format(timestamp));
        }
    }
    out.push('\n');
}

/// `+Inf`, `-Inf` or `NaN`, as OpenMetrics spells them.
#[cold]
fn push_openmetrics_special(out: &mut String, value: f64) {
    out.push_str(if value.is_nan() {
        "NaN"
    } else if value > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    });
}

/// A bucket bound or quantile as OpenMetrics wants label values that are
/// numbers: a float (`1.0`, not `1`), `+Inf` for infinity.
fn push_openmetrics_bound(out: &mut String, limit: f64) {
    if !limit.is_finite() {
        push_openmetrics_special(out, limit);
        return;
    }
    let start = out.len();
    push_value(out, limit);
    if !out[start..].contains(['.', 'e', 'E']) {
        out.push_str(".0");
    }
}

/// A timestamp in milliseconds written as seconds (`1700000000.123`).
fn push_seconds(out: &mut String, millis: i64) {
    if millis < 0 {
        out.push('-');
    }
    let millis = millis.unsigned_abs();
    out.push_str(itoa::Buffer::new().format(millis / 1000));
    let fraction = millis % 1000;
    if fraction != 0 {
        // Three digits, trailing zeros dropped.
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(fraction + 1000);
        out.push('.');
        out.push_str(digits[1..].trim_end_matches('0'));
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
