//! Feeds arbitrary text, parsed as a derive input, through the MetricGroup,
//! LabelSet and LabelValue derives: none may panic.
//!
//! ```text
//! cargo install cargo-fuzz
//! python3 fuzz/make_seeds.py   # seeds from the structs of tests/ui
//! cd fuzz && mkdir -p corpus && RUSTC_BOOTSTRAP=1 cargo fuzz run derive corpus seeds -- -max_total_time=300
//! ```
//!
//! The derives' implementation is the plain library `metric-group-derive`
//! (the proc-macro crate only forwards to it), so this exercises the very
//! code the macros crate runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let Ok(input) = syn::parse_str::<syn::DeriveInput>(source) else { return };
    let _ = metric_group_derive::derive_metric_group(&input);
    let _ = metric_group_derive::derive_label_set(&input);
    let _ = metric_group_derive::derive_label_value(&input);
});
