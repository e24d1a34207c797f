//! Helpers shared by the integration tests (the fixtures every member shares are in
//! `hybrid-kx-support`).
#![allow(dead_code)]

#[cfg(feature = "ring")]
pub mod tls;
