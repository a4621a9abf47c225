//! The maps `Family` could be built on (benches/candidates), same key,
//! value and hash, one after the other in one run:
//!
//! ```text
//! cargo bench --bench family_maps
//! ```
//!
//! - `family_map_set`: update one of 64 present series, cycling (the warm
//!   path of every observe);
//! - `family_map_churn`: add a series and remove the one added 2,000 adds
//!   earlier (the hashed candidates hold 2,000 live series; the slot
//!   candidates have 64 slots);
//! - `family_strings`: `Family::get_or_create` and an increment for one of N present
//!   label sets holding request-derived strings, cycling through all N, for
//!   N = 1,000, 10,000 and 100,000: the seeded hash keeps the cost per
//!   operation flat as N grows.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

mod candidates;

use candidates::{key, make, LIVE, NAMES};

fn family_map_set(c: &mut Criterion) {
    let mut group = c.benchmark_group("family_map_set");
    for name in NAMES {
        let map = make(name).expect("known");
        for i in 0..64 {
            map.set(&key(i), 0);
        }
        let mut i = 0u64;
        group.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) & 63;
                map.set(black_box(&key(i)), black_box(i as i64));
            })
        });
    }
    group.finish();
}

fn family_map_churn(c: &mut Criterion) {
    let mut group = c.benchmark_group("family_map_churn");
    for name in NAMES {
        let map = make(name).expect("known");
        for i in 0..LIVE {
            map.set(&key(i), 0);
        }
        let mut next = LIVE;
        group.bench_function(name, |b| {
            b.iter(|| {
                map.churn(black_box(&key(next)), black_box(&key(next - LIVE)));
                next += 1;
            })
        });
    }
    group.finish();
}

fn family_strings(c: &mut Criterion) {
    let mut group = c.benchmark_group("family_strings");
    for n in [1_000usize, 10_000, 100_000] {
        let (family, sets) = candidates::string_family(n);
        let mut i = 0usize;
        group.bench_function(n.to_string(), |b| {
            b.iter(|| {
                i = (i + 7919) % n; // a stride that visits all N
                family
                    .get_or_create(black_box(&sets[i]))
                    .expect("present")
                    .inc();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, family_map_set, family_map_churn, family_strings);
criterion_main!(benches);
