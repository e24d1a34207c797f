//! The C2SP CCTV "accumulated pq-crystals vectors" procedure for ML-KEM, through the crate's
//! pure ML-KEM groups, checked against `accumulated-hashes.txt`.
//!
//! ```text
//! rng = SHAKE-128(""), read as one stream; acc = a running SHAKE-128
//! repeat N times:
//!   d ‖ z = rng.read(64); (ek, dk) = KeyGen(d, z)
//!   m = rng.read(32); (c, K) = Encaps(ek, m); check Decaps(dk, c) == K
//!   c_bad = rng.read(ciphertext length); K_bad = Decaps(dk, c_bad)
//!   acc.write(ek ‖ dk ‖ c ‖ K ‖ K_bad)       (Go variant: without dk)
//! result = acc.read(32)
//! ```
//!
//! Sections: `[fips203-final]` (`mlkemP_N`) runs; `[fips203-ipd]` is skipped (draft key
//! generation); `[go-fips140-variant-mlkem768]` (`nN`) runs the variant without `dk`. Counts
//! above 10,000 run only with `--full`. One pass per parameter set serves every count and both
//! variants.

// The procedure hashes the expanded FIPS 203 decapsulation key (deprecated encoding in ml-kem).
#![allow(deprecated)]

use hybrid_kx::{ByteArray, ClientState, Error, Group, MLKEM512, MLKEM768, MLKEM1024};
use ml_kem::ExpandedKeyEncoding;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

use super::Options;
use super::mlkem::ParamSet;
use super::progress::Progress;
use super::report::{SkipReason, SuiteReport, SuiteRun};
use super::text::TextFile;

/// Largest count run without `--full`.
const DEFAULT_LIMIT: u64 = 10_000;

/// Progress is reported every this many iterations.
const PROGRESS_STEP: u64 = 1_000;

/// The final-FIPS-203 section.
const FINAL: &str = "fips203-final";
/// The draft section.
const IPD: &str = "fips203-ipd";
/// Go's variant, without `dk`.
const GO: &str = "go-fips140-variant-mlkem768";

/// Whether `text` is an accumulated-hashes file.
pub fn detect(text: &TextFile) -> bool {
    text.sections.iter().any(|s| s == FINAL)
        && text
            .entries
            .iter()
            .any(|e| e.section.as_deref() == Some(FINAL) && parse_key(&e.key).is_some())
}

/// `mlkem768_10000` -> (ML-KEM-768, 10000).
fn parse_key(key: &str) -> Option<(ParamSet, u64)> {
    let (param, count) = key.strip_prefix("mlkem")?.split_once('_')?;
    let param = ParamSet::from_name(&format!("ML-KEM-{param}"))?;
    Some((param, count.parse().ok()?))
}

/// A 32-byte hash in hex.
fn hash_of(value: &str) -> Result<Vec<u8>, String> {
    match hex::decode(value) {
        Ok(hash) if hash.len() == 32 => Ok(hash),
        Ok(hash) => Err(format!("{} bytes, a hash has 32", hash.len())),
        Err(e) => Err(format!("not hex: {e}")),
    }
}

/// One expected hash to check.
struct Target {
    id: String,
    param: ParamSet,
    count: u64,
    with_dk: bool,
    hash: Vec<u8>,
}

/// A group the procedure can run on.
trait Accumulate: Group {
    /// The expanded decapsulation key of a client state.
    fn expanded_dk(state: &ClientState<Self>) -> Vec<u8>;
}

impl Accumulate for MLKEM512 {
    fn expanded_dk(state: &ClientState<Self>) -> Vec<u8> {
        state.component_state().to_expanded_bytes().to_vec()
    }
}

impl Accumulate for MLKEM768 {
    fn expanded_dk(state: &ClientState<Self>) -> Vec<u8> {
        state.component_state().to_expanded_bytes().to_vec()
    }
}

impl Accumulate for MLKEM1024 {
    fn expanded_dk(state: &ClientState<Self>) -> Vec<u8> {
        state.component_state().to_expanded_bytes().to_vec()
    }
}

/// Runs the procedure once, up to the largest count, feeding one accumulator with `dk` (CCTV)
/// and one without (Go), and returns the hash after each requested `(with_dk, count)` in the
/// order given; or the first iteration where an operation failed or Decaps(dk, c) != K.
fn accumulate<G: Accumulate>(
    targets: &[(bool, u64)],
    progress: &mut Progress,
) -> Result<Vec<[u8; 32]>, String> {
    let max = targets.iter().map(|&(_, n)| n).max().unwrap_or(0);
    let need_dk = targets.iter().any(|&(with_dk, _)| with_dk);
    let mut rng = Shake128::default().finalize_xof();
    let mut acc_dk = Shake128::default();
    let mut acc = Shake128::default();
    let mut seed = G::ClientSeed::zeroed();
    let mut m = G::ServerSeed::zeroed();
    let mut c_bad = vec![0u8; G::SERVER_SHARE_LEN];
    let mut hashes = vec![[0u8; 32]; targets.len()];
    let fail = |i: u64, e: Error| format!("iteration {}: {e}", i + 1);
    for i in 0..max {
        rng.read(seed.as_mut());
        let (ek, state) = crate::on::keygen_typed::<G>(&seed).map_err(|e| fail(i, e))?;
        rng.read(m.as_mut());
        let (c, k) = crate::on::encapsulate_typed::<G>(ek.as_ref(), &m).map_err(|e| fail(i, e))?;
        rng.read(&mut c_bad);
        // Completion consumes a state: the implicit-rejection key comes from a second key pair
        // generated from the same seed.
        let (_, state_for_bad) = crate::on::keygen_typed::<G>(&seed).map_err(|e| fail(i, e))?;
        let k_bad = state_for_bad.complete(&c_bad).map_err(|e| fail(i, e))?;
        if need_dk {
            acc_dk.update(ek.as_ref());
            acc_dk.update(&G::expanded_dk(&state));
        }
        acc.update(ek.as_ref());
        if state.complete(c.as_ref()).map_err(|e| fail(i, e))? != k {
            return Err(format!("iteration {}: Decaps(dk, c) != K", i + 1));
        }
        for a in [&mut acc_dk, &mut acc] {
            a.update(c.as_ref());
            a.update(k.as_bytes());
            a.update(k_bad.as_bytes());
        }
        let done = i + 1;
        for (hash, &(with_dk, count)) in hashes.iter_mut().zip(targets) {
            if count == done {
                let source = if with_dk { &acc_dk } else { &acc };
                source.clone().finalize_xof().read(hash);
            }
        }
        if done.is_multiple_of(PROGRESS_STEP) {
            progress.inc(PROGRESS_STEP);
        }
    }
    Ok(hashes)
}

/// Runs every hash of the file that applies.
pub fn run(path: &str, text: &TextFile, options: &Options) -> Vec<SuiteReport> {
    let mut run = SuiteRun::new(
        "CCTV ML-KEM accumulated",
        vec![path.to_owned()],
        text.entries.len() as u64,
    );
    let mut targets = Vec::new();
    for entry in &text.entries {
        let section = entry.section.as_deref().unwrap_or("");
        let id = format!("[{section}] {}", entry.key);
        let parsed = match section {
            FINAL => parse_key(&entry.key).map(|(param, count)| (param, count, true)),
            GO => entry
                .key
                .strip_prefix('n')
                .and_then(|n| n.parse().ok())
                .map(|count| (ParamSet::MlKem768, count, false)),
            IPD => {
                if parse_key(&entry.key).is_some() && hash_of(&entry.value).is_ok() {
                    run.skip(SkipReason::Fips203DraftHash);
                } else {
                    run.error(
                        format!("line {}", entry.line),
                        format!("unknown entry {:?} in [{section}]", entry.key),
                    );
                }
                continue;
            }
            _ => {
                run.error(
                    format!("line {}", entry.line),
                    format!(
                        "value outside the known sections: [{section}] {}",
                        entry.key
                    ),
                );
                continue;
            }
        };
        let Some((param, count, with_dk)) = parsed else {
            run.error(
                format!("line {}", entry.line),
                format!("unknown entry {:?} in [{section}]", entry.key),
            );
            continue;
        };
        if param.group().is_none() {
            run.skip(SkipReason::MlKem512);
            continue;
        }
        let hash = match hash_of(&entry.value) {
            Ok(hash) => hash,
            Err(e) => {
                run.error(
                    format!("line {}", entry.line),
                    format!("{}: {e}", entry.key),
                );
                continue;
            }
        };
        if count > DEFAULT_LIMIT && !options.full {
            run.skip(SkipReason::FullOnlyAccumulated);
            continue;
        }
        targets.push(Target {
            id,
            param,
            count,
            with_dk,
            hash,
        });
    }
    // One pass per parameter set serves every count and both variants.
    for param in ParamSet::ALL {
        let mine: Vec<&Target> = targets.iter().filter(|t| t.param == param).collect();
        if mine.is_empty() {
            continue;
        }
        let wanted: Vec<(bool, u64)> = mine.iter().map(|t| (t.with_dk, t.count)).collect();
        let max = wanted.iter().map(|&(_, n)| n).max().unwrap_or(0);
        run.progress().add_total(max);
        let result = match param {
            ParamSet::MlKem512 => accumulate::<MLKEM512>(&wanted, run.progress()),
            ParamSet::MlKem768 => accumulate::<MLKEM768>(&wanted, run.progress()),
            ParamSet::MlKem1024 => accumulate::<MLKEM1024>(&wanted, run.progress()),
        };
        for (index, t) in mine.iter().enumerate() {
            let mut case = run.case(format!("{} ({} x {})", t.id, param.name(), t.count));
            match &result {
                Ok(hashes) => {
                    case.eq("hash", &t.hash, &hashes[index]);
                }
                Err(e) => {
                    case.fail("hash", hex::encode(&t.hash), e.clone());
                }
            }
            run.record(case);
        }
    }
    vec![run.finish()]
}
