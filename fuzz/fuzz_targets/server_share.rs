#![no_main]
//! Fuzz target `server_share`: see `hybrid_kx_fuzz::server_share`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_kx_fuzz::server_share(data));
