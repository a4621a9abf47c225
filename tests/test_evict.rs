//! Evicting the instance of a const-label value set: `evict` unregisters its
//! metrics and forgets it, so it is freed with the last `Arc` a caller holds;
//! 20,000 worker ids created and evicted hold what 2,000 did.

mod common;

use std::sync::Arc;

use common::alloc::{held, start_counting, stop_counting};
use metric_group::prometheus::{Histogram, IntCounter, IntCounterVec, Registry};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{encode_text, Error, MetricGroup};

#[global_allocator]
static ALLOCATOR: common::alloc::Counting = common::alloc::Counting;

#[derive(MetricGroup)]
#[metric_group(prefix = "evict_worker", const_labels(worker_id))]
struct WorkerMetrics {
    /// Requests served by the worker
    #[metric(name = "requests_total")]
    requests: IntCounter,
    /// Time to serve a request
    #[metric(name = "latency_seconds", buckets = [0.01, 0.1, 1.0], unit = "seconds")]
    latency: Histogram,
    /// Errors by kind
    #[metric(name = "errors_total", labels(kind))]
    errors: IntCounterVec,
}

fn use_worker(registry: &Registry, id: u64) -> Result<(), Error> {
    let worker = WorkerMetrics::init(registry, id)?;
    worker.requests.inc();
    worker.latency.observe(0.05);
    worker.inc_errors("timeout")?;
    Ok(())
}

#[test]
fn twenty_thousand_worker_ids_created_and_evicted_hold_what_two_thousand_did() -> Result<(), Error>
{
    let registry = Registry::new();
    start_counting();
    for id in 0..2_000u64 {
        use_worker(&registry, id)?;
        assert!(WorkerMetrics::evict(id));
    }
    let after_2_000 = held();
    for id in 2_000..22_000u64 {
        use_worker(&registry, id)?;
        assert!(WorkerMetrics::evict(id));
    }
    let after_22_000 = held();
    stop_counting();
    println!(
        "held after 2,000 worker ids created and evicted: {after_2_000} B; after 20,000 more: {after_22_000} B"
    );
    assert!(
        after_22_000 - after_2_000 < 1 << 20,
        "{after_2_000} B -> {after_22_000} B"
    );
    assert!(registry.gather().is_empty(), "{:?}", registry.gather());
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "evict_pool", const_labels(pool))]
struct PoolMetrics {
    /// Requests routed to the pool
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

#[test]
fn evict_unregisters_and_forgets_the_instance() -> Result<(), Error> {
    let registry = Registry::new();
    let other = Registry::new();
    let prefill = PoolMetrics::init(&registry, "prefill")?;
    assert!(Arc::ptr_eq(
        &prefill,
        &PoolMetrics::init(&other, "prefill")?
    ));
    let decode = PoolMetrics::init(&registry, "decode")?;
    prefill.requests.inc();
    decode.requests.inc_by(2);

    assert!(PoolMetrics::evict("prefill"));
    assert!(!PoolMetrics::evict("prefill"), "evicted once");
    assert!(PoolMetrics::get("prefill").is_none());
    let text = encode_text(&registry.gather())?;
    assert!(!text.contains("prefill"), "{text}");
    assert!(
        text.contains("evict_pool_requests_total{pool=\"decode\"} 2"),
        "{text}"
    );
    // Unregistered from every registry `init` registered it on.
    assert!(other.gather().is_empty());
    // A caller's `Arc` still works; it is just no longer exposed.
    prefill.requests.inc();
    assert_eq!(prefill.requests.get(), 2);

    // `init` again builds a new instance, registered afresh.
    let again = PoolMetrics::init(&registry, "prefill")?;
    assert!(!Arc::ptr_eq(&prefill, &again));
    let text = encode_text(&registry.gather())?;
    assert!(
        text.contains("evict_pool_requests_total{pool=\"prefill\"} 0"),
        "{text}"
    );
    common::assert_only_allowed_lints(&text, &[]);

    // Configured instances are evicted through their builder.
    let edge = PoolMetrics::builder()
        .prefix("edge_pool")
        .init(&registry, "prefill")?;
    edge.requests.inc();
    assert!(PoolMetrics::builder().prefix("edge_pool").evict("prefill"));
    let text = encode_text(&registry.gather())?;
    assert!(!text.contains("edge_pool"), "{text}");
    assert!(text.contains("evict_pool_requests_total{pool=\"prefill\"} 0"));
    assert!(PoolMetrics::evict("prefill"));
    assert!(PoolMetrics::evict("decode"));
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "evict_scoped", scope = component, const_labels(router_id))]
struct ScopedRouter {
    /// Requests routed
    #[metric(name = "requests_total")]
    requests: IntCounter,
}

#[test]
fn a_scoped_instance_is_evicted_from_its_scope_only() -> Result<(), Error> {
    let runtime = Scope::runtime();
    let namespace = runtime.namespace("ns")?;
    let backend = namespace.component("backend")?;
    let frontend = namespace.component("frontend")?;
    let first = ScopedRouter::for_scope(&backend, 1u64)?;
    ScopedRouter::for_scope(&frontend, 1u64)?.requests.inc();
    first.requests.inc();
    assert!(ScopedRouter::evict(&backend, 1u64));
    assert!(!ScopedRouter::evict(&backend, 1u64));
    let text = runtime.encode_text()?;
    assert!(!text.contains("backend"), "{text}");
    assert!(text.contains("frontend"), "{text}");
    let again = ScopedRouter::for_scope(&backend, 1u64)?;
    assert!(!Arc::ptr_eq(&first, &again));
    assert!(runtime.encode_text()?.contains("backend"));
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "evict_global")]
struct GlobalMetrics {
    /// Events
    #[metric(name = "events_total")]
    events: IntCounter,
}

#[test]
fn a_global_reference_outlives_eviction() -> Result<(), Error> {
    let registry = Registry::new();
    let global = GlobalMetrics::global()?;
    let registered = GlobalMetrics::init(&registry)?;
    assert!(std::ptr::eq(global, &*registered));
    assert!(GlobalMetrics::evict());
    assert!(registry.gather().is_empty());
    // The `&'static` reference stays valid; `global()` builds a new instance.
    global.events.inc();
    assert!(!std::ptr::eq(global, GlobalMetrics::global()?));
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(prefix = "evict_race", const_labels(worker_id))]
struct RacingWorker {
    /// Requests served
    #[metric(name = "requests_total")]
    requests: IntCounter,
    /// Errors by kind
    #[metric(name = "errors_total", labels(kind))]
    errors: IntCounterVec,
}

#[test]
fn init_and_evict_racing_on_the_same_values_never_clash() {
    let registry = Registry::new();
    std::thread::scope(|s| {
        for t in 0..4u64 {
            let registry = &registry;
            s.spawn(move || {
                for i in 0..500u64 {
                    let id = (t + i) % 4;
                    let worker = RacingWorker::init(registry, id).expect("no clash");
                    worker.requests.inc();
                    worker.inc_errors("timeout").expect("no collision");
                    RacingWorker::evict(id);
                }
            });
        }
    });
    for id in 0..4u64 {
        RacingWorker::evict(id);
    }
    assert!(registry.gather().is_empty());
}
