//! A declared group, registered and observed, exposes exactly this text.

use std::time::Duration;

use metric_group::encode_text;
use metric_group::prometheus::{Histogram, IntCounter, IntGaugeVec, Registry};
use metric_group::{Error, MetricGroup};

mod names {
    pub const PREFIX: &str = "shop";
    pub const LATENCY: &str = "latency_seconds";
}

#[derive(MetricGroup)]
#[metric_group(prefix = names::PREFIX, const_labels(region))]
pub struct ShopMetrics {
    /// Orders placed
    #[metric(name = "orders_total")]
    orders: IntCounter,
    /// Items in carts
    #[metric(labels(cart_kind, shard))]
    carts: IntGaugeVec,
    /// Checkout latency
    #[metric(name = names::LATENCY, buckets = [0.1, 0.5, 1.0], unit = "seconds")]
    latency: Histogram,
}

#[test]
fn exposition_is_exactly_as_declared() -> Result<(), Error> {
    let registry = Registry::new();
    let shop = ShopMetrics::init(&registry, "eu")?;
    shop.orders.inc();
    shop.set_carts("web", 3u32, 7)?;
    shop.set_carts("app", 1u32, 2)?;
    shop.observe_latency(Duration::from_millis(300))?;
    assert_eq!(ShopMetrics::LATENCY_NAME, "shop_latency_seconds");
    assert_eq!(ShopMetrics::CARTS_NAME, "shop_carts");
    let expected = "\
# HELP shop_carts Items in carts
# TYPE shop_carts gauge
shop_carts{cart_kind=\"app\",region=\"eu\",shard=\"1\"} 2
shop_carts{cart_kind=\"web\",region=\"eu\",shard=\"3\"} 7
# HELP shop_latency_seconds Checkout latency
# TYPE shop_latency_seconds histogram
shop_latency_seconds_bucket{region=\"eu\",le=\"0.1\"} 0
shop_latency_seconds_bucket{region=\"eu\",le=\"0.5\"} 1
shop_latency_seconds_bucket{region=\"eu\",le=\"1\"} 1
shop_latency_seconds_bucket{region=\"eu\",le=\"+Inf\"} 1
shop_latency_seconds_sum{region=\"eu\"} 0.3
shop_latency_seconds_count{region=\"eu\"} 1
# HELP shop_orders_total Orders placed
# TYPE shop_orders_total counter
shop_orders_total{region=\"eu\"} 1
";
    assert_eq!(encode_text(&registry.gather())?, expected);
    Ok(())
}

#[test]
fn descriptors_carry_the_declaration() {
    let group = ShopMetrics::GROUP;
    assert_eq!(group.name, "ShopMetrics");
    assert_eq!(group.const_labels, ["region"]);
    let latency = &group.metrics[2];
    assert_eq!(latency.name, "shop_latency_seconds");
    assert_eq!(latency.help, "Checkout latency");
    assert_eq!(
        latency.buckets,
        Some(metric_group::catalog::BucketSpec::Explicit(&[
            0.1, 0.5, 1.0
        ]))
    );
    assert_eq!(latency.unit, Some("seconds"));
    assert_eq!(group.metrics[1].labels, ["cart_kind", "shard"]);
}

#[test]
fn a_failed_registration_is_an_error_not_a_panic() -> Result<(), Error> {
    let registry = Registry::new();
    // A hand-registered collector holding one of the group's names.
    let squatter =
        IntCounter::new("shop_orders_total", "Squatter").map_err(|source| Error::Create {
            metric: "shop_orders_total".into(),
            source,
        })?;
    registry
        .register(Box::new(squatter))
        .map_err(|source| Error::Register {
            metric: "shop_orders_total".into(),
            source,
        })?;
    let shop = ShopMetrics::new("us")?;
    let error = shop.register(&registry).expect_err("the name is taken");
    assert!(error.to_string().contains("`shop_orders_total`"), "{error}");
    assert!(
        error.to_string().contains("outside metric-group"),
        "{error}"
    );
    // Only the squatter is there: nothing of the group was left behind.
    assert_eq!(
        encode_text(&registry.gather())?,
        "# HELP shop_orders_total Squatter\n# TYPE shop_orders_total counter\nshop_orders_total 0\n"
    );
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "docs")]
pub struct DocHelp {
    /// Time spent in `find_matches`, per `ms`
    #[metric(name = "lookup_total")]
    lookup: IntCounter,
    /// Not this text
    #[metric(name = "verbatim_total", help = "Calls of `verbatim`, as given")]
    verbatim: IntCounter,
}

#[test]
fn doc_comment_help_drops_inline_code_backticks_and_help_stays_verbatim() -> Result<(), Error> {
    let registry = Registry::new();
    DocHelp::init(&registry)?;
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("# HELP docs_lookup_total Time spent in find_matches, per ms\n"),
        "{text}"
    );
    assert!(
        text.contains("# HELP docs_verbatim_total Calls of `verbatim`, as given\n"),
        "{text}"
    );
    Ok(())
}
