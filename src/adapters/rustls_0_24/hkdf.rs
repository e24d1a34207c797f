//! This crate's key schedule as rustls 0.24's TLS 1.3 HKDF provider: the rustls traits on the
//! shared `glue::hkdf` types (the same impls as for 0.23; 0.24's `fips()` keeps its default,
//! `FipsStatus::Unvalidated`).

crate::adapters::glue::hkdf::rustls_hkdf!(rustls_0_24);
