#![no_main]
//! Fuzz target `hkdf_label`: see `hybrid_kx_fuzz::hkdf_label`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_kx_fuzz::hkdf_label(data));
