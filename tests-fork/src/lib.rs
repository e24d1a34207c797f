//! Dev-only tests of `hybrid-kx` across a real `fork()`: see `tests/fork.rs`. This crate has no
//! code of its own; it exists because the tests need `unsafe` calls to `libc::fork`, `pipe`,
//! `waitpid` and `_exit`, which `hybrid-kx` forbids (`#![forbid(unsafe_code)]`).
