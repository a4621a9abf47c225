//! The runtime's only `unsafe` code, each part with its reason and its
//! check in its own file: the lock-free shard of a hashed `Family`
//! (`shard.rs`, a loom model), the identity of a prometheus series
//! (`series_identity.rs`, tests run under Miri) and the coarse wall clock
//! of exemplar timestamps (`wall_clock.rs`, tests run under Miri).

#![allow(unsafe_code)]

pub(crate) mod series_identity;
pub(crate) mod shard;
pub(crate) mod wall_clock;
