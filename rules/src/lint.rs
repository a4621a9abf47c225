//! The naming lints of `promtool check metrics` (`client_golang`'s `promlint`),
//! as `const fn`s.
//!
//! Each rule mirrors promlint's own test, including its quirks, and where
//! promtool releases differ takes the strictest: the unit rule flags a name if
//! any `_`-separated token is a non-base unit (see `units.rs`), abbreviations and type
//! names are matched on the lower-cased name (any type's name, not only the
//! metric's own), and `_bucket`/`_count`/`_sum` are only reserved for types
//! that do not produce those series themselves. `tests/test_lint_agreement.rs`
//! checks every rule against promtool.

use crate::bytes::{ends_with, has_word_ignore_case};
use crate::units::uses_non_base_unit;

/// The metric types the rules distinguish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricKind {
    Counter,
    Gauge,
    Histogram,
}

impl MetricKind {
    /// The name Prometheus' exposition format uses in `# TYPE` lines.
    #[must_use]
    pub const fn type_name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
        }
    }
}

/// One promtool naming lint. Each can be allowed per metric with
/// `#[metric(allow(<key>))]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lint {
    /// A counter whose name does not end in `_total`.
    CounterTotal,
    /// A gauge or histogram whose name ends in `_total`.
    NonCounterTotal,
    /// A unit other than the base unit (`milliseconds`, `kilobytes`, `hours`)
    /// anywhere in the name.
    BaseUnit,
    /// An abbreviated unit (`_ms`, `_s`, `_kb`, ...).
    UnitAbbreviation,
    /// A metric type's name in the metric's name (`_gauge`, `_counter`,
    /// `_histogram`, `_summary`), whatever the metric's own type: promtool
    /// checks them all.
    TypeInName,
    /// `_bucket`, `_count` or `_sum` on a type that does not own that suffix.
    ReservedSuffix,
    /// A `:` in the name (reserved for recording rules).
    ReservedChars,
    /// camelCase in the metric name or one of its label names.
    CamelCase,
    /// A label named `job` or `instance`, which a Prometheus server sets
    /// itself at scrape: the series' own becomes `exported_job` or
    /// `exported_instance`. Not one of promtool's lints.
    ScrapeLabel,
}

impl Lint {
    pub const ALL: [Lint; 9] = [
        Lint::CounterTotal,
        Lint::NonCounterTotal,
        Lint::BaseUnit,
        Lint::UnitAbbreviation,
        Lint::TypeInName,
        Lint::ReservedSuffix,
        Lint::ReservedChars,
        Lint::CamelCase,
        Lint::ScrapeLabel,
    ];

    /// The key used in `allow(...)`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Lint::CounterTotal => "counter_total",
            Lint::NonCounterTotal => "non_counter_total",
            Lint::BaseUnit => "base_unit",
            Lint::UnitAbbreviation => "unit_abbreviation",
            Lint::TypeInName => "type_in_name",
            Lint::ReservedSuffix => "reserved_suffix",
            Lint::ReservedChars => "reserved_chars",
            Lint::CamelCase => "camel_case",
            Lint::ScrapeLabel => "scrape_label",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|lint| lint.key() == key)
    }

    /// What is wrong, in words close to promtool's own.
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            Lint::CounterTotal => "counter metrics should have a `_total` suffix",
            Lint::NonCounterTotal => "non-counter metrics should not have a `_total` suffix",
            Lint::BaseUnit => {
                "metric names should use base units (`seconds`, `bytes`, `meters`, ...)"
            }
            Lint::UnitAbbreviation => "metric names should not contain abbreviated units",
            Lint::TypeInName => "metric names should not include a metric type (`counter`, `gauge`, `histogram`, `summary`)",
            Lint::ReservedSuffix => {
                "`_bucket`, `_count` and `_sum` suffixes are reserved for histograms"
            }
            Lint::ReservedChars => "metric names should not contain `:`",
            Lint::CamelCase => {
                "metric and label names should be written in snake_case, not camelCase"
            }
            Lint::ScrapeLabel => {
                "labels `job` and `instance` are set by the Prometheus server at scrape, which renames a series' own to `exported_job`/`exported_instance`"
            }
        }
    }

    /// The lint's position in [`ALL`](Self::ALL).
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// The lints that judge how a name ends, which a name can trip only once
/// joined behind a prefix (a gauge `total` behind `kv_blocks` is
/// `kv_blocks_total`).
pub const SUFFIX_LINTS: LintSet = LintSet::EMPTY
    .with(Lint::CounterTotal)
    .with(Lint::NonCounterTotal)
    .with(Lint::ReservedSuffix);

/// A set of lints, usable in `const` evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LintSet(u16);

impl LintSet {
    pub const EMPTY: LintSet = LintSet(0);

    #[must_use]
    pub const fn with(self, lint: Lint) -> LintSet {
        LintSet(self.0 | lint.bit())
    }

    #[must_use]
    pub const fn contains(self, lint: Lint) -> bool {
        self.0 & lint.bit() != 0
    }

    #[must_use]
    pub const fn without(self, other: LintSet) -> LintSet {
        LintSet(self.0 & !other.0)
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The lints in either set.
    #[must_use]
    pub const fn union(self, other: LintSet) -> LintSet {
        LintSet(self.0 | other.0)
    }

    /// The lints in both sets.
    #[must_use]
    pub const fn intersection(self, other: LintSet) -> LintSet {
        LintSet(self.0 & other.0)
    }

    /// The first lint of the set, in [`Lint::ALL`] order.
    #[must_use]
    pub const fn first(self) -> Option<Lint> {
        let mut i = 0;
        while i < Lint::ALL.len() {
            if self.contains(Lint::ALL[i]) {
                return Some(Lint::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// The set of `lints`, in `const` evaluation.
    #[must_use]
    pub const fn of(lints: &[Lint]) -> LintSet {
        let mut set = LintSet::EMPTY;
        let mut i = 0;
        while i < lints.len() {
            set = set.with(lints[i]);
            i += 1;
        }
        set
    }

    pub fn iter(self) -> impl Iterator<Item = Lint> {
        Lint::ALL
            .into_iter()
            .filter(move |lint| self.contains(*lint))
    }
}

impl FromIterator<Lint> for LintSet {
    fn from_iter<I: IntoIterator<Item = Lint>>(iter: I) -> Self {
        iter.into_iter().fold(LintSet::EMPTY, LintSet::with)
    }
}

/// Every lint promtool reports for a metric family with this name, type and
/// label names, and [`Lint::ScrapeLabel`].
#[must_use]
pub const fn lint_metric(name: &str, kind: MetricKind, labels: &[&str]) -> LintSet {
    let n = name.as_bytes();
    let mut found = LintSet::EMPTY;

    let has_total = ends_with(n, b"_total");
    match kind {
        MetricKind::Counter if !has_total => found = found.with(Lint::CounterTotal),
        MetricKind::Gauge | MetricKind::Histogram if has_total => {
            found = found.with(Lint::NonCounterTotal);
        }
        _ => {}
    }

    if uses_non_base_unit(n) {
        found = found.with(Lint::BaseUnit);
    }

    let mut abbreviation = 0;
    while abbreviation < UNIT_ABBREVIATIONS.len() {
        if has_word_ignore_case(n, UNIT_ABBREVIATIONS[abbreviation]) {
            found = found.with(Lint::UnitAbbreviation);
        }
        abbreviation += 1;
    }

    let mut type_name = 0;
    while type_name < TYPE_NAMES.len() {
        if has_word_ignore_case(n, TYPE_NAMES[type_name]) {
            found = found.with(Lint::TypeInName);
        }
        type_name += 1;
    }

    let is_histogram = matches!(kind, MetricKind::Histogram);
    if !is_histogram
        && (ends_with(n, b"_bucket") || ends_with(n, b"_count") || ends_with(n, b"_sum"))
    {
        found = found.with(Lint::ReservedSuffix);
    }

    let mut byte = 0;
    while byte < n.len() {
        if n[byte] == b':' {
            found = found.with(Lint::ReservedChars);
        }
        byte += 1;
    }

    if is_camel_case(n) {
        found = found.with(Lint::CamelCase);
    }
    let mut label = 0;
    while label < labels.len() {
        found = found.union(lint_label(labels[label]));
        label += 1;
    }
    found
}

/// The lints a label name trips wherever it is used: promtool's camel case,
/// and [`Lint::ScrapeLabel`] for `job` and `instance`.
#[must_use]
pub const fn lint_label(label: &str) -> LintSet {
    let name = label.as_bytes();
    let mut found = LintSet::EMPTY;
    if is_camel_case(name) {
        found = found.with(Lint::CamelCase);
    }
    if crate::bytes::eq(name, b"job") || crate::bytes::eq(name, b"instance") {
        found = found.with(Lint::ScrapeLabel);
    }
    found
}

/// The lints a prefix trips in every name joined behind it: those judging a
/// name's words (not how it ends, which is the name's). Reported once, at
/// the prefix.
#[must_use]
pub const fn lint_prefix(prefix: &str) -> LintSet {
    lint_metric(prefix, MetricKind::Gauge, &[]).without(SUFFIX_LINTS)
}

/// promlint's `[a-z][A-Z]`.
const fn is_camel_case(s: &[u8]) -> bool {
    let mut i = 1;
    while i < s.len() {
        if s[i - 1].is_ascii_lowercase() && s[i].is_ascii_uppercase() {
            return true;
        }
        i += 1;
    }
    false
}

/// The metric types of Prometheus' data model, untyped excepted.
const TYPE_NAMES: [&[u8]; 5] = [
    b"counter",
    b"gauge",
    b"summary",
    b"histogram",
    b"gauge_histogram",
];

const UNIT_ABBREVIATIONS: [&[u8]; 14] = [
    b"s", b"ms", b"us", b"ns", b"sec", b"b", b"kb", b"mb", b"gb", b"tb", b"pb", b"m", b"h", b"d",
];

/// The series suffix a histogram's own name ends in, if any: its
/// `_bucket`/`_count`/`_sum` series would then collide with its own
/// (`x_count` exposes `x_count_count`). promtool does not flag this.
#[must_use]
pub const fn histogram_series_suffix(name: &str) -> Option<&'static str> {
    let n = name.as_bytes();
    if ends_with(n, b"_bucket") {
        Some("_bucket")
    } else if ends_with(n, b"_count") {
        Some("_count")
    } else if ends_with(n, b"_sum") {
        Some("_sum")
    } else {
        None
    }
}
