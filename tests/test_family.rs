//! Typed families: children keyed by the exact label set.

use metric_group::encode_text;
use metric_group::prometheus::{Histogram, IntCounter, IntGauge, Registry};
use metric_group::{Error, Family, LabelSet, LabelValue, MetricGroup, Series};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "snake_case")]
enum Phase {
    Prefill,
    Decode,
    #[label_value(rename = "kv-transfer")]
    KvTransfer,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Route {
    method: &'static str,
    path: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Rank {
    worker_id: u64,
    dp_rank: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Step {
    phase: Phase,
    cached: bool,
}

#[derive(MetricGroup)]
#[metric_group(prefix = "svc", const_labels(instance), allow(scrape_label))]
struct Service {
    /// Requests by route
    #[metric(name = "requests_total")]
    requests: Family<Route, IntCounter>,
    /// Queue depth per rank
    #[metric(name = "queue_depth")]
    queue: Family<Rank, IntGauge>,
    /// Step latency
    #[metric(name = "step_seconds", buckets = [0.01, 0.1, 1.0], unit = "seconds")]
    steps: Family<Step, Histogram>,
}

fn exposition(service: &Service) -> Result<String, Error> {
    let registry = Registry::new();
    service.register(&registry)?;
    encode_text(&registry.gather())
}

#[test]
fn label_sets_that_concatenate_alike_stay_apart() -> Result<(), Error> {
    let service = Service::new("a")?;
    // prometheus' *Vec hashes "ab"+"c" and "a"+"bc" alike and merges them.
    service.inc_requests(&Route {
        method: "ab",
        path: "c",
    })?;
    service.inc_requests(&Route {
        method: "a",
        path: "bc",
    })?;
    service.inc_requests(&Route {
        method: "a",
        path: "bc",
    })?;
    // Likewise 1/23 and 12/3.
    service.set_queue(
        &Rank {
            worker_id: 1,
            dp_rank: 23,
        },
        5,
    )?;
    service.set_queue(
        &Rank {
            worker_id: 12,
            dp_rank: 3,
        },
        7,
    )?;
    let text = exposition(&service)?;
    assert!(
        text.contains("svc_requests_total{instance=\"a\",method=\"a\",path=\"bc\"} 2\n"),
        "{text}"
    );
    assert!(
        text.contains("svc_requests_total{instance=\"a\",method=\"ab\",path=\"c\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("svc_queue_depth{dp_rank=\"23\",instance=\"a\",worker_id=\"1\"} 5\n"),
        "{text}"
    );
    assert!(
        text.contains("svc_queue_depth{dp_rank=\"3\",instance=\"a\",worker_id=\"12\"} 7\n"),
        "{text}"
    );
    Ok(())
}

#[test]
fn fixed_cardinality_sets_index_directly() -> Result<(), Error> {
    assert_eq!(<Step as LabelSet>::CARDINALITY, Some(6));
    assert_eq!(<Rank as LabelSet>::CARDINALITY, None);
    let mut seen: Vec<usize> = Vec::new();
    for phase in Phase::ALL {
        for cached in [false, true] {
            seen.push(Step { phase, cached }.index());
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4, 5]);

    let service = Service::new("b")?;
    service.observe_steps(
        &Step {
            phase: Phase::KvTransfer,
            cached: true,
        },
        std::time::Duration::from_millis(50),
    )?;
    service.observe_steps(
        &Step {
            phase: Phase::Decode,
            cached: false,
        },
        0.5,
    )?;
    let text = exposition(&service)?;
    assert!(text.contains(
        "svc_step_seconds_bucket{cached=\"true\",instance=\"b\",phase=\"kv-transfer\",le=\"0.1\"} 1\n"
    ), "{text}");
    assert!(
        text.contains(
            "svc_step_seconds_count{cached=\"false\",instance=\"b\",phase=\"decode\"} 1\n"
        ),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_warm_label_set_resolves_to_the_same_child() -> Result<(), Error> {
    let service = Service::new("c")?;
    let labels = Rank {
        worker_id: 9,
        dp_rank: 0,
    };
    let first: Series<Rank, IntGauge> = service.queue_with_labels(&labels)?;
    let second: Series<Rank, IntGauge> = service.queue_with_labels(&labels)?;
    first.set(41);
    second.inc();
    assert_eq!(first.get(), 42);
    assert_eq!(service.queue_with_labels(&labels)?.get(), 42);
    assert_eq!(service.queue.len(), 1);
    Ok(())
}

#[test]
fn a_removed_child_held_by_a_caller_is_no_longer_exported() -> Result<(), Error> {
    let service = Service::new("e")?;
    let labels = Rank {
        worker_id: 4,
        dp_rank: 1,
    };
    let held = service.queue_with_labels(&labels)?;
    held.set(7);
    assert!(service.remove_queue(&labels));
    held.set(8); // writes into the detached series, harmlessly
    assert!(!exposition(&service)?.contains("svc_queue_depth{"));
    assert_eq!(service.queue_with_labels(&labels)?.get(), 0);
    Ok(())
}

#[test]
fn removal_by_key_and_by_partial_key() -> Result<(), Error> {
    let service = Service::new("d")?;
    for worker_id in 0..50u64 {
        for dp_rank in 0..4u32 {
            service.set_queue(
                &Rank { worker_id, dp_rank },
                (worker_id * 10 + u64::from(dp_rank)) as i64,
            )?;
        }
    }
    assert_eq!(service.queue.len(), 200);
    assert!(service.remove_queue(&Rank {
        worker_id: 3,
        dp_rank: 1
    }));
    assert!(!service.remove_queue(&Rank {
        worker_id: 3,
        dp_rank: 1
    }));
    assert_eq!(service.queue.remove_where(|rank| rank.worker_id == 7), 4);
    assert_eq!(service.queue.len(), 195);
    // Every remaining series still holds its own value after the removals
    // and after growth.
    for worker_id in 0..50u64 {
        for dp_rank in 0..4u32 {
            let labels = Rank { worker_id, dp_rank };
            let present = service.queue.label_sets().contains(&labels);
            let removed = worker_id == 7 || (worker_id == 3 && dp_rank == 1);
            assert_eq!(present, !removed, "{labels:?}");
            if present {
                assert_eq!(
                    service.queue.get_or_create(&labels)?.get(),
                    (worker_id * 10 + u64::from(dp_rank)) as i64
                );
            }
        }
    }
    // A removed series comes back from zero.
    assert_eq!(
        service
            .queue
            .get_or_create(&Rank {
                worker_id: 7,
                dp_rank: 0
            })?
            .get(),
        0
    );
    let text = exposition(&service)?;
    assert_eq!(text.matches("svc_queue_depth{").count(), 196);
    Ok(())
}

#[test]
fn churn_keeps_the_live_series() -> Result<(), Error> {
    let family: Family<Rank, IntGauge> =
        Family::new("churn".into(), "churn".into(), Vec::new(), None)?;
    for round in 0..200u64 {
        for dp_rank in 0..8u32 {
            family
                .get_or_create(&Rank {
                    worker_id: round,
                    dp_rank,
                })?
                .set(i64::from(dp_rank));
        }
        if round >= 3 {
            assert_eq!(family.remove_where(|r| r.worker_id == round - 3), 8);
        }
    }
    assert_eq!(family.len(), 24);
    for worker_id in 197..200u64 {
        for dp_rank in 0..8u32 {
            assert_eq!(
                family.get_or_create(&Rank { worker_id, dp_rank })?.get(),
                i64::from(dp_rank)
            );
        }
    }
    Ok(())
}
