//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod freed_memory;
pub mod shared_vectors;
#[cfg(feature = "ring")]
pub mod tls;
