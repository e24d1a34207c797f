//! Dev-only tests of `hybrid-kx` that need `unsafe`, which `hybrid-kx` forbids
//! (`#![forbid(unsafe_code)]`): `tests/fork.rs` calls `libc::fork`, `pipe`, `waitpid` and
//! `_exit`; `tests/stack_residue.rs` reads stack memory below its own frame. This crate has no
//! code of its own.
