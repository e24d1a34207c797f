//! Choosing a backend for a primitive, and holding the key it generated: written once for every
//! primitive and every backend.
//!
//! A primitive declares its [`Implementations`]: one [`Code`] per backend ([`Absent`] where it
//! has none) and its order of preference. From that, this module gives it the [`Component`] and
//! [`Primitive`] impls: which backend runs by default, which runs when one is asked for, and the
//! client state [`PrivateKey`], which holds the key of whichever backend generated it so that
//! completion runs there too.
//!
//! Adding a backend touches this file in five places: the `Implementations` items, one arm of
//! `key_layout` (a `const fn`, which cannot go through a trait), the `Inner` variant, and one arm
//! in each of [`dispatch`] and `PrivateKey::with_key`.
//!
//! Randomness: an operation of [`Source::Caller`] (a seed, or the caller's generator) runs only
//! on code that takes a seed ([`Code::TAKES_SEED`]); one of [`Source::System`] (the operating
//! system's randomness) may run on any, and code with a generator of its own uses it there.
//! A backend running a FIPS module in FIPS mode ([`Backend::is_fips_module`]) goes first for
//! every primitive it has.
//!
//! [`Absent`]: crate::backend::code::Absent

use core::mem::size_of;

use zeroize::ZeroizeOnDrop;

use super::{Component, Primitive, Sealed};
use crate::backend::Backend;
use crate::backend::code::{Code, Family, ServerStep, Source};
use crate::error::Error;

/// A primitive's name and lengths (the constants of [`Component`] and [`Primitive`]).
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// The primitive's name (`ML-KEM-768`, `X25519`, `P-256`).
    pub name: &'static str,
    /// Bytes of the client's share.
    pub client_share: usize,
    /// Bytes of the server's share.
    pub server_share: usize,
    /// Bytes of the shared secret.
    pub secret: usize,
    /// Bytes of the client's randomness.
    pub client_seed: usize,
    /// Bytes of the server's randomness.
    pub server_seed: usize,
    /// Bytes of the FIPS 203 expanded decapsulation key (section 7.1) for ML-KEM; 0 for the
    /// primitives without one.
    pub expanded_key: usize,
    /// Whether the primitive is an approved key-establishment scheme under FIPS 140-3 (ML-KEM,
    /// FIPS 203; ECDH on P-256 and P-384, SP 800-56A rev 3); not X25519. See `fips.rs`.
    pub fips_approved: bool,
}

/// What a primitive declares: its shape, its backends' code in order of preference, and the
/// zeros that fill every backend's key variant to one size.
///
/// The padding is one type per backend (`[u8; padding::<Self>(Backend::X)]`): stable Rust
/// cannot compute an array length from a generic parameter, so each primitive states it for
/// its concrete self, through [`implementations!`]. Why the keys are padded: see
/// [`PrivateKey`].
pub trait Implementations: Sealed + Sized + 'static {
    /// Name and lengths.
    const SHAPE: Shape;
    /// The backends with code for this primitive, most preferred first (the portable reference
    /// last). A backend not in the list is never chosen by default, only when asked for.
    const PREFERENCE: &'static [Backend];
    /// The portable reference.
    type Portable: Code;
    /// Zero bytes before the portable key, filling its variant (`padding`).
    type PortablePad: Zeroed;
    /// The libcrux code, or `Absent`.
    #[cfg(backend_libcrux)]
    type Libcrux: Code;
    /// Zero bytes before the libcrux key, filling its variant (`padding`).
    #[cfg(backend_libcrux)]
    type LibcruxPad: Zeroed;
    /// The graviola code, or `Absent`.
    #[cfg(backend_graviola)]
    type Graviola: Code;
    /// Zero bytes before the graviola key, filling its variant (`padding`).
    #[cfg(backend_graviola)]
    type GraviolaPad: Zeroed;
    /// The aws-lc-rs code, or `Absent`.
    #[cfg(backend_aws_lc)]
    type AwsLc: Code;
    /// Zero bytes before the aws-lc-rs key, filling its variant (`padding`).
    #[cfg(backend_aws_lc)]
    type AwsLcPad: Zeroed;
}

/// Declares a primitive's [`Implementations`]: its shape, its preference order, and its code on
/// each backend (a backend left out has `Absent` code for it).
///
/// A macro, not a generic impl, for the two things generics cannot do: each backend's pad is an
/// array sized for the concrete primitive (stable Rust cannot size an array from a generic
/// parameter), and each optional backend's items exist only under its cfg.
macro_rules! implementations {
    ($primitive:ty {
        shape: $shape:expr,
        preference: [$($preferred:ident),* $(,)?],
        portable: $portable:ty
        $(, libcrux: $libcrux:ty)?
        $(, graviola: $graviola:ty)?
        $(, aws_lc: $aws_lc:ty)?
        $(,)?
    }) => {
        impl $crate::components::Implementations for $primitive {
            const SHAPE: $crate::components::key::Shape = $shape;
            const PREFERENCE: &'static [$crate::Backend] = &[$($crate::Backend::$preferred),*];
            type Portable = $portable;
            type PortablePad = [u8; $crate::components::key::padding::<Self>($crate::Backend::Portable)];
            #[cfg(backend_libcrux)]
            type Libcrux = implementations!(@code [$($libcrux)?] $crate::backend::libcrux::Libcrux);
            #[cfg(backend_libcrux)]
            type LibcruxPad = [u8; $crate::components::key::padding::<Self>($crate::Backend::Libcrux)];
            #[cfg(backend_graviola)]
            type Graviola = implementations!(@code [$($graviola)?] $crate::backend::graviola::Graviola);
            #[cfg(backend_graviola)]
            type GraviolaPad = [u8; $crate::components::key::padding::<Self>($crate::Backend::Graviola)];
            #[cfg(backend_aws_lc)]
            type AwsLc = implementations!(@code [$($aws_lc)?] $crate::backend::aws_lc::AwsLc);
            #[cfg(backend_aws_lc)]
            type AwsLcPad = [u8; $crate::components::key::padding::<Self>($crate::Backend::AwsLc)];
        }
    };
    (@code [$code:ty] $family:ty) => { $code };
    (@code [] $family:ty) => { $crate::backend::code::Absent<$family> };
}

pub(crate) use implementations;

/// An all-zero value: the padding of a key.
pub trait Zeroed: Send + Sync + 'static {
    /// All zeros.
    fn zeroed() -> Self;
}

impl<const N: usize> Zeroed for [u8; N] {
    fn zeroed() -> Self {
        [0; N]
    }
}

/// The size and alignment of the key `backend`'s code keeps for `P` (`(0, 1)` for a backend not
/// compiled in).
const fn key_layout<P: Implementations>(backend: Backend) -> (usize, usize) {
    /// The size and alignment of `K`.
    const fn of<K>() -> (usize, usize) {
        (size_of::<K>(), align_of::<K>())
    }
    match backend {
        Backend::Portable => of::<<P::Portable as Code>::Key>(),
        #[cfg(backend_libcrux)]
        Backend::Libcrux => of::<<P::Libcrux as Code>::Key>(),
        #[cfg(backend_graviola)]
        Backend::Graviola => of::<<P::Graviola as Code>::Key>(),
        #[cfg(backend_aws_lc)]
        Backend::AwsLc => of::<<P::AwsLc as Code>::Key>(),
        #[allow(unreachable_patterns)] // every backend compiled in
        _ => (0, 1),
    }
}

/// How many zero bytes come before `backend`'s key for `P` in [`Inner`]: the one-byte tag, these
/// zeros and the key fill `S` bytes exactly, `S` being the largest key plus the tag, rounded up
/// to the largest alignment. `S` minus a key's size is then a multiple of that key's alignment
/// (alignments are powers of two and sizes multiples of them), so the key starts right after
/// the zeros with no gap, and ends at `S`.
pub(crate) const fn padding<P: Implementations>(backend: Backend) -> usize {
    let (mut largest, mut align) = (0, 1);
    let mut i = 0;
    while i < Backend::ALL.len() {
        let (size, a) = key_layout::<P>(Backend::ALL[i]);
        if size > largest {
            largest = size;
        }
        if a > align {
            align = a;
        }
        i += 1;
    }
    let whole = (largest + 1).div_ceil(align) * align;
    whole - 1 - key_layout::<P>(backend).0
}

/// Whether `backend` is compiled in with code for `P`.
pub(crate) fn implements<P: Implementations>(backend: Backend) -> bool {
    /// Whether the code is real or [`Absent`](crate::backend::code::Absent).
    struct Implemented;
    impl<P: Implementations> OnCode<P> for Implemented {
        type Output = bool;
        fn run<C: Code, Pad: Zeroed>(self, _: fn(Pad, C::Key) -> Inner<P>) -> bool {
            C::IMPLEMENTED
        }
    }
    dispatch::<P, _>(backend, Implemented).unwrap_or(false)
}

/// Whether `backend` is compiled in with code for `P` that can run an operation on randomness
/// of `source` (code that takes no seed runs only [`Source::System`]).
fn runs<P: Implementations>(backend: Backend, source: Source) -> bool {
    /// Whether the code is real and takes what `source` gives.
    struct Runs(Source);
    impl<P: Implementations> OnCode<P> for Runs {
        type Output = bool;
        fn run<C: Code, Pad: Zeroed>(self, _: fn(Pad, C::Key) -> Inner<P>) -> bool {
            C::IMPLEMENTED && (C::TAKES_SEED || self.0 == Source::System)
        }
    }
    dispatch::<P, _>(backend, Runs(source)).unwrap_or(false)
}

/// Whether an operation of [`Source::System`] on `requested` (or the preferred backend) reads
/// the seed it is given: `false` only when the code that runs it draws its own randomness
/// ([`Code::DRAWS_OWN_RANDOMNESS`]). Decided by the same [`resolve`] that picks the code for the
/// operation; `true` when no code runs it (the operation then fails as it would anyway).
pub(crate) fn system_reads_seed<P: Implementations>(requested: Option<Backend>) -> bool {
    /// Whether the code reads the seed of a system operation.
    struct ReadsSeed;
    impl<P: Implementations> OnCode<P> for ReadsSeed {
        type Output = bool;
        fn run<C: Code, Pad: Zeroed>(self, _: fn(Pad, C::Key) -> Inner<P>) -> bool {
            !C::DRAWS_OWN_RANDOMNESS
        }
    }
    resolve::<P>(requested, Source::System)
        .and_then(|backend| dispatch::<P, _>(backend, ReadsSeed))
        .unwrap_or(true)
}

/// `P`'s preference order here: a backend running a FIPS module in FIPS mode first (FIPS 140-3
/// wants every approved algorithm it has to run inside it), then `P::PREFERENCE` as declared.
fn preference<P: Implementations>() -> impl Iterator<Item = Backend> {
    let fips = Backend::ALL
        .iter()
        .copied()
        .find(|backend| backend.is_fips_module());
    fips.into_iter().chain(
        P::PREFERENCE
            .iter()
            .copied()
            .filter(move |&backend| Some(backend) != fips),
    )
}

/// The backend `P` runs on by default for randomness of `source`: the first of its preference
/// order that is compiled in with code for it that takes `source`, and that this CPU runs.
pub(crate) fn preferred<P: Implementations>(source: Source) -> Backend {
    preference::<P>()
        .find(|&backend| runs::<P>(backend, source) && backend.is_usable())
        .unwrap_or(Backend::Portable)
}

/// The backend `P` runs on for a request with randomness of `source`: its preferred one for
/// `None`; the requested one if it has code for `P` that takes `source`, else the portable
/// reference.
pub(crate) fn resolve<P: Implementations>(
    requested: Option<Backend>,
    source: Source,
) -> Result<Backend, Error> {
    match requested {
        None => Ok(preferred::<P>(source)),
        Some(backend) if !backend.is_usable() => Err(Error::BackendUnavailable),
        Some(backend) if runs::<P>(backend, source) => Ok(backend),
        Some(_) => Ok(Backend::Portable),
    }
}

/// An operation that runs on one backend's code, chosen at run time by [`dispatch`].
trait OnCode<P: Implementations> {
    /// What the operation returns.
    type Output;
    /// Runs the operation with code `C`, whose key is padded with `Pad`.
    fn run<C: Code, Pad: Zeroed>(self, wrap: fn(Pad, C::Key) -> Inner<P>) -> Self::Output;
}

/// Runs `op` with the code of `backend` for `P`.
fn dispatch<P: Implementations, O: OnCode<P>>(backend: Backend, op: O) -> Result<O::Output, Error> {
    Ok(match backend {
        Backend::Portable => op.run::<P::Portable, P::PortablePad>(Inner::Portable),
        #[cfg(backend_libcrux)]
        Backend::Libcrux => op.run::<P::Libcrux, P::LibcruxPad>(Inner::Libcrux),
        #[cfg(backend_graviola)]
        Backend::Graviola => op.run::<P::Graviola, P::GraviolaPad>(Inner::Graviola),
        #[cfg(backend_aws_lc)]
        Backend::AwsLc => op.run::<P::AwsLc, P::AwsLcPad>(Inner::AwsLc),
        #[allow(unreachable_patterns)] // every backend compiled in
        _ => return Err(Error::BackendUnavailable),
    })
}

/// The CPU token of `C`'s family, or [`Error::BackendUnavailable`].
fn cpu<C: Code>() -> Result<<C::Family as Family>::Cpu, Error> {
    C::Family::cpu().ok_or(Error::BackendUnavailable)
}

/// The key of whichever backend generated it, after the zero bytes that fill the variant (see
/// [`PrivateKey`]). Two fields, not one struct: rustc lays out an enum variant's fields after
/// the tag in ascending alignment, so the zero bytes come first, right after the tag, and the
/// key follows them with no gap.
enum Inner<P: Implementations> {
    Portable(P::PortablePad, <P::Portable as Code>::Key),
    #[cfg(backend_libcrux)]
    Libcrux(P::LibcruxPad, <P::Libcrux as Code>::Key),
    #[cfg(backend_graviola)]
    Graviola(P::GraviolaPad, <P::Graviola as Code>::Key),
    #[cfg(backend_aws_lc)]
    AwsLc(P::AwsLcPad, <P::AwsLc as Code>::Key),
}

/// The client's private key of primitive `P` (an ML-KEM decapsulation key, an EC or X25519
/// scalar with its public share), held by the backend that generated it, which also runs the
/// completion. Wiped on drop (every backend's key wipes itself); `Debug` shows the backend only.
///
/// Every variant is filled with zeros to one size. An enum's storage is a tag, then its
/// variant's fields; any byte a variant does not write (the tail of a smaller variant, the gap
/// between the tag and an aligned key) travels with every move of the value, carrying whatever
/// the stack held there before, such as a copy of the key made inside a backend. Wiping the key
/// on drop cannot reach those bytes (safe Rust cannot write them). So each variant starts with
/// zeros that fill it from the tag to its key's alignment and its key ends exactly at the
/// enum's end (`padding`); `tests/secret_lifetime.rs` reads the freed memory back.
pub struct PrivateKey<P: Implementations>(Inner<P>);

/// An operation on a key, whichever backend holds it.
trait WithKey {
    /// What the operation returns.
    type Output<'a>;
    /// Runs the operation on `key`, held by code `C`.
    fn run<C: Code>(self, key: &C::Key) -> Self::Output<'_>;
}

impl<P: Implementations> PrivateKey<P> {
    /// Runs `op` on the key, with the code of the backend that holds it.
    fn with_key<O: WithKey>(&self, op: O) -> O::Output<'_> {
        match &self.0 {
            Inner::Portable(_, key) => op.run::<P::Portable>(key),
            #[cfg(backend_libcrux)]
            Inner::Libcrux(_, key) => op.run::<P::Libcrux>(key),
            #[cfg(backend_graviola)]
            Inner::Graviola(_, key) => op.run::<P::Graviola>(key),
            #[cfg(backend_aws_lc)]
            Inner::AwsLc(_, key) => op.run::<P::AwsLc>(key),
        }
    }

    /// The backend that generated this key, and runs its completion.
    pub fn backend(&self) -> Backend {
        struct Which;
        impl WithKey for Which {
            type Output<'a> = Backend;
            fn run<C: Code>(self, _: &C::Key) -> Backend {
                C::Family::BACKEND
            }
        }
        self.with_key(Which)
    }

    /// Client completion (see [`Component::client_complete`]).
    fn complete(&self, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        struct Complete<'s> {
            server_share: &'s [u8],
            secret: &'s mut [u8],
        }
        impl WithKey for Complete<'_> {
            type Output<'a> = Result<(), Error>;
            fn run<C: Code>(self, key: &C::Key) -> Result<(), Error> {
                C::complete(key, self.server_share, self.secret)
            }
        }
        self.with_key(Complete {
            server_share,
            secret,
        })
    }

    /// The client's public share kept with a Diffie-Hellman key (empty for a KEM).
    pub(crate) fn public_share(&self) -> &[u8] {
        struct Share;
        impl WithKey for Share {
            type Output<'a> = &'a [u8];
            fn run<C: Code>(self, key: &C::Key) -> &[u8] {
                C::public_share(key)
            }
        }
        self.with_key(Share)
    }
}

impl<P: Implementations> core::fmt::Debug for PrivateKey<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("primitive", &P::SHAPE.name)
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

// Every backend's key wipes itself on drop (a `Code::Key` bound); the padding is zeros.
impl<P: Implementations> ZeroizeOnDrop for PrivateKey<P> {}

/// Audit and known-answer hooks (feature `hazmat`).
#[cfg(feature = "hazmat")]
impl<P: Implementations> PrivateKey<P> {
    /// The memory of the backend's private key object, as the constant-time harness marks it
    /// secret.
    pub fn secret_memory(&self) -> super::KeyMemory<'_> {
        struct Memory;
        impl WithKey for Memory {
            type Output<'a> = super::KeyMemory<'a>;
            fn run<C: Code>(self, key: &C::Key) -> super::KeyMemory<'_> {
                C::secret_memory(key)
            }
        }
        self.with_key(Memory)
    }

    /// Public values stored inside [`Self::secret_memory`] (an ML-KEM key's encapsulation key),
    /// which an audit must not treat as secret.
    pub fn public_memory(&self) -> Option<super::KeyMemory<'_>> {
        struct Memory;
        impl WithKey for Memory {
            type Output<'a> = Option<super::KeyMemory<'a>>;
            fn run<C: Code>(self, key: &C::Key) -> Option<super::KeyMemory<'_>> {
                C::public_memory(key)
            }
        }
        self.with_key(Memory)
    }

    /// An ML-KEM key's FIPS 203 expanded form `dkPKE ‖ ek ‖ H(ek) ‖ z` (section 7.1), the form
    /// NIST ACVP and the C2SP CCTV vectors use, written to `out` (the parameter set's expanded
    /// key length); from every backend. The caller wipes `out`.
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] for a primitive without an expanded form or an `out` of the wrong
    /// length.
    pub fn expanded_key(&self, out: &mut [u8]) -> Result<(), Error> {
        struct Expanded<'o>(&'o mut [u8]);
        impl WithKey for Expanded<'_> {
            type Output<'a> = Result<(), Error>;
            fn run<C: Code>(self, key: &C::Key) -> Result<(), Error> {
                C::expanded_key(key, self.0)
            }
        }
        self.with_key(Expanded(out))
    }

    /// An ML-KEM key from its FIPS 203 expanded form, after the section 7.3 checks (the
    /// embedded encapsulation key decodes, `H(ek)` matches), on `backend` if it can import one,
    /// else on the portable reference (graviola cannot); `None`: on the most preferred backend
    /// that can (aws-lc-rs can, though it cannot take a seed). [`Self::backend`] says where it
    /// landed.
    ///
    /// # Errors
    ///
    /// [`Error::DecapsulationKeyCheck`] for a key that fails the checks or has the wrong
    /// length, [`Error::BackendUnavailable`] for a backend that does not run here,
    /// [`Error::Internal`] for a primitive without an expanded form.
    pub fn from_expanded_key(backend: Option<Backend>, dk: &[u8]) -> Result<Self, Error> {
        /// Imports with code `C`, if it can.
        struct Import<'d>(&'d [u8]);
        impl<P: Implementations> OnCode<P> for Import<'_> {
            type Output = Option<Result<Inner<P>, Error>>;
            fn run<C: Code, Pad: Zeroed>(self, wrap: fn(Pad, C::Key) -> Inner<P>) -> Self::Output {
                let cpu = match cpu::<C>() {
                    Ok(cpu) => cpu,
                    Err(err) => return Some(Err(err)),
                };
                C::import_expanded_key(cpu, self.0)
                    .map(|key| key.map(|key| wrap(Pad::zeroed(), key)))
            }
        }
        // The checks, once, on the reference.
        let checked = dispatch::<P, _>(Backend::Portable, Import(dk))?.ok_or(Error::Internal)??;
        if backend.is_some() {
            resolve::<P>(backend, Source::System)?;
        }
        // The requested backend, or every backend in order of preference.
        let candidates = backend
            .into_iter()
            .chain(preference::<P>().filter(move |_| backend.is_none()));
        for candidate in candidates {
            if candidate == Backend::Portable
                || !(implements::<P>(candidate) && candidate.is_usable())
            {
                continue;
            }
            if let Some(imported) = dispatch::<P, _>(candidate, Import(dk))? {
                return imported.map(Self);
            }
        }
        Ok(Self(checked))
    }
}

/// Client key generation on a backend's code.
struct Keygen<'a> {
    source: Source,
    seed: &'a [u8],
    share: &'a mut [u8],
}

impl<P: Implementations> OnCode<P> for Keygen<'_> {
    type Output = Result<Inner<P>, Error>;
    fn run<C: Code, Pad: Zeroed>(self, wrap: fn(Pad, C::Key) -> Inner<P>) -> Self::Output {
        let cpu = cpu::<C>()?;
        let key = match self.source {
            Source::Caller => C::keygen(cpu, self.seed, self.share)?,
            Source::System => C::keygen_system(cpu, self.seed, self.share)?,
        };
        Ok(wrap(Pad::zeroed(), key))
    }
}

/// The server step on a backend's code.
struct Respond<'a> {
    source: Source,
    step: ServerStep<'a>,
}

impl<P: Implementations> OnCode<P> for Respond<'_> {
    type Output = Result<(), Error>;
    fn run<C: Code, Pad: Zeroed>(self, _: fn(Pad, C::Key) -> Inner<P>) -> Self::Output {
        let cpu = cpu::<C>()?;
        match self.source {
            Source::Caller => C::respond(cpu, self.step),
            Source::System => C::respond_system(cpu, self.step),
        }
    }
}

impl<P: Implementations> PrivateKey<P> {
    /// Client key generation on `requested` (or the preferred backend) for randomness of
    /// `source`.
    fn generate(
        requested: Option<Backend>,
        source: Source,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self, Error> {
        let keygen = Keygen {
            source,
            seed,
            share,
        };
        dispatch::<P, _>(resolve::<P>(requested, source)?, keygen)?.map(PrivateKey)
    }
}

/// The server step on `requested` (or the preferred backend) for randomness of `source`.
fn respond<P: Implementations>(
    requested: Option<Backend>,
    source: Source,
    step: ServerStep<'_>,
) -> Result<(), Error> {
    dispatch::<P, _>(resolve::<P>(requested, source)?, Respond { source, step })?
}

impl<P: Implementations> Sealed for P {}

impl<P: Implementations> Component for P {
    const PARTS: &'static [&'static str] = &[P::SHAPE.name];
    const CLIENT_SHARE_LEN: usize = P::SHAPE.client_share;
    const SERVER_SHARE_LEN: usize = P::SHAPE.server_share;
    const SECRET_LEN: usize = P::SHAPE.secret;
    const CLIENT_SEED_LEN: usize = P::SHAPE.client_seed;
    const SERVER_SEED_LEN: usize = P::SHAPE.server_seed;

    type ClientState = PrivateKey<P>;

    fn has_backend(backend: Backend) -> bool {
        implements::<P>(backend)
    }

    fn client_keygen(
        backend: Option<Backend>,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<PrivateKey<P>, Error> {
        PrivateKey::generate(backend, Source::Caller, seed, share)
    }

    fn server_respond(backend: Option<Backend>, step: ServerStep<'_>) -> Result<(), Error> {
        respond::<P>(backend, Source::Caller, step)
    }

    fn client_keygen_system(
        backend: Option<Backend>,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<PrivateKey<P>, Error> {
        PrivateKey::generate(backend, Source::System, seed, share)
    }

    fn server_respond_system(backend: Option<Backend>, step: ServerStep<'_>) -> Result<(), Error> {
        respond::<P>(backend, Source::System, step)
    }

    fn system_reads_seed(backend: Option<Backend>) -> bool {
        system_reads_seed::<P>(backend)
    }

    fn client_complete(
        state: &PrivateKey<P>,
        server_share: &[u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        state.complete(server_share, secret)
    }

    #[cfg(feature = "hazmat")]
    const EXPANDED_KEY_LEN: usize = P::SHAPE.expanded_key;

    #[cfg(feature = "hazmat")]
    fn keys(state: &PrivateKey<P>, visit: &mut dyn FnMut(super::KeyView<'_>)) {
        visit(super::KeyView {
            primitive: P::SHAPE.name,
            backend: state.backend(),
            secret: state.secret_memory(),
            public: state.public_memory(),
        });
    }

    #[cfg(feature = "hazmat")]
    fn expanded_key(state: &PrivateKey<P>, out: &mut [u8]) -> Result<(), Error> {
        state.expanded_key(out)
    }

    #[cfg(feature = "hazmat")]
    fn from_expanded_key(backend: Option<Backend>, dk: &[u8]) -> Result<PrivateKey<P>, Error> {
        PrivateKey::from_expanded_key(backend, dk)
    }
}

impl<P: Implementations> Primitive for P {
    const NAME: &'static str = P::SHAPE.name;
}
