//! Label values given as typed Rust values.
//!
//! Observe helpers take `impl LabelValue` rather than `&str`, so callers pass
//! a `u64` worker id or a `bool` as it is. Integers are formatted into a
//! buffer on the stack (by `itoa`): resolving a series allocates nothing for
//! its labels.

use std::borrow::Cow;
use std::fmt;

/// Room on the stack for one label value formatted from a number: what
/// [`LabelValue::label_str`] formats into when the value is not text
/// already. It holds the longest integer (`i128::MIN`, 40 characters), so a
/// label value is never allocated to be formatted.
///
/// A [`LabelValue`] implemented by hand over an integer passes the buffer on
/// to the integer's own implementation:
///
/// ```
/// use metric_group::{LabelBuffer, LabelValue};
///
/// struct Rank(u32);
///
/// impl LabelValue for Rank {
///     fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str {
///         self.0.label_str(buffer)
///     }
/// }
///
/// let mut buffer = LabelBuffer::new();
/// assert_eq!(Rank(7).label_str(&mut buffer), "7");
/// ```
#[derive(Clone, Copy, Default)]
pub struct LabelBuffer(itoa::Buffer);

impl LabelBuffer {
    /// An empty buffer.
    #[inline]
    #[must_use]
    pub fn new() -> Self {
        LabelBuffer(itoa::Buffer::new())
    }

    /// `value` formatted into the buffer (`itoa`: two digits per step, in
    /// the value's own width).
    #[inline]
    fn format<I: itoa::Integer>(&mut self, value: I) -> &str {
        self.0.format(value)
    }
}

impl fmt::Debug for LabelBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LabelBuffer").finish_non_exhaustive()
    }
}

/// A value that can stand as a Prometheus label value.
pub trait LabelValue {
    /// The value as text, formatted into `buffer` when it is not text already.
    fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str;

    /// The value as an owned string (for const labels, set once).
    fn to_label_string(&self) -> String {
        let mut buffer = LabelBuffer::new();
        self.label_str(&mut buffer).to_owned()
    }
}

impl<T: LabelValue + ?Sized> LabelValue for &T {
    fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str {
        (**self).label_str(buffer)
    }
}

impl LabelValue for str {
    fn label_str<'a>(&'a self, _: &'a mut LabelBuffer) -> &'a str {
        self
    }
}

impl LabelValue for String {
    fn label_str<'a>(&'a self, _: &'a mut LabelBuffer) -> &'a str {
        self
    }
}

impl LabelValue for Cow<'_, str> {
    fn label_str<'a>(&'a self, _: &'a mut LabelBuffer) -> &'a str {
        self
    }
}

impl LabelValue for bool {
    fn label_str<'a>(&'a self, _: &'a mut LabelBuffer) -> &'a str {
        if *self {
            "true"
        } else {
            "false"
        }
    }
}

macro_rules! integer_label_value {
    ($($t:ty),*) => {$(
        impl LabelValue for $t {
            #[inline]
            fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str {
                buffer.format(*self)
            }
        }
    )*};
}

integer_label_value!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

/// A label value type as a field of a [`LabelSet`]: whether it takes a
/// fixed, small set of values (enums, `bool`), which lets a family index its
/// children directly instead of hashing.
pub trait LabelField: LabelValue {
    /// How many values the type has, when that is fixed.
    const CARDINALITY: Option<usize> = None;

    /// Whether every value's text is plain
    /// ([`rules::label_value_is_plain`](crate::rules::label_value_is_plain)):
    /// scrapes then copy such values without looking at them. True for
    /// integers, `bool` and derived enums whose values are all plain.
    const PLAIN: bool = false;

    /// This value's position among them (`0` for unbounded types).
    fn index(&self) -> usize {
        0
    }
}

impl LabelField for bool {
    const CARDINALITY: Option<usize> = Some(2);
    const PLAIN: bool = true;
    fn index(&self) -> usize {
        usize::from(*self)
    }
}

macro_rules! unbounded_label_field {
    ($($t:ty),*) => {$( impl LabelField for $t {} )*};
}

macro_rules! integer_label_field {
    ($($t:ty),*) => {$( impl LabelField for $t { const PLAIN: bool = true; } )*};
}

integer_label_field!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

unbounded_label_field!(String, &'static str);

/// A struct of typed labels, `#[derive(LabelSet)]`: the label names are its
/// field names, the values its fields. Families key their children by it.
pub trait LabelSet: Clone + Eq + std::hash::Hash + Send + Sync + 'static {
    /// Label names, in field order.
    const NAMES: &'static [&'static str];
    /// The number of distinct label sets when every field has a fixed
    /// cardinality (and the product fits), else `None`.
    const CARDINALITY: Option<usize>;

    /// This label set's position below `CARDINALITY` (`0` when unbounded).
    fn index(&self) -> usize;

    /// For each label, whether its values are plain
    /// ([`LabelField::PLAIN`]); unknown (every value looked at) when empty.
    const PLAIN: &'static [bool] = &[];

    /// The value of the label at `index` (of [`NAMES`](Self::NAMES)) as
    /// text, formatted into `buffer` when it is not text already; empty
    /// past the last label.
    fn label_value<'a>(&'a self, index: usize, buffer: &'a mut LabelBuffer) -> &'a str;

    /// Calls `f` with each label value as text, in field order.
    fn for_each_value(&self, f: &mut dyn FnMut(&str));
}

/// The hash a family keys a label set by: foldhash, seeded once per process
/// from the operating system's randomness (through std's `RandomState`; the
/// seed foldhash derives by itself comes from addresses and the clock), so
/// label values taken from requests cannot be chosen to collide. One seed for
/// every family, so a label set hashed once ([`Prepared`](crate::Prepared))
/// resolves in all the families of its type.
#[inline]
pub(crate) fn hash_label_set<L: std::hash::Hash + ?Sized>(labels: &L) -> u64 {
    use std::hash::BuildHasher;
    use std::sync::OnceLock;
    static SEED: OnceLock<(u64, foldhash::SharedSeed)> = OnceLock::new();
    let (per_hasher, shared) = SEED.get_or_init(|| {
        let random = std::collections::hash_map::RandomState::new();
        let seed = |tag: u64| random.hash_one(tag);
        (seed(0), foldhash::SharedSeed::from_u64(seed(1)))
    });
    foldhash::fast::SeedableRandomState::with_seed(*per_hasher, shared).hash_one(labels)
}

/// The product of field cardinalities, for derived `LabelSet`s.
#[doc(hidden)]
#[must_use]
pub const fn product_cardinality(fields: &[Option<usize>]) -> Option<usize> {
    let mut product: usize = 1;
    let mut i = 0;
    while i < fields.len() {
        match fields[i] {
            Some(n) => match product.checked_mul(n) {
                Some(p) => product = p,
                None => return None,
            },
            None => return None,
        }
        i += 1;
    }
    Some(product)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: impl LabelValue) -> String {
        value.to_label_string()
    }

    #[test]
    fn integers_format_like_display() {
        for v in [0i128, 7, -7, 1_234_567_890, i128::MIN, i128::MAX] {
            assert_eq!(text(v), v.to_string());
        }
        assert_eq!(text(u128::MAX), u128::MAX.to_string());
        assert_eq!(text(u64::MAX), u64::MAX.to_string());
        assert_eq!(text(i8::MIN), "-128");
    }

    #[test]
    fn label_set_hashes_are_stable_within_the_process_and_seeded() {
        use std::hash::BuildHasher;
        let a = hash_label_set(&("decode", 7u64));
        assert_eq!(a, hash_label_set(&("decode", 7u64)));
        assert_ne!(a, hash_label_set(&("decode", 8u64)));
        // The fixed-seed foldhash of the same value differs: the seed is not
        // the library's constant one (2^-64 odds of a false failure).
        let fixed = foldhash::fast::FixedState::default().hash_one(("decode", 7u64));
        assert_ne!(a, fixed);
    }

    #[test]
    fn text_and_bools_pass_through() {
        assert_eq!(text("decode"), "decode");
        assert_eq!(text(String::from("x")), "x");
        assert_eq!(text(true), "true");
    }
}
