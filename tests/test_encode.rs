//! The direct text encoder against prometheus' own: the same series held by
//! `Family` fields and by prometheus' `*Vec` types, under the same names,
//! must give byte-identical expositions (families sorted by name, series by
//! label values, labels by name, values as `f64`'s `Display`), with hostile
//! label values, const labels, a registry's own prefix and labels, and
//! collectors of both kinds in one registry and across a hierarchy.

mod common;

use metric_group::prometheus::core::Collector;
use metric_group::prometheus::{
    Counter, CounterVec, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter,
    IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};
use metric_group::scope::{DynamoLevels, Scope};
use metric_group::{Error, Family, LabelSet, LabelValue, MetricGroup};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelValue)]
#[label_value(rename_all = "lowercase")]
enum Kind {
    Decode,
    Prefill,
}

/// Field order differs from name order: the exposition sorts by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Key {
    worker: String,
    rank: u32,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, LabelSet)]
struct Flags {
    kind: Kind,
    cached: bool,
}

/// A deterministic generator (no dependency, same values every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Label values a hostile client could send: quotes, backslashes, newlines,
/// NULs, control characters, non-ASCII, prefixes of one another, empty.
fn hostile_value(rng: &mut Lcg) -> String {
    const PIECES: &[&str] = &[
        "a", "ab", "\"", "\\", "\n", "\0", " ", "!", "é", "日本", "{", "}", "=", ",", "", "z",
        "\u{1}", "\\n", "0", "10", "9",
    ];
    let parts = rng.below(4);
    (0..parts)
        .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
        .collect()
}

fn kind(rng: &mut Lcg) -> Kind {
    if rng.below(2) == 0 {
        Kind::Decode
    } else {
        Kind::Prefill
    }
}

const BOUNDS: [f64; 4] = [0.005, 0.1, 1.0, 2.5];
const OBSERVATIONS: [f64; 7] = [0.001, 0.005, 0.3, 2.5, 7.0, -1.0, 1e300];
const GAUGES: [f64; 7] = [0.0, -0.0, 1.5, -3.25, 1e21, 1e-7, 123_456_789.0];

/// The same random series in `Family` fields and in prometheus' types.
fn twin_registries(seed: u64, series: usize, prefixed: bool) -> (Registry, Registry) {
    let custom = |_: ()| {
        if prefixed {
            let labels = [("zone".to_owned(), "eu \"1\"".to_owned())].into();
            Registry::new_custom(Some("app".to_owned()), Some(labels)).expect("valid")
        } else {
            Registry::new()
        }
    };
    let (ours, theirs) = (custom(()), custom(()));
    let consts = || vec![("instance".to_owned(), "i-\\1".to_owned())];
    let opts = |name: &str| {
        Opts::new(name, format!("Help of {name}\nwith \\ and \"quotes\""))
            .const_labels(consts().into_iter().collect())
    };
    let key_names = ["worker", "rank", "kind"];

    let counters: Family<Key, IntCounter> = Family::new(
        "t_requests_total".into(),
        opts("t_requests_total").help,
        consts(),
        None,
    )
    .expect("valid");
    let counters_vec = IntCounterVec::new(opts("t_requests_total"), &key_names).expect("valid");
    let floats: Family<Key, Counter> = Family::new(
        "t_tokens_total".into(),
        opts("t_tokens_total").help,
        consts(),
        None,
    )
    .expect("valid");
    let floats_vec = CounterVec::new(opts("t_tokens_total"), &key_names).expect("valid");
    let gauges: Family<Key, IntGauge> =
        Family::new("t_load".into(), opts("t_load").help, consts(), None).expect("valid");
    let gauges_vec = IntGaugeVec::new(opts("t_load"), &key_names).expect("valid");
    let float_gauges: Family<Flags, Gauge> =
        Family::new("t_ratio".into(), "Ratio".into(), Vec::new(), None).expect("valid");
    let float_gauges_vec =
        GaugeVec::new(Opts::new("t_ratio", "Ratio"), &["kind", "cached"]).expect("valid");
    let histograms: Family<Key, Histogram> = Family::new(
        "t_latency_seconds".into(),
        opts("t_latency_seconds").help,
        consts(),
        Some(BOUNDS.to_vec()),
    )
    .expect("valid");
    let histograms_vec = HistogramVec::new(
        HistogramOpts::from(opts("t_latency_seconds")).buckets(BOUNDS.to_vec()),
        &key_names,
    )
    .expect("valid");
    // An unlabelled prometheus metric beside them, in both registries.
    let plain =
        Histogram::with_opts(HistogramOpts::new("t_plain_seconds", "Plain")).expect("valid");
    plain.observe(0.2);

    let mut rng = Lcg(seed);
    for _ in 0..series {
        let key = Key {
            worker: hostile_value(&mut rng),
            rank: rng.below(12) as u32,
            kind: kind(&mut rng),
        };
        let rank = key.rank.to_string();
        let values = [
            key.worker.as_str(),
            rank.as_str(),
            key.kind.to_label_string().leak(),
        ];
        match rng.below(4) {
            0 => {
                let n = rng.below(5);
                counters.get_or_create(&key).expect("resolves").inc_by(n);
                counters_vec.with_label_values(&values).inc_by(n);
            }
            1 => {
                let v = GAUGES[rng.below(GAUGES.len() as u64) as usize];
                if v >= 0.0 {
                    floats.get_or_create(&key).expect("resolves").inc_by(v);
                    floats_vec.with_label_values(&values).inc_by(v);
                }
                let flags = Flags {
                    kind: key.kind,
                    cached: rng.below(2) == 0,
                };
                float_gauges.get_or_create(&flags).expect("resolves").set(v);
                float_gauges_vec
                    .with_label_values(&[values[2], &flags.cached.to_string()])
                    .set(v);
            }
            2 => {
                let v = rng.next() as i64 - (1 << 30);
                gauges.get_or_create(&key).expect("resolves").set(v);
                gauges_vec.with_label_values(&values).set(v);
            }
            _ => {
                let v = OBSERVATIONS[rng.below(OBSERVATIONS.len() as u64) as usize];
                histograms.get_or_create(&key).expect("resolves").observe(v);
                histograms_vec.with_label_values(&values).observe(v);
            }
        }
    }
    let register = |registry: &Registry, collectors: Vec<Box<dyn Collector>>| {
        for collector in collectors {
            registry.register(collector).expect("registers");
        }
    };
    register(
        &ours,
        vec![
            Box::new(counters),
            Box::new(floats),
            Box::new(gauges),
            Box::new(float_gauges),
            Box::new(histograms),
            Box::new(plain.clone()),
        ],
    );
    register(
        &theirs,
        vec![
            Box::new(counters_vec),
            Box::new(floats_vec),
            Box::new(gauges_vec),
            Box::new(float_gauges_vec),
            Box::new(histograms_vec),
            Box::new(plain),
        ],
    );
    (ours, theirs)
}

fn prometheus_text(registry: &Registry) -> String {
    TextEncoder::new()
        .encode_to_string(&registry.gather())
        .expect("encodes")
}

#[test]
fn families_write_what_prometheus_writes_for_the_same_series() -> Result<(), Error> {
    for seed in 0..40 {
        for prefixed in [false, true] {
            let (ours, theirs) = twin_registries(seed, 60, prefixed);
            let expected = prometheus_text(&theirs);
            assert_eq!(metric_group::encode(&ours)?, expected, "seed {seed}");
            // The protobuf path of the same families (a plain gather).
            assert_eq!(prometheus_text(&ours), expected, "seed {seed}");
            assert_eq!(metric_group::encode_text(&ours.gather())?, expected);
            // prometheus' types through the direct encoder.
            assert_eq!(metric_group::encode(&theirs)?, expected, "seed {seed}");
        }
    }
    Ok(())
}

#[test]
fn an_empty_family_writes_nothing() -> Result<(), Error> {
    let registry = Registry::new();
    let family: Family<Key, IntGauge> =
        Family::new("t_empty".into(), "Empty".into(), Vec::new(), None)?;
    registry
        .register(Box::new(family.clone()))
        .expect("registers");
    assert_eq!(metric_group::encode(&registry)?, "");
    let key = Key {
        worker: "w".into(),
        rank: 0,
        kind: Kind::Decode,
    };
    family.get_or_create(&key)?.set(1);
    assert_eq!(
        metric_group::encode(&registry)?,
        "# HELP t_empty Empty\n# TYPE t_empty gauge\nt_empty{kind=\"decode\",rank=\"0\",worker=\"w\"} 1\n"
    );
    family.remove(&key);
    assert_eq!(metric_group::encode(&registry)?, "");
    Ok(())
}

#[derive(MetricGroup)]
#[metric_group(scope = component, prefix = "stage")]
struct StageMetrics {
    /// Items in flight per worker
    inflight: Family<Key, IntGauge>,
    /// Items done
    #[metric(name = "done_total", labels(outcome))]
    done: IntCounterVec,
}

/// A hierarchy's scrape written directly equals its gathered families
/// written by prometheus, and a promtool check passes over it.
#[test]
fn a_hierarchy_writes_what_its_gather_holds() -> Result<(), Error> {
    let runtime = Scope::builder().instance_id(0xabc).build()?;
    let namespace = runtime.namespace("ns")?;
    let mut rng = Lcg(7);
    for c in 0..5 {
        let component = namespace.component(&format!("c{c}"))?;
        let metrics = StageMetrics::for_scope(&component)?;
        for _ in 0..50 {
            let key = Key {
                worker: hostile_value(&mut rng),
                rank: rng.below(4) as u32,
                kind: kind(&mut rng),
            };
            metrics.set_inflight(&key, rng.next() as i64)?;
            metrics.inc_done(if rng.below(2) == 0 { "ok" } else { "failed" })?;
        }
    }
    let text = runtime.encode_text()?;
    let expected = TextEncoder::new()
        .encode_to_string(&runtime.gather()?)
        .expect("encodes");
    assert_eq!(text, expected);
    if let Some(problems) = common::promtool_problems(&text) {
        assert!(problems.is_empty(), "{problems:?}");
    }
    Ok(())
}

/// A series seen in two registries of a hierarchy is written once when it
/// is the same (one family registered at two levels, or equal values) and
/// refused when the values differ, as `Scope::gather` merges them.
#[test]
fn a_series_in_two_levels_is_written_once_or_refused() -> Result<(), Error> {
    let key = Key {
        worker: "w".into(),
        rank: 1,
        kind: Kind::Prefill,
    };
    let family =
        || Family::<Key, IntGauge>::new("t_shared".into(), "Shared".into(), Vec::new(), None);
    let one_line = "# HELP t_shared Shared\n# TYPE t_shared gauge\nt_shared{kind=\"prefill\",rank=\"1\",worker=\"w\"} 3\n";

    // One family registered at two levels.
    let runtime = Scope::runtime();
    let namespace = runtime.namespace("ns")?;
    let shared = family()?;
    shared.get_or_create(&key)?.set(3);
    runtime
        .registry()
        .register(Box::new(shared.clone()))
        .expect("registers");
    namespace
        .registry()
        .register(Box::new(shared))
        .expect("registers");
    assert_eq!(runtime.encode_text()?, one_line);

    // Two families holding the same value.
    let runtime = Scope::runtime();
    let namespace = runtime.namespace("ns")?;
    let (a, b) = (family()?, family()?);
    a.get_or_create(&key)?.set(3);
    b.get_or_create(&key)?.set(3);
    runtime.registry().register(Box::new(a)).expect("registers");
    namespace
        .registry()
        .register(Box::new(b.clone()))
        .expect("registers");
    assert_eq!(runtime.encode_text()?, one_line);
    assert_eq!(
        TextEncoder::new()
            .encode_to_string(&runtime.gather()?)
            .expect("encodes"),
        one_line
    );

    // Different values: refused, naming the metric, by both paths.
    b.get_or_create(&key)?.set(4);
    for result in [runtime.encode_text().map(drop), runtime.gather().map(drop)] {
        common::assert_err!(
            result,
            Error::Inconsistent { metric, .. } => assert_eq!(metric, "t_shared")
        );
    }
    Ok(())
}

/// A family read alone keeps its sorted order between scrapes until its
/// series change: after every kind of change (new series, removed ones,
/// series removed and others added in their place, a directly indexed
/// series hidden and shown again), each scrape still equals prometheus'
/// exposition of the same series, scraped twice in a row.
#[test]
fn a_kept_scrape_order_follows_every_change() -> Result<(), Error> {
    for (seed, hostile) in [(1, false), (2, true), (3, false)] {
        for prefixed in [false, true] {
            let custom = || {
                if prefixed {
                    let labels = [("zone".to_owned(), "eu".to_owned())].into();
                    Registry::new_custom(Some("app".to_owned()), Some(labels)).expect("valid")
                } else {
                    Registry::new()
                }
            };
            let (ours, theirs) = (custom(), custom());
            let gauges: Family<Key, IntGauge> =
                Family::new("t_load".into(), "Load".into(), Vec::new(), None)?;
            let gauges_vec =
                IntGaugeVec::new(Opts::new("t_load", "Load"), &["worker", "rank", "kind"])
                    .expect("valid");
            let flags: Family<Flags, Gauge> =
                Family::new("t_ratio".into(), "Ratio".into(), Vec::new(), None)?;
            let flags_vec =
                GaugeVec::new(Opts::new("t_ratio", "Ratio"), &["kind", "cached"]).expect("valid");
            ours.register(Box::new(gauges.clone())).expect("registers");
            ours.register(Box::new(flags.clone())).expect("registers");
            theirs
                .register(Box::new(gauges_vec.clone()))
                .expect("registers");
            theirs
                .register(Box::new(flags_vec.clone()))
                .expect("registers");
            let mut rng = Lcg(seed);
            let mut live: Vec<Key> = Vec::new();
            for round in 0..60 {
                // Some rounds change nothing: the order kept is reused.
                let changes = rng.below(4);
                for _ in 0..changes {
                    match rng.below(5) {
                        0 | 1 => {
                            let key = Key {
                                worker: if hostile {
                                    hostile_value(&mut rng)
                                } else {
                                    format!("w{}", rng.below(40))
                                },
                                rank: rng.below(12) as u32,
                                kind: kind(&mut rng),
                            };
                            let v = rng.below(100) as i64;
                            gauges.get_or_create(&key)?.set(v);
                            let rank = key.rank.to_string();
                            gauges_vec
                                .with_label_values(&[
                                    key.worker.as_str(),
                                    &rank,
                                    &key.kind.to_label_string(),
                                ])
                                .set(v);
                            live.push(key);
                        }
                        2 if !live.is_empty() => {
                            // Removed, and another added in its place.
                            let key = live.swap_remove(rng.below(live.len() as u64) as usize);
                            let rank = key.rank.to_string();
                            let values = [key.worker.as_str(), &rank, &key.kind.to_label_string()];
                            if gauges.remove(&key) {
                                gauges_vec.remove_label_values(&values).expect("present");
                            }
                        }
                        3 => {
                            let flag = Flags {
                                kind: kind(&mut rng),
                                cached: rng.below(2) == 0,
                            };
                            let values = [flag.kind.to_label_string(), flag.cached.to_string()];
                            let values = [values[0].as_str(), values[1].as_str()];
                            if rng.below(2) == 0 {
                                flags.get_or_create(&flag)?.set(1.5);
                                flags_vec.with_label_values(&values).set(1.5);
                            } else if flags.remove(&flag) {
                                let _ = flags_vec.remove_label_values(&values);
                            }
                        }
                        _ => {
                            let worker = format!("w{}", rng.below(40));
                            let removed = gauges.remove_where(|key| key.worker == worker);
                            let mut theirs_removed = 0;
                            live.retain(|key| {
                                if key.worker != worker {
                                    return true;
                                }
                                let rank = key.rank.to_string();
                                let values =
                                    [key.worker.as_str(), &rank, &key.kind.to_label_string()];
                                if gauges_vec.remove_label_values(&values).is_ok() {
                                    theirs_removed += 1;
                                }
                                false
                            });
                            assert_eq!(removed, theirs_removed);
                        }
                    }
                }
                let expected = prometheus_text(&theirs);
                for _ in 0..2 {
                    assert_eq!(
                        metric_group::encode(&ours)?,
                        expected,
                        "seed {seed}, round {round}"
                    );
                }
            }
        }
    }
    Ok(())
}
