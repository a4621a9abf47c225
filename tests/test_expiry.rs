//! Idle expiry: a series not written for a family's `expire_after` is
//! removed at the next scrape, by a clock that costs writers one load.
//!
//! Time passes by `advance_clock`, not by sleeping: the expiries are an
//! hour, the clock moves two, so no outcome depends on the machine's speed.
//! It moves for the whole process, so the tests of this file take turns.

mod common;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use metric_group::limits::Limits;
use metric_group::prometheus::{IntCounter, IntGauge, Registry};
use metric_group::{encode, Family, LabelSet, LabelValue, MetricGroup};

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Worker {
    worker_id: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
enum Phase {
    Prefill,
    Decode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Step {
    phase: Phase,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "pool")]
struct Pool {
    /// Requests waiting per worker
    #[metric(expire_after = "1h")]
    queued: Family<Worker, IntGauge>,
    /// Steps taken per phase
    #[metric(expire_after = "1h")]
    steps_total: Family<Step, IntCounter>,
    /// Requests per worker, kept until removed
    requests_total: Family<Worker, IntCounter>,
}

const HOUR: Duration = Duration::from_secs(3600);

/// One test of this file at a time: each moves the process' clock.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Two hours pass for every family of the process.
fn two_hours_pass() {
    metric_group::__private_0_1_0::advance_clock(2 * HOUR);
}

fn samples(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.starts_with('#')).collect()
}

#[test]
fn a_scrape_shows_exactly_the_series_written_within_expire_after() {
    let _turn = one_at_a_time();
    let registry = Registry::new();
    let pool = Pool::init(&registry).unwrap();
    for worker_id in 0..100 {
        pool.set_queued(&Worker { worker_id }, 1).unwrap();
        pool.inc_requests_total(&Worker { worker_id }).unwrap();
    }
    // Ninety workers go quiet for two hours; ten are written again after.
    two_hours_pass();
    for worker_id in 0..10 {
        pool.set_queued(&Worker { worker_id }, 2).unwrap();
    }
    let text = encode(&registry).unwrap();
    let queued: Vec<&str> = samples(&text)
        .into_iter()
        .filter(|l| l.starts_with("pool_queued{"))
        .collect();
    let expected: Vec<String> = {
        let mut ids: Vec<String> = (0..10).map(|id| id.to_string()).collect();
        ids.sort(); // the exposition sorts label values as text
        ids.iter()
            .map(|id| format!("pool_queued{{worker_id=\"{id}\"}} 2"))
            .collect()
    };
    assert_eq!(queued, expected, "{text}");
    assert_eq!(pool.queued.expired(), 90);
    assert_eq!(pool.queued.len(), 10);
    // A family without `expire_after` keeps every series.
    assert_eq!(pool.requests_total.len(), 100);
    if let Some(problems) = common::promtool_problems(&text) {
        assert_eq!(problems, Vec::<String>::new());
    }
    // A quiet worker that comes back is a new series.
    pool.set_queued(&Worker { worker_id: 50 }, 7).unwrap();
    assert!(encode(&registry)
        .unwrap()
        .contains("pool_queued{worker_id=\"50\"} 7"));
}

#[test]
fn directly_indexed_series_are_hidden_and_shown_again_with_their_value() {
    let _turn = one_at_a_time();
    let pool = Pool::new().unwrap();
    pool.inc_steps_total(&Step {
        phase: Phase::Prefill,
    })
    .unwrap();
    pool.inc_steps_total(&Step {
        phase: Phase::Decode,
    })
    .unwrap();
    // Decode written again after two hours, prefill not.
    two_hours_pass();
    pool.inc_steps_total(&Step {
        phase: Phase::Decode,
    })
    .unwrap();
    assert_eq!(pool.steps_total.expire_idle(), 1);
    assert_eq!(
        pool.steps_total.label_sets(),
        vec![Step {
            phase: Phase::Decode
        }]
    );
    // Written again: shown, counting on (a counter never goes back).
    pool.inc_steps_total(&Step {
        phase: Phase::Prefill,
    })
    .unwrap();
    let prefill = pool
        .steps_total
        .get_or_create(&Step {
            phase: Phase::Prefill,
        })
        .unwrap();
    assert_eq!(prefill.get(), 2);
}

#[test]
fn a_held_handle_keeps_its_series() {
    let _turn = one_at_a_time();
    let limits = Limits {
        expire_after: Some(HOUR),
        ..Limits::default()
    };
    let queued = Family::<Worker, IntGauge>::with_limits(
        "queued".into(),
        "Queued".into(),
        vec![],
        None,
        &limits,
    )
    .unwrap();
    let held = queued.get_or_create(&Worker { worker_id: 1 }).unwrap();
    queued.with(&Worker { worker_id: 2 }, |g| g.set(1)).unwrap();
    two_hours_pass();
    held.set(5);
    assert_eq!(queued.expire_idle(), 1);
    assert_eq!(queued.label_sets(), vec![Worker { worker_id: 1 }]);
    drop(held);
    two_hours_pass();
    assert_eq!(queued.expire_idle(), 1);
    assert!(queued.is_empty());
}

#[test]
fn the_builder_sets_or_replaces_expire_after() {
    let _turn = one_at_a_time();
    let pool = Pool::builder()
        .requests_total_expire_after(HOUR)
        .queued_expire_after(100 * HOUR)
        .build()
        .unwrap();
    pool.inc_requests_total(&Worker { worker_id: 1 }).unwrap();
    pool.set_queued(&Worker { worker_id: 1 }, 1).unwrap();
    two_hours_pass();
    assert_eq!(pool.requests_total.expire_idle(), 1);
    assert_eq!(pool.queued.expire_idle(), 0);
}

#[test]
fn series_kept_busy_while_scrapes_sweep_are_never_expired_nor_lose_updates() {
    let _turn = one_at_a_time();
    let limits = Limits {
        expire_after: Some(Duration::from_millis(300)),
        ..Limits::default()
    };
    let requests = Arc::new(
        Family::<Worker, IntCounter>::with_limits(
            "requests_total".into(),
            "Requests".into(),
            vec![],
            None,
            &limits,
        )
        .unwrap(),
    );
    // Two writers keep eight series busy for 1.5 s, every write crossing
    // tick boundaries (stamp, then check the table) while a third thread
    // sweeps as fast as it can and grows and shrinks the tables with
    // series of its own that it leaves idle.
    let deadline = Instant::now() + Duration::from_millis(1500);
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || {
                let mut written = 0u64;
                while Instant::now() < deadline {
                    for worker_id in 0..8 {
                        requests.with(&Worker { worker_id }, |c| c.inc()).unwrap();
                        written += 1;
                    }
                }
                written
            })
        })
        .collect();
    let sweeper = {
        let requests = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut round = 0u64;
            while Instant::now() < deadline {
                for i in 0..200 {
                    let worker_id = 1_000 + round * 200 + i;
                    requests.with(&Worker { worker_id }, |c| c.inc()).unwrap();
                }
                requests.expire_idle();
                round += 1;
            }
        })
    };
    let written: u64 = writers.into_iter().map(|w| w.join().unwrap()).sum();
    sweeper.join().unwrap();
    let counted: u64 = (0..8)
        .map(|worker_id| requests.get_or_create(&Worker { worker_id }).unwrap().get())
        .sum();
    assert_eq!(
        counted, written,
        "every write landed in a series still shown"
    );
}

#[derive(MetricGroup)]
#[metric_group(prefix = "vec_pool")]
struct VecPool {
    /// Requests waiting per worker
    #[metric(labels(worker_id), expire_after = "1h")]
    queued: metric_group::prometheus::IntGaugeVec,
}

#[test]
fn helpers_of_a_vec_field_expire_its_idle_series_at_each_scrape() {
    let _turn = one_at_a_time();
    let registry = Registry::new();
    let pool = VecPool::new().unwrap();
    metric_group::MetricGroup::register(&pool, &registry).unwrap();
    for worker_id in 0..100u64 {
        pool.set_queued(worker_id, 1).unwrap();
    }
    // Ten written again after two hours.
    two_hours_pass();
    for worker_id in 0..10u64 {
        pool.set_queued(worker_id, 2).unwrap();
    }
    let text = encode(&registry).unwrap();
    let queued = samples(&text);
    assert_eq!(queued.len(), 10, "{text}");
    assert!(queued.iter().all(|l| l.ends_with(" 2")), "{text}");
    assert_eq!(metric_group::limits::vec_counts(&pool.queued).expired, 90);
    // Through prometheus' own gather too (expired already: nothing more).
    assert_eq!(metric_group::encode_text(&registry.gather()).unwrap(), text);
}

/// The order a scrape keeps for the next one (`encode/order.rs`) is not
/// reused once idle expiry removed series, even when as many new ones took
/// their place.
#[test]
fn a_scrape_after_an_expiry_is_sorted_anew() {
    let _turn = one_at_a_time();
    // A group of its own (`init` shares one per process with the test
    // above).
    let registry = Registry::new();
    let pool = Pool::new().unwrap();
    pool.register(&registry).unwrap();
    for worker_id in 0..100 {
        pool.set_queued(&Worker { worker_id }, 1).unwrap();
    }
    encode(&registry).unwrap();
    encode(&registry).unwrap();
    two_hours_pass();
    // Fifty go quiet, fifty are written again, fifty are new.
    for worker_id in (0..50).chain(1000..1050) {
        pool.set_queued(&Worker { worker_id }, 2).unwrap();
    }
    let mut ids: Vec<String> = (0..50).chain(1000..1050).map(|id| id.to_string()).collect();
    ids.sort(); // the exposition sorts label values as text
    let expected: Vec<String> = ids
        .iter()
        .map(|id| format!("pool_queued{{worker_id=\"{id}\"}} 2"))
        .collect();
    for _ in 0..2 {
        let text = encode(&registry).unwrap();
        let queued: Vec<&str> = samples(&text)
            .into_iter()
            .filter(|l| l.starts_with("pool_queued{"))
            .collect();
        assert_eq!(queued, expected, "{text}");
    }
}
