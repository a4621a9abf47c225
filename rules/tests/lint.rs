use metric_group_rules::{
    full_name_is_valid, is_reserved_label_name, is_valid_label_name, is_valid_metric_name,
    lint_metric, Lint, LintSet, MetricKind,
};

fn lints(name: &str, kind: MetricKind) -> Vec<&'static str> {
    lint_metric(name, kind, &[]).iter().map(Lint::key).collect()
}

#[test]
fn names_follow_the_data_model() {
    assert!(is_valid_metric_name("a:b_c9"));
    assert!(!is_valid_metric_name("9abc"));
    assert!(!is_valid_metric_name("a-b"));
    assert!(!is_valid_metric_name(""));
    assert!(is_valid_label_name("_x1"));
    assert!(!is_valid_label_name("a:b"));
    assert!(is_reserved_label_name("__name__"));
    assert!(full_name_is_valid("router", "9lives"));
    assert!(!full_name_is_valid("router", "a.b"));
    assert!(!full_name_is_valid("9router", "x"));
}

#[test]
fn promtool_rules() {
    use MetricKind::*;
    assert!(lints("requests_total", Counter).is_empty());
    assert_eq!(lints("requests", Counter), ["counter_total"]);
    assert_eq!(lints("queue_total", Gauge), ["non_counter_total"]);
    assert_eq!(lints("latency_milliseconds", Histogram), ["base_unit"]);
    assert_eq!(lints("size_kilobytes", Gauge), ["base_unit"]);
    // Any non-base unit token: promtool 2.42 flags these on some or all runs
    // (Go map order), later promtools when the token comes first.
    assert_eq!(lints("age_seconds_hours", Gauge), ["base_unit"]);
    assert_eq!(lints("x_seconds_milliseconds", Gauge), ["base_unit"]);
    assert_eq!(lints("app_bytes_kilobytes", Gauge), ["base_unit"]);
    assert!(lints("x_seconds_bytes", Gauge).is_empty());
    assert_eq!(lints("overhead_total_ms", Histogram), ["unit_abbreviation"]);
    assert_eq!(lints("x_MS_y", Gauge), ["unit_abbreviation"]);
    assert_eq!(lints("queue_gauge", Gauge), ["type_in_name"]);
    // promtool flags any type's name, not only the metric's own.
    assert_eq!(lints("queue_gauge", Histogram), ["type_in_name"]);
    assert!(lints("queue_untyped", Histogram).is_empty());
    assert_eq!(lints("hits_count", Gauge), ["reserved_suffix"]);
    assert!(lints("hits_count", Histogram).is_empty());
    assert_eq!(lints("job:hits", Gauge), ["reserved_chars"]);
    assert_eq!(lints("queueDepth", Gauge), ["camel_case"]);
    assert_eq!(
        lint_metric("queue", Gauge, &["workerId"])
            .iter()
            .collect::<Vec<_>>(),
        [Lint::CamelCase]
    );
}

#[test]
fn lint_sets_compose_in_const_context() {
    const FOUND: LintSet = lint_metric("x_ms", MetricKind::Gauge, &[]);
    const ALLOWED: LintSet = LintSet::EMPTY.with(Lint::UnitAbbreviation);
    const _: () = assert!(FOUND.without(ALLOWED).is_empty());
    assert_eq!(Lint::from_key("camel_case"), Some(Lint::CamelCase));
    assert_eq!(Lint::from_key("nope"), None);
}
