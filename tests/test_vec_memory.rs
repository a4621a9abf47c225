//! Helpers on a plain `*Vec` field keep records only for live series: after
//! 200,000 label sets have come and gone (removed through the helper, or
//! through the public field), the bytes held stay within twice those of the
//! field holding only its live series, plus 1 MiB.
//!
//! One test per binary: the allocator counts bytes held by the whole process.

mod common;

use common::alloc::process_held;
use metric_group::prometheus::IntCounterVec;
use metric_group::MetricGroup;

#[global_allocator]
static ALLOCATOR: common::alloc::Counting = common::alloc::Counting;

#[derive(MetricGroup)]
struct Orders {
    /// Orders by method and worker
    #[metric(name = "orders_total", labels(method, worker_id))]
    orders: IntCounterVec,
}

const LIVE: u64 = 2_000;
const CYCLES: u64 = 200_000;

/// Bytes the group holds with only `LIVE` series, created through the field.
fn live_only() -> i64 {
    let before = process_held();
    let metrics = Orders::new().expect("valid");
    for id in 0..LIVE {
        metrics
            .orders
            .with_label_values(&["GET", &id.to_string()])
            .inc();
    }
    let bytes = process_held() - before;
    drop(metrics);
    bytes
}

/// Bytes the group holds after `CYCLES` label sets came and went through
/// the helpers, `LIVE` at a time; `remove` removes one.
fn after_churn(remove: impl Fn(&Orders, u64)) -> i64 {
    let before = process_held();
    let metrics = Orders::new().expect("valid");
    for id in 0..CYCLES {
        metrics.inc_orders("GET", id).expect("no collision");
        metrics.inc_orders("GET", id).expect("no collision");
        if id >= LIVE {
            remove(&metrics, id - LIVE);
        }
    }
    let bytes = process_held() - before;
    assert_eq!(
        metrics.orders.collect()[0].get_metric().len(),
        LIVE as usize
    );
    drop(metrics);
    bytes
}

use metric_group::prometheus::core::Collector;

#[test]
fn records_are_bounded_by_the_live_series() {
    let baseline = live_only();
    let through_helper = after_churn(|m, id| assert!(m.remove_orders("GET", id)));
    let through_field = after_churn(|m, id| {
        m.orders
            .remove_label_values(&["GET", &id.to_string()])
            .expect("was there")
    });
    println!(
        "live only: {baseline} B; after {CYCLES} label sets through helpers, removed by the helper: {through_helper} B, by the field: {through_field} B"
    );
    let bound = 2 * baseline + (1 << 20);
    assert!(through_helper <= bound, "{through_helper} > {bound}");
    assert!(through_field <= bound, "{through_field} > {bound}");
}
