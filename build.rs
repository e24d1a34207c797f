//! One cfg per optional backend, so that the code says `#[cfg(backend_graviola)]` instead of
//! repeating the condition that makes a backend available (its feature, and for graviola the
//! x86_64 target its assembly is written for); and `any_rustls` for the code every rustls
//! adapter shares.

use std::env;

fn main() {
    let feature = |name: &str| env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
    let x86_64 = env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64");
    let cfgs = [
        ("backend_libcrux", feature("BACKEND_LIBCRUX")),
        ("backend_graviola", feature("BACKEND_GRAVIOLA") && x86_64),
        ("backend_aws_lc", feature("BACKEND_AWS_LC")),
        ("any_rustls", feature("RUSTLS") || feature("RUSTLS_0_24")),
    ];
    for (cfg, enabled) in cfgs {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if enabled {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
