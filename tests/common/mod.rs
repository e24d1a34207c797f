//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod shared_vectors;
pub mod vector_file;
