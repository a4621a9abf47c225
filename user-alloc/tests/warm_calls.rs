//! No generated helper allocates on a warm call, in this user's crate as it
//! is built (`cargo test -p metric-group-user-alloc`, and with `--release`:
//! `.ci/run` runs both).

// The workspace's one counting allocator; this test uses only its counter.
#[allow(dead_code)]
#[path = "../../tests/common/alloc.rs"]
mod alloc;

use metric_group_user_alloc::{FamilyFields, VecFields, CALLS, WORKER};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

#[test]
fn the_counter_sees_allocations() {
    assert!(alloc::allocations_during(|| drop(std::hint::black_box(vec![1u8; 32]))) >= 1);
}

#[test]
fn warm_helper_calls_allocate_nothing() {
    let vec_fields = VecFields::new().expect("valid");
    // Registered: a plain field keeps its exemplars once its group's
    // collectors are made.
    let registry = metric_group::prometheus::Registry::new();
    vec_fields.register(&registry).expect("registered");
    let family_fields = FamilyFields::new().expect("valid");
    let handles = family_fields.bind(&WORKER).expect("bound");
    let mut allocating = Vec::new();
    for (name, call) in CALLS {
        // The first call creates the series; the next ones are warm.
        call(&vec_fields, &family_fields, &handles).expect("first call");
        let mut failed = 0;
        let allocations = alloc::allocations_during(|| {
            for _ in 0..1_000 {
                failed += usize::from(call(&vec_fields, &family_fields, &handles).is_err());
            }
        });
        assert_eq!(failed, 0, "{name} failed");
        if allocations != 0 {
            allocating.push(format!("{name}: {allocations} allocations in 1,000 calls"));
        }
    }
    assert!(allocating.is_empty(), "{allocating:#?}");
}
