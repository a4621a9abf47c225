//! The const arithmetic bucket arguments are written in
//! (`(4 * (1 << 10)) as f64`): folded by the derive so that such an argument
//! is checked at compile time like a literal, and recognised as naming a
//! constant when it cannot be folded (const evaluation judges it then).

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};

/// A bucket argument or bound: a number literal or a const expression over
/// literals (`(4 * (1 << 10)) as f64`), folded here so that it is checked at
/// compile time like a literal; or a const expression naming constants,
/// which const evaluation judges.
pub(crate) struct Number {
    /// `None` when the expression names a constant.
    pub value: Option<f64>,
    /// Whether it folded to an integer (a bucket `count` must).
    pub integer: bool,
    /// The expression, so an error covers it.
    pub tokens: TokenStream,
}

impl Parse for Number {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let expr: syn::Expr = input.parse()?;
        let value = match fold(&expr) {
            Ok(value) => value,
            Err(_) if names_constant(&expr) => {
                return Ok(Number {
                    value: None,
                    integer: false,
                    tokens: expr.to_token_stream(),
                })
            }
            Err(error) => return Err(error),
        };
        Ok(Number {
            value: Some(value.as_f64()),
            integer: matches!(value, Folded::Int(_)),
            tokens: expr.to_token_stream(),
        })
    }
}

/// A folded const expression, typed as Rust types it: integer or float.
#[derive(Clone, Copy)]
enum Folded {
    Int(i128),
    Float(f64),
}

impl Folded {
    fn as_f64(self) -> f64 {
        match self {
            Folded::Int(i) => i as f64,
            Folded::Float(f) => f,
        }
    }
}

const FOLD_FORMS: &str = "a number literal or a const expression of numbers and constants, `+ - * / % << >>`, parentheses and `as` casts; for buckets taken from a constant write `buckets = MY_BUCKETS` with a `&[f64]`, `[f64; N]` or `BucketSpec` constant";

/// Whether a bucket argument names a constant (other than `f64::NAN` and the
/// infinities, which no bound may be): the derive cannot fold it, const
/// evaluation judges it.
fn names_constant(expr: &syn::Expr) -> bool {
    use syn::Expr;
    match expr {
        Expr::Path(path) => !matches!(
            path.path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .as_deref(),
            Some("NAN" | "INFINITY" | "NEG_INFINITY")
        ),
        Expr::Paren(inner) => names_constant(&inner.expr),
        Expr::Group(inner) => names_constant(&inner.expr),
        Expr::Unary(unary) => names_constant(&unary.expr),
        Expr::Cast(cast) => names_constant(&cast.expr),
        Expr::Binary(binary) => names_constant(&binary.left) || names_constant(&binary.right),
        _ => false,
    }
}

/// Evaluates the const arithmetic bucket arguments are written in.
fn fold(expr: &syn::Expr) -> syn::Result<Folded> {
    use syn::{BinOp, Expr, Lit, UnOp};
    let refused = |message: &str| Err(syn::Error::new_spanned(expr, message));
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(int) => Ok(Folded::Int(int.base10_parse()?)),
            Lit::Float(float) => Ok(Folded::Float(float.base10_parse()?)),
            _ => refused(&format!("expected {FOLD_FORMS}")),
        },
        Expr::Paren(inner) => fold(&inner.expr),
        Expr::Group(inner) => fold(&inner.expr),
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match fold(&unary.expr)? {
            Folded::Int(i) => Ok(Folded::Int(-i)),
            Folded::Float(f) => Ok(Folded::Float(-f)),
        },
        Expr::Cast(cast) => {
            let value = fold(&cast.expr)?;
            let ty = cast.ty.to_token_stream().to_string();
            match (ty.as_str(), value) {
                ("f64" | "f32", value) => Ok(Folded::Float(value.as_f64())),
                (
                    "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
                    | "i128" | "isize",
                    Folded::Int(i),
                ) => Ok(Folded::Int(i)),
                (_, Folded::Float(f)) if ty != "bool" => Ok(Folded::Int(f as i128)),
                _ => Err(syn::Error::new_spanned(
                    &cast.ty,
                    "expected a cast to a number type (`as f64`, `as usize`, ...)",
                )),
            }
        }
        Expr::Binary(binary) => {
            let (a, b) = (fold(&binary.left)?, fold(&binary.right)?);
            let overflow = || {
                syn::Error::new_spanned(expr, "this bucket argument overflows or divides by zero")
            };
            match (a, b) {
                (Folded::Int(a), Folded::Int(b)) => {
                    let value = match binary.op {
                        BinOp::Add(_) => a.checked_add(b),
                        BinOp::Sub(_) => a.checked_sub(b),
                        BinOp::Mul(_) => a.checked_mul(b),
                        BinOp::Div(_) => a.checked_div(b),
                        BinOp::Rem(_) => a.checked_rem(b),
                        BinOp::Shl(_) => u32::try_from(b).ok().and_then(|b| a.checked_shl(b)),
                        BinOp::Shr(_) => u32::try_from(b).ok().and_then(|b| a.checked_shr(b)),
                        _ => return refused(&format!("expected {FOLD_FORMS}")),
                    };
                    value.map(Folded::Int).ok_or_else(overflow)
                }
                (Folded::Float(a), Folded::Float(b)) => Ok(Folded::Float(match binary.op {
                    BinOp::Add(_) => a + b,
                    BinOp::Sub(_) => a - b,
                    BinOp::Mul(_) => a * b,
                    BinOp::Div(_) => a / b,
                    BinOp::Rem(_) => a % b,
                    _ => return refused(&format!("expected {FOLD_FORMS}")),
                })),
                _ => refused("mixed integer and float arithmetic: cast one side (`as f64`)"),
            }
        }
        Expr::Path(path) => {
            let last = path.path.segments.last().map(|s| s.ident.to_string());
            match last.as_deref() {
                Some("NAN") => refused(
                    "NaN is not a bucket bound: bounds are finite numbers in increasing order",
                ),
                Some("INFINITY" | "NEG_INFINITY") => refused(
                    "bucket bounds must be finite: the `+Inf` bucket is added automatically",
                ),
                _ => refused(&format!(
                    "`{}`: a bucket argument names a constant; expected {FOLD_FORMS}",
                    tokens_text(path)
                )),
            }
        }
        _ => refused(&format!("expected {FOLD_FORMS}")),
    }
}

fn tokens_text(tokens: impl ToTokens) -> String {
    tokens.to_token_stream().to_string().replace(' ', "")
}
