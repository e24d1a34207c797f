//! Helpers shared by the integration tests (the fixtures every member shares are in
//! `hybrid-kx-support`).
#![allow(dead_code)]

pub mod hello;
#[cfg(feature = "ring")]
pub mod tls;
#[cfg(feature = "ring-0_24")]
pub mod tls_0_24;
