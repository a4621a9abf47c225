//! The runtime's only `unsafe` code, each part with its reason and its
//! check in its own file: the lock-free shard of a hashed `Family`
//! (`shard.rs`, a loom model) and the identity of a prometheus series
//! (`series_identity.rs`, tests run under Miri).

#![allow(unsafe_code)]

pub(crate) mod series_identity;
pub(crate) mod shard;
