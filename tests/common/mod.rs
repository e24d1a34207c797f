//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod freed_memory;
// One copy for the KAT engine and these tests.
#[path = "../../kat/src/shared_vectors.rs"]
pub mod shared_vectors;
#[cfg(feature = "ring")]
pub mod tls;
