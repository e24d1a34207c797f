#![no_main]
//! Differential fuzz target `diff_group_x25519mlkem768`: see `hybrid_kx_fuzz::differential`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_kx_fuzz::differential::fuzz(
    "diff_group_x25519mlkem768",
    data
));
