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

use hybrid_kx::components::Component;
use hybrid_kx::{ByteArray, ClientState, Error, Group, MLKEM512, MLKEM768, MLKEM1024};
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

use super::Options;
use super::mlkem::ParamSet;
use super::progress::Progress;
use super::report::{SkipReason, SuiteReport, SuiteRun};
use super::text::TextFile;

/// Largest count run without `--full`.
const DEFAULT_LIMIT: u64 = 10_000;

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

/// The expanded decapsulation key of a pure ML-KEM client state.
fn expanded_dk<G: Group>(state: &ClientState<G>) -> Result<Vec<u8>, Error> {
    let mut dk = vec![0u8; <G::Kx as Component>::EXPANDED_KEY_LEN];
    <G::Kx as Component>::expanded_key(state.component_state(), &mut dk)?;
    Ok(dk)
}

/// ML-KEM.Decaps of `c` with the state's key, leaving the state for the next one (each
/// iteration decapsulates twice).
fn decapsulate<G: Group>(state: &ClientState<G>, c: &[u8]) -> Result<[u8; 32], Error> {
    let mut k = [0u8; 32];
    <G::Kx as Component>::client_complete(state.component_state(), c, &mut k)?;
    Ok(k)
}

/// Iterations per worker per block: large enough that a block's thread start-up is noise,
/// small enough that the progress bar moves.
const CHUNK: usize = 500;

/// The bytes one iteration reads from the rng stream: `d ‖ z`, `m`, `c_bad`, in that order, so a
/// block's inputs are one contiguous read.
fn input_len<G: Group>() -> usize {
    G::ClientSeed::LEN + G::ServerSeed::LEN + G::SERVER_SHARE_LEN
}

/// The bytes one iteration gives the accumulators: `ek ‖ dk ‖ c ‖ K ‖ K_bad` (without `dk`
/// when no target needs it).
fn record_len<G: Group>(with_dk: bool) -> usize {
    G::CLIENT_SHARE_LEN + if with_dk { dk_len::<G>() } else { 0 } + G::SERVER_SHARE_LEN + 64
}

/// FIPS 203 expanded decapsulation key length: 768·k + 96 = `dkPKE (384·k) ‖ ek (384·k + 32) ‖
/// H(ek) ‖ z`.
fn dk_len<G: Group>() -> usize {
    2 * G::CLIENT_SHARE_LEN + 32
}

/// Runs iterations `first..` on `inputs` (whole iterations, in stream order), on the backend
/// the run asked for, appending one record per iteration to the returned buffer; or the first
/// iteration where an operation failed or Decaps(dk, c) != K.
fn iterate<G: Group>(
    first: u64,
    inputs: &[u8],
    with_dk: bool,
    backend: Option<hybrid_kx::Backend>,
) -> Result<Vec<u8>, String> {
    crate::on::with_backend(backend, || {
        let mut records =
            Vec::with_capacity(inputs.len() / input_len::<G>() * record_len::<G>(with_dk));
        let mut seed = G::ClientSeed::zeroed();
        let mut m = G::ServerSeed::zeroed();
        for (n, input) in (first..).zip(inputs.chunks_exact(input_len::<G>())) {
            let fail = |e: Error| format!("iteration {}: {e}", n + 1);
            let (seed_bytes, rest) = input.split_at(G::ClientSeed::LEN);
            let (m_bytes, c_bad) = rest.split_at(G::ServerSeed::LEN);
            seed.as_mut().copy_from_slice(seed_bytes);
            m.as_mut().copy_from_slice(m_bytes);
            let (ek, state) = crate::on::keygen_typed::<G>(&seed).map_err(fail)?;
            let (c, k) = crate::on::encapsulate_typed::<G>(ek.as_ref(), &m).map_err(fail)?;
            let k_bad = decapsulate::<G>(&state, c_bad).map_err(fail)?;
            let k_good = decapsulate::<G>(&state, c.as_ref()).map_err(fail)?;
            if k_good != k.as_bytes() {
                return Err(format!("iteration {}: Decaps(dk, c) != K", n + 1));
            }
            records.extend_from_slice(ek.as_ref());
            if with_dk {
                records.extend_from_slice(&expanded_dk::<G>(&state).map_err(fail)?);
            }
            records.extend_from_slice(c.as_ref());
            records.extend_from_slice(k.as_bytes());
            records.extend_from_slice(&k_bad);
        }
        Ok(records)
    })
}

/// Runs the procedure once, up to the largest count, feeding one accumulator with `dk` (CCTV)
/// and one without (Go), and returns the hash after each requested `(with_dk, count)` in the
/// order given; or the first iteration where an operation failed or Decaps(dk, c) != K.
///
/// Each iteration depends only on its inputs, and the inputs are consecutive bytes of one
/// SHAKE-128 stream: blocks of iterations are read from the stream in order, computed on every
/// core, and their records hashed in order on this thread while the next block computes, so
/// the hash chain is exactly the sequential one.
fn accumulate<G: Group>(
    targets: &[(bool, u64)],
    progress: &mut Progress,
) -> Result<Vec<[u8; 32]>, String> {
    let max = targets.iter().map(|&(_, n)| n).max().unwrap_or(0);
    let with_dk = targets.iter().any(|&(with_dk, _)| with_dk);
    let without_dk = targets.iter().any(|&(with_dk, _)| !with_dk);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let backend = crate::on::requested();
    let mut rng = Shake128::default().finalize_xof();
    let mut acc_dk = Shake128::default();
    let mut acc = Shake128::default();
    let mut hashes = vec![[0u8; 32]; targets.len()];
    let (ek_len, record) = (G::CLIENT_SHARE_LEN, record_len::<G>(with_dk));
    let dk_end = ek_len + if with_dk { dk_len::<G>() } else { 0 };
    std::thread::scope(|scope| {
        let mut read = 0u64;
        let mut hashed = 0u64;
        let mut pending: Vec<std::thread::ScopedJoinHandle<'_, Result<Vec<u8>, String>>> =
            Vec::new();
        while hashed < max {
            // Start the next block.
            let mut next = Vec::with_capacity(workers);
            for _ in 0..workers {
                let n = (max - read).min(CHUNK as u64);
                if n == 0 {
                    break;
                }
                let mut inputs =
                    vec![0u8; usize::try_from(n).unwrap_or(usize::MAX) * input_len::<G>()];
                rng.read(&mut inputs);
                let first = read;
                next.push(scope.spawn(move || iterate::<G>(first, &inputs, with_dk, backend)));
                read += n;
            }
            // Hash the previous one, in order.
            for handle in pending {
                let records = handle
                    .join()
                    .map_err(|_| "a worker thread panicked".to_owned())??;
                for r in records.chunks_exact(record) {
                    if with_dk {
                        acc_dk.update(r);
                    }
                    if without_dk {
                        acc.update(&r[..ek_len]);
                        acc.update(&r[dk_end..]);
                    }
                    hashed += 1;
                    for (hash, &(with_dk, count)) in hashes.iter_mut().zip(targets) {
                        if count == hashed {
                            let source = if with_dk { &acc_dk } else { &acc };
                            source.clone().finalize_xof().read(hash);
                        }
                    }
                }
                progress.inc(u64::try_from(records.len() / record).unwrap_or(0));
            }
            pending = next;
        }
        Ok(hashes)
    })
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
