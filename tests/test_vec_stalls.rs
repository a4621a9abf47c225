//! How long a `*Vec` helper call can wait while other threads insert new
//! label sets into the same family: three threads each insert 200,000 new
//! label sets through `inc_<field>`, a fourth only updates 1,000 existing
//! series (one update every 20 us or so). Prints each thread's latency distribution; asserts none (timing
//! asserts do not belong in tests). Figures in RELIABILITY.md:
//!
//! ```sh
//! cargo test --release --test test_vec_stalls -- --ignored --nocapture
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use metric_group::prometheus::IntCounterVec;
use metric_group::MetricGroup;

#[derive(MetricGroup)]
#[metric_group(prefix = "stalls")]
struct Requests {
    /// Requests by tenant and model
    #[metric(name = "requests_total", labels(tenant, model))]
    requests: IntCounterVec,
}

const INSERTERS: u64 = 3;
const INSERTS: u64 = 200_000;
const EXISTING: u64 = 1_000;

fn summary(name: &str, mut latencies: Vec<Duration>) -> String {
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    format!(
        "{name}: {} calls, p50 {:?}, p99 {:?}, p99.9 {:?}, max {:?}",
        latencies.len(),
        at(0.5),
        at(0.99),
        at(0.999),
        latencies[latencies.len() - 1]
    )
}

/// One run: `update(metrics, tenant, id)` through the helper or by hand.
fn run(name: &str, update: fn(&Requests, &str, u64)) {
    let metrics = Requests::new().expect("valid");
    for id in 0..EXISTING {
        update(&metrics, "existing", id);
    }
    let start = Barrier::new(INSERTERS as usize + 1);
    let inserting = AtomicBool::new(true);
    let started = Instant::now();
    let (inserters, updater) = thread::scope(|s| {
        let inserters: Vec<_> = (0..INSERTERS)
            .map(|t| {
                let (metrics, start) = (&metrics, &start);
                s.spawn(move || {
                    let tenant = format!("tenant{t}");
                    let mut latencies = Vec::with_capacity(INSERTS as usize);
                    start.wait();
                    for i in 0..INSERTS {
                        let began = Instant::now();
                        update(metrics, &tenant, i);
                        latencies.push(began.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        let updater = {
            let (metrics, start, inserting) = (&metrics, &start, &inserting);
            s.spawn(move || {
                let mut latencies = Vec::new();
                start.wait();
                let mut i = 0;
                while inserting.load(Ordering::Relaxed) {
                    let began = Instant::now();
                    update(metrics, "existing", i % EXISTING);
                    latencies.push(began.elapsed());
                    i += 1;
                    // A request thread, not a fourth busy loop on a
                    // two-core machine.
                    thread::sleep(Duration::from_micros(20));
                }
                latencies
            })
        };
        let inserters: Vec<Vec<Duration>> = inserters
            .into_iter()
            .map(|h| h.join().expect("inserter"))
            .collect();
        inserting.store(false, Ordering::Relaxed);
        (inserters, updater.join().expect("updater"))
    });
    let elapsed = started.elapsed();
    println!("{name} (wall time {elapsed:?}):");
    for (t, latencies) in inserters.iter().enumerate() {
        println!("  {}", summary(&format!("inserter {t}"), latencies.clone()));
    }
    println!(
        "  {}",
        summary("all inserts", inserters.into_iter().flatten().collect())
    );
    println!("  {}", summary("updater (existing series)", updater));
}

#[test]
#[ignore = "a measurement: run with --release --ignored --nocapture"]
fn inserting_threads_do_not_stall_each_other_or_updaters() {
    run("helper inc_requests(tenant, id)", |metrics, tenant, id| {
        metrics.inc_requests(tenant, id).expect("no collision");
    });
    run(
        "hand-written with_label_values(&[tenant, &id.to_string()]).inc()",
        |metrics, tenant, id| {
            metrics
                .requests
                .with_label_values(&[tenant, &id.to_string()])
                .inc();
        },
    );
}

/// What the largest clean-up a helper may run costs: one `collect()` of a
/// family holding as many series as the most records a family is collected
/// at (`PRUNE_MAX_RECORDS` in `runtime/src/collision.rs`, 4,096).
#[test]
#[ignore = "a measurement: run with --release --ignored --nocapture"]
fn the_largest_clean_up_collects_4096_series() {
    use metric_group::prometheus::core::Collector;
    let metrics = Requests::new().expect("valid");
    for id in 0..4_096u64 {
        metrics.inc_requests("tenant", id).expect("no collision");
    }
    let mut times: Vec<Duration> = (0..20)
        .map(|_| {
            let began = Instant::now();
            let families = metrics.requests.collect();
            let elapsed = began.elapsed();
            assert_eq!(families[0].get_metric().len(), 4_096);
            elapsed
        })
        .collect();
    times.sort_unstable();
    println!(
        "collect() of 4,096 series, 20 runs: min {:?}, median {:?}, max {:?}",
        times[0], times[10], times[19]
    );
}
