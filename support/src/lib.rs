//! What the hybrid-kx workspace's tests, tools and benchmarks would otherwise each write again:
//! a self-signed certificate with rustls configurations and an in-memory handshake driver
//! ([`tls`], feature `tls`; [`tls_0_24`] for rustls 0.24, feature `tls-0_24`), a global allocator that records a freed block ([`freed_memory`]),
//! where the third-party vector suites live ([`shared_vectors`]), one description of the CPU
//! and of what each backend needs from it ([`cpu`]), and a temporary folder removed on drop
//! ([`temp_dir`]); and the bar charts of the benchmarks ([`chart`], feature `chart`).
//!
//! Not published (`publish = false`): a dependency of the workspace members and a
//! dev-dependency of the crate, never of its users. Unlike the crate, it may use `unsafe`, and
//! only in [`freed_memory`] (a `GlobalAlloc`).

#![deny(unsafe_code)]

#[cfg(feature = "chart")]
pub mod chart;
pub mod cpu;
#[allow(unsafe_code)] // a `GlobalAlloc` and reading the bytes of a block as it is freed
pub mod freed_memory;
pub mod shared_vectors;
pub mod temp_dir;
#[cfg(feature = "tls")]
pub mod tls;
#[cfg(feature = "tls-0_24")]
pub mod tls_0_24;
