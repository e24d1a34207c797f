#![no_main]
//! Fuzz target `tls_handshake`: see `hybrid_kx_fuzz::tls_handshake`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_kx_fuzz::tls_handshake(data));
