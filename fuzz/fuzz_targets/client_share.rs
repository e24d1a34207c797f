#![no_main]
//! Fuzz target `client_share`: see `hybrid_kx_fuzz::client_share`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_kx_fuzz::client_share(data));
