//! Prometheus' data model for names.

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`
pub const fn is_valid_metric_name(name: &str) -> bool {
    is_name(name.as_bytes(), true)
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`
pub const fn is_valid_label_name(name: &str) -> bool {
    is_name(name.as_bytes(), false)
}

/// Whether a label value is written as it is and sorts as its text: no byte
/// the text format escapes (`\`, `"`, a newline) and none that sorts
/// before `"` (a space, control characters). Scrapes copy plain values
/// without looking at them (the derive judges enum values by it, a family
/// its const labels).
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
pub const fn is_reserved_label_name(name: &str) -> bool {
    crate::bytes::starts_with(name.as_bytes(), b"__")
}

/// Whether `prefix` + `_` + `name` (or `name` alone for an empty prefix) is a
/// valid metric name, without building the string.
pub const fn full_name_is_valid(prefix: &str, name: &str) -> bool {
    if prefix.is_empty() {
        is_valid_metric_name(name)
    } else {
        // A valid prefix followed by `_` and a name made of name characters
        // (the name may start with a digit here: it is not the first character).
        is_valid_metric_name(prefix) && !name.is_empty() && name_tail_is_valid(name.as_bytes())
    }
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
}
