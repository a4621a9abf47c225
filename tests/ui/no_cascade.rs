// One typo in a declaration is one error: the generated API still exists, so
// the code using the group compiles against it without further errors.
use metric_group::prometheus::{HistogramVec, Registry};
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "shop", const_labels(region))]
struct Shop {
    /// Checkout latency
    #[metric(name = "checkout_seconds", labels(method), bukets = [0.1, 1.0])]
    checkout: HistogramVec,
}

fn main() -> Result<(), metric_group::Error> {
    let registry = Registry::new();
    let shop = Shop::init(&registry, "eu")?;
    shop.observe_checkout("card", 0.2)?;
    let _ = Shop::CHECKOUT_NAME;
    Ok(())
}
