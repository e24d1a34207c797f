//! Secrets left on the stack by the key-exchange operations: none with the crate's `scrub-stack`
//! feature (this member's default), and some without it (`cargo test -p hybrid-kx-tests-fork
//! --no-default-features --test stack_residue`, which CI also runs), so the scan is seen to find
//! what it looks for.
//!
//! Rust moves are byte copies and a returned-from frame is not wiped, so a secret's bytes can
//! stay in stack memory below the caller after an operation returns. This test paints the stack
//! below its own frame, runs one operation from that frame (so that the result and the caller's
//! own copies stay above the scanned region), and reads the memory below back (unsafe: memory
//! below the stack pointer, hence this dev-only member), counting the places that still hold 16
//! consecutive bytes of the seed or of the shared secret. Every group, every backend usable
//! here, key generation, encapsulation and completion, through `NamedGroup`, the typed API and
//! the rustls adapter (whose server step and completion scrub on their own; its key generation
//! draws from the operating system, so there is no known seed to look for and it is not
//! measured here).
//!
//! What it finds without the feature, and the deepest stacks (which size the scrubbing), are
//! in docs/verification.md with their date and CPU.
//!
//! A control (a function that copies a secret into its own frame and returns) must be found,
//! so the scan can fail.

use std::hint::black_box;

use hybrid_kx::{Backend, Group, NamedGroup, X25519MLKEM768};

/// Whether the crate zeroes the stack after each operation in this build.
const SCRUBBED: bool = cfg!(feature = "scrub-stack");

/// How far below the caller's frame the scan reaches (the operations use much less).
const DEPTH: usize = 256 * 1024;
const PAINT: u8 = 0x5a;
/// A secret counts as left behind when this many consecutive bytes of it are found.
const WINDOW: usize = 16;

/// Fills `DEPTH + 16 * 1024` bytes of stack below the caller's frame with `PAINT`.
#[inline(never)]
fn paint() {
    let mut area = [PAINT; DEPTH + 16 * 1024];
    black_box(&mut area);
}

/// Copies the `DEPTH` bytes of stack below this function's frame into `out` (volatile loads
/// of raw memory; nothing is called while reading, so nothing overwrites it).
#[inline(never)]
fn snapshot(out: &mut [u8; DEPTH]) {
    let marker = 0u8;
    let top = black_box(&raw const marker) as usize;
    let low = (top - DEPTH) as *const u8;
    let out = out.as_mut_ptr();
    let mut i = 0;
    while i < DEPTH {
        // SAFETY: the addresses are this thread's own stack, mapped and written by `paint` (at
        // most `DEPTH + 16 * 1024` bytes below the caller); `out` has `DEPTH` bytes. Only read.
        unsafe { *out.add(i) = core::ptr::read_volatile(low.add(i)) };
        i += 1;
    }
}

/// How many places of `stack` hold at least `WINDOW` consecutive bytes of `secret` (each
/// secret offset counted once per place).
fn places(stack: &[u8], secret: &[u8]) -> usize {
    let mut found = std::collections::BTreeSet::new();
    for window in secret.windows(WINDOW).step_by(WINDOW / 2) {
        for (at, candidate) in stack.windows(WINDOW).enumerate() {
            if candidate == window {
                found.insert(at / 64);
            }
        }
    }
    found.len()
}

/// How deep below the caller `paint`'s pattern was overwritten (bytes).
fn depth_used(stack: &[u8]) -> usize {
    stack
        .iter()
        .position(|&b| b != PAINT)
        .map_or(0, |low| stack.len() - low)
}

/// The control: a copy of `secret` in a frame below the caller's, left there on return.
#[inline(never)]
fn control(secret: &[u8]) {
    let mut frame = [0u8; 1024];
    frame[512..512 + secret.len()].copy_from_slice(secret);
    black_box(&mut frame);
}

/// A seed of `len` bytes, distinct for each `tag`, without repeated 16-byte windows.
fn seed(tag: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let [low, high, ..] = i.to_le_bytes();
            tag ^ low.wrapping_mul(37) ^ high.wrapping_mul(101)
        })
        .collect()
}

/// Where `secrets` still are in `stack`, as "name places" pairs, and the total.
fn residue(stack: &[u8; DEPTH], secrets: &[(&str, &[u8])]) -> (String, usize) {
    let mut total = 0;
    let mut line = String::new();
    for (label, bytes) in secrets {
        let n = places(stack, bytes);
        total += n;
        line += &format!(" {label} {n}");
    }
    (line, total)
}

/// One operation's result: the stack it used and the secrets it left below the caller.
struct Measured {
    depth: usize,
    left: usize,
    line: String,
}

/// Prints each operation's depth and residue, and names it in `failures` if it left anything.
fn record<const N: usize>(what: &str, runs: [(&str, Measured); N], failures: &mut Vec<String>) {
    for (op, m) in runs {
        eprintln!("{what} {op}: stack {} B, left:{}", m.depth, m.line);
        if m.left > 0 {
            failures.push(format!("{what} {op}"));
        }
    }
}

/// Paints the stack, runs `$op` from this very frame (so that its result, and any copy the
/// caller itself makes, live in the test's frame, above the scanned region), and scans what the
/// operation left below.
macro_rules! measure {
    ($stack:expr, $secrets:expr, $op:expr) => {{
        paint();
        let result = $op;
        snapshot($stack);
        let (line, left) = residue($stack, $secrets);
        let depth = depth_used(&$stack[..]);
        (result, Measured { depth, left, line })
    }};
}

#[test]
fn operations_leave_no_secret_on_the_stack() {
    let mut stack = Box::new([0u8; DEPTH]);
    let secret = seed(0x99, 32);
    let ((), control_run) = measure!(&mut *stack, &[("control", &secret[..])], control(&secret));
    assert!(
        control_run.left > 0,
        "the scan did not find the control's copy: it cannot fail"
    );

    let mut failures = Vec::new();
    let mut skipped = 0;
    for &group in NamedGroup::ALL {
        for &backend in Backend::ALL {
            if backend != Backend::Portable && !group.has_backend(backend) {
                continue; // the same code as on the portable backend
            }
            if let Some(reason) = backend.unusable_reason() {
                eprintln!("{group:?}: SKIPPED backend {backend}: {reason}");
                skipped += 1;
                continue;
            }
            let client_seed = seed(0x11, group.client_seed_len());
            let server_seed = seed(0x55, group.server_seed_len());
            let (keygen, keygen_run) = measure!(
                &mut *stack,
                &[("seed", &client_seed[..])],
                group.generate_key_share_from_seed_on(backend, &client_seed)
            );
            let (share, state) = keygen.unwrap();
            let (encapsulate, encapsulate_run) = measure!(
                &mut *stack,
                &[("seed", &server_seed[..])],
                group.encapsulate_from_seed_on(backend, share.as_bytes(), &server_seed)
            );
            let (server_share, shared) = encapsulate.unwrap();
            let shared = shared.as_bytes().to_vec();
            let (complete, complete_run) = measure!(
                &mut *stack,
                &[("seed", &client_seed[..]), ("secret", &shared[..])],
                state.complete(server_share.as_bytes())
            );
            assert_eq!(complete.unwrap().as_bytes(), &shared[..]);
            record(
                &format!("{group:?} on {backend:?}"),
                [
                    ("keygen", keygen_run),
                    ("encapsulate", encapsulate_run),
                    ("complete", complete_run),
                ],
                &mut failures,
            );
        }
    }
    // The typed API (`Group`, `ClientState`) of the main group, on the selected backends.
    let client_seed = seed(0x21, 96);
    let server_seed = seed(0x65, 64);
    let client_seed_array: [u8; 96] = client_seed.as_slice().try_into().unwrap();
    let server_seed_array: [u8; 64] = server_seed.as_slice().try_into().unwrap();
    let (keygen, keygen_run) = measure!(
        &mut *stack,
        &[("seed", &client_seed[..])],
        X25519MLKEM768::generate_key_share_from_seed(&client_seed_array)
    );
    let (share, state) = keygen.unwrap();
    let (encapsulate, encapsulate_run) = measure!(
        &mut *stack,
        &[("seed", &server_seed[..])],
        X25519MLKEM768::encapsulate_from_seed(share.as_ref(), &server_seed_array)
    );
    let (server_share, shared) = encapsulate.unwrap();
    let shared = shared.as_bytes().to_vec();
    let (complete, complete_run) = measure!(
        &mut *stack,
        &[("seed", &client_seed[..]), ("secret", &shared[..])],
        state.complete(server_share.as_ref())
    );
    assert_eq!(complete.unwrap().as_bytes(), &shared[..]);
    record(
        "typed X25519MLKEM768",
        [
            ("keygen", keygen_run),
            ("encapsulate", encapsulate_run),
            ("complete", complete_run),
        ],
        &mut failures,
    );
    // The rustls adapter's own scrubbed paths: the server step (`start_and_complete`) and the
    // client's completion, with the shared secret as the needle.
    for &group in NamedGroup::ALL {
        let kx = hybrid_kx::rustls::kx_group(group);
        let client = kx.start().unwrap();
        let (server, server_run) =
            measure!(&mut *stack, &[], kx.start_and_complete(client.pub_key()));
        let server = server.unwrap();
        let shared = server.secret.secret_bytes().to_vec();
        let server_run = rescan(&stack, server_run, &shared);
        let (secret, complete_run) = measure!(&mut *stack, &[], client.complete(&server.pub_key));
        assert_eq!(secret.unwrap().secret_bytes(), &shared[..]);
        let complete_run = rescan(&stack, complete_run, &shared);
        record(
            &format!("rustls {group:?}"),
            [
                ("start_and_complete", server_run),
                ("complete", complete_run),
            ],
            &mut failures,
        );
    }
    eprintln!("backends skipped (not usable here): {skipped}; scrub-stack: {SCRUBBED}");
    if SCRUBBED {
        assert!(
            failures.is_empty(),
            "secrets left on the stack: {failures:?}"
        );
    } else {
        // Without scrubbing, moves leave copies: the scan must see them, or it could not fail.
        assert!(
            !failures.is_empty(),
            "no residue found without scrub-stack: the scan cannot tell a scrubbed build apart"
        );
    }
}

/// `run` with its residue counted again for `secret`, which is only known after the operation
/// returned (a scan reads the snapshot, never the live stack).
fn rescan(stack: &[u8; DEPTH], run: Measured, secret: &[u8]) -> Measured {
    let (line, left) = residue(stack, &[("secret", secret)]);
    Measured { line, left, ..run }
}
