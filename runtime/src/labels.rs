//! Label values given as typed Rust values.
//!
//! Observe helpers take `impl LabelValue` rather than `&str`, so callers pass
//! a `u64` worker id or a `bool` as it is. Integers are formatted into a
//! buffer on the stack: resolving a series allocates nothing for its labels.

use std::borrow::Cow;

/// Room for the longest integer label: `i128::MIN` is 40 characters.
pub type LabelBuffer = [u8; 40];

/// A value that can stand as a Prometheus label value.
pub trait LabelValue {
    /// The value as text, formatted into `buffer` when it is not text already.
    fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str;

    /// The value as an owned string (for const labels, set once).
    fn to_label_string(&self) -> String {
        let mut buffer = [0; 40];
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

macro_rules! unsigned_label_value {
    ($($t:ty),*) => {$(
        impl LabelValue for $t {
            fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str {
                format_decimal(*self as u128, false, buffer)
            }
        }
    )*};
}

macro_rules! signed_label_value {
    ($($t:ty),*) => {$(
        impl LabelValue for $t {
            fn label_str<'a>(&'a self, buffer: &'a mut LabelBuffer) -> &'a str {
                format_decimal(self.unsigned_abs() as u128, *self < 0, buffer)
            }
        }
    )*};
}

unsigned_label_value!(u8, u16, u32, u64, u128, usize);
signed_label_value!(i8, i16, i32, i64, i128, isize);

fn format_decimal(mut value: u128, negative: bool, buffer: &mut LabelBuffer) -> &str {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buffer[at] = b'-';
    }
    // Only ASCII digits and '-' were written.
    std::str::from_utf8(&buffer[at..]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: impl LabelValue) -> String {
        value.to_label_string()
    }

    #[test]
    fn integers_format_like_display() {
        for v in [0i128, 7, -7, 1234567890, i128::MIN, i128::MAX] {
            assert_eq!(text(v), v.to_string());
        }
        assert_eq!(text(u128::MAX), u128::MAX.to_string());
        assert_eq!(text(u64::MAX), u64::MAX.to_string());
        assert_eq!(text(i8::MIN), "-128");
    }

    #[test]
    fn text_and_bools_pass_through() {
        assert_eq!(text("decode"), "decode");
        assert_eq!(text(String::from("x")), "x");
        assert_eq!(text(true), "true");
    }
}
