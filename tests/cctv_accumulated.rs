//! C2SP CCTV "accumulated pq-crystals vectors" for ML-KEM-768 and ML-KEM-1024, 10,000 iterations,
//! driven through this crate's public API (key generation from seed, encapsulation from seed,
//! completion). The expected hashes are the final-FIPS-203 values published in C2SP CCTV pull
//! request 13 (`[fips203-final]` in `../shared/test-vectors/cctv-mlkem/accumulated-hashes.txt`).

#![allow(deprecated)] // `ExpandedKeyEncoding`: the procedure hashes the expanded FIPS 203 `dk`.

use hybrid_kx::components::mlkem::{MlKem768, MlKem1024};
use hybrid_kx::{Group, MLKEM768, MLKEM1024};
use ml_kem::ExpandedKeyEncoding;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

/// `[fips203-final] mlkem768_10000`.
const MLKEM768_10000: &str = "f959d18d3d1180121433bf0e05f11e7908cf9d03edc150b2b07cb90bef5bc1c1";
/// `[fips203-final] mlkem1024_10000`.
const MLKEM1024_10000: &str = "e3bf82b013307b2e9d47dde791ff6dfc82e694e6382404abdb948b908b75bad5";

/// The CCTV procedure; `dk_bytes` exports the expanded decapsulation key of a client state.
fn accumulate<G: Group>(
    iterations: usize,
    dk_bytes: impl Fn(&hybrid_kx::ClientState<G>) -> Vec<u8>,
) -> String {
    let mut rng = Shake128::default().finalize_xof();
    let mut acc = Shake128::default();
    let mut seed = G::ClientSeed::zeroed_for_test();
    let mut m = G::ServerSeed::zeroed_for_test();
    let mut c_bad = vec![0u8; G::SERVER_SHARE_LEN];
    for _ in 0..iterations {
        rng.read(seed.as_mut()); // d ‖ z
        let (ek, state) = G::generate_key_share_from_seed(&seed).unwrap();
        let dk = dk_bytes(&state);
        rng.read(m.as_mut());
        let (c, k) = G::encapsulate_from_seed(ek.as_ref(), &m).unwrap();
        rng.read(&mut c_bad);
        // Implicit rejection key, from a second key pair built from the same seed (the first is
        // consumed by the check below).
        let (_, state_for_bad) = G::generate_key_share_from_seed(&seed).unwrap();
        let k_bad = state_for_bad.complete(&c_bad).unwrap();
        assert_eq!(state.complete(c.as_ref()).unwrap(), k, "Decaps(dk, c) == K");
        acc.update(ek.as_ref());
        acc.update(&dk);
        acc.update(c.as_ref());
        acc.update(k.as_bytes());
        acc.update(k_bad.as_bytes());
    }
    let mut out = [0u8; 32];
    acc.finalize_xof().read(&mut out);
    hex::encode(out)
}

trait ZeroedForTest {
    fn zeroed_for_test() -> Self;
}
impl<T: hybrid_kx::ByteArray> ZeroedForTest for T {
    fn zeroed_for_test() -> Self {
        T::zeroed()
    }
}

#[test]
fn mlkem768_accumulated_10000() {
    let hash = accumulate::<MLKEM768>(10_000, |state| {
        let dk: &<MlKem768 as hybrid_kx::components::Component>::ClientState =
            state.component_state();
        dk.to_expanded_bytes().to_vec()
    });
    assert_eq!(hash, MLKEM768_10000);
}

#[test]
fn mlkem1024_accumulated_10000() {
    let hash = accumulate::<MLKEM1024>(10_000, |state| {
        let dk: &<MlKem1024 as hybrid_kx::components::Component>::ClientState =
            state.component_state();
        dk.to_expanded_bytes().to_vec()
    });
    assert_eq!(hash, MLKEM1024_10000);
}
