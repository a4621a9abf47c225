use metric_group::prometheus::{Histogram, IntCounter, IntGaugeVec, Registry};
use metric_group::MetricGroup;

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
fn registers_and_exposes() -> Result<(), metric_group::Error> {
    let registry = Registry::new();
    let m = ShopMetrics::init(&registry, "eu")?;
    m.orders.inc();
    m.set_carts("web", 3u32, 7)?;
    m.observe_latency_duration(std::time::Duration::from_millis(300));
    assert_eq!(ShopMetrics::LATENCY_NAME, "shop_latency_seconds");
    let text = metric_group::scope::encode_text(&registry.gather())?;
    println!("{text}");
    assert!(text.contains("shop_carts{cart_kind=\"web\",region=\"eu\",shard=\"3\"} 7"));
    Ok(())
}
