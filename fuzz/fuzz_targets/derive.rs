//! Feeds arbitrary text, parsed as a derive input, through the MetricGroup,
//! LabelSet and LabelValue derives: none may panic.
//!
//! ```text
//! cargo install cargo-fuzz
//! python3 fuzz/make_seeds.py   # seeds from the structs of tests/ui
//! cd fuzz && mkdir -p corpus && RUSTC_BOOTSTRAP=1 cargo fuzz run derive corpus seeds -- -max_total_time=300
//! ```
//!
//! The derives' modules are compiled in directly (a proc-macro crate cannot
//! be linked into a fuzz target), so this exercises the very code the macros
//! crate builds.

#![no_main]

#[path = "../../macros/src/ast.rs"]
mod ast;
#[path = "../../macros/src/attr.rs"]
mod attr;
#[path = "../../macros/src/case.rs"]
mod case;
#[path = "../../macros/src/check.rs"]
mod check;
#[path = "../../macros/src/ctxt.rs"]
mod ctxt;
#[path = "../../macros/src/expand/mod.rs"]
mod expand;
#[path = "../../macros/src/labels.rs"]
mod labels;
#[path = "../../macros/src/private.rs"]
mod private;
#[path = "../../macros/src/suggest.rs"]
mod suggest;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let Ok(input) = syn::parse_str::<syn::DeriveInput>(source) else { return };
    let _ = expand::derive(&input);
    let _ = labels::derive_label_set(&input);
    let _ = labels::derive_label_value(&input);
});
