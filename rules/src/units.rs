//! Units: the ones promtool's base-unit lint knows, the count-like units a
//! name may end in, and whether a name mentions a unit.

use crate::bytes::{eq, slice, split_token, starts_with};

/// (unit, its base unit), as promlint knows them.
const UNITS: [(&[u8], &[u8]); 24] = [
    (b"amperes", b"amperes"),
    (b"bytes", b"bytes"),
    (b"celsius", b"celsius"),
    (b"grams", b"grams"),
    (b"joules", b"joules"),
    (b"kelvin", b"kelvin"),
    (b"meters", b"meters"),
    (b"metres", b"metres"),
    (b"seconds", b"seconds"),
    (b"volts", b"volts"),
    (b"minutes", b"seconds"),
    (b"hours", b"seconds"),
    (b"days", b"seconds"),
    (b"weeks", b"seconds"),
    (b"kelvins", b"kelvin"),
    (b"fahrenheit", b"celsius"),
    (b"rankine", b"celsius"),
    (b"inches", b"meters"),
    (b"yards", b"meters"),
    (b"miles", b"meters"),
    (b"bits", b"bytes"),
    (b"calories", b"joules"),
    (b"pounds", b"grams"),
    (b"ounces", b"grams"),
];

/// promlint's SI and binary prefixes (`mibi` is promlint's spelling).
const UNIT_PREFIXES: [&[u8]; 18] = [
    b"pico", b"nano", b"micro", b"milli", b"centi", b"deci", b"deca", b"hecto", b"kilo", b"kibi",
    b"mega", b"mibi", b"giga", b"gibi", b"tera", b"tebi", b"peta", b"pebi",
];

/// Units that count things rather than measure them: not promlint units, but
/// what a name ends in (`_tokens_total`, `_ratio`).
const COUNT_UNITS: [&str; 26] = [
    "ratio",
    "tokens",
    "blocks",
    "requests",
    "responses",
    "errors",
    "events",
    "items",
    "entries",
    "messages",
    "packets",
    "connections",
    "operations",
    "calls",
    "tasks",
    "jobs",
    "batches",
    "retries",
    "rows",
    "pages",
    "sequences",
    "iterations",
    "workers",
    "threads",
    "sessions",
    "info",
];

/// Time units with the abbreviation a name may use and how many make a second.
const TIME_UNITS: [(&str, &str, f64); 4] = [
    ("seconds", "s", 1.0),
    ("milliseconds", "ms", 1e3),
    ("microseconds", "us", 1e6),
    ("nanoseconds", "ns", 1e9),
];

const fn base_unit_of(token: &[u8]) -> Option<&'static [u8]> {
    let mut i = 0;
    while i < UNITS.len() {
        if eq(token, UNITS[i].0) {
            return Some(UNITS[i].1);
        }
        i += 1;
    }
    None
}

/// Whether a `_`-separated token is a unit promlint knows (possibly behind a
/// prefix) other than a base unit: `milliseconds`, `hours`, `kilobytes`.
const fn is_non_base_unit(token: &[u8]) -> bool {
    if let Some(base) = base_unit_of(token) {
        return !eq(token, base);
    }
    let mut p = 0;
    while p < UNIT_PREFIXES.len() {
        let prefix = UNIT_PREFIXES[p];
        if starts_with(token, prefix)
            && base_unit_of(slice(token, prefix.len(), token.len())).is_some()
        {
            return true;
        }
        p += 1;
    }
    false
}

/// Whether any token of the name is a non-base unit.
///
/// The strictest union of promtool's versions: promtool 2.42 (`client_golang`
/// 1.14) tries the units in Go's random map order and, within one unit, its
/// prefixed forms before the bare one, so a name with any non-base unit token
/// is flagged on some runs (`x_seconds_milliseconds` on every run); later
/// releases (`client_golang` 1.16+) let the first unit token decide. A name
/// this refuses none of them flags on any run.
pub(crate) const fn uses_non_base_unit(n: &[u8]) -> bool {
    let mut index = 0;
    while let Some((start, end)) = split_token(n, index) {
        if is_non_base_unit(slice(n, start, end)) {
            return true;
        }
        index += 1;
    }
    false
}

/// Whether `unit` may be declared with `#[metric(unit = ...)]`: a unit
/// promlint knows (base or not; the base-unit lint judges the name) or a
/// count-like unit.
#[must_use]
pub fn is_known_unit(unit: &str) -> bool {
    let u = unit.as_bytes();
    base_unit_of(u).is_some() || is_non_base_unit(u) || COUNT_UNITS.contains(&unit)
}

/// The units worth suggesting for a misspelt one: every promlint unit, the
/// prefixed time and byte units, and the count-like units.
#[must_use]
pub fn suggested_units() -> Vec<String> {
    let mut units: Vec<String> = UNITS
        .iter()
        .map(|(unit, _)| String::from_utf8_lossy(unit).into_owned())
        .collect();
    for prefix in UNIT_PREFIXES {
        for base in [&b"seconds"[..], b"bytes", b"meters", b"grams"] {
            let mut unit = prefix.to_vec();
            unit.extend_from_slice(base);
            units.push(String::from_utf8_lossy(&unit).into_owned());
        }
    }
    units.extend(COUNT_UNITS.iter().map(|u| (*u).to_owned()));
    units
}

/// The known unit a common abbreviation or a singular stands for
/// (`secs` -> `seconds`, `byte` -> `bytes`).
#[must_use]
pub fn unit_for_alias(alias: &str) -> Option<String> {
    const ALIASES: [(&str, &str); 14] = [
        ("s", "seconds"),
        ("sec", "seconds"),
        ("secs", "seconds"),
        ("ms", "milliseconds"),
        ("msec", "milliseconds"),
        ("msecs", "milliseconds"),
        ("us", "microseconds"),
        ("ns", "nanoseconds"),
        ("b", "bytes"),
        ("kb", "kilobytes"),
        ("mb", "megabytes"),
        ("gb", "gigabytes"),
        ("percent", "ratio"),
        ("percentage", "ratio"),
    ];
    if let Some((_, unit)) = ALIASES.iter().find(|(a, _)| *a == alias) {
        return Some((*unit).to_owned());
    }
    let plural = format!("{alias}s");
    is_known_unit(&plural).then_some(plural)
}

/// Whether a name mentions `unit` as one of its `_`-separated words, or a time
/// unit's abbreviation (`_ms` for `milliseconds`).
#[must_use]
pub const fn name_mentions_unit(name: &str, unit: &str) -> bool {
    let (n, u) = (name.as_bytes(), unit.as_bytes());
    if has_word(n, u) {
        return true;
    }
    let mut i = 0;
    while i < TIME_UNITS.len() {
        if eq(u, TIME_UNITS[i].0.as_bytes()) && has_word(n, TIME_UNITS[i].1.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

/// `word` as a whole `_`-separated token of `n`.
const fn has_word(n: &[u8], word: &[u8]) -> bool {
    let mut index = 0;
    while let Some((start, end)) = split_token(n, index) {
        if eq(slice(n, start, end), word) {
            return true;
        }
        index += 1;
    }
    false
}

/// How many of a time unit make a second (`1000` for `milliseconds`), for
/// helpers that record a `Duration`.
#[must_use]
pub const fn per_second(unit: &str) -> Option<f64> {
    let mut i = 0;
    while i < TIME_UNITS.len() {
        if eq(unit.as_bytes(), TIME_UNITS[i].0.as_bytes()) {
            return Some(TIME_UNITS[i].2);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_non_base_token_is_flagged() {
        for name in [
            "x_seconds_milliseconds",
            "app_bytes_kilobytes",
            "x_bytes_hours",
            "x_hours_bytes",
            "x_milliseconds",
        ] {
            assert!(uses_non_base_unit(name.as_bytes()), "{name}");
        }
        for name in [
            "x_seconds",
            "x_bytes_total",
            "thermometers",
            "x_seconds_bytes",
        ] {
            assert!(!uses_non_base_unit(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn known_units() {
        for unit in [
            "seconds",
            "milliseconds",
            "hours",
            "kilobytes",
            "tokens",
            "ratio",
        ] {
            assert!(is_known_unit(unit), "{unit}");
        }
        for unit in ["secs", "sec", "byte", "percent", ""] {
            assert!(!is_known_unit(unit), "{unit}");
        }
        assert_eq!(unit_for_alias("secs").as_deref(), Some("seconds"));
        assert_eq!(unit_for_alias("token").as_deref(), Some("tokens"));
        assert_eq!(unit_for_alias("furlongs"), None);
    }

    #[test]
    fn mentions() {
        assert!(name_mentions_unit("latency_seconds", "seconds"));
        assert!(name_mentions_unit("render_ms", "milliseconds"));
        assert!(name_mentions_unit("bytes_total", "bytes"));
        assert!(!name_mentions_unit("latency_bytes", "seconds"));
        assert!(!name_mentions_unit("kilobytes", "bytes"));
        assert_eq!(per_second("milliseconds"), Some(1e3));
        assert_eq!(per_second("bytes"), None);
    }
}
