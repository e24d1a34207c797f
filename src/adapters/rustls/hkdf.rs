//! This crate's key schedule as rustls 0.23's TLS 1.3 HKDF provider: the rustls traits on the
//! shared `glue::hkdf` types.

crate::adapters::glue::hkdf::rustls_hkdf!(rustls);
