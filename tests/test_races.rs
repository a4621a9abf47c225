//! Bounded multi-thread races: memoisation, scoped creation, typed observes,
//! removal and scrapes at once. Totals are checked exactly at the end, every
//! scrape must parse, and each test fails instead of hanging if it deadlocks.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::Duration;

use metric_group::encode_text;
use metric_group::prometheus::{IntCounter, IntGauge, Registry};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Family, LabelSet, MetricGroup};
use metric_group_router::{RouterRequestMetrics, WorkerLoadMetrics, WorkerType};

const THREADS: usize = 8;
const OPS: usize = 20_000;
/// The hang guard: a deadlock fails the test rather than hang the suite.
const DEADLINE: Duration = common::HANG_GUARD;

/// Runs `body` on its own thread and fails if it has not finished by the
/// deadline (a deadlock would otherwise hang the suite).
fn within_deadline(body: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let worker = thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(DEADLINE) {
        Ok(()) => worker.join().expect("test body"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The body panicked: surface its panic.
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("no progress within {DEADLINE:?}: deadlock?")
        }
    }
}

/// Runs `work(thread_index)` on `THREADS` threads released together.
fn race(work: impl Fn(usize) + Send + Sync + 'static) {
    let work = Arc::new(work);
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (work, start) = (work.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                work(t);
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("racing thread");
    }
}

#[derive(MetricGroup)]
#[metric_group(prefix = "race")]
struct Global {
    /// Events counted by every thread
    #[metric(name = "events_total")]
    events: IntCounter,
}

#[test]
fn threads_racing_global_get_one_instance_and_lose_no_increment() {
    within_deadline(|| {
        race(|_| {
            for _ in 0..OPS {
                Global::global().expect("builds").events.inc();
            }
        });
        let global = Global::global().expect("built");
        assert_eq!(global.events.get(), (THREADS * OPS) as u64);
        assert!(std::ptr::eq(global, &*Global::get().expect("memoised")));
    });
}

#[derive(MetricGroup)]
#[metric_group(prefix = "race_init", const_labels(shard))]
struct Initialised {
    /// Events counted by every thread
    #[metric(name = "events_total")]
    events: IntCounter,
}

#[test]
fn threads_racing_init_register_once() {
    within_deadline(|| {
        let registry = Arc::new(Registry::new());
        let shared = registry.clone();
        race(move |_| {
            for _ in 0..100 {
                Initialised::init(&shared, 7u32)
                    .expect("same labels, same registry")
                    .events
                    .inc();
            }
        });
        let text = encode_text(&registry.gather()).expect("encodable");
        assert_eq!(
            text.matches("# TYPE race_init_events_total counter")
                .count(),
            1,
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "race_init_events_total{{shard=\"7\"}} {}\n",
                THREADS * 100
            )),
            "{text}"
        );
    });
}

#[test]
fn threads_racing_scoped_creation_share_per_scope_instances() {
    within_deadline(|| {
        let runtime = Scope::runtime();
        let namespace = runtime.namespace("race").expect("namespace");
        let components: Vec<Scope> = (0..4)
            .map(|i| namespace.component(&format!("c{i}")).expect("component"))
            .collect();
        let components = Arc::new(components);
        let shared = components.clone();
        race(move |t| {
            for i in 0..OPS / 10 {
                let scope = &shared[(t + i) % 4];
                let metrics = RouterRequestMetrics::for_scope(scope, 1u64).expect("same router id");
                metrics.record_completed(1);
            }
        });
        let text = runtime.encode_text().expect("encodable");
        let per_component = THREADS * (OPS / 10) / 4;
        for i in 0..4 {
            let line = format!(
                "dynamo_component_router_requests_total{{dynamo_component=\"c{i}\",dynamo_namespace=\"race\",router_id=\"1\"}} {per_component}\n"
            );
            assert!(text.contains(&line), "missing {line}");
        }
    });
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Key {
    id: u64,
}

#[test]
fn typed_observes_while_the_table_grows_lose_nothing() {
    within_deadline(|| {
        let family: Arc<Family<Key, IntCounter>> = Arc::new(
            Family::new("race_typed_total".into(), "Typed".into(), Vec::new(), None)
                .expect("valid"),
        );
        let shared = family.clone();
        // Every thread touches ids 0..1000 in its own order: new series are
        // inserted (and the table grows) while other threads increment.
        race(move |t| {
            for i in 0..OPS {
                let id = ((i * 7919 + t * 104_729) % 1000) as u64;
                shared.get_or_create(&Key { id }).expect("resolves").inc();
            }
        });
        let total: u64 = (0..1000)
            .map(|id| family.get_or_create(&Key { id }).expect("present").get())
            .sum();
        assert_eq!(total, (THREADS * OPS) as u64);
        assert_eq!(family.len(), 1000);
    });
}

#[test]
fn removal_and_scrapes_race_with_observes() {
    within_deadline(|| {
        let registry = Registry::new();
        let load = Arc::new(WorkerLoadMetrics::new().expect("valid"));
        load.register(&registry).expect("registers");
        let counters: Arc<Family<Key, IntCounter>> = Arc::new(
            Family::new(
                "race_stable_total".into(),
                "Stable".into(),
                Vec::new(),
                None,
            )
            .expect("valid"),
        );
        registry
            .register(Box::new((*counters).clone()))
            .expect("registers");
        let gauges: Arc<Family<Key, IntGauge>> = Arc::new(
            Family::new("race_churn".into(), "Churn".into(), Vec::new(), None).expect("valid"),
        );
        registry
            .register(Box::new((*gauges).clone()))
            .expect("registers");

        let stop = Arc::new(AtomicBool::new(false));
        let scraper = {
            let (registry, stop) = (registry.clone(), stop.clone());
            thread::spawn(move || {
                let mut scrapes = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let text = encode_text(&registry.gather()).expect("encodable");
                    if scrapes.len() < 5 {
                        scrapes.push(text);
                    }
                    thread::yield_now();
                }
                scrapes
            })
        };
        let (c, g, l) = (counters.clone(), gauges.clone(), load.clone());
        race(move |t| {
            for i in 0..OPS {
                // Stable series: exact totals expected.
                c.get_or_create(&Key {
                    id: (i % 16) as u64,
                })
                .expect("resolves")
                .inc();
                // Churning series: created, set and removed by all threads.
                let churn = Key {
                    id: (i % 64) as u64,
                };
                if (i + t) % 3 == 0 {
                    g.remove(&churn);
                } else {
                    g.get_or_create(&churn).expect("resolves").set(i as i64);
                }
                // Worker load, with whole workers leaving.
                let worker = (i % 32) as u64;
                if i % 97 == 0 {
                    l.remove_worker(worker);
                } else {
                    l.observe(worker, (t % 2) as u32, WorkerType::Decode, i, i)
                        .expect("observes");
                }
            }
        });
        stop.store(true, Ordering::Relaxed);
        let scrapes = scraper.join().expect("scraper");
        let total: u64 = (0..16)
            .map(|id| counters.get_or_create(&Key { id }).expect("present").get())
            .sum();
        assert_eq!(total, (THREADS * OPS) as u64);
        assert!(!scrapes.is_empty());
        for scrape in &scrapes {
            // promtool parses every sampled scrape; nothing in it is lint-worthy.
            if let Some(problems) = common::promtool_problems(scrape) {
                assert!(problems.is_empty(), "{problems:?}");
            }
        }
    });
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Flags {
    hot: bool,
    cached: bool,
}

/// Clones handed out by `get` outlive removals: every thread keeps
/// updating the series it resolved while other threads remove it (the last
/// clone dropped frees it), recreate it and scrape. Both index kinds: hashed
/// (`Key`) and direct (`Flags`, four slots).
#[test]
fn removal_races_readers_holding_clones_and_scrapes() {
    within_deadline(|| {
        let registry = Registry::new();
        let hashed: Arc<Family<Key, IntCounter>> = Arc::new(
            Family::new("race_held_total".into(), "Held".into(), Vec::new(), None).expect("valid"),
        );
        let direct: Arc<Family<Flags, IntCounter>> = Arc::new(
            Family::new("race_flags_total".into(), "Flags".into(), Vec::new(), None)
                .expect("valid"),
        );
        registry
            .register(Box::new((*hashed).clone()))
            .expect("registers");
        registry
            .register(Box::new((*direct).clone()))
            .expect("registers");
        let stop = Arc::new(AtomicBool::new(false));
        let scraper = {
            let (registry, stop) = (registry.clone(), stop.clone());
            thread::spawn(move || {
                let mut scrapes = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let text = encode_text(&registry.gather()).expect("encodable");
                    assert!(text.matches("race_held_total{").count() <= 8, "{text}");
                    assert!(text.matches("race_flags_total{").count() <= 4, "{text}");
                    scrapes += 1;
                    thread::yield_now();
                }
                scrapes
            })
        };
        let (h, d) = (hashed.clone(), direct.clone());
        race(move |t| {
            for i in 0..OPS {
                // One stable series per index kind: exact totals expected.
                h.get_or_create(&Key { id: 100 }).expect("resolves").inc();
                d.get_or_create(&Flags {
                    hot: true,
                    cached: true,
                })
                .expect("resolves")
                .inc();
                // A churning series, held across another thread's removal.
                let own = Key { id: (t % 8) as u64 };
                let counter = h.get_or_create(&own).expect("resolves");
                let flags = Flags {
                    hot: false,
                    cached: t % 2 == 0,
                };
                let flag_counter = d.get_or_create(&flags).expect("resolves");
                h.remove(&Key {
                    id: ((t + i) % 8) as u64,
                });
                d.remove(&Flags {
                    hot: false,
                    cached: i % 2 == 0,
                });
                // The clones still count, removed or not (other threads
                // only ever add to them).
                let (before, flag_before) = (counter.get(), flag_counter.get());
                counter.inc();
                flag_counter.inc();
                assert!(counter.get() > before && flag_counter.get() > flag_before);
            }
        });
        stop.store(true, Ordering::Relaxed);
        assert!(scraper.join().expect("scraper") > 0);
        let total = THREADS * OPS;
        assert_eq!(
            hashed
                .get_or_create(&Key { id: 100 })
                .expect("present")
                .get(),
            total as u64
        );
        assert_eq!(
            direct
                .get_or_create(&Flags {
                    hot: true,
                    cached: true
                })
                .expect("present")
                .get(),
            total as u64
        );
        assert!(hashed.len() <= 9 && direct.len() <= 3);
    });
}
