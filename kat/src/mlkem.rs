//! ML-KEM helpers shared by the ACVP, CCTV and Wycheproof suites: parameter sets, key
//! generation with the expanded `dk` export, and client states built from an expanded `dk`.
//!
//! Everything runs through the pure ML-KEM groups of the crate ([`NamedGroup::MLKEM512`],
//! [`NamedGroup::MLKEM768`], [`NamedGroup::MLKEM1024`]): key generation from `d ‖ z`, encapsulation from `m`, and
//! completion (decapsulation) of [`hybrid_kx::ClientState`].

use hybrid_kx::{AnyClientState, Backend, Error, NamedGroup};

/// An ML-KEM parameter set (FIPS 203 section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamSet {
    /// ML-KEM-512.
    MlKem512,
    /// ML-KEM-768.
    MlKem768,
    /// ML-KEM-1024.
    MlKem1024,
}

impl ParamSet {
    /// All three.
    pub const ALL: [Self; 3] = [Self::MlKem512, Self::MlKem768, Self::MlKem1024];

    /// The FIPS 203 name, `ML-KEM-768`.
    pub fn name(self) -> &'static str {
        match self {
            Self::MlKem512 => "ML-KEM-512",
            Self::MlKem768 => "ML-KEM-768",
            Self::MlKem1024 => "ML-KEM-1024",
        }
    }

    /// The parameter set named `name` (`ML-KEM-768`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Encapsulation-key bytes.
    pub fn ek_len(self) -> usize {
        match self {
            Self::MlKem512 => 800,
            Self::MlKem768 => 1184,
            Self::MlKem1024 => 1568,
        }
    }

    /// Expanded decapsulation-key bytes.
    pub fn dk_len(self) -> usize {
        match self {
            Self::MlKem512 => 1632,
            Self::MlKem768 => 2400,
            Self::MlKem1024 => 3168,
        }
    }

    /// Ciphertext bytes.
    pub fn ct_len(self) -> usize {
        match self {
            Self::MlKem512 => 768,
            Self::MlKem768 => 1088,
            Self::MlKem1024 => 1568,
        }
    }

    /// The set whose encapsulation key has `len` bytes.
    pub fn from_ek_len(len: usize) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.ek_len() == len)
    }

    /// The set whose expanded decapsulation key has `len` bytes.
    pub fn from_dk_len(len: usize) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.dk_len() == len)
    }

    /// The crate's pure ML-KEM group of this parameter set (draft-ietf-tls-mlkem), which runs
    /// its cases.
    pub fn group(self) -> NamedGroup {
        match self {
            Self::MlKem512 => NamedGroup::MLKEM512,
            Self::MlKem768 => NamedGroup::MLKEM768,
            Self::MlKem1024 => NamedGroup::MLKEM1024,
        }
    }
}

/// The `m` passed to an encapsulation whose only purpose is the encapsulation-key check.
pub const ANY_M: [u8; 32] = [0x42; 32];

/// The expanded FIPS 203 decapsulation key held by a pure ML-KEM client state.
pub fn expanded_dk(state: &AnyClientState) -> Result<Vec<u8>, Error> {
    let len = state.group().expanded_key_len().ok_or(Error::Internal)?;
    let mut dk = vec![0u8; len];
    state.expanded_key(&mut dk)?;
    Ok(dk)
}

/// ML-KEM.KeyGen_internal(d, z) through the group API: `(ek, expanded dk, state)`.
pub fn keygen(group: NamedGroup, d_z: &[u8]) -> Result<(Vec<u8>, Vec<u8>, AnyClientState), Error> {
    let (share, state) = crate::on::keygen(group, d_z)?;
    let dk = expanded_dk(&state)?;
    Ok((share.as_bytes().to_vec(), dk, state))
}

/// ML-KEM.Encaps_internal(ek, m) through the group API, on the run's backend: `(c, K)`.
///
/// # Errors
///
/// The crate's: `KeyShareLength` for an `ek` of another length, `EncapsulationKeyModulus` for
/// one that fails the FIPS 203 section 7.2 modulus check.
pub fn encapsulate(group: NamedGroup, ek: &[u8], m: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let (c, k) = crate::on::encapsulate(group, ek, m)?;
    Ok((c.as_bytes().to_vec(), k.as_bytes().to_vec()))
}

/// The FIPS 203 section 7.2 encapsulation-key check (length, then ByteEncode12(ByteDecode12(ek))
/// = ek) as the crate applies it before encapsulating: `false` for a key it refuses for either
/// reason.
///
/// # Errors
///
/// Any other error of the crate (a backend that does not run here).
pub fn encapsulation_key_check(group: NamedGroup, ek: &[u8]) -> Result<bool, Error> {
    match crate::on::encapsulate(group, ek, &ANY_M) {
        Ok(_) => Ok(true),
        Err(Error::EncapsulationKeyModulus | Error::KeyShareLength { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The FIPS 203 section 7.3 decapsulation-key check (length, the embedded `ek`'s modulus check,
/// `H(ek)` = the stored hash) as the crate applies it when importing an expanded key: `false`
/// for a key it refuses.
///
/// # Errors
///
/// [`DkError::BackendUnavailable`].
pub fn decapsulation_key_check(group: NamedGroup, dk: &[u8]) -> Result<bool, DkError> {
    match state_from_expanded_dk(group, dk) {
        Ok(_) => Ok(true),
        Err(DkError::Invalid | DkError::Length { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The backend that holds a state's key (the last primitive's, for a pure ML-KEM state its
/// only one).
pub fn key_backend(state: &AnyClientState) -> Backend {
    let mut backend = Backend::Portable;
    state.keys(&mut |key| backend = key.backend);
    backend
}

/// ML-KEM.Decaps from the seed form of the decapsulation key (ACVP `keyFormat` `seed`):
/// KeyGen_internal(d, z), then Decaps with the key it gives: `(K, the backend that ran it)`.
///
/// # Errors
///
/// The crate's: a seed that is not 64 bytes, a ciphertext of the wrong length.
pub fn decaps_seed(group: NamedGroup, d_z: &[u8], c: &[u8]) -> Result<(Vec<u8>, Backend), Error> {
    let (_, state) = crate::on::keygen(group, d_z)?;
    let backend = key_backend(&state);
    let k = state.complete(c)?;
    Ok((k.as_bytes().to_vec(), backend))
}

/// Why an expanded decapsulation key was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DkError {
    /// Not the parameter set's length.
    Length {
        /// Required length.
        expected: usize,
        /// Given length.
        actual: usize,
    },
    /// The FIPS 203 section 7.3 check failed (`H(ek)` mismatch or an invalid embedded `ek`).
    Invalid,
    /// The backend the run asked for is not usable here.
    BackendUnavailable,
}

impl std::fmt::Display for DkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Length { expected, actual } => {
                write!(f, "dk is {actual} bytes, expected {expected}")
            }
            Self::Invalid => f.write_str("dk fails the FIPS 203 section 7.3 check"),
            Self::BackendUnavailable => f.write_str("the requested backend is not usable here"),
        }
    }
}

/// A client state of `group` (a pure ML-KEM group) from an expanded decapsulation key, after
/// the FIPS 203 section 7.3 decapsulation-key check.
pub fn state_from_expanded_dk(group: NamedGroup, dk: &[u8]) -> Result<AnyClientState, DkError> {
    import_expanded_dk(group, dk).map(|(state, _)| state)
}

/// [`state_from_expanded_dk`], and the backend the key landed on: the run's backend, except that
/// graviola cannot import an expanded key without its seed (the portable reference then holds
/// it). The suites tally it, so the report says where each decapsulation ran.
pub fn import_expanded_dk(
    group: NamedGroup,
    dk: &[u8],
) -> Result<(AnyClientState, Backend), DkError> {
    let expected = group.expanded_key_len().ok_or(DkError::Invalid)?;
    if dk.len() != expected {
        return Err(DkError::Length {
            expected,
            actual: dk.len(),
        });
    }
    let state = group
        .client_state_from_expanded_key(crate::on::requested(), dk)
        .map_err(|e| match e {
            Error::BackendUnavailable => DkError::BackendUnavailable,
            _ => DkError::Invalid,
        })?;
    let backend = key_backend(&state);
    state.keys(&mut |key| crate::on::note(crate::on::Side::Client, key.primitive, key.backend));
    Ok((state, backend))
}

/// ML-KEM.Decaps(dk, c) from an expanded `dk`: `Ok(Ok(K))`, `Ok(Err(e))` when the crate
/// rejected the ciphertext, `Err` when the key itself was refused. A decapsulation that ran
/// is tallied on `case` by backend (`decapsulation on graviola`, ...).
pub fn decaps_expanded(
    case: &mut crate::Case,
    group: NamedGroup,
    dk: &[u8],
    c: &[u8],
) -> Result<Result<Vec<u8>, Error>, DkError> {
    let (k, backend) = decapsulate_expanded(group, dk, c)?;
    case.tally(format!("decapsulation on {backend}"));
    Ok(k)
}

/// ML-KEM.Decaps(dk, c) from an expanded `dk`, and the backend it ran on (see
/// [`import_expanded_dk`]): `Ok((Ok(K), backend))`, `Ok((Err(e), backend))` when the crate
/// rejected the ciphertext, `Err` when the key itself was refused.
///
/// # Errors
///
/// [`DkError`] for a key that is refused.
pub fn decapsulate_expanded(
    group: NamedGroup,
    dk: &[u8],
    c: &[u8],
) -> Result<(Result<Vec<u8>, Error>, Backend), DkError> {
    let (state, backend) = import_expanded_dk(group, dk)?;
    Ok((state.complete(c).map(|k| k.as_bytes().to_vec()), backend))
}
