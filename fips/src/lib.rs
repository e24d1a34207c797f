//! hybrid-kx on AWS-LC's FIPS module: a package whose build turns on `aws-lc-rs/fips` (through
//! rustls's `fips` feature), so that hybrid-kx's `backend-aws-lc` runs on AWS-LC's FIPS module,
//! and whose tests (`tests/fips.rs`) check what that gives: every primitive on the module, the
//! FIPS status of every group and of a provider built with `GroupPolicy::fips()`, and a
//! handshake that negotiates SecP384r1MLKEM1024 in FIPS mode. Nothing here is part of the
//! crate; `cargo test --manifest-path fips/Cargo.toml` runs it (CMake, Go and Perl needed).
