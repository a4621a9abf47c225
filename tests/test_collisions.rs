//! prometheus 0.14's `*Vec` types key children by a hash of the label values
//! written back to back, so some distinct label sets share one series.
//! Typed families keep them apart; helpers on plain `*Vec` fields refuse the
//! second one instead of writing into the first one's series.

mod common;

use metric_group::encode_text;
use metric_group::prometheus::{IntCounterVec, IntGaugeVec, Registry};
use metric_group::{Error, Family, LabelSet, MetricGroup};

#[derive(MetricGroup)]
struct PlainVecs {
    /// Requests by a and b
    #[metric(name = "req_total", labels(a, b))]
    requests: IntCounterVec,
    /// Load per worker rank
    #[metric(name = "load", labels(worker_id, dp_rank))]
    load: IntGaugeVec,
}

#[test]
fn prometheus_alone_merges_these_label_sets() {
    // The defect being guarded against, shown on the raw prometheus API.
    let vec = IntCounterVec::new(
        metric_group::prometheus::Opts::new("req_total", "h"),
        &["a", "b"],
    )
    .unwrap();
    vec.with_label_values(&["ab", "c"]).inc();
    vec.with_label_values(&["a", "bc"]).inc();
    assert_eq!(vec.with_label_values(&["ab", "c"]).get(), 2);
}

#[test]
fn plain_vec_helpers_refuse_a_colliding_string_label_set() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    metrics.inc_requests("ab", "c")?;
    common::assert_err!(
        metrics.inc_requests("a", "bc"),
        Error::LabelCollision {
            metric,
            existing,
            requested,
        } => {
            assert_eq!(metric, "req_total");
            assert_eq!(existing, ["ab", "c"]);
            assert_eq!(requested, ["a", "bc"]);
        }
    );
    // The first series is untouched and cannot be removed through the other
    // label set either.
    assert!(!metrics.remove_requests("a", "bc"));
    let text = encode_text(&registry.gather())?;
    assert!(text.contains("req_total{a=\"ab\",b=\"c\"} 1\n"), "{text}");
    assert!(!text.contains("a=\"a\""), "{text}");
    // Once the owner is removed, the other label set may have the slot.
    assert!(metrics.remove_requests("ab", "c"));
    metrics.inc_requests("a", "bc")?;
    Ok(())
}

#[test]
fn plain_vec_helpers_refuse_a_colliding_numeric_label_set() -> Result<(), Error> {
    let metrics = PlainVecs::new()?;
    metrics.set_load(1u64, 23u32, 5)?;
    assert!(matches!(
        metrics.set_load(12u64, 3u32, 7),
        Err(Error::LabelCollision { .. })
    ));
    assert_eq!(metrics.load_with_labels(1u64, 23u32)?.get(), 5);
    // Label sets that do not collide are unaffected.
    metrics.set_load(12u64, 4u32, 9)?;
    assert_eq!(metrics.load_with_labels(12u64, 4u32)?.get(), 9);
    Ok(())
}

#[test]
fn two_instances_do_not_share_collision_records() -> Result<(), Error> {
    let first = PlainVecs::new()?;
    let second = PlainVecs::new()?;
    first.inc_requests("ab", "c")?;
    second.inc_requests("a", "bc")?; // a different family: no collision
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Pair {
    a: &'static str,
    b: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Rank {
    worker_id: u64,
    dp_rank: u32,
}

#[derive(MetricGroup)]
struct TypedFamilies {
    /// Requests by a and b
    #[metric(name = "req_total")]
    requests: Family<Pair, metric_group::prometheus::IntCounter>,
    /// Load per worker rank
    #[metric(name = "load")]
    load: Family<Rank, metric_group::prometheus::IntGauge>,
}

#[test]
fn typed_families_keep_both_collision_cases_apart() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = TypedFamilies::new()?;
    metrics.register(&registry)?;
    metrics.inc_requests(&Pair { a: "ab", b: "c" })?;
    metrics.inc_requests(&Pair { a: "a", b: "bc" })?;
    metrics.inc_requests(&Pair { a: "a", b: "bc" })?;
    metrics.set_load(
        &Rank {
            worker_id: 1,
            dp_rank: 23,
        },
        5,
    )?;
    metrics.set_load(
        &Rank {
            worker_id: 12,
            dp_rank: 3,
        },
        7,
    )?;
    let text = encode_text(&registry.gather())?;
    assert!(text.contains("req_total{a=\"ab\",b=\"c\"} 1\n"), "{text}");
    assert!(text.contains("req_total{a=\"a\",b=\"bc\"} 2\n"), "{text}");
    assert!(
        text.contains("load{dp_rank=\"23\",worker_id=\"1\"} 5\n"),
        "{text}"
    );
    assert!(
        text.contains("load{dp_rank=\"3\",worker_id=\"12\"} 7\n"),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_family_built_where_a_dropped_one_lived_starts_afresh() -> Result<(), Error> {
    // Drop and rebuild many times: the allocator reuses addresses, and a
    // reused descriptor address must not inherit the dropped family's
    // records.
    use metric_group::prometheus::core::Collector;
    let mut addresses = std::collections::HashSet::new();
    let mut reused = 0;
    for round in 0..200 {
        let metrics = PlainVecs::new()?;
        let address = metrics.requests.desc()[0] as *const _ as usize;
        if !addresses.insert(address) {
            reused += 1;
        }
        // Not alternating: the allocator may itself alternate two addresses.
        if round % 3 == 0 {
            metrics.inc_requests("ab", "c")?;
        } else {
            metrics.inc_requests("a", "bc")?;
        }
    }
    // The case only exists if the allocator did reuse an address.
    assert!(
        reused > 0,
        "no descriptor address was reused: the test proves nothing"
    );
    Ok(())
}

// What went through the public field before a helper: the helper still
// writes only into a series holding its own label values.

fn value(text: &str, series: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(str::to_owned)
}

#[test]
fn a_series_the_field_created_for_colliding_values_is_refused() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    metrics.requests.with_label_values(&["x", "yz"]).inc();
    common::assert_err!(
        metrics.inc_requests("xy", "z"),
        Error::LabelCollision {
            metric,
            existing,
            requested,
        } => {
            assert_eq!(metric, "req_total");
            assert_eq!(existing, ["x", "yz"]);
            assert_eq!(requested, ["xy", "z"]);
        }
    );
    // Nor can the helper remove it.
    assert!(!metrics.remove_requests("xy", "z"));
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        value(&text, "req_total{a=\"x\",b=\"yz\"}").as_deref(),
        Some("1")
    );
    assert!(!text.contains("a=\"xy\""), "{text}");
    Ok(())
}

#[test]
fn numeric_label_values_the_field_created_are_refused() -> Result<(), Error> {
    let metrics = PlainVecs::new()?;
    metrics.load.with_label_values(&["1", "23"]).set(5);
    assert!(matches!(
        metrics.set_load(12u64, 3u32, 7),
        Err(Error::LabelCollision { .. })
    ));
    assert_eq!(metrics.load.with_label_values(&["1", "23"]).get(), 5);
    Ok(())
}

#[test]
fn after_reset_the_other_label_set_is_admitted_and_written_where_it_is_exposed() -> Result<(), Error>
{
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    metrics.inc_requests("ab", "c")?;
    metrics.requests.reset();
    // No series exists any more: the colliding label set may have the slot.
    metrics.inc_requests("a", "bc")?;
    metrics.inc_requests("a", "bc")?;
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        value(&text, "req_total{a=\"a\",b=\"bc\"}").as_deref(),
        Some("2")
    );
    assert!(!text.contains("a=\"ab\""), "{text}");
    // And now the first label set is the one refused.
    assert!(matches!(
        metrics.inc_requests("ab", "c"),
        Err(Error::LabelCollision { .. })
    ));
    Ok(())
}

#[test]
fn after_reset_a_helper_writes_into_the_new_series_not_the_detached_one() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    metrics.inc_requests("ab", "c")?;
    metrics.requests.reset();
    metrics.inc_requests("ab", "c")?;
    metrics.inc_requests("ab", "c")?;
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        value(&text, "req_total{a=\"ab\",b=\"c\"}").as_deref(),
        Some("2")
    );
    assert_eq!(metrics.requests.with_label_values(&["ab", "c"]).get(), 2);
    Ok(())
}

#[test]
fn after_the_field_removed_a_series_and_created_a_colliding_one() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    metrics.inc_requests("ab", "c")?;
    metrics
        .requests
        .remove_label_values(&["ab", "c"])
        .expect("was there");
    metrics.requests.with_label_values(&["a", "bc"]).inc_by(10);
    assert!(matches!(
        metrics.inc_requests("ab", "c"),
        Err(Error::LabelCollision { .. })
    ));
    assert!(!metrics.remove_requests("ab", "c"));
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        value(&text, "req_total{a=\"a\",b=\"bc\"}").as_deref(),
        Some("10")
    );
    assert!(!text.contains("a=\"ab\""), "{text}");
    Ok(())
}

#[test]
fn after_the_field_removed_a_series_a_helper_recreates_it_attached() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    metrics.inc_requests("ab", "c")?;
    metrics
        .requests
        .remove_label_values(&["ab", "c"])
        .expect("was there");
    metrics.inc_requests("ab", "c")?;
    let text = encode_text(&registry.gather())?;
    assert_eq!(
        value(&text, "req_total{a=\"ab\",b=\"c\"}").as_deref(),
        Some("1")
    );
    Ok(())
}

#[test]
fn removing_through_a_helper() -> Result<(), Error> {
    let registry = Registry::new();
    let metrics = PlainVecs::new()?;
    metrics.register(&registry)?;
    // Never created: nothing removed, nothing created.
    assert!(!metrics.remove_requests("ab", "c"));
    assert!(!encode_text(&registry.gather())?.contains("req_total{"));
    // Created through the field: the helper may remove it (same values).
    metrics.requests.with_label_values(&["ab", "c"]).inc();
    assert!(metrics.remove_requests("ab", "c"));
    assert!(!metrics.remove_requests("ab", "c"));
    // Created through a helper, removed through the field, created again
    // through the field: the helper removes the series the family holds.
    metrics.inc_requests("ab", "c")?;
    metrics
        .requests
        .remove_label_values(&["ab", "c"])
        .expect("was there");
    metrics.requests.with_label_values(&["ab", "c"]).inc();
    assert!(metrics.remove_requests("ab", "c"));
    assert!(!encode_text(&registry.gather())?.contains("req_total{"));
    Ok(())
}

#[test]
fn helpers_on_many_threads_agree_with_the_field() -> Result<(), Error> {
    let metrics = PlainVecs::new()?;
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for i in 0..1_000u64 {
                    metrics.inc_requests("m", i % 50).expect("no collision");
                }
            });
        }
    });
    for i in 0..50u64 {
        assert_eq!(
            metrics
                .requests
                .with_label_values(&["m", &i.to_string()])
                .get(),
            80
        );
    }
    Ok(())
}
