//! hybrid-kx on `wasm32-unknown-unknown`: the test in `tests/handshake.rs` runs a full TLS 1.3
//! handshake in memory between a rustls client and server on `hybrid_kx::rustls::default_provider()`
//! (ring base) inside wasm, under node (`wasm-bindgen-test`).
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test -p hybrid-kx-wasm --target wasm32-unknown-unknown --profile wasm-test
//! ```
//!
//! On the host this library is empty.
