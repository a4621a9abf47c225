//! Prometheus' data model for names, and the rules metric-group adds: each
//! rule once, as a `const fn` returning a typed error whose `Display` is the
//! rule's one message.

use std::fmt;

use crate::lint::{lint_metric, Lint, LintSet, MetricKind};

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`
#[must_use]
pub const fn is_valid_metric_name(name: &str) -> bool {
    is_name(name.as_bytes(), true)
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`
#[must_use]
pub const fn is_valid_label_name(name: &str) -> bool {
    is_name(name.as_bytes(), false)
}

/// Whether a label name is written in `snake_case`: no upper-case letter.
/// What a `LabelSet`'s label names are held to, literal or constant
/// (promtool's camelCase lint flags a subset of these).
#[must_use]
pub const fn is_snake_case_label_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_uppercase() {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether a label value is written as it is and sorts as its text: no byte
/// the text format escapes (`\`, `"`, a newline) and none that sorts
/// before `"` (a space, control characters). Scrapes copy plain values
/// without looking at them (the derive judges enum values by it, a family
/// its const labels).
#[must_use]
pub const fn label_value_is_plain(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < b'#' || bytes[i] == b'\\' {
            return false;
        }
        i += 1;
    }
    true
}

/// Letters, `_` (and `:` for metric names), then digits too.
const fn is_name(b: &[u8], colons: bool) -> bool {
    if b.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let ok = c.is_ascii_alphabetic()
            || c == b'_'
            || (colons && c == b':')
            || (i > 0 && c.is_ascii_digit());
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

/// The label that marks a family's overflow series, where label sets past
/// its limits write (value `"true"`): no declared label may carry it.
pub const OVERFLOW_LABEL: &str = "metric_group_overflow";

/// Label names starting with `__` are reserved for Prometheus' internal use.
#[must_use]
pub const fn is_reserved_label_name(name: &str) -> bool {
    crate::bytes::starts_with(name.as_bytes(), b"__")
}

/// Whether `prefix` + `_` + `name` (or `name` alone for an empty prefix) is a
/// valid metric name, without building the string.
#[must_use]
pub const fn full_name_is_valid(prefix: &str, name: &str) -> bool {
    check_full_name(prefix, name).is_ok()
}

const fn name_tail_is_valid(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_alphanumeric() || c == b'_' || c == b':') {
            return false;
        }
        i += 1;
    }
    true
}

/// Why a metric name or prefix cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NameError {
    /// No name at all.
    Empty,
    /// Not `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    Syntax,
    /// A prefix that is neither empty nor a metric name.
    PrefixSyntax,
    /// A histogram named like one of its own series.
    HistogramSuffix,
    /// A prefix ending in `_`, which the join doubles (`router__requests`).
    PrefixTrailingUnderscore,
}

impl NameError {
    /// Every error, in [`index`](Self::index) order: the derive emits one
    /// message per error into const-evaluated checks.
    pub const ALL: [NameError; 5] = [
        NameError::Empty,
        NameError::Syntax,
        NameError::PrefixSyntax,
        NameError::HistogramSuffix,
        NameError::PrefixTrailingUnderscore,
    ];

    /// The error's position in [`ALL`](Self::ALL).
    #[must_use]
    pub const fn index(self) -> usize {
        match self {
            NameError::Empty => 0,
            NameError::Syntax => 1,
            NameError::PrefixSyntax => 2,
            NameError::HistogramSuffix => 3,
            NameError::PrefixTrailingUnderscore => 4,
        }
    }

    /// The rule, as every report of it states it.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            NameError::Empty => "a metric name must not be empty",
            NameError::Syntax => {
                "not a valid Prometheus metric name: expected `[a-zA-Z_:][a-zA-Z0-9_:]*`"
            }
            NameError::PrefixSyntax => {
                "not a valid prefix: expected `[a-zA-Z_:][a-zA-Z0-9_:]*`, or empty for none"
            }
            NameError::HistogramSuffix => {
                "a histogram's name must not end in `_bucket`, `_count` or `_sum`: its own series would collide with it"
            }
            NameError::PrefixTrailingUnderscore => {
                "a prefix must not end in `_`: the name is joined to it with `_` already (`router`, not `router_`)"
            }
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for NameError {}

/// A metric name: not empty, `[a-zA-Z_:][a-zA-Z0-9_:]*`.
///
/// # Errors
/// [`NameError::Empty`] or [`NameError::Syntax`].
pub const fn check_metric_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        Err(NameError::Empty)
    } else if is_valid_metric_name(name) {
        Ok(())
    } else {
        Err(NameError::Syntax)
    }
}

/// A prefix: empty (none), or a metric name not ending in `_` (the join
/// adds one).
///
/// # Errors
/// [`NameError::PrefixSyntax`], or [`NameError::PrefixTrailingUnderscore`].
pub const fn check_prefix(prefix: &str) -> Result<(), NameError> {
    if prefix.is_empty() {
        Ok(())
    } else if !is_valid_metric_name(prefix) {
        Err(NameError::PrefixSyntax)
    } else if crate::bytes::ends_with(prefix.as_bytes(), b"_") {
        Err(NameError::PrefixTrailingUnderscore)
    } else {
        Ok(())
    }
}

/// `prefix` + `_` + `name` (or `name` alone for an empty prefix), without
/// building the string; a bad prefix is the prefix's error.
///
/// # Errors
/// The prefix's error, else the name's ([`NameError::Empty`],
/// [`NameError::Syntax`]).
pub const fn check_full_name(prefix: &str, name: &str) -> Result<(), NameError> {
    if let Err(error) = check_prefix(prefix) {
        return Err(error);
    }
    if prefix.is_empty() {
        return check_metric_name(name);
    }
    if name.is_empty() {
        Err(NameError::Empty)
    } else if name_tail_is_valid(name.as_bytes()) {
        // The name may start with a digit here: it is not the first character.
        Ok(())
    } else {
        Err(NameError::Syntax)
    }
}

/// A histogram's full name: a metric name not ending in a suffix of its
/// own series ([`histogram_series_suffix`](crate::histogram_series_suffix)).
///
/// # Errors
/// The name's error, else [`NameError::HistogramSuffix`].
pub const fn check_histogram_name(name: &str) -> Result<(), NameError> {
    if let Err(error) = check_metric_name(name) {
        return Err(error);
    }
    match crate::lint::histogram_series_suffix(name) {
        Some(_) => Err(NameError::HistogramSuffix),
        None => Ok(()),
    }
}

/// Why two families of one group cannot both be declared, whatever is
/// allowed: they would write one series, or one OpenMetrics family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SeriesClash {
    /// A histogram's `_bucket`, `_count` or `_sum` series is the other
    /// family's name or series.
    HistogramSeries,
    /// A counter's OpenMetrics family (its name without `_total`), or its
    /// `_total` sample, is the other family's name or series.
    CounterFamily,
}

impl SeriesClash {
    /// Every clash, in [`index`](Self::index) order.
    pub const ALL: [SeriesClash; 2] = [SeriesClash::HistogramSeries, SeriesClash::CounterFamily];

    /// The clash's position in [`ALL`](Self::ALL).
    #[must_use]
    pub const fn index(self) -> usize {
        match self {
            SeriesClash::HistogramSeries => 0,
            SeriesClash::CounterFamily => 1,
        }
    }

    /// The rule, as every report of it states it.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            SeriesClash::HistogramSeries => {
                "a histogram's `_bucket`, `_count` and `_sum` series would be the other family's: Prometheus keeps one of them and promtool cannot parse the exposition; no `allow` permits two families writing one series, rename one"
            }
            SeriesClash::CounterFamily => {
                "OpenMetrics names a counter's family without `_total` and its sample with it, which would be the other family's name: no `allow` permits two families writing one series, rename one"
            }
        }
    }
}

impl fmt::Display for SeriesClash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for SeriesClash {}

/// A name as a head and a suffix, compared without joining them.
type Joined<'a> = (&'a [u8], &'a [u8]);

/// The names a family of `kind` named `name` writes or is known by, each a
/// head (`name` or a cut of it) and a suffix: its samples, and its family
/// name in both formats. `len` of the four are used.
const fn family_names(name: &[u8], kind: MetricKind) -> ([Joined<'_>; 4], usize) {
    let none: &[u8] = b"";
    match kind {
        MetricKind::Counter => {
            if crate::bytes::ends_with(name, b"_total") {
                let family = crate::bytes::slice(name, 0, name.len() - b"_total".len());
                (
                    [(name, none), (family, none), (none, none), (none, none)],
                    2,
                )
            } else {
                (
                    [(name, none), (name, b"_total"), (none, none), (none, none)],
                    2,
                )
            }
        }
        MetricKind::Histogram => (
            [
                (name, none),
                (name, b"_bucket"),
                (name, b"_count"),
                (name, b"_sum"),
            ],
            4,
        ),
        MetricKind::Gauge => ([(name, none), (none, none), (none, none), (none, none)], 1),
    }
}

/// Whether `a.0 + a.1` and `b.0 + b.1` are the same bytes.
const fn joined_eq(one: Joined<'_>, other: Joined<'_>) -> bool {
    const fn byte(joined: Joined<'_>, at: usize) -> u8 {
        if at < joined.0.len() {
            joined.0[at]
        } else {
            joined.1[at - joined.0.len()]
        }
    }
    let len = one.0.len() + one.1.len();
    if len != other.0.len() + other.1.len() {
        return false;
    }
    let mut at = 0;
    while at < len {
        if byte(one, at) != byte(other, at) {
            return false;
        }
        at += 1;
    }
    true
}

/// Whether two families with different names (the same name is one family,
/// or a duplicate) would write one series or share an OpenMetrics family
/// name: a gauge `x_count` beside a histogram `x`, a gauge `jobs` beside a
/// counter `jobs_total`. No lint allows it.
///
/// # Errors
/// The [`SeriesClash`], from the histogram's side if one is a histogram.
pub const fn check_series_clash(
    a: &str,
    a_kind: MetricKind,
    b: &str,
    b_kind: MetricKind,
) -> Result<(), SeriesClash> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if crate::bytes::eq(a, b) {
        return Ok(());
    }
    let (a_names, a_len) = family_names(a, a_kind);
    let (b_names, b_len) = family_names(b, b_kind);
    let mut i = 0;
    while i < a_len {
        let mut j = 0;
        while j < b_len {
            if joined_eq(a_names[i], b_names[j]) {
                return Err(
                    if matches!(a_kind, MetricKind::Histogram)
                        || matches!(b_kind, MetricKind::Histogram)
                    {
                        SeriesClash::HistogramSeries
                    } else {
                        SeriesClash::CounterFamily
                    },
                );
            }
            j += 1;
        }
        i += 1;
    }
    Ok(())
}

/// What a name breaks only once joined behind a prefix: its own name
/// passed, the exposed one does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JoinedNameError {
    /// A histogram whose joined name ends in one of its own series'
    /// suffixes (`count` behind `prompt_tokens`).
    HistogramSuffix,
    /// A lint judging how a name ends ([`SUFFIX_LINTS`](crate::SUFFIX_LINTS)).
    Lint(Lint),
}

impl JoinedNameError {
    /// Every error, in [`index`](Self::index) order.
    pub const ALL: [JoinedNameError; 1 + Lint::ALL.len()] = {
        let mut all = [JoinedNameError::HistogramSuffix; 1 + Lint::ALL.len()];
        let mut i = 0;
        while i < Lint::ALL.len() {
            all[1 + i] = JoinedNameError::Lint(Lint::ALL[i]);
            i += 1;
        }
        all
    };

    /// The error's position in [`ALL`](Self::ALL).
    #[must_use]
    pub const fn index(self) -> usize {
        match self {
            JoinedNameError::HistogramSuffix => 0,
            JoinedNameError::Lint(lint) => 1 + lint.index(),
        }
    }

    /// The rule broken: the histogram rule's or the lint's own message.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            JoinedNameError::HistogramSuffix => NameError::HistogramSuffix.message(),
            JoinedNameError::Lint(lint) => lint.description(),
        }
    }
}

impl fmt::Display for JoinedNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for JoinedNameError {}

/// The longest joined name [`check_joined_name`] judges (it joins in a
/// buffer of this size, in `const` evaluation); longer ones pass.
pub const JOINED_NAME_MAX: usize = 1024;

/// `prefix` + `_` + `name` as exposed, judged by the rules only a joined
/// name can break: a histogram named like its own series, and the lints
/// judging how a name ends ([`SUFFIX_LINTS`](crate::SUFFIX_LINTS)), where
/// `name` alone passes them (what `name` alone breaks is `name`'s error).
/// Lints in `allowed` are not reported. An empty prefix joins nothing.
///
/// # Errors
/// The first [`JoinedNameError`], the histogram rule first.
pub const fn check_joined_name(
    prefix: &str,
    name: &str,
    kind: MetricKind,
    allowed: LintSet,
) -> Result<(), JoinedNameError> {
    let len = prefix.len() + 1 + name.len();
    if prefix.is_empty() || len > JOINED_NAME_MAX {
        return Ok(());
    }
    let mut buffer = [0u8; JOINED_NAME_MAX];
    let mut at = 0;
    while at < prefix.len() {
        buffer[at] = prefix.as_bytes()[at];
        at += 1;
    }
    buffer[at] = b'_';
    let mut i = 0;
    while i < name.len() {
        buffer[prefix.len() + 1 + i] = name.as_bytes()[i];
        i += 1;
    }
    let (joined, _) = buffer.split_at(len);
    let Ok(joined) = core::str::from_utf8(joined) else {
        return Ok(());
    };
    if matches!(kind, MetricKind::Histogram)
        && crate::lint::histogram_series_suffix(joined).is_some()
        && crate::lint::histogram_series_suffix(name).is_none()
    {
        return Err(JoinedNameError::HistogramSuffix);
    }
    let gained = lint_metric(joined, kind, &[])
        .intersection(crate::SUFFIX_LINTS)
        .without(lint_metric(name, kind, &[]))
        .without(allowed);
    match gained.first() {
        Some(lint) => Err(JoinedNameError::Lint(lint)),
        None => Ok(()),
    }
}

/// Where a label name is used, which decides the names reserved there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LabelPlace {
    /// A histogram's own label: `le` holds its bucket bounds.
    Histogram,
    /// Any other metric's label, or a label every metric of a group or
    /// scope carries (a histogram among them): promtool refuses `le` on
    /// non-histograms.
    Metric,
    /// A label set's field, whose metric kind is not known where it is
    /// declared: `le` is judged where the set is used.
    LabelSet,
}

/// Why a label name cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LabelError {
    /// Not `[a-zA-Z_][a-zA-Z0-9_]*`.
    Syntax,
    /// Starts with `__`.
    Reserved,
    /// [`OVERFLOW_LABEL`].
    Overflow,
    /// `quantile`.
    Quantile,
    /// `le` on a histogram.
    LeOnHistogram,
    /// `le` elsewhere.
    Le,
}

impl LabelError {
    /// Every error, in [`index`](Self::index) order.
    pub const ALL: [LabelError; 6] = [
        LabelError::Syntax,
        LabelError::Reserved,
        LabelError::Overflow,
        LabelError::Quantile,
        LabelError::LeOnHistogram,
        LabelError::Le,
    ];

    /// The error's position in [`ALL`](Self::ALL).
    #[must_use]
    pub const fn index(self) -> usize {
        match self {
            LabelError::Syntax => 0,
            LabelError::Reserved => 1,
            LabelError::Overflow => 2,
            LabelError::Quantile => 3,
            LabelError::LeOnHistogram => 4,
            LabelError::Le => 5,
        }
    }

    /// The rule, as every report of it states it.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            LabelError::Syntax => {
                "not a valid Prometheus label name: expected `[a-zA-Z_][a-zA-Z0-9_]*`"
            }
            LabelError::Reserved => "reserved: names starting with `__` are Prometheus' own",
            LabelError::Overflow => {
                "reserved: it marks a family's overflow series (label sets past its `max_series`)"
            }
            LabelError::Quantile => "reserved for summaries' quantiles",
            LabelError::LeOnHistogram => "reserved on histograms for bucket bounds",
            LabelError::Le => {
                "reserved for histograms' bucket bounds (promtool: non-histogram metrics should not have \"le\" label)"
            }
        }
    }
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for LabelError {}

/// A label name used at `place`: valid, and none of the names Prometheus,
/// promtool or metric-group keep for themselves there.
///
/// # Errors
/// The first [`LabelError`] in the order the variants are listed.
pub const fn check_label_name(name: &str, place: LabelPlace) -> Result<(), LabelError> {
    let bytes = name.as_bytes();
    if !is_valid_label_name(name) {
        Err(LabelError::Syntax)
    } else if is_reserved_label_name(name) {
        Err(LabelError::Reserved)
    } else if crate::bytes::eq(bytes, OVERFLOW_LABEL.as_bytes()) {
        Err(LabelError::Overflow)
    } else if crate::bytes::eq(bytes, b"quantile") {
        Err(LabelError::Quantile)
    } else if crate::bytes::eq(bytes, b"le") {
        match place {
            LabelPlace::Histogram => Err(LabelError::LeOnHistogram),
            LabelPlace::Metric => Err(LabelError::Le),
            LabelPlace::LabelSet => Ok(()),
        }
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_label_values_hold_nothing_escaped_or_sorted_before_a_quote() {
        for plain in ["decode", "7", "", "a#b", "日本", "~"] {
            assert!(label_value_is_plain(plain), "{plain:?}");
        }
        for not_plain in ["a b", "a\"", "a\\b", "a\nb", "\0", "!"] {
            assert!(!label_value_is_plain(not_plain), "{not_plain:?}");
        }
    }

    #[test]
    fn label_set_names_are_snake_case() {
        assert!(is_snake_case_label_name("worker_id"));
        assert!(is_snake_case_label_name("_dp_rank2"));
        assert!(!is_snake_case_label_name("workerId"));
        assert!(!is_snake_case_label_name("WORKER"));
    }

    #[test]
    fn errors_are_listed_at_their_index() {
        for (i, error) in NameError::ALL.iter().enumerate() {
            assert_eq!(error.index(), i);
        }
        for (i, error) in LabelError::ALL.iter().enumerate() {
            assert_eq!(error.index(), i);
        }
    }

    #[test]
    fn label_names_are_judged_by_place() {
        use LabelPlace::*;
        assert_eq!(check_label_name("model", Metric), Ok(()));
        assert_eq!(check_label_name("a-b", Metric), Err(LabelError::Syntax));
        assert_eq!(check_label_name("__x", LabelSet), Err(LabelError::Reserved));
        assert_eq!(
            check_label_name(OVERFLOW_LABEL, Histogram),
            Err(LabelError::Overflow)
        );
        assert_eq!(
            check_label_name("quantile", LabelSet),
            Err(LabelError::Quantile)
        );
        assert_eq!(
            check_label_name("le", Histogram),
            Err(LabelError::LeOnHistogram)
        );
        assert_eq!(check_label_name("le", Metric), Err(LabelError::Le));
        assert_eq!(check_label_name("le", LabelSet), Ok(()));
    }

    #[test]
    fn full_names_report_the_prefix_first() {
        assert_eq!(check_full_name("9x", "a-b"), Err(NameError::PrefixSyntax));
        assert_eq!(
            check_full_name("router_", "requests_total"),
            Err(NameError::PrefixTrailingUnderscore)
        );
        assert_eq!(check_prefix("_"), Err(NameError::PrefixTrailingUnderscore));
        assert_eq!(check_full_name("", ""), Err(NameError::Empty));
        assert_eq!(check_full_name("router", "9lives"), Ok(()));
        assert_eq!(check_full_name("", "9lives"), Err(NameError::Syntax));
        assert_eq!(
            check_histogram_name("x_count"),
            Err(NameError::HistogramSuffix)
        );
    }

    #[test]
    fn families_sharing_series_clash_whatever_the_order() {
        use MetricKind::*;
        let clash = |a, ak, b, bk| {
            let one = check_series_clash(a, ak, b, bk);
            assert_eq!(one, check_series_clash(b, bk, a, ak), "{a} {b}");
            one
        };
        let histogram = Err(SeriesClash::HistogramSeries);
        let counter = Err(SeriesClash::CounterFamily);
        assert_eq!(
            clash("latency_seconds_count", Gauge, "latency_seconds", Histogram),
            histogram
        );
        assert_eq!(clash("x_bucket", Counter, "x", Histogram), histogram);
        assert_eq!(clash("x_sum_total", Counter, "x_sum", Histogram), histogram);
        assert_eq!(clash("jobs", Gauge, "jobs_total", Counter), counter);
        assert_eq!(clash("jobs_total", Gauge, "jobs", Counter), counter);
        assert_eq!(clash("jobs", Histogram, "jobs_total", Counter), histogram);
        assert_eq!(clash("x", Gauge, "x", Histogram), Ok(()));
        assert_eq!(clash("x_count", Gauge, "y", Histogram), Ok(()));
        assert_eq!(clash("x_total", Counter, "y_total", Counter), Ok(()));
        assert_eq!(clash("x_count", Gauge, "x_sum", Gauge), Ok(()));
        assert_eq!(clash("ab", Gauge, "a", Histogram), Ok(()));
    }

    #[test]
    fn joined_names_are_judged_for_what_only_the_join_breaks() {
        use MetricKind::*;
        let none = LintSet::EMPTY;
        assert_eq!(
            check_joined_name("kv_blocks", "total", Gauge, none),
            Err(JoinedNameError::Lint(Lint::NonCounterTotal))
        );
        assert_eq!(
            check_joined_name("prompt_tokens", "count", Histogram, none),
            Err(JoinedNameError::HistogramSuffix)
        );
        assert_eq!(
            check_joined_name("dynamo_component", "count", Gauge, none),
            Err(JoinedNameError::Lint(Lint::ReservedSuffix))
        );
        let allowed = LintSet::EMPTY.with(Lint::ReservedSuffix);
        assert_eq!(
            check_joined_name("dynamo_component", "count", Gauge, allowed),
            Ok(())
        );
        // What the name alone breaks is the name's error; the prefix's
        // words are the prefix's.
        assert_eq!(check_joined_name("p", "x_count", Gauge, none), Ok(()));
        assert_eq!(check_joined_name("p", "x_count", Histogram, none), Ok(()));
        assert_eq!(
            check_joined_name("job:ms", "requests_total", Counter, none),
            Ok(())
        );
        assert_eq!(check_joined_name("", "total", Gauge, none), Ok(()));
        assert_eq!(check_joined_name("p", "total", Counter, none), Ok(()));
        for (i, error) in JoinedNameError::ALL.iter().enumerate() {
            assert_eq!(error.index(), i);
        }
    }
}
