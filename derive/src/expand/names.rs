//! The `<FIELD>_NAME` constants, and how a metric's name and summary are
//! written in documentation and messages.

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{Ident, LitStr};

use super::{tokens_text, unraw, Gen};
use crate::ast::Field;
use crate::attr::{NameValue, Scope};

/// `write!` into a `String` only fails if the `String` cannot grow.
const WRITE_TO_STRING: &str = "writing to a String";

impl Gen<'_> {
    pub(super) fn name_const_ident(field: &Field) -> Ident {
        format_ident!("{}_NAME", unraw(field.ident).to_uppercase())
    }

    /// A `&'static str` const expression for the field's name within its
    /// group: a literal when prefix and name are, a const concatenation of the
    /// constants otherwise.
    pub(super) fn name_expr(&self, field: &Field) -> TokenStream {
        if let Some(full) = &field.resolved.literal_full_name {
            return LitStr::new(full, field.name_span()).into_token_stream();
        }
        let private = &self.private;
        let name = match field.attrs.name.value() {
            Some(NameValue::Path(path)) => path.to_token_stream(),
            Some(NameValue::Literal(lit)) => lit.to_token_stream(),
            None => LitStr::new(&unraw(field.ident), field.ident.span()).into_token_stream(),
        };
        let parts = match self.input.attrs.prefix.value() {
            Some(NameValue::Path(prefix)) => quote! {
                if #prefix.is_empty() { &[#name] } else { &[#prefix, "_", #name] }
            },
            Some(NameValue::Literal(lit)) if !lit.value().is_empty() => quote!(&[#lit, "_", #name]),
            _ => quote!(&[#name]),
        };
        quote_spanned! {field.name_span()=> {
            const PARTS: &[&str] = #parts;
            const LEN: usize = #private::concat_len(PARTS);
            const BYTES: [u8; LEN] = #private::concat_bytes::<LEN>(PARTS);
            #private::utf8(&BYTES)
        }}
    }

    pub(super) fn name_const(&self, field: &Field) -> TokenStream {
        let ident = Self::name_const_ident(field);
        let value = self.name_expr(field);
        let doc = match self.input.scope() {
            Scope::Registry => format!("Full name of {}", self.metric_summary(field)),
            Scope::Hierarchy(_) => format!(
                "Name below the prefix of the hierarchy scope the group is created in; scraped as {}",
                self.metric_summary(field)
            ),
        };
        quote! {
            #[doc = #doc]
            pub const #ident: &'static str = #value;
        }
    }

    /// One line for rustdoc: name, kind, labels, buckets.
    pub(super) fn metric_summary(&self, field: &Field) -> String {
        // Names built from constants link to the constants, whose values
        // rustdoc shows.
        let piece = |value: &NameValue| match value {
            NameValue::Literal(lit) => format!("`{}`", lit.value()),
            NameValue::Path(path) => format!("[`{}`]", tokens_text(path)),
        };
        let name = match &field.resolved.literal_full_name {
            Some(full) => format!("`{full}`"),
            None => {
                let name = field
                    .attrs
                    .name
                    .value()
                    .map_or_else(|| format!("`{}`", unraw(field.ident)), piece);
                match self.input.attrs.prefix.value().map(piece) {
                    Some(prefix) => format!("{prefix} + `_` + {name}"),
                    None => name,
                }
            }
        };
        // The hierarchy's naming, a run-time choice, adds its own prefix.
        let name = match self.input.scope() {
            Scope::Registry => name,
            Scope::Hierarchy(_) => format!("{name} behind the hierarchy's prefix"),
        };
        let mut text = format!("{name}, a {}", field.kind().type_name());
        let labels = &field.resolved.all_label_sources;
        if !labels.is_empty() {
            let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
            write!(text, " labelled {}", labels.join(", ")).expect(WRITE_TO_STRING);
        }
        if let Some(bounds) = &field.resolved.bounds {
            let bounds: Vec<String> = bounds.iter().map(f64::to_string).collect();
            write!(text, ", buckets [{}]", bounds.join(", ")).expect(WRITE_TO_STRING);
        } else if let Some(source) = &field.resolved.const_buckets_source {
            write!(text, ", buckets `{source}`").expect(WRITE_TO_STRING);
        }
        if let Some(help) = field.help() {
            write!(text, ": {help}").expect(WRITE_TO_STRING);
        }
        text
    }

    /// How the name was written, for messages about const-built names.
    pub(super) fn name_source(&self, field: &Field) -> String {
        let name = match field.attrs.name.value() {
            Some(NameValue::Path(path)) => format!("`{}`", tokens_text(path)),
            Some(NameValue::Literal(lit)) => format!("{:?}", lit.value()),
            None => format!("{:?}", unraw(field.ident)),
        };
        match self.input.attrs.prefix.value() {
            Some(NameValue::Path(prefix)) => format!("`{}` + \"_\" + {name}", tokens_text(prefix)),
            Some(NameValue::Literal(lit)) if !lit.value().is_empty() => {
                format!("{:?} + \"_\" + {name}", lit.value())
            }
            _ => name,
        }
    }
}
