//! The derive never panics: 10,000 generated inputs per run — random
//! attribute keys and values, literals of every kind, nested and truncated
//! token trees, field types — each yield generated items or errors whose
//! spans lie inside the input.

use proptest::prelude::*;
use proptest::test_runner::Config;
use syn::DeriveInput;

use crate::attr::{Symbol, FIELD_KEYS, GROUP_KEYS};

fn keys(known: &'static [Symbol]) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(known).prop_map(|key| key.0.to_owned()),
        1 => "[a-z_]{1,10}",
        1 => proptest::sample::select(&["allow", "crate", "r#type", "buckets", "le", "quantile"][..]).prop_map(str::to_owned),
    ]
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_:\\- .]{0,16}".prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:?}")),
        proptest::sample::select(
            &[
                "true",
                "false",
                "'c'",
                "b\"bytes\"",
                "b'x'",
                "1e999",
                "-0.0",
                "0x1f",
                "1_000u8",
                "r\"raw\"",
                "\"\"",
                "1.5f32"
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

fn path() -> impl Strategy<Value = String> {
    ("[a-z]{1,6}", proptest::option::of("[A-Z_]{1,8}")).prop_map(|(module, item)| match item {
        Some(item) => format!("{module}::{item}"),
        None => module,
    })
}

/// A value: a literal, a path, a call or list of values, or loose tokens.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![literal(), path()];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                "[a-z]{1,11}",
                proptest::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            proptest::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            proptest::collection::vec(inner, 0..4).prop_map(|items| items.join(" ")),
            proptest::sample::select(
                &["=", ",", "::", "-", "#", "!", "(,)", "[]", "{}", "= ="][..]
            )
            .prop_map(str::to_owned),
        ]
    })
}

/// One `key`, `key = value`, `key(values)`, or a truncated form of those.
fn meta_item(known: &'static [Symbol]) -> impl Strategy<Value = String> {
    (keys(known), value(), 0..5u8).prop_map(|(key, value, form)| match form {
        0 => key,
        1 | 2 => format!("{key} = {value}"),
        3 => format!("{key}({value})"),
        _ => format!("{key} ="), // truncated
    })
}

fn attribute(name: &'static str, known: &'static [Symbol]) -> impl Strategy<Value = String> {
    proptest::collection::vec(meta_item(known), 0..5)
        .prop_map(move |items| format!("#[{name}({})]", items.join(", ")))
}

fn field_type() -> impl Strategy<Value = String> {
    proptest::sample::select(
        &[
            "IntCounter",
            "Counter",
            "IntGauge",
            "Gauge",
            "Histogram",
            "IntCounterVec",
            "CounterVec",
            "IntGaugeVec",
            "GaugeVec",
            "HistogramVec",
            "Family<L, IntGauge>",
            "Family<L, Histogram>",
            "Family<L>",
            "String",
            "prometheus::Histogram",
            "Vec<u8>",
            "(u8, u8)",
            "[u8; 4]",
            "&'static str",
            "Family<L, IntGaugeVec>",
        ][..],
    )
    .prop_map(str::to_owned)
}

fn field() -> impl Strategy<Value = String> {
    (
        proptest::option::of("[ -~&&[^\\\\\"]]{0,20}"),
        proptest::collection::vec(attribute("metric", FIELD_KEYS), 0..3),
        "[a-z][a-z_0-9]{0,8}",
        field_type(),
    )
        .prop_map(|(doc, attrs, name, ty)| {
            let doc = doc.map(|d| format!("/// {d}\n")).unwrap_or_default();
            format!("{doc}{}\n{name}: {ty},", attrs.join("\n"))
        })
}

fn input() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(attribute("metric_group", GROUP_KEYS), 0..3),
        proptest::collection::vec(field(), 0..5),
        0..8u8,
    )
        .prop_map(|(attrs, fields, shape)| {
            let attrs = attrs.join("\n");
            match shape {
                0 => format!("{attrs}\nenum E {{ A, B }}"),
                1 => format!("{attrs}\nstruct T(Gauge);"),
                2 => format!("{attrs}\nstruct G<T> {{ {} }}", fields.join("\n")),
                _ => format!("{attrs}\nstruct S {{\n{}\n}}", fields.join("\n")),
            }
        })
}

#[test]
fn every_input_expands_or_errors_inside_itself() {
    let config = Config {
        cases: 10_000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let parsed = std::cell::Cell::new(0u32);
    let with_errors = std::cell::Cell::new(0u32);
    let result = runner.run(&input(), |source| {
        // Inputs rustc would not hand to a derive are out of scope.
        let Ok(input) = syn::parse_str::<DeriveInput>(&source) else {
            return Ok(());
        };
        parsed.set(parsed.get() + 1);
        let lines = source.lines().count();
        let (_, errors) = crate::expand::derive_with_errors(&input);
        with_errors.set(with_errors.get() + u32::from(!errors.is_empty()));
        for error in errors {
            for part in error {
                let (start, end) = (part.span().start(), part.span().end());
                prop_assert!(
                    start.line >= 1
                        && end.line <= lines
                        && (start.line, start.column) <= (end.line, end.column),
                    "error {:?} spans {:?}..{:?}, outside the {} lines of:\n{}",
                    part.to_string(),
                    start,
                    end,
                    lines,
                    source
                );
            }
        }
        Ok(())
    });
    println!(
        "{} generated inputs parsed as derive input, {} of them with errors",
        parsed.get(),
        with_errors.get()
    );
    if let Err(failure) = result {
        panic!("{failure}");
    }
    // The generator must mostly produce inputs rustc would pass to the derive.
    assert!(
        parsed.get() >= 5_000,
        "only {} of 10,000 inputs parsed",
        parsed.get()
    );
}
