//! String helpers for `const` evaluation, used by the code the derive
//! generates (names built from constants, label sets compared while the
//! user's crate compiles).

use crate::bytes;

/// Length of the concatenation of `parts`.
#[must_use]
pub const fn concat_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// The concatenation of `parts`, `N` bytes long (`concat_len(parts)`).
#[must_use]
pub const fn concat_bytes<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i].as_bytes();
        let mut j = 0;
        while j < part.len() {
            out[at] = part[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// `bytes` as a `str`; the bytes of concatenated `str`s are always UTF-8.
///
/// # Panics
///
/// If `bytes` is not UTF-8; in a constant, as the generated code uses it,
/// that fails the build.
#[must_use]
pub const fn utf8(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("metric name is not valid UTF-8"),
    }
}

/// Whether two strings are equal.
#[must_use]
pub const fn str_eq(a: &str, b: &str) -> bool {
    bytes::eq(a.as_bytes(), b.as_bytes())
}

/// Whether `names` contains `name`.
#[must_use]
pub const fn names_contain(names: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < names.len() {
        if str_eq(names[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenates_in_const_evaluation() {
        const PARTS: &[&str] = &["tikv_", "backup_", "total"];
        const LEN: usize = concat_len(PARTS);
        const BYTES: [u8; LEN] = concat_bytes::<LEN>(PARTS);
        assert_eq!(utf8(&BYTES), "tikv_backup_total");
        assert!(names_contain(&["a", "le"], "le"));
        assert!(!names_contain(&["a", "lee"], "le"));
        assert!(!str_eq("ab", "abc"));
    }
}
