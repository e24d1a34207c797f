//! One cfg per optional backend, so that the code says `#[cfg(backend_graviola)]` instead of
//! repeating the condition that makes a backend available (its feature, and for graviola the
//! x86_64 target its assembly is written for).

use std::env;

fn main() {
    let feature = |name: &str| env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
    let x86_64 = env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64");
    let backends = [
        ("backend_libcrux", feature("BACKEND_LIBCRUX")),
        ("backend_graviola", feature("BACKEND_GRAVIOLA") && x86_64),
    ];
    for (cfg, enabled) in backends {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if enabled {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
