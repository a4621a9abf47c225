//! Byte-string helpers usable in `const` evaluation, where `str`'s own
//! searching methods are not available.

pub(crate) const fn eq_at(haystack: &[u8], at: usize, needle: &[u8]) -> bool {
    if at + needle.len() > haystack.len() {
        return false;
    }
    let mut i = 0;
    while i < needle.len() {
        if haystack[at + i] != needle[i] {
            return false;
        }
        i += 1;
    }
    true
}

pub(crate) const fn eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && eq_at(a, 0, b)
}

pub(crate) const fn ends_with(s: &[u8], suffix: &[u8]) -> bool {
    s.len() >= suffix.len() && eq_at(s, s.len() - suffix.len(), suffix)
}

pub(crate) const fn starts_with(s: &[u8], prefix: &[u8]) -> bool {
    eq_at(s, 0, prefix)
}

/// Whether `_<word>_` occurs in `s` or `s` ends with `_<word>`, comparing
/// ASCII case-insensitively (promtool lower-cases names before these checks).
pub(crate) const fn has_word_ignore_case(s: &[u8], word: &[u8]) -> bool {
    let mut at = 0;
    while at < s.len() {
        if s[at] == b'_' && eq_ignore_case_at(s, at + 1, word) {
            let end = at + 1 + word.len();
            if end == s.len() || s[end] == b'_' {
                return true;
            }
        }
        at += 1;
    }
    false
}

const fn eq_ignore_case_at(haystack: &[u8], at: usize, needle: &[u8]) -> bool {
    if at + needle.len() > haystack.len() {
        return false;
    }
    let mut i = 0;
    while i < needle.len() {
        if haystack[at + i].to_ascii_lowercase() != needle[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The `index`-th `_`-separated token of `s` as a `(start, end)` range, the
/// way Go's `strings.Split(s, "_")` numbers them (empty tokens included).
pub(crate) const fn split_token(s: &[u8], index: usize) -> Option<(usize, usize)> {
    let mut start = 0;
    let mut seen = 0;
    let mut i = 0;
    while i <= s.len() {
        if i == s.len() || s[i] == b'_' {
            if seen == index {
                return Some((start, i));
            }
            seen += 1;
            start = i + 1;
        }
        i += 1;
    }
    None
}

pub(crate) const fn slice(s: &[u8], start: usize, end: usize) -> &[u8] {
    let (_, tail) = s.split_at(start);
    let (mid, _) = tail.split_at(end - start);
    mid
}
